/**
 * @file novita_env.h
 * @brief POSIX helper: take the base URL and API key from the environment, as the CLI does.
 */
#ifndef NOVITA_ENV_H
#define NOVITA_ENV_H

#include "novita/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Set cfg->api_key from NOVITA_API_KEY and cfg->base_url from NOVITA_BASE_URL, for each variable that
 *        is set and not empty; fields whose variable is unset are left as they are.
 * @param[in,out] cfg a config filled by novita_client_config_init(); ignored when NULL. The pointers stored
 *                    point into the process environment: call novita_client_init() before changing it.
 * @return true when an API key is now set in cfg, false otherwise.
 */
bool novita_config_from_env(novita_client_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_ENV_H */
