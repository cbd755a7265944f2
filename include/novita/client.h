/**
 * @file client.h
 * @brief The client context that every operation takes: configuration, the port, and the caller's buffers.
 *
 * @code{c}
 * static uint8_t work[NOVITA_WORK_BUFFER_SIZE];
 * static novita_json_token tokens[NOVITA_JSON_TOKENS];
 * static novita_client client;
 * novita_client_config cfg;
 * novita_client_config_init(&cfg);
 * cfg.api_key = "sk_...";
 * if (novita_client_init(&client, &cfg, port, work, sizeof work, tokens, NOVITA_JSON_TOKENS) != NOVITA_OK) {
 *     // novita_client_last_error(&client)->message says why
 * }
 * @endcode
 *
 * One client serves one task at a time: it holds one connection, which it keeps alive across calls.
 */
#ifndef NOVITA_CLIENT_H
#define NOVITA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/config.h"
#include "novita/port.h"
#include "novita/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Library version, also sent in the User-Agent header. */
#define NOVITA_VERSION_STRING "0.1.0"

/** Default host root. */
#define NOVITA_DEFAULT_BASE_URL "https://api.novita.ai"

/** Storage for one jsmn token (jsmn built with JSMN_PARENT_LINKS: type, start, end, size, parent).
 *  Give the client an array of these; the library checks at compile time that the layouts agree. */
typedef struct novita_json_token {
    int32_t storage[5];
} novita_json_token;

/** Receives trace text when verbose logging is on: request lines and headers (the API key masked),
 *  response status lines. `text` is not NUL-terminated; a line ends with '\n'. */
typedef void (*novita_log_fn)(void *ctx, const char *text, size_t len);

/** Client settings. Fill with novita_client_config_init(), then change what you need. */
typedef struct novita_client_config {
    const char *base_url;        /**< host root, "https://host[:port][/prefix]" or "http://..."; NULL = default.
                                      The host is a name, an IPv4 address or a bracketed IPv6 literal
                                      ("http://[::1]:8080"); user info and fragments are refused */
    const char *api_key;         /**< bearer key (required; copied into the client; no spaces or control
                                      characters) */
    uint32_t connect_timeout_ms; /**< TCP connect + TLS handshake */
    uint32_t io_timeout_ms;      /**< longest silence while sending or receiving */
    uint32_t deadline_ms;        /**< whole request including retries (each page of an all-pages list walk
                                      is one request); 0 = no overall deadline */
    uint8_t max_retries;         /**< extra attempts for requests that are safe to resend */
    uint32_t retry_base_ms;      /**< first backoff delay; doubles per attempt, with jitter */
    uint32_t retry_max_ms;       /**< cap of one backoff delay (also caps Retry-After) */
    novita_log_fn log;           /**< trace hook, or NULL */
    void *log_ctx;               /**< passed to log */
} novita_client_config;

/** Per-call overrides: pass to any operation (NULL = the client's settings). Start from
 *  NOVITA_CALL_OPTS_INIT (everything inherited), then set what this call needs:
 *  @code{c}
 *  novita_call_opts quick = NOVITA_CALL_OPTS_INIT;
 *  quick.io_timeout_ms = 2000;
 *  @endcode
 *  Note that max_retries 0 means "no retries", not "inherit". */
typedef struct novita_call_opts {
    uint32_t io_timeout_ms;  /**< 0 = client's */
    uint32_t deadline_ms;    /**< 0 = client's */
    int16_t max_retries;     /**< -1 = client's; 0 = no retries */
} novita_call_opts;

/** Per-call options that change nothing. */
#define NOVITA_CALL_OPTS_INIT { 0u, 0u, -1 }

/** The client. All members are private: use the functions below. Caller-allocated (static or on a task
 *  stack sized for it). */
typedef struct novita_client {
    char host[NOVITA_HOST_MAX];
    char path_prefix[NOVITA_PATH_PREFIX_MAX];
    char api_key[NOVITA_API_KEY_MAX];
    uint16_t port_number;
    bool use_tls;
    bool connected;
    char conn_host[NOVITA_HOST_MAX]; /* where the open connection goes (the API host or a call's host) */
    uint16_t conn_port;
    bool conn_tls;
    novita_client_config config; /* base_url/api_key pointers cleared after copying */
    novita_port *port;
    uint8_t *work;
    size_t work_size;            /* usable part of the work buffer (its tail holds exchange_state) */
    void *exchange_state;        /* one exchange's parser and list-scanner state, in the work buffer */
    novita_json_token *tokens;
    size_t token_count;
    novita_error error;
    uint32_t rng_state;
    uint32_t connections_opened; /* for tests and diagnostics */
} novita_client;

/**
 * @brief Fill a config with the defaults of config.h (base URL NULL = NOVITA_DEFAULT_BASE_URL).
 * @param[out] cfg config to fill; ignored when NULL.
 */
void novita_client_config_init(novita_client_config *cfg);

/**
 * @brief Initialise a client. Copies the host, path prefix and API key; borrows port and buffers.
 * @param[out] client     client to initialise (caller memory; lives as long as it is used)
 * @param[in]  cfg        settings; read during the call only
 * @param[in]  port       the port to use; must outlive the client
 * @param[in]  work       work buffer for requests and responses (caller-owned, not copied; must outlive the
 *                        client; NOVITA_WORK_BUFFER_SIZE recommended). Its last bytes (about 460 on a
 *                        32-bit target, 690 on a 64-bit one) hold the state of the operation in progress,
 *                        kept off the task stack; the rest, at least 1024 bytes, holds requests and responses
 * @param[in]  work_size  its size in bytes
 * @param[in]  tokens     jsmn token storage (caller-owned, must outlive the client)
 * @param[in]  token_count number of tokens (at least 16)
 * @return NOVITA_OK;
 *         NOVITA_ERR_INVALID_ARG for NULL arguments, a missing API key or one with a space or control
 *         character (a trailing newline from fgets, say), or a base URL that is not
 *         http(s)://host[:port][/prefix] (error message says which);
 *         NOVITA_ERR_BUFFER_TOO_SMALL when the host, prefix or key exceeds NOVITA_HOST_MAX,
 *         NOVITA_PATH_PREFIX_MAX or NOVITA_API_KEY_MAX, or work/tokens are below the minimum.
 *         On error, details are in novita_client_last_error(client) when client is not NULL.
 */
NOVITA_NODISCARD novita_result novita_client_init(novita_client *client, const novita_client_config *cfg,
                                                  novita_port *port, uint8_t *work, size_t work_size,
                                                  novita_json_token *tokens, size_t token_count);

/**
 * @brief Close the connection the client keeps open, if any. The client stays usable (the next call
 *        reconnects). Call before discarding the client.
 * @param[in,out] client the client; ignored when NULL
 */
void novita_client_close(novita_client *client);

/**
 * @brief Details of the last failure (API status, reason and message; which buffer or field; attempts).
 * @param[in] client the client
 * @return pointer into the client (valid until the next call on it); never NULL for a non-NULL client.
 */
const novita_error *novita_client_last_error(const novita_client *client);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_CLIENT_H */
