/* Result descriptions. */
#include "novita/result.h"

const char *novita_strerror(novita_result result)
{
    switch (result) {
    case NOVITA_OK: return "success";
    case NOVITA_ERR_INVALID_ARG: return "invalid argument";
    case NOVITA_ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case NOVITA_ERR_DECODE: return "response could not be decoded";
    case NOVITA_ERR_PROTOCOL: return "malformed HTTP response";
    case NOVITA_ERR_NETWORK: return "network error";
    case NOVITA_ERR_TLS: return "TLS error";
    case NOVITA_ERR_TIMEOUT: return "timed out";
    case NOVITA_ERR_AUTH: return "authentication or permission denied";
    case NOVITA_ERR_NOT_FOUND: return "not found";
    case NOVITA_ERR_RATE_LIMITED: return "rate limited";
    case NOVITA_ERR_SERVER: return "server error";
    case NOVITA_ERR_API: return "API error";
    case NOVITA_ERR_CANCELLED: return "cancelled";
    case NOVITA_ERR_INSTANCE_FAILED: return "instance failed";
    }
    return "unknown error";
}
