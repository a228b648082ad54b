/*
 * validate.c - `conform validate` (validate.h, docs/VALIDATE.md).
 */
#include "validate.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "doc/json.h"
#include "schema/schema.h"
#include "spec/spec.h"
#include "spec/spec_ref.h"
#include "base/util.h"

static const char usage_text[] =
    "Usage: conform validate --spec FILE --operation ID --status CODE [--media TYPE] BODY\n"
    "       conform validate --schema FILE BODY\n"
    "\n"
    "Validate a saved response body against the schema an OpenAPI 3.0 document\n"
    "documents for one response of an operation, or against a standalone Schema\n"
    "Object. BODY is a file holding JSON, or - for standard input.\n"
    "\n"
    "Options:\n"
    "  --spec FILE        OpenAPI 3.0.x document (YAML or JSON)\n"
    "  --operation ID     operationId, or \"METHOD /path\" as the spec writes the path\n"
    "  --status CODE      response status; looked up as a run does: the exact code,\n"
    "                     then its class (4XX), then default\n"
    "  --media TYPE       response media type (default: the only one documented, else\n"
    "                     the JSON one)\n"
    "  --schema FILE      a Schema Object (YAML or JSON) instead of a spec operation;\n"
    "                     its $refs resolve inside FILE or relative to it\n"
    "  -h, --help         show this help\n"
    "\n"
    "Output: nothing but \"BODY: valid\" when the body is valid; otherwise one line\n"
    "per violation on stdout:\n"
    "  POINTER: MESSAGE (schema: FILE#/POINTER)\n"
    "where POINTER is the JSON Pointer of the offending value, (root) for the body.\n"
    "\n"
    "Exit status: 0 valid, 1 invalid (including a body that is not JSON),\n"
    "2 bad usage, unreadable input or a broken spec or schema.\n";

static int usage_error(const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("conform: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (hint: %s)\n", hint ? hint : "conform validate --help");
    return CF_EXIT_USAGE;
}

/* Reads BODY: a path, or "-" for standard input. */
static char *read_body(const char *arg, size_t *len)
{
    return strcmp(arg, "-") ? cf_read_file(arg, len) : cf_read_stream(stdin, len);
}

typedef struct vopts {
    const char *spec, *operation, *status, *media, *schema, *body;
} vopts;

/* Returns -1 to go on, else the exit code (--help, or a usage error). */
static int parse_args(vopts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"spec", required_argument, NULL, 's'},
        {"operation", required_argument, NULL, 'o'},
        {"status", required_argument, NULL, 'c'},
        {"media", required_argument, NULL, 'm'},
        {"schema", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 0; /* glibc: full re-initialization, the CLI may have used getopt */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            o->spec = optarg;
            break;
        case 'o':
            o->operation = optarg;
            break;
        case 'c':
            o->status = optarg;
            break;
        case 'm':
            o->media = optarg;
            break;
        case 'S':
            o->schema = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CF_EXIT_OK;
        case ':':
            return usage_error(NULL, "option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("give the body as a file path, or - for standard input", "missing BODY");
    if (optind + 1 < argc)
        return usage_error("validate one body at a time", "unexpected argument '%s'",
                           argv[optind + 1]);
    o->body = argv[optind];
    if (o->schema && (o->spec || o->operation || o->status || o->media))
        return usage_error("use either --schema FILE, or --spec with --operation and --status",
                           "--schema does not go with --spec, --operation, --status or "
                           "--media");
    if (!o->schema) {
        if (!o->spec)
            return usage_error("conform validate --spec FILE --operation ID --status CODE BODY",
                               "give --spec (with --operation and --status) or --schema");
        if (!o->operation || !o->status)
            return usage_error("conform validate --spec FILE --operation ID --status CODE BODY",
                               "--spec needs %s", !o->operation ? "--operation" : "--status");
    }
    return -1;
}

/* Prints err (located, redacted) and returns the usage exit code. */
static int fail_with(cf_error *err)
{
    if (err)
        cf_error_print(err, stderr);
    else
        fputs("conform: out of memory\n", stderr);
    cf_error_free(err);
    return CF_EXIT_USAGE;
}

/* Picks the schema a spec documents for the operation's response. 0, or the
 * exit code to return. */
static int spec_schema(const cf_schema **schema, const char **what, const vopts *o,
                       const cf_spec *spec)
{
    cf_error *err = NULL;
    const cf_operation *op;
    if (cf_spec_find_operation(&op, spec, o->operation, &err) < 0)
        return fail_with(err);
    char *end;
    long status = strtol(o->status, &end, 10);
    if (*end || end == o->status || status < 100 || status > 599)
        return usage_error("write a code such as 200", "--status '%s' is not a status code",
                           o->status);
    const char *key;
    const cf_response *r = cf_operation_response(op, (int)status, &key);
    if (!r) {
        char *hint = cf_asprintf("documented: %s", cf_operation_status_list(op));
        usage_error(hint, "status %ld is not documented for %s", status, cf_operation_label(op));
        free(hint);
        return CF_EXIT_USAGE;
    }
    if (cf_response_media_count(r) == 0)
        return usage_error("nothing to validate", "status %s of %s documents no body", key,
                           cf_operation_label(op));
    const cf_media *m = NULL;
    if (o->media) {
        m = cf_response_media_for(r, o->media);
        if (!m) {
            char *hint = cf_asprintf("documented: %s", cf_response_media_list(r));
            usage_error(hint, "media type '%s' is not documented for status %s of %s", o->media,
                        key, cf_operation_label(op));
            free(hint);
            return CF_EXIT_USAGE;
        }
    } else if (cf_response_media_count(r) == 1) {
        m = cf_response_media_at(r, 0);
    } else {
        for (size_t i = 0; i < cf_response_media_count(r) && !m; i++)
            if (cf_media_is_json(cf_response_media_at(r, i)))
                m = cf_response_media_at(r, i);
        if (!m) {
            char *hint = cf_asprintf("choose one with --media: %s", cf_response_media_list(r));
            usage_error(hint, "status %s of %s documents several media types", key,
                        cf_operation_label(op));
            free(hint);
            return CF_EXIT_USAGE;
        }
    }
    if (!cf_media_is_json(m))
        return usage_error("conform validates JSON bodies",
                           "media type '%s' of status %s is not JSON", cf_media_type(m), key);
    *schema = cf_media_schema(m);
    *what = cf_media_type(m);
    return 0;
}

/* What owns the schema a body is checked against: a standalone schema file
 * or a loaded spec. */
typedef struct vsource {
    cf_spec *spec;
    cf_fileset *fs;
    cf_schema *own_schema;
    const cf_schema *schema; /* NULL: the response documents no schema */
    const char *media;
} vsource;

/* Loads the schema named by --schema, or the spec's response schema;
 * returns -1 to go on, else the exit code. */
static int load_source(vsource *src, const vopts *o)
{
    cf_error *err = NULL;
    if (!o->schema) {
        if (cf_spec_load(&src->spec, o->spec, &err) < 0)
            return fail_with(err);
        for (size_t i = 0; i < cf_spec_warning_count(src->spec); i++)
            fprintf(stderr, "%s\n", cf_spec_warning(src->spec, i));
        int rc = spec_schema(&src->schema, &src->media, o, src->spec);
        return rc != 0 ? rc : -1;
    }
    const cf_doc *doc;
    if (cf_fileset_new(&src->fs) < 0)
        return fail_with(NULL);
    cf_ref_resolver resolver = cf_fileset_resolver(src->fs);
    if (cf_fileset_load(&doc, src->fs, o->schema, &err) < 0 ||
        cf_schema_compile(&src->own_schema, doc, doc->root, "", &resolver, &err) < 0)
        return fail_with(err);
    for (size_t i = 0; i < cf_schema_warning_count(src->own_schema); i++)
        fprintf(stderr, "%s\n", cf_schema_warning(src->own_schema, i));
    src->schema = src->own_schema;
    return -1;
}

/* Violations on stdout, then notes (schema.h): an unchecked keyword is a
 * warning; an undecided one means the body could not be judged (exit 1). */
static int report_violations(const cf_violations *v, const char *name)
{
    size_t nviol = 0, undecided = 0;
    for (size_t i = 0; i < v->count; i++) {
        const cf_violation *x = &v->items[i];
        if (x->kind == CF_VIOLATION_UNCHECKED) {
            fprintf(stderr, "conform: warning: %s\n", x->message);
            continue;
        }
        nviol += x->kind == CF_VIOLATION;
        undecided += x->kind == CF_VIOLATION_UNDECIDED;
        printf("%s: %s%s (schema: %s)\n",
               x->instance_ptr && *x->instance_ptr ? x->instance_ptr : "(root)",
               x->kind == CF_VIOLATION_UNDECIDED ? "error: " : "",
               x->message ? x->message : "invalid", x->schema_loc ? x->schema_loc : "?");
    }
    if (nviol == 0 && undecided == 0) {
        printf("%s: valid\n", name);
        return CF_EXIT_OK;
    }
    if (nviol)
        fprintf(stderr, "%s: invalid, %zu violation%s\n", name, nviol, nviol == 1 ? "" : "s");
    else
        fprintf(stderr, "%s: could not be checked completely (%zu keyword%s undecided)\n", name,
                undecided, undecided == 1 ? "" : "s");
    return CF_EXIT_FAILED;
}

int cf_validate_main(int argc, char **argv)
{
    vopts o = {0};
    int rc = parse_args(&o, argc, argv);
    if (rc >= 0)
        return rc;

    vsource src = {0};
    cf_doc *body = NULL;
    char *text = NULL;
    cf_error *err = NULL;
    cf_violations v = {0};
    if ((rc = load_source(&src, &o)) >= 0)
        goto done;

    const char *name = strcmp(o.body, "-") ? o.body : "<stdin>";
    size_t len = 0;
    if (!(text = read_body(o.body, &len))) {
        rc = usage_error("BODY is a file path, or - for standard input", "cannot read %s: %s", name,
                         cf_read_strerror(errno));
        goto done;
    }
    if (cf_json_parse(&body, text, len, name, &err) < 0) {
        char *m = err ? cf_error_format(err) : NULL;
        printf("(root): body is not valid JSON: %s\n", m ? m : "parse error");
        free(m);
        cf_error_free(err);
        rc = CF_EXIT_FAILED;
        goto done;
    }
    if (!src.schema) {
        fprintf(stderr, "conform: note: %s documents no schema; only checked that %s is JSON\n",
                src.media ? src.media : "the response", name);
        printf("%s: valid\n", name);
        rc = CF_EXIT_OK;
        goto done;
    }
    cf_schema_validate(src.schema, CF_SCHEMA_RESPONSE, body, body->root, &v);
    rc = report_violations(&v, name);
done:
    fflush(stdout);
    cf_violations_clear(&v);
    cf_doc_free(body);
    free(text);
    cf_schema_free(src.own_schema);
    cf_fileset_free(src.fs);
    cf_spec_free(src.spec);
    return rc;
}
