"""The ratio table of bench/compare.sh: medians per server and line; Surge / raw Vert.x (the peer built as the
TechEmpower vertx entry is) against issue 19's goal of 1.0; Surge / gunicorn against the goal column the issue
derived from the entry's ratio to gunicorn measured here on 2026-12-04; and each model against the event loop
(goal: within 15%). A peer that did not run leaves its columns out.  Usage: compare_table.py results.csv MODEL..."""
import csv
import statistics
import sys
from collections import defaultdict

# The entry / gunicorn-sync column measured on 2026-12-04 (docs/BENCHMARKS.md): what Surge / gunicorn must reach.
GOAL = {("plaintext", 16): 8.5, ("json", 16): 8.4, ("json", 64): 10.5, ("db", 16): 10.6, ("db", 64): 14.2,
        ("queries", 16): 4.4, ("fortunes", 16): 9.8, ("updates", 16): 4.3}
MODEL_GOAL = 0.85
ENTRY_GOAL = 1.0

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
servers = {server for server, _ in runs}
has_raw, has_gunicorn = "vertx-raw" in servers, "gunicorn-sync" in servers
print(f"Medians of {rounds} interleaved round(s), requests/s (wrk -t1).\n")
head = ["test (connections)"] + [f"Surge {m}" for m in models]
if has_raw:
    head += ["raw Vert.x", "Surge / raw Vert.x", "met (≥ 1.0)"]
if has_gunicorn:
    head += ["gunicorn-sync", "Surge / gunicorn", "goal ≥", "met"]
if len(models) > 1:
    head += [f"{m} / event-loop" for m in models if m != "event-loop"]

def met(ratio, goal):
    return ("yes" if ratio >= goal else "**no**") if ratio and goal else "-"

print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for key in lines:
    surge = {m: median(f"surge-{m}", key) for m in models}
    base = surge.get("event-loop") or surge[models[0]]
    cells = [f"`/{key[0]}` ({key[1]})"] + [f"{surge[m]:,.0f}" if surge[m] else "-" for m in models]
    # Each peer: whether it ran, its server name, the goal for Surge / it, the ratio's digits, the goal shown.
    for shown, peer_name, goal, digits, goal_column in ((has_raw, "vertx-raw", ENTRY_GOAL, 2, False),
                                                        (has_gunicorn, "gunicorn-sync", GOAL.get(key), 1, True)):
        if not shown:
            continue
        peer = median(peer_name, key)
        ratio = base / peer if base and peer else None
        cells += [f"{peer:,.0f}" if peer else "-", f"{ratio:.{digits}f}" if ratio else "-"]
        if goal_column:
            cells.append(f"{goal}" if goal else "-")
        cells.append(met(ratio, goal))
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
