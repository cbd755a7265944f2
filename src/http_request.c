/* HTTP/1.1 request head writer. Byte by byte: a head is a few hundred bytes, and small code matters more. */
#include "http_request.h"

#include "json_write.h"
#include "novita/client.h"

typedef struct appender {
    uint8_t *buf;
    size_t cap;
    size_t len; /* keeps counting past cap so the caller learns the size needed */
} appender;

static void put_byte(appender *a, char c)
{
    if (a->len < a->cap) {
        a->buf[a->len] = (uint8_t)c;
    }
    a->len++;
}

static void put(appender *a, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put_byte(a, s[i]);
    }
}

static void put_str(appender *a, const char *s)
{
    for (; *s != '\0'; s++) {
        put_byte(a, *s);
    }
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static char hex_digit(unsigned v)
{
    v &= 0xFu;
    return (char)(v < 10u ? (unsigned)'0' + v : (unsigned)'A' - 10u + v);
}

static void put_encoded(appender *a, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (unreserved(c)) {
            put_byte(a, (char)c);
        } else {
            put_byte(a, '%');
            put_byte(a, hex_digit(c >> 4));
            put_byte(a, hex_digit(c));
        }
    }
}

static void put_number(appender *a, int64_t v)
{
    char text[NOVITA_I64_TEXT_MAX];
    put(a, text, novita_format_i64(text, v));
}

static void put_target(appender *a, const novita_http_head *h)
{
    char sep = '?';
    put_str(a, h->target->path);
    for (size_t i = 0; i < 2; i++) {
        if (h->path_parts[i]) {
            put_str(a, h->path_parts[i]);
        }
    }
    for (size_t i = 0; i < h->query_count; i++) {
        const novita_http_query *q = &h->query[i];
        bool has_text = q->value && q->value[0];
        if (!has_text && q->number <= 0) {
            continue;
        }
        put_byte(a, sep);
        sep = '&';
        put_encoded(a, q->name);
        put_byte(a, '=');
        if (has_text) {
            put_encoded(a, q->value);
        } else {
            put_number(a, q->number);
        }
    }
}

/* The head, with a control byte (1-7) where write_head inserts a field. Content-Type goes on every request,
 * GETs included: the docs mark it as required. */
static const char k_head[] = "\1 \2 HTTP/1.1\r\nHost: \3\r\nAuthorization: Bearer \4\r\nContent-Type: \5\r\n"
                             "Accept: \6\r\nUser-Agent: novita-c/" NOVITA_VERSION_STRING "\r\nConnection: keep-alive\r\n"
                             "\7\r\n";

size_t novita_http_write_head(uint8_t *buf, size_t cap, const novita_http_head *h, size_t *needed,
                              size_t *key_at, size_t *key_len)
{
    appender a = { buf, cap, 0 };
    for (const char *t = k_head; *t != '\0'; t++) {
        switch (*t) {
        case 1:
            put_str(&a, h->method);
            break;
        case 2:
            put_target(&a, h);
            break;
        case 3:
            put(&a, h->target->host, h->target->host_len);
            if (h->target->port != (h->target->use_tls ? 443u : 80u)) {
                put_byte(&a, ':');
                put_number(&a, (int64_t)h->target->port);
            }
            break;
        case 4:
            *key_at = a.len;
            put_str(&a, h->api_key);
            *key_len = a.len - *key_at;
            break;
        case 5:
            put_str(&a, h->content.content_type ? h->content.content_type : "application/json");
            break;
        case 6:
            put_str(&a, h->content.accept ? h->content.accept : "application/json");
            break;
        case 7:
            if (h->content.body) {
                put_str(&a, "Content-Length: ");
                put_number(&a, (int64_t)h->content.body_len);
                put_str(&a, "\r\n");
            }
            break;
        default:
            put_byte(&a, *t);
            break;
        }
    }
    *needed = a.len;
    return a.len <= cap ? a.len : 0;
}
