/**
 * @file call.h
 * @brief Calling a serverless endpoint (or any HTTP URL) with the client's key, port and timeouts.
 *
 * Firmware reports to its Novita serverless endpoint with one request: the caller's body (JSON or raw
 * bytes, sent from caller memory without a copy) goes to an absolute URL on any host, such as an
 * endpoint's `url` from novita_endpoints_get() or the async gateway's run path
 * `https://async-public.serverless.novita.ai/v1/<endpoint id>-<app name>/run` (REFERENCE 8.11).
 * The request carries `Authorization: Bearer <API key>` like every API call.
 *
 * The response body is either kept in the client's work buffer (it must fit) or streamed to a callback
 * in pieces as it arrives (chunked encoding already removed), so a response far larger than the work
 * buffer can be processed, e.g. written to flash.
 *
 * The client keeps one connection: a call to another host (or port, or scheme) closes the connection to
 * the API and opens one to that host; the next API operation switches back. Calls to the same host
 * reuse the kept-alive connection.
 *
 * A response to HEAD has no body, whatever its Content-Length says (response->body_len is 0).
 *
 * Retries follow the client's rule: a GET or HEAD is retried on transient failures (network, timeout,
 * 429, 502, 503, 504) until body bytes have been handed to the callback; any other method is resent only
 * when it provably never left this device.
 *
 * @code{c}
 * static const char report[] = "{\"input\":{\"temperature\":21.5}}";
 * novita_call_request req = NOVITA_CALL_REQUEST_INIT;
 * novita_call_response resp;
 * req.url = endpoint.url;                  // e.g. from novita_endpoints_get()
 * req.body = report;
 * req.body_len = sizeof report - 1;
 * req.on_body = write_to_flash;            // or NULL to get the body in resp.body
 * if (novita_call(&client, &req, &resp, NULL) == NOVITA_OK)
 *     log("HTTP %d, %u bytes", resp.status, (unsigned)resp.body_len);
 * @endcode
 */
#ifndef NOVITA_CALL_H
#define NOVITA_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Receives the response body of novita_call() in pieces, in order, as they arrive.
 * @param[in] user  novita_call_request.user
 * @param[in] data  the next bytes of the body (valid during the call only)
 * @param[in] len   their number (> 0)
 * @return NOVITA_OK to go on; anything else stops the call, which then returns that value (the
 *         connection is closed).
 */
typedef novita_result (*novita_response_body_fn)(void *user, const uint8_t *data, size_t len);

/** What to send. Initialise with NOVITA_CALL_REQUEST_INIT. */
typedef struct novita_call_request {
    const char *method;       /**< "POST" when NULL; "GET", "PUT", "DELETE", ... (an HTTP token) */
    const char *url;          /**< absolute http:// or https:// URL with path and query, already encoded */
    const char *content_type; /**< type of body (a header value: no control characters); "application/json"
                                   when NULL */
    const void *body;         /**< bytes to send (caller memory, not copied), or NULL for none */
    size_t body_len;          /**< their number */
    novita_response_body_fn on_body; /**< stream the response body here, or NULL to keep it in the
                                          work buffer (then it must fit) */
    void *user;               /**< passed to on_body */
} novita_call_request;

/** A request with nothing set: POST, JSON, no body, body kept in the work buffer. */
#define NOVITA_CALL_REQUEST_INIT { NULL, NULL, NULL, NULL, 0u, NULL, NULL }

/** What came back. */
typedef struct novita_call_response {
    int status;            /**< HTTP status, 0 when no response arrived */
    const uint8_t *body;   /**< on_body NULL: the body in the client's work buffer (not NUL-terminated;
                                valid until the next operation on the client); NULL with on_body */
    size_t body_len;       /**< bytes in body, or bytes passed to on_body */
} novita_call_response;

/**
 * @brief Send one HTTP request to an absolute URL and receive the response (see the file comment).
 * @param[in]  client the client (its API key, port, timeouts and work buffer are used)
 * @param[in]  request what to send; url required
 * @param[out] response status and body; filled as far as the exchange got, also on errors
 * @param[in]  opts   per-call overrides or NULL
 * @return NOVITA_OK for a 2xx status;
 *         NOVITA_ERR_AUTH (401/403), NOVITA_ERR_NOT_FOUND (404), NOVITA_ERR_RATE_LIMITED (429),
 *         NOVITA_ERR_SERVER (5xx), NOVITA_ERR_API (other statuses): the body is still delivered
 *         (to on_body, or in the work buffer up to half its size) and response->status is set;
 *         NOVITA_ERR_INVALID_ARG (NULL arguments, no url, a URL that is not http(s)://host[:port][/path],
 *         a method that is not an upper-case token, a body_len without a body, an empty content_type or
 *         one with a control character);
 *         NOVITA_ERR_BUFFER_TOO_SMALL (the head does not fit the work buffer, a host longer than
 *         NOVITA_HOST_MAX, or without on_body a body larger than the work buffer: novita_error.needed
 *         estimates the size; use on_body);
 *         NOVITA_ERR_NETWORK, NOVITA_ERR_TLS, NOVITA_ERR_TIMEOUT, NOVITA_ERR_PROTOCOL;
 *         NOVITA_ERR_CANCELLED or on_body's own result when on_body stopped the call.
 *         Details are in novita_client_last_error().
 */
NOVITA_NODISCARD novita_result novita_call(novita_client *client, const novita_call_request *request,
                                           novita_call_response *response, const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_CALL_H */
