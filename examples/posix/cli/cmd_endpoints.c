/* PLACEHOLDER (issue 3, being written): replaced by the real command file. */
#include "cli.h"

const char cli_usage_endpoints[] = "";
int cmd_endpoints(cli_ctx *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_usage_error("not implemented yet");
}
