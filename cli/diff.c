/*
 * conform diff (reports_cmd.h): two JUnit reports, case by case.
 *
 * Cases are keyed by suite name and case id (junit_read.h: the classname
 * joins the id when it differs from the suite). Each key present in either
 * report falls in at most one category, decided from the two outcomes:
 *
 *   before \ after   passed   failed/errored   skipped   known    (absent)
 *   passed           -        regression       skipped   known+   removed
 *   failed/errored   fixed    changed (*)      skipped   known+   removed
 *   skipped          unskip   unskip           -         known+   removed
 *   known            known-   regression       skipped   -        removed
 *   (absent)         new      new              new       new
 * (*) only when the findings (type and message) differ.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "exit.h"
#include "report/junit_read.h"
#include "reports_cmd.h"

typedef enum cat {
    C_REGRESSION = 0,
    C_FIXED,
    C_CHANGED,
    C_KNOWN_NEW,
    C_KNOWN_GONE,
    C_NEW,
    C_REMOVED,
    C_SKIPPED,
    C_UNSKIPPED,
    C_COUNT
} cat;

static const char *const cat_title[C_COUNT] = {"regressions",
                                               "fixed",
                                               "still failing, finding changed",
                                               "known deviations appeared",
                                               "known deviations gone",
                                               "new cases",
                                               "removed cases",
                                               "newly skipped",
                                               "no longer skipped"};
static const char *const cat_key[C_COUNT] = {"regressions",    "fixed",      "changed",
                                             "known_appeared", "known_gone", "new",
                                             "removed",        "skipped",    "unskipped"};

typedef struct ref {
    const char *suite;
    const cf_case_result *c;
} ref;

typedef struct item {
    const char *suite, *id;
    const cf_case_result *before, *after;
} item;

typedef struct diff {
    item *items[C_COUNT];
    size_t n[C_COUNT];
    size_t nbefore, nafter;
} diff;

static const char *outcome_name(const cf_case_result *c)
{
    if (!c)
        return "absent";
    /* The outcome's one name (result.h), spelt out where a diff reads as prose. */
    cf_outcome o = cf_case_outcome(c);
    return o == CF_OUTCOME_KNOWN ? "known deviation" : cf_outcome_name(o);
}

static ref *index_report(const cf_report *r, size_t *n)
{
    size_t total = 0;
    for (size_t s = 0; s < r->nsuites; s++)
        total += r->suites[s].ncases;
    ref *refs = cf_xcalloc(total ? total : 1, sizeof *refs);
    for (size_t s = 0; s < r->nsuites; s++)
        for (size_t i = 0; i < r->suites[s].ncases; i++)
            refs[(*n)++] =
                (ref){r->suites[s].name ? r->suites[s].name : "", &r->suites[s].cases[i]};
    return refs;
}

static const cf_case_result *find(const ref *refs, size_t n, const char *suite, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(refs[i].suite, suite) && !strcmp(refs[i].c->id, id))
            return refs[i].c;
    return NULL;
}

/* Findings as one comparable text: "type: message" lines, sorted. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *signature(const cf_case_result *c)
{
    char **lines = cf_xcalloc(c->nfindings ? c->nfindings : 1, sizeof *lines);
    for (size_t i = 0; i < c->nfindings; i++)
        lines[i] = cf_asprintf("%s: %s", c->findings[i].type, c->findings[i].message);
    qsort(lines, c->nfindings, sizeof *lines, cmp_str);
    cf_buf b = {0};
    cf_buf_puts(&b, "");
    for (size_t i = 0; i < c->nfindings; i++) {
        cf_buf_printf(&b, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return cf_buf_take(&b);
}

static int classify(const cf_case_result *b, const cf_case_result *a)
{
    if (!b)
        return C_NEW;
    if (!a)
        return C_REMOVED;
    cf_outcome ob = cf_case_outcome(b), oa = cf_case_outcome(a);
    int bad_b = ob == CF_OUTCOME_FAIL || ob == CF_OUTCOME_ERROR;
    int bad_a = oa == CF_OUTCOME_FAIL || oa == CF_OUTCOME_ERROR;
    if ((ob == CF_OUTCOME_PASS || ob == CF_OUTCOME_KNOWN) && bad_a)
        return C_REGRESSION;
    if (bad_b && oa == CF_OUTCOME_PASS)
        return C_FIXED;
    if (bad_b && bad_a) {
        char *sb = signature(b), *sa = signature(a);
        int changed = strcmp(sb, sa) != 0;
        free(sb);
        free(sa);
        return changed ? C_CHANGED : -1;
    }
    if (oa == CF_OUTCOME_KNOWN && ob != CF_OUTCOME_KNOWN)
        return C_KNOWN_NEW;
    if (ob == CF_OUTCOME_KNOWN && oa == CF_OUTCOME_PASS)
        return C_KNOWN_GONE;
    if (oa == CF_OUTCOME_SKIP && ob != CF_OUTCOME_SKIP)
        return C_SKIPPED;
    if (ob == CF_OUTCOME_SKIP && oa != CF_OUTCOME_SKIP)
        return C_UNSKIPPED;
    return -1;
}

static void add(diff *d, int c, const char *suite, const char *id, const cf_case_result *b,
                const cf_case_result *a)
{
    if (c < 0)
        return;
    d->items[c] = cf_xrealloc(d->items[c], (d->n[c] + 1) * sizeof *d->items[c]);
    d->items[c][d->n[c]++] = (item){suite, id, b, a};
}

static void compute(diff *d, const cf_report *before, const cf_report *after)
{
    size_t nb = 0, na = 0;
    ref *rb = index_report(before, &nb), *ra = index_report(after, &na);
    d->nbefore = nb;
    d->nafter = na;
    for (size_t i = 0; i < na; i++) {
        const cf_case_result *b = find(rb, nb, ra[i].suite, ra[i].c->id);
        add(d, classify(b, ra[i].c), ra[i].suite, ra[i].c->id, b, ra[i].c);
    }
    for (size_t i = 0; i < nb; i++)
        if (!find(ra, na, rb[i].suite, rb[i].c->id))
            add(d, C_REMOVED, rb[i].suite, rb[i].c->id, rb[i].c, NULL);
    free(rb);
    free(ra);
}

/* ---- versions: the "version" / "version.*" properties of the suites ---- */

typedef struct vrow {
    char *name, *before, *after; /* values joined with ", " when suites differ */
} vrow;

static void add_value(char **slot, const char *v)
{
    if (!*slot) {
        *slot = cf_strdup(v);
        return;
    }
    size_t vl = strlen(v);
    for (const char *p = *slot; (p = strstr(p, v)); p += vl)
        if ((p == *slot || p[-1] == ' ') && (p[vl] == '\0' || p[vl] == ','))
            return;
    char *j = cf_asprintf("%s, %s", *slot, v);
    free(*slot);
    *slot = j;
}

static void collect_versions(vrow **rows, size_t *n, const cf_report *r, int after)
{
    for (size_t s = 0; s < r->nsuites; s++)
        for (size_t i = 0; i < r->suites[s].nproperties; i++) {
            const cf_property *p = &r->suites[s].properties[i];
            if (strcmp(p->name, "version") && strncmp(p->name, "version.", 8))
                continue;
            size_t k = 0;
            while (k < *n && strcmp((*rows)[k].name, p->name))
                k++;
            if (k == *n) {
                *rows = cf_xrealloc(*rows, (*n + 1) * sizeof **rows);
                (*rows)[(*n)++] = (vrow){cf_strdup(p->name), NULL, NULL};
            }
            add_value(after ? &(*rows)[k].after : &(*rows)[k].before, p->value);
        }
}

/* ---- output ---- */

static int same_text(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static void print_findings(FILE *out, const cf_case_result *c, const char *indent)
{
    for (size_t i = 0; c && i < c->nfindings; i++)
        fprintf(out, "%s%s %s: %s%s%s%s\n", indent,
                c->findings[i].kind == CF_FINDING_ERROR ? "error" : "failure", c->findings[i].type,
                c->findings[i].message, c->findings[i].known_at ? " (known: " : "",
                c->findings[i].known_at ? c->findings[i].known_at : "",
                c->findings[i].known_at ? ")" : "");
}

static void text_item(FILE *out, int c, const item *it)
{
    fprintf(out, "  %s > %s: %s -> %s\n", it->suite, it->id, outcome_name(it->before),
            outcome_name(it->after));
    if (c == C_FIXED || c == C_REMOVED)
        print_findings(out, it->before, "      before: ");
    else if (c == C_CHANGED) {
        print_findings(out, it->before, "      before: ");
        print_findings(out, it->after, "      after:  ");
    } else if (c == C_SKIPPED && it->after->skip_reason)
        fprintf(out, "      %s\n", it->after->skip_reason);
    else
        print_findings(out, it->after, "      ");
}

static void print_text(FILE *out, const diff *d, const vrow *v, size_t nv, const char *bp,
                       const char *ap)
{
    fprintf(out, "conform diff: %s -> %s\n", bp, ap);
    for (size_t i = 0; i < nv; i++)
        fprintf(out, "%s%s: %s -> %s%s\n", i ? "  " : "versions:\n  ", v[i].name,
                v[i].before ? v[i].before : "(none)", v[i].after ? v[i].after : "(none)",
                same_text(v[i].before, v[i].after) ? " (unchanged)" : "");
    for (int c = 0; c < C_COUNT; c++) {
        if (!d->n[c])
            continue;
        fprintf(out, "%s (%zu):\n", cat_title[c], d->n[c]);
        for (size_t i = 0; i < d->n[c]; i++)
            text_item(out, c, &d->items[c][i]);
    }
    fprintf(out,
            "summary: %zu regression%s, %zu fixed, %zu changed, %zu known appeared, %zu "
            "known gone, %zu new, %zu removed, %zu newly skipped, %zu no longer skipped "
            "(%zu cases before, %zu after)\n",
            d->n[C_REGRESSION], d->n[C_REGRESSION] == 1 ? "" : "s", d->n[C_FIXED], d->n[C_CHANGED],
            d->n[C_KNOWN_NEW], d->n[C_KNOWN_GONE], d->n[C_NEW], d->n[C_REMOVED], d->n[C_SKIPPED],
            d->n[C_UNSKIPPED], d->nbefore, d->nafter);
}

/* Markdown table cells: no newlines, pipes escaped. */
static void md_cell(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static void md_findings(FILE *out, const cf_case_result *c)
{
    for (size_t i = 0; c && i < c->nfindings; i++) {
        fputs(i ? "<br>" : "", out);
        md_cell(out, c->findings[i].type);
        fputs(": ", out);
        md_cell(out, c->findings[i].message);
    }
}

static void print_markdown(FILE *out, const diff *d, const vrow *v, size_t nv, const char *bp,
                           const char *ap)
{
    fprintf(out,
            "## conform diff\n\n`%s` → `%s`: **%zu regression%s**, %zu fixed, %zu "
            "changed, %zu new, %zu removed (%zu cases before, %zu after)\n",
            bp, ap, d->n[C_REGRESSION], d->n[C_REGRESSION] == 1 ? "" : "s", d->n[C_FIXED],
            d->n[C_CHANGED], d->n[C_NEW], d->n[C_REMOVED], d->nbefore, d->nafter);
    if (nv) {
        fputs("\n### Versions\n\n| property | before | after |\n|---|---|---|\n", out);
        for (size_t i = 0; i < nv; i++) {
            fputs("| ", out);
            md_cell(out, v[i].name);
            fputs(" | ", out);
            md_cell(out, v[i].before ? v[i].before : "(none)");
            fputs(" | ", out);
            md_cell(out, v[i].after ? v[i].after : "(none)");
            fputs(" |\n", out);
        }
    }
    for (int c = 0; c < C_COUNT; c++) {
        if (!d->n[c])
            continue;
        fprintf(out,
                "\n### %c%s (%zu)\n\n| suite | case | before | after | findings |\n"
                "|---|---|---|---|---|\n",
                cat_title[c][0] - 32, cat_title[c] + 1, d->n[c]);
        for (size_t i = 0; i < d->n[c]; i++) {
            const item *it = &d->items[c][i];
            fputs("| ", out);
            md_cell(out, it->suite);
            fputs(" | `", out);
            md_cell(out, it->id);
            fprintf(out, "` | %s | %s | ", outcome_name(it->before), outcome_name(it->after));
            md_findings(out, c == C_FIXED || c == C_REMOVED ? it->before : it->after);
            fputs(" |\n", out);
        }
    }
}

static cJSON *json_findings(const cf_case_result *c)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; c && i < c->nfindings; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "kind",
                                c->findings[i].kind == CF_FINDING_ERROR ? "error" : "failure");
        cJSON_AddStringToObject(f, "type", c->findings[i].type);
        cJSON_AddStringToObject(f, "message", c->findings[i].message);
        if (c->findings[i].known)
            cJSON_AddStringToObject(f, "known", c->findings[i].known);
        cJSON_AddItemToArray(a, f);
    }
    return a;
}

static void print_json(FILE *out, const diff *d, const vrow *v, size_t nv, const char *bp,
                       const char *ap)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "before", bp);
    cJSON_AddStringToObject(o, "after", ap);
    cJSON *vs = cJSON_AddArrayToObject(o, "versions");
    for (size_t i = 0; i < nv; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", v[i].name);
        if (v[i].before)
            cJSON_AddStringToObject(e, "before", v[i].before);
        else
            cJSON_AddNullToObject(e, "before");
        if (v[i].after)
            cJSON_AddStringToObject(e, "after", v[i].after);
        else
            cJSON_AddNullToObject(e, "after");
        cJSON_AddItemToArray(vs, e);
    }
    cJSON *sum = cJSON_CreateObject();
    for (int c = 0; c < C_COUNT; c++) {
        cJSON *arr = cJSON_AddArrayToObject(o, cat_key[c]);
        cJSON_AddNumberToObject(sum, cat_key[c], (double)d->n[c]);
        for (size_t i = 0; i < d->n[c]; i++) {
            const item *it = &d->items[c][i];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "suite", it->suite);
            cJSON_AddStringToObject(e, "case", it->id);
            cJSON_AddStringToObject(e, "before", outcome_name(it->before));
            cJSON_AddStringToObject(e, "after", outcome_name(it->after));
            cJSON_AddItemToObject(e, "findings_before", json_findings(it->before));
            cJSON_AddItemToObject(e, "findings_after", json_findings(it->after));
            cJSON_AddItemToArray(arr, e);
        }
    }
    cJSON_AddNumberToObject(sum, "cases_before", (double)d->nbefore);
    cJSON_AddNumberToObject(sum, "cases_after", (double)d->nafter);
    cJSON_AddItemToObject(o, "summary", sum);
    char *text = cJSON_Print(o);
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    cJSON_Delete(o);
}

static const char usage_diff[] =
    "Usage: conform diff [--format text|json|markdown] BEFORE.xml AFTER.xml\n"
    "\n"
    "Compares two JUnit reports (conform's, or any the Jenkins JUnit schema\n"
    "accepts) case by case: regressions (passed or known before, failed or\n"
    "errored after), fixed cases, failures whose findings changed, known\n"
    "deviations that appeared or went, new and removed cases, skips, and the\n"
    "versions the reports record.\n"
    "\n"
    "  -f, --format FORMAT   text (default), json or markdown\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 no regression, 1 regressions, 2 bad usage or input.\n";

int cf_diff_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *format = "text";
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
        if (ch == 'h') {
            fputs(usage_diff, stdout);
            return CF_EXIT_OK;
        }
        if (ch == 'f' &&
            (!strcmp(optarg, "text") || !strcmp(optarg, "json") || !strcmp(optarg, "markdown"))) {
            format = optarg;
            continue;
        }
        if (ch == 'f')
            fprintf(stderr, "conform: --format needs text, json or markdown, got '%s'\n", optarg);
        else if (ch == ':')
            fprintf(stderr, "conform: option %s needs a value\n", argv[optind - 1]);
        else
            fprintf(stderr, "conform: unknown option '%s'\n", argv[optind - 1]);
        fputs("Try 'conform diff --help'.\n", stderr);
        return CF_EXIT_USAGE;
    }
    if (argc - optind != 2) {
        fputs("conform: diff needs two reports, BEFORE.xml AFTER.xml\n"
              "Try 'conform diff --help'.\n",
              stderr);
        return CF_EXIT_USAGE;
    }
    const char *bp = argv[optind], *ap = argv[optind + 1];
    cf_report *before = NULL, *after = NULL;
    cf_error *err = NULL;
    if (cf_junit_read(&before, bp, &err) < 0 || cf_junit_read(&after, ap, &err) < 0) {
        cf_error_print(err, stderr);
        cf_error_free(err);
        cf_report_free(before);
        return CF_EXIT_USAGE;
    }
    diff d = {0};
    compute(&d, before, after);
    vrow *v = NULL;
    size_t nv = 0;
    collect_versions(&v, &nv, before, 0);
    collect_versions(&v, &nv, after, 1);
    if (!strcmp(format, "json"))
        print_json(stdout, &d, v, nv, bp, ap);
    else if (!strcmp(format, "markdown"))
        print_markdown(stdout, &d, v, nv, bp, ap);
    else
        print_text(stdout, &d, v, nv, bp, ap);
    int rc = d.n[C_REGRESSION] ? CF_EXIT_FAILED : CF_EXIT_OK;
    for (size_t i = 0; i < nv; i++) {
        free(v[i].name);
        free(v[i].before);
        free(v[i].after);
    }
    free(v);
    for (int c = 0; c < C_COUNT; c++)
        free(d.items[c]);
    cf_report_free(before);
    cf_report_free(after);
    return rc;
}
