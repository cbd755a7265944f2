/* Bounded-memory list decoding: one element in memory at a time. */
#include "json_stream.h"

#include <string.h>

#include "novita/config.h"

static novita_result fail(novita_list_scanner *s, const char *message)
{
    return novita_decode_fail(s->err, NOVITA_ERR_DECODE, "response", NULL, 0, message);
}

void novita_list_scanner_start(novita_list_scanner *s)
{
    s->depth = 0;
    s->in_string = s->escaped = s->expect_key = s->in_key = s->after_colon = false;
    s->in_list = s->capturing = s->capture_is_element = s->capture_primitive = s->saw_root = false;
    s->bare_list = false;
    s->capture_depth = 0;
    s->capture_field = NULL;
    s->key_len = 0;
    s->key_truncated = false;
    s->items = 0;
    s->store->kept = 0;
}

static uint32_t list_depth(const novita_list_scanner *s)
{
    return s->bare_list ? 1u : 2u;
}

static bool key_is(const novita_list_scanner *s, const char *name)
{
    size_t n;
    if (!name || s->key_truncated)
        return false;
    n = strlen(name);
    return n == s->key_len && memcmp(s->key, name, n) == 0;
}

static const novita_field *envelope_field(const novita_list_scanner *s)
{
    if (!s->envelope)
        return NULL;
    for (size_t k = 0; k < s->envelope->field_count; k++) {
        const novita_field *f = &s->envelope->fields[k];
        if (f->kind <= NOVITA_FIELD_DECIMAL && (key_is(s, f->key) || key_is(s, f->alt_key)))
            return f;
    }
    return NULL;
}

static void keep(novita_list_scanner *s, uint8_t c)
{
    /* Safe: the byte being scanned lies at or after base + kept (see the header). */
    s->store->base[s->store->kept++] = c;
}

static novita_result finish_element(novita_list_scanner *s)
{
    novita_json_doc doc;
    novita_result r;
    doc.json = (const char *)s->store->base;
    doc.len = s->store->kept;
    doc.tokens = s->tokens;
    doc.token_cap = s->token_cap;
    doc.token_count = 0;
    doc.err = s->err;
    s->capturing = false;
    s->store->kept = 0;
    r = novita_json_tokenize(&doc);
    if (r == NOVITA_OK && s->item)
        r = novita_decode_model(&doc, 0, s->item_model, s->item);
    if (r == NOVITA_OK) {
        s->items++;
        r = s->on_item(s->user, &s->item);
    }
    return r;
}

static novita_result finish_scalar(novita_list_scanner *s)
{
    const char *text = (const char *)s->store->base;
    size_t len = s->store->kept;
    bool is_string = len >= 2 && text[0] == '"';
    s->capturing = false;
    s->capture_primitive = false;
    s->store->kept = 0;
    if (is_string) {
        text++;
        len -= 2;
    }
    return novita_decode_scalar_text(s->capture_field, s->envelope->name, text, len, is_string,
                                     s->envelope_out, s->err);
}

/* A value starts at depth 1 of the envelope, or as an element of the list. */
static void value_starts(novita_list_scanner *s, uint8_t c)
{
    if (s->capturing)
        return;
    if (s->in_list && s->depth == list_depth(s)) {
        if (c == '{') { /* elements that are not objects are skipped */
            s->capturing = true;
            s->capture_is_element = true;
            s->capture_depth = s->depth;
        }
        return;
    }
    if (s->depth == 1 && s->after_colon && !s->in_list) {
        if (c == '[' && (key_is(s, s->array_key) || key_is(s, s->array_alt_key))) {
            s->in_list = true;
            return;
        }
        if (c != '{' && c != '[') {
            s->capture_field = envelope_field(s);
            if (s->capture_field) {
                s->capturing = true;
                s->capture_is_element = false;
                s->capture_primitive = c != '"';
                s->capture_depth = s->depth;
            }
        }
    }
}

static novita_result scan_string_byte(novita_list_scanner *s, uint8_t c)
{
    if (s->capturing)
        keep(s, c);
    if (s->escaped) {
        s->escaped = false;
    } else if (c == '\\') {
        s->escaped = true;
    } else if (c == '"') {
        s->in_string = false;
        if (s->in_key) {
            s->in_key = false;
            return NOVITA_OK;
        }
        if (s->capturing && !s->capture_is_element && s->depth == s->capture_depth)
            return finish_scalar(s);
        return NOVITA_OK;
    }
    if (s->in_key) {
        if (s->key_len < sizeof(s->key))
            s->key[s->key_len++] = (char)c;
        else
            s->key_truncated = true;
    }
    return NOVITA_OK;
}

static bool is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static novita_result open_container(novita_list_scanner *s, uint8_t c)
{
    if (s->depth == 0) {
        if (s->saw_root)
            return fail(s, "data after the JSON document");
        s->saw_root = true;
        s->bare_list = c == '['; /* a bare array is the list itself */
        s->in_list = s->bare_list;
        s->depth = 1;
        s->expect_key = c == '{';
        return NOVITA_OK;
    }
    value_starts(s, c);
    s->after_colon = false;
    if (s->capturing)
        keep(s, c);
    if (s->depth >= NOVITA_MAX_JSON_DEPTH)
        return fail(s, "JSON nested too deeply");
    s->depth++;
    return NOVITA_OK;
}

static novita_result close_container(novita_list_scanner *s, uint8_t c)
{
    if (s->depth == 0)
        return fail(s, "unbalanced JSON");
    if (s->capturing)
        keep(s, c);
    s->depth--;
    if (s->capturing && s->capture_is_element && s->depth == s->capture_depth)
        return finish_element(s);
    if (s->in_list && s->depth + 1u == list_depth(s))
        s->in_list = false;
    return NOVITA_OK;
}

static novita_result scan_byte(novita_list_scanner *s, uint8_t c)
{
    if (s->in_string)
        return scan_string_byte(s, c);
    if (s->capture_primitive) {
        if (c != ',' && c != '}' && c != ']' && !is_space(c)) {
            keep(s, c);
            return NOVITA_OK;
        }
        novita_result r = finish_scalar(s);
        if (r != NOVITA_OK)
            return r;
    }
    if (is_space(c)) {
        if (s->capturing)
            keep(s, c);
        return NOVITA_OK;
    }
    if (s->depth == 0 && c != '{' && c != '[')
        return fail(s, s->saw_root ? "data after the JSON document" : "expected a JSON object or array");
    switch (c) {
    case '{':
    case '[':
        return open_container(s, c);
    case '}':
    case ']':
        return close_container(s, c);
    case '"':
        if (s->depth == 1 && s->expect_key && !s->in_list) {
            s->in_key = true;
            s->expect_key = false;
            s->key_len = 0;
            s->key_truncated = false;
        } else {
            value_starts(s, c);
            s->after_colon = false;
            if (s->capturing)
                keep(s, c);
        }
        s->in_string = true;
        return NOVITA_OK;
    case ',':
        if (s->capturing && s->depth > s->capture_depth)
            keep(s, c);
        if (s->depth == 1 && !s->in_list)
            s->expect_key = true;
        return NOVITA_OK;
    case ':':
        if (s->capturing)
            keep(s, c);
        else if (s->depth == 1)
            s->after_colon = true;
        return NOVITA_OK;
    default:
        value_starts(s, c);
        s->after_colon = false;
        if (s->capturing)
            keep(s, c);
        return NOVITA_OK;
    }
}

novita_result novita_list_scanner_write(void *scanner, const uint8_t *data, size_t len)
{
    novita_list_scanner *s = (novita_list_scanner *)scanner;
    for (size_t i = 0; i < len; i++) {
        novita_result r = scan_byte(s, data[i]);
        if (r != NOVITA_OK)
            return r;
    }
    return NOVITA_OK;
}

novita_result novita_list_scanner_finish(const novita_list_scanner *s)
{
    if (!s->saw_root || s->depth != 0 || s->in_string)
        return novita_decode_fail(s->err, NOVITA_ERR_DECODE, "response", NULL, 0, "incomplete JSON list");
    return NOVITA_OK;
}
