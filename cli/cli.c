#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include "suite/config.h"
#include "engine/http.h"
#include "report/junit.h"
#include "report/console.h"
#include "report/covsink.h"
#include "report/html.h"
#include "report/jsonreport.h"
#include "report/summary_md.h"
#include "engine/run.h"
#include "engine/preflight.h"
#include "base/secrets.h"
#include "suite/suite.h"
#include "base/util.h"
#include "coverage/coverage.h"
#include "datadir.h"
#include "known.h"
#include "derive.h"
#include "lint/lint.h"
#include "spec/spec_ref.h"
#include "reports_cmd.h"
#include "validate.h"

static const char usage_main[] =
    "Usage: conform COMMAND [OPTIONS] [PATH...]\n"
    "\n"
    "conform checks a live REST server against the contracts in its vendor's\n"
    "OpenAPI documents: YAML suites fire real requests and check status codes,\n"
    "response schemas and the documented example messages, and write JUnit XML.\n"
    "\n"
    "Commands:\n"
    "  run [OPTIONS] [PATH...]     run the suites in PATH (files or directories,\n"
    "                              default: ./suites/) and write a JUnit report\n"
    "  list [OPTIONS] [PATH...]    list the cases that would run; nothing is sent\n"
    "  coverage [OPTIONS] [PATH...]\n"
    "                              the documented operation x status x example that\n"
    "                              the suites target (docs/COVERAGE.md); nothing is sent\n"
    "  derive SPEC... [OPTIONS]    write reviewable YAML suites derived from OpenAPI\n"
    "                              documents (conform derive --help)\n"
    "  lint [OPTIONS] PATH...      find defects in OpenAPI documents (against the\n"
    "                              official OpenAPI 3.0 schema, path parameters,\n"
    "                              $refs, examples, operationIds) and in suites\n"
    "                              (undocumented statuses, unused variables,\n"
    "                              examples never checked); exit 0 clean, 1 problems,\n"
    "                              2 unreadable input (docs/LINT.md)\n"
    "  validate ...                validate a saved response body against a spec or\n"
    "                              schema (conform validate --help)\n"
    "  diff BEFORE.xml AFTER.xml   what changed between two reports: regressions,\n"
    "                              fixed, known deviations, versions (exit 1 on a\n"
    "                              regression; conform diff --help)\n"
    "  merge -o OUT IN.xml...      merge JUnit reports, totals recomputed\n"
    "                              (conform merge --help)\n"
    "  help [COMMAND]              show help\n"
    "\n";

/* After the options (generated from cli_options). */
static const char usage_tail[] =
    "  -V, --version               show the version\n"
    "      --data-dir              print the folder of the shipped suites, specs,\n"
    "                              deviation ledgers and example configs\n"
    "\n"
    "Exit status: 0 every case passed (skips allowed), 1 a case failed or errored,\n"
    "2 bad usage, config or suite file (then nothing is sent).\n"
    "\n"
    "Docs: conform(1), conform-suite(5), conform-refserver(1); README.md and docs/.\n";

typedef struct cli_opts {
    const char *config;
    int config_given;
    char **base_urls;
    size_t nbase_urls;
    cf_kvlist vars;
    const char *junit;
    const char *json;
    const char *html;
    const char *summary_md;
    cf_junit_flavor flavor;
    const char *filter;
    char **tags;
    size_t ntags;
    long timeout_ms;
    size_t max_body;
    int fail_fast;
    int jobs;
    int repeat;
    int verbose;
    int coverage;
    double min_coverage; /* -1: no gate */
    int shard_k, shard_n;
    int rerun;
    double rate, max_wait; /* -1: not given */
    cf_color_mode color;
    cf_console_format format;
    char **known; /* --known ledgers */
    size_t nknown;
    int known_fixed_warn;
    char **paths;
    size_t npaths;
    /* transport: NULL / 0 when not given */
    const char *cacert, *cert, *key, *proxy, *noproxy, *user_agent;
    int insecure;
    long connect_timeout_ms;
    cf_kvlist headers;
    int builtin;  /* --builtin: PATHs and the default config from the data folder */
    char **owned; /* strings made for paths and config, freed with the options */
    size_t nowned;
} cli_opts;

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("conform: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'conform %s--help'.\n", cmd ? cmd : "");
    return CF_EXIT_USAGE;
}

/* "unknown option '--jbos' (hint: did you mean '--jobs'?)" over the long
 * options of the command. */
static void unknown_option(const char *cmd, const char *arg, const struct option *longopts)
{
    const char *names[64];
    size_t n = 0;
    for (; longopts[n].name && n < 64; n++)
        names[n] = longopts[n].name;
    const char *word = arg;
    while (*word == '-')
        word++;
    char buf[128];
    snprintf(buf, sizeof buf, "%.*s", (int)strcspn(word, "="), word);
    const char *near = arg[0] == '-' && arg[1] == '-' ? cf_did_you_mean(buf, names, n) : NULL;
    if (near)
        usage_error(cmd, "unknown option '%s' (hint: did you mean '--%s'?)", arg, near);
    else
        usage_error(cmd, "unknown option '%s'", arg);
}

static int push(char ***list, size_t *n, const char *s)
{
    char **g = cf_xrealloc(*list, (*n + 1) * sizeof *g);
    if (!g)
        return -1;
    *list = g;
    g[(*n)++] = (char *)s;
    return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 16 ? 16 : (int)n);
}

/* Long options without a short form. */
enum {
    OPT_TIMEOUT = 256,
    OPT_MAX_BODY,
    OPT_COVERAGE,
    OPT_MIN_COVERAGE,
    OPT_CACERT,
    OPT_CERT,
    OPT_KEY,
    OPT_CONNECT_TIMEOUT,
    OPT_PROXY,
    OPT_NOPROXY,
    OPT_BUILTIN,
    OPT_COLOR,
    OPT_FORMAT,
    OPT_JSON,
    OPT_HTML,
    OPT_SHARD, /* the CI options, in the order parse_pipeline_opt() takes them */
    OPT_RERUN,
    OPT_RATE,
    OPT_MAX_WAIT,
    OPT_SUMMARY_MD,
    OPT_FLAVOR,
    OPT_KNOWN,
    OPT_KNOWN_FIXED,
};

/* optarg as milliseconds from 1 to 3600000 (an hour). */
static int parse_ms(const char *opt, const char *label, long *out)
{
    if (parse_long(optarg, 1, 3600000, out) == 0)
        return 0;
    usage_error(label, "%s needs milliseconds from 1 to 3600000, got '%s'", opt, optarg);
    return -1;
}

/* A file named on the command line must be readable before anything is sent. */
static int readable(const char *opt, const char *path, const char *label)
{
    if (access(path, R_OK) == 0)
        return 0;
    usage_error(label, "%s %s: %s", opt, path, strerror(errno));
    return -1;
}

/* -H 'Name: value': a token name, a colon, a value without CR or LF. */
static int parse_header(cli_opts *o, const char *arg, const char *label)
{
    const char *colon = strchr(arg, ':');
    size_t n = colon ? (size_t)(colon - arg) : 0;
    int ok = colon && n > 0 &&
             strspn(arg, "!#$%&'*+-.^_`|~0123456789"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == n &&
             !strpbrk(colon, "\r\n");
    if (!ok) {
        usage_error(label,
                    "--header needs 'Name: value' (a header name, a colon, a value on one "
                    "line), got '%s'",
                    arg);
        return -1;
    }
    const char *v = colon + 1;
    v += strspn(v, " \t");
    char *name = cf_strndup(arg, n);
    int i = cf_kvlist_get_ci_index(&o->headers, name);
    if (i >= 0) {
        free(o->headers.items[i].name);
        o->headers.items[i].name = name;
        name = NULL;
        free(o->headers.items[i].value);
        o->headers.items[i].value = cf_strdup(v);
    } else {
        cf_kvlist_set(&o->headers, name, v);
    }
    free(name);
    return 0;
}

/* The transport options (curl's names); -1 after a usage error. */
static int parse_transport_opt(cli_opts *o, int ch, const char *label)
{
    switch (ch) {
    case OPT_CACERT:
        o->cacert = optarg;
        return readable("--cacert", optarg, label);
    case OPT_CERT:
        o->cert = optarg;
        return readable("--cert", optarg, label);
    case OPT_KEY:
        o->key = optarg;
        return readable("--key", optarg, label);
    case OPT_CONNECT_TIMEOUT:
        return parse_ms("--connect-timeout", label, &o->connect_timeout_ms);
    case OPT_PROXY:
        if (*optarg && !strstr(optarg, "://")) {
            usage_error(label,
                        "--proxy needs a URL such as http://proxy.example.com:3128 (or '' "
                        "for none), got '%s'",
                        optarg);
            return -1;
        }
        o->proxy = optarg;
        return 0;
    case OPT_NOPROXY:
        o->noproxy = optarg;
        return 0;
    case 'k':
        o->insecure = 1;
        return 0;
    case 'H':
        return parse_header(o, optarg, label);
    default: /* 'A' */
        o->user_agent = optarg;
        return 0;
    }
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_shard(cli_opts *o, const char *arg, const char *label)
{
    long k, n;
    const char *slash = strchr(arg, '/');
    char *ks = slash ? cf_strndup(arg, (size_t)(slash - arg)) : NULL;
    int bad = !ks || parse_long(ks, 1, 1000000, &k) < 0 ||
              parse_long(slash + 1, 1, 1000000, &n) < 0 || k > n;
    free(ks);
    if (bad)
        return usage_error(label, "--shard needs K/N with 1 <= K <= N, e.g. 2/3, got '%s'", arg),
               -1;
    o->shard_k = (int)k;
    o->shard_n = (int)n;
    return 0;
}

/* The CI options (--shard, --rerun, --rate, --max-wait, --summary-md,
 * --junit-flavor); -1 after a usage error. */
static int parse_pipeline_opt(cli_opts *o, int ch, const char *arg, const char *label)
{
    long v;
    switch (ch) {
    case OPT_SHARD:
        return parse_shard(o, arg, label);
    case OPT_RERUN:
        if (parse_long(arg, 0, 100, &v) < 0)
            return usage_error(label, "--rerun needs a number from 0 to 100, got '%s'", arg), -1;
        o->rerun = (int)v;
        return 0;
    case OPT_RATE:
        if (parse_double(arg, 0, 100000, &o->rate) < 0)
            return usage_error(label,
                               "--rate needs requests per second from 0 (no limit) to 100000, "
                               "got '%s'",
                               arg),
                   -1;
        return 0;
    case OPT_MAX_WAIT:
        if (parse_double(arg, 0, 86400, &o->max_wait) < 0)
            return usage_error(label, "--max-wait needs seconds from 0 to 86400, got '%s'", arg),
                   -1;
        return 0;
    case OPT_SUMMARY_MD:
        o->summary_md = arg;
        return 0;
    default: /* OPT_FLAVOR */
        if (strcmp(arg, "jenkins") && strcmp(arg, "gitlab"))
            return usage_error(label, "--junit-flavor needs jenkins or gitlab, got '%s'", arg), -1;
        o->flavor = strcmp(arg, "gitlab") ? CF_JUNIT_JENKINS : CF_JUNIT_GITLAB;
        return 0;
    }
}

/* How many reports go to standard output (one at most). */
static int on_stdout(const cli_opts *o)
{
    return !strcmp(o->junit, "-") + (o->json && !strcmp(o->json, "-")) +
           (o->html && !strcmp(o->html, "-")) + (o->summary_md && !strcmp(o->summary_md, "-"));
}

/* The options of run, list, coverage and lint: one table for getopt_long,
 * the general help and each command's own --help. */
enum { FOR_RUN = 1, FOR_LIST = 2, FOR_COVERAGE = 4, FOR_LINT = 8 };
#define FOR_SELECT (FOR_RUN | FOR_LIST | FOR_COVERAGE)
#define FOR_LOAD (FOR_SELECT | FOR_LINT)

typedef struct cli_option {
    const char *name;
    int has_arg, val;
    unsigned cmds;     /* the commands it applies to (FOR_*) */
    const char *group; /* the general help's heading before it, or NULL */
    const char *usage; /* "-c, --config FILE"; NULL: an alias, not shown */
    const char *help;  /* "\n" starts a continuation line */
} cli_option;

static const cli_option cli_options[] = {
    {"config", required_argument, 'c', FOR_LOAD,
     "Options of run, list and coverage:", "-c, --config FILE",
     "configuration file (default: ./conform.yaml; with\n--builtin, the shipped one when that "
     "is missing)"},
    {"builtin", no_argument, OPT_BUILTIN, FOR_LOAD, NULL, "    --builtin",
     "the shipped suites: all, or PATHs relative to them"},
    {"base-url", required_argument, 'b', FOR_LOAD, NULL, "-b, --base-url [TARGET=]URL",
     "base URL of every target, or of TARGET (repeatable)"},
    {"var", required_argument, 'D', FOR_LOAD, NULL, "-D, --var NAME=VALUE",
     "set a variable, over suite and config (repeatable)"},
    {"filter", required_argument, 'f', FOR_SELECT, NULL, "-f, --filter GLOB",
     "only cases whose id matches GLOB (e.g. 'close-*')"},
    {"tag", required_argument, 't', FOR_SELECT, NULL, "-t, --tag TAG",
     "only cases with TAG (repeatable: any of them)"},
    {"shard", required_argument, OPT_SHARD, FOR_SELECT, NULL, "    --shard K/N",
     "only shard K of N (1-based): a stable split by suite\nand case id; shards 1..N run every "
     "case once"},
    {"junit", required_argument, 'o', FOR_RUN, "Options of run:", "-o, --junit FILE",
     "JUnit XML report (default: reports/junit.xml; - for stdout)"},
    {"junit-flavor", required_argument, OPT_FLAVOR, FOR_RUN, NULL, "    --junit-flavor F",
     "jenkins (default: valid against the Jenkins XSD) or\ngitlab (adds file= to every "
     "<testcase>)"},
    {"summary-md", required_argument, OPT_SUMMARY_MD, FOR_RUN, NULL, "    --summary-md FILE",
     "append a Markdown summary (e.g. $GITHUB_STEP_SUMMARY;\n- for stdout)"},
    {"timeout", required_argument, OPT_TIMEOUT, FOR_RUN, NULL, "    --timeout MS",
     "per-request timeout (default: the target's\ntimeout_ms, else 10000)"},
    {"max-body", required_argument, OPT_MAX_BODY, FOR_RUN, NULL, "    --max-body BYTES",
     "response body cap (default: 8388608, 8 MiB)"},
    {"fail-fast", no_argument, 'x', FOR_RUN, NULL, "-x, --fail-fast",
     "stop after the first failed or errored case"},
    {"jobs", required_argument, 'j', FOR_RUN, NULL, "-j, --jobs N",
     "cases run concurrently (default: number of CPUs)"},
    {"repeat", required_argument, 'r', FOR_RUN, NULL, "-r, --repeat N",
     "run every selected case N times (ids ID#K)"},
    {"rerun", required_argument, OPT_RERUN, FOR_RUN, NULL, "    --rerun N",
     "run a failed or errored case again from its setup,\nup to N times; a later pass counts, "
     "marked flaky\n(not one whose findings are all --known)"},
    {"rate", required_argument, OPT_RATE, FOR_RUN, NULL, "    --rate N",
     "at most N requests per second to each target\n(0: no limit; default: the target's rate, "
     "else\n5 for targets that are not loopback)"},
    {"max-wait", required_argument, OPT_MAX_WAIT, FOR_RUN, NULL, "    --max-wait SECONDS",
     "what one case may wait on servers' rate limits\n(429, X-RateLimit-*) before it errors "
     "(default 300)"},
    {"verbose", no_argument, 'v', FOR_RUN, NULL, "-v, --verbose",
     "print request/response transcripts (credentials\nand environment values are masked)"},
    {"coverage", no_argument, OPT_COVERAGE, FOR_RUN, NULL, "    --coverage",
     "print the coverage table after the run"},
    {"min-coverage", required_argument, OPT_MIN_COVERAGE, FOR_RUN | FOR_COVERAGE, NULL,
     "    --min-coverage PCT",
     "exit 1 when fewer than PCT percent of the documented\nresponses and examples were "
     "observed (run) or\ntargeted (coverage)"},
    {"json", required_argument, OPT_JSON, FOR_RUN, NULL, "    --json FILE",
     "results as JSON (docs/results.schema.json; - for stdout)"},
    {"html", required_argument, OPT_HTML, FOR_RUN, NULL, "    --html FILE",
     "a self-contained HTML report (- for stdout)"},
    {"color", required_argument, OPT_COLOR, FOR_RUN, NULL, "    --color WHEN",
     "colour on stdout: auto (a terminal, NO_COLOR\nunset; default), always or never"},
    {"colour", required_argument, OPT_COLOR, FOR_RUN, NULL, NULL, NULL},
    {"format", required_argument, OPT_FORMAT, FOR_RUN, NULL, "    --format FORMAT",
     "console format: text (default) or tap (TAP 13)"},
    {"known", required_argument, OPT_KNOWN, FOR_RUN, NULL, "    --known FILE",
     "known-deviation ledger (repeatable; docs/LEDGER.md):\nknown findings do not fail the run, "
     "fixed or\nexpired entries do"},
    {"known-fixed", required_argument, OPT_KNOWN_FIXED, FOR_RUN, NULL,
     "    --known-fixed fail|warn",
     "an entry whose cases now pass fails the run\n(default) or only warns"},
    {"cacert", required_argument, OPT_CACERT, FOR_RUN,
     "Transport (curl's names; each overrides the same key of every target):", "    --cacert FILE",
     "CA certificates to verify servers with (PEM)"},
    {"cert", required_argument, OPT_CERT, FOR_RUN, NULL, "    --cert FILE",
     "client certificate (PEM)"},
    {"key", required_argument, OPT_KEY, FOR_RUN, NULL, "    --key FILE",
     "its private key (PEM; a passphrase comes from\n$CONFORM_KEY_PASSWORD)"},
    {"insecure", no_argument, 'k', FOR_RUN, NULL, "-k, --insecure",
     "do not verify server certificates (warns)"},
    {"connect-timeout", required_argument, OPT_CONNECT_TIMEOUT, FOR_RUN, NULL,
     "    --connect-timeout MS", "connection set-up timeout (default: libcurl's)"},
    {"proxy", required_argument, OPT_PROXY, FOR_RUN, NULL, "    --proxy URL",
     "proxy for every request (default: $http_proxy,\n$https_proxy, $all_proxy); '' for none"},
    {"noproxy", required_argument, OPT_NOPROXY, FOR_RUN, NULL, "    --noproxy HOSTS",
     "hosts reached directly (comma-separated, '*' all)"},
    {"header", required_argument, 'H', FOR_RUN, NULL, "-H, --header 'NAME: VALUE'",
     "header on every request (repeatable)"},
    {"user-agent", required_argument, 'A', FOR_RUN, NULL, "-A, --user-agent STRING",
     "User-Agent (default: conform/VERSION)"},
    {"help", no_argument, 'h', FOR_LOAD, "", "-h, --help", "show this help"},
};
enum { NOPTIONS = sizeof cli_options / sizeof *cli_options };

/* Prints one option: its usage in a column of 28, then its help lines. */
static void print_option(FILE *out, const cli_option *op)
{
    const char *h = op->help;
    size_t n = strcspn(h, "\n");
    fprintf(out, "  %-27s %.*s\n", op->usage, (int)n, h);
    for (h += n; *h == '\n'; h += n) {
        h++;
        n = strcspn(h, "\n");
        fprintf(out, "%30s%.*s\n", "", (int)n, h);
    }
}

/* The options of the commands in cmds (FOR_*), with the general help's
 * headings when headings is set. */
static void print_options(FILE *out, unsigned cmds, int headings)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_option *op = &cli_options[i];
        if (headings && op->group)
            fprintf(out, "%s\n", op->group);
        if (op->usage && (op->cmds & cmds) && (headings || op->val != 'h'))
            print_option(out, op);
    }
}

/* The usage of one command, and the options that apply to it. */
typedef struct cli_command_help {
    const char *name;
    unsigned cmd;
    const char *synopsis, *about, *exits;
} cli_command_help;

static const cli_command_help command_helps[] = {
    {"run", FOR_RUN, "run [OPTIONS] [PATH...]",
     "Runs the suites in PATH (files or directories, default: ./suites/) against\n"
     "the configured targets and writes a JUnit report.",
     "0 every case passed (skips allowed), 1 a case failed or errored,\n"
     "2 bad usage, config or suite file (then nothing is sent)."},
    {"list", FOR_LIST, "list [OPTIONS] [PATH...]",
     "Lists the cases that would run, suite by suite; nothing is sent.",
     "0 listed, 2 bad usage, config or suite file."},
    {"coverage", FOR_COVERAGE, "coverage [OPTIONS] [PATH...]",
     "Prints the documented operation x status x example that the suites target\n"
     "(docs/COVERAGE.md); nothing is sent.",
     "0 printed, 1 below --min-coverage, 2 bad usage, config or suite file."},
    {"lint", FOR_LINT, "lint [OPTIONS] PATH...",
     "Finds defects in OpenAPI documents (against the official OpenAPI 3.0\n"
     "schema, path parameters, $refs, examples, operationIds) and in suites\n"
     "(undocumented statuses, unused variables, examples never checked);\n"
     "docs/LINT.md.",
     "0 clean, 1 problems, 2 unreadable input."},
};

static void print_command_help(const char *cmd, FILE *out)
{
    for (size_t i = 0; i < sizeof command_helps / sizeof *command_helps; i++) {
        const cli_command_help *c = &command_helps[i];
        if (strcmp(c->name, cmd) != 0)
            continue;
        fprintf(out, "Usage: conform %s\n\n%s\n\nOptions:\n", c->synopsis, c->about);
        print_options(out, c->cmd, 0);
        fprintf(out, "  %-27s %s\n\nExit status: %s\n", "-h, --help", "show this help", c->exits);
        return;
    }
}

static void print_main_help(FILE *out)
{
    fputs(usage_main, out);
    print_options(out, FOR_LOAD, 1);
    fputs(usage_tail, out);
}

/* The FOR_* bit of command cmd (run, list, coverage or lint). */
static unsigned command_bit(const char *cmd)
{
    for (size_t i = 0; i < sizeof command_helps / sizeof *command_helps; i++)
        if (!strcmp(command_helps[i].name, cmd))
            return command_helps[i].cmd;
    return 0;
}

/* An option of another command is refused, not ignored: `list --known x`
 * would look as if it did something. row is the option's cli_options row;
 * long_form: it was given as --name. -1 after the message. */
static int option_belongs(const char *cmd, const cli_option *row, int long_form)
{
    if (row->cmds & command_bit(cmd))
        return 0;
    char owners[64] = "";
    size_t n = 0, k = 0;
    for (size_t i = 0; i < sizeof command_helps / sizeof *command_helps; i++)
        n += (row->cmds & command_helps[i].cmd) != 0;
    for (size_t i = 0; i < sizeof command_helps / sizeof *command_helps; i++) {
        if (!(row->cmds & command_helps[i].cmd))
            continue;
        k++;
        size_t len = strlen(owners);
        snprintf(owners + len, sizeof owners - len, "%s%s", k == 1 ? "" : (k == n ? " and " : ", "),
                 command_helps[i].name);
    }
    char given[40];
    if (long_form || row->val >= 256)
        snprintf(given, sizeof given, "--%s", row->name);
    else
        snprintf(given, sizeof given, "-%c (--%s)", row->val, row->name);
    fprintf(stderr,
            "conform: %s: %s is an option of %s (hint: conform %s --help lists %s's options)\n",
            cmd, given, owners, cmd, cmd);
    return -1;
}

/* Is option ch, which getopt_long returned with *longindex (-1: a short
 * option), one of another command's? Then 1 after the message. Resets
 * *longindex for the next option. */
static int option_refused(const char *cmd, int ch, int *longindex)
{
    const cli_option *row = NULL;
    if (*longindex >= 0 && (size_t)*longindex < NOPTIONS)
        row = &cli_options[*longindex];
    for (size_t i = 0; i < NOPTIONS && !row; i++)
        if (cli_options[i].val == ch)
            row = &cli_options[i];
    int refused = row && option_belongs(cmd, row, *longindex >= 0) < 0;
    *longindex = -1;
    return refused;
}

/* What to load and which cases: --config, --builtin, --base-url, --var,
 * --filter, --tag; -1 after a usage error. */
static int parse_select_opt(cli_opts *o, int ch, const char *label)
{
    switch (ch) {
    case 'c':
        o->config = optarg;
        o->config_given = 1;
        break;
    case OPT_BUILTIN:
        o->builtin = 1;
        break;
    case 'b':
        push(&o->base_urls, &o->nbase_urls, optarg);
        break;
    case 'D': {
        const char *eq = strchr(optarg, '=');
        if (!eq || eq == optarg) {
            usage_error(label, "--var needs NAME=VALUE, got '%s'", optarg);
            return -1;
        }
        char *name = cf_strndup(optarg, (size_t)(eq - optarg));
        cf_kvlist_set(&o->vars, name, eq + 1);
        free(name);
        break;
    }
    case 'f':
        o->filter = optarg;
        break;
    case 't':
        push(&o->tags, &o->ntags, optarg);
        break;
    }
    return 0;
}

/* How a run goes: --junit, --timeout, --max-body, --fail-fast, --jobs,
 * --repeat, --verbose, --coverage, --min-coverage; -1 after a usage error. */
static int parse_run_opt(cli_opts *o, int ch, const char *label)
{
    long v;
    switch (ch) {
    case 'o':
        o->junit = optarg;
        break;
    case OPT_TIMEOUT:
        if (parse_ms("--timeout", label, &o->timeout_ms) < 0)
            return -1;
        break;
    case OPT_MAX_BODY:
        if (parse_long(optarg, 1, LONG_MAX, &v) < 0) {
            usage_error(label, "--max-body needs a byte count, got '%s'", optarg);
            return -1;
        }
        o->max_body = (size_t)v;
        break;
    case 'x':
        o->fail_fast = 1;
        break;
    case 'j':
        if (parse_long(optarg, 1, 256, &v) < 0) {
            usage_error(label, "--jobs needs a number from 1 to 256, got '%s'", optarg);
            return -1;
        }
        o->jobs = (int)v;
        break;
    case 'r':
        if (parse_long(optarg, 1, 10000000, &v) < 0) {
            usage_error(label, "--repeat needs a number from 1 to 10000000, got '%s'", optarg);
            return -1;
        }
        o->repeat = (int)v;
        break;
    case 'v':
        o->verbose = 1;
        break;
    case OPT_COVERAGE:
        o->coverage = 1;
        break;
    case OPT_MIN_COVERAGE: {
        char *end;
        errno = 0;
        double pct = strtod(optarg, &end);
        if (errno || end == optarg || (*end && strcmp(end, "%") != 0) || pct < 0 || pct > 100) {
            usage_error(label, "--min-coverage needs a percentage from 0 to 100, got '%s'", optarg);
            return -1;
        }
        o->min_coverage = pct;
        break;
    }
    }
    return 0;
}

/* What a run shows and how it judges: --color, --json, --html, --format,
 * --known, --known-fixed; -1 after a usage error. */
static int parse_report_opt(cli_opts *o, int ch, const char *label)
{
    switch (ch) {
    case OPT_COLOR:
        if (!strcmp(optarg, "auto"))
            o->color = CF_COLOR_AUTO;
        else if (!strcmp(optarg, "always"))
            o->color = CF_COLOR_ALWAYS;
        else if (!strcmp(optarg, "never"))
            o->color = CF_COLOR_NEVER;
        else {
            usage_error(label, "--color needs auto, always or never, got '%s'", optarg);
            return -1;
        }
        break;
    case OPT_JSON:
        o->json = optarg;
        break;
    case OPT_HTML:
        o->html = optarg;
        break;
    case OPT_FORMAT:
        if (!strcmp(optarg, "text"))
            o->format = CF_CONSOLE_TEXT;
        else if (!strcmp(optarg, "tap"))
            o->format = CF_CONSOLE_TAP;
        else {
            usage_error(label, "--format needs text or tap, got '%s'", optarg);
            return -1;
        }
        break;
    case OPT_KNOWN:
        push(&o->known, &o->nknown, optarg);
        break;
    case OPT_KNOWN_FIXED:
        if (strcmp(optarg, "fail") && strcmp(optarg, "warn")) {
            usage_error(label, "--known-fixed needs fail or warn, got '%s'", optarg);
            return -1;
        }
        o->known_fixed_warn = !strcmp(optarg, "warn");
        break;
    }
    return 0;
}

/* getopt_long's tables from cli_options: longopts (NOPTIONS + 1 entries,
 * zeroed) and the short options (2 * NOPTIONS + 2 bytes). */
static void getopt_tables(struct option *longopts, char *shorts)
{
    size_t k = 0;
    shorts[k++] = ':'; /* first: a missing value is reported as ':' */
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_option *op = &cli_options[i];
        longopts[i] = (struct option){op->name, op->has_arg, NULL, op->val};
        if (op->val < 256) {
            shorts[k++] = (char)op->val;
            if (op->has_arg == required_argument)
                shorts[k++] = ':';
        }
    }
    shorts[k] = '\0';
}

static void opts_defaults(cli_opts *o)
{
    o->config = "conform.yaml";
    o->junit = "reports/junit.xml";
    o->jobs = default_jobs();
    o->repeat = 1;
    o->min_coverage = -1;
    o->rate = -1;
    o->max_wait = -1;
}

/* Parses the options of cmd (run, list, coverage or lint); returns -1 after
 * printing a usage error, or when an option is another command's. */
static int parse_opts(cli_opts *o, const char *cmd, int argc, char **argv)
{
    struct option longopts[NOPTIONS + 1] = {{0}};
    char shorts[2 * NOPTIONS + 2];
    getopt_tables(longopts, shorts);
    char label[32];
    snprintf(label, sizeof label, "%s ", cmd);
    opts_defaults(o);
    optind = 1;
    opterr = 0;
    int ch, li = -1;
    while ((ch = getopt_long(argc, argv, shorts, longopts, &li)) != -1) {
        int rc = 0;
        if (ch != ':' && ch != '?' && option_refused(cmd, ch, &li))
            return -1;
        switch (ch) {
        case OPT_CACERT:
        case OPT_CERT:
        case OPT_KEY:
        case OPT_CONNECT_TIMEOUT:
        case OPT_PROXY:
        case OPT_NOPROXY:
        case 'k':
        case 'H':
        case 'A':
            rc = parse_transport_opt(o, ch, label);
            break;
        case OPT_SHARD:
        case OPT_RERUN:
        case OPT_RATE:
        case OPT_MAX_WAIT:
        case OPT_SUMMARY_MD:
        case OPT_FLAVOR:
            rc = parse_pipeline_opt(o, ch, optarg, label);
            break;
        case OPT_COLOR:
        case OPT_JSON:
        case OPT_HTML:
        case OPT_FORMAT:
        case OPT_KNOWN:
        case OPT_KNOWN_FIXED:
            rc = parse_report_opt(o, ch, label);
            break;
        case 'c':
        case OPT_BUILTIN:
        case 'b':
        case 'D':
        case 'f':
        case 't':
            rc = parse_select_opt(o, ch, label);
            break;
        case 'h':
            print_command_help(cmd, stdout);
            exit(CF_EXIT_OK);
        case ':':
            usage_error(label, "option %s needs a value", argv[optind - 1]);
            return -1;
        case '?':
            unknown_option(label, argv[optind - 1], longopts);
            return -1;
        default:
            rc = parse_run_opt(o, ch, label);
            break;
        }
        if (rc < 0)
            return -1;
    }
    for (int i = optind; i < argc; i++)
        push(&o->paths, &o->npaths, argv[i]);
    /* Standard output holds one report at most. */
    if (on_stdout(o) > 1) {
        usage_error(label,
                    "only one of --junit, --json, --html and --summary-md can be - (stdout)");
        return -1;
    }
    return 0;
}

static int is_suite_file(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' &&
           ((n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directories a walk is inside, innermost first. */
typedef struct walk_dir {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct walk_dir *up;
} walk_dir;

/* Suite files under path, sorted, recursing into directories (symbolic
 * links followed). A link back to a directory the walk is inside is
 * skipped with a warning: followed, it would repeat the tree without end. */
static int collect(const char *path, char ***files, size_t *n, const walk_dir *up)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "conform: %s: %s (hint: give suite files or directories)\n", path,
                strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (up && !is_suite_file(path))
            return 0;
        return push(files, n, cf_strdup(path));
    }
    for (const walk_dir *a = up; a; a = a->up) {
        if (a->dev == st.st_dev && a->ino == st.st_ino) {
            fprintf(stderr, "conform: warning: %s skipped: it is %s again (a symbolic link loop)\n",
                    path, a->path);
            return 0;
        }
    }
    walk_dir here = {st.st_dev, st.st_ino, path, up};
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "conform: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        push(&names, &nn, cf_strdup(e->d_name));
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < nn; i++) {
        char *p = cf_asprintf("%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
        if (rc == 0 && collect(p, files, n, &here) < 0)
            rc = -1;
        free(p);
        free(names[i]);
    }
    free(names);
    return rc;
}

static void replace(char **slot, const char *value)
{
    free(*slot);
    *slot = cf_strdup(value);
}

/* The transport options override the same keys of every target. */
static void apply_transport(cf_config *cfg, const cli_opts *o)
{
    const char *pass = getenv("CONFORM_KEY_PASSWORD");
    if (pass && *pass)
        cf_secrets_add(pass);
    for (size_t i = 0; i < cfg->ntargets; i++) {
        cf_target *t = &cfg->targets[i];
        if (o->cacert)
            replace(&t->tls.ca_file, o->cacert);
        if (o->cert)
            replace(&t->tls.cert_file, o->cert);
        if (o->key)
            replace(&t->tls.key_file, o->key);
        if (pass && *pass && t->tls.key_file && (o->key || !t->tls.key_password))
            replace(&t->tls.key_password, pass);
        if (o->insecure)
            t->tls.verify = 0;
        if (o->connect_timeout_ms)
            t->transport.connect_timeout_ms = o->connect_timeout_ms;
        if (o->proxy)
            replace(&t->transport.proxy, o->proxy);
        if (o->noproxy)
            replace(&t->transport.noproxy, o->noproxy);
        if (o->user_agent)
            replace(&t->transport.user_agent, o->user_agent);
        for (size_t k = 0; k < o->headers.count; k++) {
            const cf_kv *kv = &o->headers.items[k];
            int at = cf_kvlist_get_ci_index(&t->headers, kv->name);
            if (at >= 0)
                replace(&t->headers.items[at].value, kv->value);
            else
                cf_kvlist_set(&t->headers, kv->name, kv->value);
        }
    }
}

static int valid_url(const char *u)
{
    return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8);
}

static int apply_base_urls(cf_config *cfg, const cli_opts *o, const char *label)
{
    for (size_t i = 0; i < o->nbase_urls; i++) {
        const char *arg = o->base_urls[i];
        const char *eq = strchr(arg, '=');
        if (valid_url(arg) && (!eq || eq > strstr(arg, "://"))) {
            cf_config_set_base_url(cfg, NULL, arg);
            continue;
        }
        if (!eq || !valid_url(eq + 1))
            return usage_error(label,
                               "--base-url needs URL or TARGET=URL with an http:// or https:// "
                               "URL, got '%s'",
                               arg);
        char *name = cf_strndup(arg, (size_t)(eq - arg));
        if (!cf_config_target(cfg, name))
            cf_config_add_target(cfg, name);
        cf_config_set_base_url(cfg, name, eq + 1);
        free(name);
    }
    return 0;
}

typedef struct loaded {
    cf_config *cfg;
    cf_spec_cache *specs;
    cf_suite **suites;
    size_t nsuites;
} loaded;

static void loaded_free(loaded *l)
{
    for (size_t i = 0; i < l->nsuites; i++)
        cf_suite_free(l->suites[i]);
    free(l->suites);
    cf_spec_cache_free(l->specs);
    cf_config_free(l->cfg);
}

static const char *own(cli_opts *o, char *s)
{
    push(&o->owned, &o->nowned, s);
    return s;
}

/* Where the suites and the config come from. --builtin: PATHs relative to
 * the shipped suites/ (all of them without a PATH), and the shipped
 * reference-server config when neither -c nor ./conform.yaml is there.
 * Otherwise PATHs as given, ./suites without one. */
static int resolve_paths(cli_opts *o)
{
    if (!o->builtin) {
        struct stat st;
        if (!o->npaths && stat("suites", &st) != 0) {
            fprintf(stderr, "conform: no PATH given and there is no ./suites folder (hint: name "
                            "suite files or folders, or add --builtin for the shipped suites)\n");
            return -1;
        }
        if (!o->npaths)
            push(&o->paths, &o->npaths, "suites");
        return 0;
    }
    char *dir = cf_datadir_find();
    if (!dir)
        return -1;
    own(o, dir);
    if (!o->config_given && access(o->config, F_OK) != 0) {
        o->config = own(o, cf_path_join(dir, "conform.yaml"));
        o->config_given = 1;
    }
    char *suites = (char *)own(o, cf_path_join(dir, "suites"));
    if (!o->npaths)
        push(&o->paths, &o->npaths, suites);
    for (size_t i = 0; i < o->npaths; i++)
        if (o->paths[i] != suites && o->paths[i][0] != '/')
            o->paths[i] = (char *)own(o, cf_path_join(suites, o->paths[i]));
    return 0;
}

/* Suite files whose errors load_all prints before it only counts them. */
#define MAX_LOAD_ERRORS 20

/* Loads config and every suite; prints the first error of every suite file
 * (up to MAX_LOAD_ERRORS of them). */
static int load_all(loaded *l, cli_opts *o, const char *label)
{
    cf_error *err = NULL;
    if (resolve_paths(o) < 0)
        return CF_EXIT_USAGE;
    if (cf_config_load(&l->cfg, o->config, o->config_given, &err) < 0) {
        cf_error_print(err, stderr);
        cf_error_free(err);
        return CF_EXIT_USAGE;
    }
    if (apply_base_urls(l->cfg, o, label) != 0)
        return CF_EXIT_USAGE;
    apply_transport(l->cfg, o);
    char **files = NULL;
    size_t nfiles = 0;
    int bad = 0;
    for (size_t i = 0; i < o->npaths; i++)
        if (collect(o->paths[i], &files, &nfiles, NULL) < 0)
            bad = 1;
    if (!bad && nfiles == 0) {
        fprintf(stderr, "conform: no suite files (*.yaml) found in the given paths\n");
        bad = 1;
    }
    if (cf_spec_cache_new(&l->specs) < 0)
        bad = 1;
    /* lint walks each suite's doc, cases included (cf_load_ctx). */
    cf_load_ctx ctx = {l->cfg, &o->vars, l->specs, !strcmp(label, "lint ")};
    l->suites = cf_xcalloc(nfiles ? nfiles : 1, sizeof *l->suites);
    /* Every suite file is loaded, so one run shows the first error of each
     * file (up to MAX_LOAD_ERRORS), not only the first file's. */
    size_t nerrors = 0;
    for (size_t i = 0; bad != 1 && i < nfiles; i++) {
        cf_suite *s = NULL;
        if (cf_suite_load(&s, files[i], &ctx, &err) < 0) {
            if (nerrors++ < MAX_LOAD_ERRORS)
                cf_error_print(err, stderr);
            cf_error_free(err);
            err = NULL;
            bad = 2;
            continue;
        }
        l->suites[l->nsuites++] = s;
    }
    if (nerrors > MAX_LOAD_ERRORS)
        fprintf(stderr, "conform: %zu more suite files with errors not shown\n",
                nerrors - MAX_LOAD_ERRORS);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    if (l->specs)
        cf_spec_cache_print_warnings(l->specs);
    if (bad)
        return CF_EXIT_USAGE;
    if (o->insecure)
        fprintf(stderr, "conform: warning: TLS verification is off (--insecure): any server "
                        "certificate and name are accepted\n");
    for (size_t i = 0; !o->insecure && i < l->cfg->ntargets; i++)
        if (!l->cfg->targets[i].tls.verify)
            fprintf(stderr,
                    "conform: warning: TLS verification is off for target '%s' "
                    "(tls.verify: false in %s)\n",
                    l->cfg->targets[i].name, l->cfg->path ? l->cfg->path : "the config");
    return 0;
}

static void opts_free(cli_opts *o)
{
    free(o->base_urls);
    free(o->tags);
    free(o->known);
    free(o->paths);
    cf_kvlist_clear(&o->vars);
    cf_kvlist_clear(&o->headers);
    for (size_t i = 0; i < o->nowned; i++)
        free(o->owned[i]);
    free(o->owned);
}

static cf_run_opts run_opts(const cli_opts *o)
{
    cf_run_opts r = {
        .jobs = o->jobs,
        .repeat = o->repeat,
        .fail_fast = o->fail_fast,
        .filter = o->filter,
        .tags = o->tags,
        .ntags = o->ntags,
        .timeout_ms = o->timeout_ms,
        .max_body = o->max_body,
        .transcripts = o->verbose,
        .shard_k = o->shard_k,
        .shard_n = o->shard_n,
        .rerun = o->rerun,
        .rate = o->rate,
        .max_wait = o->max_wait,
    };
    return r;
}

static int cmd_list(int argc, char **argv)
{
    cli_opts o = {0};
    loaded l = {0};
    int rc = CF_EXIT_USAGE;
    if (parse_opts(&o, "list", argc, argv) < 0)
        goto done;
    if ((rc = load_all(&l, &o, "list ")) != 0)
        goto done;
    cf_run_opts ro = run_opts(&o);
    size_t total = 0;
    for (size_t s = 0; s < l.nsuites; s++) {
        const cf_suite *su = l.suites[s];
        int header = 0;
        for (size_t i = 0; i < su->ncases; i++) {
            const cf_case *c = &su->cases[i];
            if (!cf_run_selected_in(su, c, &ro))
                continue;
            if (!header) {
                printf("%s (%s, target %s)\n", su->name, su->path, su->target_name);
                header = 1;
            }
            printf("  %-40s", c->id);
            for (size_t k = 0; k < c->ntags; k++)
                printf("%s%s", k ? "," : " [", c->tags[k]);
            printf("%s%s%s\n", c->ntags ? "]" : "", c->title ? "  " : "", c->title ? c->title : "");
            total++;
        }
    }
    printf("%zu case%s\n", total, total == 1 ? "" : "s");
    rc = CF_EXIT_OK;
done:
    loaded_free(&l);
    opts_free(&o);
    return rc;
}

/* Static coverage of the selected suites: nothing is sent. */
static int cmd_coverage(int argc, char **argv)
{
    cli_opts o = {0};
    loaded l = {0};
    cf_coverage *cov = NULL;
    int rc = CF_EXIT_USAGE;
    if (parse_opts(&o, "coverage", argc, argv) < 0)
        goto done;
    if ((rc = load_all(&l, &o, "coverage ")) != 0)
        goto done;
    cov = cf_coverage_build(l.suites, l.nsuites);
    cf_coverage_print(cov, stdout);
    rc = CF_EXIT_OK;
    if (o.min_coverage >= 0 && cf_coverage_totals(cov).pct_targeted + 1e-9 < o.min_coverage) {
        printf("conform: coverage %.1f%% is below --min-coverage %g%%\n",
               cf_coverage_totals(cov).pct_targeted, o.min_coverage);
        rc = CF_EXIT_FAILED;
    }
done:
    cf_coverage_free(cov);
    loaded_free(&l);
    opts_free(&o);
    return rc;
}

/* Is path a file holding an OpenAPI (or Swagger) document? */
static int is_spec_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || S_ISDIR(st.st_mode))
        return 0;
    cf_fileset *fs = NULL;
    const cf_doc *doc = NULL;
    cf_error *e = NULL;
    cf_fileset_new(&fs);
    int yes = cf_fileset_load(&doc, fs, path, &e) == 0 &&
              (cJSON_GetObjectItemCaseSensitive(doc->root, "openapi") ||
               cJSON_GetObjectItemCaseSensitive(doc->root, "swagger"));
    cf_error_free(e);
    cf_fileset_free(fs);
    return yes;
}

/* Documents and suites: each document alone, the suites together. */
static int cmd_lint(int argc, char **argv)
{
    cli_opts o = {0};
    loaded l = {0};
    cf_lint found = {0};
    int rc = CF_EXIT_USAGE;
    if (parse_opts(&o, "lint", argc, argv) < 0)
        goto done;
    if (!o.npaths) {
        usage_error("lint ", "lint needs OpenAPI documents or suites");
        goto done;
    }
    char **suites = NULL;
    size_t nsuites = 0;
    int bad = 0;
    for (size_t i = 0; i < o.npaths; i++) {
        if (!is_spec_file(o.paths[i])) {
            push(&suites, &nsuites, o.paths[i]);
            continue;
        }
        cf_error *err = NULL;
        if (cf_lint_spec(&found, o.paths[i], &err) < 0) {
            cf_error_print(err, stderr);
            cf_error_free(err);
            bad = 1;
        }
    }
    free(o.paths);
    o.paths = suites;
    o.npaths = nsuites;
    if (nsuites && load_all(&l, &o, "lint ") != 0)
        bad = 1;
    else if (nsuites)
        cf_lint_suites(&found, l.suites, l.nsuites);
    cf_lint_print(&found, stdout);
    fprintf(stderr, "conform lint: %zu problem%s\n", found.count, found.count == 1 ? "" : "s");
    rc = bad ? CF_EXIT_USAGE : found.count ? CF_EXIT_FAILED : CF_EXIT_OK;
done:
    cf_lint_clear(&found);
    loaded_free(&l);
    opts_free(&o);
    return rc;
}

/* The first SIGINT/SIGTERM lets the run wind down and write its report; a
 * second one ends conform at once (the default action, restored here). */
static void on_interrupt(int sig)
{
    static const char msg[] = "\nconform: interrupted: finishing the cases under way, then "
                              "writing the report (interrupt again to stop at once)\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    cf_run_interrupt();
    signal(sig, SIG_DFL);
}

/* The reports a run writes, console first: it shows each case before the
 * files record it. */
static size_t make_sinks(cf_sink **sinks, const cli_opts *o, FILE *human, cf_coverage *cov)
{
    size_t n = 0;
    cf_console_opts co = {
        .verbose = o->verbose, .color = o->color, .format = o->format, .out = human};
    sinks[n++] = cf_coverage_sink(cov); /* first: the reports read it at their end */
    sinks[n++] = cf_console_sink(&co);
    cf_junit_opts jo = {.flavor = o->flavor};
    sinks[n++] = cf_junit_sink(o->junit, cov, &jo);
    if (o->json)
        sinks[n++] = cf_json_sink(o->json, NULL);
    if (o->html)
        sinks[n++] = cf_html_sink(o->html, NULL, cov);
    if (o->summary_md)
        sinks[n++] = cf_summary_md_sink(o->summary_md);
    return n;
}

/* --coverage and --min-coverage after the run: 0, or 1 below the gate. */
static int print_coverage(const cli_opts *o, const cf_coverage *cov, FILE *human)
{
    if (o->coverage)
        cf_coverage_print(cov, human);
    if (o->min_coverage < 0)
        return 0;
    cf_cov_totals ct = cf_coverage_totals(cov);
    fprintf(human, "conform: ");
    cf_coverage_summary(cov, human);
    fprintf(human, "\n");
    if (ct.pct_observed + 1e-9 >= o->min_coverage)
        return 0;
    fprintf(human, "conform: coverage %.1f%% is below --min-coverage %g%%\n", ct.pct_observed,
            o->min_coverage);
    return 1;
}

/* The summary and where the reports went. */
static int print_summary(const cli_opts *o, const cf_run_end *end, int reports_ok,
                         const cf_coverage *cov, FILE *human)
{
    const char *pre = o->format == CF_CONSOLE_TAP ? "# " : "";
    fprintf(human, "%s%sconform: ", o->format == CF_CONSOLE_TAP ? "" : "\n", pre);
    cf_console_summary(end, human,
                       o->format == CF_CONSOLE_TAP ? 0 : cf_console_color(o->color, human));
    if (end->totals.flaky)
        fprintf(human, "%sconform: %zu flaky case%s passed on a rerun\n", pre, end->totals.flaky,
                end->totals.flaky == 1 ? "" : "s");
    if (end->rate_waits)
        fprintf(human, "%sconform: waited %u time%s (%.1f s) on the servers' rate limits\n", pre,
                end->rate_waits, end->rate_waits == 1 ? "" : "s", end->rate_wait_seconds);
    int below = print_coverage(o, cov, human);
    if (!reports_ok)
        return below;
    fprintf(human, "%sconform: JUnit report: %s\n", pre, o->junit);
    if (o->json)
        fprintf(human, "%sconform: JSON report: %s\n", pre, o->json);
    if (o->html)
        fprintf(human, "%sconform: HTML report: %s\n", pre, o->html);
    if (o->summary_md)
        fprintf(human, "%sconform: Markdown summary: %s\n", pre, o->summary_md);
    return below;
}

static int cmd_run(int argc, char **argv)
{
    cli_opts o = {0};
    loaded l = {0};
    cf_error *err = NULL;
    cf_coverage *cov = NULL;
    cf_sink *sinks[6] = {0};
    size_t nsinks = 0;
    cf_known known = {.warn = stderr};
    int rc = CF_EXIT_USAGE;
    if (parse_opts(&o, "run", argc, argv) < 0)
        goto done;
    known.fixed_warn = o.known_fixed_warn;
    /* With a report on stdout (-o -, --json -, --html -), everything a person
     * reads goes to stderr. */
    FILE *human = on_stdout(&o) ? stderr : stdout;
    if ((rc = load_all(&l, &o, "run ")) != 0)
        goto done;
    cf_run_opts ro = run_opts(&o);
    /* The report paths are the sinks' begin (nothing sent either way). */
    if (cf_preflight_targets(l.suites, l.nsuites, &ro, l.cfg->path, stderr) > 0) {
        rc = CF_EXIT_USAGE;
        goto done;
    }
    if ((rc = cf_known_load(&known, o.known, o.nknown, l.cfg, l.suites, l.nsuites, &ro)) != 0)
        goto done;
    if (cf_http_global_init() < 0) {
        fprintf(stderr, "conform: cannot initialise libcurl\n");
        rc = CF_EXIT_FAILED;
        goto done;
    }
    /* TAP's first line is its version: no line about the versions read there
     * (the JUnit properties have them). */
    cf_known_probe(l.cfg, l.suites, l.nsuites, &ro, o.format == CF_CONSOLE_TAP ? NULL : human);
    struct sigaction sa = {0};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    cov = cf_coverage_build(l.suites, l.nsuites);
    nsinks = make_sinks(sinks, &o, human, cov);
    cf_run_end end;
    int run_rc = cf_run(l.suites, l.nsuites, &ro, sinks, nsinks, &end, &err);
    if (run_rc < 0 && !end.started) {
        /* Nothing was sent: a report path that cannot be written is bad input. */
        cf_error_print(err, stderr);
        rc = CF_EXIT_USAGE;
        goto done;
    }
    /* An interrupted run did not check everything: it cannot pass. */
    rc =
        (end.totals.failures || end.totals.errors || end.interrupted) ? CF_EXIT_FAILED : CF_EXIT_OK;
    if (end.totals.tests == 0)
        fprintf(stderr, "conform: warning: no case matched the filter and tags\n");
    if (run_rc < 0) {
        fflush(human);
        cf_error_print(err, stderr);
        rc = CF_EXIT_FAILED;
    }
    if (print_summary(&o, &end, run_rc == 0, cov, human))
        rc = CF_EXIT_FAILED;
done:
    for (size_t i = 0; i < nsinks; i++)
        cf_sink_free(sinks[i]);
    cf_coverage_free(cov);
    fflush(stdout);
    cf_error_free(err);
    cf_known_clear(&known);
    loaded_free(&l);
    opts_free(&o);
    return rc;
}

int cf_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return CF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || (!strcmp(cmd, "help") && argc == 2)) {
        print_main_help(stdout);
        return CF_EXIT_OK;
    }
    if (!strcmp(cmd, "--data-dir")) {
        char *dir = cf_datadir_find();
        if (dir)
            printf("%s\n", dir);
        free(dir);
        return dir ? CF_EXIT_OK : CF_EXIT_USAGE;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("conform %s\n", CONFORM_VERSION);
        return CF_EXIT_OK;
    }
    if (!strcmp(cmd, "help")) {
        char *args[] = {argv[2], "--help", NULL};
        return cf_cli_main(3, (char *[]){argv[0], args[0], args[1], NULL});
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "list"))
        return cmd_list(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate"))
        return cf_validate_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "coverage"))
        return cmd_coverage(argc - 1, argv + 1);
    if (!strcmp(cmd, "derive"))
        return cf_derive_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "lint"))
        return cmd_lint(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cf_diff_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return cf_merge_main(argc - 1, argv + 1);
    static const char *const cmds[] = {"run",  "list",  "validate", "coverage", "derive",   "lint",
                                       "diff", "merge", "help",     "--help",   "--version"};
    const char *near = cf_did_you_mean(cmd, cmds, sizeof cmds / sizeof cmds[0]);
    if (near)
        return usage_error(NULL, "unknown command '%s' (hint: did you mean '%s'?)", cmd, near);
    return usage_error(NULL, "unknown command '%s'", cmd);
}
