#ifndef FLEETCAST_SYSTEM_CRYPTO_H
#define FLEETCAST_SYSTEM_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

// The few things the operator needs from the system's OpenSSL libcrypto, which the process loads anyway
// for libcurl: a self-signed serving certificate and SHA-256. No OpenSSL type appears here, so Swift
// modules that also see swift-nio-ssl's BoringSSL headers can import it.

/// Generates an ECDSA P-256 key and a certificate signed by it, through the system's OpenSSL libcrypto
/// (which libcurl already loads): subject and issuer CN=`common_name`, serial a random 127-bit number,
/// valid from `not_before` to `not_after` (seconds since 1970), basicConstraints CA:FALSE and keyUsage
/// digitalSignature+keyEncipherment (both critical), extendedKeyUsage serverAuth, and the
/// subjectAltName `subject_alt_names` in OpenSSL's syntax ("DNS:localhost,IP:127.0.0.1").
/// On success returns 0 and sets `*certificate_pem` and `*key_pem` (PKCS#8) to strings the caller frees
/// with `free`; on failure returns -1 and writes what failed, with OpenSSL's reason, into `error`.
int fleetcast_self_signed_certificate(const char *common_name, const char *subject_alt_names,
                                      int64_t not_before, int64_t not_after,
                                      char **certificate_pem, char **key_pem,
                                      char *error, size_t error_size);

/// SHA-256 of `length` bytes at `data` into the 32 bytes at `digest`; 0 on success, -1 on failure.
int fleetcast_sha256(const void *data, size_t length, unsigned char *digest);

#endif
