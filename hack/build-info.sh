#!/usr/bin/env bash
# Bakes the git commit into the binary: writes .build/fleetcast-build-info.h (read by
# Sources/CFleetcastBuildInfo/build_info.c) and touches that C file when the commit changed, so the next
# `swift build` recompiles one file and relinks. Run by every Makefile target that builds.
set -euo pipefail
cd "$(dirname "$0")/.."
commit="$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
header=".build/fleetcast-build-info.h"
content="#define FLEETCAST_COMMIT \"${commit}\""
mkdir -p .build
if [ ! -f "$header" ] || [ "$(cat "$header")" != "$content" ]; then
    printf '%s\n' "$content" > "$header"
    touch Sources/CFleetcastBuildInfo/build_info.c
fi
