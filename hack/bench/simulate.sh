#!/usr/bin/env bash
# Simulator benchmark (release build). Two tables:
#  1. speed: simulated minutes per second of the predictive policy (production planner + forecaster)
#     (refitting on the operator's cadence) and of the reactive policy on synthetic 1-minute inference traces of 7, 30 and 180 days, with
#     peak memory;
#  2. policies: every policy on every demand series in ../shared/data/traces (8 GPUs per node,
#     start-up log-normal p50 6m / p90 12m, 7-day warm-up where the trace is long enough, seed 1).
# Usage: bash hack/bench/simulate.sh [speed|policies]   (from the repository root; default both)
# FLEETCAST_BIN: a prebuilt binary instead of the release build (e.g. a copy kept for a before/after run).
set -euo pipefail
cd "$(dirname "$0")/../.."
what=${1:-all}
. hack/bench/common.bash
bench_traces
bash hack/install-deps.sh
command -v /usr/bin/time >/dev/null || { echo "simulate.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

bench_fleetcast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pool=hack/bench/simulate-pool.yaml

if [ "$what" = all ] || [ "$what" = speed ]; then
  # The predictive policy refits as the operator does (every 5-minute bin carried forward, daily
  # re-estimation); the reactive policy (no forecaster: the event engine alone) is there for comparison.
  printf '| trace | policy | wall time | CPU (user + sys) | simulated minutes / s | peak RSS |\n|---|---|---|---|---|---|\n'
  for days in 7 30 180; do
    "$bin" trace generate --profile inference-diurnal --days "$days" --seed 1 -o "$work/d$days.csv" 2>/dev/null
    for policy in reactive predictive; do
      /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" simulate -f "$pool" --trace "$work/d$days.csv" \
        --policy "$policy" --startup lognormal:p50=6m,p90=12m --format csv >/dev/null
      read -r seconds user system kilobytes <"$work/time"
      awk -v d="$days" -v p="$policy" -v s="$seconds" -v u="$user" -v y="$system" -v k="$kilobytes" \
        'BEGIN { printf "| inference-diurnal %s d | %s | %.2f s | %.2f s | %.0f | %.0f MiB |\n", d, p, s, u + y, d * 1440 / s, k / 1024 }'
    done
  done
  echo
fi

if [ "$what" = all ] || [ "$what" = policies ]; then
  printf '| trace | policy | cost (node-h) | × oracle | servedFraction | sloMinutesFraction | unmetGPUHours |\n|---|---|---|---|---|---|---|\n'
  for file in "$traces"/*_1min.csv; do
    span=$("$bin" trace stats --json "$file" | sed -n 's/.*"spanSeconds" *: *\([0-9.]*\).*/\1/p')
    warmup=0d
    if awk -v s="$span" 'BEGIN { exit !(s >= 14 * 86400) }'; then warmup=7d; fi
    "$bin" simulate -f "$pool" --trace "$file" --compare --startup lognormal:p50=6m,p90=12m \
      --warmup "$warmup" --seed 1 --format csv >"$work/out.csv"
    oracle=$(awk -F, '$1 == "oracle" {print $2}' "$work/out.csv")
    awk -F, -v t="$(basename "$file")" -v o="$oracle" 'NR > 1 {
      printf "| %s | %s | %.1f | %.3f | %.4f%% | %.2f%% | %.1f |\n", t, $1, $2, $2 / o, $8 * 100, $9 * 100, $7 }' "$work/out.csv"
  done
fi
