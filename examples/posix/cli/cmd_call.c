/* endpoints call: send a body to a serverless endpoint's URL (or any URL) and print the response body. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_usage_call[] =
    "  endpoints call URL [--data JSON | --data @FILE | --data @-] [--method M] [--content-type T]\n"
    "                 sends the body (POST by default; @- reads stdin) with the API key to URL, e.g. an\n"
    "                 endpoint's url or https://async-public.serverless.novita.ai/v1/ID-APP/run, and\n"
    "                 prints the response body as it arrives, whatever its size\n";

/* Read a whole file ("-" = stdin) into a malloc'd buffer. NULL with a message on failure. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        fprintf(stderr, "novita: error: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            char *grown = realloc(data, cap ? cap * 2 : 65536);
            if (!grown) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            cap = cap ? cap * 2 : 65536;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (data && ferror(f)) {
        fprintf(stderr, "novita: error: reading %s failed\n", path);
        free(data);
        data = NULL;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return data;
}

/* Response body pieces go straight to stdout: nothing is held in memory. */
static novita_result write_stdout(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    return fwrite(data, 1, len, stdout) == len ? NOVITA_OK : NOVITA_ERR_CANCELLED;
}

int cmd_endpoints_call(cli_ctx *cli, int argc, char **argv)
{
    novita_call_request req = NOVITA_CALL_REQUEST_INIT;
    novita_call_response resp;
    const char *data = NULL;
    char *owned = NULL;
    novita_result r;
    int m, code;
    for (int i = 0; i < argc; i++) {
        CLI_COMMON_FLAGS(cli)
        CLI_OPT_STR("--data", data)
        CLI_OPT_STR("--method", req.method)
        CLI_OPT_STR("--content-type", req.content_type)
        if (argv[i][0] == '-' || req.url)
            return cli_usage_error("unexpected argument '%s' for 'endpoints call'", argv[i]);
        req.url = argv[i];
    }
    if (!req.url)
        return cli_usage_error("'endpoints call' needs a URL");
    if (data && data[0] == '@') {
        owned = read_all(data + 1, &req.body_len);
        if (!owned)
            return CLI_EXIT_FAILURE;
        req.body = owned;
    } else if (data) {
        req.body = data;
        req.body_len = strlen(data);
    }
    if ((code = cli_connect(cli)) != CLI_EXIT_OK) {
        free(owned);
        return code;
    }
    req.on_body = write_stdout;
    r = novita_call(cli->client, &req, &resp, NULL);
    free(owned);
    if (resp.body_len > 0 && fflush(stdout) == 0 && cli->verbose)
        fprintf(stderr, "novita: HTTP %d, %lu bytes\n", resp.status, (unsigned long)resp.body_len);
    if (r != NOVITA_OK)
        return cli_fail(cli, r);
    return CLI_EXIT_OK;
}
