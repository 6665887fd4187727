#!/usr/bin/env bash
# Turns a bench results.csv into medians.csv, rps.png, p99.png and summary.md beside it (gawk and gnuplot).
#   bench/charts.sh bench/results/<run>/results.csv
set -euo pipefail
results="$1"
dir="$(dirname "$results")"
csv="$dir/medians.csv"

# The median of the rounds for each configuration and test (the only row when there was one round).
gawk -F, '
  NR == 1 { next }
  {
    key = $1 "," $2 "," $3 "," $4 "," $5
    if (!(key in n)) order[++keys] = key
    i = ++n[key]; rps[key, i] = $7; p50[key, i] = $8; p99[key, i] = $9; err[key] += $10
  }
  function median(arr, key, count,   tmp, j) {
    delete tmp
    for (j = 1; j <= count; j++) tmp[j] = arr[key, j] + 0
    asort(tmp)
    return count % 2 ? tmp[(count + 1) / 2] : (tmp[count / 2] + tmp[count / 2 + 1]) / 2
  }
  BEGIN { print "model,instances,metrics,test,connections,requests_per_s,p50_ms,p99_ms,errors" }
  END {
    for (k = 1; k <= keys; k++) {
      key = order[k]
      printf "%s,%.2f,%.3f,%.3f,%d\n", key, median(rps, key, n[key]), median(p50, key, n[key]), median(p99, key, n[key]), err[key]
    }
  }' "$results" > "$csv"
rounds=$(awk -F, 'NR > 1 && $6 > m { m = $6 } END { print m }' "$results")

# One chart per measure, at the highest connection count: a group of bars per test type, a bar per configuration.
max_conn=$(awk -F, 'NR > 1 && $5 > m { m = $5 } END { print m }' "$csv")
for measure in rps p99; do
  column=$([ "$measure" = rps ] && echo 6 || echo 8)
  awk -F, -v c="$column" -v conn="$max_conn" '
    NR == 1 { next }
    $5 != conn { next }
    {
      cfg = $1 " x" $2 ($3 == "off" ? " no-metrics" : $3 == "on" ? "" : " " $3)
      if (!(cfg in seenc)) { seenc[cfg] = 1; cfgs[++nc] = cfg }
      if (!($4 in seent)) { seent[$4] = 1; tests[++nt] = $4 }
      v[$4, cfg] = $c
    }
    END {
      printf "test"; for (j = 1; j <= nc; j++) printf "\t\"%s\"", cfgs[j]; printf "\n"
      for (i = 1; i <= nt; i++) {
        printf "%s", tests[i]
        for (j = 1; j <= nc; j++) printf "\t%s", ((tests[i], cfgs[j]) in v ? v[tests[i], cfgs[j]] : "0")
        printf "\n"
      }
    }' "$csv" > "$dir/$measure.dat"
  columns=$(head -1 "$dir/$measure.dat" | awk -F'\t' '{ print NF }')
  title=$([ "$measure" = rps ] && echo "Requests per second (higher is better)" || echo "p99 latency in ms (lower is better)")
  gnuplot <<GP
set terminal pngcairo size 1400,700 font "sans,11"
# Twelve distinguishable colours: one per configuration of the full matrix.
array colours[12] = ["#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", \
  "#9467bd", "#c5b0d5", "#8c564b", "#c49c94"]
do for [i=1:12] { set linetype i linecolor rgb colours[i] }
set output "$dir/$measure.png"
set title "$title, $max_conn connections"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top vertical
set grid ytics
set yrange [0:*]
set xtics nomirror
plot for [i=2:$columns] "$dir/$measure.dat" using i:xtic(1) title columnhead(i)
GP
done

ratio() {
  # ratio TEST MODEL_A INSTANCES_A METRICS_A MODEL_B INSTANCES_B METRICS_B: requests/s of A over B.
  awk -F, -v t="$1" -v ma="$2" -v ia="$3" -v xa="$4" -v mb="$5" -v ib="$6" -v xb="$7" -v conn="$max_conn" '
    $4 == t && $5 == conn && $1 == ma && $2 == ia && $3 == xa { a = $6 }
    $4 == t && $5 == conn && $1 == mb && $2 == ib && $3 == xb { b = $6 }
    END { if (a && b) printf "%.2f", a / b; else printf "n/a" }' "$csv"
}
most=$(awk -F, 'NR > 1 && $2 > m { m = $2 } END { print m }' "$csv")
{
  echo "# Bench results"
  echo
  echo "From \`$results\`: the median of $rounds round(s), at $max_conn connections. Ratios of requests per second:"
  echo
  echo "| comparison | ratio | target |"
  echo "|---|---|---|"
  echo "| /json, event-loop, $most instances over 1 | $(ratio json event-loop "$most" on event-loop 1 on) | >= 1.8 |"
  echo "| /db, event-loop over worker ($most instances) | $(ratio db event-loop "$most" on worker "$most" on) | > 1 |"
  echo "| /fortunes, event-loop over worker ($most instances) | $(ratio fortunes event-loop "$most" on worker "$most" on) | > 1 |"
  echo "| /json, metrics on over off (event-loop, $most instances) | $(ratio json event-loop "$most" on event-loop "$most" off) | >= 0.9 |"
  echo
  echo "| model | instances | metrics | test | connections | requests/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F, 'NR > 1 { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$csv"
} > "$dir/summary.md"
echo "bench: charts and summary in $dir"
