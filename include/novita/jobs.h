/**
 * @file jobs.h
 * @brief Jobs (list, break) and saving an instance as an image, which runs as a job (REFERENCE 7 #36-#38, 8.9).
 *
 * Every function takes the client first and optional per-call overrides last (NULL = client settings) and
 * returns NOVITA_OK or one of the errors common to all operations, listed at the top of instances.h.
 * An unknown job is NOVITA_ERR_NOT_FOUND (the API answers 400 JOB_NOT_FOUND); saving an unknown instance
 * is NOVITA_ERR_NOT_FOUND too (400 RESOURCE_NOT_FOUND). Job states and types are kept as the API's text so
 * values this version does not know are not lost.
 */
#ifndef NOVITA_JOBS_H
#define NOVITA_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "novita/client.h"
#include "novita/instances.h"
#include "novita/list.h"
#include "novita/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** State of a job. The docs call the detail `errorMessage`, the seed SDK's spec `message`: both decode
 *  into error_message. */
typedef struct novita_job_state {
    char state[NOVITA_ENUM_TEXT_MAX];   /**< "pulling", "running", "fail", "success" or "break" */
    char error[NOVITA_TEXT_MAX];        /**< short error, "" while the job is fine */
    char error_message[NOVITA_TEXT_MAX];/**< `errorMessage` (docs) or `message` (seed SDK spec) */
} novita_job_state;

/** A job as listed by GET /jobs. */
typedef struct novita_job {
    char id[NOVITA_ID_MAX];                /**< `Id` (capital I) on the wire; `id` accepted too */
    char user[NOVITA_ID_MAX];              /**< owner user id */
    char type[NOVITA_ENUM_TEXT_MAX];       /**< "saveImage", "instanceMigrate" or "autoInstanceMigrate" */
    novita_env envs[NOVITA_MAX_ENVS];
    uint16_t env_count, env_total;         /**< stored / present in the response */
    novita_job_state state;
    char log_address[NOVITA_ADDRESS_MAX];
    int64_t created_at;                    /**< Unix seconds (a string on the wire) */
    char instance_id[NOVITA_ID_MAX];
} novita_job;

/** Model descriptor of a job (for novita_model_to_json). */
extern const novita_model novita_job_model;

/** Filters and paging of jobs list. NULL and 0 fields are not sent. */
typedef struct novita_job_filter {
    const char *job_id;   /**< one job */
    const char *state;    /**< e.g. "running" */
    const char *type;     /**< e.g. "saveImage" */
    int64_t start_time;   /**< created at or after (Unix seconds) */
    int64_t end_time;     /**< created at or before (Unix seconds) */
    const char *creators; /**< user id */
    uint32_t page_size;
    uint32_t page_num;    /**< `pageNum`; whether it starts at 0 or 1 is undocumented (REFERENCE 4) */
} novita_job_filter;

/** Body of save image. */
typedef struct novita_image_save {
    const char *instance_id;      /**< required: the instance to save */
    const char *image;            /**< required: target reference "registry/repository:tag" (1-4095 chars) */
    const char *registry_auth_id; /**< registry auth id for a private third-party registry, or NULL */
} novita_image_save;

/**
 * @brief List jobs (GET /jobs) one page at a time, or every page with list->all_pages (see list.h).
 * @param[in]     client the client
 * @param[in]     filter filters and paging, or NULL for the API's defaults
 * @param[in,out] list   output: items must point to novita_job elements
 * @param[in]     opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_CANCELLED when the callback stopped the listing, or an error listed in
 *         instances.h.
 */
NOVITA_NODISCARD novita_result novita_jobs_list(novita_client *client, const novita_job_filter *filter,
                                                novita_list *list, const novita_call_opts *opts);

/**
 * @brief Stop a running job (POST /job/break with body {"jobId": id}; the seed SDK's {"job_id"} is wrong).
 *        Never resent automatically. Any 2xx is success (the API echoes {"jobId"}).
 * @param[in] client the client
 * @param[in] job_id the job to stop (required)
 * @param[in] opts   per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_NOT_FOUND for an unknown job, or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_jobs_break(novita_client *client, const char *job_id,
                                                 const novita_call_opts *opts);

/**
 * @brief Save an instance as a container image (POST /job/save/image). The work runs as a job of type
 *        "saveImage": follow it with novita_jobs_list() filtered by job_id. Never resent automatically.
 * @param[in]  client      the client
 * @param[in]  request     instance_id and image required
 * @param[out] job_id_out  receives the id of the job (caller buffer, NUL-terminated; "" on failure)
 * @param[in]  job_id_size size of job_id_out (NOVITA_ID_MAX recommended)
 * @param[in]  opts        per-call overrides or NULL
 * @return NOVITA_OK, NOVITA_ERR_NOT_FOUND for an unknown instance, NOVITA_ERR_BUFFER_TOO_SMALL when the id
 *         does not fit job_id_out, or an error listed in instances.h.
 */
NOVITA_NODISCARD novita_result novita_images_save(novita_client *client, const novita_image_save *request,
                                                  char *job_id_out, size_t job_id_size,
                                                  const novita_call_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_JOBS_H */
