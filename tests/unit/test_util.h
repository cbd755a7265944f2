/*
 * Minimal assertion helpers for the standalone unit tests (no framework: every test is one C99 program).
 *
 * CHECK* macros count passes and failures and print each failure with file:line to stderr; they never abort,
 * so one run shows every broken expectation. End main() with `return TEST_REPORT();`, which prints exactly
 * "N passed, N failed" and returns non-zero when anything failed.
 */
#ifndef NOVITA_TEST_UTIL_H
#define NOVITA_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

/* Whether n bytes at p are all zero (a failed decode must leave its struct so). */
static inline int test_all_zero(const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++) {
        if (b[i])
            return 0;
    }
    return 1;
}

/* Counters live in a function so the header needs no .c file; static inline keeps unused copies silent. */
static inline unsigned long *test_counters_(void)
{
    static unsigned long counters[2]; /* [0] passed, [1] failed */
    return counters;
}

/* Optional description of what is being tested (e.g. a table row), printed with each failure. */
static inline const char **test_context_(void)
{
    static const char *context;
    return &context;
}

/* Sets the context for the failures that follow; NULL clears it. The string must outlive its use. */
#define TEST_CONTEXT(s) ((void)(*test_context_() = (s)))

/* Records one outcome; returns ok so callers can add detail when it is false. */
static inline int test_record_(int ok, const char *file, int line, const char *expr)
{
    test_counters_()[ok ? 0 : 1]++;
    if (!ok) {
        const char *context = *test_context_();
        fprintf(stderr, "%s:%d: CHECK failed: %s%s%s%s\n", file, line, expr, context ? "  [in: " : "",
                context ? context : "", context ? "]" : "");
    }
    return ok;
}

#define CHECK(cond) ((void)test_record_((cond) ? 1 : 0, __FILE__, __LINE__, #cond))

/* Decimal text of a 64-bit value in buf (24 bytes), without printf's %lld/%llu: newlib-nano, which the
 * Cortex-M run of these tests uses (scripts/target-test.sh), has no long long conversions. */
static inline const char *test_u64_text_(char *buf, unsigned long long v, int negative)
{
    char *p = buf + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v);
    if (negative)
        *--p = '-';
    return p;
}

static inline const char *test_i64_text_(char *buf, long long v)
{
    return test_u64_text_(buf, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0);
}

/* Integer comparison that prints both values on failure (signed and unsigned flavours). */
#define CHECK_EQ_INT(a, b)                                                                                     \
    do {                                                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                                        \
        if (!test_record_(check_a_ == check_b_, __FILE__, __LINE__, #a " == " #b)) {                           \
            char check_ta_[24], check_tb_[24];                                                                 \
            fprintf(stderr, "    left %s, right %s\n", test_i64_text_(check_ta_, check_a_),                    \
                    test_i64_text_(check_tb_, check_b_));                                                      \
        }                                                                                                      \
    } while (0)

#define CHECK_EQ_UINT(a, b)                                                                                    \
    do {                                                                                                       \
        unsigned long long check_a_ = (unsigned long long)(a), check_b_ = (unsigned long long)(b);             \
        if (!test_record_(check_a_ == check_b_, __FILE__, __LINE__, #a " == " #b)) {                           \
            char check_ta_[24], check_tb_[24];                                                                 \
            fprintf(stderr, "    left %s, right %s\n", test_u64_text_(check_ta_, check_a_, 0),                 \
                    test_u64_text_(check_tb_, check_b_, 0));                                                   \
        }                                                                                                      \
    } while (0)

/* NUL-terminated strings; NULL equals only NULL. */
#define CHECK_STR(a, b)                                                                                        \
    do {                                                                                                       \
        const char *check_a_ = (a), *check_b_ = (b);                                                           \
        int check_ok_ = (check_a_ == NULL || check_b_ == NULL) ? check_a_ == check_b_                          \
                                                               : strcmp(check_a_, check_b_) == 0;              \
        if (!test_record_(check_ok_, __FILE__, __LINE__, #a " == " #b)) {                                      \
            fprintf(stderr, "    left \"%s\", right \"%s\"\n", check_a_ ? check_a_ : "(null)",                 \
                    check_b_ ? check_b_ : "(null)");                                                           \
        }                                                                                                      \
    } while (0)

/* Byte ranges of possibly different lengths. */
#define CHECK_MEM(a, alen, b, blen)                                                                            \
    do {                                                                                                       \
        size_t check_al_ = (size_t)(alen), check_bl_ = (size_t)(blen);                                         \
        int check_ok_ = check_al_ == check_bl_ && (check_al_ == 0 || memcmp((a), (b), check_al_) == 0);        \
        if (!test_record_(check_ok_, __FILE__, __LINE__, #a " == " #b)) {                                      \
            fprintf(stderr, "    lengths %lu and %lu\n", (unsigned long)check_al_, (unsigned long)check_bl_);  \
        }                                                                                                      \
    } while (0)

/* Prints the summary line and gives main() its exit status. */
static inline int test_report_(void)
{
    unsigned long *c = test_counters_();
    printf("%lu passed, %lu failed\n", c[0], c[1]);
    return c[1] == 0 ? 0 : 1;
}

#define TEST_REPORT() test_report_()

#endif /* NOVITA_TEST_UTIL_H */
