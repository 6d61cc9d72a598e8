#!/usr/bin/env bash
# Benchmark: how fast `fleetcast validate` checks GPUPool manifests (YAML parse, strict schema check,
# decode, validation). Builds the release binary, generates multi-document streams of valid pools, and
# prints wall-clock and CPU time per stream (best of 3 by CPU). Bounded: about 1.5 minutes once built.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash hack/install-deps.sh

swift build -c release --product fleetcast >/dev/null
bin="$(swift build -c release --show-bin-path)/fleetcast"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The full-featured example pool, without its comments, renamed per copy.
body="$(sed '/^#/d' deploy/examples/a100-serving-machinedeployment.yaml)"
# CPU time (user + sys) is reported beside wall time: on a shared machine the wall clock is noisy.
TIMEFORMAT='%3R %3U %3S'
printf '%-8s %-10s %-10s %-12s %s\n' "pools" "wall (s)" "cpu (s)" "cpu µs/pool" "pools/cpu-s"
for count in 100 1000 5000; do
  stream="$work/pools-$count.yaml"
  for ((i = 1; i <= count; i++)); do
    printf -- '---\n%s\n' "${body//name: a100-serving/name: pool-$i}"
  done >"$stream"
  # Best of three runs by CPU time.
  best=""
  for _ in 1 2 3; do
    run=$( { time "$bin" validate -q -f "$stream" >/dev/null; } 2>&1 )
    best=$(printf '%s\n%s\n' "$best" "$run" | awk 'NF == 3 { cpu = $2 + $3; if (min == "" || cpu < min) { min = cpu; line = $0 } } END { print line }')
  done
  echo "$best" | awk -v n="$count" '{ cpu = $2 + $3; printf "%-8d %-10.3f %-10.3f %-12.0f %.0f\n", n, $1, cpu, cpu * 1e6 / n, n / cpu }'
done
