/*
 * Table-driven JSON decoder over jsmn tokens (internal).
 *
 * jsmn is built strict and with parent links everywhere in novita-c (see json_jsmn.h): without parent links
 * jsmn finds the opening token of every closing bracket by walking backwards, which makes arrays of objects
 * quadratic.
 */
#ifndef NOVITA_JSON_DECODE_H
#define NOVITA_JSON_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "json_jsmn.h"
#include "novita/model.h"
#include "novita/result.h"

/** Everything one decode needs: the text, its tokens, and where to report errors. */
typedef struct novita_json_doc {
    const char *json;
    size_t len;
    jsmntok_t *tokens;
    int token_count; /* tokens in use after tokenizing */
    size_t token_cap;
    novita_error *err; /* receives what/needed/message on failure; may be NULL */
} novita_json_doc;

/** Tokenize doc->json. Errors: NOVITA_ERR_BUFFER_TOO_SMALL ("token array", needed = tokens required),
 *  NOVITA_ERR_DECODE (invalid or incomplete JSON). */
novita_result novita_json_tokenize(novita_json_doc *doc);

/** Index of the value of `key` in the object at token `obj`, or -1. */
int novita_json_find(const novita_json_doc *doc, int obj, const char *key);

/** Index of the token after the whole value at token i. */
int novita_json_skip(const novita_json_doc *doc, int i);

/** True when text[0..len) equals the NUL-terminated s (the library's own compare: no strlen/strcmp). */
bool novita_json_text_is(const char *text, size_t len, const char *s);

/** The field of m whose key (or alternative key) is text[0..len), or NULL. */
const novita_field *novita_model_field(const novita_model *m, const char *text, size_t len);

/** Decode the object at token `obj` into `out` (zeroed first; zeroed again on failure so no partial data
 *  is left). A token that is an array of objects decodes its first element. Iterative: nested objects use
 *  a fixed stack of NOVITA_MODEL_MAX_DEPTH + 1 levels in this function's frame. */
novita_result novita_decode_model(const novita_json_doc *doc, int obj, const novita_model *model, void *out);

/** Decode one scalar value given as text (string contents without quotes when is_string) into the member
 *  that `field` describes inside `base`; `field` is of a scalar kind (STRING .. DECIMAL). Used by the list
 *  scanner for envelope keys such as "total". */
novita_result novita_decode_scalar_text(const novita_field *field, const char *model_name, const char *text,
                                        size_t len, bool is_string, void *base, novita_error *err);

/** Copy the string token i, unescaped, into dst (NUL-terminated). False when it does not fit or is invalid. */
bool novita_json_string_copy(const novita_json_doc *doc, int i, char *dst, size_t cap);

/** Set err->what to "<model>.<key>" (truncated) and the given result; returns result. */
novita_result novita_decode_fail(novita_error *err, novita_result result, const char *model_name,
                                 const char *key, size_t needed, const char *message);

#endif /* NOVITA_JSON_DECODE_H */
