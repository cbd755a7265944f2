/**
 * @file list.h
 * @brief How every list operation hands back its elements, in bounded memory.
 *
 * List responses are decoded one element at a time as the bytes arrive, so the work buffer only needs to
 * hold the largest single element, never the page. Each element is decoded into caller memory:
 *
 * - **array mode** (`on_item` NULL): elements fill `items[0..capacity)`; `count` says how many were stored.
 *   Elements beyond the capacity are decoded, counted in `received`, and dropped.
 * - **callback mode** (`on_item` set): every element is decoded into `items[0]` and passed to `on_item`;
 *   nothing is dropped and one struct is enough (capacity >= 1). Return non-OK from the callback to stop:
 *   the operation then returns NOVITA_ERR_CANCELLED (or the callback's own error).
 *
 * @code{c}
 * novita_instance page[20];
 * novita_list list = NOVITA_LIST_ARRAY(page);
 * if (novita_instances_list(&client, NULL, &list, NULL) == NOVITA_OK)
 *     printf("%zu of %lld instances\n", list.count, (long long)list.total);
 * @endcode
 */
#ifndef NOVITA_LIST_H
#define NOVITA_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "novita/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Receives one decoded element (a pointer to the resource's struct). */
typedef novita_result (*novita_item_cb)(void *user, const void *item);

/** Output of a list operation. Initialise with NOVITA_LIST_ARRAY or NOVITA_LIST_CALLBACK. */
typedef struct novita_list {
    void *items;            /**< [in] array of the operation's element struct (caller memory) */
    size_t capacity;        /**< [in] number of elements `items` can hold (>= 1) */
    novita_item_cb on_item; /**< [in] callback mode when set */
    void *user;             /**< [in] passed to on_item */
    size_t count;           /**< [out] elements stored in items (array mode) or passed to on_item */
    size_t received;        /**< [out] elements the response held */
    int64_t total;          /**< [out] the API's `total` across all pages, or -1 when the API gives none */
} novita_list;

/** Array mode over a C array (not a pointer). */
#define NOVITA_LIST_ARRAY(array) { (array), sizeof(array) / sizeof((array)[0]), NULL, NULL, 0, 0, -1 }
/** Callback mode: `scratch` is one element struct that each element is decoded into. */
#define NOVITA_LIST_CALLBACK(scratch_ptr, cb, user_ptr) { (scratch_ptr), 1, (cb), (user_ptr), 0, 0, -1 }

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_LIST_H */
