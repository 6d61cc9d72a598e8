#include "system_crypto.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// The contents of a memory BIO as a NUL-terminated string the caller frees.
static char *bio_string(BIO *bio) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (length <= 0 || data == NULL) return NULL;
    char *copy = malloc((size_t)length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, data, (size_t)length);
    copy[length] = '\0';
    return copy;
}

/// Adds one extension given in OpenSSL's configuration syntax ("critical,CA:FALSE").
static int add_extension(X509 *certificate, int nid, const char *value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, &context, nid, value);
    if (extension == NULL) return 0;
    int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    return added;
}

int fleetcast_self_signed_certificate(const char *common_name, const char *subject_alt_names,
                                      int64_t not_before, int64_t not_after,
                                      char **certificate_pem, char **key_pem,
                                      char *error, size_t error_size) {
    const char *step = "generate the P-256 key";
    int ok = 0;
    EVP_PKEY *key = NULL;
    X509 *certificate = NULL;
    X509_NAME *name = NULL;
    BIGNUM *serial = NULL;
    BIO *certificate_bio = NULL, *key_bio = NULL;
    *certificate_pem = NULL;
    *key_pem = NULL;
    ERR_clear_error();

    if ((key = EVP_EC_gen("P-256")) == NULL) goto done;
    step = "build the certificate";
    if ((certificate = X509_new()) == NULL || !X509_set_version(certificate, X509_VERSION_3)) goto done;
    if ((serial = BN_new()) == NULL || !BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY)) goto done;
    if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) == NULL) goto done;
    if (ASN1_TIME_set(X509_getm_notBefore(certificate), (time_t)not_before) == NULL) goto done;
    if (ASN1_TIME_set(X509_getm_notAfter(certificate), (time_t)not_after) == NULL) goto done;
    if (!X509_set_pubkey(certificate, key)) goto done;
    name = X509_get_subject_name(certificate);
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0)) goto done;
    if (!X509_set_issuer_name(certificate, name)) goto done;
    step = "add the certificate's extensions";
    if (!add_extension(certificate, NID_basic_constraints, "critical,CA:FALSE")) goto done;
    if (!add_extension(certificate, NID_key_usage, "critical,digitalSignature,keyEncipherment")) goto done;
    if (!add_extension(certificate, NID_ext_key_usage, "serverAuth")) goto done;
    if (!add_extension(certificate, NID_subject_alt_name, subject_alt_names)) goto done;
    step = "sign the certificate";
    if (!X509_sign(certificate, key, EVP_sha256())) goto done;
    step = "write the certificate and key as PEM";
    if ((certificate_bio = BIO_new(BIO_s_mem())) == NULL || (key_bio = BIO_new(BIO_s_mem())) == NULL) goto done;
    if (!PEM_write_bio_X509(certificate_bio, certificate)) goto done;
    if (!PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL)) goto done;
    *certificate_pem = bio_string(certificate_bio);
    *key_pem = bio_string(key_bio);
    ok = *certificate_pem != NULL && *key_pem != NULL;

done:
    if (!ok) {
        unsigned long code = ERR_get_error();
        char reason[200] = "";
        if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
        snprintf(error, error_size, "cannot %s%s%s", step, code != 0 ? ": " : "", reason);
        free(*certificate_pem);
        free(*key_pem);
        *certificate_pem = NULL;
        *key_pem = NULL;
    }
    ERR_clear_error();
    BIO_free(certificate_bio);
    BIO_free(key_bio);
    BN_free(serial);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return ok ? 0 : -1;
}

int fleetcast_sha256(const void *data, size_t length, unsigned char *digest) {
    unsigned int size = 0;
    return EVP_Digest(data, length, digest, &size, EVP_sha256(), NULL) == 1 && size == 32 ? 0 : -1;
}
