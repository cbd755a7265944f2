/*
 * Bounded-memory list decoding (internal).
 *
 * A list response such as {"instances":[{...},{...}],"total":300} arrives as body bytes in arbitrary pieces.
 * The scanner tracks JSON nesting and string state byte by byte, keeps only the bytes of the list element
 * being read (or of one wanted top-level scalar such as "total") at the start of the work buffer, and
 * decodes each element with the model tables as soon as it is complete. Memory is bounded by the largest
 * element, not by the page. A top-level array ([{...},...]) is accepted as the list itself.
 */
#ifndef NOVITA_JSON_STREAM_H
#define NOVITA_JSON_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_decode.h"

/** Bytes kept at the start of the work buffer while the rest of the buffer receives. */
typedef struct novita_body_store {
    uint8_t *base;
    size_t kept;
} novita_body_store;

/** Called after each element. *item is where it was decoded (NULL: it was only counted); the callback may
 *  point *item somewhere else (or at NULL) for the next element. Return NOVITA_OK to go on. */
typedef novita_result (*novita_item_fn)(void *user, void **item);

typedef struct novita_list_scanner {
    /* state, first: small member offsets make the byte loop's code shorter on Thumb */
    uint8_t capture;               /* what the store is receiving (CAPTURE_* in json_stream.c) */
    bool in_string, escaped, in_key;
    bool expect_key;               /* at depth 1 of the envelope, the next string is a key */
    bool after_colon;              /* at depth 1 of the envelope, a value comes next */
    bool saw_root;
    uint8_t key_len;               /* > sizeof(key): the key was longer (matches nothing) */
    uint32_t depth;                /* nesting depth of the byte being scanned */
    uint32_t arrays;               /* bit d-1 set: the container open at depth d is an array, not an object */
    uint32_t list_depth;           /* depth of the list's elements (2, or 1 for a bare array); 0 = not in it */
    uint32_t capture_depth;        /* depth at which the captured element started */
    uint32_t items;                /* elements decoded */
    const novita_field *capture_field; /* envelope field of a captured scalar */
    char key[32];                  /* the envelope key whose value comes next */
    /* configuration */
    const char *array_key;         /* key of the list in the envelope, e.g. "instances" */
    const char *array_alt_key;     /* accepted alternative key, or NULL */
    const novita_model *envelope;  /* top-level scalars to pick up (e.g. total), or NULL */
    void *envelope_out;
    const novita_model *item_model;
    void *item;                    /* storage for the next element; NULL = count it without decoding */
    novita_item_fn on_item;
    void *user;
    novita_body_store *store;
    jsmntok_t *tokens;
    size_t token_cap;
    novita_error *err;
} novita_list_scanner;

void novita_list_scanner_start(novita_list_scanner *s);

/** Body sink entry point (matches novita_body_sink.write). `data` must lie inside the work buffer at or
 *  after store->base + store->kept. */
novita_result novita_list_scanner_write(void *scanner, const uint8_t *data, size_t len);

/** After the body ended: NOVITA_OK when the document was complete. */
novita_result novita_list_scanner_finish(const novita_list_scanner *s);

#endif /* NOVITA_JSON_STREAM_H */
