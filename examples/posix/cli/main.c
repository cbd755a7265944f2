/* novita CLI: global options, client setup, dispatch, error reporting and exit codes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "novita_port_posix.h"

/* The library's buffers: a host tool can afford generous ones. Static: the client borrows them. */
#define CLI_WORK_SIZE (64u * 1024u)
#define CLI_TOKENS 4096u
/* Longest single backoff between retries (the client's retry_max_ms), counted into the deadline. */
#define CLI_RETRY_MAX_MS 10000u

static uint8_t g_work[CLI_WORK_SIZE];
static novita_json_token g_tokens[CLI_TOKENS];
static novita_client g_client;
static novita_posix_port g_port;
static bool g_port_ready;

static const char usage_head[] =
    "usage: novita [GLOBAL OPTIONS] GROUP COMMAND [ARGS]\n"
    "\n"
    "Command-line client for the Novita AI GPU cloud API (novita-c " NOVITA_VERSION_STRING ").\n"
    "\n"
    "Global options (before GROUP; --json, -v and --help are also accepted after the command):\n"
    "  --base-url URL   API root (default $NOVITA_BASE_URL, else " NOVITA_DEFAULT_BASE_URL ")\n"
    "  --api-key KEY    API key (default $NOVITA_API_KEY; required)\n"
    "  --cacert FILE    PEM bundle of trusted CAs for TLS (default: the system bundle)\n"
    "  --timeout SEC    longest silence while connecting, sending or receiving (default 30). Each request\n"
    "                   also has an overall deadline of SEC*(N+1) + 10*N seconds, N = --retries, which\n"
    "                   covers every attempt and the backoff between them\n"
    "  --retries N      extra attempts after a transient failure, reads only (default 3; creates and\n"
    "                   actions are never resent once they may have reached the server)\n"
    "  --json           print one JSON document with the API's camelCase keys\n"
    "  -v, --verbose    trace HTTP requests and statuses on stderr (the API key is masked)\n"
    "  --help           show this help\n"
    "  --version        show the version\n"
    "\n"
    "Commands:\n";

static const char usage_tail[] =
    "\n"
    "Output: tables and 'key: value' blocks; prices in USD per hour; passwords are never shown as text\n"
    "(--json prints what the API returned). With --json, lists print {\"items\":[...],\"total\":N},\n"
    "single objects print the object, create prints {\"id\":\"...\"} (networks create: the network the\n"
    "API returns; images save: {\"jobId\":\"...\"}), actions print {\"ok\":true,\"id\":\"...\"} (plus \"status\"\n"
    "with --wait). While waiting, progress goes to stderr: one line updated in place when stdout and\n"
    "stderr are terminals, else one line per status change.\n"
    "\n"
    "Exit status: 0 success, 1 other failure, 2 usage (also an invalid argument or base URL), 3 auth,\n"
    "4 not found, 5 rate limited, 6 server error, 7 timeout, 8 network or TLS, 9 buffer too small or\n"
    "undecodable response.\n";


/* The command groups: name, handler, and the usage lines each command file provides. */
typedef struct cli_group {
    const char *name;
    int (*run)(cli_ctx *cli, int argc, char **argv);
    const char *usage; /* NULL: listed with the group before it */
} cli_group;

static const cli_group groups[] = {
    { "clusters", cmd_clusters, cli_usage_products },
    { "products", cmd_products, NULL },
    { "instances", cmd_instances, cli_usage_instances },
    { "templates", cmd_templates, cli_usage_templates },
    { "registries", cmd_registries, NULL },
    { "storage", cmd_storage, cli_usage_storage },
    { "networks", cmd_networks, NULL },
    { "jobs", cmd_jobs, cli_usage_jobs },
    { "images", cmd_images, NULL },
    { "prewarm", cmd_prewarm, NULL },
    { "endpoints", cmd_endpoints, cli_usage_endpoints },
    { NULL, NULL, cli_usage_call }, /* `endpoints call`: usage only, dispatched by cmd_endpoints */
    { "balance", cmd_balance, cli_usage_billing },
    { "billing", cmd_billing, NULL },
};

static void print_usage(void)
{
    fputs(usage_head, stdout);
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        if (groups[i].usage)
            fputs(groups[i].usage, stdout);
    }
    fputs(usage_tail, stdout);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("novita: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'novita --help'.\n", stderr);
    return CLI_EXIT_USAGE;
}

int cli_exit_code(novita_result r)
{
    switch (r) {
    case NOVITA_OK: return CLI_EXIT_OK;
    case NOVITA_ERR_INVALID_ARG: return CLI_EXIT_USAGE;
    case NOVITA_ERR_AUTH: return CLI_EXIT_AUTH;
    case NOVITA_ERR_NOT_FOUND: return CLI_EXIT_NOT_FOUND;
    case NOVITA_ERR_RATE_LIMITED: return CLI_EXIT_RATE_LIMITED;
    case NOVITA_ERR_SERVER: return CLI_EXIT_SERVER;
    case NOVITA_ERR_TIMEOUT: return CLI_EXIT_TIMEOUT;
    case NOVITA_ERR_NETWORK:
    case NOVITA_ERR_TLS: return CLI_EXIT_NETWORK;
    case NOVITA_ERR_BUFFER_TOO_SMALL:
    case NOVITA_ERR_DECODE: return CLI_EXIT_BUFFER;
    default: return CLI_EXIT_FAILURE;
    }
}

/* Append one part of the error line, control characters flattened so the line stays one line. */
static void put_clean(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        fputc(*p < 0x20u || *p == 0x7Fu ? ' ' : (int)*p, stderr);
}

int cli_fail(const cli_ctx *cli, novita_result r)
{
    const novita_error *e = cli->client ? novita_client_last_error(cli->client) : NULL;
    fputs("novita: error: ", stderr);
    put_clean(novita_strerror(r));
    if (e) {
        bool http = e->http_status >= 300 || (e->http_status > 0 && e->http_status < 200);
        if (http || e->reason[0]) {
            fputs(": ", stderr);
            if (http)
                fprintf(stderr, "HTTP %d", e->http_status);
            if (e->reason[0]) {
                if (http)
                    fputc(' ', stderr);
                put_clean(e->reason);
            }
        }
        if ((r == NOVITA_ERR_BUFFER_TOO_SMALL || r == NOVITA_ERR_DECODE) && (e->what[0] || e->needed)) {
            fputs(": ", stderr);
            put_clean(e->what[0] ? e->what : "buffer");
            if (e->needed)
                fprintf(stderr, " (needs %lu bytes)", (unsigned long)e->needed);
        }
        if (e->message[0]) {
            fputs(": ", stderr);
            put_clean(e->message);
        }
        if ((r == NOVITA_ERR_NETWORK || r == NOVITA_ERR_TLS || r == NOVITA_ERR_TIMEOUT) && e->port_code != 0 &&
            g_port_ready) {
            const char *detail = novita_posix_port_last_error(&g_port);
            if (detail && detail[0]) {
                fputs(" (", stderr);
                put_clean(detail);
                fputc(')', stderr);
            }
        }
    }
    fputc('\n', stderr);
    return cli_exit_code(r);
}

/* Verbose trace: the library hands over pieces of lines, the API key already masked. */
static void log_to_stderr(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\r')
            fputc((unsigned char)text[i], stderr);
    }
}

int cli_connect(cli_ctx *cli)
{
    novita_posix_config pcfg;
    novita_client_config cfg;
    novita_result r;
    uint64_t io_ms, deadline_ms;
    int32_t prc;
    if (cli->client)
        return CLI_EXIT_OK;
    if (!cli->api_key || !cli->api_key[0])
        return cli_usage_error("missing API key: use --api-key KEY or set NOVITA_API_KEY");
    memset(&pcfg, 0, sizeof(pcfg));
    pcfg.ca_file = cli->cacert;
    prc = novita_posix_port_init(&g_port, &pcfg);
    if (prc != NOVITA_PORT_OK) {
        fprintf(stderr, "novita: error: %s: %s\n",
                novita_strerror(prc == NOVITA_PORT_ERR_ARG ? NOVITA_ERR_INVALID_ARG : NOVITA_ERR_TLS),
                novita_posix_port_last_error(&g_port));
        novita_posix_port_free(&g_port);
        return prc == NOVITA_PORT_ERR_ARG ? CLI_EXIT_FAILURE : CLI_EXIT_NETWORK;
    }
    g_port_ready = true;
    io_ms = (uint64_t)cli->timeout_s * 1000u;
    deadline_ms = io_ms * (cli->retries + 1u) + (uint64_t)cli->retries * CLI_RETRY_MAX_MS;
    novita_client_config_init(&cfg);
    cfg.base_url = cli->base_url;
    cfg.api_key = cli->api_key;
    cfg.io_timeout_ms = (uint32_t)io_ms;
    cfg.connect_timeout_ms = (uint32_t)io_ms;
    cfg.deadline_ms = deadline_ms > UINT32_MAX / 2u ? UINT32_MAX / 2u : (uint32_t)deadline_ms;
    cfg.max_retries = (uint8_t)cli->retries;
    cfg.retry_max_ms = CLI_RETRY_MAX_MS;
    cfg.log = cli->verbose ? log_to_stderr : NULL;
    r = novita_client_init(&g_client, &cfg, novita_posix_port_get(&g_port), g_work, sizeof(g_work), g_tokens,
                           CLI_TOKENS);
    cli->client = &g_client;
    if (r != NOVITA_OK) {
        int code = cli_fail(cli, r);
        cli->client = NULL;
        return code;
    }
    return CLI_EXIT_OK;
}

static void cli_disconnect(cli_ctx *cli)
{
    if (cli->client) {
        novita_client_close(cli->client);
        cli->client = NULL;
    }
    if (g_port_ready) {
        novita_posix_port_free(&g_port);
        g_port_ready = false;
    }
}

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

int main(int argc, char **argv)
{
    cli_ctx cli;
    int i, code;
    const char *group;
    memset(&cli, 0, sizeof(cli));
    cli.base_url = env_or_null("NOVITA_BASE_URL");
    cli.api_key = env_or_null("NOVITA_API_KEY");
    cli.timeout_s = 30;
    cli.retries = 3;
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        long long n;
        int m;
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_usage();
            return CLI_EXIT_OK;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("novita %s\n", NOVITA_VERSION_STRING);
            return CLI_EXIT_OK;
        }
        if (strcmp(arg, "--json") == 0) {
            cli.json = true;
            continue;
        }
        if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
            cli.verbose = true;
            continue;
        }
        if ((m = opt_value(argc, argv, &i, "--base-url", &cli.base_url)) != 0 ||
            (m = opt_value(argc, argv, &i, "--api-key", &cli.api_key)) != 0 ||
            (m = opt_value(argc, argv, &i, "--cacert", &cli.cacert)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            continue;
        }
        if ((m = opt_int(argc, argv, &i, "--timeout", 1, 86400, &n)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            cli.timeout_s = (uint32_t)n;
            continue;
        }
        if ((m = opt_int(argc, argv, &i, "--retries", 0, 10, &n)) != 0) {
            if (m < 0)
                return CLI_EXIT_USAGE;
            cli.retries = (uint32_t)n;
            continue;
        }
        return cli_usage_error("unknown option '%s'", arg);
    }
    if (i >= argc)
        return cli_usage_error("missing command");
    group = argv[i];
    code = -1;
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        if (groups[g].name && strcmp(group, groups[g].name) == 0) {
            code = groups[g].run(&cli, argc - i - 1, argv + i + 1);
            break;
        }
    }
    if (code < 0 && strcmp(group, "help") == 0) {
        print_usage();
        code = CLI_EXIT_OK;
    } else if (code < 0)
        code = cli_usage_error("unknown command '%s'", group);
    cli_disconnect(&cli);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("novita: error: writing the output failed\n", stderr);
        if (code == CLI_EXIT_OK)
            code = CLI_EXIT_FAILURE;
    }
    return code;
}

/* Flags every command accepts after its name too (handled here so the command files share them). */
int cli_common_flag(cli_ctx *cli, const char *arg)
{
    if (strcmp(arg, "--json") == 0) {
        cli->json = true;
        return 1;
    }
    if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
        cli->verbose = true;
        return 1;
    }
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        print_usage();
        return 2;
    }
    return 0;
}
