/*
 * Start-up code for the unit tests run on an emulated Xtensa LX106 core (scripts/target-test.sh: QEMU
 * -M sim -cpu lx106, picolibc). Why not picolibc's crt0: on Xtensa it expects a boot ROM to have set the
 * stack pointer, and it brings no exception vectors (without them a fault would spin in QEMU until the
 * timeout instead of failing the test).
 *
 * What it does: at the reset vector (0x50000000, where QEMU's sim machine starts), point VECBASE at this
 * file's vectors, set the stack pointer, clear .bss, run main() and pass its return value to QEMU as the exit
 * status. Output and exit go through QEMU's Xtensa semihosting (the SIMCALL instruction: a2 = call number,
 * a3.. = arguments). Any exception prints its cause and registers and exits with 128 + EXCCAUSE (a stack
 * overflow runs into the unmapped space below RAM: EXCCAUSE 15, reported as an overflow). The core
 * stays in exception mode (PS.EXCM, as at reset) throughout, so every exception arrives at the double
 * exception vector with the faulting PC in DEPC. Symbols come from tests/target/xtensa_sim.ld.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIMCALL_EXIT 1
#define SIMCALL_WRITE 4
#define STDOUT_FD 1
#define EXIT_FAULT_BASE 128
#define CAUSE_UNMAPPED_LOAD_STORE 15u
#define OVERFLOW_REACH (1024u * 1024u) /* how far below the stack an access still counts as an overflow */

extern uint8_t __bss_start[], __bss_end[], __stack_limit[];

int main(void);
void xtensa_sim_start(void);
void xtensa_sim_fault(uint32_t cause, uint32_t pc, uint32_t address, uint32_t ret);

static int32_t simcall(int32_t call, int32_t a, int32_t b, int32_t c)
{
    register int32_t a2 __asm__("a2") = call;
    register int32_t a3 __asm__("a3") = a;
    register int32_t a4 __asm__("a4") = b;
    register int32_t a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

/* picolibc's tinystdio: the application provides stdin/stdout/stderr. */
static int sim_putc(char ch, FILE *file)
{
    (void)file;
    (void)simcall(SIMCALL_WRITE, STDOUT_FD, (int32_t)(uintptr_t)&ch, 1);
    return (unsigned char)ch;
}

static FILE sim_stdout = FDEV_SETUP_STREAM(sim_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &sim_stdout;
FILE *const stdout = &sim_stdout;
FILE *const stderr = &sim_stdout;

void _exit(int status)
{
    for (;;)
        (void)simcall(SIMCALL_EXIT, status, 0, 0);
}

void xtensa_sim_start(void)
{
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    exit(main());
}

/* EXCCAUSE values worth a name (Xtensa ISA reference, exception causes). */
static const char *cause_name(uint32_t cause)
{
    switch (cause) {
    case 0: return "illegal instruction";
    case 2: return "instruction fetch error";
    case 3: return "load/store error";
    case 6: return "integer division by zero";
    case 9: return "unaligned load or store";
    case 12: return "instruction fetch bus error";
    case 13: return "load/store bus error";
    case 14: return "instruction fetch from an unmapped address";
    case 15: return "load/store at an unmapped address";
    default: return "exception";
    }
}

/* The faulting PC (DEPC), the load/store address (EXCVADDR) and a0, the return address under the call0 ABI. */
void xtensa_sim_fault(uint32_t cause, uint32_t pc, uint32_t address, uint32_t ret)
{
    uint32_t limit = (uint32_t)(uintptr_t)__stack_limit;
    printf("\n*** target fault: %s (EXCCAUSE %lu, EXCVADDR=0x%08lx): PC=0x%08lx LR=0x%08lx\n", cause_name(cause),
           (unsigned long)cause, (unsigned long)address, (unsigned long)pc, (unsigned long)ret);
    if (cause == CAUSE_UNMAPPED_LOAD_STORE && address < limit && limit - address <= OVERFLOW_REACH)
        printf("    the address is just below the stack: stack overflow\n");
    _exit(EXIT_FAULT_BASE + (int)cause);
}

/* The reset vector, the start, and the exception vectors at VECBASE + their offsets for this core
 * (XCHAL_*_VECOFS: level 2/debug 0x10, NMI 0x20, kernel 0x30, user 0x50, double 0x70). */
__asm__(".pushsection .reset_vector, \"ax\"\n"
        "    j xtensa_sim_reset\n"
        ".popsection\n"
        ".pushsection .text.xtensa_sim_reset, \"ax\"\n"
        ".literal_position\n"
        ".align 4\n"
        ".global xtensa_sim_reset\n"
        "xtensa_sim_reset:\n"
        "    movi a2, xtensa_sim_vectors\n"
        "    wsr a2, vecbase\n"
        "    rsync\n"
        "    movi a1, __stack_top\n"
        "    movi a0, 0\n"
        "    movi a2, xtensa_sim_start\n"
        "    callx0 a2\n"
        ".align 4\n"
        "xtensa_sim_report:\n"
        "    mov a5, a0\n"
        "    rsr a2, exccause\n"
        "    rsr a3, depc\n"
        "    rsr a4, excvaddr\n"
        "    movi a1, xtensa_sim_fault_stack_top\n" /* the faulting stack may be the problem */
        "    movi a0, xtensa_sim_fault\n"
        "    callx0 a0\n"
        ".popsection\n"
        ".pushsection .vectors, \"ax\"\n"
        ".align 1024\n"
        "xtensa_sim_vectors:\n"
        ".org xtensa_sim_vectors + 0x10\n"
        "    j xtensa_sim_report\n"
        ".org xtensa_sim_vectors + 0x20\n"
        "    j xtensa_sim_report\n"
        ".org xtensa_sim_vectors + 0x30\n"
        "    j xtensa_sim_report\n"
        ".org xtensa_sim_vectors + 0x50\n"
        "    j xtensa_sim_report\n"
        ".org xtensa_sim_vectors + 0x70\n"
        "    j xtensa_sim_report\n"
        ".popsection\n");
