#!/usr/bin/env bash
# Backfill of 14 days of 5-minute bins from a real Prometheus (Debian's prometheus + promtool, from
# hack/install-deps.sh), end to end for one pool and for 100 pools. Release build.
# TRACES_DIR overrides where the traces are (default ../shared/data/traces from the package root).
set -euo pipefail
cd "$(dirname "$0")/../.."
traces_dir="${TRACES_DIR:-../shared/data/traces}"
swift build -c release --product PrometheusBackfillBenchmark >&2
"$(swift build -c release --show-bin-path)/PrometheusBackfillBenchmark" "$traces_dir/servegen_m_small_gpus_1min.csv" "${REPETITIONS:-5}"
