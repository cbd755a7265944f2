/* PLACEHOLDER (issue 3, being written): replaced by the real command file. */
#include "cli.h"

const char cli_usage_call[] = "";
int cmd_endpoints_call(cli_ctx *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_usage_error("not implemented yet");
}
