/* JSON body writer: bounded, escaping, overflow-counting. */
#include "json_write.h"

#include <string.h>

#define NOVITA_JW_MAX_DEPTH 32u

static void put_bytes(novita_json_writer *w, const char *s, size_t n)
{
    if (w->len < w->cap) {
        size_t room = w->cap - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len += n;
}

static void put_char(novita_json_writer *w, char c)
{
    put_bytes(w, &c, 1);
}

/* Comma before a value that is not the first member of its container and does not follow a key. */
static void before_value(novita_json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        uint32_t bit = 1u << (w->depth - 1u);
        if (w->comma_pending & bit)
            put_char(w, ',');
        w->comma_pending |= bit;
    }
}

static void open_container(novita_json_writer *w, char c)
{
    before_value(w);
    put_char(w, c);
    if (w->depth >= NOVITA_JW_MAX_DEPTH) {
        w->invalid = true;
        return;
    }
    w->depth++;
    w->comma_pending &= ~(1u << (w->depth - 1u));
}

static void close_container(novita_json_writer *w, char c)
{
    put_char(w, c);
    if (w->depth == 0) {
        w->invalid = true;
        return;
    }
    w->depth--;
}

void novita_jw_init(novita_json_writer *w, uint8_t *buf, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->cap = cap;
}

bool novita_jw_overflowed(const novita_json_writer *w)
{
    return w->len > w->cap || w->invalid;
}

void novita_jw_object_begin(novita_json_writer *w) { open_container(w, '{'); }
void novita_jw_object_end(novita_json_writer *w) { close_container(w, '}'); }
void novita_jw_array_begin(novita_json_writer *w) { open_container(w, '['); }
void novita_jw_array_end(novita_json_writer *w) { close_container(w, ']'); }

static void put_escaped_text(novita_json_writer *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': put_bytes(w, "\\\"", 2); break;
        case '\\': put_bytes(w, "\\\\", 2); break;
        case '\n': put_bytes(w, "\\n", 2); break;
        case '\r': put_bytes(w, "\\r", 2); break;
        case '\t': put_bytes(w, "\\t", 2); break;
        case '\b': put_bytes(w, "\\b", 2); break;
        case '\f': put_bytes(w, "\\f", 2); break;
        default:
            if (c < 0x20u) {
                char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xFu] };
                put_bytes(w, esc, sizeof(esc));
            } else {
                put_char(w, (char)c); /* UTF-8 passes through unchanged */
            }
        }
    }
}

static void put_escaped(novita_json_writer *w, const char *s, size_t n)
{
    put_char(w, '"');
    put_escaped_text(w, s, n);
    put_char(w, '"');
}

void novita_jw_string_open(novita_json_writer *w)
{
    before_value(w);
    put_char(w, '"');
}

void novita_jw_string_append(novita_json_writer *w, const char *s, size_t n)
{
    put_escaped_text(w, s, n);
}

void novita_jw_string_close(novita_json_writer *w)
{
    put_char(w, '"');
}

void novita_jw_key(novita_json_writer *w, const char *key)
{
    before_value(w);
    put_escaped(w, key, strlen(key));
    put_char(w, ':');
    w->after_key = true;
}

void novita_jw_string_n(novita_json_writer *w, const char *s, size_t n)
{
    before_value(w);
    put_escaped(w, s, n);
}

void novita_jw_string(novita_json_writer *w, const char *s)
{
    novita_jw_string_n(w, s ? s : "", s ? strlen(s) : 0);
}

void novita_jw_int(novita_json_writer *w, int64_t v)
{
    char text[NOVITA_I64_TEXT_MAX];
    size_t n = novita_format_i64(text, v);
    before_value(w);
    put_bytes(w, text, n);
}

void novita_jw_bool(novita_json_writer *w, bool v)
{
    before_value(w);
    if (v)
        put_bytes(w, "true", 4);
    else
        put_bytes(w, "false", 5);
}

void novita_jw_raw(novita_json_writer *w, const char *json, size_t n)
{
    before_value(w);
    put_bytes(w, json, n);
}

void novita_jw_member_string(novita_json_writer *w, const char *key, const char *s)
{
    novita_jw_key(w, key);
    novita_jw_string(w, s);
}

void novita_jw_member_string_opt(novita_json_writer *w, const char *key, const char *s)
{
    if (s && s[0])
        novita_jw_member_string(w, key, s);
}

void novita_jw_member_int(novita_json_writer *w, const char *key, int64_t v)
{
    novita_jw_key(w, key);
    novita_jw_int(w, v);
}

void novita_jw_member_bool(novita_json_writer *w, const char *key, bool v)
{
    novita_jw_key(w, key);
    novita_jw_bool(w, v);
}

size_t novita_format_i64(char *out, int64_t v)
{
    char rev[NOVITA_I64_TEXT_MAX];
    size_t n = 0, len = 0;
    /* Work on the magnitude as unsigned so INT64_MIN does not overflow. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        rev[n++] = (char)('0' + (int)(mag % 10u));
        mag /= 10u;
    } while (mag != 0u);
    if (v < 0)
        out[len++] = '-';
    while (n > 0)
        out[len++] = rev[--n];
    return len;
}

bool novita_copy_string(char *dst, size_t cap, const char *src, size_t src_len)
{
    size_t n = src_len < cap - 1u ? src_len : cap - 1u;
    memcpy(dst, src, n);
    dst[n] = '\0';
    /* cppcheck-suppress knownConditionTrueFalse ; false positive from one call site's constants */
    return n == src_len;
}

size_t novita_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}
