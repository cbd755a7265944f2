/*
 * Proves that the interposer sees what it must and nothing else: allocations by the "core" (a stand-in
 * library, canary_core.c) directly and through libc are violations; allocations by the test program,
 * directly and through libc, are not. Exits 0 only when all four hold (the counts are reset before the
 * end, so the interposer's own exit check passes).
 */
#include <stdio.h>
#include <stdlib.h>

#include "canary_core.h"
#include "zeroheap.h"

static int failures;

static void expect(int condition, const char *what)
{
    if (!condition) {
        fprintf(stderr, "zeroheap self-test FAILED: %s\n", what);
        failures++;
    }
}

int main(void)
{
    size_t before;
    char *p;
    FILE *f;

    novita_zeroheap_reset();
    p = malloc(64);
    free(p);
    f = fopen("/dev/null", "r");
    if (f != NULL)
        fclose(f);
    expect(novita_zeroheap_calls() >= 2, "the interposer saw the program's own allocations");
    expect(novita_zeroheap_violations() == 0, "allocations by the test program are not violations");

    before = novita_zeroheap_violations();
    expect(canary_core_direct(), "canary malloc worked");
    expect(novita_zeroheap_violations() == before + 2, "malloc and free called by the core are violations");

    before = novita_zeroheap_violations();
    expect(canary_core_through_libc(), "canary fopen worked");
    expect(novita_zeroheap_violations() >= before + 2, "allocations made by libc for the core are violations");

    novita_zeroheap_reset();
    if (failures == 0)
        printf("zeroheap self-test: ok (direct and through-libc allocations of the core detected)\n");
    return failures == 0 ? 0 : 1;
}
