#!/usr/bin/env bash
# KubeClient against the virtual cluster, compared with the official Python client on the same server in
# the same run: list+decode of 10,000 pods, watch events/s, informer memory with 10,000 pods + 500 nodes.
# Usage: bash hack/bench/kube-client.sh   (from the repository root; installs the Python client in a venv)
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.build/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import kubernetes' 2>/dev/null || "$venv/bin/pip" install -q 'kubernetes==37.0.2'

source hack/bench/kube-client-server.bash

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
swift_out=$("$bin" client "$dir")
# Informer memory in a fresh process: nothing else has grown its heap first.
informer_out=$("$bin" informer "$dir")
python_out=$("$venv/bin/python" hack/bench/kube-client.py "$dir/kubeconfig" 5)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# All outputs, one "name value" pair per line ($(...) strips trailing newlines, so join them explicitly).
value() { printf '%s\n%s\n%s\n' "$swift_out" "$informer_out" "$python_out" | sed -n "s/^$1 //p"; }

swift_list=$(value list_whole_median_s)
python_list=$(value python_list_median_s)
ratio=$(awk -v p="$python_list" -v s="$swift_list" 'BEGIN { printf "%.1f", p / s }')
printf 'commit %s, load average %s before and %s after\n\n' "$(git rev-parse --short HEAD)" "$load_before" "$load_after"
printf '| measurement | value |\n|---|---|\n'
printf '| list+decode 10,000 pods, KubeClient (one request, median of 7) | %s s |\n' "$swift_list"
printf '| list+decode 10,000 pods, KubeClient (pages of 500, median of 7) | %s s |\n' "$(value list_paged_median_s)"
printf '| list+decode 10,000 pods, Python kubernetes client (median of 5) | %s s |\n' "$python_list"
printf '| speed-up over Python | %s× |\n' "$ratio"
printf '| of which: raw transfer of the %s MB list (server + TLS + libcurl, median of 7) | %s s |\n' "$(value list_body_mb)" "$(value list_transfer_median_s)"
printf '| of which: decode alone, KubeJSONDecoder (median of 7) | %s s |\n' "$(value list_decode_median_s)"
printf '| for comparison: decode alone, Foundation JSONDecoder (median of 3) | %s s |\n' "$(value list_decode_jsondecoder_median_s)"
printf '| watch throughput (10,000 ADDED events, median of 3) | %s events/s |\n' "$(value watch_events_per_s)"
printf '| informer RSS growth, 10,000 pods + 500 nodes synced (own process) | %s MB |\n' "$(value informer_rss_growth_mb)"
printf '| informer process RSS after sync (before: %s MB; peak %s MB) | %s MB |\n' "$(value informer_rss_before_mb)" "$(value informer_process_peak_rss_mb)" "$(value informer_process_rss_mb)"
