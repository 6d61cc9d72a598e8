#!/usr/bin/env bash
# Virtual cluster: a 10,000-pod create burst with protobuf bodies (typed Go clients) against JSON
# bodies: the decode alone and the whole in-process create path. Builds in release mode and prints a
# Markdown table (paste it into docs/benchmarks.md with this command). BENCH_PODS changes the size.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product VirtualClusterBenchmark >/dev/null
BENCH_MODE=protobuf "$(swift build -c release --show-bin-path)/VirtualClusterBenchmark"
