/*
 * The integer helpers GCC calls on the Xtensa LX106 core, which has no divide instruction and no
 * high-half multiply: Debian's libgcc for xtensa-lx106-elf references them but does not define them (on an
 * ESP8266 the boot ROM provides them). Only the unit-test images on QEMU link this file
 * (scripts/target-test.sh); picolibc's printf needs the 64-bit ones, the library the 32-bit ones and
 * __muldi3. Shift-and-subtract division: slow, small and obviously right. A zero divisor faults, as the
 * hardware divide of other Xtensa cores does, so a division by zero fails the test instead of passing
 * silently.
 */
#include <stdint.h>

uint32_t __udivsi3(uint32_t n, uint32_t d);
uint32_t __umodsi3(uint32_t n, uint32_t d);
int32_t __divsi3(int32_t n, int32_t d);
int32_t __modsi3(int32_t n, int32_t d);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);
uint64_t __muldi3(uint64_t a, uint64_t b);
void xtensa_sim_fault(uint32_t cause, uint32_t pc, uint32_t address, uint32_t ret);

#define CAUSE_DIVIDE_BY_ZERO 6u

/* The fault names the code that divided: the return address of the helper it called. */
#define CHECK_DIVISOR(d)                                                                                      \
    do {                                                                                                      \
        if ((d) == 0u)                                                                                        \
            xtensa_sim_fault(CAUSE_DIVIDE_BY_ZERO, (uint32_t)(uintptr_t)__builtin_return_address(0), 0u, 0u); \
    } while (0)

static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1u);
        if (r >= d) {
            r -= d;
            q |= (uint64_t)1u << bit;
        }
    }
    *rem = r;
    return q;
}

static uint64_t magnitude(int64_t v) { return v < 0 ? 0u - (uint64_t)v : (uint64_t)v; }

/* C99 division truncates towards zero: the quotient's sign is the operands' product's, the remainder's the
 * dividend's. The 32-bit helpers use the 64-bit ones: these images need them correct, not fast. */
uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    CHECK_DIVISOR(d);
    return udivmod64(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    CHECK_DIVISOR(d);
    (void)udivmod64(n, d, &r);
    return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
    uint64_t r, q;
    CHECK_DIVISOR(d);
    q = udivmod64(magnitude(n), magnitude(d), &r);
    return (int64_t)((n < 0) != (d < 0) ? 0u - q : q);
}

int64_t __moddi3(int64_t n, int64_t d)
{
    uint64_t r;
    CHECK_DIVISOR(d);
    (void)udivmod64(magnitude(n), magnitude(d), &r);
    return (int64_t)(n < 0 ? 0u - r : r);
}

uint32_t __udivsi3(uint32_t n, uint32_t d)
{
    CHECK_DIVISOR(d);
    return (uint32_t)__udivdi3(n, d);
}

uint32_t __umodsi3(uint32_t n, uint32_t d)
{
    CHECK_DIVISOR(d);
    return (uint32_t)__umoddi3(n, d);
}

int32_t __divsi3(int32_t n, int32_t d)
{
    CHECK_DIVISOR(d);
    return (int32_t)__divdi3(n, d);
}

int32_t __modsi3(int32_t n, int32_t d)
{
    CHECK_DIVISOR(d);
    return (int32_t)__moddi3(n, d);
}

/* 32 x 32 -> 64 bits from 16-bit halves: the core's MULL keeps only the low 32 bits of a product. */
static uint64_t wide_multiply(uint32_t a, uint32_t b)
{
    uint32_t a_lo = a & 0xFFFFu, a_hi = a >> 16, b_lo = b & 0xFFFFu, b_hi = b >> 16;
    uint32_t lo_lo = a_lo * b_lo, lo_hi = a_lo * b_hi, hi_lo = a_hi * b_lo, hi_hi = a_hi * b_hi;
    uint32_t middle = (lo_lo >> 16) + (lo_hi & 0xFFFFu) + (hi_lo & 0xFFFFu);
    uint32_t low = (lo_lo & 0xFFFFu) | (middle << 16);
    uint32_t high = hi_hi + (lo_hi >> 16) + (hi_lo >> 16) + (middle >> 16);
    return ((uint64_t)high << 32) | low;
}

uint64_t __muldi3(uint64_t a, uint64_t b)
{
    uint32_t a_lo = (uint32_t)a, a_hi = (uint32_t)(a >> 32), b_lo = (uint32_t)b, b_hi = (uint32_t)(b >> 32);
    uint64_t low = wide_multiply(a_lo, b_lo);
    uint32_t high = (uint32_t)(low >> 32) + a_lo * b_hi + a_hi * b_lo;
    return ((uint64_t)high << 32) | (uint32_t)low;
}
