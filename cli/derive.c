#include "derive.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "exit.h"
#include "derive/derive.h"
#include "spec/spec.h"

static const char usage[] =
    "Usage: conform derive SPEC... [--operation ID] [--target NAME] [-o DIR]\n"
    "\n"
    "Writes one reviewable YAML suite per OpenAPI document: a case per documented\n"
    "response and named example, negative cases (required members and parameters\n"
    "missing, a wrong type, an enum violated, no credentials), TODO variables for\n"
    "what the document does not give. The same document gives the same bytes.\n"
    "\n"
    "  --operation ID      only this operation (operationId or 'METHOD /path')\n"
    "  --target NAME       the suites' target (default: the document's file name)\n"
    "  -o, --output DIR    write DIR/NAME.yaml per document (default: the one\n"
    "                      document's suite on stdout)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 written; 2 bad usage, a document that does not load or has no\n"
    "operation, or a suite file that would overwrite its document or the suite of\n"
    "another document of the same name (nothing written for that document).\n"
    "Docs: docs/DERIVE.md.\n";

/* The file name without directory and extension. */
static char *stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    return cf_strndup(base, n ? n : strlen(base));
}

/* to as a path relative to the directory from (both must exist). */
static char *relative_to(const char *from_dir, const char *to)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(from_dir, a) || !realpath(to, b))
        return cf_strdup(to);
    /* The longest common prefix that ends at a component boundary. */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        if ((a[i] == '/' || !a[i]) && (b[i] == '/' || !b[i]))
            common = i;
        if (!a[i] || !b[i] || a[i] != b[i])
            break;
    }
    cf_buf r = {0};
    for (const char *p = a + common; *p; p++)
        if (*p == '/')
            cf_buf_puts(&r, "../");
    cf_buf_puts(&r, b + common + 1);
    return cf_buf_take(&r);
}

/* The suite files this run wrote, so that two documents with one name
 * (a/api.yaml, b/api.yaml) do not silently share one suite file. */
typedef struct written {
    char **files;
    size_t n, cap;
    char *const *inputs; /* the documents of the run */
    size_t ninputs;
} written;

/* text to file; -1 with errno on failure (the file always closed). */
static int write_text(const char *file, const char *text)
{
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    int bad = fputs(text, f) < 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    errno = e;
    return bad ? -1 : 0;
}

/* 0 when derive may write file for the document at path: it is none of
 * the run's documents (-o naming their directory) and no other document of
 * this run wrote it. */
static int may_write(const char *file, const char *path, const written *w)
{
    struct stat a, b;
    for (size_t i = 0; stat(file, &a) == 0 && i < w->ninputs; i++) {
        if (stat(w->inputs[i], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            fprintf(stderr,
                    "conform: %s: is the document %s, not overwritten with %s's suite (hint: "
                    "give -o another directory)\n",
                    file, w->inputs[i], path);
            return -1;
        }
    }
    for (size_t i = 0; i < w->n; i++) {
        if (!strcmp(w->files[i], file)) {
            fprintf(stderr,
                    "conform: %s: written already for another document of the same name, not "
                    "overwritten with %s's (hint: derive them into separate directories)\n",
                    file, path);
            return -1;
        }
    }
    return 0;
}

static int derive_one(const char *path, const char *operation, const char *target,
                      const char *outdir, written *w)
{
    cf_spec *spec = NULL;
    cf_error *err = NULL;
    if (cf_spec_load(&spec, path, &err) < 0) {
        cf_error_print(err, stderr);
        cf_error_free(err);
        return CF_EXIT_USAGE;
    }
    for (size_t i = 0; i < cf_spec_warning_count(spec); i++)
        fprintf(stderr, "%s\n", cf_spec_warning(spec, i));
    char *name = stem(path);
    char *ref = outdir ? relative_to(outdir, path) : cf_strdup(path);
    cf_derive_opts o = {operation, target ? target : name, ref};
    cf_derive_stats st;
    char *text = NULL;
    int rc = CF_EXIT_OK;
    if (cf_derive_suite(&text, &st, spec, &o, &err) < 0) {
        cf_error_print(err, stderr);
        cf_error_free(err);
        rc = CF_EXIT_USAGE;
    } else if (!outdir) {
        fputs(text, stdout);
    } else {
        char *file = cf_asprintf("%s/%s.yaml", outdir, name);
        if (may_write(file, path, w) < 0) {
            rc = CF_EXIT_USAGE;
        } else if (write_text(file, text) < 0) {
            fprintf(stderr, "conform: %s: cannot write: %s (hint: check the -o directory)\n", file,
                    strerror(errno));
            rc = CF_EXIT_USAGE;
        } else {
            w->files = cf_xgrow(w->files, &w->cap, w->n + 1, sizeof *w->files);
            w->files[w->n++] = cf_strdup(file);
            printf("%s: %zu operation%s, %zu case%s (%zu negative, %zu skipped), %zu TODO "
                   "variable%s\n",
                   file, st.operations, st.operations == 1 ? "" : "s", st.cases,
                   st.cases == 1 ? "" : "s", st.negative, st.skipped, st.variables,
                   st.variables == 1 ? "" : "s");
        }
        free(file);
    }
    free(text);
    free(ref);
    free(name);
    cf_spec_free(spec);
    return rc;
}

int cf_derive_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"operation", required_argument, NULL, 'O'},
        {"target", required_argument, NULL, 'T'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *operation = NULL, *target = NULL, *outdir = NULL;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'O':
            operation = optarg;
            break;
        case 'T':
            target = optarg;
            break;
        case 'o':
            outdir = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return CF_EXIT_OK;
        case ':':
            fprintf(stderr, "conform: option %s needs a value\nTry 'conform derive --help'.\n",
                    argv[optind - 1]);
            return CF_EXIT_USAGE;
        default:
            fprintf(stderr, "conform: unknown option '%s'\nTry 'conform derive --help'.\n",
                    argv[optind - 1]);
            return CF_EXIT_USAGE;
        }
    }
    int n = argc - optind;
    if (n < 1 || (!outdir && n > 1)) {
        fprintf(stderr, "conform: %s\nTry 'conform derive --help'.\n",
                n < 1 ? "derive needs an OpenAPI document"
                      : "several documents need -o DIR (one suite file each)");
        return CF_EXIT_USAGE;
    }
    if (outdir && mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "conform: %s: cannot create: %s\n", outdir, strerror(errno));
        return CF_EXIT_USAGE;
    }
    int rc = CF_EXIT_OK;
    written w = {.inputs = argv + optind, .ninputs = (size_t)(argc - optind)};
    for (int i = optind; i < argc; i++) {
        int one = derive_one(argv[i], operation, target, outdir, &w);
        if (one > rc)
            rc = one;
    }
    for (size_t i = 0; i < w.n; i++)
        free(w.files[i]);
    free(w.files);
    return rc;
}
