#!/usr/bin/env bash
# The operator (the release `fleetcast` binary, with the static Swift standard library as the image ships it)
# against the virtual cluster (the release `fleetcast-dev dev-cluster`), both as processes:
#   idle     - no pools, no pods, no nodes: operator RSS after its informers synced;
#   at scale - 10 pools, 500 Ready 8-GPU nodes, 10,000 bound Running pods (4,000 request a GPU):
#              operator RSS, reconcile p50/p99 from fleetcast_reconcile_duration_seconds, and API requests
#              per minute at steady state from the operator's own request metrics (two scrapes).
# Usage: bash hack/bench/operator.sh   (from anywhere; about 4 minutes after the release build)
# Knobs (environment): SYNC_PERIOD (seconds, default 10), STEADY_SECONDS (default 120), POOLS, NODES, PODS,
# FLEETCAST_BIN (a prebuilt operator binary instead of the release build), FLEETCAST_DEV_BIN (the binary that
# serves `dev-cluster`; default: fleetcast-dev beside FLEETCAST_BIN), IDLE_ONLY=1 (skip the at-scale part).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash hack/install-deps.sh

sync_period=${SYNC_PERIOD:-10}
steady_seconds=${STEADY_SECONDS:-120}
pools=${POOLS:-10} nodes=${NODES:-500} pods=${PODS:-10000}

bin=${FLEETCAST_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product fleetcast --static-swift-stdlib >/dev/null
  swift build -c release --product fleetcast-dev --static-swift-stdlib >/dev/null
  bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/fleetcast
fi
dev_bin=${FLEETCAST_DEV_BIN:-$(dirname "$bin")/fleetcast-dev}

dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
rss_mb() { awk -v f="$2" '$1 == f":" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
scrape() { curl -sf "http://127.0.0.1:$1/metrics"; }

# start_cluster NAME MANIFEST_DIR: starts dev-cluster, waits for its kubeconfig.
start_cluster() {
  "$dev_bin" dev-cluster --listen 127.0.0.1:0 --crds "$2" --kubeconfig-out "$dir/$1.kubeconfig" >"$dir/$1.cluster.out" 2>"$dir/$1.cluster.err" &
  pids+=($!)
  local pid=$!
  until grep -q KUBECONFIG "$dir/$1.cluster.out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/$1.cluster.err" >&2; echo "dev-cluster exited" >&2; exit 2; }
    sleep 0.2
  done
}

# start_operator NAME PORT: runs the operator against NAME's cluster; sets operator_pid.
start_operator() {
  "$bin" operator --kubeconfig "$dir/$1.kubeconfig" --metrics-bind-address "127.0.0.1:$2" --health-probe-bind-address "127.0.0.1:$3" \
    --sync-period-seconds "$sync_period" --log-level warning >"$dir/$1.operator.out" 2>"$dir/$1.operator.err" &
  operator_pid=$!
  pids+=("$operator_pid")
  until curl -sf "http://127.0.0.1:$3/readyz" >/dev/null 2>&1; do
    kill -0 "$operator_pid" 2>/dev/null || { cat "$dir/$1.operator.err" >&2; echo "operator exited" >&2; exit 2; }
    sleep 0.2
  done
}

mkdir -p "$dir/idle" "$dir/scale"
cp crds/*.yaml hack/dev/crds/*.yaml "$dir/idle/"
cp crds/*.yaml hack/dev/crds/*.yaml "$dir/scale/"
python3 hack/bench/operator_metrics.py generate "$dir/scale" "$pools" "$nodes" "$pods"

# Idle: informers synced on an empty cluster, then 20 s of ticks with nothing to do.
start_cluster idle "$dir/idle"
port=$(free_port) probe=$(free_port)
start_operator idle "$port" "$probe"
sleep 20
idle_rss=$(rss_mb "$operator_pid" VmRSS)
idle_anon=$(rss_mb "$operator_pid" RssAnon) idle_file=$(rss_mb "$operator_pid" RssFile)
binary_file=$(awk '$6 == "'"$(readlink -f "$bin")"'" { found = 1 } found && /^Rss:/ { sum += $2; found = 0 } END { printf "%.1f", sum / 1024 }' "/proc/$operator_pid/smaps")
kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; pids=()
binary_mb=$(stat -c %s "$bin" | awk '{ printf "%.1f", $1 / 1e6 }')
text_mb=$(size -A "$bin" | awk '$1 == ".text" { printf "%.1f", $2 / 1048576 }')
if [ "${IDLE_ONLY:-0}" = 1 ]; then
  printf '| measurement | value | target |\n|---|---|---|\n'
  printf '| operator binary (%s), .text | %s MB, %s MB | |\n' "$bin" "$binary_mb" "$text_mb"
  printf '| operator RSS, idle (empty cluster, informers synced, 20 s) | %s MB | < 30 MB |\n' "$idle_rss"
  printf '| of which anonymous (heap, stacks) / file-backed (binary and shared libraries) / the binary itself | %s / %s / %s MB | |\n' "$idle_anon" "$idle_file" "$binary_file"
  exit 0
fi

# At scale: wait until every pool was reconciled once, let it settle, then measure a steady window.
start_cluster scale "$dir/scale"
port=$(free_port) probe=$(free_port)
start_operator scale "$port" "$probe"
synced_rss=$(rss_mb "$operator_pid" VmRSS)
until [ "$(scrape "$port" | grep -c '^fleetcast_pool_desired_nodes{' || true)" -ge "$pools" ]; do
  kill -0 "$operator_pid" 2>/dev/null || { cat "$dir/scale.operator.err" >&2; exit 2; }
  sleep 0.5
done
sleep $((2 * sync_period))
scrape "$port" >"$dir/before.txt"
cpu_before=$(cpu_ticks "$operator_pid") load_before=$(load_average) window_start=$(date -u +%s)
sleep "$steady_seconds"
scrape "$port" >"$dir/after.txt"
cpu_after=$(cpu_ticks "$operator_pid") load_after=$(load_average) window_end=$(date -u +%s)
scale_rss=$(rss_mb "$operator_pid" VmRSS)
scale_hwm=$(rss_mb "$operator_pid" VmHWM)
summary=$(python3 hack/bench/operator_metrics.py summary "$dir/before.txt" "$dir/after.txt" "$steady_seconds")
value() { sed -n "s/^$1 //p" <<<"$summary"; }

printf '| measurement | value | target |\n|---|---|---|\n'
printf '| operator binary (%s), .text | %s MB, %s MB | |\n' "$bin" "$binary_mb" "$text_mb"
printf '| operator RSS, idle (empty cluster, informers synced, 20 s) | %s MB | < 30 MB |\n' "$idle_rss"
printf '| of which anonymous (heap, stacks) / file-backed (binary and shared libraries) / the binary itself | %s / %s / %s MB | |\n' "$idle_anon" "$idle_file" "$binary_file"
printf '| operator RSS right after sync, %s pods + %s nodes | %s MB | |\n' "$pods" "$nodes" "$synced_rss"
printf '| operator RSS at steady state, %s pools / %s pods / %s nodes | %s MB (peak %s MB) | < 150 MB |\n' "$pools" "$pods" "$nodes" "$scale_rss" "$scale_hwm"
printf '| reconcile p50 / p99, whole run (%s reconciles, first fits included) | %s / %s ms | p99 < 20 ms |\n' \
  "$(value reconciles_total)" "$(value reconcile_p50_ms)" "$(value reconcile_p99_ms)"
printf '| reconcile p50 / p99, steady window (%s reconciles) | %s / %s ms | p99 < 20 ms |\n' \
  "$(value steady_reconciles)" "$(value steady_reconcile_p50_ms)" "$(value steady_reconcile_p99_ms)"
# The operator process's CPU time (user + system, all threads: informers, HTTP, metrics included) over
# the steady window, per steady reconcile: unlike wall-clock latency, it does not grow while a reconcile
# waits for a CPU on a loaded machine.
cpu_ms=$(awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v n="$(value steady_reconciles)" \
  'BEGIN { if (n > 0) printf "%.2f", t * 1000 / hz / n; else print "nan" }')
# Pools use 5-minute forecast bins (the default), aligned to the epoch: the reconciles that open a bin
# also write status (and hand the history to its writer), so a window without a boundary misses them.
printf '| steady window (UTC), 5-minute bin boundaries in it, load average (1/5/15 min) at its start / end | %s–%s, %s, %s / %s | |\n' \
  "$(date -u -d "@$window_start" +%H:%M:%S)" "$(date -u -d "@$window_end" +%H:%M:%S)" "$((window_end / 300 - window_start / 300))" "$load_before" "$load_after"
printf '| steady reconciles over 20 ms | %s | at most 1 %% for p99 < 20 ms |\n' "$(value steady_reconciles_over_20ms)"
printf '| operator CPU time per steady reconcile (whole process, user + system) | %s ms | |\n' "$cpu_ms"
printf '| API requests per minute, steady (%s pools, %s s tick, %s s window) | %s | |\n' "$pools" "$sync_period" "$steady_seconds" "$(value api_requests_per_minute)"
printf '| API requests per steady reconcile | %s | 1 (the scale read) |\n' "$(value api_requests_per_steady_reconcile)"
sed -n 's/^api_requests_per_minute_\([A-Z]*\)_\(.*\) \(.*\)$/| requests per minute, \1 \2 | \3 | |/p' <<<"$summary"
