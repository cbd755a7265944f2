/* Result descriptions. */
#include "client_internal.h"

/* Every description in enum order (0, -1, -2, ...), then the one for a value outside the enum: one blob
 * walked to the n-th NUL is smaller than a table of pointers. */
static const char descriptions[] = "success\0"
                                   "invalid argument\0"
                                   "buffer too small\0"
                                   "response could not be decoded\0"
                                   "malformed HTTP response\0"
                                   "network error\0"
                                   "TLS error\0"
                                   "timed out\0"
                                   "authentication or permission denied\0"
                                   "not found\0"
                                   "rate limited\0"
                                   "server error\0"
                                   "API error\0"
                                   "cancelled\0"
                                   "instance failed\0"
                                   "unknown error";

const char *novita_nth_text(const char *texts, uint32_t n, uint32_t last)
{
    if (n > last)
        n = last;
    for (; n > 0u; texts++) {
        if (*texts == '\0')
            n--;
    }
    return texts;
}

const char *novita_strerror(novita_result result)
{
    /* 0u - result: the enum's index, and huge (so "unknown error") for any value outside it */
    return novita_nth_text(descriptions, 0u - (uint32_t)result, 1u - (uint32_t)NOVITA_ERR_INSTANCE_FAILED);
}
