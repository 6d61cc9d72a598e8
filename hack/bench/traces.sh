#!/usr/bin/env bash
# Parse time of every real trace in ../shared/data/traces (release build, file bytes already in memory,
# median of 50 parses). Usage: bash hack/bench/traces.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/bench/common.bash
bench_traces
bench_fleetcast

printf '| file | format | rows | bytes | parse median | parse fastest |\n|---|---|---|---|---|---|\n'
for file in "$traces"/*.csv; do
  out=$("$bin" trace stats --benchmark 50 "$file")
  format=$(sed -n 's/^format: *\([a-z ]*\), \([0-9]*\) rows.*/\1/p' <<<"$out")
  rows=$(sed -n 's/^format: *[a-z ]*, \([0-9]*\) rows.*/\1/p' <<<"$out")
  read -r median fastest bytes < <(sed -n 's/^parse: *\([0-9.]*\) ms median, \([0-9.]*\) ms fastest over [0-9]* runs (\([0-9]*\) bytes.*/\1 \2 \3/p' <<<"$out")
  printf '| %s | %s | %s | %s | %s ms | %s ms |\n' "$(basename "$file")" "$format" "$rows" "$bytes" "$median" "$fastest"
done
