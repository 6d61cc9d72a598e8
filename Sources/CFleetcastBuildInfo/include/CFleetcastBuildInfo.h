#ifndef C_FLEETCAST_BUILD_INFO_H
#define C_FLEETCAST_BUILD_INFO_H

/// The git commit the binary was built from ("unknown" when built without `make`).
const char *fleetcast_build_commit(void);

#endif
