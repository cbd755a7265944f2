/* Model structs back to JSON with the API's key spelling (the CLI's --json output). */
#include <string.h>

#include "json_write.h"
#include "novita/model.h"

const char *novita_enum_name(const char *const *names, uint16_t count, int value)
{
    return value > 0 && value < (int)count ? names[value] : "";
}

static int64_t read_int(const uint8_t *p, uint16_t size)
{
    if (size == sizeof(int32_t)) {
        int32_t v;
        memcpy(&v, p, sizeof(v));
        return v;
    }
    {
        int64_t v;
        memcpy(&v, p, sizeof(v));
        return v;
    }
}

static uint16_t read_u16(const uint8_t *base, uint16_t offset)
{
    uint16_t v;
    memcpy(&v, base + offset, sizeof(v));
    return v;
}

/* value / 10^scale as an exact decimal number: 37500 at scale 3 -> 37.5 */
static void write_decimal(novita_json_writer *w, int64_t value, uint16_t scale)
{
    if (scale > NOVITA_DECIMAL_SCALE_MAX) { /* a broken field table: no number to show */
        novita_jw_raw(w, "null", 4);
        return;
    }
    char digits[NOVITA_I64_TEXT_MAX + 24] = { 0 }; /* up to scale leading zeros */
    char text[NOVITA_I64_TEXT_MAX + 4];
    uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    size_t n = 0, len = 0, int_len, frac_len;
    do {
        digits[n++] = (char)('0' + (int)(mag % 10u));
        mag /= 10u;
    } while (mag != 0u || n <= scale);
    /* digits holds the number reversed, at least scale+1 digits long */
    if (value < 0)
        text[len++] = '-';
    int_len = n - scale;
    for (size_t i = 0; i < int_len; i++)
        text[len++] = digits[n - 1u - i];
    frac_len = scale;
    while (frac_len > 0 && digits[scale - frac_len] == '0')
        frac_len--; /* drop trailing zeros of the fraction */
    if (frac_len > 0) {
        text[len++] = '.';
        for (size_t i = 0; i < frac_len; i++)
            text[len++] = digits[scale - 1u - i];
    }
    novita_jw_raw(w, text, len);
}

static void write_object(novita_json_writer *w, const novita_model *m, const uint8_t *base);

static void write_field(novita_json_writer *w, const novita_field *f, const uint8_t *base)
{
    const uint8_t *p = base + f->offset;
    novita_jw_key(w, f->key);
    switch ((novita_field_kind)f->kind) {
    case NOVITA_FIELD_STRING:
        novita_jw_string_n(w, (const char *)p, novita_strnlen((const char *)p, f->size));
        break;
    case NOVITA_FIELD_INT:
        novita_jw_int(w, read_int(p, f->size));
        break;
    case NOVITA_FIELD_BOOL: {
        bool v;
        memcpy(&v, p, sizeof(v));
        novita_jw_bool(w, v);
        break;
    }
    case NOVITA_FIELD_ENUM: /* the raw text: also right for values this version does not know */
        novita_jw_string_n(w, (const char *)(base + f->aux_offset),
                           novita_strnlen((const char *)(base + f->aux_offset), f->aux_size));
        break;
    case NOVITA_FIELD_DECIMAL:
        write_decimal(w, read_int(p, f->size), f->aux_size);
        break;
    case NOVITA_FIELD_OBJECT:
        write_object(w, f->model, p);
        break;
    case NOVITA_FIELD_OBJECT_ARRAY:
    case NOVITA_FIELD_STRING_ARRAY:
    case NOVITA_FIELD_INT_ARRAY: {
        uint16_t count = read_u16(base, f->count_offset);
        novita_jw_array_begin(w);
        for (uint16_t i = 0; i < count; i++) {
            const uint8_t *elem = p + (size_t)i * f->elem_size;
            if (f->kind == NOVITA_FIELD_OBJECT_ARRAY)
                write_object(w, f->model, elem);
            else if (f->kind == NOVITA_FIELD_INT_ARRAY)
                novita_jw_int(w, read_int(elem, f->elem_size));
            else
                novita_jw_string_n(w, (const char *)elem, novita_strnlen((const char *)elem, f->elem_size));
        }
        novita_jw_array_end(w);
        break;
    }
    }
}

static void write_object(novita_json_writer *w, const novita_model *m, const uint8_t *base)
{
    novita_jw_object_begin(w);
    for (size_t i = 0; i < m->field_count; i++)
        write_field(w, &m->fields[i], base);
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
