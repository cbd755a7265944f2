/* novita CLI: option parsing and command helpers, text buffers, JSON documents, tables, formatting, wait
 * progress. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------------------ memory */

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1u);
    if (!q) {
        fputs("novita: error: out of memory\n", stderr);
        exit(CLI_EXIT_FAILURE);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1u;
    char *d = (char *)xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

/* ------------------------------------------------------------------ options */

int opt_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error("option %s needs a value", name);
        return -1;
    }
    *i += 1;
    *value = argv[*i];
    return 1;
}

bool parse_int(const char *text, long long min, long long max, long long *out)
{
    char *end;
    long long v;
    if (!text || !*text || (*text != '-' && (*text < '0' || *text > '9')))
        return false;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int opt_int(int argc, char **argv, int *i, const char *name, long long min, long long max, long long *out)
{
    const char *value;
    int m = opt_value(argc, argv, i, name, &value);
    if (m <= 0)
        return m;
    if (!parse_int(value, min, max, out)) {
        cli_usage_error("%s needs a whole number from %lld to %lld, not '%s'", name, min, max, value);
        return -1;
    }
    return 1;
}

bool one_of(const char *value, const char *const *allowed)
{
    for (; *allowed; allowed++) {
        if (strcmp(value, *allowed) == 0)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------------ commands and their arguments */

int run_command(cli_ctx *cli, const char *group, const cli_command *commands, size_t count, int argc, char **argv)
{
    if (argc < 1) {
        strbuf names = { NULL, 0, 0 };
        int code;
        for (size_t k = 0; k < count; k++) {
            sb_append(&names, k ? "|" : "");
            sb_append(&names, commands[k].name);
        }
        code = cli_usage_error("missing command: %s %s", group, names.data ? names.data : "");
        sb_free(&names);
        return code;
    }
    if (cli_common_flag(cli, argv[0]) == 2)
        return CLI_EXIT_OK;
    for (size_t k = 0; k < count; k++) {
        if (strcmp(argv[0], commands[k].name) == 0)
            return commands[k].run(cli, argc - 1, argv + 1);
    }
    return cli_usage_error("unknown command '%s %s'", group, argv[0]);
}

int reject_option(const char *arg, const char *command)
{
    if (arg[0] == '-' && arg[1])
        return cli_usage_error("unknown option '%s' for '%s'", arg, command);
    return CLI_EXIT_OK;
}

int take_id(const char **id, const char *arg, const char *command)
{
    if (*id)
        return cli_usage_error("unexpected argument '%s' for '%s'", arg, command);
    if (reject_option(arg, command) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    *id = arg;
    return CLI_EXIT_OK;
}

int add_id(const char **ids, size_t *count, size_t max, const char *arg, const char *command, const char *what)
{
    if (reject_option(arg, command) != CLI_EXIT_OK)
        return CLI_EXIT_USAGE;
    if (*count >= max)
        return cli_usage_error("at most %u %s", (unsigned)max, what);
    ids[(*count)++] = arg;
    return CLI_EXIT_OK;
}

bool start_no_args(cli_ctx *cli, int argc, char **argv, const char *command, int *code)
{
    for (int i = 0; i < argc; i++) {
        int m = cli_common_flag(cli, argv[i]);
        if (m == 1)
            continue;
        *code = m == 2 ? CLI_EXIT_OK : cli_usage_error("unexpected argument '%s' for '%s'", argv[i], command);
        return false;
    }
    *code = cli_connect(cli);
    return *code == CLI_EXIT_OK;
}

bool start_with_id(cli_ctx *cli, int argc, char **argv, const char *command, const char *noun, const char **id,
                   int *code)
{
    *id = NULL;
    for (int i = 0; i < argc; i++) {
        int m = cli_common_flag(cli, argv[i]);
        if (m == 1)
            continue;
        *code = m == 2 ? CLI_EXIT_OK : take_id(id, argv[i], command);
        if (m == 2 || *code != CLI_EXIT_OK)
            return false;
    }
    *code = *id ? cli_connect(cli) : cli_usage_error("missing %s: %s ID", noun, command);
    return *code == CLI_EXIT_OK;
}

int run_id_action(cli_ctx *cli, int argc, char **argv, const char *command, const char *noun,
                  novita_result (*fn)(novita_client *client, const char *id, const novita_call_opts *opts),
                  const char *done)
{
    const char *id;
    int code;
    if (!start_with_id(cli, argc, argv, command, noun, &id, &code))
        return code;
    return print_done(cli, fn(cli->client, id, NULL), id, NULL, done);
}

int page_option(int argc, char **argv, int *i, page_args *p)
{
    int m;
    if (strcmp(argv[*i], "--all") == 0) {
        p->all = true;
        return 1;
    }
    if ((m = opt_int(argc, argv, i, "--page", 1, 1000000, &p->page)) != 0)
        return m;
    return opt_int(argc, argv, i, "--page-size", 1, 1000, &p->page_size);
}

int page_check(const page_args *p, uint32_t all_size, uint32_t *page, uint32_t *page_size, novita_list *list)
{
    if (p->all && (p->page || p->page_size))
        return cli_usage_error("--all cannot be combined with --page or --page-size");
    *page = (uint32_t)p->page;
    *page_size = p->all ? all_size : (uint32_t)p->page_size;
    list->all_pages = p->all; /* every page over the client's one kept-alive connection */
    return CLI_EXIT_OK;
}

int add_env(novita_env_spec *envs, size_t *count, size_t max, const char *value)
{
    char *pair = (char *)(uintptr_t)value, *eq = strchr(pair, '=');
    if (!eq || eq == pair)
        return cli_usage_error("--env needs KEY=VALUE, not '%s'", value);
    if (*count >= max)
        return cli_usage_error("at most %u --env options", (unsigned)max);
    *eq = '\0';
    envs[*count].key = pair;
    envs[*count].value = eq + 1;
    (*count)++;
    return CLI_EXIT_OK;
}

int add_value(const char **list, size_t *count, size_t max, const char *option, const char *value, const char *what)
{
    if (*count >= max)
        return cli_usage_error("at most %u %s options", (unsigned)max, option);
    if (!value[0])
        return cli_usage_error("%s needs %s", option, what);
    list[(*count)++] = value;
    return CLI_EXIT_OK;
}

bool parse_port(const char *text, int32_t *port)
{
    long long v;
    if (!parse_int(text, 1, 65535, &v) || (v >= 2222 && v <= 2224))
        return false;
    *port = (int32_t)v;
    return true;
}

/* ------------------------------------------------------------------ strbuf */

static void sb_reserve(strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1u;
    if (need <= sb->cap)
        return;
    while (sb->cap < need)
        sb->cap = sb->cap ? sb->cap * 2u : 4096u;
    sb->data = (char *)xrealloc(sb->data, sb->cap);
}

static void sb_append_n(strbuf *sb, const char *text, size_t n)
{
    sb_reserve(sb, n);
    memcpy(sb->data + sb->len, text, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_append(strbuf *sb, const char *text)
{
    sb_append_n(sb, text, strlen(text));
}

void sb_appendf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    sb_reserve(sb, (size_t)n);
    va_start(ap, fmt);
    (void)vsnprintf(sb->data + sb->len, (size_t)n + 1u, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void sb_json_string(strbuf *sb, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    sb_append_n(sb, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        char esc[7];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            sb_append_n(sb, esc, 2);
        } else if (*p < 0x20u || *p == 0x7Fu) {
            esc[0] = '\\';
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[(*p >> 4) & 0xFu];
            esc[5] = hex[*p & 0xFu];
            sb_append_n(sb, esc, 6);
        } else {
            sb_append_n(sb, (const char *)p, 1);
        }
    }
    sb_append_n(sb, "\"", 1);
}

novita_result sb_model_json(strbuf *sb, const novita_model *model, const void *object)
{
    size_t room = 16384u, len = 0;
    for (int tries = 0; tries < 4; tries++) {
        novita_result r;
        sb_reserve(sb, room);
        r = novita_model_to_json(model, object, sb->data + sb->len, sb->cap - sb->len, &len);
        if (r == NOVITA_OK) {
            sb->len += len;
            sb->data[sb->len] = '\0';
            return NOVITA_OK;
        }
        sb->data[sb->len] = '\0';
        if (r != NOVITA_ERR_BUFFER_TOO_SMALL)
            return r;
        room = (len > room ? len : room * 2u) + 1u; /* len says how much is needed */
    }
    return NOVITA_ERR_BUFFER_TOO_SMALL;
}

void sb_free(strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

/* ------------------------------------------------------------------ JSON documents */

static int json_encode_failed(novita_result r, const novita_model *model)
{
    fprintf(stderr, "novita: error: %s: encoding %s as JSON failed\n", novita_strerror(r),
            model && model->name ? model->name : "object");
    return cli_exit_code(r);
}

int print_model_json(const novita_model *model, const void *object)
{
    strbuf sb = { NULL, 0, 0 };
    novita_result r = sb_model_json(&sb, model, object);
    if (r != NOVITA_OK) {
        sb_free(&sb);
        return json_encode_failed(r, model);
    }
    fputs(sb.data, stdout);
    fputc('\n', stdout);
    sb_free(&sb);
    return CLI_EXIT_OK;
}

int print_object(const cli_ctx *cli, novita_result r, const novita_model *model, const void *object,
                 void (*print_text)(const void *object))
{
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        return print_model_json(model, object);
    print_text(object);
    return CLI_EXIT_OK;
}

void json_list_begin(json_list *jl)
{
    memset(jl, 0, sizeof(*jl));
    sb_append(&jl->sb, "{\"items\":[");
}

void json_list_add(json_list *jl, const novita_model *model, const void *object)
{
    novita_result r;
    if (jl->error != NOVITA_OK)
        return;
    if (jl->count > 0)
        sb_append(&jl->sb, ",");
    r = sb_model_json(&jl->sb, model, object);
    if (r != NOVITA_OK)
        jl->error = r;
    jl->count++;
}

int json_list_finish(json_list *jl, int64_t total)
{
    if (jl->error != NOVITA_OK) {
        novita_result r = jl->error;
        json_list_discard(jl);
        return json_encode_failed(r, NULL);
    }
    sb_appendf(&jl->sb, "],\"total\":%lld}\n", (long long)(total >= 0 ? total : (int64_t)jl->count));
    fputs(jl->sb.data, stdout);
    json_list_discard(jl);
    return CLI_EXIT_OK;
}

void json_list_discard(json_list *jl)
{
    sb_free(&jl->sb);
    jl->count = 0;
}

void print_id_json(const char *id, const char *status, bool with_ok)
{
    strbuf sb = { NULL, 0, 0 };
    sb_append(&sb, with_ok ? "{\"ok\":true,\"id\":" : "{\"id\":");
    sb_json_string(&sb, id);
    if (status && *status) {
        sb_append(&sb, ",\"status\":");
        sb_json_string(&sb, status);
    }
    sb_append(&sb, "}\n");
    fputs(sb.data, stdout);
    sb_free(&sb);
}

int print_new_id(const cli_ctx *cli, novita_result r, const char *key, const char *id)
{
    strbuf sb = { NULL, 0, 0 };
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (!cli->json) {
        printf("%s\n", id);
        return CLI_EXIT_OK;
    }
    sb_append(&sb, "{");
    sb_json_string(&sb, key);
    sb_append(&sb, ":");
    sb_json_string(&sb, id);
    sb_append(&sb, "}\n");
    fputs(sb.data, stdout);
    sb_free(&sb);
    return CLI_EXIT_OK;
}

int print_done(const cli_ctx *cli, novita_result r, const char *id, const char *status, const char *text)
{
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json)
        print_id_json(id, status, true);
    else
        printf("%s: %s\n", id, status && *status ? status : text);
    return CLI_EXIT_OK;
}

int print_ids_done(const cli_ctx *cli, novita_result r, const char *const *ids, size_t count, const char *text)
{
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if (cli->json) {
        strbuf sb = { NULL, 0, 0 };
        sb_append(&sb, "{\"ok\":true,\"ids\":[");
        for (size_t k = 0; k < count; k++) {
            if (k)
                sb_append(&sb, ",");
            sb_json_string(&sb, ids[k]);
        }
        sb_append(&sb, "]}\n");
        fputs(sb.data, stdout);
        sb_free(&sb);
        return CLI_EXIT_OK;
    }
    for (size_t k = 0; k < count; k++)
        printf("%s: %s\n", ids[k], text);
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ tables */

void list_out_init(list_out *o, bool json, size_t cols, const char *const *headers)
{
    memset(o, 0, sizeof(*o));
    o->json = json;
    if (json)
        json_list_begin(&o->jl);
    else
        table_init(&o->t, cols, headers);
}

void list_out_add(list_out *o, const novita_model *model, const void *object, const char *const *row)
{
    if (o->json)
        json_list_add(&o->jl, model, object);
    else
        table_add(&o->t, row);
}

int list_out_finish(const cli_ctx *cli, list_out *o, novita_result r, int64_t total)
{
    if (r != NOVITA_OK) {
        if (o->json)
            json_list_discard(&o->jl);
        else
            table_free(&o->t);
        return cli_fail(cli, r);
    }
    if (o->json)
        return json_list_finish(&o->jl, total);
    table_print(&o->t);
    return CLI_EXIT_OK;
}

int list_out_finish_paged(const cli_ctx *cli, list_out *o, novita_result r, const novita_list *list,
                          const char *what)
{
    int64_t total = list->total >= 0 ? list->total : (int64_t)list->count;
    int code = list_out_finish(cli, o, r, total);
    if (code == CLI_EXIT_OK && !o->json && !list->all_pages && total > (int64_t)list->count)
        printf("(%lu of %lld %s; see --page, --page-size, --all)\n", (unsigned long)list->count, (long long)total,
               what);
    return code;
}

void table_init(table *t, size_t cols, const char *const *headers)
{
    memset(t, 0, sizeof(*t));
    t->cols = cols > TABLE_MAX_COLS ? TABLE_MAX_COLS : cols;
    for (size_t c = 0; c < t->cols; c++)
        t->headers[c] = headers[c];
}

/* Text from the server is shown as it is, but never as terminal control: a name holding ESC sequences
 * must not retitle the window or clear the screen. Control bytes and DEL become spaces (one line stays
 * one line). */
static void make_printable(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20u || *s == 0x7F)
            *s = ' ';
    }
}

void table_add(table *t, const char *const *row)
{
    if (t->rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2u : 32u;
        t->cells = (char **)xrealloc(t->cells, t->cap_rows * t->cols * sizeof(char *));
    }
    for (size_t c = 0; c < t->cols; c++) {
        const char *cell = row[c] ? row[c] : "";
        char *copy = xstrdup(cell[0] ? cell : "-");
        make_printable(copy);
        t->cells[t->rows * t->cols + c] = copy;
    }
    t->rows++;
}

void table_print(table *t)
{
    size_t width[TABLE_MAX_COLS];
    for (size_t c = 0; c < t->cols; c++) {
        width[c] = strlen(t->headers[c]);
        for (size_t r = 0; r < t->rows; r++) {
            size_t n = strlen(t->cells[r * t->cols + c]);
            if (n > width[c])
                width[c] = n;
        }
    }
    for (size_t r = 0; r <= t->rows; r++) {
        for (size_t c = 0; c < t->cols; c++) {
            const char *cell = r == 0 ? t->headers[c] : t->cells[(r - 1u) * t->cols + c];
            if (c + 1u < t->cols)
                printf("%-*s  ", (int)width[c], cell);
            else
                printf("%s\n", cell);
        }
    }
    table_free(t);
}

void table_free(table *t)
{
    for (size_t i = 0; i < t->rows * t->cols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

void kv(const char *key, const char *fmt, ...)
{
    char value[2048];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    if (!value[0])
        return;
    make_printable(value);
    printf("%-16s %s\n", key, value);
}

const char *name_and_id(char *buf, size_t size, const char *name, const char *id)
{
    if (name[0] && id[0])
        (void)snprintf(buf, size, "%s (%s)", name, id);
    else
        (void)snprintf(buf, size, "%s", name[0] ? name : id);
    return buf;
}

void kv_envs(const novita_env *envs, size_t count, size_t total)
{
    for (size_t k = 0; k < count; k++)
        kv(k ? "" : "envs:", "%s=%s", envs[k].key, envs[k].value);
    if (total > count)
        kv("", "(%u more)", (unsigned)(total - count));
}

void kv_volumes(const novita_volume_mount *mounts, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        const novita_volume_mount *v = &mounts[k];
        char size[32] = "";
        if (v->size > 0)
            (void)snprintf(size, sizeof(size), " (%lld GB)", (long long)v->size);
        kv(k ? "" : "volumes:", "%s %s%s%s%s", v->type[0] ? v->type : "volume", v->mount_path, v->id[0] ? " <- " : "",
           v->id, size);
    }
}

/* ------------------------------------------------------------------ formatting */

/* |value| / 10^scale in decimal with between min_digits and scale fraction digits (trailing zeros
 * dropped); the sign goes to *negative. Integer math only. */
static const char *format_scaled(char *buf, size_t size, int64_t value, int scale, int min_digits, bool *negative)
{
    uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value, unit = 1;
    uint64_t whole, frac;
    int digits = scale;
    for (int k = 0; k < scale; k++)
        unit *= 10u;
    whole = mag / unit;
    frac = mag % unit;
    while (digits > min_digits && frac % 10u == 0) {
        frac /= 10u;
        digits--;
    }
    *negative = value < 0;
    if (digits == 0)
        (void)snprintf(buf, size, "%llu", (unsigned long long)whole);
    else
        (void)snprintf(buf, size, "%llu.%0*llu", (unsigned long long)whole, digits, (unsigned long long)frac);
    return buf;
}

const char *format_price(char *buf, size_t size, int64_t units)
{
    char number[48];
    bool negative;
    format_scaled(number, sizeof(number), units, 5, 2, &negative);
    (void)snprintf(buf, size, "%s$%s/h", negative ? "-" : "", number);
    return buf;
}

const char *format_milli(char *buf, size_t size, int64_t milli)
{
    char number[48];
    bool negative;
    format_scaled(number, sizeof(number), milli, 3, 0, &negative);
    (void)snprintf(buf, size, "%s%s", negative ? "-" : "", number);
    return buf;
}

const char *join_strings(char *out, size_t size, const char *items, size_t stride, size_t count)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < count && used + 1u < size; k++) {
        int n = snprintf(out + used, size - used, "%s%s", k ? "," : "", items + k * stride);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return out;
}

/* Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm; no gmtime_r needed). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    yoe = z - era * 146097;
    yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
    doy = (z - era * 146097) - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

const char *format_time(char *buf, size_t size, int64_t unix_s)
{
    int64_t days, secs, y;
    unsigned m, d;
    if (unix_s <= 0) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    days = unix_s / 86400;
    secs = unix_s % 86400;
    civil_from_days(days, &y, &m, &d);
    (void)snprintf(buf, size, "%04lld-%02u-%02u %02d:%02d:%02d UTC", (long long)y, m, d, (int)(secs / 3600),
                   (int)(secs / 60 % 60), (int)(secs % 60));
    return buf;
}

/* ------------------------------------------------------------------ wait progress */

void wait_progress_init(wait_progress_state *st, const char *id)
{
    memset(st, 0, sizeof(*st));
    st->id = id;
    /* In place only when both streams are terminals: \r updates must not end up in a redirected log. */
    st->in_place = isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

bool wait_progress(void *user, const novita_instance *instance, uint32_t elapsed_ms)
{
    wait_progress_state *st = (wait_progress_state *)user;
    const char *status = instance->status_text[0] ? instance->status_text : "unknown";
    char extra[NOVITA_TEXT_MAX + 8] = "";
    if (instance->status_error.state[0] || instance->status_error.message[0])
        (void)snprintf(extra, sizeof(extra), " [%s]", instance->status_error.state[0] ? instance->status_error.state
                                                                                      : instance->status_error.message);
    if (st->in_place) {
        fprintf(stderr, "\r%s: %s%s (%lus)\033[K", st->id, status, extra, (unsigned long)(elapsed_ms / 1000u));
        st->line_open = true;
    } else if (strcmp(status, st->last_status) != 0) {
        fprintf(stderr, "%s: %s%s (%lus)\n", st->id, status, extra, (unsigned long)(elapsed_ms / 1000u));
    }
    fflush(stderr);
    (void)snprintf(st->last_status, sizeof(st->last_status), "%s", status);
    return true;
}

void wait_progress_end(wait_progress_state *st)
{
    if (st->line_open) {
        fputc('\n', stderr);
        st->line_open = false;
    }
}
