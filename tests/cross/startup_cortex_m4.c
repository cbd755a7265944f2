/*
 * Bare-metal start-up for the Cortex-M4 firmware images (scripts/cross-build.sh): the vector table's
 * first two words, a reset handler that copies .data, clears .bss and calls main. Nothing else: no
 * newlib crt0 (whose exit path can pull in atexit/malloc), so the map file shows exactly what the library
 * and its libc helpers need. Symbols come from tests/cross/cortex_m4.ld.
 */
#include <stdint.h>
#include <string.h>

extern uint32_t _estack;                  /* top of RAM */
extern uint32_t _sidata, _sdata, _edata;  /* .data: load address in flash, run addresses in RAM */
extern uint32_t _sbss, _ebss;

int main(void);
void Reset_Handler(void);

/** The part of the vector table a reset needs: initial stack pointer, then the reset handler. */
typedef struct cortex_m_vectors {
    uint32_t *initial_stack;
    void (*reset)(void);
} cortex_m_vectors;

__attribute__((section(".isr_vector"), used)) const cortex_m_vectors vector_table = { &_estack, Reset_Handler };

void Reset_Handler(void)
{
    memcpy(&_sdata, &_sidata, (size_t)((uintptr_t)&_edata - (uintptr_t)&_sdata));
    memset(&_sbss, 0, (size_t)((uintptr_t)&_ebss - (uintptr_t)&_sbss));
    (void)main();
    for (;;) {
    }
}
