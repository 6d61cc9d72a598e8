# Sourced (not run: `make bench` runs only *.sh) by hack/bench/kube-client.sh and
# hack/dev/profile-kube-client-decode.sh: builds KubeClientBenchmark in release, serves its virtual cluster
# (10,000 pods, 500 nodes) from a temporary directory and waits for the kubeconfig. Sets `bin` and `dir`;
# an EXIT trap stops the server and removes the directory.
swift build -c release --product KubeClientBenchmark >/dev/null
bin=$(swift build -c release --show-bin-path)/KubeClientBenchmark

dir=$(mktemp -d)
server_pid=
cleanup() {
  touch "$dir/stop"
  if [ -n "$server_pid" ]; then wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
"$bin" serve "$dir" &
server_pid=$!
while [ ! -s "$dir/kubeconfig" ]; do
  kill -0 "$server_pid" 2>/dev/null || { echo "server exited" >&2; exit 2; }
  sleep 0.2
done
