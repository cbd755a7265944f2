/* Base URL and API key from the environment (POSIX hosts only: the core never reads the environment). */
#include "novita_env.h"

#include <stdlib.h>

bool novita_config_from_env(novita_client_config *cfg)
{
    const char *key, *url;
    if (!cfg)
        return false;
    key = getenv("NOVITA_API_KEY");
    url = getenv("NOVITA_BASE_URL");
    if (key && key[0])
        cfg->api_key = key;
    if (url && url[0])
        cfg->base_url = url;
    return cfg->api_key != NULL && cfg->api_key[0] != '\0';
}
