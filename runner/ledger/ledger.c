/*
 * ledger.c - known-deviation ledgers (contract in ledger.h).
 */
#include "ledger/ledger.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "doc/shape.h"
#include "doc/yamldoc.h"

/* ---- loading ---- */

static int string_list(char ***out, size_t *n, const cf_doc *doc, const cJSON *node,
                       const char *what, cf_error **err)
{
    if (cJSON_IsString(node)) {
        *out = cf_xcalloc(1, sizeof **out);
        (*out)[(*n)++] = cf_strdup(node->valuestring);
        return 0;
    }
    if (!cJSON_IsArray(node) || !node->child)
        return cf_shape_error(doc, node, 0, err, NULL,
                              "'%s' must be a string or a non-empty list "
                              "of strings, got %s",
                              what, cf_shape_type_name(node));
    *out = cf_xcalloc((size_t)cJSON_GetArraySize(node), sizeof **out);
    for (const cJSON *c = node->child; c; c = c->next) {
        if (!cJSON_IsString(c) || !*c->valuestring)
            return cf_shape_error(doc, c, 0, err, NULL, "'%s' entries must be non-empty strings",
                                  what);
        (*out)[(*n)++] = cf_strdup(c->valuestring);
    }
    return 0;
}

static int one_string(char **out, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    if (!cJSON_IsString(node) || !*node->valuestring)
        return cf_shape_error(doc, node, 0, err, NULL, "'%s' must be a non-empty string, got %s",
                              node->string, cf_shape_type_name(node));
    *out = cf_strdup(node->valuestring);
    return 0;
}

/* YYYY-MM-DD with a real month and day. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static int load_entry(cf_ledger_entry *e, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    static const char *const keys[] = {"case", "suite",   "check", "finding", "reason",
                                       "link", "expires", "since", "until",   NULL};
    if (cf_shape_expect(doc, node, cJSON_Object, "mapping", err) < 0 ||
        cf_shape_keys(doc, node, keys, "deviation", err) < 0)
        return -1;
    cf_mark m = cf_doc_mark(doc, node);
    e->line = m.line;
    e->file = cf_strdup(doc->name);
    e->where = cf_asprintf("%s:%d", doc->name, m.line);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(node, "case");
    if (!v)
        return cf_shape_error(doc, node, 0, err, "add case: CASE-ID (or a glob such as 'auth-*')",
                              "the deviation names no 'case'");
    if (string_list(&e->cases, &e->ncases, doc, v, "case", err) < 0)
        return -1;
    v = cJSON_GetObjectItemCaseSensitive(node, "reason");
    if (!v)
        return cf_shape_error(doc, node, 0, err,
                              "add reason: why the deployment differs from its document",
                              "the deviation has no 'reason'");
    if (one_string(&e->reason, doc, v, err) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "suite")) &&
        one_string(&e->suite, doc, v, err) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "check"))) {
        if (string_list(&e->checks, &e->nchecks, doc, v, "check", err) < 0)
            return -1;
        /* The checks are the finding types conform reports (one table,
         * engine/result.c). */
        size_t nn = 0;
        const cf_finding_type *types = cf_finding_types(&nn);
        const char **check_names = cf_xcalloc(nn ? nn : 1, sizeof *check_names);
        for (size_t k = 0; k < nn; k++)
            check_names[k] = types[k].name;
        const cJSON *at = cJSON_IsArray(v) ? v->child : v;
        for (size_t i = 0; i < e->nchecks; i++, at = at && cJSON_IsArray(v) ? at->next : at) {
            int ok = 0;
            for (size_t k = 0; k < nn && !ok; k++)
                ok = !strcmp(e->checks[i], check_names[k]);
            if (ok)
                continue;
            const char *near = cf_did_you_mean(e->checks[i], check_names, nn);
            char *hint = near ? cf_asprintf("did you mean '%s'?", near)
                              : cf_strdup("checks are the types conform reports, e.g. status, "
                                          "schema, example");
            cf_shape_error(doc, at, 0, err, hint, "unknown check '%s'", e->checks[i]);
            free(hint);
            free(check_names);
            return -1;
        }
        free(check_names);
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "finding")) &&
        one_string(&e->finding, doc, v, err) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "link")) &&
        one_string(&e->link, doc, v, err) < 0)
        return -1;
    if ((v = cJSON_GetObjectItemCaseSensitive(node, "expires"))) {
        char *t = cJSON_IsString(v) ? cf_strdup(v->valuestring) : NULL;
        if (!t || !valid_date(t)) {
            free(t);
            return cf_shape_error(doc, v, 0, err, "write a date such as 2027-06-30",
                                  "'expires' must be a date YYYY-MM-DD");
        }
        memcpy(e->expires, t, 11);
        free(t);
    }
    return cf_range_parse(&e->range, doc, node, err);
}

static void entry_free(cf_ledger_entry *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->ncases; i++)
        free(e->cases[i]);
    free(e->cases);
    for (size_t i = 0; i < e->nchecks; i++)
        free(e->checks[i]);
    free(e->checks);
    free(e->suite);
    free(e->finding);
    free(e->reason);
    free(e->link);
    free(e->file);
    free(e->where);
    cf_range_clear(&e->range);
    free(e);
}

int cf_ledger_load(cf_ledger *l, const char *path, cf_error **err)
{
    for (size_t i = 0; i < l->nfiles; i++)
        if (!strcmp(l->files[i], path))
            return 0;
    cf_doc *doc = NULL;
    if (cf_yaml_load_file(&doc, path, err) < 0)
        return -1;
    int rc = -1;
    size_t first = l->n;
    const cJSON *root = doc->root;
    static const char *const keys[] = {"ledger", "deviations", NULL};
    if (!root) {
        cf_error_set(err, path, 0, 0, "start with 'deviations:' (docs/LEDGER.md)",
                     "the ledger file is empty");
        goto done;
    }
    if (!cJSON_IsObject(root)) {
        cf_shape_error(doc, root, 0, err,
                       "a ledger is a mapping with 'deviations:', a list of entries "
                       "(docs/LEDGER.md)",
                       "expected a mapping, got %s", cf_shape_type_name(root));
        goto done;
    }
    if (cf_shape_keys(doc, root, keys, "ledger", err) < 0)
        goto done;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "ledger");
    if (v && !cJSON_IsString(v)) {
        cf_shape_expect(doc, v, cJSON_String, "string", err);
        goto done;
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "deviations");
    if (!list) {
        cf_shape_error(doc, root, 0, err, "add deviations: [{case: ..., reason: ...}]",
                       "the ledger has no 'deviations'");
        goto done;
    }
    if (cf_shape_expect(doc, list, cJSON_Array, "list of deviations", err) < 0)
        goto done;
    for (const cJSON *c = list->child; c; c = c->next) {
        l->entries = cf_xrealloc(l->entries, (l->n + 1) * sizeof *l->entries);
        cf_ledger_entry *e = cf_xcalloc(1, sizeof *e);
        l->entries[l->n++] = e;
        if (load_entry(e, doc, c, err) < 0)
            goto done;
    }
    l->files = cf_xrealloc(l->files, (l->nfiles + 1) * sizeof *l->files);
    l->files[l->nfiles++] = cf_strdup(path);
    rc = 0;
done:
    if (rc < 0) { /* all or nothing: drop what this file added */
        while (l->n > first)
            entry_free(l->entries[--l->n]);
    }
    cf_doc_free(doc);
    return rc;
}

void cf_ledger_clear(cf_ledger *l)
{
    for (size_t i = 0; i < l->n; i++)
        entry_free(l->entries[i]);
    free(l->entries);
    for (size_t i = 0; i < l->nfiles; i++)
        free(l->files[i]);
    free(l->files);
    *l = (cf_ledger){0};
}

/* ---- matching ---- */

static int names_case(const cf_ledger_entry *e, const char *suite_file, const char *suite_name,
                      const char *case_id)
{
    if (e->suite && fnmatch(e->suite, suite_file ? suite_file : "", 0) != 0 &&
        fnmatch(e->suite, suite_name ? suite_name : "", 0) != 0)
        return 0;
    for (size_t i = 0; i < e->ncases; i++)
        if (fnmatch(e->cases[i], case_id, 0) == 0)
            return 1;
    return 0;
}

static int matches_finding(const cf_ledger_entry *e, const cf_finding *f)
{
    if (e->nchecks) {
        int ok = 0;
        for (size_t i = 0; i < e->nchecks && !ok; i++)
            ok = f->type && !strcmp(e->checks[i], f->type);
        if (!ok)
            return 0;
    }
    return !e->finding || (f->message && strstr(f->message, e->finding));
}

/* Under --repeat the result is "ID#K": entries name the case. */
static char *base_id(const char *case_id)
{
    char *id = cf_strdup(case_id);
    char *hash = strchr(id, '#');
    if (hash)
        *hash = '\0';
    return id;
}

/* Does e apply to the target's versions v? */
static int in_range(const cf_ledger_entry *e, const cf_kvlist *v)
{
    char *why = NULL;
    int in = cf_range_check(&e->range, v, &why);
    free(why);
    return in != 0;
}

int cf_ledger_all_known(const cf_ledger *l, const char *suite_file, const char *suite_name,
                        const char *case_id, const cf_kvlist *v, const cf_case_result *res)
{
    if (!l || !l->n || res->outcome == CF_OUTCOME_SKIP || !res->nfindings)
        return 0;
    char *id = base_id(case_id);
    size_t k = 0;
    for (; k < res->nfindings; k++) {
        const cf_finding *f = &res->findings[k];
        int known = f->known != NULL;
        for (size_t i = 0; i < l->n && !known; i++) {
            const cf_ledger_entry *e = l->entries[i];
            known = names_case(e, suite_file, suite_name, id) && in_range(e, v) &&
                    matches_finding(e, f);
        }
        if (!known)
            break;
    }
    free(id);
    return k == res->nfindings;
}

void cf_ledger_apply(cf_ledger *l, const char *suite_file, const char *suite_name,
                     const char *case_id, const cf_kvlist *v, cf_case_result *res)
{
    if (!l || !l->n || res->outcome == CF_OUTCOME_SKIP)
        return;
    char *id = base_id(case_id);
    for (size_t i = 0; i < l->n; i++) {
        cf_ledger_entry *e = l->entries[i];
        if (!names_case(e, suite_file, suite_name, id))
            continue;
        if (!in_range(e, v)) {
            atomic_fetch_add(&e->out_of_range, 1);
            continue;
        }
        atomic_fetch_add(&e->ran, 1);
        for (size_t k = 0; k < res->nfindings; k++) {
            cf_finding *f = &res->findings[k];
            if (f->known || !matches_finding(e, f))
                continue;
            f->known = cf_strdup(e->reason);
            f->known_at = cf_strdup(e->where);
            atomic_fetch_add(&e->matched, 1);
        }
    }
    free(id);
    if (cf_case_outcome(res) == CF_OUTCOME_KNOWN)
        res->outcome = CF_OUTCOME_KNOWN;
}

/* ---- after the run ---- */

static char *entry_id(const cf_ledger_entry *e)
{
    cf_buf b = {0};
    for (size_t i = 0; i < e->ncases; i++)
        cf_buf_printf(&b, "%s%s", i ? "," : "", e->cases[i]);
    for (size_t i = 0; i < e->nchecks; i++)
        cf_buf_printf(&b, "%s%s", i ? "," : " [", e->checks[i]);
    if (e->nchecks)
        cf_buf_puts(&b, "]");
    return cf_buf_take(&b);
}

static void today_utc(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Judges one entry into c; counts it in out and prints problems on w. */
static void judge(const cf_ledger_entry *e, cf_case_result *c, int fixed_warn, const char *today,
                  FILE *w, cf_ledger_verdict *out)
{
    size_t ran = atomic_load(&e->ran), matched = atomic_load(&e->matched);
    size_t oor = atomic_load(&e->out_of_range);
    c->id = entry_id(e);
    c->title = cf_strdup(e->reason);
    c->line = e->line;
    if (e->expires[0] && strcmp(today, e->expires) > 0) {
        out->expired++;
        cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "ledger-expired", NULL,
                            "%s: the entry expired on %s: review the deviation, then renew or "
                            "remove the entry",
                            e->where, e->expires);
        if (w)
            fprintf(w,
                    "conform: %s: known deviation expired on %s (hint: check whether the "
                    "deployment still deviates, then remove the entry or move 'expires')\n",
                    e->where, e->expires);
        return;
    }
    if (!ran) {
        out->unused++;
        c->outcome = CF_OUTCOME_SKIP;
        char *range = oor ? cf_range_describe(&e->range) : NULL;
        c->skip_reason = oor ? cf_asprintf("unused: the cases it names ran against versions "
                                           "outside its range (%s)",
                                           range)
                             : cf_strdup("unused: the entry names no case that ran");
        free(range);
        if (w)
            fprintf(w, "conform: warning: %s: %s\n", e->where, c->skip_reason);
        return;
    }
    if (!matched) {
        out->fixed++;
        const char *msg = "fixed: no case it names shows this deviation any more: remove the "
                          "entry";
        if (fixed_warn) {
            c->outcome = CF_OUTCOME_SKIP;
            c->skip_reason = cf_asprintf("%s (%s)", msg, e->where);
        } else {
            cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "ledger-fixed", NULL, "%s: %s", e->where,
                                msg);
        }
        if (w)
            fprintf(w, "conform: %s%s: known deviation fixed: %s (hint: remove the entry%s)\n",
                    fixed_warn ? "warning: " : "", e->where, e->reason,
                    fixed_warn ? "" : ", or pass --known-fixed=warn while the fix rolls out");
        return;
    }
    out->used++;
    c->outcome = CF_OUTCOME_PASS;
}

int cf_ledger_conclude(cf_ledger *l, cf_report *r, int fixed_warn, const char *today,
                       FILE *warn_out, cf_ledger_verdict *out, cf_error **err)
{
    *out = (cf_ledger_verdict){0};
    char day[11];
    if (!today) {
        today_utc(day);
        today = day;
    }
    if (!l->nfiles)
        return 0;
    r->suites = cf_xrealloc(r->suites, (r->nsuites + l->nfiles) * sizeof *r->suites);
    for (size_t f = 0; f < l->nfiles; f++) {
        cf_suite_result *s = &r->suites[r->nsuites++];
        *s = (cf_suite_result){0};
        s->name = cf_asprintf("Known deviations: %s", l->files[f]);
        s->file = cf_strdup(l->files[f]);
        size_t n = 0;
        for (size_t i = 0; i < l->n; i++)
            n += !strcmp(l->entries[i]->file, l->files[f]);
        s->cases = cf_xcalloc(n ? n : 1, sizeof *s->cases);
        for (size_t i = 0; i < l->n; i++)
            if (!strcmp(l->entries[i]->file, l->files[f]))
                judge(l->entries[i], &s->cases[s->ncases++], fixed_warn, today, warn_out, out);
        for (size_t i = 0; i < s->ncases; i++) {
            s->cases[i].finished = 1;
            /* Ids are the case patterns: stable when lines move; the line
             * tells two entries with the same patterns apart. */
            for (size_t k = 0; k < i; k++)
                if (!strcmp(s->cases[k].id, s->cases[i].id)) {
                    char *id = cf_asprintf("%s (line %d)", s->cases[i].id, s->cases[i].line);
                    free(s->cases[i].id);
                    s->cases[i].id = id;
                    break;
                }
        }
    }
    out->failed = out->expired || (out->fixed && !fixed_warn);
    return 0;
}
