#!/usr/bin/env bash
# CPU cost of one operator tuning per pool at 14 days of history (issue #19), release build.
# The operator's tuning controller replays a pool's recorded history — 5-minute bins holding each bin's
# peak — through the same search as `fleetcast tune` (PoolTuning: scored the last 7 days, the day before
# replayed unscored, start-ups at spec.startup.expected, seed 1, at most 80 settings). So for every
# ../shared/data/traces/*_1min.csv this takes the first 14 days as 5-minute peaks and runs
# `fleetcast tune --from 7d` on them, which is that same work, and prints the search's CPU-seconds.
# Usage: bash hack/bench/operator-tuning.sh   (from the repository root; FLEETCAST_BIN=path uses that binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
traces=../shared/data/traces
[ -d "$traces" ] || traces=../../shared/data/traces
pool=hack/bench/tune-pool.yaml
if [ -z "${FLEETCAST_BIN:-}" ]; then
  swift build -c release --product fleetcast >/dev/null
  FLEETCAST_BIN=$(swift build -c release --show-bin-path)/fleetcast
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '| trace (14 days, 5-min peaks) | settings replayed | forecaster runs | result | CPU-s of the search |\n|---|---|---|---|---|\n'
for file in "$traces"/*_1min.csv; do
  name=$(basename "$file" .csv)
  python3 - "$file" "$work/$name.csv" <<'PY'
import csv, sys
source, target = sys.argv[1:3]
peaks = {}
for row in csv.DictReader(open(source)):
    t = float(row["timestamp_seconds"])
    if t >= 14 * 86400:
        break
    b = int(t // 300)
    peaks[b] = max(peaks.get(b, 0.0), float(row["gpus"]))
with open(target, "w") as out:
    out.write("timestamp_seconds,gpus\n")
    for b in range(14 * 288):
        out.write(f"{b * 300},{peaks.get(b, peaks.get(b - 1, 0.0))}\n")
PY
  "$FLEETCAST_BIN" tune -f "$pool" --trace "$work/$name.csv" --from 7d --seed 1 --format json >"$work/$name.json"
  python3 - "$name" "$work/$name.json" <<'PY'
import json, sys
name, path = sys.argv[1:3]
data = json.load(open(path))
print(f'| {name} | {data["settingsTried"]} | {data["forecasterRuns"]} | '
      f'{"met" if data.get("met") else "not met"} | {data["cpuSeconds"]:.1f} |')
PY
done
