// The commit is baked in at build time: `make` (hack/build-info.sh) writes .build/fleetcast-build-info.h
// with FLEETCAST_COMMIT from `git describe --always --dirty` and touches this file when it changes, so
// only this file recompiles. A plain `swift build` without it reports "unknown".
#include "CFleetcastBuildInfo.h"

#if __has_include("../../.build/fleetcast-build-info.h")
#include "../../.build/fleetcast-build-info.h"
#endif

#ifndef FLEETCAST_COMMIT
#define FLEETCAST_COMMIT "unknown"
#endif

const char *fleetcast_build_commit(void) { return FLEETCAST_COMMIT; }
