#!/usr/bin/env bash
# Cost-versus-served frontiers of each policy family on each dev trace (issue #19), release build.
# For every ../shared/data/traces/*_1min.csv, scored from day 7 to the end:
#  1. `fleetcast tune --families`: predictive over the tuner's settings (up to 80) beside reactive + a warm
#     pool of k nodes, static k nodes and yesterday + a margin, each over its own knob; SVG to docs/img/;
#  2. `fleetcast simulate --policy tuned`: the pool tuned causally every day on the 7 days before it;
# then one table row per trace: each family's cheapest setting reaching 99.9 % served (in hindsight),
# whether predictive's frontier lies on or below every other family's, and the tuned row against the
# cheapest hindsight setting.
# Usage: bash hack/bench/frontier.sh [trace-name-substring]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
only=${1:-}
. hack/bench/common.bash
bench_traces
bench_fleetcast
pool=hack/bench/tune-pool.yaml
startup=lognormal:p50=6m,p90=12m
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/img

printf '| trace | predictive ≥ 99.9 %% | reactive+warm ≥ 99.9 %% | static ≥ 99.9 %% | yesterday ≥ 99.9 %% | predictive frontier on or below the others | tuned (rolling) cost, served | tuned ÷ cheapest ≥ 99.9 %% | tune --families CPU-s (scored from day 7) | tuned row CPU-s (daily, ≤ 40 settings a day) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for file in "$traces"/*_1min.csv; do
  name=$(basename "$file" .csv)
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  /usr/bin/time -f '%U %S' -o "$work/tune.time" "$bin" tune -f "$pool" --trace "$file" --from 7d --startup "$startup" --seed 1 \
    --families --svg "docs/img/frontier-$name.svg" --format json >"$work/$name.json"
  /usr/bin/time -f '%U %S' -o "$work/tuned.time" "$bin" simulate -f "$pool" --trace "$file" --policy tuned --warmup 7d \
    --startup "$startup" --seed 1 --format csv >"$work/$name.csv"
  python3 - "$name" "$work/$name.json" "$work/$name.csv" "$work/tune.time" "$work/tuned.time" <<'PY'
import csv, json, sys
name, report, rows, tune_time, tuned_time = sys.argv[1:6]
data = json.load(open(report))
points = data["families"]
def cpu(path):
    user, system = open(path).read().split()[-2:]
    return float(user) + float(system)
def cheapest(family, target=0.999):
    costs = [p["cost"] for p in points if p["family"] == family and p["servedFraction"] >= target]
    return min(costs) if costs else None
def fmt(cost):
    return "—" if cost is None else f"{cost:.0f}"
predictive = [p for p in points if p["family"] == "predictive"]
misses = []
for p in points:
    if p["family"] == "predictive":
        continue
    reach = [q["cost"] for q in predictive if q["servedFraction"] >= p["servedFraction"] - 1e-12]
    if not reach or min(reach) > p["cost"] * (1 + 1e-9):
        misses.append(f'{p["family"]} {p["setting"]} ({p["cost"]:.0f}, {100 * p["servedFraction"]:.3f} %)')
tuned = next(r for r in csv.DictReader(open(rows)) if r["policy"] == "tuned")
best = [c for c in (cheapest(f) for f in ("predictive", "reactive", "static", "yesterday")) if c is not None]
hindsight = min(best) if best else None
ratio = "—" if hindsight is None else f'{float(tuned["cost"]) / hindsight:.3f}'
below = "yes" if not misses else "no: " + "; ".join(misses[:3]) + (f" (+{len(misses) - 3} more)" if len(misses) > 3 else "")
print(f'| {name} | {fmt(cheapest("predictive"))} | {fmt(cheapest("reactive"))} | {fmt(cheapest("static"))} | {fmt(cheapest("yesterday"))} | '
      f'{below} | {float(tuned["cost"]):.0f}, {100 * float(tuned["servedFraction"]):.4f} % | {ratio} | {cpu(tune_time):.1f} | {cpu(tuned_time):.1f} |')
PY
done
