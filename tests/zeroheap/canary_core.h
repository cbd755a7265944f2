/* Functions of the allocating stand-in for the core (canary_core.c), used by zeroheap_selftest.c. */
#ifndef NOVITA_ZEROHEAP_CANARY_CORE_H
#define NOVITA_ZEROHEAP_CANARY_CORE_H

/** Calls malloc and free itself. @return 1 when the allocation succeeded. */
int canary_core_direct(void);

/** Allocates only inside libc (fopen/fclose). @return 1 when both succeeded. */
int canary_core_through_libc(void);

#endif /* NOVITA_ZEROHEAP_CANARY_CORE_H */
