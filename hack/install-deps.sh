#!/usr/bin/env bash
# Installs the system packages Fleetcast's build and tests need. Idempotent: when everything is
# already present it checks with dpkg and returns without touching apt.
set -euo pipefail

packages=(
  libcurl4-openssl-dev   # CCurl: the Kubernetes client's transport
  pkg-config             # SwiftPM finds libcurl through pkg-config
  libyaml-dev            # not strictly needed (Yams vendors libyaml) but keeps tools consistent
  python3-yaml           # hack/check-deploy.py reads the rendered deploy/ manifests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
