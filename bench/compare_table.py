"""The ratio table of bench/compare.sh: medians per server and line, Surge / gunicorn against the goal of issue 19
(the TechEmpower vertx entry's ratio to gunicorn measured here on 2026-12-04), and each model against the event
loop (goal: within 15%).  Usage: compare_table.py results.csv MODEL..."""
import csv
import statistics
import sys
from collections import defaultdict

# The entry / gunicorn-sync column measured on 2026-12-04 (docs/BENCHMARKS.md): what Surge / gunicorn must reach.
GOAL = {("plaintext", 16): 8.5, ("json", 16): 8.4, ("json", 64): 10.5, ("db", 16): 10.6, ("db", 64): 14.2,
        ("queries", 16): 4.4, ("fortunes", 16): 9.8, ("updates", 16): 4.3}
MODEL_GOAL = 0.85

rows = list(csv.DictReader(open(sys.argv[1])))
models = sys.argv[2:] or ["event-loop"]
runs = defaultdict(list)
errors = defaultdict(int)
lines = []
for r in rows:
    key = (r["test"], int(r["connections"]))
    if key not in lines:
        lines.append(key)
    runs[(r["server"], key)].append(float(r["requests_per_s"]))
    errors[(r["server"], key)] += int(r["errors"] or 0)

def median(server, key):
    values = runs.get((server, key))
    return statistics.median(values) if values else None

rounds = max((len(v) for v in runs.values()), default=0)
print(f"Medians of {rounds} interleaved round(s), requests/s (wrk -t1).\n")
head = ["test (connections)"] + [f"Surge {m}" for m in models] + ["gunicorn-sync", "Surge / gunicorn", "goal ≥", "met"]
if len(models) > 1:
    head += [f"{m} / event-loop" for m in models if m != "event-loop"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for key in lines:
    surge = {m: median(f"surge-{m}", key) for m in models}
    peer = median("gunicorn-sync", key)
    base = surge.get("event-loop") or surge[models[0]]
    ratio = base / peer if base and peer else None
    goal = GOAL.get(key)
    cells = [f"`/{key[0]}` ({key[1]})"] + [f"{surge[m]:,.0f}" if surge[m] else "-" for m in models]
    cells += [f"{peer:,.0f}" if peer else "-", f"{ratio:.1f}" if ratio else "-", f"{goal}" if goal else "-",
              ("yes" if ratio >= goal else "**no**") if ratio and goal else "-"]
    if len(models) > 1:
        for m in models:
            if m != "event-loop" and surge.get("event-loop") and surge[m]:
                share = surge[m] / surge["event-loop"]
                cells.append(f"{share:.2f}" + ("" if share >= MODEL_GOAL else " (**below 0.85**)"))
    print("| " + " | ".join(cells) + " |")
failed = {k: v for k, v in errors.items() if v}
if failed:
    print("\nRuns with errors (non-2xx or socket errors): "
          + ", ".join(f"{s} {t}({c}): {n}" for (s, (t, c)), n in failed.items()))
