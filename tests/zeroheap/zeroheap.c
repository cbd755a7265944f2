/*
 * Zero-heap interposer (see zeroheap.h): replaces the allocator of a test process and fails the process
 * when code of the novita core calls it.
 *
 * How a call is attributed:
 * 1. the return address of the allocator call is looked up in the executable segments of the loaded
 *    objects (recorded once, by dl_iterate_phdr, before main): inside the core library -> violation;
 *    inside anything but libc / the dynamic loader (mbedTLS, the test program, the port) -> not ours;
 * 2. inside libc (strdup, fopen, qsort, getaddrinfo ... allocate on behalf of their caller): the stack is
 *    unwound (libgcc's _Unwind_Backtrace, .eh_frame) past the libc frames, and the first frame outside
 *    libc decides as in 1. So "the core called strdup" is a violation, "mbedTLS called calloc" is not,
 *    even when the core is further up that stack (the core calls the port, the port calls mbedTLS).
 * Every call is then served by glibc's own allocator (__libc_malloc and friends).
 */
#define _GNU_SOURCE
#include "zeroheap.h"

#include <errno.h>
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unwind.h>

/* glibc's allocator under its internal names: what this file forwards to. */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void __libc_free(void *ptr);
void *__libc_memalign(size_t alignment, size_t size);

/** Marker in the file name of a shared object whose code must not allocate. */
#define CORE_LIBRARY_MARKER "novita_zeroheap_core"
#define MAX_RANGES 64
#define MAX_REPORTED 8
#define MAX_FRAMES 128

typedef enum code_owner { OWNER_OTHER = 0, OWNER_CORE, OWNER_SYSTEM } code_owner;

typedef struct code_range {
    uintptr_t low, high;
    code_owner owner;
} code_range;

typedef struct violation {
    const char *function; /* "malloc", ... */
    uintptr_t core_address;
    int through_libc;
} violation;

static code_range ranges[MAX_RANGES];
static size_t range_count;
static size_t core_range_count;
static int ready;
static int verbose;
static int abort_on_violation;
static __thread int inside_check;

static size_t calls_checked;
static size_t violation_count;
static size_t unresolved_count;
static violation reported[MAX_REPORTED];
static size_t reported_count;

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static code_owner owner_of_object(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strstr(base, CORE_LIBRARY_MARKER) != NULL)
        return OWNER_CORE;
    if (starts_with(base, "libc.so") || starts_with(base, "ld-linux") || starts_with(base, "libm.so") ||
        starts_with(base, "libgcc_s.so") || starts_with(base, "libpthread.so") || starts_with(base, "libdl.so") ||
        starts_with(base, "linux-vdso") || starts_with(base, "libresolv.so"))
        return OWNER_SYSTEM;
    return OWNER_OTHER;
}

static int record_object(struct dl_phdr_info *info, size_t size, void *unused)
{
    code_owner owner = owner_of_object(info->dlpi_name ? info->dlpi_name : "");
    (void)size;
    (void)unused;
    if (owner == OWNER_OTHER)
        return 0;
    for (size_t i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) || range_count == MAX_RANGES)
            continue;
        ranges[range_count].low = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;
        ranges[range_count].high = ranges[range_count].low + (uintptr_t)ph->p_memsz;
        ranges[range_count].owner = owner;
        if (owner == OWNER_CORE)
            core_range_count++;
        range_count++;
    }
    return 0;
}

static code_owner owner_of_address(uintptr_t address)
{
    for (size_t i = 0; i < range_count; i++)
        if (address >= ranges[i].low && address < ranges[i].high)
            return ranges[i].owner;
    return OWNER_OTHER;
}

typedef struct unwind_walk {
    uintptr_t allocator_caller; /* return address of the allocator call: a libc function */
    int caller_seen;
    int frames;
    code_owner verdict;
    uintptr_t verdict_address;
} unwind_walk;

static _Unwind_Reason_Code unwind_step(struct _Unwind_Context *context, void *arg)
{
    unwind_walk *walk = (unwind_walk *)arg;
    uintptr_t ip = (uintptr_t)_Unwind_GetIP(context);
    code_owner owner;
    if (++walk->frames > MAX_FRAMES)
        return _URC_END_OF_STACK;
    if (!walk->caller_seen) { /* frames of this file, until the allocator's caller */
        walk->caller_seen = ip == walk->allocator_caller;
        return _URC_NO_REASON;
    }
    owner = owner_of_address(ip - 1u);
    if (owner == OWNER_SYSTEM)
        return _URC_NO_REASON;
    walk->verdict = owner;
    walk->verdict_address = ip;
    return _URC_END_OF_STACK;
}

static void note_violation(const char *function, uintptr_t core_address, int through_libc)
{
    static const char line[] = "zeroheap: the novita core called the heap allocator (details at exit)\n";
    violation_count++;
    if (reported_count < MAX_REPORTED) {
        reported[reported_count].function = function;
        reported[reported_count].core_address = core_address;
        reported[reported_count].through_libc = through_libc;
        reported_count++;
    }
    if (violation_count == 1)
        (void)!write(STDERR_FILENO, line, sizeof line - 1);
    if (abort_on_violation)
        abort();
}

/* Attribute one allocator call. Never allocates; keeps errno. */
static void check(const char *function, void *return_address)
{
    int saved_errno = errno;
    uintptr_t caller = (uintptr_t)return_address;
    code_owner owner;
    if (!ready || inside_check)
        return;
    inside_check = 1;
    calls_checked++;
    owner = owner_of_address(caller - 1u);
    if (owner == OWNER_CORE) {
        note_violation(function, caller, 0);
    } else if (owner == OWNER_SYSTEM) {
        unwind_walk walk = { caller, 0, 0, OWNER_SYSTEM, 0 };
        _Unwind_Backtrace(unwind_step, &walk);
        if (!walk.caller_seen)
            unresolved_count++;
        else if (walk.verdict == OWNER_CORE)
            note_violation(function, walk.verdict_address, 1);
    }
    inside_check = 0;
    errno = saved_errno;
}

/* ---- the allocator ---- */

void *malloc(size_t size)
{
    check("malloc", __builtin_return_address(0));
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    check("calloc", __builtin_return_address(0));
    return __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
    check("realloc", __builtin_return_address(0));
    return __libc_realloc(ptr, size);
}

void free(void *ptr)
{
    check("free", __builtin_return_address(0));
    __libc_free(ptr);
}

void *reallocarray(void *ptr, size_t count, size_t size)
{
    check("reallocarray", __builtin_return_address(0));
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(ptr, count * size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    check("aligned_alloc", __builtin_return_address(0));
    return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size);
void *memalign(size_t alignment, size_t size)
{
    check("memalign", __builtin_return_address(0));
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    void *p;
    check("posix_memalign", __builtin_return_address(0));
    if (alignment < sizeof(void *) || (alignment & (alignment - 1u)) != 0)
        return EINVAL;
    p = __libc_memalign(alignment, size);
    if (p == NULL && size != 0)
        return ENOMEM;
    *out = p;
    return 0;
}

/* ---- set-up, report, self-test interface ---- */

__attribute__((constructor)) static void zeroheap_start(void)
{
    const char *v = getenv("NOVITA_ZEROHEAP_VERBOSE");
    const char *a = getenv("NOVITA_ZEROHEAP_ABORT");
    verbose = v != NULL && v[0] == '1';
    abort_on_violation = a != NULL && a[0] == '1';
    dl_iterate_phdr(record_object, NULL);
    ready = 1;
}

__attribute__((destructor)) static void zeroheap_report(void)
{
    ready = 0;
    if (core_range_count == 0) {
        fprintf(stderr, "zeroheap: no shared object named *%s* is loaded: nothing was checked\n",
                CORE_LIBRARY_MARKER);
        fflush(stderr);
        _exit(98);
    }
    if (violation_count == 0) {
        if (verbose)
            fprintf(stderr, "zeroheap: %zu allocator calls checked, 0 from the novita core (%zu not attributable)\n",
                    calls_checked, unresolved_count);
        return;
    }
    fprintf(stderr, "zeroheap: FAIL: %zu allocator calls checked, %zu from the novita core:\n", calls_checked,
            violation_count);
    for (size_t i = 0; i < reported_count; i++) {
        Dl_info info;
        const violation *v = &reported[i];
        if (dladdr((void *)v->core_address, &info) != 0 && info.dli_sname != NULL)
            fprintf(stderr, "  %s%s, called from %s+0x%lx in %s\n", v->function,
                    v->through_libc ? " (inside a libc function)" : "", info.dli_sname,
                    (unsigned long)(v->core_address - (uintptr_t)info.dli_saddr), info.dli_fname);
        else
            fprintf(stderr, "  %s%s, called from address %p\n", v->function,
                    v->through_libc ? " (inside a libc function)" : "", (void *)v->core_address);
    }
    fflush(stderr);
    _exit(99);
}

size_t novita_zeroheap_violations(void)
{
    return violation_count;
}

size_t novita_zeroheap_calls(void)
{
    return calls_checked;
}

void novita_zeroheap_reset(void)
{
    violation_count = 0;
    reported_count = 0;
    calls_checked = 0;
    unresolved_count = 0;
}
