/**
 * @file result.h
 * @brief The one result type of novita-c and the error details that go with it.
 */
#ifndef NOVITA_RESULT_H
#define NOVITA_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "novita/config.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NOVITA_NODISCARD __attribute__((warn_unused_result))
#else
#define NOVITA_NODISCARD
#endif

/** Outcome of every fallible novita-c function. Zero is success; every error is negative. */
typedef enum novita_result {
    NOVITA_OK = 0,
    NOVITA_ERR_INVALID_ARG = -1,      /**< a NULL pointer, an empty required string, a bad option value */
    NOVITA_ERR_BUFFER_TOO_SMALL = -2, /**< a caller buffer was too small: novita_error.what names it,
                                           novita_error.needed gives the size when it is known */
    NOVITA_ERR_DECODE = -3,           /**< the response JSON was malformed or did not fit the model:
                                           novita_error.what names the field */
    NOVITA_ERR_PROTOCOL = -4,         /**< the HTTP response was malformed */
    NOVITA_ERR_NETWORK = -5,          /**< name resolution, connect, reset or early close (also a response
                                           cut short: "truncated body") */
    NOVITA_ERR_TLS = -6,              /**< TLS handshake or certificate verification failed */
    NOVITA_ERR_TIMEOUT = -7,          /**< connect, inactivity or overall deadline expired */
    NOVITA_ERR_AUTH = -8,             /**< HTTP 401 or 403 */
    NOVITA_ERR_NOT_FOUND = -9,        /**< HTTP 404, or 400 with a *_NOT_FOUND reason / "not found" message */
    NOVITA_ERR_RATE_LIMITED = -10,    /**< HTTP 429 (after the retries the policy allows) */
    NOVITA_ERR_SERVER = -11,          /**< HTTP 5xx (after the retries the policy allows) */
    NOVITA_ERR_API = -12,             /**< any other non-2xx status: see novita_error */
    NOVITA_ERR_CANCELLED = -13,       /**< a caller callback asked to stop */
    NOVITA_ERR_INSTANCE_FAILED = -14  /**< a wait ended because the instance reported statusError */
} novita_result;

/**
 * Details of the last failure, kept in the client (caller memory) and overwritten by each call.
 * Every string is NUL-terminated and truncated to fit. The API key never appears in any of them: a server
 * that echoes it (whole, or cut off at the end of a field) gets "***" in its place, and control characters
 * from a server's texts become spaces, so the texts are safe to log.
 */
typedef struct novita_error {
    novita_result result;                 /**< the code the failing call returned */
    int http_status;                      /**< HTTP status of the response, 0 when none was received */
    char reason[64];                      /**< API `reason` (e.g. "TEMPLATE_NOT_FOUND"), or "" */
    char message[NOVITA_TEXT_MAX];        /**< API `message` (or `error`), else the start of the raw body,
                                               else a description of a local failure */
    char what[64];                        /**< the buffer or field concerned, for BUFFER_TOO_SMALL and DECODE */
    size_t needed;                        /**< bytes the buffer named by `what` needs; 0 when unknown */
    int32_t port_code;                    /**< last port result (novita_port_status) for NETWORK/TLS/TIMEOUT */
    uint8_t attempts;                     /**< attempts made, retries included (255 means 255 or more) */
} novita_error;

/**
 * @brief Short English description of a result code.
 * @param[in] result any value of novita_result
 * @return a static NUL-terminated string; "unknown error" for a value outside the enum. Never NULL.
 */
const char *novita_strerror(novita_result result);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_RESULT_H */
