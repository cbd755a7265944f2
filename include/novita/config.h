/**
 * @file config.h
 * @brief Every size, capacity and timeout of novita-c, each overridable.
 *
 * Override any value by defining it before including a novita header, on the compiler command line
 * (-DNOVITA_NAME_MAX=64), or in your own header named by NOVITA_CONFIG_FILE
 * (-DNOVITA_CONFIG_FILE='"my_novita_config.h"'). The library and every translation unit that uses it must be
 * built with the same values: they change the size of the model structs.
 */
#ifndef NOVITA_CONFIG_H
#define NOVITA_CONFIG_H

#ifdef NOVITA_CONFIG_FILE
#include NOVITA_CONFIG_FILE
#endif

/* ---- Buffers the caller supplies (recommended sizes; the library takes whatever it is given) ---- */

/** Recommended work buffer size in bytes: holds one request, then the response headers and either the whole
 *  body (single-object calls) or one list element at a time (list calls). */
#ifndef NOVITA_WORK_BUFFER_SIZE
#define NOVITA_WORK_BUFFER_SIZE 16384u
#endif

/** Recommended number of JSON tokens (20 bytes each on a 32-bit target): bounds the tokens of one response
 *  object or one list element, all of it: array elements beyond a member's capacity and fields the library
 *  does not know count too. A response with more fails with NOVITA_ERR_BUFFER_TOO_SMALL naming "token
 *  array" and the number needed. The default holds every model filled to capacity (the largest, an
 *  endpoint, takes 537) with room for unknown fields, except metrics, whose size the query's time range
 *  sets (instances.h, novita_instances_metrics). */
#ifndef NOVITA_JSON_TOKENS
#define NOVITA_JSON_TOKENS 576u
#endif

/* ---- Limits that protect against hostile responses ---- */

/** Largest response header block (status line + headers) accepted, in bytes. */
#ifndef NOVITA_MAX_HEADER_BYTES
#define NOVITA_MAX_HEADER_BYTES 8192u
#endif

/** Deepest JSON nesting accepted by the list scanner (at most 32). */
#ifndef NOVITA_MAX_JSON_DEPTH
#define NOVITA_MAX_JSON_DEPTH 32u
#endif

/* ---- Client configuration strings (copied into the client) ---- */

/** Longest host name in the base URL, including the terminating NUL. */
#ifndef NOVITA_HOST_MAX
#define NOVITA_HOST_MAX 128u
#endif

/** Longest path prefix in the base URL (e.g. "/proxy"), including the NUL. */
#ifndef NOVITA_PATH_PREFIX_MAX
#define NOVITA_PATH_PREFIX_MAX 64u
#endif

/** Longest API key, including the NUL. */
#ifndef NOVITA_API_KEY_MAX
#define NOVITA_API_KEY_MAX 128u
#endif

/* ---- String field capacities of the model structs (bytes, including the NUL) ----
 * Sized for embedded RAM, not for the API's maxima: where the API accepts longer text (given below), a
 * response holding a longer value fails the call with NOVITA_ERR_BUFFER_TOO_SMALL, naming the field (e.g.
 * "envs[].value") and the size it needs, and a list page fails as a whole. Values are never truncated.
 * Raise the capacity if your resources use longer values (an SSH public key in an env, a long command). */

#ifndef NOVITA_ID_MAX
#define NOVITA_ID_MAX 64u /**< resource ids, also image auth ids (the API allows 255; real ids are short) */
#endif
#ifndef NOVITA_NAME_MAX
#define NOVITA_NAME_MAX 128u /**< names of instances (the API allows 255), products, clusters */
#endif
#ifndef NOVITA_IMAGE_URL_MAX
#define NOVITA_IMAGE_URL_MAX 512u /**< container image references (the API allows 500) */
#endif
#ifndef NOVITA_TEXT_MAX
#define NOVITA_TEXT_MAX 256u /**< commands and entrypoints (the API allows 2047), messages, endpoint names
                                  (220), URLs */
#endif
#ifndef NOVITA_ENUM_TEXT_MAX
#define NOVITA_ENUM_TEXT_MAX 32u /**< raw text of enum values (status, billing mode, ...) */
#endif
#ifndef NOVITA_ENV_KEY_MAX
#define NOVITA_ENV_KEY_MAX 64u /**< environment variable names (the API allows 511) */
#endif
#ifndef NOVITA_ENV_VALUE_MAX
#define NOVITA_ENV_VALUE_MAX 128u /**< environment variable values (the API allows 4095) */
#endif
#ifndef NOVITA_ADDRESS_MAX
#define NOVITA_ADDRESS_MAX 128u /**< host:port endpoints, IP addresses, log URLs */
#endif
#ifndef NOVITA_SHORT_MAX
#define NOVITA_SHORT_MAX 48u /**< short strings: timestamps, GPU type names, region names */
#endif

/* ---- Array capacities inside the model structs ---- */

#ifndef NOVITA_MAX_PORTS
#define NOVITA_MAX_PORTS 15u /**< the API allows ports + tools <= 15 */
#endif
#ifndef NOVITA_MAX_ENVS
#define NOVITA_MAX_ENVS 16u
#endif
#ifndef NOVITA_MAX_VOLUMES
#define NOVITA_MAX_VOLUMES 8u
#endif
#ifndef NOVITA_MAX_STRINGS
#define NOVITA_MAX_STRINGS 16u /**< string lists: regions, GPU types, billing methods */
#endif
#ifndef NOVITA_MAX_MONTHLY_PRICES
#define NOVITA_MAX_MONTHLY_PRICES 12u
#endif
#ifndef NOVITA_MAX_INSTANCE_JOBS
#define NOVITA_MAX_INSTANCE_JOBS 4u
#endif
#ifndef NOVITA_MAX_METRIC_POINTS
#define NOVITA_MAX_METRIC_POINTS 32u /**< samples kept per metrics series */
#endif
#ifndef NOVITA_MAX_METRIC_GPUS
#define NOVITA_MAX_METRIC_GPUS 8u
#endif

/* ---- Resource capacities (issue 3 resources) ---- */

/** Capacity of novita_template.readme in bytes, NUL included (the API allows up to 102400). A longer
 *  readme makes get and list fail with NOVITA_ERR_BUFFER_TOO_SMALL naming "template.readme"; at most 65535
 *  (field sizes are 16-bit). */
#ifndef NOVITA_TEMPLATE_README_MAX
#define NOVITA_TEMPLATE_README_MAX 8192u
#endif
/** Port groups kept per template (one group per protocol in practice: "http" and "tcp"). */
#ifndef NOVITA_MAX_TEMPLATE_PORT_GROUPS
#define NOVITA_MAX_TEMPLATE_PORT_GROUPS 4u
#endif
/** Tools kept per template (official templates list e.g. Jupyter). */
#ifndef NOVITA_MAX_TEMPLATE_TOOLS
#define NOVITA_MAX_TEMPLATE_TOOLS 4u
#endif
/** Recommended GPU cards kept per template. */
#ifndef NOVITA_MAX_TEMPLATE_CARDS
#define NOVITA_MAX_TEMPLATE_CARDS 4u
#endif
/** Capacity of a registry user name, NUL included (the API allows 511 characters). */
#ifndef NOVITA_REGISTRY_USERNAME_MAX
#define NOVITA_REGISTRY_USERNAME_MAX 512u
#endif
/** Capacity of a registry password or token, NUL included (the API allows 1024 characters). */
#ifndef NOVITA_REGISTRY_PASSWORD_MAX
#define NOVITA_REGISTRY_PASSWORD_MAX 1025u
#endif
/** Addresses kept per network (one per attached instance); more are counted in address_total. */
#ifndef NOVITA_MAX_NETWORK_ADDRESSES
#define NOVITA_MAX_NETWORK_ADDRESSES 16u
#endif
/** Products a prewarm task keeps (`products[]`); more are counted in product_total. */
#ifndef NOVITA_MAX_PREWARM_PRODUCTS
#define NOVITA_MAX_PREWARM_PRODUCTS 16u
#endif
/** Workers of one endpoint kept by novita_endpoint (more are counted in worker_total). */
#ifndef NOVITA_MAX_ENDPOINT_WORKERS
#define NOVITA_MAX_ENDPOINT_WORKERS 16u
#endif
/** Products of one endpoint kept by novita_endpoint and accepted by novita_endpoint_config_from(). */
#ifndef NOVITA_MAX_ENDPOINT_PRODUCTS
#define NOVITA_MAX_ENDPOINT_PRODUCTS 8u
#endif
/** Volume mounts of one endpoint kept by novita_endpoint. */
#ifndef NOVITA_MAX_ENDPOINT_VOLUMES
#define NOVITA_MAX_ENDPOINT_VOLUMES 8u
#endif
/** Ports of one endpoint kept by novita_endpoint (the docs allow one; a few more are tolerated). */
#ifndef NOVITA_MAX_ENDPOINT_PORTS
#define NOVITA_MAX_ENDPOINT_PORTS 4u
#endif
/** Longest invoice URL of a monthly bill, including the NUL (signed download links can be long). */
#ifndef NOVITA_INVOICE_URL_MAX
#define NOVITA_INVOICE_URL_MAX 512u
#endif

/* ---- Pagination ---- */

#ifndef NOVITA_LIST_PAGE_SIZE
#define NOVITA_LIST_PAGE_SIZE 50u /**< page size of all-pages walks when the filter sets none */
#endif
#ifndef NOVITA_LIST_MAX_PAGES
#define NOVITA_LIST_MAX_PAGES 100000u /**< an all-pages walk gives up (NOVITA_ERR_PROTOCOL) after this many */
#endif

/* ---- Timeouts and retries (milliseconds) ---- */

#ifndef NOVITA_CONNECT_TIMEOUT_MS
#define NOVITA_CONNECT_TIMEOUT_MS 10000u /**< TCP connect + TLS handshake */
#endif
#ifndef NOVITA_IO_TIMEOUT_MS
#define NOVITA_IO_TIMEOUT_MS 30000u /**< longest silence while sending or receiving */
#endif
#ifndef NOVITA_DEADLINE_MS
#define NOVITA_DEADLINE_MS 60000u /**< whole exchange, all attempts included; 0 = none */
#endif
#ifndef NOVITA_MAX_RETRIES
#define NOVITA_MAX_RETRIES 3u /**< extra attempts for requests that are safe to resend */
#endif

#endif /* NOVITA_CONFIG_H */
