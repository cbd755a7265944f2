/*
 * HTTP/1.1 request head writer (internal). Percent-encodes the query; never writes past the buffer.
 */
#ifndef NOVITA_HTTP_REQUEST_H
#define NOVITA_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct novita_http_query {
    const char *name;
    const char *value; /* the text to send; NULL or "" sends `number` instead */
    int64_t number;    /* sent in decimal when value is NULL or "" and number > 0; else the parameter is omitted */
} novita_http_query;

/** Where an absolute URL points: "http(s)://host[:port]" plus the path (and query) as given. */
typedef struct novita_url {
    const char *host; /* host_len bytes, not necessarily NUL-terminated */
    size_t host_len;
    uint16_t port;
    bool use_tls;     /* also decides the default port, which Host omits */
    const char *path; /* "/..." to the end of the URL (query included); the first part of the target */
} novita_url;

/** What a request carries and accepts. */
typedef struct novita_http_content {
    const char *content_type; /* NULL = application/json */
    const char *accept;       /* NULL = application/json */
    const uint8_t *body;      /* not NULL: a Content-Length of body_len is sent (the writer never reads it) */
    size_t body_len;
} novita_http_content;

typedef struct novita_http_head {
    const char *method;
    const novita_url *target;  /* host, port, and the path the target starts with */
    const char *path_parts[2]; /* appended to target->path (NULL entries skipped) */
    const novita_http_query *query;
    size_t query_count;
    const char *api_key;
    novita_http_content content;
} novita_http_head;

/**
 * Write the request line and headers into buf. Returns the bytes written, or 0 when they do not fit
 * (*needed then holds the size required). key_at and key_len locate the API key inside the head so a trace
 * can mask it.
 */
size_t novita_http_write_head(uint8_t *buf, size_t cap, const novita_http_head *head, size_t *needed,
                              size_t *key_at, size_t *key_len);

#endif /* NOVITA_HTTP_REQUEST_H */
