/* Table-driven JSON decoder: jsmn tokens + novita_model field tables -> fixed-size structs. */
#define NOVITA_JSMN_IMPLEMENTATION
#include "json_decode.h"

#include <string.h>

#include "json_write.h"

#if defined(__GNUC__) || defined(__clang__)
#define NOVITA_NOINLINE __attribute__((noinline))
#else
#define NOVITA_NOINLINE
#endif

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
        append(err->what, sizeof(err->what), &pos, model_name ? model_name : "response");
        if (key) { /* a key with an alternative ("id\0Id") ends at its first NUL, as wanted */
            append(err->what, sizeof(err->what), &pos, ".");
            append(err->what, sizeof(err->what), &pos, key);
        }
        err->needed = needed;
        if (message) {
            pos = 0;
            append(err->message, sizeof(err->message), &pos, message);
        }
    }
    return result;
}

/* ---------------------------------------------------------------- tokens */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Every member of an object is a key: a string with exactly one value (jsmn's strict mode still lets
 * {"a","b":1} through). With parent links, a key's parent is its object and a value's parent is its key. */
static bool keys_well_formed(const jsmntok_t *t, int n)
{
    for (int i = 1; i < n; i++) {
        if (t[i].parent >= 0 && t[t[i].parent].type == JSMN_OBJECT && (t[i].type != JSMN_STRING || t[i].size != 1))
            return false;
    }
    return true;
}

novita_result novita_json_tokenize(novita_json_doc *doc)
{
    jsmn_parser parser;
    const char *problem = "invalid JSON";
    int n;
    jsmn_init(&parser);
    n = jsmn_parse(&parser, doc->json, doc->len, doc->tokens, (unsigned int)doc->token_cap);
    if (n == JSMN_ERROR_NOMEM) {
        jsmn_init(&parser);
        n = jsmn_parse(&parser, doc->json, doc->len, NULL, 0);
        return novita_decode_fail(doc->err, NOVITA_ERR_BUFFER_TOO_SMALL, "token array", NULL,
                                  n > 0 ? (size_t)n : 0, "too few JSON tokens");
    }
    if (n == JSMN_ERROR_PART || n == 0) {
        problem = "incomplete JSON";
    } else if (n > 0 && !keys_well_formed(doc->tokens, n)) {
        problem = "invalid JSON"; /* {"a","b":1}: "a" would be read as a key and "b" as its value */
    } else if (n > 0) {
        /* jsmn accepts several top-level values in a row; a response is exactly one.
         * (a string token's end excludes its closing quote) */
        size_t at = (size_t)doc->tokens[0].end + (doc->tokens[0].type == JSMN_STRING ? 1u : 0u);
        while (at < doc->len && is_space(doc->json[at]))
            at++;
        doc->token_count = n;
        if (at >= doc->len)
            return NOVITA_OK;
        problem = "data after the JSON document";
    }
    return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, "response", NULL, 0, problem);
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

bool novita_json_text_is(const char *text, size_t len, const char *s)
{
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '\0' || s[k] != text[k])
            return false;
    }
    return s[len] == '\0';
}

static bool token_is(const novita_json_doc *doc, int i, const char *s)
{
    const jsmntok_t *t = &doc->tokens[i];
    return t->type == JSMN_STRING && novita_json_text_is(doc->json + t->start, (size_t)(t->end - t->start), s);
}

int novita_json_find(const novita_json_doc *doc, int obj, const char *key)
{
    int i, k;
    if (obj < 0 || obj >= doc->token_count || doc->tokens[obj].type != JSMN_OBJECT)
        return -1;
    i = obj + 1;
    for (k = 0; k < doc->tokens[obj].size && i + 1 < doc->token_count; k++) {
        if (token_is(doc, i, key))
            return i + 1;
        i = novita_json_skip(doc, i + 1);
    }
    return -1;
}

const novita_field *novita_model_field(const novita_model *m, const char *text, size_t len)
{
    const novita_field *f = m->fields, *end = f + m->field_count;
    for (; f < end; f++) {
        const char *key = f->key;
        if (novita_json_text_is(text, len, key))
            return f;
        if (f->flags & NOVITA_FIELD_ALT_KEY) {
            while (*key++ != '\0') {
            } /* the alternative follows the key's NUL */
            if (novita_json_text_is(text, len, key))
                return f;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- strings */

/* Value of the 4 hex digits at p, or -1. */
static int32_t hex4(const char *p, const char *end)
{
    int32_t v = 0;
    if (end - p < 4)
        return -1;
    for (end = p + 4; p < end; p++) {
        unsigned c = (unsigned char)*p, d = c - '0';
        if (d > 9u) {
            d = (c | 0x20u) - 'a' + 10u; /* only A-F and a-f land in 10..15 */
            if (d - 10u > 5u)
                return -1;
        }
        v = v * 16 + (int32_t)d;
    }
    return v;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    size_t len = cp < 0x80u ? 1u : cp < 0x800u ? 2u : cp < 0x10000u ? 3u : 4u;
    for (size_t k = len - 1u; k > 0; k--) {
        out[k] = (char)(0x80u | (cp & 0x3Fu));
        cp >>= 6;
    }
    out[0] = (char)(len == 1u ? cp : ((0xF00u >> len) & 0xFFu) | cp); /* lead byte: 110..., 1110..., 11110... */
    return len;
}

/* One character of JSON string text at *s (an escape decoded to UTF-8) into piece; its length, or 0 for a
 * malformed escape or \u0000 (no C string can hold it). A \u surrogate pair is one character; a lone
 * surrogate becomes U+FFFD. */
static size_t next_char(const char **s, const char *end, char piece[4])
{
    static const char escapes[] = "\"\"\\\\//b\bf\fn\nr\rt\t"; /* pairs: escape letter, its character */
    const char *p = *s, *e = escapes;
    int32_t cp, lo;
    piece[0] = *p++;
    *s = p + 1; /* past a one-letter escape */
    if (piece[0] != '\\') {
        *s = p;
        return 1;
    }
    if (p == end)
        return 0;
    if (*p != 'u') {
        while (*e && *e != *p)
            e += 2;
        if (*e == '\0')
            return 0;
        piece[0] = e[1];
        return 1;
    }
    cp = hex4(++p, end);
    p += 4;
    if ((cp & 0xF800) == 0xD800) { /* a surrogate (cp < 0, malformed, never matches) */
        lo = cp < 0xDC00 && end - p >= 2 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
        if ((lo & 0xFC00) == 0xDC00) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        } else {
            cp = 0xFFFD;
        }
    }
    *s = p;
    return cp <= 0 ? 0u : utf8_encode((uint32_t)cp, piece); /* \u0000 would cut the C string short */
}

/* Unescape the JSON string text s[0..n) into dst: at most cap-1 bytes plus a NUL, cut only between
 * characters. Returns the decoded length + 1 (the size dst needs), or 0 for a malformed escape (dst = ""). */
static size_t unescape(const char *s, size_t n, char *dst, size_t cap)
{
    const char *end = s + n;
    size_t out = 0, filled = 0;
    while (s < end) {
        char piece[4];
        size_t len = next_char(&s, end, piece);
        if (len == 0) {
            if (cap > 0)
                dst[0] = '\0';
            return 0;
        }
        if (out + len < cap) {
            memcpy(dst + out, piece, len);
            filled = out + len;
        }
        out += len;
    }
    if (cap > 0)
        dst[filled] = '\0';
    return out + 1u;
}

bool novita_json_string_copy(const novita_json_doc *doc, int i, char *dst, size_t cap)
{
    const jsmntok_t *t = &doc->tokens[i];
    size_t needed;
    if (t->type != JSMN_STRING && t->type != JSMN_PRIMITIVE)
        return false;
    needed = unescape(doc->json + t->start, (size_t)(t->end - t->start), dst, cap);
    return needed != 0 && needed <= cap;
}

/* ---------------------------------------------------------------- numbers */

/* value = value * 10 + digit, false past INT64_MAX. Not inlined: 64-bit arithmetic is long on Thumb. */
static NOVITA_NOINLINE bool push_digit(uint64_t *value, unsigned digit)
{
    if (*value > (uint64_t)INT64_MAX / 10u)
        return false;
    *value = *value * 10u + digit;
    return *value <= (uint64_t)INT64_MAX;
}

static bool is_digit(char c)
{
    return (unsigned)(c - '0') <= 9u;
}

/*
 * [-]digits[.digits][(e|E)[+-]digits] as value * 10^scale, without division: the digits are one integer D,
 * the number is D * 10^shift, and when shift < 0 the last -shift digits are dropped (truncation), which
 * `exact` (integers) allows only for zeros. Integers also refuse exponents, "12." and ".5". Any overflow
 * is refused.
 */
static bool parse_number(const char *s, size_t n, unsigned scale, bool exact, int64_t *out)
{
    const char *end = s + n, *p, *digits_end;
    bool negative = n > 0 && *s == '-', exp_negative = false;
    long digits = 0, frac = -1, exponent = 0, keep;
    uint64_t value = 0;
    s += negative ? 1 : 0;
    for (p = s; p < end; p++) {
        if (*p == '.' && frac < 0) {
            frac = 0;
        } else if (!is_digit(*p)) {
            break;
        } else {
            digits++;
            frac += frac >= 0 ? 1 : 0;
        }
    }
    digits_end = p;
    if (p < end && (*p | 0x20) == 'e' && !exact) {
        if (++p < end && (*p == '-' || *p == '+'))
            exp_negative = *p++ == '-';
        if (p == end)
            return false; /* no exponent digits */
        for (; p < end && is_digit(*p); p++) {
            if (exponent > 400)
                return false;
            exponent = exponent * 10 + (*p - '0');
        }
    }
    if (p != end || digits == 0 || (exact && (frac == 0 || frac == digits)))
        return false;
    /* keep = how many leading digits count; past the digits, how many zeros follow them */
    keep = digits + (long)scale + (exp_negative ? -exponent : exponent) - (frac > 0 ? frac : 0);
    for (p = s; p < digits_end; p++) {
        if (*p == '.')
            continue;
        if (keep-- > 0) {
            if (!push_digit(&value, (unsigned)(*p - '0')))
                return false;
        } else if (exact && *p != '0') {
            return false; /* an integer with a fraction */
        }
    }
    while (keep-- > 0) {
        if (!push_digit(&value, 0))
            return false;
    }
    *out = negative ? -(int64_t)value : (int64_t)value;
    return true;
}

/* ---------------------------------------------------------------- scalar fields */

/* One scalar value and the field it goes to. */
typedef struct scalar {
    const char *text; /* a string's contents (escapes still in) or a primitive's text */
    size_t len;
    bool quoted;
    const novita_field *f; /* the field (for an array element: the array) */
    const char *model;     /* for error messages */
    novita_error *err;
} scalar;

static novita_result scalar_fail(const scalar *v, novita_result r, size_t needed, const char *message)
{
    return novita_decode_fail(v->err, r, v->model, v->f->key, needed, message);
}

static novita_result put_string(const scalar *v, char *dst, size_t cap)
{
    size_t needed = unescape(v->text, v->len, dst, cap);
    if (needed - 1u < cap) /* (0, malformed, wraps around) */
        return NOVITA_OK;
    dst[0] = '\0';
    if (needed == 0)
        return scalar_fail(v, NOVITA_ERR_DECODE, 0, "invalid string escape or \\u0000");
    return scalar_fail(v, NOVITA_ERR_BUFFER_TOO_SMALL, needed,
                       "value longer than its field (NOVITA_*_MAX in config.h)");
}

/* An enum member is as wide as the compiler made it: 1 byte under the ARM EABI's short enums (arm-none-eabi-gcc's
 * default), int-sized elsewhere. Writing an int into a 1-byte member would clobber the raw text after it. */
static void store_enum(uint8_t *dst, uint16_t size, int value)
{
    uint16_t narrow = (uint16_t)value; /* values are name indexes: small and non-negative */
    if (size == sizeof(uint8_t))
        dst[0] = (uint8_t)value;
    else if (size == sizeof(uint16_t))
        memcpy(dst, &narrow, sizeof(narrow));
    else
        memcpy(dst, &value, sizeof(value)); /* NOVITA_F_ENUM admits no other size */
}

/* The raw text always; the value when it names one. A failed copy leaves both empty/0, so a rewrite by a
 * duplicate key never leaves an earlier value beside new text. */
static novita_result put_enum(const scalar *v, uint8_t *dst)
{
    const novita_field_enum *e = (const novita_field_enum *)v->f->ext;
    char *raw = (char *)(dst - v->f->offset + e->text_offset);
    int value = 0;
    novita_result r = put_string(v, raw, e->text_size);
    for (uint16_t k = 1; r == NOVITA_OK && k < e->count; k++) {
        if (novita_streq(raw, e->names[k]))
            value = (int)k;
    }
    store_enum(dst, v->f->size, value);
    return r;
}

/* An int32_t or int64_t member; false (and nothing written) when value does not fit. */
static bool store_int(uint8_t *dst, uint16_t size, int64_t value)
{
    int32_t narrow;
    if (size != sizeof(int32_t)) {
        memcpy(dst, &value, sizeof(value));
        return true;
    }
    if (value < INT32_MIN || value > INT32_MAX)
        return false;
    narrow = (int32_t)value;
    memcpy(dst, &narrow, sizeof(narrow));
    return true;
}

/* A scalar into the member at dst (kind and size: the field's, or the element's for an array). */
static novita_result put_scalar(const scalar *v, unsigned kind, uint8_t *dst)
{
    static const char *const bool_words[] = { "false", "0", "true", "1" };
    const char *problem = "not a number in range";
    uint16_t size = v->f->kind >= NOVITA_FIELD_OBJECT_ARRAY ? ((const novita_field_array *)v->f->ext)->elem_size
                                                            : v->f->size;
    int64_t value = 0;
    if (!v->quoted && novita_json_text_is(v->text, v->len, "null"))
        return NOVITA_OK; /* absent */
    if (kind == NOVITA_FIELD_STRING)
        return put_string(v, (char *)dst, size);
    if (kind == NOVITA_FIELD_ENUM)
        return put_enum(v, dst);
    if (v->quoted && v->len == 0)
        return NOVITA_OK; /* "" counts as absent */
    if (kind == NOVITA_FIELD_BOOL) {
        while (value < 4 && !novita_json_text_is(v->text, v->len, bool_words[value]))
            value++;
        if (value < 4) {
            dst[0] = value >= 2 ? 1u : 0u;
            return NOVITA_OK;
        }
        problem = "not a boolean";
    } else if (parse_number(v->text, v->len, v->f->flags & NOVITA_FIELD_SCALE_MASK, kind == NOVITA_FIELD_INT,
                            &value) &&
               store_int(dst, size, value)) {
        return NOVITA_OK;
    }
    return scalar_fail(v, NOVITA_ERR_DECODE, 0, problem);
}

novita_result novita_decode_scalar_text(const novita_field *f, const char *model_name, const char *text,
                                        size_t len, bool is_string, void *base, novita_error *err)
{
    scalar v;
    v.text = text;
    v.len = len;
    v.quoted = is_string;
    v.f = f;
    v.model = model_name;
    v.err = err;
    return put_scalar(&v, f->kind, (uint8_t *)base + f->offset);
}

/* ---------------------------------------------------------------- objects */

/* One object being filled; a nested object gets the next level (no recursion: the stack is bounded). */
typedef struct level {
    const novita_model *m;
    uint8_t *base;
    const novita_field *list; /* the array member whose elements come next, or NULL: the next key */
    int next;                 /* next key token */
    int left;                 /* keys not read yet */
    int list_next;            /* next element token of the list */
    int list_left;            /* elements not read yet */
} level;

/* Start filling `base` (zeroed first) from the object at token `at`. "[ {...} ]" where one object was
 * documented: its first element. */
static novita_result enter(const novita_json_doc *doc, level *l, int at, const novita_model *m, uint8_t *base)
{
    memset(base, 0, m->struct_size);
    l->m = m;
    l->base = base;
    l->list = NULL;
    if (at >= 0 && at < doc->token_count) {
        const jsmntok_t *t = &doc->tokens[at];
        if (t->type == JSMN_ARRAY && t->size > 0 && at + 1 < doc->token_count && t[1].type == JSMN_OBJECT)
            t = &doc->tokens[++at];
        l->next = at + 1;
        l->left = t->size;
        if (t->type == JSMN_OBJECT)
            return NOVITA_OK;
    }
    return novita_decode_fail(doc->err, NOVITA_ERR_DECODE, m->name, NULL, 0, "expected an object");
}

static void set_u16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* Both counts of the array member f. */
static void set_counts(uint8_t *base, const novita_field *f, uint16_t n)
{
    const novita_field_array *a = (const novita_field_array *)f->ext;
    set_u16(base + a->count_offset, n);
    set_u16(base + a->total_offset, n);
}

/* Counts one more element of the array member f; returns its slot, or NULL when the array is full. */
static uint8_t *next_slot(uint8_t *base, const novita_field *f)
{
    const novita_field_array *a = (const novita_field_array *)f->ext;
    uint16_t count, total;
    memcpy(&count, base + a->count_offset, sizeof(count));
    memcpy(&total, base + a->total_offset, sizeof(total));
    if (total < UINT16_MAX)
        set_u16(base + a->total_offset, (uint16_t)(total + 1u));
    if ((size_t)(count + 1u) * a->elem_size > f->size)
        return NULL;
    set_u16(base + a->count_offset, (uint16_t)(count + 1u));
    return base + f->offset + (size_t)count * a->elem_size;
}

static bool token_text_is(const novita_json_doc *doc, const jsmntok_t *t, const char *s)
{
    return novita_json_text_is(doc->json + t->start, (size_t)(t->end - t->start), s);
}

novita_result novita_decode_model(const novita_json_doc *doc, int obj, const novita_model *model, void *out)
{
    /* The element kind of OBJECT_ARRAY, STRING_ARRAY, INT_ARRAY. */
    static const uint8_t element_kind[] = { NOVITA_FIELD_OBJECT, NOVITA_FIELD_STRING, NOVITA_FIELD_INT };
    level stack[NOVITA_MODEL_MAX_DEPTH + 1u];
    level *l = stack;
    scalar v;
    novita_result r = enter(doc, l, obj, model, (uint8_t *)out);
    v.err = doc->err;
    while (r == NOVITA_OK) {
        const jsmntok_t *t;
        uint8_t *dst;
        unsigned kind;
        int at;
        v.f = l->list;
        v.model = l->m->name;
        if (v.f) { /* the next element of an array member */
            if (l->list_left-- <= 0 || l->list_next >= doc->token_count) {
                l->list = NULL;
                continue;
            }
            at = l->list_next;
            l->list_next = novita_json_skip(doc, at);
            dst = next_slot(l->base, v.f);
            kind = element_kind[v.f->kind - NOVITA_FIELD_OBJECT_ARRAY];
            t = &doc->tokens[at];
            if (!dst || (kind == NOVITA_FIELD_OBJECT && t->type == JSMN_PRIMITIVE && token_text_is(doc, t, "null")))
                continue; /* full: counted only; a null object: counted, left zeroed (like a null string) */
        } else { /* the next key */
            if (l->left-- <= 0 || l->next + 1 >= doc->token_count) {
                if (l == stack)
                    return NOVITA_OK;
                l--;
                continue;
            }
            t = &doc->tokens[l->next];
            v.f = novita_model_field(l->m, doc->json + t->start, (size_t)(t->end - t->start));
            at = l->next + 1;
            l->next = novita_json_skip(doc, at);
            t = &doc->tokens[at];
            if (!v.f)
                continue; /* unknown key */
            dst = l->base + v.f->offset;
            kind = v.f->kind;
            if (kind == NOVITA_FIELD_OBJECT ? t->type == JSMN_PRIMITIVE || (t->type == JSMN_STRING && t->end == t->start) ||
                                                  (t->type == JSMN_ARRAY && t->size == 0)
                                            : (t->type == JSMN_PRIMITIVE && token_text_is(doc, t, "null")) ||
                                                  (kind >= NOVITA_FIELD_OBJECT_ARRAY && t->type == JSMN_STRING &&
                                                   t->end == t->start))
                continue; /* null; an object given as null, true, "" or []; an array given as "" */
            if (kind == NOVITA_FIELD_OBJECT_ARRAY && t->type == JSMN_OBJECT) { /* one object for a list */
                set_counts(l->base, v.f, 1);
                kind = NOVITA_FIELD_OBJECT;
            }
        }
        if (kind == NOVITA_FIELD_OBJECT) {
            const void *sub = v.f->kind == NOVITA_FIELD_OBJECT ? v.f->ext : ((const novita_field_array *)v.f->ext)->model;
            if (l == &stack[NOVITA_MODEL_MAX_DEPTH])
                r = scalar_fail(&v, NOVITA_ERR_DECODE, 0, "models nested too deeply");
            else
                r = enter(doc, ++l, at, (const novita_model *)sub, dst);
        } else if (kind >= NOVITA_FIELD_OBJECT_ARRAY) {
            if (t->type != JSMN_ARRAY) {
                r = scalar_fail(&v, NOVITA_ERR_DECODE, 0, "expected an array");
            } else {
                set_counts(l->base, v.f, 0);
                l->list = v.f;
                l->list_next = at + 1;
                l->list_left = t->size;
            }
        } else if (t->type != JSMN_STRING && t->type != JSMN_PRIMITIVE) {
            r = scalar_fail(&v, NOVITA_ERR_DECODE, 0, "expected a scalar value");
        } else {
            v.text = doc->json + t->start;
            v.len = (size_t)(t->end - t->start);
            v.quoted = t->type == JSMN_STRING;
            r = put_scalar(&v, kind, dst);
        }
    }
    memset(out, 0, model->struct_size);
    return r;
}
