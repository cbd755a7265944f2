/* HTTP/1.1 request head writer. */
#include "http_request.h"

#include <string.h>

#include "json_write.h"
#include "novita/client.h"

typedef struct appender {
    uint8_t *buf;
    size_t cap;
    size_t len; /* keeps counting past cap so the caller learns the size needed */
} appender;

static void put(appender *a, const char *s, size_t n)
{
    if (a->len < a->cap) {
        size_t room = a->cap - a->len;
        memcpy(a->buf + a->len, s, n < room ? n : room);
    }
    a->len += n;
}

static void put_str(appender *a, const char *s)
{
    put(a, s, strlen(s));
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static void put_encoded(appender *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (unreserved(c)) {
            put(a, s, 1);
        } else {
            char esc[3] = { '%', hex[c >> 4], hex[c & 0xFu] };
            put(a, esc, 3);
        }
    }
}

size_t novita_percent_encode(const char *s, char *out, size_t cap)
{
    appender a = { (uint8_t *)out, cap, 0 };
    put_encoded(&a, s);
    return a.len;
}

static void put_number(appender *a, uint64_t v)
{
    char text[NOVITA_I64_TEXT_MAX];
    size_t n = novita_format_i64(text, (int64_t)v);
    put(a, text, n);
}

static void put_target(appender *a, const novita_http_head *h)
{
    bool first = true;
    for (size_t i = 0; i < 3; i++) {
        if (h->path_parts[i])
            put_str(a, h->path_parts[i]);
    }
    for (size_t i = 0; i < h->query_count; i++) {
        const novita_http_query *q = &h->query[i];
        if (!q->value || !q->value[0])
            continue;
        put(a, first ? "?" : "&", 1);
        first = false;
        put_encoded(a, q->name);
        put(a, "=", 1);
        put_encoded(a, q->value);
    }
}

size_t novita_http_write_head(uint8_t *buf, size_t cap, const novita_http_head *h, size_t *needed,
                              size_t *key_at, size_t *key_len)
{
    appender a = { buf, cap, 0 };
    put_str(&a, h->method);
    put(&a, " ", 1);
    put_target(&a, h);
    put_str(&a, " HTTP/1.1\r\nHost: ");
    put(&a, h->host, h->host_len);
    if (!h->default_port) {
        put(&a, ":", 1);
        put_number(&a, h->port);
    }
    put_str(&a, "\r\nAuthorization: Bearer ");
    *key_at = a.len;
    *key_len = strlen(h->api_key);
    put_str(&a, h->api_key);
    /* The docs mark Content-Type as required on every request, GETs included. */
    put_str(&a, "\r\nContent-Type: ");
    put_str(&a, h->content_type ? h->content_type : "application/json");
    put_str(&a, "\r\nAccept: ");
    put_str(&a, h->accept ? h->accept : "application/json");
    put_str(&a, "\r\nUser-Agent: novita-c/" NOVITA_VERSION_STRING "\r\nConnection: keep-alive\r\n");
    if (h->has_body) {
        put_str(&a, "Content-Length: ");
        put_number(&a, h->body_len);
        put_str(&a, "\r\n");
    }
    put_str(&a, "\r\n");
    *needed = a.len;
    return a.len <= cap ? a.len : 0;
}
