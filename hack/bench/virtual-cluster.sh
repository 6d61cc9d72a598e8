#!/usr/bin/env bash
# Virtual cluster benchmark: LIST of 10,000 pods and 100 watchers x 1,000 events over loopback HTTP.
# Builds in release mode and prints a Markdown table (paste it into docs/benchmarks.md with this command).
# Sizes can be changed with BENCH_PODS, BENCH_WATCHERS, BENCH_EVENTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product VirtualClusterBenchmark >/dev/null
"$(swift build -c release --show-bin-path)/VirtualClusterBenchmark"
