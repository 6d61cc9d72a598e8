#!/usr/bin/env bash
# Profiles KubeClient's decode of a 10,000-pod list with perf: serves the benchmark cluster, saves one
# list body, then records `KubeClientBenchmark decode` on it (KubeJSONDecoder and, for comparison,
# JSONDecoder on the same bytes) and prints the hottest functions, callers included.
# Usage: bash hack/dev/profile-kube-client-decode.sh   (from the repository root; installs linux-perf)
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! dpkg-query -W -f='${Status}' linux-perf 2>/dev/null | grep -q "install ok installed"; then
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends linux-perf >/dev/null
fi

source hack/bench/kube-client-server.bash
server=$(sed -n 's/^ *server: //p' "$dir/kubeconfig")
token=$(sed -n 's/^ *token: //p' "$dir/kubeconfig")
curl -sfk -H "Authorization: Bearer $token" -o "$dir/pods.json" "$server/api/v1/namespaces/default/pods"

perf record -q -g -o "$dir/perf.data" "$bin" decode "$dir/pods.json"
perf report -i "$dir/perf.data" --children --sort symbol -g none --percent-limit 2 2>/dev/null | grep -v '^#' | grep '%' | cut -c1-160
