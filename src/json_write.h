/*
 * JSON body writer and text formatting helpers (internal).
 *
 * The writer appends to a fixed buffer and never writes past it. After an overflow it keeps counting, so
 * `len` tells the size the whole document would need; the caller checks novita_jw_overflowed() once at the
 * end instead of after every call.
 */
#ifndef NOVITA_JSON_WRITE_H
#define NOVITA_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Longest text of a formatted int64 ("-9223372036854775808"), without NUL. */
#define NOVITA_I64_TEXT_MAX 20u

typedef struct novita_json_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;             /* bytes written, or needed after an overflow */
    uint32_t comma_pending; /* bit d set: the container at depth d already holds a member */
    uint8_t depth;
    bool after_key;         /* the next value follows a key: no comma */
    bool invalid;           /* nesting deeper than 32 or an unbalanced close */
} novita_json_writer;

void novita_jw_init(novita_json_writer *w, uint8_t *buf, size_t cap);
bool novita_jw_overflowed(const novita_json_writer *w);

void novita_jw_object_begin(novita_json_writer *w);
void novita_jw_object_end(novita_json_writer *w);
void novita_jw_array_begin(novita_json_writer *w);
void novita_jw_array_end(novita_json_writer *w);
void novita_jw_key(novita_json_writer *w, const char *key);
void novita_jw_string(novita_json_writer *w, const char *s);
void novita_jw_string_n(novita_json_writer *w, const char *s, size_t n);
void novita_jw_int(novita_json_writer *w, int64_t v);
void novita_jw_bool(novita_json_writer *w, bool v);
/* A string value written in pieces (e.g. "80/http,22/tcp"): open, append escaped text, close. */
void novita_jw_string_open(novita_json_writer *w);
void novita_jw_string_append(novita_json_writer *w, const char *s, size_t n);
void novita_jw_string_close(novita_json_writer *w);
/** Append pre-encoded JSON verbatim (caller guarantees it is valid). */
void novita_jw_raw(novita_json_writer *w, const char *json, size_t n);

/* Members: key + value in one call. The *_opt forms write nothing for NULL or "" strings. */
void novita_jw_member_string(novita_json_writer *w, const char *key, const char *s);
void novita_jw_member_string_opt(novita_json_writer *w, const char *key, const char *s);
void novita_jw_member_int(novita_json_writer *w, const char *key, int64_t v);
void novita_jw_member_bool(novita_json_writer *w, const char *key, bool v);

/** Format v in decimal into out (at least NOVITA_I64_TEXT_MAX bytes); returns the length, no NUL. */
size_t novita_format_i64(char *out, int64_t v);

/** Bounded string copy: copies at most cap-1 bytes and always NUL-terminates (cap > 0). Returns true when
 *  the whole string fitted. */
bool novita_copy_string(char *dst, size_t cap, const char *src, size_t src_len);

/** strlen bounded by max (returns max when no NUL within it). */
size_t novita_strnlen(const char *s, size_t max);

/** strlen and "strcmp == 0": the library's own, because newlib's optimised versions cost hundreds of bytes
 *  of flash each on a Cortex-M. */
size_t novita_strlen(const char *s);
bool novita_streq(const char *a, const char *b);

#endif /* NOVITA_JSON_WRITE_H */
