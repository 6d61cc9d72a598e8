#!/usr/bin/env bash
# Regenerates hack/bench/fleetcast.symbol-order, the link order of the release `fleetcast` binary's code
# (lld --symbol-ordering-file, set in Package.swift for Linux release links): the functions the idle operator
# runs come first, together, so the kernel's fault-around maps little else (docs/benchmarks.md, "Lean operator
# binary"). Each round links the release binary with the current order, runs the operator against
# `fleetcast-dev dev-cluster` (start-up, informers synced, 20 s idle, then SIGTERM, the shutdown path
# included) under `perf record -e page-faults -d`, and appends the functions that faulted. Rounds add what
# fault-around hid in the previous layout; ROUNDS (default 3). Needs perf (Debian: linux-perf) and root for
# the page-fault addresses; `make test` and the normal build do not run it, they use the checked-in file.
# Usage: bash hack/bench/text-order.sh [--fresh]   (--fresh starts from an empty order)
# FLEETCAST_DEV_BIN: a prebuilt fleetcast-dev to serve the cluster (e.g. the debug build) instead of building
# the release one.
set -euo pipefail
cd "$(dirname "$0")/../.."
order=hack/bench/fleetcast.symbol-order
rounds=${ROUNDS:-3}
command -v perf >/dev/null || { echo "text-order.sh: needs perf (apt-get install linux-perf)" >&2; exit 2; }
if [ "${1:-}" = --fresh ]; then : >"$order"; fi
touch "$order"

bin_dir=$(swift build -c release --static-swift-stdlib --show-bin-path)
dev_bin=${FLEETCAST_DEV_BIN:-}
if [ -z "$dev_bin" ]; then
  swift build -c release --product fleetcast-dev --static-swift-stdlib >/dev/null
  dev_bin=$bin_dir/fleetcast-dev
fi
dir=$(mktemp -d)
cluster_pid=
cleanup() { [ -n "$cluster_pid" ] && { kill "$cluster_pid" 2>/dev/null; wait "$cluster_pid" 2>/dev/null; }; rm -rf "$dir"; }
trap cleanup EXIT
mkdir "$dir/crds"
cp crds/*.yaml hack/dev/crds/*.yaml "$dir/crds/"
"$dev_bin" dev-cluster --listen 127.0.0.1:0 --crds "$dir/crds" --kubeconfig-out "$dir/kubeconfig" >"$dir/cluster.out" 2>"$dir/cluster.err" &
cluster_pid=$!
until grep -q KUBECONFIG "$dir/cluster.out" 2>/dev/null; do
  kill -0 "$cluster_pid" 2>/dev/null || { cat "$dir/cluster.err" >&2; exit 2; }
  sleep 0.2
done
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

for round in $(seq "$rounds"); do
  # SwiftPM does not know the order file is a link input: remove the binary so it links again.
  rm -f "$bin_dir/fleetcast"
  swift build -c release --product fleetcast --static-swift-stdlib >/dev/null
  metrics=$(free_port) probe=$(free_port)
  perf record -q -e page-faults -d -c 1 -o "$dir/faults.data" -- "$bin_dir/fleetcast" operator --kubeconfig "$dir/kubeconfig" \
    --metrics-bind-address "127.0.0.1:$metrics" --health-probe-bind-address "127.0.0.1:$probe" --log-level warning \
    >"$dir/operator.out" 2>"$dir/operator.err" &
  perf_pid=$!
  until curl -sf "http://127.0.0.1:$probe/readyz" >/dev/null 2>&1; do
    kill -0 "$perf_pid" 2>/dev/null || { cat "$dir/operator.err" >&2; exit 2; }
    sleep 0.2
  done
  sleep 20
  kill -TERM "$(pgrep -P "$perf_pid")"   # the operator, perf's only child
  wait "$perf_pid"
  perf script -i "$dir/faults.data" -F addr >"$dir/faults.txt" 2>/dev/null
  echo -n "round $round: " >&2
  python3 hack/bench/text_order.py faults "$bin_dir/fleetcast" "$dir/faults.txt" "$order"
done
rm -f "$bin_dir/fleetcast"
swift build -c release --product fleetcast --static-swift-stdlib >/dev/null
