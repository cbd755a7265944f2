/*
 * Start-up code for the unit tests run on an emulated Cortex-M4 (scripts/target-test.sh: QEMU -M mps2-an386,
 * newlib-nano + librdimon for semihosted stdio). Why not rdimon's own crt0: it brings no vector table (a
 * Cortex-M boots from the one at address 0, and without fault handlers a fault would hang QEMU until the
 * timeout instead of failing the test), and it takes the heap and stack from the semihosting HEAPINFO call
 * rather than from this board's memory map.
 *
 * What it does: the vector table (initial stack pointer, reset, faults); at reset, copy .data, clear .bss,
 * make the 16 MiB below RAM (where the stack would overflow to: mps2_an386.ld puts it at the start of RAM)
 * a no-access MPU region, so an overflow faults at once instead of going unnoticed (QEMU ignores writes to
 * the unmapped space there); trap integer division by zero (a Cortex-M returns 0 silently, where a host
 * traps) and unaligned LDRD/STRD/LDM are faults anyway; paint the stack to measure its use; open the
 * semihosting stdio handles, run main(), and pass main()'s return value to QEMU as its exit status
 * (semihosting SYS_EXIT_EXTENDED). A fault prints its registers and exits with status 2, a stack overflow
 * with status 3. Symbols come from tests/target/mps2_an386.ld.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __stack_top, __stack_limit, __stack_size, __ram_end;
extern char end; /* first heap byte */

int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
void initialise_monitor_handles(void); /* librdimon: opens stdin/stdout/stderr through semihosting */
void *_sbrk(ptrdiff_t incr);
void target_fault_report(const uint32_t *frame, uint32_t exc_return);

#define GUARD_BASE 0x1F000000u    /* no-access MPU region: the 16 MiB below RAM (0x20000000) */
#define GUARD_SIZE_LOG2 24u
#define STACK_PAINT 0x5A5AA5A5u
#define EXIT_FAULT 2
#define EXIT_STACK 3

/* ---- system control registers (ARMv7-M) */
#define REG(addr) (*(volatile uint32_t *)(addr))
#define SCB_ICSR REG(0xE000ED04u)
#define SCB_CCR REG(0xE000ED14u)
#define SCB_SHCSR REG(0xE000ED24u)
#define SCB_CFSR REG(0xE000ED28u)
#define SCB_HFSR REG(0xE000ED2Cu)
#define SCB_MMFAR REG(0xE000ED34u)
#define SCB_BFAR REG(0xE000ED38u)
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u)

/* ---- semihosting (ARM "Angel" interface: BKPT 0xAB in Thumb state) */
#define SYS_WRITE0 0x04u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void target_puts(const char *s)
{
    (void)semihost(SYS_WRITE0, s);
}

static void target_exit(int status)
{
    uint32_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)status;
    for (;;)
        (void)semihost(SYS_EXIT_EXTENDED, block);
}

/* label (at most 32 characters) and v as 0x%08x */
static void put_hex(const char *label, uint32_t v)
{
    char buf[32 + 11];
    size_t n = strlen(label);
    if (n > 32u)
        n = 32u;
    memcpy(buf, label, n);
    buf[n++] = '0';
    buf[n++] = 'x';
    for (int shift = 28; shift >= 0; shift -= 4)
        buf[n++] = "0123456789abcdef"[(v >> (unsigned)shift) & 0xFu];
    buf[n] = '\0';
    target_puts(buf);
}

/* ---- vector table: the 16 system entries; the tests enable no interrupt */
typedef void (*vector)(void);
typedef struct cortex_m_vectors {
    uint32_t *initial_stack;
    vector handlers[15];
} cortex_m_vectors;

__attribute__((section(".isr_vector"), used)) const cortex_m_vectors vector_table = {
    &__stack_top,
    {
        Reset_Handler,
        Fault_Handler, /* NMI */
        Fault_Handler, /* HardFault */
        Fault_Handler, /* MemManage */
        Fault_Handler, /* BusFault */
        Fault_Handler, /* UsageFault */
        0, 0, 0, 0,
        Fault_Handler, /* SVCall */
        Fault_Handler, /* DebugMonitor */
        0,
        Fault_Handler, /* PendSV */
        Fault_Handler, /* SysTick */
    },
};

/* The fault report runs here: the faulting stack may be the problem, and its frame must stay readable. */
uint32_t target_fault_stack[256];

/* Any exception: switch the MPU off and move to the fault stack (the fault may be a stack overflow into the
 * guard), then report. r0 = the stacked frame, r1 = EXC_RETURN. Never returns. */
__attribute__((naked)) void Fault_Handler(void)
{
    __asm__ volatile("tst lr, #4\n"
                     "ite eq\n"
                     "mrseq r0, msp\n"
                     "mrsne r0, psp\n"
                     "mov r1, lr\n"
                     "ldr r2, =0xE000ED94\n"
                     "movs r3, #0\n"
                     "str r3, [r2]\n"
                     "dsb\n"
                     "isb\n"
                     "ldr r2, =target_fault_stack + 1024\n"
                     "msr msp, r2\n"
                     "b target_fault_report\n");
}

void target_fault_report(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t cfsr = SCB_CFSR;
    target_puts("\n*** target fault: exception ");
    put_hex("", SCB_ICSR & 0x1FFu);
    put_hex(" CFSR=", cfsr);
    put_hex(" HFSR=", SCB_HFSR);
    if (cfsr & 0x80u)
        put_hex(" MMFAR=", SCB_MMFAR);
    if (cfsr & 0x8000u)
        put_hex(" BFAR=", SCB_BFAR);
    put_hex(" EXC_RETURN=", exc_return);
    put_hex("\n    frame at ", (uint32_t)(uintptr_t)frame);
    if ((uintptr_t)frame < (uintptr_t)&__stack_limit + 32u || (uintptr_t)frame >= (uintptr_t)&__stack_top) {
        target_puts(" (outside the stack: stack overflow)\n");
        target_exit(EXIT_STACK);
    }
    put_hex(": PC=", frame[6]);
    put_hex(" LR=", frame[5]);
    put_hex(" R0=", frame[0]);
    put_hex(" R1=", frame[1]);
    put_hex(" R2=", frame[2]);
    put_hex(" R3=", frame[3]);
    target_puts("\n");
    target_exit((cfsr & 0x80u) && SCB_MMFAR < (uintptr_t)&__stack_limit && SCB_MMFAR >= GUARD_BASE ? EXIT_STACK
                                                                                              : EXIT_FAULT);
}

/* newlib's heap (stdio buffers): from `end` up to the end of RAM. Replaces librdimon's weak _sbrk, which
 * stops at the stack pointer: below the heap here. */
void *_sbrk(ptrdiff_t incr)
{
    static char *heap_end = &end;
    char *prev = heap_end;
    if (incr > (char *)&__ram_end - heap_end || -incr > heap_end - &end) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_end += incr;
    return prev;
}

static void stack_guard_on(void)
{
    MPU_RNR = 0u;
    MPU_RBAR = GUARD_BASE;                     /* aligned to its size */
    MPU_RASR = (1u << 28)                      /* XN */
               | (0u << 24)                    /* AP = no access, even privileged */
               | ((GUARD_SIZE_LOG2 - 1u) << 1) /* SIZE: 2^(SIZE+1) bytes */
               | 1u;                           /* ENABLE */
    MPU_CTRL = (1u << 2) | 1u;                 /* PRIVDEFENA: the default map elsewhere; ENABLE */
    __asm__ volatile("dsb\nisb" ::: "memory");
}

__attribute__((noinline)) static void paint_stack(void)
{
    uint32_t here;
    uint32_t *p = &__stack_limit;
    uint32_t *stop = (uint32_t *)((uintptr_t)&here - 256u);
    while (p < stop)
        *p++ = STACK_PAINT;
}

static size_t stack_used(void)
{
    const uint32_t *p = &__stack_limit;
    while (p < &__stack_top && *p == STACK_PAINT)
        p++;
    return (size_t)((uintptr_t)&__stack_top - (uintptr_t)p);
}

void Reset_Handler(void)
{
    int status;
    size_t used;
    char line[96];
    memcpy(&__data_start, &__data_load, (size_t)((uintptr_t)&__data_end - (uintptr_t)&__data_start));
    memset(&__bss_start, 0, (size_t)((uintptr_t)&__bss_end - (uintptr_t)&__bss_start));
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18); /* MemManage, BusFault, UsageFault: own handlers */
    SCB_CCR |= 1u << 4;                                /* DIV_0_TRP */
    paint_stack();
    stack_guard_on();
    initialise_monitor_handles();
    status = main();
    fflush(NULL);
    used = stack_used();
    snprintf(line, sizeof line, "[target] stack used: %lu of %lu bytes\n", (unsigned long)used,
             (unsigned long)(uintptr_t)&__stack_size);
    target_puts(line);
    if (used + 64u >= (size_t)(uintptr_t)&__stack_size) {
        target_puts("[target] the stack reached its end\n");
        target_exit(EXIT_STACK);
    }
    target_exit(status);
}
