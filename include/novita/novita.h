/**
 * @file novita.h
 * @brief Umbrella header of novita-c: include this one.
 */
#ifndef NOVITA_NOVITA_H
#define NOVITA_NOVITA_H

#include "novita/config.h"
#include "novita/result.h"
#include "novita/port.h"
#include "novita/model.h"
#include "novita/list.h"
#include "novita/client.h"
#include "novita/call.h"
#include "novita/instances.h"
#include "novita/products.h"
#include "novita/templates.h"
#include "novita/registries.h"
#include "novita/storage.h"
#include "novita/networks.h"
#include "novita/jobs.h"
#include "novita/prewarm.h"
#include "novita/endpoints.h"
#include "novita/billing.h"

#endif /* NOVITA_NOVITA_H */
