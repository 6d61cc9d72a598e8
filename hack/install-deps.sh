#!/usr/bin/env bash
# Installs the system packages Fleetcast's build and tests need. Idempotent: when everything is
# already present it checks with dpkg and returns without touching apt.
set -euo pipefail

packages=(
  libcurl4-openssl-dev   # CCurl: the Kubernetes client's transport
  libssl-dev             # CSystemCrypto: the self-signed metrics certificate and SHA-256 through libcrypto (libcurl loads it anyway)
  openssl                # ServingCertificateTests read the generated certificate back with `openssl x509`
  pkg-config             # SwiftPM finds libcurl through pkg-config
  libyaml-dev            # not strictly needed (Yams vendors libyaml) but keeps tools consistent
  python3-yaml           # hack/check-deploy.py reads the rendered deploy/ manifests
  python3-venv           # hack/install-checkov.sh puts checkov (PyPI) in a venv under .build/
  curl                   # the secure-metrics tests scrape over TLS with the real curl
  umoci                  # make image: the operator's OCI image without a container engine (hack/image/)
  prometheus             # promtool (lints /metrics, check/test rules, builds TSDB blocks) and the prometheus server
                         # the Prometheus-demand tests and hack/observability/ start on loopback ports
  faketime               # the chaos soak (hack/soak/soak.py) runs one operator replica with its clock skewed
)

# Debian's prometheus package ships /usr/bin/promtool and /usr/bin/prometheus; fail loudly if they did not land.
check_promtool() {
  command -v promtool >/dev/null 2>&1 || { echo "install-deps: promtool not on PATH after installing prometheus" >&2; exit 1; }
  command -v prometheus >/dev/null 2>&1 || { echo "install-deps: prometheus not on PATH after installing prometheus" >&2; exit 1; }
}

# Helm 4's Go library for the chart tests (hack/helm/test-chart.py, hack/check-deploy.py --chart): PyPI's
# helm-python-sdk bundles it as libhelm_c.so, so no helm binary is needed. Kept in a venv under .build/.
install_helm_sdk() {
  local root venv
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  venv="$root/.build/helm-venv"
  "$venv/bin/python" -c 'import helm_python, yaml' >/dev/null 2>&1 && return 0
  echo "install-deps: installing helm-python-sdk into $venv" >&2
  mkdir -p "$root/.build"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "helm-python-sdk==0.2.2" "PyYAML>=6"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# checkov (PyPI) for hack/check-deploy.py, in a venv under .build/ (idempotent).
install_checkov() {
  bash "$(dirname "$0")/install-checkov.sh"
}

if [ ${#missing[@]} -eq 0 ]; then
  check_promtool
  install_helm_sdk
  install_checkov
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
# RUNLEVEL=1: invoke-rc.d then does not start the packaged Prometheus service; tests start their own servers.
$SUDO env RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
check_promtool
install_helm_sdk
install_checkov
