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
    static const char letters[] = "btn\0fr"; /* \b \t \n (\v: none) \f \r, from 8 */
    for (const char *end = s + n; s < end; s++) {
        unsigned c = (unsigned char)*s, k = c - 8u;
        char esc[6] = { '\\', (char)c, '0', '0', '0', hex[c & 0xFu] };
        size_t len = 2;
        if (c < 0x20u) {
            if (k < 6u && letters[k] != '\0') {
                esc[1] = letters[k];
            } else {
                esc[1] = 'u';
                esc[4] = (char)('0' + (c >> 4));
                len = 6;
            }
        } else if (c != '"' && c != '\\') {
            esc[0] = (char)c; /* UTF-8 passes through unchanged */
            len = 1;
        }
        put_bytes(w, esc, len);
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
    novita_jw_string(w, key);
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
    if (!s)
        s = "";
    novita_jw_string_n(w, s, novita_strlen(s));
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

/* *n /= 10, returning the remainder, as four 16-bit long-division steps in 32-bit arithmetic: a 64-bit
 * division would link libgcc's __udivmoddi4, which costs more flash than the whole JSON writer. */
static uint32_t divide_by_10(uint64_t *n)
{
    uint32_t half[2] = { (uint32_t)(*n >> 32), (uint32_t)*n };
    uint32_t r = 0;
    for (int i = 0; i < 2; i++) {
        uint32_t high = (r << 16) | (half[i] >> 16);
        uint32_t low = ((high % 10u) << 16) | (half[i] & 0xFFFFu);
        half[i] = ((high / 10u) << 16) | (low / 10u);
        r = low % 10u;
    }
    *n = ((uint64_t)half[0] << 32) | half[1];
    return r;
}

size_t novita_format_i64(char *out, int64_t v)
{
    char rev[NOVITA_I64_TEXT_MAX];
    size_t n = 0, len = 0;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; /* INT64_MIN does not overflow */
    do {
        rev[n++] = (char)('0' + (int)divide_by_10(&mag));
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

size_t novita_strlen(const char *s)
{
    return novita_strnlen(s, SIZE_MAX); /* a bounded loop, which GCC does not turn back into a strlen call */
}

bool novita_streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}
