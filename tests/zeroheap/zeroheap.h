/**
 * @file zeroheap.h
 * @brief The zero-heap interposer (tests/zeroheap/zeroheap.c): what a test program can ask it.
 *
 * Linked into a test program, zeroheap.c replaces malloc, calloc, realloc, free (and the aligned and array
 * variants) for the whole process. Each call is passed on to glibc; a call made by code of the novita core
 * (any shared object whose file name contains "novita_zeroheap_core"), directly or through a libc function
 * that the core called, is a violation: it is reported on stderr and the process exits with status 99 when
 * it ends. Calls from mbedTLS, libc itself on behalf of other code, the test program and the port are not.
 * glibc on Linux only (it uses __libc_malloc and friends, dl_iterate_phdr and the libgcc unwinder).
 *
 * Environment: NOVITA_ZEROHEAP_VERBOSE=1 prints a one-line summary at exit even when all is well;
 * NOVITA_ZEROHEAP_ABORT=1 aborts at the first violation (to catch it in a debugger).
 */
#ifndef NOVITA_ZEROHEAP_H
#define NOVITA_ZEROHEAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Number of allocator calls made by the core since the start (or the last reset).
 * @return the count; 0 means the core has not touched the heap.
 */
size_t novita_zeroheap_violations(void);

/**
 * @brief Number of allocator calls seen (from anyone) since the start (or the last reset).
 * @return the count; shows that the interposer is in place.
 */
size_t novita_zeroheap_calls(void);

/**
 * @brief Forget the violations and calls counted so far (for the interposer's own self-test, which makes
 *        violations on purpose and must then exit 0).
 */
void novita_zeroheap_reset(void);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_ZEROHEAP_H */
