#!/usr/bin/env bash
# Assembles the operator image's root filesystem in ROOTFS from BINARY: the binary (without its debug
# information), exactly the shared libraries it loads (ldd, with their dynamic loader), tzdata, the CA
# bundle, a passwd/group with the non-root user, and /tmp. Nothing else: no shell, no package manager.
# Used by hack/image/build-image.sh and by the Dockerfile's build stage, so both images hold the same files.
# Usage: assemble-rootfs.sh BINARY ROOTFS
set -euo pipefail
binary=$1 rootfs=$2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=image.env
. "$here/image.env"

[ -x "$binary" ] || { echo "assemble-rootfs: $binary is not an executable" >&2; exit 2; }
command -v strip >/dev/null || { echo "assemble-rootfs: strip not found (install binutils)" >&2; exit 2; }
[ -d /usr/share/zoneinfo ] || { echo "assemble-rootfs: /usr/share/zoneinfo missing (install tzdata)" >&2; exit 2; }
[ -f /etc/ssl/certs/ca-certificates.crt ] || { echo "assemble-rootfs: CA bundle missing (install ca-certificates)" >&2; exit 2; }

mkdir -p "$rootfs"
install -D -m 0755 "$binary" "$rootfs$IMAGE_ENTRYPOINT"
# DWARF is a third of a release binary and unused at run time; the symbol table stays, so crash backtraces
# still name functions.
strip --strip-debug "$rootfs$IMAGE_ENTRYPOINT"
# Every library the dynamic loader resolves for the binary, plus the loader itself, at the same paths.
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u | while read -r library; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done
mkdir -p "$rootfs/usr/share" "$rootfs/etc/ssl/certs"
cp -a /usr/share/zoneinfo "$rootfs/usr/share/zoneinfo"
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/home/nonroot:/sbin/nologin\n' "$IMAGE_USER" "$IMAGE_GROUP" > "$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:%s:\n' "$IMAGE_GROUP" > "$rootfs/etc/group"
mkdir -p "$rootfs/tmp" "$rootfs/home/nonroot"
chmod 1777 "$rootfs/tmp"
chown "$IMAGE_USER:$IMAGE_GROUP" "$rootfs/home/nonroot" 2>/dev/null || true
