/*
 * schema_suite.c - runs the JSON-Schema-Test-Suite's draft4 files through
 * cf_schema_compile/cf_schema_validate, as manifest.json tiers them for
 * OpenAPI 3.0:
 *   core       only OpenAPI 3.0 keywords, no $ref
 *   local-ref  adds "#/..." $refs inside the schema
 *   excluded   not OpenAPI 3.0 (counted, not run)
 *
 * Passing bar (exit 0): every test of the core and local-ref tiers in the
 * non-optional files, and at least 95% of each of optional/bignum,
 * optional/float-overflow, optional/format/date-time, optional/format/unknown,
 * and all of optional/ecmascript-regex and optional/non-bmp-regex (patterns
 * run on PCRE2 with ECMA-262 adjustments: a regression there is a bug). A
 * test whose validation leaves a note (a pattern not compiled or a match
 * limit hit) counts as failed whatever it expected. Other optional files are run and reported only
 * (their failures are listed with -v): conform checks the formats OpenAPI 3.0 names plus uuid and
 * email, and ignores others such as hostname, ipv4, ipv6 and uri. Test files are parsed with
 * cf_json_load_file, so number literals keep their exact text.
 *
 * Usage: schema_suite SUITE_DIR [-v]   (SUITE_DIR holds manifest.json, draft4/)
 * Exit 77 when SUITE_DIR is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc/json.h"
#include "schema/schema.h"
#include "base/util.h"

static const char *const gated_optional[] = {
    "optional/bignum.json",
    "optional/float-overflow.json",
    "optional/format/date-time.json",
    "optional/format/unknown.json",
};

static const char *const complete_optional[] = {
    "optional/ecmascript-regex.json",
    "optional/non-bmp-regex.json",
};

typedef struct tally {
    size_t passed[2], total[2]; /* [0] core, [1] local-ref */
    size_t excluded_groups, excluded_tests;
} tally;

static int verbose;
static int show_failures; /* details for files that gate the result */

static int is_complete(const char *file)
{
    for (size_t i = 0; i < sizeof complete_optional / sizeof *complete_optional; i++)
        if (!strcmp(file, complete_optional[i]))
            return 1;
    return 0;
}

static int is_gated(const char *file)
{
    if (is_complete(file))
        return 1;
    for (size_t i = 0; i < sizeof gated_optional / sizeof *gated_optional; i++)
        if (!strcmp(file, gated_optional[i]))
            return 1;
    return 0;
}

static void print_violations(const cf_violations *v)
{
    for (size_t i = 0; i < v->count; i++)
        printf("        %s: %s (schema: %s)\n",
               *v->items[i].instance_ptr ? v->items[i].instance_ptr : "(root)", v->items[i].message,
               v->items[i].schema_loc);
}

/* Runs one file; adds to t. Returns -1 when the file cannot be used. */
static int run_file(const char *dir, const char *file, const cJSON *groups_meta, tally *t)
{
    char *path = cf_asprintf("%s/draft4/%s", dir, file);
    cf_doc *doc = NULL;
    cf_error *err = NULL;
    if (!path || cf_json_load_file(&doc, path, &err) < 0) {
        if (err)
            cf_error_print(err, stdout);
        cf_error_free(err);
        free(path);
        return -1;
    }
    int rc = 0;
    const cJSON *group = doc->root ? doc->root->child : NULL;
    size_t gi = 0;
    for (const cJSON *meta = groups_meta->child; meta; meta = meta->next, gi++) {
        const cJSON *desc = cJSON_GetObjectItemCaseSensitive(meta, "description");
        const cJSON *tier = cJSON_GetObjectItemCaseSensitive(meta, "tier");
        const cJSON *gdesc = group ? cJSON_GetObjectItemCaseSensitive(group, "description") : NULL;
        if (!group || !cJSON_IsString(desc) || !cJSON_IsString(tier) || !cJSON_IsString(gdesc) ||
            strcmp(desc->valuestring, gdesc->valuestring) != 0) {
            printf("  %s: manifest and test file disagree at group %zu\n", file, gi);
            rc = -1;
            break;
        }
        const cJSON *tests = cJSON_GetObjectItemCaseSensitive(group, "tests");
        size_t ntests = (size_t)cJSON_GetArraySize(tests);
        if (!strcmp(tier->valuestring, "excluded")) {
            t->excluded_groups++;
            t->excluded_tests += ntests;
            group = group->next;
            continue;
        }
        int k = !strcmp(tier->valuestring, "local-ref");
        /* "#" means the group's schema: view it as its own document, sharing
         * the file's side table so marks and number texts stay. */
        char *name = cf_asprintf("%s[%zu].schema", file, gi);
        cf_doc view = {.root = cJSON_GetObjectItemCaseSensitive(group, "schema"),
                       .name = name,
                       .table = doc->table};
        cf_schema *schema = NULL;
        cf_error *cerr = NULL;
        if (cf_schema_compile(&schema, &view, view.root, "", NULL, &cerr) < 0) {
            char *msg = cerr ? cf_error_format(cerr) : NULL;
            printf("  FAIL %s | %s: compile error: %s\n", file, gdesc->valuestring,
                   msg ? msg : "?");
            free(msg);
            cf_error_free(cerr);
            t->total[k] += ntests;
            free(name);
            group = group->next;
            continue;
        }
        for (const cJSON *test = tests ? tests->child : NULL; test; test = test->next) {
            const cJSON *data = cJSON_GetObjectItemCaseSensitive(test, "data");
            int valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(test, "valid"));
            const cJSON *tdesc = cJSON_GetObjectItemCaseSensitive(test, "description");
            cf_violations v = {0};
            int n = cf_schema_validate(schema, CF_SCHEMA_RESPONSE, doc, data, &v);
            size_t notes = 0;
            for (size_t i = 0; i < v.count; i++)
                notes += v.items[i].kind != CF_VIOLATION;
            int ok = n >= 0 && !notes && (n == 0) == valid;
            t->total[k]++;
            if (ok)
                t->passed[k]++;
            if ((!ok && show_failures) || verbose) {
                printf("  %s %s | %s | %s: expected %s, got %s\n", ok ? "ok  " : "FAIL", file,
                       gdesc->valuestring, cJSON_IsString(tdesc) ? tdesc->valuestring : "?",
                       valid ? "valid" : "invalid",
                       n < 0 ? "out of memory" : (n == 0 ? "valid" : "invalid"));
                print_violations(&v);
            }
            cf_violations_clear(&v);
        }
        cf_schema_free(schema);
        free(name);
        group = group->next;
    }
    cf_doc_free(doc);
    free(path);
    return rc;
}

static double pct(size_t p, size_t t)
{
    return t ? 100.0 * (double)p / (double)t : 100.0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/data/json-schema-test-suite";
    verbose = argc > 2 && !strcmp(argv[2], "-v");
    char *manifest_path = cf_asprintf("%s/manifest.json", dir);
    struct stat st;
    if (!manifest_path || stat(manifest_path, &st) != 0) {
        printf("skipped: %s not found (the JSON-Schema-Test-Suite lives in ../shared/data)\n", dir);
        free(manifest_path);
        return 77;
    }
    cf_doc *manifest = NULL;
    cf_error *err = NULL;
    if (cf_json_load_file(&manifest, manifest_path, &err) < 0) {
        cf_error_print(err, stdout);
        cf_error_free(err);
        free(manifest_path);
        return 1;
    }
    free(manifest_path);

    tally required = {0}, all = {0};
    int failed = 0;
    printf("%-34s %12s %12s %10s\n", "file", "core", "local-ref", "excluded");
    for (const cJSON *f = manifest->root->child; f; f = f->next) {
        tally t = {0};
        show_failures = strncmp(f->string, "optional/", 9) != 0 || is_gated(f->string);
        if (run_file(dir, f->string, f, &t) < 0)
            failed = 1;
        int optional = !strncmp(f->string, "optional/", 9);
        char core[32], local[32], excl[32];
        snprintf(core, sizeof core, "%zu/%zu", t.passed[0], t.total[0]);
        snprintf(local, sizeof local, "%zu/%zu", t.passed[1], t.total[1]);
        snprintf(excl, sizeof excl, "%zu/%zu", t.excluded_groups, t.excluded_tests);
        const char *verdict = "";
        size_t p = t.passed[0] + t.passed[1], n = t.total[0] + t.total[1];
        if (!optional) {
            if (p != n) {
                verdict = "  FAILS (100% required)";
                failed = 1;
            }
        } else if (is_complete(f->string)) {
            if (p != n) {
                verdict = "  FAILS (100% required)";
                failed = 1;
            } else {
                verdict = "  (100% required)";
            }
        } else if (is_gated(f->string)) {
            if (pct(p, n) < 95.0) {
                verdict = "  FAILS (95% required)";
                failed = 1;
            } else {
                verdict = "  (95% required)";
            }
        } else {
            verdict = "  (reported only)";
        }
        printf("%-34s %12s %12s %10s%s\n", f->string, core, local, excl, verdict);
        for (int k = 0; k < 2; k++) {
            all.passed[k] += t.passed[k];
            all.total[k] += t.total[k];
            if (!optional) {
                required.passed[k] += t.passed[k];
                required.total[k] += t.total[k];
            }
        }
        all.excluded_groups += t.excluded_groups;
        all.excluded_tests += t.excluded_tests;
        if (!optional) {
            required.excluded_groups += t.excluded_groups;
            required.excluded_tests += t.excluded_tests;
        }
    }
    printf("\ntier totals, non-optional files: core %zu/%zu, local-ref %zu/%zu, excluded %zu "
           "groups / %zu tests\n",
           required.passed[0], required.total[0], required.passed[1], required.total[1],
           required.excluded_groups, required.excluded_tests);
    printf("tier totals, all files:          core %zu/%zu, local-ref %zu/%zu, excluded %zu "
           "groups / %zu tests\n",
           all.passed[0], all.total[0], all.passed[1], all.total[1], all.excluded_groups,
           all.excluded_tests);
    printf("%s\n", failed ? "RESULT: FAIL" : "RESULT: PASS");
    cf_doc_free(manifest);
    return failed ? 1 : 0;
}
