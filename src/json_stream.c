/* Bounded-memory list decoding: one element in memory at a time. */
#include "json_stream.h"

#include <string.h>

#include "novita/config.h"

/* novita_list_scanner.arrays has one bit per nesting level. */
typedef char novita_json_depth_fits[(NOVITA_MAX_JSON_DEPTH >= 1u && NOVITA_MAX_JSON_DEPTH <= 32u) ? 1 : -1];

/* novita_list_scanner.capture: what the store is receiving. */
enum { CAPTURE_NONE, CAPTURE_ELEMENT, CAPTURE_STRING, CAPTURE_PRIMITIVE };

static novita_result fail(const novita_list_scanner *s, const char *message)
{
    return novita_decode_fail(s->err, NOVITA_ERR_DECODE, "response", NULL, 0, message);
}

void novita_list_scanner_start(novita_list_scanner *s)
{
    memset(s, 0, offsetof(novita_list_scanner, array_key)); /* all the state */
    s->store->kept = 0;
}

static bool key_is(const novita_list_scanner *s, const char *name)
{
    return name && novita_json_text_is(s->key, s->key_len, name);
}

static void keep(novita_list_scanner *s, uint8_t c)
{
    /* Safe: the byte being scanned lies at or after base + kept (see the header). */
    s->store->base[s->store->kept++] = c;
}

/* The captured value is complete: decode it (an element, or an envelope scalar) and empty the store. */
static novita_result finish_capture(novita_list_scanner *s)
{
    novita_json_doc doc;
    novita_result r;
    uint8_t what = s->capture;
    doc.json = (const char *)s->store->base;
    doc.len = s->store->kept;
    s->capture = CAPTURE_NONE;
    s->store->kept = 0;
    if (what != CAPTURE_ELEMENT) {
        size_t quotes = what == CAPTURE_STRING ? 1u : 0u; /* a string was kept with both quotes */
        return novita_decode_scalar_text(s->capture_field, s->envelope->name, doc.json + quotes,
                                         doc.len - 2u * quotes, quotes != 0, s->envelope_out, s->err);
    }
    doc.tokens = s->tokens;
    doc.token_cap = s->token_cap;
    doc.token_count = 0;
    doc.err = s->err;
    r = novita_json_tokenize(&doc);
    if (r == NOVITA_OK && s->item)
        r = novita_decode_model(&doc, 0, s->item_model, s->item);
    if (r == NOVITA_OK) {
        s->items++;
        r = s->on_item(s->user, &s->item);
    }
    return r;
}

/* A value starts at depth >= 1: an element of the list, the list itself, or a wanted envelope scalar. */
static void value_starts(novita_list_scanner *s, uint8_t c)
{
    bool after_colon = s->after_colon;
    const novita_field *f;
    s->after_colon = false;
    if (s->capture != CAPTURE_NONE)
        return;
    if (s->depth == s->list_depth) {
        if (c == '{') { /* elements that are not objects are skipped */
            s->capture = CAPTURE_ELEMENT;
            s->capture_depth = s->depth;
        }
        return;
    }
    if (s->depth != 1u || !after_colon || s->key_len > sizeof(s->key))
        return;
    if (c == '[') {
        if (key_is(s, s->array_key) || key_is(s, s->array_alt_key))
            s->list_depth = 2;
        return;
    }
    f = c != '{' && s->envelope ? novita_model_field(s->envelope, s->key, s->key_len) : NULL;
    if (f && f->kind <= NOVITA_FIELD_DECIMAL) {
        s->capture_field = f;
        s->capture = c == '"' ? CAPTURE_STRING : CAPTURE_PRIMITIVE;
    }
}

static novita_result scan_byte(novita_list_scanner *s, uint8_t c)
{
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (s->in_string) {
        if (s->escaped)
            s->escaped = false;
        else if (c == '\\')
            s->escaped = true;
        else if (c == '"')
            s->in_string = false;
        if (s->in_key) { /* (keys are never captured) */
            if (!s->in_string)
                s->in_key = false;
            else if (s->key_len <= sizeof(s->key) && s->key_len++ < sizeof(s->key))
                s->key[s->key_len - 1u] = (char)c; /* one past the buffer marks a longer key */
            return NOVITA_OK;
        }
    } else {
        if (s->capture == CAPTURE_PRIMITIVE) { /* a number, true, false or null ends at a delimiter */
            novita_result r;
            if (!space && c != ',' && c != '}' && c != ']') {
                keep(s, c);
                return NOVITA_OK;
            }
            r = finish_capture(s);
            if (r != NOVITA_OK)
                return r;
        }
        if (space) {
            /* kept when capturing */
        } else if (s->depth == 0) {
            if (s->saw_root)
                return fail(s, "data after the JSON document");
            if (c != '{' && c != '[')
                return fail(s, "expected a JSON object or array");
            s->saw_root = true;
            s->depth = 1;
            s->arrays = c == '[' ? 1u : 0u;
            s->expect_key = c == '{';
            s->list_depth = c == '[' ? 1u : 0u; /* a bare array is the list itself */
            return NOVITA_OK;
        } else if (c == '}' || c == ']') {
            if (((s->arrays >> (s->depth - 1u)) & 1u) != (c == ']' ? 1u : 0u))
                return fail(s, "mismatched bracket");
            if (--s->depth < s->list_depth)
                s->list_depth = 0; /* the list ended */
        } else if (c == ',' || c == ':') {
            if (s->depth == 1u && !s->list_depth) { /* in the envelope: a key, or its value, comes next */
                if (c == ',')
                    s->expect_key = true;
                else
                    s->after_colon = true;
            }
        } else if (c == '"' && s->depth == 1u && s->expect_key && !s->list_depth) {
            s->in_key = true;
            s->in_string = true;
            s->expect_key = false;
            s->key_len = 0;
            return NOVITA_OK;
        } else {
            value_starts(s, c);
            if (c == '"') {
                s->in_string = true;
            } else if (c == '{' || c == '[') {
                if (s->depth >= NOVITA_MAX_JSON_DEPTH)
                    return fail(s, "JSON nested too deeply");
                s->arrays = (s->arrays & ~(1u << s->depth)) | (c == '[' ? 1u << s->depth : 0u);
                s->depth++;
            }
        }
    }
    if (s->capture == CAPTURE_NONE)
        return NOVITA_OK;
    keep(s, c);
    if (s->capture == CAPTURE_STRING ? !s->in_string
                                     : s->capture == CAPTURE_ELEMENT && s->depth == s->capture_depth)
        return finish_capture(s);
    return NOVITA_OK;
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
        return fail(s, "incomplete JSON list");
    return NOVITA_OK;
}
