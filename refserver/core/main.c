/*
 * main.c - conform-refserver's command line: parse options, start the HTTP
 * daemon, announce the port, wait for SIGINT/SIGTERM, stop cleanly.
 *
 * Exit codes: 0 after a clean stop (or --help/--version/--list-faults),
 * 1 when the server cannot start, 2 for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/faults.h"
#include "core/http.h"
#include "core/ratelimit.h"
#include "core/state.h"

#define DEFAULT_PORT 8910
#define DEFAULT_FAULT_DELAY_MS 3000

static const char usage_text[] =
    "usage: conform-refserver [--port N] [--portfile FILE] [--profile documented|rasa-1.2.1]\n"
    "                         [--stateless] [--threads N] [--fault NAME]...\n"
    "                         [--fault-delay-ms N] [--access-log FILE] [--list-faults]\n"
    "                         [--rate-limit CALLS/MS] [--fail-first N] [--version-string V]\n"
    "                         [--help] [--version]\n"
    "\n"
    "The reference server for conform: Rocket.Chat Livechat, the Rasa app endpoint\n"
    "and the Oracle B2C Service chat consumer API, with state, on 127.0.0.1.\n"
    "\n"
    "  --port N            port to listen on (default 8910; 0 picks a free one)\n"
    "  --portfile FILE     write the bound port to FILE once connections are accepted\n"
    "  --profile P         documented (default): as the vendor documents say;\n"
    "                      rasa-1.2.1: the Rasa endpoint as Apps.Rasa 1.2.1 behaves\n"
    "  --stateless         the Rasa endpoint takes any sessionId as an open room\n"
    "  --threads N         worker threads (default: number of CPUs)\n"
    "  --fault NAME        plant a fault from the catalogue (repeatable)\n"
    "  --fault-delay-ms N  how late the *-slow faults answer (default 3000)\n"
    "  --access-log FILE   append one line per request: TIME METHOD PATH STATUS\n"
    "  --rate-limit C/MS   limit every /api/v1 route as Rocket.Chat does: C calls per\n"
    "                      MS milliseconds per client and route, then 429 (a stock\n"
    "                      Rocket.Chat: 10/60000; tests scale the window down)\n"
    "  --fail-first N      the first N requests answer 503 (to test reruns)\n"
    "  --version-string V  the Rocket.Chat version to report (GET /api/info) and behave\n"
    "                      as (default: 7.0.0 documented, 6.4.0 rasa-1.2.1)\n"
    "  --list-faults       print the fault catalogue: NAME  OPERATION  description\n"
    "  --help, --version\n"
    "\n"
    "See docs/REFSERVER.md.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "conform-refserver: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'conform-refserver --help'.\n");
    return 2;
}

/* Parses a decimal in [min, max]; 0, or -1. */
static int parse_uint(unsigned long *out, const char *s, unsigned long min, unsigned long max)
{
    char *end;
    unsigned long v;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Writes the port through a temporary file and rename(), so a reader never
 * sees a partial number. */
static int portfile_write(const char *path, int port)
{
    char *tmp;
    FILE *f;
    int rc = -1;
    size_t n = strlen(path) + 32;

    tmp = malloc(n);
    if (tmp == NULL)
        return -1;
    snprintf(tmp, n, "%s.%ld.tmp", path, (long)getpid());
    f = fopen(tmp, "w");
    if (f == NULL)
        goto done;
    if (fprintf(f, "%d\n", port) < 0 || fclose(f) != 0) {
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        goto done;
    }
    rc = 0;
done:
    if (rc < 0)
        fprintf(stderr, "conform-refserver: cannot write port file %s: %s\n", path,
                strerror(errno));
    free(tmp);
    return rc;
}

enum {
    OPT_PORTFILE = 256,
    OPT_PROFILE,
    OPT_STATELESS,
    OPT_THREADS,
    OPT_FAULT,
    OPT_FAULT_DELAY,
    OPT_LIST_FAULTS,
    OPT_VERSION,
    OPT_ACCESS_LOG,
    OPT_RATE_LIMIT,
    OPT_FAIL_FIRST,
    OPT_VERSION_STRING
};

static const struct option long_opts[] = {
    {"port", required_argument, NULL, 'p'},
    {"portfile", required_argument, NULL, OPT_PORTFILE},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"stateless", no_argument, NULL, OPT_STATELESS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"fault", required_argument, NULL, OPT_FAULT},
    {"fault-delay-ms", required_argument, NULL, OPT_FAULT_DELAY},
    {"list-faults", no_argument, NULL, OPT_LIST_FAULTS},
    {"access-log", required_argument, NULL, OPT_ACCESS_LOG},
    {"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
    {"fail-first", required_argument, NULL, OPT_FAIL_FIRST},
    {"version-string", required_argument, NULL, OPT_VERSION_STRING},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

/* The options with a number (or CALLS/MS); 1 when c is none of them, else
 * what usage_error returns, or 0. */
static int parse_number_opt(rs_config *cfg, int c)
{
    unsigned long v;
    switch (c) {
    case 'p':
        if (parse_uint(&v, optarg, 0, 65535) < 0)
            return usage_error("--port wants a number from 0 to 65535, not '%s'", optarg);
        cfg->port = (int)v;
        return 0;
    case OPT_THREADS:
        if (parse_uint(&v, optarg, 1, 1024) < 0)
            return usage_error("--threads wants a number from 1 to 1024, not '%s'", optarg);
        cfg->threads = (unsigned)v;
        return 0;
    case OPT_FAULT_DELAY:
        if (parse_uint(&v, optarg, 0, 600000) < 0)
            return usage_error("--fault-delay-ms wants a number from 0 to 600000, not '%s'",
                               optarg);
        cfg->fault_delay_ms = (unsigned)v;
        return 0;
    case OPT_RATE_LIMIT:
        if (ratelimit_parse(cfg, optarg) < 0)
            return usage_error("--rate-limit wants CALLS/MILLISECONDS, e.g. 10/60000, not '%s'",
                               optarg);
        return 0;
    case OPT_FAIL_FIRST:
        if (parse_uint(&v, optarg, 0, 1000000) < 0)
            return usage_error("--fail-first wants a number from 0 to 1000000, not '%s'", optarg);
        cfg->fail_first = (unsigned)v;
        return 0;
    }
    return 1;
}

static int parse_args(rs_config *cfg, int argc, char **argv, bool *exit_now,
                      const char **access_log)
{
    int c, i;

    *exit_now = false;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        int rc = parse_number_opt(cfg, c);
        if (rc != 1) {
            if (rc != 0)
                return rc;
            continue;
        }
        switch (c) {
        case OPT_PORTFILE:
            cfg->portfile = optarg;
            break;
        case OPT_PROFILE:
            if (strcmp(optarg, "documented") == 0)
                cfg->profile = RS_PROFILE_DOCUMENTED;
            else if (strcmp(optarg, "rasa-1.2.1") == 0)
                cfg->profile = RS_PROFILE_RASA_121;
            else
                return usage_error("unknown profile '%s' (documented or rasa-1.2.1)", optarg);
            break;
        case OPT_STATELESS:
            cfg->stateless = true;
            break;
        case OPT_FAULT:
            if (faults_enable(&cfg->faults, optarg) < 0)
                return usage_error("unknown fault '%s' (see --list-faults)", optarg);
            break;
        case OPT_ACCESS_LOG:
            *access_log = optarg;
            break;
        case OPT_VERSION_STRING:
            if (!*optarg || strlen(optarg) > 64 || optarg[0] < '0' || optarg[0] > '9')
                return usage_error("--version-string wants a version such as 6.4.0, not '%s'",
                                   optarg);
            cfg->version_string = optarg;
            break;
        case OPT_LIST_FAULTS:
            faults_list(stdout);
            *exit_now = true;
            return 0;
        case 'h':
            fputs(usage_text, stdout);
            *exit_now = true;
            return 0;
        case OPT_VERSION:
            printf("conform-refserver %s\n", RS_VERSION);
            *exit_now = true;
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    /* The Rasa faults alter the documented success body, which the
     * rasa-1.2.1 profile does not send. */
    if (cfg->profile == RS_PROFILE_RASA_121) {
        for (i = RS_OP_RASA_CLOSE; i <= RS_OP_RASA_HANDOVER; i++)
            if (faults_touch(&cfg->faults, (rs_op)i))
                return usage_error("%s faults need --profile documented", "Rasa");
    }
    return 0;
}

int main(int argc, char **argv)
{
    rs_config cfg;
    struct MHD_Daemon *daemon = NULL;
    sigset_t sigs;
    const char *access_log = NULL;
    bool exit_now;
    long ncpu;
    int port, sig, rc;

    memset(&cfg, 0, sizeof(cfg));
    cfg.port = DEFAULT_PORT;
    cfg.profile = RS_PROFILE_DOCUMENTED;
    cfg.fault_delay_ms = DEFAULT_FAULT_DELAY_MS;
    ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.threads = ncpu > 0 ? (unsigned)ncpu : 1;

    cfg.access_log_fd = -1;
    rc = parse_args(&cfg, argc, argv, &exit_now, &access_log);
    if (rc != 0 || exit_now)
        return rc;
    if (access_log) {
        cfg.access_log_fd = open(access_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (cfg.access_log_fd < 0) {
            fprintf(stderr, "conform-refserver: cannot open access log %s: %s\n", access_log,
                    strerror(errno));
            return 1;
        }
    }

    /* Block the stop signals before any thread exists, so every MHD thread
     * inherits the mask and only sigwait() below sees them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (state_init() < 0) {
        fprintf(stderr, "conform-refserver: out of memory\n");
        return 1;
    }
    if (http_start(&daemon, &cfg, &port) < 0) {
        state_shutdown();
        if (cfg.access_log_fd >= 0)
            close(cfg.access_log_fd);
        return 1;
    }
    printf("listening on 127.0.0.1:%d\n", port);
    fflush(stdout);
    if (cfg.portfile && portfile_write(cfg.portfile, port) < 0) {
        rc = 1;
        goto stop;
    }

    do {
        if (sigwait(&sigs, &sig) != 0)
            break;
    } while (sig != SIGINT && sig != SIGTERM && sig != SIGHUP);
stop:
    MHD_stop_daemon(daemon);
    ratelimit_shutdown();
    state_shutdown();
    if (cfg.access_log_fd >= 0)
        close(cfg.access_log_fd);
    return rc;
}
