#!/usr/bin/env bash
# The standby tier on the dev traces (issue #20): for every ../shared/data/traces/*_1min.csv, the
# running-only warm pool (predictive), the tiered policy (running + standby) and the oracle, with the
# pool of hack/bench/simulate-pool.yaml, start-up log-normal p50 6m / p90 12m, standby priced at 10 %
# of a running node-hour and resumed in log-normal p50 35 s / p90 60 s, 7-day warm-up, seed 1.
# Prints one table row per trace and policy, and whether the target (>= 99.9 % served at <= 1.15x the
# oracle's cost) is met.
# Usage: bash hack/bench/standby.sh [STANDBY]   (from the repository root; STANDBY is --standby's value,
#        default max=1000,percent=20)
# FLEETCAST_BIN: a prebuilt binary instead of the release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
standby=${1:-max=1000,percent=20}
traces=../shared/data/traces
[ -d "$traces" ] || traces=../../shared/data/traces
bin=${FLEETCAST_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product fleetcast >/dev/null
  bin=$(swift build -c release --show-bin-path)/fleetcast
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pool=hack/bench/simulate-pool.yaml

printf '| trace | policy | cost (node-h) | × oracle | servedFraction | unmetGPUHours | standby node-h | resumes | target ≥ 99.9 %% at ≤ 1.15× |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for file in "$traces"/*_1min.csv; do
  "$bin" simulate -f "$pool" --trace "$file" --policy predictive,tiered,oracle --standby "$standby" \
    --resume lognormal:p50=35s,p90=60s --startup lognormal:p50=6m,p90=12m --warmup 7d --seed 1 --format csv >"$work/out.csv"
  oracle=$(awk -F, '$1 == "oracle" {print $2}' "$work/out.csv")
  awk -F, -v t="$(basename "$file")" -v o="$oracle" 'NR > 1 {
    met = ($8 >= 0.999 && $2 / o <= 1.15) ? "met" : "missed"
    if ($1 == "oracle") met = "—"
    printf "| %s | %s | %.1f | %.3f | %.4f%% | %.1f | %s | %s | %s |\n", t, $1, $2, $2 / o, $8 * 100, $7,
      ($13 == "" ? "—" : sprintf("%.1f", $13)), ($14 == "" ? "—" : $14), met }' "$work/out.csv"
done
