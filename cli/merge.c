/* conform merge (reports_cmd.h): option parsing around cf_junit_merge. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "report/junit_read.h"
#include "reports_cmd.h"

static const char usage_merge[] =
    "Usage: conform merge -o OUT [--allow-duplicates] IN.xml...\n"
    "\n"
    "Merges JUnit reports (the shards of a run, or any report the Jenkins JUnit\n"
    "schema accepts) into one: suites with the same name and file become one,\n"
    "totals are recomputed from the test cases, properties are merged.\n"
    "\n"
    "  -o, --output FILE       the merged report (- for standard output)\n"
    "      --allow-duplicates  keep a case that two inputs both hold (refused\n"
    "                          by default: shards never overlap)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 written, 2 bad usage or input (nothing written).\n";

int cf_merge_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"allow-duplicates", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int allow = 0, ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o':
            out = optarg;
            break;
        case 'A':
            allow = 1;
            break;
        case 'h':
            fputs(usage_merge, stdout);
            return CF_EXIT_OK;
        case ':':
            fprintf(stderr, "conform: option %s needs a value\nTry 'conform merge --help'.\n",
                    argv[optind - 1]);
            return CF_EXIT_USAGE;
        default:
            fprintf(stderr, "conform: unknown option '%s'\nTry 'conform merge --help'.\n",
                    argv[optind - 1]);
            return CF_EXIT_USAGE;
        }
    }
    if (!out || optind >= argc) {
        fprintf(stderr, "conform: merge needs -o OUT and at least one input report\n"
                        "Try 'conform merge --help'.\n");
        return CF_EXIT_USAGE;
    }
    cf_error *err = NULL;
    if (cf_junit_merge(out, argv + optind, (size_t)(argc - optind), allow, &err) < 0) {
        cf_error_print(err, stderr);
        cf_error_free(err);
        return CF_EXIT_USAGE;
    }
    return CF_EXIT_OK;
}
