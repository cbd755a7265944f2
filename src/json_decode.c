/* Table-driven JSON decoder: jsmn tokens + novita_model field tables -> fixed-size structs. */
#define NOVITA_JSMN_IMPLEMENTATION
#include "json_decode.h"

#include <string.h>

#include "json_write.h"

/* ---------------------------------------------------------------- errors */

static void append(char *dst, size_t cap, size_t *pos, const char *s)
{
    while (*s && *pos + 1u < cap)
        dst[(*pos)++] = *s++;
    dst[*pos] = '\0';
}

novita_result novita_decode_fail(novita_error *err, novita_result result, const char *model_name,
                                 const char *key, size_t needed, const char *message)
{
    if (err) {
        size_t pos = 0;
        err->what[0] = '\0';
        append(err->what, sizeof(err->what), &pos, model_name ? model_name : "response");
        if (key) {
            append(err->what, sizeof(err->what), &pos, ".");
            append(err->what, sizeof(err->what), &pos, key);
        }
        err->needed = needed;
        if (message)
            (void)novita_copy_string(err->message, sizeof(err->message), message, strlen(message));
    }
    return result;
}

/* ---------------------------------------------------------------- tokens */

novita_result novita_json_tokenize(novita_json_doc *doc)
{
    jsmn_parser parser;
    int n;
    jsmn_init(&parser);
    n = jsmn_parse(&parser, doc->json, doc->len, doc->tokens, (unsigned int)doc->token_cap);
    if (n == JSMN_ERROR_NOMEM) {
        int needed;
        jsmn_init(&parser);
        needed = jsmn_parse(&parser, doc->json, doc->len, NULL, 0);
        return novita_decode_fail(doc->err, NOVITA_ERR_BUFFER_TOO_SMALL, "token array", NULL,
                                  needed > 0 ? (size_t)needed : 0, "too few JSON tokens for the response");
    }
    if (n < 0)
        return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, "response", NULL, 0,
                                  n == JSMN_ERROR_PART ? "incomplete JSON" : "invalid JSON");
    if (n == 0)
        return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, "response", NULL, 0, "empty JSON");
    /* jsmn accepts several top-level values in a row; a response is exactly one. */
    /* (a string token's end excludes its closing quote) */
    for (size_t at = (size_t)doc->tokens[0].end + (doc->tokens[0].type == JSMN_STRING ? 1u : 0u); at < doc->len;
         at++) {
        char ch = doc->json[at];
        if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
            return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, "response", NULL, 0,
                                      "data after the JSON document");
    }
    doc->token_count = n;
    return NOVITA_OK;
}

int novita_json_skip(const novita_json_doc *doc, int i)
{
    /* Tokens of a subtree start before the end of their root; tokens are in document order. */
    int end = doc->tokens[i].end;
    int j = i + 1;
    while (j < doc->token_count && doc->tokens[j].start < end)
        j++;
    return j;
}

static bool token_equals(const novita_json_doc *doc, int i, const char *s)
{
    const jsmntok_t *t = &doc->tokens[i];
    size_t n = (size_t)(t->end - t->start);
    return t->type == JSMN_STRING && strlen(s) == n && memcmp(doc->json + t->start, s, n) == 0;
}

int novita_json_find(const novita_json_doc *doc, int obj, const char *key)
{
    int i, k;
    if (obj < 0 || obj >= doc->token_count || doc->tokens[obj].type != JSMN_OBJECT)
        return -1;
    i = obj + 1;
    for (k = 0; k < doc->tokens[obj].size && i + 1 < doc->token_count; k++) {
        if (token_equals(doc, i, key))
            return i + 1;
        i = novita_json_skip(doc, i + 1);
    }
    return -1;
}

/* ---------------------------------------------------------------- strings */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(const char *s, size_t n, size_t at, uint32_t *out)
{
    uint32_t v = 0;
    if (at + 4u > n)
        return false;
    for (size_t k = 0; k < 4u; k++) {
        int h = hex_value(s[at + k]);
        if (h < 0)
            return false;
        v = (v << 4) | (uint32_t)h;
    }
    *out = v;
    return true;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80u) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800u) {
        out[0] = (char)(0xC0u | (cp >> 6));
        out[1] = (char)(0x80u | (cp & 0x3Fu));
        return 2;
    }
    if (cp < 0x10000u) {
        out[0] = (char)(0xE0u | (cp >> 12));
        out[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (char)(0x80u | (cp & 0x3Fu));
        return 3;
    }
    out[0] = (char)(0xF0u | (cp >> 18));
    out[1] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
    out[2] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
    out[3] = (char)(0x80u | (cp & 0x3Fu));
    return 4;
}

/* Decode a \u escape at s[i] == 'u' (surrogate pairs joined); lone surrogates become U+FFFD.
 * Returns the number of input bytes used after the backslash, or 0 when malformed. */
static size_t decode_unicode_escape(const char *s, size_t n, size_t i, uint32_t *cp)
{
    uint32_t hi, lo;
    if (!read_hex4(s, n, i + 1u, &hi))
        return 0;
    if (hi >= 0xD800u && hi <= 0xDBFFu) {
        if (i + 11u <= n && s[i + 5u] == '\\' && s[i + 6u] == 'u' && read_hex4(s, n, i + 7u, &lo) &&
            lo >= 0xDC00u && lo <= 0xDFFFu) {
            *cp = 0x10000u + ((hi - 0xD800u) << 10) + (lo - 0xDC00u);
            return 11;
        }
        *cp = 0xFFFDu;
        return 5;
    }
    *cp = (hi >= 0xDC00u && hi <= 0xDFFFu) ? 0xFFFDu : hi;
    return 5;
}

/* Unescape s[0..n) into dst. Writes at most cap-1 bytes + NUL; *needed gets the full decoded length + 1.
 * Returns false on a malformed escape. */
static bool unescape(const char *s, size_t n, char *dst, size_t cap, size_t *needed)
{
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        char piece[4];
        size_t piece_len = 1;
        if (s[i] != '\\') {
            piece[0] = s[i++];
        } else {
            char e;
            if (i + 1u >= n)
                return false;
            e = s[i + 1u];
            i++;
            switch (e) {
            case '"': piece[0] = '"'; i++; break;
            case '\\': piece[0] = '\\'; i++; break;
            case '/': piece[0] = '/'; i++; break;
            case 'b': piece[0] = '\b'; i++; break;
            case 'f': piece[0] = '\f'; i++; break;
            case 'n': piece[0] = '\n'; i++; break;
            case 'r': piece[0] = '\r'; i++; break;
            case 't': piece[0] = '\t'; i++; break;
            case 'u': {
                uint32_t cp = 0;
                size_t used = decode_unicode_escape(s, n, i, &cp);
                if (used == 0)
                    return false;
                piece_len = utf8_encode(cp, piece);
                i += used;
                break;
            }
            default: return false;
            }
        }
        if (cap > 0 && out + piece_len < cap)
            memcpy(dst + out, piece, piece_len);
        out += piece_len;
    }
    if (cap > 0)
        dst[out < cap ? out : cap - 1u] = '\0';
    *needed = out + 1u;
    return true;
}

bool novita_json_string_copy(const novita_json_doc *doc, int i, char *dst, size_t cap)
{
    const jsmntok_t *t = &doc->tokens[i];
    size_t needed = 0;
    if (t->type != JSMN_STRING && t->type != JSMN_PRIMITIVE)
        return false;
    if (!unescape(doc->json + t->start, (size_t)(t->end - t->start), dst, cap, &needed))
        return false;
    return needed <= cap;
}

/* ---------------------------------------------------------------- numbers */

/* Parse [-]digits[.digits][(e|E)[+-]digits] into value * 10^scale, truncating extra fraction digits.
 * Rejects anything else and any overflow. */
static bool parse_scaled(const char *s, size_t n, unsigned scale, int64_t *out)
{
    size_t i = 0;
    bool negative = false, any_digit = false;
    uint64_t mantissa = 0;
    int frac_digits = 0, exponent = 0, shift;
    const uint64_t limit = (uint64_t)INT64_MAX;

    if (i < n && s[i] == '-') {
        negative = true;
        i++;
    }
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (mantissa > (limit - (uint64_t)(s[i] - '0')) / 10u)
            return false;
        mantissa = mantissa * 10u + (uint64_t)(s[i] - '0');
        any_digit = true;
    }
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (mantissa <= (limit - 9u) / 10u && frac_digits < 18) {
                mantissa = mantissa * 10u + (uint64_t)(s[i] - '0');
                frac_digits++;
            } /* digits beyond 18 significant ones cannot matter at any supported scale */
            any_digit = true;
        }
    }
    if (!any_digit)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        bool exp_negative = false;
        bool exp_digit = false;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            exp_negative = s[i++] == '-';
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (exponent > 400)
                return false;
            exponent = exponent * 10 + (s[i] - '0');
            exp_digit = true;
        }
        if (!exp_digit)
            return false;
        if (exp_negative)
            exponent = -exponent;
    }
    if (i != n)
        return false;
    shift = (int)scale - frac_digits + exponent;
    for (; shift > 0; shift--) {
        if (mantissa > limit / 10u)
            return false; /* overflow (a zero mantissa never gets here) */
        mantissa *= 10u;
    }
    for (; shift < 0 && mantissa != 0; shift++)
        mantissa /= 10u;
    *out = negative ? -(int64_t)mantissa : (int64_t)mantissa;
    return true;
}

/* Integers: digits with an optional all-zero fraction ("12.0"); no exponent. */
static bool parse_integer(const char *s, size_t n, int64_t *out)
{
    size_t dot = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == 'e' || s[k] == 'E')
            return false;
    }
    while (dot < n && s[dot] != '.')
        dot++;
    for (size_t k = dot + 1u; k < n; k++) {
        if (s[k] != '0')
            return false;
    }
    if (dot + 1u == n)
        return false; /* "12." */
    return parse_scaled(s, dot, 0, out);
}

/* ---------------------------------------------------------------- fields */

typedef struct value_text {
    const char *text;
    size_t len;
    bool is_string;
    bool is_null;
} value_text;

static bool text_is(const value_text *v, const char *s)
{
    size_t n = strlen(s);
    return v->len == n && memcmp(v->text, s, n) == 0;
}

static novita_result store_int(const novita_field *f, uint8_t *base, int64_t v)
{
    if (f->size == sizeof(int32_t)) {
        int32_t narrow;
        if (v < INT32_MIN || v > INT32_MAX)
            return NOVITA_ERR_DECODE;
        narrow = (int32_t)v;
        memcpy(base + f->offset, &narrow, sizeof(narrow));
    } else {
        memcpy(base + f->offset, &v, sizeof(v));
    }
    return NOVITA_OK;
}

static novita_result decode_number_field(const novita_field *f, const char *model_name, const value_text *v,
                                         uint8_t *base, novita_error *err)
{
    int64_t value = 0;
    bool ok;
    if (v->is_null || (v->is_string && v->len == 0))
        return NOVITA_OK; /* absent */
    if (f->kind == NOVITA_FIELD_DECIMAL)
        ok = parse_scaled(v->text, v->len, f->aux_size, &value);
    else
        ok = parse_integer(v->text, v->len, &value);
    if (!ok || store_int(f, base, value) != NOVITA_OK)
        return novita_decode_fail(err, NOVITA_ERR_DECODE, model_name, f->key, 0, "not a number in range");
    return NOVITA_OK;
}

static novita_result decode_bool_field(const novita_field *f, const char *model_name, const value_text *v,
                                       uint8_t *base, novita_error *err)
{
    bool value;
    if (v->is_null || (v->is_string && v->len == 0))
        return NOVITA_OK;
    if (text_is(v, "true") || text_is(v, "1"))
        value = true;
    else if (text_is(v, "false") || text_is(v, "0"))
        value = false;
    else
        return novita_decode_fail(err, NOVITA_ERR_DECODE, model_name, f->key, 0, "not a boolean");
    memcpy(base + f->offset, &value, sizeof(value));
    return NOVITA_OK;
}

static novita_result decode_string_into(const novita_field *f, const char *model_name, const value_text *v,
                                        char *dst, size_t cap, novita_error *err)
{
    size_t needed = 0;
    if (v->is_null)
        return NOVITA_OK;
    if (!unescape(v->text, v->len, dst, cap, &needed)) {
        dst[0] = '\0';
        return novita_decode_fail(err, NOVITA_ERR_DECODE, model_name, f->key, 0, "invalid string escape");
    }
    if (needed > cap) {
        dst[0] = '\0';
        return novita_decode_fail(err, NOVITA_ERR_BUFFER_TOO_SMALL, model_name, f->key, needed,
                                  "value longer than its field; raise the NOVITA_*_MAX size in config.h");
    }
    return NOVITA_OK;
}

static novita_result decode_enum_field(const novita_field *f, const char *model_name, const value_text *v,
                                       uint8_t *base, novita_error *err)
{
    char *raw = (char *)(base + f->aux_offset);
    int value = 0;
    novita_result r = decode_string_into(f, model_name, v, raw, f->aux_size, err);
    if (r != NOVITA_OK) { /* a failed rewrite (duplicate key) must not leave an earlier value beside new text */
        raw[0] = '\0';
        memcpy(base + f->offset, &value, sizeof(value));
        return r;
    }
    for (uint16_t k = 1; k < f->enum_count; k++) {
        if (strcmp(raw, f->enum_names[k]) == 0) {
            value = (int)k;
            break;
        }
    }
    memcpy(base + f->offset, &value, sizeof(value));
    return NOVITA_OK;
}

novita_result novita_decode_scalar_text(const novita_field *f, const char *model_name, const char *text,
                                        size_t len, bool is_string, void *base, novita_error *err)
{
    value_text v;
    v.text = text;
    v.len = len;
    v.is_string = is_string;
    v.is_null = !is_string && len == 4 && memcmp(text, "null", 4) == 0;
    switch ((novita_field_kind)f->kind) {
    case NOVITA_FIELD_STRING:
        return decode_string_into(f, model_name, &v, (char *)base + f->offset, f->size, err);
    case NOVITA_FIELD_INT:
    case NOVITA_FIELD_DECIMAL:
        return decode_number_field(f, model_name, &v, (uint8_t *)base, err);
    case NOVITA_FIELD_BOOL:
        return decode_bool_field(f, model_name, &v, (uint8_t *)base, err);
    case NOVITA_FIELD_ENUM:
        return decode_enum_field(f, model_name, &v, (uint8_t *)base, err);
    default:
        return novita_decode_fail(err, NOVITA_ERR_DECODE, model_name, f->key, 0, "expected a scalar value");
    }
}

static novita_result decode_value(const novita_json_doc *doc, int i, const novita_field *f,
                                  const novita_model *m, uint8_t *base);

static void set_u16(uint8_t *base, uint16_t offset, uint16_t v)
{
    memcpy(base + offset, &v, sizeof(v));
}

/* A string or integer array element, decoded as a field of that kind at the element. Not inlined: its
 * field copy must not sit in decode_array's frame on every level of the object recursion. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static novita_result decode_scalar_element(const novita_json_doc *doc, int j, const novita_field *f,
                                           const novita_model *m, uint8_t *elem)
{
    const jsmntok_t *t = &doc->tokens[j];
    novita_field element = *f;
    element.kind = f->kind == NOVITA_FIELD_INT_ARRAY ? NOVITA_FIELD_INT : NOVITA_FIELD_STRING;
    element.offset = 0;
    element.size = f->elem_size;
    if (t->type != JSMN_STRING && t->type != JSMN_PRIMITIVE)
        return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, m->name, f->key, 0,
                                  "expected a string, number or boolean");
    return novita_decode_scalar_text(&element, m->name, doc->json + t->start, (size_t)(t->end - t->start),
                                     t->type == JSMN_STRING, elem, doc->err);
}

static novita_result decode_array(const novita_json_doc *doc, int i, const novita_field *f,
                                  const novita_model *m, uint8_t *base)
{
    const jsmntok_t *t = &doc->tokens[i];
    uint16_t capacity = (uint16_t)(f->size / f->elem_size), stored = 0, total = 0;
    int j;
    if (t->type == JSMN_PRIMITIVE && t->end - t->start == 4 && memcmp(doc->json + t->start, "null", 4) == 0)
        return NOVITA_OK;
    if (t->type != JSMN_ARRAY)
        return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, m->name, f->key, 0, "expected an array");
    j = i + 1;
    for (int k = 0; k < t->size && j < doc->token_count; k++) {
        if (stored < capacity) {
            uint8_t *elem = base + f->offset + (size_t)stored * f->elem_size;
            novita_result r = f->kind == NOVITA_FIELD_OBJECT_ARRAY ? novita_decode_model(doc, j, f->model, elem)
                                                                   : decode_scalar_element(doc, j, f, m, elem);
            if (r != NOVITA_OK)
                return r;
            stored++;
        }
        if (total < UINT16_MAX)
            total++;
        j = novita_json_skip(doc, j);
    }
    set_u16(base, f->count_offset, stored);
    set_u16(base, f->total_offset, total);
    return NOVITA_OK;
}

static novita_result decode_value(const novita_json_doc *doc, int i, const novita_field *f,
                                  const novita_model *m, uint8_t *base)
{
    const jsmntok_t *t = &doc->tokens[i];
    switch ((novita_field_kind)f->kind) {
    case NOVITA_FIELD_OBJECT:
        if (t->type == JSMN_PRIMITIVE || (t->type == JSMN_STRING && t->end == t->start) ||
            (t->type == JSMN_ARRAY && t->size == 0))
            return NOVITA_OK; /* null, "" or [] for an absent object */
        return novita_decode_model(doc, i, f->model, base + f->offset);
    case NOVITA_FIELD_OBJECT_ARRAY:
        if (t->type == JSMN_OBJECT) { /* a single object where a list was documented */
            novita_result r = novita_decode_model(doc, i, f->model, base + f->offset);
            if (r == NOVITA_OK) {
                set_u16(base, f->count_offset, 1);
                set_u16(base, f->total_offset, 1);
            }
            return r;
        }
        return decode_array(doc, i, f, m, base);
    case NOVITA_FIELD_STRING_ARRAY:
    case NOVITA_FIELD_INT_ARRAY:
        return decode_array(doc, i, f, m, base);
    default:
        if (t->type != JSMN_STRING && t->type != JSMN_PRIMITIVE)
            return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, m->name, f->key, 0,
                                      "expected a string, number or boolean");
        return novita_decode_scalar_text(f, m->name, doc->json + t->start, (size_t)(t->end - t->start),
                                         t->type == JSMN_STRING, base, doc->err);
    }
}

static const novita_field *find_field(const novita_json_doc *doc, int key, const novita_model *m)
{
    for (size_t k = 0; k < m->field_count; k++) {
        const novita_field *f = &m->fields[k];
        if (token_equals(doc, key, f->key) || (f->alt_key && token_equals(doc, key, f->alt_key)))
            return f;
    }
    return NULL;
}

static novita_result decode_members(const novita_json_doc *doc, int obj, const novita_model *m, uint8_t *base)
{
    int i = obj + 1;
    for (int k = 0; k < doc->tokens[obj].size && i + 1 < doc->token_count; k++) {
        const novita_field *f = find_field(doc, i, m);
        if (f) {
            novita_result r = decode_value(doc, i + 1, f, m, base);
            if (r != NOVITA_OK)
                return r;
        }
        i = novita_json_skip(doc, i + 1);
    }
    return NOVITA_OK;
}

novita_result novita_decode_model(const novita_json_doc *doc, int obj, const novita_model *model, void *out)
{
    const jsmntok_t *t;
    novita_result r;
    memset(out, 0, model->struct_size);
    if (obj < 0 || obj >= doc->token_count)
        return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, model->name, NULL, 0, "missing object");
    t = &doc->tokens[obj];
    if (t->type == JSMN_ARRAY && t->size > 0 && obj + 1 < doc->token_count &&
        doc->tokens[obj + 1].type == JSMN_OBJECT)
        t = &doc->tokens[++obj]; /* [ {...} ] where one object was documented: its first element */
    if (t->type != JSMN_OBJECT)
        return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, model->name, NULL, 0, "expected an object");
    r = decode_members(doc, obj, model, (uint8_t *)out);
    if (r != NOVITA_OK)
        memset(out, 0, model->struct_size);
    return r;
}
