/* Model structs back to JSON with the API's key spelling (the CLI's --json output). */
#include <string.h>

#include "json_write.h"
#include "novita/model.h"

#if defined(__GNUC__) || defined(__clang__)
#define NOVITA_NOINLINE __attribute__((noinline))
#else
#define NOVITA_NOINLINE
#endif

const char *novita_enum_name(const char *const *names, uint16_t count, int value)
{
    return value > 0 && value < (int)count ? names[value] : "";
}

static int64_t read_int(const uint8_t *p, uint16_t size)
{
    int32_t narrow;
    int64_t wide;
    if (size == sizeof(narrow)) {
        memcpy(&narrow, p, sizeof(narrow));
        return narrow;
    }
    memcpy(&wide, p, sizeof(wide));
    return wide;
}

static void write_text(novita_json_writer *w, const uint8_t *p, uint16_t cap)
{
    novita_jw_string_n(w, (const char *)p, novita_strnlen((const char *)p, cap));
}

/* value / 10^scale as an exact decimal number: 37500 at scale 3 -> 37.5. Not inlined: its buffer must not
 * sit in write_object's frame on every nesting level. */
static NOVITA_NOINLINE void write_decimal(novita_json_writer *w, int64_t value, size_t scale)
{
    char text[NOVITA_I64_TEXT_MAX + NOVITA_FIELD_SCALE_MASK + 2u]; /* sign, zeros, digits, point */
    size_t n = novita_format_i64(text, value);
    size_t sign = value < 0 ? 1u : 0u;
    if (n - sign <= scale) { /* "-375" at scale 5 -> "-000375": one integer digit at least */
        size_t pad = scale + 1u - (n - sign);
        memmove(text + sign + pad, text + sign, n - sign);
        memset(text + sign, '0', pad);
        n += pad;
    }
    while (scale > 0 && text[n - 1u] == '0') { /* trailing zeros of the fraction go */
        n--;
        scale--;
    }
    if (scale > 0) {
        memmove(text + n - scale + 1u, text + n - scale, scale);
        text[n - scale] = '.';
        n++;
    }
    novita_jw_raw(w, text, n);
}

static void write_object(novita_json_writer *w, const novita_model *m, const uint8_t *base)
{
    /* The element kind of OBJECT_ARRAY, STRING_ARRAY, INT_ARRAY. */
    static const uint8_t element_kind[] = { NOVITA_FIELD_OBJECT, NOVITA_FIELD_STRING, NOVITA_FIELD_INT };
    novita_jw_object_begin(w);
    for (const novita_field *f = m->fields, *end = f + m->field_count; f < end; f++) {
        const uint8_t *p = base + f->offset;
        const void *ext = f->ext;
        unsigned kind = f->kind;
        uint16_t count = 1, size = f->size;
        novita_jw_key(w, f->key);
        if (kind >= NOVITA_FIELD_OBJECT_ARRAY) { /* its elements, each written like a field of their kind */
            const novita_field_array *a = (const novita_field_array *)ext;
            memcpy(&count, base + a->count_offset, sizeof(count));
            size = a->elem_size;
            ext = a->model;
            kind = element_kind[kind - NOVITA_FIELD_OBJECT_ARRAY];
            novita_jw_array_begin(w);
        }
        for (uint16_t i = 0; i < count; i++, p += size) {
            if (kind == NOVITA_FIELD_STRING) {
                write_text(w, p, size);
            } else if (kind == NOVITA_FIELD_INT) {
                novita_jw_int(w, read_int(p, size));
            } else if (kind == NOVITA_FIELD_BOOL) {
                novita_jw_bool(w, p[0] != 0);
            } else if (kind == NOVITA_FIELD_ENUM) { /* the raw text: also right for values this version lacks */
                const novita_field_enum *e = (const novita_field_enum *)ext;
                write_text(w, base + e->text_offset, e->text_size);
            } else if (kind == NOVITA_FIELD_DECIMAL) {
                write_decimal(w, read_int(p, size), f->flags & NOVITA_FIELD_SCALE_MASK);
            } else {
                write_object(w, (const novita_model *)ext, p);
            }
        }
        if (f->kind >= NOVITA_FIELD_OBJECT_ARRAY)
            novita_jw_array_end(w);
    }
    novita_jw_object_end(w);
}

novita_result novita_model_to_json(const novita_model *model, const void *object, char *out, size_t cap,
                                   size_t *len)
{
    novita_json_writer w;
    if (!model || !object || !out || cap == 0)
        return NOVITA_ERR_INVALID_ARG;
    novita_jw_init(&w, (uint8_t *)out, cap - 1u); /* keep a byte for the NUL */
    write_object(&w, model, (const uint8_t *)object);
    if (len)
        *len = w.len;
    if (novita_jw_overflowed(&w)) {
        out[0] = '\0';
        return NOVITA_ERR_BUFFER_TOO_SMALL;
    }
    out[w.len] = '\0';
    return NOVITA_OK;
}
