#ifndef CSKIPGNUTLSINIT_H
#define CSKIPGNUTLSINIT_H

/// Defined here so that the process's definition wins over GnuTLS's own weak one (see skip_gnutls_init.c).
/// Nothing in Swift calls it; it is a C target only so that the operator links it.
int _gnutls_global_init_skip(void);

#endif
