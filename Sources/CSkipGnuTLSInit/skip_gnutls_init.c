// GnuTLS initializes itself when it is loaded (a library constructor: its ASN.1 trees, random generator,
// system priorities and more). The operator never uses GnuTLS: it is loaded only because Debian's libcurl
// (the OpenSSL flavour) links librtmp and libldap, which link GnuTLS for protocols the operator never speaks.
// The constructor first asks `_gnutls_global_init_skip()` — a weak, exported symbol that GnuTLS calls
// through its PLT, so the executable's definition below is the one it finds — and does nothing when it
// returns non-zero, as it does for GNUTLS_NO_IMPLICIT_INIT=1. A library that does use GnuTLS still calls
// gnutls_global_init() itself first (librtmp and libldap do), so nothing changes for them.
// The executable exports this symbol (`--export-dynamic-symbol`, Package.swift) despite
// `--no-export-dynamic`. Saves the idle operator its GnuTLS pages (docs/benchmarks.md, "Lean operator binary").
#include "CSkipGnuTLSInit.h"

int _gnutls_global_init_skip(void) {
    return 1;
}
