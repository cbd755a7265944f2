/* Jobs and save image: field tables and thin operations (REFERENCE 7 #36-#38, 8.9). */
#include "novita/jobs.h"

#include "api.h"

/* ------------------------------------------------------------------ models */

static const novita_field job_state_fields[] = {
    NOVITA_F_STRING(novita_job_state, "state", state),
    NOVITA_F_STRING(novita_job_state, "error", error),
    /* The docs spell it errorMessage, the seed SDK's spec message. */
    NOVITA_F_STRING2(novita_job_state, "errorMessage", "message", error_message),
};
static const novita_model job_state_model = NOVITA_MODEL(novita_job_state, "state", job_state_fields);

static const novita_field job_fields[] = {
    NOVITA_F_STRING2(novita_job, "Id", "id", id),
    NOVITA_F_STRING(novita_job, "user", user),
    NOVITA_F_STRING(novita_job, "type", type),
    NOVITA_F_OBJECT_ARRAY(novita_job, "envs", envs, env_count, env_total, novita_env_model),
    NOVITA_F_OBJECT(novita_job, "state", state, job_state_model),
    NOVITA_F_STRING(novita_job, "logAddress", log_address),
    NOVITA_F_INT(novita_job, "createdAt", created_at),
    NOVITA_F_STRING(novita_job, "instanceId", instance_id),
};
const novita_model novita_job_model = NOVITA_MODEL(novita_job, "job", job_fields);

/* ------------------------------------------------------------------ bodies */

static void write_save_image(novita_json_writer *w, const void *ctx)
{
    const novita_image_save *q = (const novita_image_save *)ctx;
    novita_jw_object_begin(w);
    novita_jw_member_string(w, "instanceId", q->instance_id);
    novita_jw_member_string(w, "image", q->image);
    novita_jw_member_string_opt(w, "registryAuthId", q->registry_auth_id);
    novita_jw_object_end(w);
}

/* ------------------------------------------------------------------ operations */

novita_result novita_jobs_list(novita_client *c, const novita_job_filter *f, novita_list *list,
                               const novita_call_opts *opts)
{
    static const novita_list_op op = { NOVITA_NS_GPU, "/jobs", &novita_job_model, "jobs", NULL, NOVITA_PAGED(1, 0, 0) };
    novita_query_param query[8] = {
        { "pageSize", NULL, 0 }, { "pageNum", NULL, 0 }, { "jobId", NULL, 0 }, { "state", NULL, 0 },
        { "type", NULL, 0 },     { "startTime", NULL, 0 }, { "endTime", NULL, 0 }, { "creators", NULL, 0 },
    };
    if (f) {
        query[2].value = f->job_id;
        query[3].value = f->state;
        query[4].value = f->type;
        query[5].number = f->start_time;
        query[6].number = f->end_time;
        query[7].value = f->creators;
    }
    return novita_api_list(c, &op, query, 8, f ? f->page_num : 0, f ? f->page_size : 0, list, opts);
}

novita_result novita_jobs_break(novita_client *c, const char *job_id, const novita_call_opts *opts)
{
    /* The docs' key; the seed SDK sends "job_id", which the API does not know. */
    return novita_api_id_action(c, "/job/break", "jobId", job_id, "job id", opts);
}

novita_result novita_images_save(novita_client *c, const novita_image_save *q, char *job_id_out,
                                 size_t job_id_size, const novita_call_opts *opts)
{
    novita_result r;
    if (!novita_api_id_output(c, q != NULL, job_id_out, job_id_size, "request and job id output are required", &r) ||
        !q)
        return r;
    if (!novita_api_require(c, q->instance_id, "instance id", &r) || !novita_api_require(c, q->image, "image", &r))
        return r;
    /* Never resent: a second save would start a second job. */
    return novita_api_create_id(c, "/job/save/image", write_save_image, q, "jobId", job_id_out, job_id_size, opts);
}
