#!/usr/bin/env bash
# `make image-test`: runs the image `make image` built, from its unpacked root filesystem as its non-root
# user (umoci unpack, then chroot --userspec in fresh mount and PID namespaces with their own /proc, as a
# container runtime would set it up: Swift reads its arguments from /proc/self/cmdline; no container engine): `fleetcast --version`, then
# `fleetcast operator` against a `fleetcast-dev dev-cluster` on loopback until it reconciles a pool whose schedule is in
# Europe/Berlin (so tzdata in the image is used) and /readyz answers. Needs root for chroot.
# Usage: test-image.sh   Environment: IMAGE_TAG (default dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/image/image.env
tag=${IMAGE_TAG:-dev}
layout=.build/image/oci
[ -d "$layout" ] || { echo "image-test: $layout missing: run make image" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "image-test: chroot needs root" >&2; exit 2; }

dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "image-test: FAIL: $*" >&2; for f in "$dir"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; exit 1; }

umoci unpack --image "$layout:$tag" "$dir/bundle" >/dev/null
rootfs="$dir/bundle/rootfs"
config=$(cat "$dir/bundle/config.json")
python3 - "$dir/bundle/config.json" "$IMAGE_USER" "$IMAGE_ENTRYPOINT" "$IMAGE_CMD" <<'PY' || fail "the runtime config does not match hack/image/image.env"
import json, sys
config = json.load(open(sys.argv[1]))
process = config["process"]
assert process["user"]["uid"] == int(sys.argv[2]), process["user"]
assert process["args"] == [sys.argv[3], sys.argv[4]], process["args"]
PY
[ ! -e "$rootfs/bin/sh" ] && [ ! -e "$rootfs/usr/bin/apt" ] || fail "the image carries a shell or a package manager"
mkdir -p "$rootfs/proc"
in_image() { unshare --mount --pid --fork --mount-proc="$rootfs/proc" chroot --userspec="$IMAGE_USER:$IMAGE_GROUP" "$rootfs" "$IMAGE_ENTRYPOINT" "$@"; }

version=$(in_image --version) || fail "fleetcast --version failed in the image"
echo "image-test: fleetcast --version in the image as $IMAGE_USER: $version"
case "$version" in 0.*" (commit "*", Swift "*")") ;; *) fail "unexpected version line: $version" ;; esac

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The dev-cluster is fleetcast-dev (the developer tools are not in the image), run outside the chroot (it reads
# the CRDs from the checkout); the debug build is enough for a test cluster.
swift build --product fleetcast-dev >/dev/null
dev_tools="$(swift build --show-bin-path)/fleetcast-dev"
"$dev_tools" dev-cluster --listen 127.0.0.1:0 --kubeconfig-out "$dir/kubeconfig" >"$dir/dev-cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do [ -s "$dir/kubeconfig" ] && break; sleep 0.2; done
[ -s "$dir/kubeconfig" ] || fail "dev-cluster wrote no kubeconfig"
kubectl() { command kubectl --kubeconfig "$dir/kubeconfig" --cache-dir "$dir/cache" "$@"; }
cat > "$dir/pool.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: gpu}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: a100, namespace: gpu}
spec: {clusterName: dev, replicas: 0}
---
apiVersion: fleetcast.dev/v1alpha1
kind: GPUPool
metadata: {name: a100, namespace: gpu}
spec:
  nodes: {selector: {matchLabels: {fleetcast.dev/pool: a100}}, gpusPerNode: 8, min: 2, max: 10}
  target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
  demand: {pods: {selector: {matchLabels: {app: train}}}}
  schedules:
  - {name: nightly, cron: "0 2 * * *", timeZone: Europe/Berlin, duration: 3h, gpus: 16}
YAML
kubectl apply -f "$dir/pool.yaml" >/dev/null || fail "kubectl apply"
install -m 0644 "$dir/kubeconfig" "$rootfs/tmp/kubeconfig"
probe=$(free_port)
in_image operator --kubeconfig /tmp/kubeconfig \
  --metrics-bind-address 0 --health-probe-bind-address "127.0.0.1:$probe" --sync-period-seconds 1 >"$dir/operator.log" 2>&1 &
operator=$!
pids+=($operator)
reconciled=""
for _ in $(seq 1 300); do
  kill -0 "$operator" 2>/dev/null || fail "the operator exited in the image"
  if [ "$(kubectl get md a100 -n gpu -o jsonpath='{.spec.replicas}')" = "2" ] \
     && [ -n "$(kubectl get gpupool a100 -n gpu -o jsonpath='{.status.nextSchedule.startsAt}')" ]; then reconciled=yes; break; fi
  sleep 0.2
done
[ -n "$reconciled" ] || fail "the pool was not reconciled (replicas 2, next schedule in Europe/Berlin)"
# The operator is a descendant of the background job (subshell → unshare → fleetcast).
descendants() { local child; for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done; }
operator_pid=""
for pid in $(descendants "$operator"); do [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = fleetcast ] && operator_pid=$pid; done
[ -n "$operator_pid" ] || fail "no fleetcast process under unshare"
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$operator_pid/status")
[ "$uid" = "$IMAGE_USER" ] || fail "the operator runs as uid $uid, not $IMAGE_USER"
[ "$(curl -sf "http://127.0.0.1:$probe/readyz")" = "ok" ] || fail "/readyz"
echo "image-test: the operator in the image, uid $uid, reconciled gpu/a100 (next schedule $(kubectl get gpupool a100 -n gpu -o jsonpath='{.status.nextSchedule.startsAt}')); /readyz ok"
kill -TERM "$operator_pid"; wait "$operator" || fail "the operator did not exit 0 on SIGTERM"
echo "image-test: ok"
