/*
 * Shared by the libFuzzer targets: reading control bytes off the input, random fragmentation that the
 * fuzzer itself steers, and the invariant checks on decoded model structs.
 *
 * Everything here is static so each target is one translation unit plus the core sources. A failed check
 * prints what broke and aborts: libFuzzer then keeps the input as a crash reproducer.
 */
#ifndef NOVITA_FUZZ_COMMON_H
#define NOVITA_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "novita/model.h"
#include "novita/result.h"

/* Like assert(), but never compiled out and with a message that names the broken invariant. */
#define FUZZ_CHECK(cond, what)                                                                            \
    do {                                                                                                  \
        if (!(cond)) {                                                                                    \
            fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, (what), #cond);    \
            abort();                                                                                      \
        }                                                                                                 \
    } while (0)

/* ------------------------------------------------------------------ input cursor */

/* The front of an input carries control bytes (piece sizes, options); the rest is the payload. Missing
 * control bytes read as 0 so every input, even an empty one, is usable. */
typedef struct fuzz_input {
    const uint8_t *data;
    size_t len;
} fuzz_input;

static inline uint8_t fuzz_take(fuzz_input *in)
{
    uint8_t b = 0;
    if (in->len > 0) {
        b = in->data[0];
        in->data++;
        in->len--;
    }
    return b;
}

/* ------------------------------------------------------------------ fragmentation */

/* Piece sizes come from a tiny PRNG seeded by control bytes: the fuzzer mutates the seed and the size class
 * like any other byte, so a split that exposes a bug is reproducible from the saved input alone. */
typedef struct fuzz_splitter {
    uint32_t state;
    size_t max_piece;
} fuzz_splitter;

/* Size classes: single bytes (the worst case for incremental parsers), small odd sizes, and large reads. */
static const size_t fuzz_piece_classes[] = { 1, 2, 3, 5, 8, 17, 64, 251, 1024, 4096, 65536 };

/* Inputs longer than this get pieces of up to FUZZ_LONG_MIN_PIECE bytes at least (see below). */
#define FUZZ_LONG_INPUT 4096u
#define FUZZ_LONG_MIN_PIECE 64u

/*
 * `payload_len` is the size of what will be split. The HTTP parser rescans a pending line from its start on
 * every call (by design: it keeps no scan offset), so a line of n bytes fed 1 byte at a time costs n^2/2
 * steps; at the 8 KiB header limit that is about a second per input under the sanitizers. For long inputs
 * the smallest size classes are therefore raised to 64 bytes (single-byte pieces still occur, as 1..64 is
 * drawn uniformly): the same code paths, at a cost that keeps the fuzzer exploring.
 */
static inline void fuzz_splitter_init(fuzz_splitter *s, uint8_t seed, uint8_t size_class, size_t payload_len)
{
    s->state = 0x9E3779B9u ^ ((uint32_t)seed * 0x01000193u) ^ size_class;
    if (s->state == 0)
        s->state = 1;
    s->max_piece = fuzz_piece_classes[size_class % (sizeof(fuzz_piece_classes) / sizeof(fuzz_piece_classes[0]))];
    if (payload_len > FUZZ_LONG_INPUT && s->max_piece < FUZZ_LONG_MIN_PIECE)
        s->max_piece = FUZZ_LONG_MIN_PIECE;
}

static inline uint32_t fuzz_rand(fuzz_splitter *s)
{
    /* xorshift32: enough spread for piece sizes, no state beyond 4 bytes */
    uint32_t x = s->state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s->state = x;
    return x;
}

/* Size of the next piece: 1..min(max_piece, remaining). remaining must be > 0. */
static inline size_t fuzz_next_piece(fuzz_splitter *s, size_t remaining)
{
    size_t n = 1u + (size_t)fuzz_rand(s) % s->max_piece;
    return n < remaining ? n : remaining;
}

/* ------------------------------------------------------------------ model invariants */

static inline bool fuzz_nul_within(const uint8_t *p, size_t size)
{
    return size > 0 && memchr(p, 0, size) != NULL;
}

static inline bool fuzz_all_zero(const uint8_t *p, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (p[i] != 0)
            return false;
    }
    return true;
}

static inline uint16_t fuzz_read_u16(const uint8_t *base, uint16_t offset)
{
    uint16_t v;
    memcpy(&v, base + offset, sizeof(v));
    return v;
}

static inline void fuzz_mark(uint8_t *mask, size_t mask_len, size_t offset, size_t size)
{
    FUZZ_CHECK(offset + size <= mask_len, "a field table entry lies outside its struct");
    memset(mask + offset, 1, size);
}

/*
 * Checks one decoded struct against its field table:
 * - every string (and enum raw text, and string-array element) is NUL-terminated within its member;
 * - every bool holds 0 or 1 (anything else is undefined behaviour to read as bool);
 * - every enum value names one of the table's names (0 = unknown) and matches its raw text;
 * - array counts never exceed the capacity nor the total (slots past the count are not checked: a JSON
 *   key given twice legitimately leaves the first array's extra elements there, and count says so);
 * - bytes that no field describes (padding, members outside the table) are zero: the decoder zeroes the
 *   struct first, so anything else there was written by mistake.
 * Nested objects and the used array elements are checked the same way, recursively.
 */
static inline void fuzz_check_model(const novita_model *m, const uint8_t *base)
{
    uint8_t *mask = (uint8_t *)calloc(m->struct_size ? m->struct_size : 1u, 1u);
    FUZZ_CHECK(mask != NULL, "out of memory in the harness");
    for (size_t k = 0; k < m->field_count; k++) {
        const novita_field *f = &m->fields[k];
        const uint8_t *p = base + f->offset;
        fuzz_mark(mask, m->struct_size, f->offset, f->size);
        switch ((novita_field_kind)f->kind) {
        case NOVITA_FIELD_STRING:
            FUZZ_CHECK(fuzz_nul_within(p, f->size), "string member not NUL-terminated within its size");
            break;
        case NOVITA_FIELD_INT:
        case NOVITA_FIELD_DECIMAL:
            FUZZ_CHECK(f->size == 4 || f->size == 8, "integer member of an unexpected size");
            break;
        case NOVITA_FIELD_BOOL:
            FUZZ_CHECK(p[0] == 0 || p[0] == 1, "bool member holds neither 0 nor 1");
            break;
        case NOVITA_FIELD_ENUM: {
            const novita_field_enum *e = (const novita_field_enum *)f->ext;
            int v;
            const char *raw = (const char *)(base + e->text_offset);
            fuzz_mark(mask, m->struct_size, e->text_offset, e->text_size);
            memcpy(&v, p, sizeof(v));
            FUZZ_CHECK(fuzz_nul_within((const uint8_t *)raw, e->text_size), "enum raw text not NUL-terminated");
            FUZZ_CHECK(v >= 0 && v < (int)e->count, "enum value outside its names");
            FUZZ_CHECK(v == 0 || strcmp(raw, e->names[v]) == 0, "enum value disagrees with its raw text");
            break;
        }
        case NOVITA_FIELD_OBJECT: {
            const novita_model *sub = (const novita_model *)f->ext;
            FUZZ_CHECK(sub != NULL && sub->struct_size <= f->size, "object member smaller than its model");
            fuzz_check_model(sub, p);
            break;
        }
        case NOVITA_FIELD_OBJECT_ARRAY:
        case NOVITA_FIELD_STRING_ARRAY:
        case NOVITA_FIELD_INT_ARRAY: {
            const novita_field_array *a = (const novita_field_array *)f->ext;
            size_t capacity = a->elem_size ? f->size / a->elem_size : 0;
            uint16_t count = fuzz_read_u16(base, a->count_offset);
            uint16_t total = fuzz_read_u16(base, a->total_offset);
            fuzz_mark(mask, m->struct_size, a->count_offset, sizeof(uint16_t));
            fuzz_mark(mask, m->struct_size, a->total_offset, sizeof(uint16_t));
            FUZZ_CHECK(count <= capacity, "array count exceeds its capacity");
            FUZZ_CHECK(count <= total, "array count exceeds the total the response held");
            FUZZ_CHECK((a->model != NULL) == (f->kind == NOVITA_FIELD_OBJECT_ARRAY), "array element model mismatch");
            if (f->kind == NOVITA_FIELD_INT_ARRAY)
                FUZZ_CHECK(a->elem_size == 4 || a->elem_size == 8, "integer array of an unexpected element size");
            for (size_t i = 0; i < count; i++) {
                const uint8_t *elem = p + i * a->elem_size;
                if (f->kind == NOVITA_FIELD_OBJECT_ARRAY)
                    fuzz_check_model(a->model, elem);
                else if (f->kind == NOVITA_FIELD_STRING_ARRAY)
                    FUZZ_CHECK(fuzz_nul_within(elem, a->elem_size), "string array element not NUL-terminated");
            }
            break;
        }
        default:
            /* A kind added to model.h: teach this function what its members must look like. */
            FUZZ_CHECK(false, "fuzz_check_model() does not know this field kind");
        }
    }
    for (size_t i = 0; i < m->struct_size; i++) {
        if (!mask[i])
            FUZZ_CHECK(base[i] == 0, "a byte outside every described field was written");
    }
    free(mask);
}

/* novita_error strings must stay usable whatever failed. */
static inline void fuzz_check_error(const novita_error *e)
{
    FUZZ_CHECK(fuzz_nul_within((const uint8_t *)e->what, sizeof(e->what)), "error.what not NUL-terminated");
    FUZZ_CHECK(fuzz_nul_within((const uint8_t *)e->message, sizeof(e->message)), "error.message not NUL-terminated");
    FUZZ_CHECK(fuzz_nul_within((const uint8_t *)e->reason, sizeof(e->reason)), "error.reason not NUL-terminated");
}

/* Results a decode may end in: anything else (a network error from a pure decoder, say) is a bug. */
static inline bool fuzz_is_decode_result(novita_result r)
{
    return r == NOVITA_OK || r == NOVITA_ERR_DECODE || r == NOVITA_ERR_BUFFER_TOO_SMALL;
}

#endif /* NOVITA_FUZZ_COMMON_H */
