/* PLACEHOLDER (issue 3, being written): replaced by the real command file. */
#include "cli.h"

const char cli_usage_billing[] = "";
int cmd_balance(cli_ctx *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_usage_error("not implemented yet");
}
int cmd_billing(cli_ctx *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    return cli_usage_error("not implemented yet");
}
