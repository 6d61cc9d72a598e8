#!/usr/bin/env bash
# Installs checkov (PyPI), the Kubernetes manifest scanner hack/check-deploy.py runs over the rendered
# deploy/, into a virtual environment under .build/ so it never touches the system Python.
# Idempotent: an existing venv with the pinned version is left alone.
set -euo pipefail

version=3.3.30
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.build/checkov-venv"

if [ -x "$venv/bin/checkov" ] && [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("checkov"))' 2>/dev/null)" = "$version" ]; then
  exit 0
fi
echo "install-checkov: installing checkov $version into $venv" >&2
mkdir -p "$root/.build"
/usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$version"
"$venv/bin/checkov" --version >/dev/null
