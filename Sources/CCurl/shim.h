// Non-variadic wrappers for libcurl's variadic entry points, which Swift cannot call directly.
// Each wrapper fixes the type of the third argument so the C calling convention is honoured.
#ifndef FLEETCAST_CCURL_SHIM_H
#define FLEETCAST_CCURL_SHIM_H

#include <curl/curl.h>

/// A libcurl write or header callback: (data, size, count, userdata) -> bytes consumed.
typedef size_t (*fleetcast_curl_data_callback)(char *, size_t, size_t, void *);
/// A libcurl read callback: (buffer, size, count, userdata) -> bytes produced.
typedef size_t (*fleetcast_curl_read_callback)(char *, size_t, size_t, void *);
/// A libcurl transfer-info callback: (userdata, dltotal, dlnow, ultotal, ulnow) -> non-zero aborts.
typedef int (*fleetcast_curl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

static inline CURLcode fleetcast_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_write_callback(CURL *handle, CURLoption option, fleetcast_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fleetcast_easy_setopt_read_callback(CURL *handle, fleetcast_curl_read_callback value) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, value);
}

static inline CURLcode fleetcast_easy_setopt_xferinfo_callback(CURL *handle, fleetcast_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode fleetcast_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fleetcast_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fleetcast_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode fleetcast_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// `CURLMsg.data.result` lives in a union, which Swift imports awkwardly; read it here.
static inline CURLcode fleetcast_multi_message_result(CURLMsg *message) {
    return message->data.result;
}

#endif
