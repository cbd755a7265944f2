/* novita CLI: templates list|get|create|update|delete, registries list|create|delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "novita/registries.h"
#include "novita/templates.h"

const char cli_usage_templates[] =
    "  templates list [--channel official|community|private] [--name S] [--type T] [--page N]\n"
    "                 [--page-size N | --all]   --all walks every page (100 per request) over one connection\n"
    "  templates get ID\n"
    "  templates create --name S --image REF --rootfs GB [--readme TEXT] [--image-auth-id ID]\n"
    "                 [--start-command CMD] [--entrypoint CMD] [--port PORT[,PORT...]/http|tcp]...\n"
    "                 [--env KEY=VALUE]... [--min-cuda V]\n"
    "                 prints the new id\n"
    "  templates update ID [the options of create]\n"
    "                 changes only the fields given (--port or --env replace all ports or envs)\n"
    "  templates delete ID\n"
    "  registries list                       the password is shown only with --json\n"
    "  registries create --name HOST --username U\n"
    "                 reads the password from stdin (first line); prints the new id\n"
    "  registries delete ID\n";

/* The model structs are large (a template is ~18 KiB): static storage, never the stack. */
static novita_template g_template;
static novita_registry_auth g_auth;

#define CLI_MAX_PORT_GROUPS 10u /* the API allows 10 groups of at most 10 ports */
#define CLI_MAX_GROUP_PORTS 10u
#define CLI_MAX_ENVS 100u
#define CLI_ALL_PAGE_SIZE 100u

static const char *const channel_words[] = { "official", "community", "private", NULL };

/* ------------------------------------------------------------------ template options */

/* What create and update read from the command line. Port numbers and env strings live here (argv is split
 * in place for KEY=VALUE); `given` says which options appeared, so update changes only those. */
typedef struct template_args {
    novita_template_spec spec;
    novita_template_port_spec groups[CLI_MAX_PORT_GROUPS];
    int32_t ports[CLI_MAX_PORT_GROUPS][CLI_MAX_GROUP_PORTS];
    novita_env_spec envs[CLI_MAX_ENVS];
    long long rootfs;
    bool ports_given, envs_given;
} template_args;

static template_args g_args;

/* "PORT[,PORT...][/http|tcp]" -> one port group (type defaults to tcp). */
static int add_port_group(template_args *a, const char *text)
{
    novita_template_port_spec *g;
    const char *slash = strrchr(text, '/'), *p = text;
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (a->spec.port_count >= CLI_MAX_PORT_GROUPS)
        return cli_usage_error("at most %u --port options", (unsigned)CLI_MAX_PORT_GROUPS);
    g = &a->groups[a->spec.port_count];
    g->type = slash ? slash + 1 : "tcp";
    g->ports = a->ports[a->spec.port_count];
    g->port_count = 0;
    if (strcmp(g->type, "http") != 0 && strcmp(g->type, "tcp") != 0)
        return cli_usage_error("--port needs PORT[,PORT...]/http or /tcp, not '%s'", text);
    while (p < text + n) {
        char number[8];
        const char *comma = memchr(p, ',', (size_t)(text + n - p));
        size_t len = comma ? (size_t)(comma - p) : (size_t)(text + n - p);
        int32_t port;
        if (len == 0 || len >= sizeof(number))
            return cli_usage_error("--port needs PORT[,PORT...]/http|tcp, not '%s'", text);
        memcpy(number, p, len);
        number[len] = '\0';
        if (!parse_port(number, &port))
            return cli_usage_error("--port: '%s' is not a port in 1-65535 except 2222-2224", number);
        if (g->port_count >= CLI_MAX_GROUP_PORTS)
            return cli_usage_error("--port: at most %u ports per option", (unsigned)CLI_MAX_GROUP_PORTS);
        a->ports[a->spec.port_count][g->port_count++] = port;
        p += len + (comma ? 1u : 0u);
        if (comma && p == text + n)
            return cli_usage_error("--port needs PORT[,PORT...]/http|tcp, not '%s'", text);
    }
    if (g->port_count == 0)
        return cli_usage_error("--port needs PORT[,PORT...]/http|tcp, not '%s'", text);
    a->spec.port_count++;
    return CLI_EXIT_OK;
}

/* One option of create/update at argv[*i]: 1 consumed, 0 not a template option, -1 usage error. */
static int template_option(template_args *a, int argc, char **argv, int *i)
{
    novita_template_spec *s = &a->spec;
    const char *value;
    int m;
    if ((m = opt_value(argc, argv, i, "--name", &s->name)) != 0 ||
        (m = opt_value(argc, argv, i, "--image", &s->image)) != 0 ||
        (m = opt_value(argc, argv, i, "--readme", &s->readme)) != 0 ||
        (m = opt_value(argc, argv, i, "--image-auth-id", &s->image_auth)) != 0 ||
        (m = opt_value(argc, argv, i, "--start-command", &s->start_command)) != 0 ||
        (m = opt_value(argc, argv, i, "--entrypoint", &s->entrypoint)) != 0 ||
        (m = opt_value(argc, argv, i, "--min-cuda", &s->min_cuda_version)) != 0 ||
        (m = opt_int(argc, argv, i, "--rootfs", 1, 1000000, &a->rootfs)) != 0)
        return m;
    if ((m = opt_value(argc, argv, i, "--port", &value)) != 0) {
        a->ports_given = true;
        return m < 0 || add_port_group(a, value) != CLI_EXIT_OK ? -1 : 1;
    }
    if ((m = opt_value(argc, argv, i, "--env", &value)) != 0) {
        a->envs_given = true;
        return m < 0 || add_env(a->envs, &a->spec.env_count, CLI_MAX_ENVS, value) != CLI_EXIT_OK ? -1 : 1;
    }
    return 0;
}

/* Parse create/update arguments; `id` receives the positional id (update) or stays NULL (create). */
static int parse_template_args(cli_ctx *cli, int argc, char **argv, const char *command, template_args *a,
                               const char **id, bool *help)
{
    int m, code;
    memset(a, 0, sizeof(*a));
    a->spec.ports = a->groups;
    a->spec.envs = a->envs;
    *help = false;
    for (int i = 0; i < argc; i++) {
        if ((m = cli_common_flag(cli, argv[i])) != 0) {
            if (m == 2) {
                *help = true;
                return CLI_EXIT_OK;
            }
            continue;
        }
        CLI_OPT(template_option(a, argc, argv, &i))
        if (!id)
            return cli_usage_error("unexpected argument '%s' for '%s'", argv[i], command);
        if ((code = take_id(id, argv[i], command)) != CLI_EXIT_OK)
            return code;
    }
    a->spec.rootfs_size = (int32_t)a->rootfs;
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ the template as text */

static void print_template(const void *object)
{
    const novita_template *t = (const novita_template *)object;
    char buf[1024], when[64];
    kv("id:", "%s", t->id);
    kv("name:", "%s", t->name);
    kv("channel:", "%s", t->channel);
    kv("type:", "%s", t->type);
    kv("image:", "%s", t->image);
    kv("image auth id:", "%s", t->image_auth);
    kv("start command:", "%s", t->start_command);
    kv("entrypoint:", "%s", t->entrypoint);
    if (t->rootfs_size)
        kv("rootfs:", "%ld GB", (long)t->rootfs_size);
    kv("min CUDA:", "%s", t->min_cuda_version);
    for (size_t k = 0; k < t->port_group_count; k++) {
        const novita_template_ports *g = &t->ports[k];
        size_t len = 0;
        buf[0] = '\0';
        for (size_t p = 0; p < g->port_count && len < sizeof(buf); p++)
            len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%ld", p ? "," : "", (long)g->ports[p]);
        kv(k ? "" : "ports:", "%s/%s", buf, g->type);
    }
    kv_envs(t->envs, t->env_count, t->env_total);
    for (size_t k = 0; k < t->tool_count; k++)
        kv(k ? "" : "tools:", "%s %ld/%s%s%s", t->tools[k].name, (long)t->tools[k].port, t->tools[k].type,
           t->tools[k].describe[0] ? " - " : "", t->tools[k].describe);
    for (size_t k = 0; k < t->recommend_card_count; k++)
        kv(k ? "" : "recommended:", "%s x%ld", t->recommend_cards[k].gpu_spec_id, (long)t->recommend_cards[k].card_num);
    for (size_t k = 0; k < t->volume_count; k++)
        kv(k ? "" : "volumes:", "%s %s (%lld GB)", t->volumes[k].type, t->volumes[k].mount_path,
           (long long)t->volumes[k].size);
    kv("owner:", "%s", t->user);
    kv("created:", "%s", format_time(when, sizeof(when), t->created_at));
    if (t->readme[0]) {
        /* Markdown as it is, minus control characters other than newline and tab. */
        fputs("readme:\n", stdout);
        for (const unsigned char *p = (const unsigned char *)t->readme; *p; p++)
            putchar(*p < 0x20u && *p != '\n' && *p != '\t' ? ' ' : (int)*p);
        if (t->readme[strlen(t->readme) - 1] != '\n')
            putchar('\n');
    }
}

/* ------------------------------------------------------------------ templates list */

static novita_result on_template(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_template *t = (const novita_template *)item;
    char rootfs[24], created[64];
    const char *row[7];
    (void)snprintf(rootfs, sizeof(rootfs), "%ld GB", (long)t->rootfs_size);
    row[0] = t->id;
    row[1] = t->name;
    row[2] = t->channel;
    row[3] = t->type;
    row[4] = t->image;
    row[5] = t->rootfs_size ? rootfs : "-";
    row[6] = format_time(created, sizeof(created), t->created_at);
    list_out_add(o, &novita_template_model, t, row);
    return NOVITA_OK;
}

static int templates_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "CHANNEL", "TYPE", "IMAGE", "ROOTFS", "CREATED" };
    novita_template_filter f;
    page_args p = { 0, 0, false };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_template, on_template, &o);
    novita_result r;
    int m, code;
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--channel", f.channel)
        CLI_OPT_STR("--name", f.name)
        CLI_OPT_STR("--type", f.type)
        CLI_OPT(page_option(argc, argv, &i, &p))
        return cli_usage_error("unexpected argument '%s' for 'templates list'", argv[i]);
    }
    if (f.channel && !one_of(f.channel, channel_words))
        return cli_usage_error("--channel must be official, community or private, not '%s'", f.channel);
    if ((code = page_check(&p, CLI_ALL_PAGE_SIZE, &f.page_num, &f.page_size, &list)) != CLI_EXIT_OK)
        return code;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    list_out_init(&o, cli->json, 7, headers);
    r = novita_templates_list(cli->client, &f, &list, NULL);
    return list_out_finish_paged(cli, &o, r, &list, "templates");
}

/* ------------------------------------------------------------------ templates get / delete */

static int templates_get(cli_ctx *cli, int argc, char **argv)
{
    const char *id;
    novita_result r;
    int code;
    if (!start_with_id(cli, argc, argv, "templates get", "id", &id, &code))
        return code;
    r = novita_templates_get(cli->client, id, &g_template, NULL);
    return print_object(cli, r, &novita_template_model, &g_template, print_template);
}

static int templates_delete(cli_ctx *cli, int argc, char **argv)
{
    return run_id_action(cli, argc, argv, "templates delete", "id", novita_templates_delete, "deleted");
}

/* ------------------------------------------------------------------ templates create */

static int templates_create(cli_ctx *cli, int argc, char **argv)
{
    template_args *a = &g_args;
    char id[NOVITA_ID_MAX];
    novita_result r;
    bool help;
    int code;
    if ((code = parse_template_args(cli, argc, argv, "templates create", a, NULL, &help)) != CLI_EXIT_OK || help)
        return code;
    if (!a->spec.name || !a->spec.name[0])
        return cli_usage_error("templates create needs --name S");
    if (!a->spec.image || !a->spec.image[0])
        return cli_usage_error("templates create needs --image REF");
    if (a->spec.rootfs_size <= 0)
        return cli_usage_error("templates create needs --rootfs GB");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_templates_create(cli->client, &a->spec, id, sizeof(id), NULL);
    return print_new_id(cli, r, "id", id);
}

/* ------------------------------------------------------------------ templates update */

/* The current ports and envs of `t` as request fields, for the ones the command line does not replace.
 * Refuses (usage-style error, nothing sent) when the decoded template dropped elements: sending it back
 * would delete them. */
static int keep_current(template_args *a, const novita_template *t)
{
    novita_template_spec *s = &a->spec;
    if (!a->ports_given) {
        if (t->port_group_total > t->port_group_count)
            return cli_usage_error("template %s has %u port groups, more than this build keeps: give --port to "
                                   "replace them", t->id, (unsigned)t->port_group_total);
        for (size_t k = 0; k < t->port_group_count && k < CLI_MAX_PORT_GROUPS; k++) {
            const novita_template_ports *g = &t->ports[k];
            if (g->port_total > g->port_count || g->port_count > CLI_MAX_GROUP_PORTS)
                return cli_usage_error("template %s has more ports than this build keeps: give --port to replace "
                                       "them", t->id);
            for (size_t p = 0; p < g->port_count; p++)
                a->ports[k][p] = g->ports[p];
            a->groups[k].type = g->type;
            a->groups[k].ports = a->ports[k];
            a->groups[k].port_count = g->port_count;
        }
        s->port_count = t->port_group_count;
    }
    if (!a->envs_given) {
        if (t->env_total > t->env_count)
            return cli_usage_error("template %s has %u envs, more than this build keeps: give --env to replace "
                                   "them", t->id, (unsigned)t->env_total);
        for (size_t k = 0; k < t->env_count; k++) {
            a->envs[k].key = t->envs[k].key;
            a->envs[k].value = t->envs[k].value;
        }
        s->env_count = t->env_count;
    }
    return CLI_EXIT_OK;
}

/* Fields not given on the command line keep the template's current values (the API replaces them all). */
static int merge_current(template_args *a, const novita_template *t)
{
    novita_template_spec *s = &a->spec;
    if (!s->name)
        s->name = t->name;
    if (!s->readme)
        s->readme = t->readme;
    s->type = t->type;
    s->channel = t->channel;
    if (!s->image)
        s->image = t->image;
    if (!s->image_auth)
        s->image_auth = t->image_auth;
    if (!s->start_command)
        s->start_command = t->start_command;
    if (!s->entrypoint)
        s->entrypoint = t->entrypoint;
    if (!s->min_cuda_version)
        s->min_cuda_version = t->min_cuda_version;
    if (s->rootfs_size <= 0)
        s->rootfs_size = t->rootfs_size;
    return keep_current(a, t);
}

static int templates_update(cli_ctx *cli, int argc, char **argv)
{
    template_args *a = &g_args;
    const char *id = NULL;
    novita_result r;
    bool help;
    int code;
    if ((code = parse_template_args(cli, argc, argv, "templates update", a, &id, &help)) != CLI_EXIT_OK || help)
        return code;
    if (!id)
        return cli_usage_error("missing id: templates update ID [options]");
    if (!a->spec.name && !a->spec.image && !a->spec.readme && !a->spec.image_auth && !a->spec.start_command &&
        !a->spec.entrypoint && !a->spec.min_cuda_version && a->spec.rootfs_size <= 0 && !a->ports_given &&
        !a->envs_given)
        return cli_usage_error("templates update needs at least one option to change");
    if ((code = cli_connect(cli)) != CLI_EXIT_OK)
        return code;
    r = novita_templates_get(cli->client, id, &g_template, NULL);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    if ((code = merge_current(a, &g_template)) != CLI_EXIT_OK)
        return code;
    r = novita_templates_update(cli->client, id, &a->spec, NULL);
    return print_done(cli, r, id, NULL, "updated");
}

int cmd_templates(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", templates_list },
        { "get", templates_get },
        { "create", templates_create },
        { "update", templates_update },
        { "delete", templates_delete },
    };
    return run_command(cli, "templates", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}

/* ------------------------------------------------------------------ registries */

static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n--)
        *v++ = 0;
}

static novita_result on_auth(void *user, const void *item)
{
    list_out *o = (list_out *)user;
    const novita_registry_auth *a = (const novita_registry_auth *)item;
    const char *row[3];
    row[0] = a->id;
    row[1] = a->name;
    row[2] = a->username; /* never the password: --json prints what the API returned */
    list_out_add(o, &novita_registry_auth_model, a, row);
    return NOVITA_OK;
}

static int registries_list(cli_ctx *cli, int argc, char **argv)
{
    static const char *const headers[] = { "ID", "NAME", "USERNAME" };
    list_out o;
    novita_list list = NOVITA_LIST_CALLBACK(&g_auth, on_auth, &o);
    novita_result r;
    int code;
    if (!start_no_args(cli, argc, argv, "registries list", &code))
        return code;
    list_out_init(&o, cli->json, 3, headers);
    r = novita_registry_auths_list(cli->client, &list, NULL);
    wipe(&g_auth, sizeof(g_auth));
    return list_out_finish(cli, &o, r, list.total);
}

/* The first line of stdin, without its line ending; prompts without echo when stdin is a terminal.
 * Returns false (after a usage error) for an empty or over-long password. */
static bool read_password(char *out, size_t size)
{
    struct termios saved, quiet;
    bool tty = isatty(STDIN_FILENO) != 0, restore = false;
    size_t n;
    if (tty) {
        fputs("Password: ", stderr);
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            quiet = saved;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    if (!fgets(out, (int)size, stdin))
        out[0] = '\0';
    if (restore)
        (void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (tty)
        fputc('\n', stderr);
    n = strlen(out);
    if (n + 1u >= size && out[n - 1] != '\n') {
        wipe(out, size);
        cli_usage_error("the password is longer than %lu characters", (unsigned long)(size - 2u));
        return false;
    }
    if (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    if (n > 0 && out[n - 1] == '\r')
        out[--n] = '\0';
    if (n == 0) {
        cli_usage_error("registries create reads the password from stdin: it was empty");
        return false;
    }
    return true;
}

/* Ids of the auths that exist now (malloc'd array; *count entries). */
typedef struct id_set {
    char (*ids)[NOVITA_ID_MAX];
    size_t count, cap;
    const char *name;     /* after the save: the new auth's name and user name ... */
    const char *username;
    char found[NOVITA_ID_MAX]; /* ... and the first id not in the set before */
    const struct id_set *before;
} id_set;

static bool id_set_has(const id_set *s, const char *id)
{
    for (size_t k = 0; k < s->count; k++) {
        if (strcmp(s->ids[k], id) == 0)
            return true;
    }
    return false;
}

static novita_result collect_id(void *user, const void *item)
{
    id_set *s = (id_set *)user;
    const novita_registry_auth *a = (const novita_registry_auth *)item;
    if (s->before) { /* after the save: look for the new one */
        if (!s->found[0] && strcmp(a->name, s->name) == 0 && strcmp(a->username, s->username) == 0 &&
            !id_set_has(s->before, a->id))
            (void)snprintf(s->found, sizeof(s->found), "%s", a->id);
        return NOVITA_OK;
    }
    if (s->count == s->cap) {
        void *grown;
        s->cap = s->cap ? s->cap * 2u : 16u;
        grown = realloc(s->ids, s->cap * sizeof(*s->ids));
        if (!grown)
            return NOVITA_ERR_CANCELLED;
        s->ids = (char (*)[NOVITA_ID_MAX])grown;
    }
    (void)snprintf(s->ids[s->count++], NOVITA_ID_MAX, "%s", a->id);
    return NOVITA_OK;
}

static novita_result list_ids(cli_ctx *cli, id_set *s)
{
    novita_list list = NOVITA_LIST_CALLBACK(&g_auth, collect_id, s);
    novita_result r = novita_registry_auths_list(cli->client, &list, NULL);
    wipe(&g_auth, sizeof(g_auth));
    return r;
}

static int registries_create(cli_ctx *cli, int argc, char **argv)
{
    static char password[NOVITA_REGISTRY_PASSWORD_MAX + 1u];
    const char *name = NULL, *username = NULL;
    id_set before, after;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--name", name)
        CLI_OPT_STR("--username", username)
        return cli_usage_error("unexpected argument '%s' for 'registries create'", argv[i]);
    }
    if (!name || !name[0])
        return cli_usage_error("registries create needs --name HOST");
    if (!username || !username[0])
        return cli_usage_error("registries create needs --username U");
    if (!read_password(password, sizeof(password)))
        return CLI_EXIT_USAGE;
    if ((code = cli_connect(cli)) != CLI_EXIT_OK) {
        wipe(password, sizeof(password));
        return code;
    }
    /* The API returns no id: the new auth is the one that was not there before the save. */
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    r = list_ids(cli, &before);
    if (r == NOVITA_OK)
        r = novita_registry_auths_create(cli->client, name, username, password, NULL);
    wipe(password, sizeof(password));
    if (r != NOVITA_OK) {
        free(before.ids);
        return cli_fail(cli, r);
    }
    after.name = name;
    after.username = username;
    after.before = &before;
    r = list_ids(cli, &after);
    free(before.ids);
    if (r != NOVITA_OK || !after.found[0]) {
        fprintf(stderr, "novita: saved, but the new auth's id was not found: see 'novita registries list'\n");
        if (cli->json)
            puts("{\"ok\":true}");
        return CLI_EXIT_OK;
    }
    return print_new_id(cli, NOVITA_OK, "id", after.found);
}

static int registries_delete(cli_ctx *cli, int argc, char **argv)
{
    return run_id_action(cli, argc, argv, "registries delete", "id", novita_registry_auths_delete, "deleted");
}

int cmd_registries(cli_ctx *cli, int argc, char **argv)
{
    static const cli_command commands[] = {
        { "list", registries_list },
        { "create", registries_create },
        { "delete", registries_delete },
    };
    return run_command(cli, "registries", commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}
