#!/usr/bin/env bash
# `make image`: builds the operator image without a container engine, with Debian's umoci: an OCI layout
# at .build/image/oci (tag fleetcast:TAG) and the same as a tar, .build/image/fleetcast-oci.tar. One layer
# holding the root filesystem hack/image/assemble-rootfs.sh puts together for the release binary (static
# Swift standard library), configured from hack/image/image.env.
# Usage: build-image.sh [BINARY]   (default: the release build, made here)   Environment: IMAGE_TAG (default dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/image/image.env
command -v umoci >/dev/null || { echo "build-image: umoci not on PATH: run hack/install-deps.sh" >&2; exit 2; }
tag=${IMAGE_TAG:-dev}
binary=${1:-}
if [ -z "$binary" ]; then
  bash hack/build-info.sh
  swift build -c release --product fleetcast --static-swift-stdlib
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/fleetcast"
fi

out=.build/image
rm -rf "$out/oci" "$out/bundle" "$out/fleetcast-oci.tar"
mkdir -p "$out"
umoci init --layout "$out/oci"
umoci new --image "$out/oci:$tag"
umoci unpack --image "$out/oci:$tag" "$out/bundle" >/dev/null
bash hack/image/assemble-rootfs.sh "$binary" "$out/bundle/rootfs"
umoci repack --image "$out/oci:$tag" "$out/bundle"
config=(--config.user "$IMAGE_USER:$IMAGE_GROUP" --config.entrypoint "$IMAGE_ENTRYPOINT" --config.cmd "$IMAGE_CMD"
        --config.workingdir / --os linux --architecture amd64 --author "Fleetcast"
        --config.label "org.opencontainers.image.title=$IMAGE_NAME"
        --config.label "org.opencontainers.image.revision=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)")
for port in $IMAGE_PORTS; do config+=(--config.exposedports "$port/tcp"); done
umoci config --image "$out/oci:$tag" "${config[@]}"
umoci gc --layout "$out/oci"
rm -rf "$out/bundle"
tar -C "$out/oci" -cf "$out/fleetcast-oci.tar" .
layer_bytes=$(find "$out/oci/blobs" -type f -size +1M -printf '%s\n' | sort -n | tail -1)
echo "build-image: $out/oci:$tag and $out/fleetcast-oci.tar ($(du -k "$out/fleetcast-oci.tar" | cut -f1) KiB; layer $((layer_bytes / 1024)) KiB compressed)"
