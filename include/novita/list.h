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
 *   the operation then returns NOVITA_ERR_CANCELLED (or the callback's own error). The callback must not
 *   start another operation on the same client: the list in progress owns its work buffer and connection
 *   (collect what you need and act after the list returns, or use a second client).
 *
 * - **all pages** (`all_pages` true, with either mode): a paged list operation requests page after page
 *   over the client's one kept-alive connection and delivers every element of every page, holding one
 *   page's single element in memory at a time. It stops once `total` elements were seen, at an empty
 *   page, or (when the API sends no total) at a short page. It copes with servers that number pages from
 *   0 or from 1: a page identical to the one before it (a server that reads page 0 as page 1) is skipped,
 *   a second repeat is NOVITA_ERR_PROTOCOL (a server ignoring the page number), and an empty page 0 is
 *   followed by page 1. The page size comes from the operation's filter (page_size), else
 *   NOVITA_LIST_PAGE_SIZE; its page number is ignored. Lists the API does not page are fetched once.
 *   A page is told apart from the one before it by its first element's id (its whole content when it has
 *   no id). A page that fails after some of its elements were delivered is not retried (they would be
 *   delivered twice); the error is returned and `count` says how far the walk got. Each page is one
 *   request: the client's (or opts') deadline_ms bounds each page with its retries, not the whole walk;
 *   to bound a walk, stop it from the callback.
 *
 * @code{c}
 * novita_instance page[20];
 * novita_list list = NOVITA_LIST_ARRAY(page);
 * if (novita_instances_list(&client, NULL, &list, NULL) == NOVITA_OK)
 *     printf("%zu of %lld instances\n", list.count, (long long)list.total);
 *
 * novita_instance one;                       // every instance, one at a time
 * novita_list all = NOVITA_LIST_ALL(&one, print_instance, NULL);
 * novita_result r = novita_instances_list(&client, NULL, &all, NULL);
 * @endcode
 */
#ifndef NOVITA_LIST_H
#define NOVITA_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Receives one decoded element (a pointer to the resource's struct). */
typedef novita_result (*novita_item_cb)(void *user, const void *item);

/** Output of a list operation. Initialise with NOVITA_LIST_ARRAY, NOVITA_LIST_CALLBACK or NOVITA_LIST_ALL. */
typedef struct novita_list {
    void *items;            /**< [in] array of the operation's element struct (caller memory) */
    size_t capacity;        /**< [in] number of elements `items` can hold (>= 1) */
    novita_item_cb on_item; /**< [in] callback mode when set */
    void *user;             /**< [in] passed to on_item */
    bool all_pages;         /**< [in] walk every page (see above) instead of the one page asked for */
    size_t count;           /**< [out] elements stored in items (array mode) or passed to on_item */
    size_t received;        /**< [out] elements the response(s) held, repeated pages excluded */
    int64_t total;          /**< [out] the API's `total` across all pages, or -1 when the API gives none */
    uint32_t pages;         /**< [out] requests made (1 unless all_pages) */
} novita_list;

/** Array mode over a C array (not a pointer): one page. */
#define NOVITA_LIST_ARRAY(array) { (array), sizeof(array) / sizeof((array)[0]), NULL, NULL, false, 0, 0, -1, 0 }
/** Callback mode: `scratch_ptr` is one element struct that each element is decoded into. One page. */
#define NOVITA_LIST_CALLBACK(scratch_ptr, cb, user_ptr) { (scratch_ptr), 1, (cb), (user_ptr), false, 0, 0, -1, 0 }
/** Callback mode over every page: the pagination iterator of every paged list. */
#define NOVITA_LIST_ALL(scratch_ptr, cb, user_ptr) { (scratch_ptr), 1, (cb), (user_ptr), true, 0, 0, -1, 0 }

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_LIST_H */
