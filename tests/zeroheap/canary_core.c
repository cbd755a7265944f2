/*
 * Self-test of the interposer: code that allocates on purpose. It is built as a shared library whose name
 * contains "novita_zeroheap_core", so the interposer treats it exactly like the novita core.
 */
#include <stdio.h>
#include <stdlib.h>

#include "canary_core.h"

int canary_core_direct(void)
{
    char *p = malloc(32);
    int ok = p != NULL;
    free(p);
    return ok;
}

int canary_core_through_libc(void)
{
    FILE *f = fopen("/dev/null", "r"); /* glibc allocates the FILE with malloc, fclose frees it */
    if (f == NULL)
        return 0;
    return fclose(f) == 0;
}
