/*
 * novita: command-line client for the Novita AI GPU cloud API, built on novita-c.
 * Shared declarations of the CLI's files (an example program: it uses stdio and malloc freely, and calls
 * the library only through include/novita/ and port/posix/novita_port_posix.h).
 *
 *   main.c          global options, client setup, dispatch, error reporting, exit codes
 *   cmd_products.c  clusters list, products list, products cpu
 *   cmd_instances.c instances list|get|create|start|stop|restart|delete|migrate|edit|wait|metrics
 *   cmd_templates.c templates ..., registries ...
 *   cmd_storage.c   storage ..., networks ...
 *   cmd_jobs.c      jobs ..., images save, prewarm ...
 *   cmd_endpoints.c endpoints list|get|limits|create|update|delete
 *   cmd_call.c      endpoints call (any URL, the response body streamed to stdout)
 *   cmd_billing.c   balance, billing ...
 *   output.c        tables, key: value blocks, JSON documents, prices, option parsing and command helpers
 *                   (dispatch, ids, paging, --env, ports), progress
 */
#ifndef NOVITA_CLI_H
#define NOVITA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/novita.h"

/* ---- exit codes */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_AUTH = 3,
    CLI_EXIT_NOT_FOUND = 4,
    CLI_EXIT_RATE_LIMITED = 5,
    CLI_EXIT_SERVER = 6,
    CLI_EXIT_TIMEOUT = 7,
    CLI_EXIT_NETWORK = 8,
    CLI_EXIT_BUFFER = 9
};

/* ---- global settings and the connected client */
typedef struct cli_ctx {
    const char *base_url;
    const char *api_key;
    const char *cacert;
    uint32_t timeout_s;
    uint32_t retries;
    bool json;
    bool verbose;
    novita_client *client; /* NULL until cli_connect() */
} cli_ctx;

/* main.c */
/** Check the API key, set up the port and the client. Returns an exit code (0 = connected). */
int cli_connect(cli_ctx *cli);
/** Print the client's last error as one line on stderr and return the exit code for `r`. */
int cli_fail(const cli_ctx *cli, novita_result r);
/** Exit code of a library result. */
int cli_exit_code(novita_result r);
/** Print "novita: <message>" plus a hint on stderr and return CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/** Flags accepted after a command too: --json, -v/--verbose (1 = handled), --help (prints help: 2); else 0. */
int cli_common_flag(cli_ctx *cli, const char *arg);

/* Option loop helpers for the command files: inside `for (int i = 0; i < argc; i++)` with `int m;`.
 * CLI_OPT: `call` returns 1 (consumed: next argument), 0 (not this option) or -1 (usage error, reported). */
#define CLI_OPT(call)                                                      \
    if ((m = (call)) != 0) {                                               \
        if (m < 0)                                                         \
            return CLI_EXIT_USAGE;                                         \
        continue;                                                          \
    }
#define CLI_OPT_STR(name, dst) CLI_OPT(opt_value(argc, argv, &i, (name), &(dst)))
#define CLI_OPT_INT(name, min, max, dst) CLI_OPT(opt_int(argc, argv, &i, (name), (min), (max), &(dst)))
/* A repeatable option whose value goes to an add_* call returning an exit code (needs `const char *value;`). */
#define CLI_OPT_ADD(name, call)                                            \
    if ((m = opt_value(argc, argv, &i, (name), &value)) != 0) {            \
        if (m < 0 || (call) != CLI_EXIT_OK)                                \
            return CLI_EXIT_USAGE;                                         \
        continue;                                                          \
    }
#define CLI_COMMON_FLAGS(cli)                                              \
    if ((m = cli_common_flag((cli), argv[i])) != 0) {                      \
        if (m == 2)                                                        \
            return CLI_EXIT_OK;                                            \
        continue;                                                          \
    }

/* Command groups: argv[0] is the first word after the group name. Each command file also provides the
 * usage lines of its groups (cli_usage_*), printed by --help in the order of main.c's group table. */
int cmd_clusters(cli_ctx *cli, int argc, char **argv);   /* cmd_products.c */
int cmd_products(cli_ctx *cli, int argc, char **argv);
extern const char cli_usage_products[];
int cmd_instances(cli_ctx *cli, int argc, char **argv);  /* cmd_instances.c */
extern const char cli_usage_instances[];
int cmd_templates(cli_ctx *cli, int argc, char **argv);  /* cmd_templates.c */
int cmd_registries(cli_ctx *cli, int argc, char **argv);
extern const char cli_usage_templates[];
int cmd_storage(cli_ctx *cli, int argc, char **argv);    /* cmd_storage.c */
int cmd_networks(cli_ctx *cli, int argc, char **argv);
extern const char cli_usage_storage[];
int cmd_jobs(cli_ctx *cli, int argc, char **argv);       /* cmd_jobs.c */
int cmd_images(cli_ctx *cli, int argc, char **argv);
int cmd_prewarm(cli_ctx *cli, int argc, char **argv);
extern const char cli_usage_jobs[];
int cmd_endpoints(cli_ctx *cli, int argc, char **argv);  /* cmd_endpoints.c */
extern const char cli_usage_endpoints[];
int cmd_endpoints_call(cli_ctx *cli, int argc, char **argv); /* cmd_call.c: `endpoints call` */
extern const char cli_usage_call[];
int cmd_balance(cli_ctx *cli, int argc, char **argv);    /* cmd_billing.c */
int cmd_billing(cli_ctx *cli, int argc, char **argv);
extern const char cli_usage_billing[];

/* ---- option parsing and command helpers (output.c) */

/** Match argv[*i] against `name` ("--name value" or "--name=value"). On a match, *value receives the value,
 *  *i advances past it and the result is 1; a missing value prints a usage error and gives -1; no match 0. */
int opt_value(int argc, char **argv, int *i, const char *name, const char **value);
/** Parse a decimal integer in [min, max]. false on anything else. */
bool parse_int(const char *text, long long min, long long max, long long *out);
/** opt_value + parse_int; usage error (-1) on a bad number. */
int opt_int(int argc, char **argv, int *i, const char *name, long long min, long long max, long long *out);
/** true when `value` is one of the NULL-terminated `allowed` words. */
bool one_of(const char *value, const char *const *allowed);

/** One command word of a group and its handler (which gets the words after the command word). */
typedef struct cli_command {
    const char *name;
    int (*run)(cli_ctx *cli, int argc, char **argv);
} cli_command;
/** Run the command of `group` named by argv[0] with the words after it. A missing command is a usage error
 *  listing the names ("missing command: GROUP a|b|c"), so is an unknown one; --help prints the help.
 *  Returns the exit code. */
int run_command(cli_ctx *cli, const char *group, const cli_command *commands, size_t count, int argc, char **argv);

/** An option-like `arg` ("-x", not "-") is a usage error "unknown option 'ARG' for 'COMMAND'" (returned);
 *  anything else gives CLI_EXIT_OK. `command` is the full text, e.g. "instances get". */
int reject_option(const char *arg, const char *command);
/** The one positional argument of `command`: stores arg in *id. A second one ("unexpected argument") or an
 *  option-like word ("unknown option") is a usage error. Returns an exit code. */
int take_id(const char **id, const char *arg, const char *command);
/** Append one positional id of a command that takes several: an option-like word or more than `max` ids
 *  ("at most MAX WHAT") is a usage error. Returns an exit code. */
int add_id(const char **ids, size_t *count, size_t max, const char *arg, const char *command, const char *what);

/** Read the arguments of a command that takes none (only the common flags), then connect. true: go on.
 *  false: return *code now (usage error, failed connection, or CLI_EXIT_OK after --help). */
bool start_no_args(cli_ctx *cli, int argc, char **argv, const char *command, int *code);
/** Read the arguments of a command that takes exactly one id, then connect. true: *id is set, go on.
 *  false: return *code now; a missing id is "missing NOUN: COMMAND ID". */
bool start_with_id(cli_ctx *cli, int argc, char **argv, const char *command, const char *noun, const char **id,
                   int *code);
/** A whole command that takes one id and calls fn(client, id) (start_with_id, then print_done with `done`).
 *  Returns the exit code. */
int run_id_action(cli_ctx *cli, int argc, char **argv, const char *command, const char *noun,
                  novita_result (*fn)(novita_client *client, const char *id, const novita_call_opts *opts),
                  const char *done);

/** --page N, --page-size N and --all of the list commands. */
typedef struct page_args {
    long long page, page_size;
    bool all;
} page_args;
/** One paging option at argv[*i]: 1 consumed, 0 not one, -1 usage error (use with CLI_OPT). */
int page_option(int argc, char **argv, int *i, page_args *p);
/** After the option loop: --all with --page or --page-size is a usage error (returned). Else sets the
 *  filter's *page and *page_size (all_size for --all: the size of each page of the walk) and
 *  list->all_pages, and returns CLI_EXIT_OK. */
int page_check(const page_args *p, uint32_t all_size, uint32_t *page, uint32_t *page_size, novita_list *list);

/** "--env KEY=VALUE": split in place (argv is writable) into envs[*count]; a bad pair or more than `max` is
 *  a usage error. Returns an exit code. */
int add_env(novita_env_spec *envs, size_t *count, size_t max, const char *value);
/** A repeatable option's value into list[*count]: more than `max` ("at most MAX OPTION options") or an empty
 *  value ("OPTION needs WHAT") is a usage error. Returns an exit code. */
int add_value(const char **list, size_t *count, size_t max, const char *option, const char *value, const char *what);
/** A port number in 1-65535 except 2222-2224 (reserved). false on anything else. */
bool parse_port(const char *text, int32_t *port);

/* ---- growing text buffer (output.c) */
typedef struct strbuf {
    char *data;
    size_t len, cap;
} strbuf;

void sb_append(strbuf *sb, const char *text);
void sb_appendf(strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Append `text` as a JSON string literal (quotes included). */
void sb_json_string(strbuf *sb, const char *text);
/** Append a model struct as JSON (novita_model_to_json). Returns the library result. */
novita_result sb_model_json(strbuf *sb, const novita_model *model, const void *object);
void sb_free(strbuf *sb);

/* ---- JSON documents (output.c) */

/** Print one model struct as a JSON document on stdout. Returns an exit code. */
int print_model_json(const novita_model *model, const void *object);
/** After reading one object: report r if it failed; else print it as JSON with --json, or as text with
 *  print_text(object). Returns the exit code. */
int print_object(const cli_ctx *cli, novita_result r, const novita_model *model, const void *object,
                 void (*print_text)(const void *object));

/** A list printed as {"items":[...],"total":N}: begin, add each element, then finish. */
typedef struct json_list {
    strbuf sb;
    size_t count;
    novita_result error; /* first encoding failure, NOVITA_OK otherwise */
} json_list;
void json_list_begin(json_list *jl);
void json_list_add(json_list *jl, const novita_model *model, const void *object);
/** Print the document (total < 0 prints the element count) and free it. Returns an exit code. */
int json_list_finish(json_list *jl, int64_t total);
void json_list_discard(json_list *jl);

/** Print {["ok":true,]"id":"..."[,"status":"..."]} on stdout (status omitted when NULL or ""). */
void print_id_json(const char *id, const char *status, bool with_ok);
/** After creating something: report r if it failed; else print {"KEY":"ID"} with --json, or the id alone.
 *  Returns the exit code. */
int print_new_id(const cli_ctx *cli, novita_result r, const char *key, const char *id);
/** After an action on one id: report r if it failed; else print {"ok":true,"id":...[,"status":...]} with
 *  --json, or "<id>: <status, else text>". Returns the exit code. */
int print_done(const cli_ctx *cli, novita_result r, const char *id, const char *status, const char *text);
/** After an action on several ids: report r if it failed; else {"ok":true,"ids":[...]} with --json, or
 *  "<id>: <text>" per id. Returns the exit code. */
int print_ids_done(const cli_ctx *cli, novita_result r, const char *const *ids, size_t count, const char *text);

/* ---- tables and key: value blocks (output.c) */
#define TABLE_MAX_COLS 10

typedef struct table {
    size_t cols;
    const char *headers[TABLE_MAX_COLS];
    char **cells; /* rows * cols strings */
    size_t rows, cap_rows;
} table;

void table_init(table *t, size_t cols, const char *const *headers);
/** Add one row of `cols` strings (copied; NULL counts as ""). */
void table_add(table *t, const char *const *row);
/** Print aligned columns (the last column is not padded) and free the table. */
void table_print(table *t);
/** Free the table without printing it. */
void table_free(table *t);

/** Output of a list command: a JSON document or a table, filled element by element. */
typedef struct list_out {
    bool json;
    json_list jl;
    table t;
} list_out;

/** Start a list output: JSON when `json`, else a table with these columns. */
void list_out_init(list_out *o, bool json, size_t cols, const char *const *headers);
/** Add one element: JSON through `model`, or the table row (cols strings) otherwise. */
void list_out_add(list_out *o, const novita_model *model, const void *object, const char *const *row);
/** On success print the list (JSON total < 0 prints the count) and return the exit code; on failure
 *  discard it and report r. */
int list_out_finish(const cli_ctx *cli, list_out *o, novita_result r, int64_t total);
/** list_out_finish for a paged list (total: the API's, else the count received), then, for a table that
 *  shows one page of more, "(N of TOTAL WHAT; see --page, --page-size, --all)". Returns the exit code. */
int list_out_finish_paged(const cli_ctx *cli, list_out *o, novita_result r, const novita_list *list,
                          const char *what);

/** Print "key:" padded to a fixed width, then the formatted value and a newline (skipped when empty). Control
 *  characters in the value (from the server) are printed as spaces. */
void kv(const char *key, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** "NAME (ID)", or whichever of the two is set, into buf. Returns buf. */
const char *name_and_id(char *buf, size_t size, const char *name, const char *id);
/** kv lines "envs:" KEY=VALUE, one per env, then "(N more)" when total > count. */
void kv_envs(const novita_env *envs, size_t count, size_t total);
/** kv lines "volumes:" TYPE PATH[ <- ID][ (N GB)], one per mount. */
void kv_volumes(const novita_volume_mount *mounts, size_t count);

/** Join `count` strings stored `stride` bytes apart with "," into out (truncated to fit). */
const char *join_strings(char *out, size_t size, const char *items, size_t stride, size_t count);

/** Format a price in 1/100000 USD per hour as "$0.67/h" (integer math; 2 to 5 decimals). */
const char *format_price(char *buf, size_t size, int64_t units);
/** Format thousandths as a decimal ("37.5"). */
const char *format_milli(char *buf, size_t size, int64_t milli);
/** Format Unix seconds as "YYYY-MM-DD HH:MM:SS UTC"; "" for 0 or negative values. */
const char *format_time(char *buf, size_t size, int64_t unix_s);

/* ---- waiting with progress (output.c) */

/** State of the progress display of one wait; pass as novita_wait_opts.user with wait_progress. */
typedef struct wait_progress_state {
    const char *id;
    bool in_place;      /* stdout and stderr are terminals: one line updated in place */
    bool line_open;     /* an in-place line is on screen */
    char last_status[NOVITA_ENUM_TEXT_MAX];
} wait_progress_state;

void wait_progress_init(wait_progress_state *st, const char *id);
bool wait_progress(void *user, const novita_instance *instance, uint32_t elapsed_ms);
/** Terminate the in-place line, if any. */
void wait_progress_end(wait_progress_state *st);

#endif /* NOVITA_CLI_H */
