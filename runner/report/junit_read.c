/*
 * junit_read.c - JUnit XML back into conform: the reader behind `conform
 * diff` and the merger behind `conform merge` (contract in junit_read.h).
 *
 * libxml2 parses (a Debian library, so no hand-written XML parser); this file
 * only maps the JUnit vocabulary. Parser options: XML_PARSE_NONET (never
 * fetch anything), no XML_PARSE_NOENT/DTDLOAD (entities are not expanded
 * from outside, DTDs not loaded), NOBLANKS (indentation between elements is
 * dropped, so a merged report can be re-indented).
 */
#include "report/junit_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/libxml.h"
#include "report/output.h"

/* ---- parsing ---- */

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* An attribute as a malloc'ed string (cf_strdup'ed), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = v ? cf_strdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static char *text_of(const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *s = cf_strdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

static int el_error(cf_error **err, const char *path, const xmlNode *n, const char *hint,
                    const char *what)
{
    return cf_error_set(err, path, n ? (int)xmlGetLineNo(n) : 0, 0, hint, "%s", what);
}

static const char report_hint[] =
    "give a JUnit XML report, e.g. one written by conform run -o FILE";

static void keep_first_error(void *ctx, xmlErrorPtr e)
{
    xmlError *first = ctx;
    if (!first->message && e && e->level >= XML_ERR_ERROR)
        xmlCopyError(e, first);
}

/* Parses path into a document whose root is <testsuites> or <testsuite>. */
static int parse_report(xmlDoc **out, const char *path, cf_error **err)
{
    *out = NULL;
    if (cf_libxml_load(path, err) < 0)
        return -1;
    size_t len = 0;
    char *text = cf_read_file(path, &len);
    if (!text)
        return cf_error_set(err, path, 0, 0, report_hint, "cannot read: %s",
                            cf_read_strerror(errno));
    if (len == 0) {
        free(text);
        return cf_error_set(err, path, 0, 0, report_hint, "the file is empty");
    }
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt)
        cf_oom();
    /* The first error names the place to fix; libxml2's "last error" is
     * often only where the damage surfaced (the end of the file). The
     * handler is per thread in libxml2 and is reset right after. */
    xmlError first = {0};
    xmlSetStructuredErrorFunc(&first, keep_first_error);
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOWARNING |
                                        XML_PARSE_NOCDATA);
    xmlSetStructuredErrorFunc(NULL, NULL);
    free(text);
    if (!doc) {
        const xmlError *e = first.message ? &first : xmlCtxtGetLastError(ctxt);
        char *msg = cf_strdup(e && e->message ? e->message : "parse error");
        size_t ml = strlen(msg);
        while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
            msg[--ml] = '\0';
        cf_error_set(err, path, e ? e->line : 0, e ? e->int2 : 0,
                     "the file is not well-formed XML; is it a JUnit report?", "%s", msg);
        free(msg);
        xmlResetError(&first);
        xmlFreeParserCtxt(ctxt);
        return -1;
    }
    xmlResetError(&first);
    xmlFreeParserCtxt(ctxt);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_el(root, "testsuites") && !is_el(root, "testsuite")) {
        char *what = cf_asprintf("the root element is <%s>, not <testsuites> or <testsuite>",
                                 root ? (const char *)root->name : "?");
        el_error(err, path, root, report_hint, what);
        free(what);
        xmlFreeDoc(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

/* Checks the names the JUnit schema requires, below a <testsuite>. */
static int check_suite(const xmlNode *s, const char *path, cf_error **err)
{
    xmlChar *name = xmlGetProp(s, (const xmlChar *)"name");
    xmlFree(name);
    if (!name)
        return el_error(err, path, s, "the Jenkins JUnit schema requires it",
                        "<testsuite> has no name attribute");
    for (const xmlNode *c = s->children; c; c = c->next) {
        if (is_el(c, "testsuite") && check_suite(c, path, err) < 0)
            return -1;
        if (!is_el(c, "testcase"))
            continue;
        xmlChar *cn = xmlGetProp(c, (const xmlChar *)"name");
        xmlFree(cn);
        if (!cn)
            return el_error(err, path, c, "the Jenkins JUnit schema requires it",
                            "<testcase> has no name attribute");
    }
    return 0;
}

static int check_report(const xmlDoc *doc, const char *path, cf_error **err)
{
    const xmlNode *root = xmlDocGetRootElement((xmlDoc *)doc);
    if (is_el(root, "testsuite"))
        return check_suite(root, path, err);
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!is_el(c, "testsuite")) {
            char *what = cf_asprintf("unexpected <%s> in <testsuites>", (const char *)c->name);
            el_error(err, path, c, "<testsuites> holds <testsuite> elements only", what);
            free(what);
            return -1;
        }
        if (check_suite(c, path, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- reading into cf_report ---- */

static const char known_prefix[] = "known deviation: ";

/* A known deviation's findings, one per line of the element's text as
 * junit.c writes them: "failure|error TYPE: MESSAGE (known: FILE:LINE)"; a
 * line of another form (a foreign writer) is one finding as it stands. */
static void read_known(cf_case_result *r, const xmlNode *el, const char *reason)
{
    char *text = text_of(el);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int error = !strncmp(line, "error ", 6), failure = !strncmp(line, "failure ", 8);
        char *type = line + (error ? 6 : failure ? 8 : 0), *colon = strstr(type, ": ");
        if ((!error && !failure) || !colon) {
            cf_case_add_finding(r, CF_FINDING_FAILURE, 0, "known", NULL, "%s", line);
            r->findings[r->nfindings - 1].known = cf_strdup(reason);
            continue;
        }
        *colon = '\0';
        char *msg = colon + 2, *where = NULL, *at = NULL;
        for (char *p = msg; (p = strstr(p, " (known: ")); p++)
            at = p; /* the last one: a message may quote the phrase */
        size_t ml = strlen(msg);
        if (at && ml && msg[ml - 1] == ')') {
            msg[ml - 1] = '\0';
            *at = '\0';
            where = at + strlen(" (known: ");
        }
        cf_case_add_finding(r, error ? CF_FINDING_ERROR : CF_FINDING_FAILURE, 0, type, NULL, "%s",
                            msg);
        r->findings[r->nfindings - 1].known = cf_strdup(reason);
        r->findings[r->nfindings - 1].known_at = where ? cf_strdup(where) : NULL;
    }
    if (!r->nfindings) {
        cf_case_add_finding(r, CF_FINDING_FAILURE, 0, "known", NULL, "%s", reason);
        r->findings[0].known = cf_strdup(reason);
    }
    r->outcome = CF_OUTCOME_KNOWN;
    free(text);
}

static void read_case(cf_case_result *r, const xmlNode *tc, const char *suite)
{
    char *name = attr(tc, "name"), *cls = attr(tc, "classname"), *time = attr(tc, "time");
    r->id = cls && *cls && strcmp(cls, suite) ? cf_asprintf("%s.%s", cls, name) : cf_strdup(name);
    r->seconds = time ? strtod(time, NULL) : 0;
    r->line = (int)xmlGetLineNo(tc);
    r->finished = 1;
    free(name);
    free(cls);
    free(time);
    for (const xmlNode *c = tc->children; c; c = c->next) {
        int failure = is_el(c, "failure"), error = is_el(c, "error");
        if (failure || error) {
            char *type = attr(c, "type"), *msg = attr(c, "message"), *text = text_of(c);
            cf_case_add_finding(r, error ? CF_FINDING_ERROR : CF_FINDING_FAILURE, 0,
                                type ? type : (error ? "error" : "failure"), *text ? text : NULL,
                                "%s", msg ? msg : text);
            free(type);
            free(msg);
            free(text);
        } else if (is_el(c, "skipped")) {
            char *msg = attr(c, "message");
            if (msg && !strncmp(msg, known_prefix, sizeof known_prefix - 1)) {
                read_known(r, c, msg + sizeof known_prefix - 1);
                free(msg);
            } else if (!r->skip_reason) {
                r->skip_reason = msg ? msg : cf_strdup("skipped");
                if (r->outcome == CF_OUTCOME_PASS)
                    r->outcome = CF_OUTCOME_SKIP;
            } else {
                free(msg);
            }
        } else if (is_el(c, "system-out") && !r->transcript) {
            r->transcript = text_of(c);
        }
    }
    if (r->outcome == CF_OUTCOME_KNOWN || r->outcome == CF_OUTCOME_SKIP)
        r->outcome = cf_case_outcome(r) == CF_OUTCOME_KNOWN ? CF_OUTCOME_KNOWN : r->outcome;
}

static void read_suite(cf_report *rep, const xmlNode *s)
{
    rep->suites = cf_xrealloc(rep->suites, (rep->nsuites + 1) * sizeof *rep->suites);
    cf_suite_result *sr = &rep->suites[rep->nsuites++];
    *sr = (cf_suite_result){0};
    sr->name = attr(s, "name");
    sr->file = attr(s, "file");
    char *time = attr(s, "time");
    sr->seconds = time ? strtod(time, NULL) : 0;
    free(time);
    if (!rep->timestamp)
        rep->timestamp = attr(s, "timestamp");
    size_t n = 0;
    for (const xmlNode *c = s->children; c; c = c->next)
        n += is_el(c, "testcase");
    sr->cases = cf_xcalloc(n ? n : 1, sizeof *sr->cases);
    for (const xmlNode *c = s->children; c; c = c->next) {
        if (is_el(c, "properties")) {
            for (const xmlNode *p = c->children; p; p = p->next) {
                if (!is_el(p, "property"))
                    continue;
                char *pn = attr(p, "name"), *pv = attr(p, "value");
                cf_suite_add_property(sr, pn ? pn : "", pv ? pv : "");
                free(pn);
                free(pv);
            }
        } else if (is_el(c, "testcase")) {
            read_case(&sr->cases[sr->ncases++], c, sr->name);
        }
    }
    /* Nested suites come after their parent, flattened. */
    for (const xmlNode *c = s->children; c; c = c->next)
        if (is_el(c, "testsuite"))
            read_suite(rep, c);
}

int cf_junit_read(cf_report **out, const char *path, cf_error **err)
{
    *out = NULL;
    xmlDoc *doc = NULL;
    if (parse_report(&doc, path, err) < 0)
        return -1;
    if (check_report(doc, path, err) < 0) {
        xmlFreeDoc(doc);
        return -1;
    }
    cf_report *rep = cf_xcalloc(1, sizeof *rep);
    xmlNode *root = xmlDocGetRootElement(doc);
    char *time = attr(root, "time");
    rep->seconds = time ? strtod(time, NULL) : 0;
    free(time);
    if (is_el(root, "testsuite"))
        read_suite(rep, root);
    else
        for (const xmlNode *c = root->children; c; c = c->next)
            if (is_el(c, "testsuite"))
                read_suite(rep, c);
    xmlFreeDoc(doc);
    *out = rep;
    return 0;
}

/* ---- merging ---- */

typedef struct msuite {
    xmlNode *el; /* in the output document */
    xmlNode *props;
    char *name, *file;
    double seconds;
} msuite;

typedef struct mkey {
    char *key; /* suite \x1f classname \x1f name */
    const char *from;
    int line;
    size_t seq; /* input order: the first place is named second */
} mkey;

typedef struct merger {
    xmlDoc *doc;
    xmlNode *root;
    msuite *suites;
    size_t nsuites;
    mkey *keys;
    size_t nkeys, capkeys;
} merger;

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static msuite *suite_for(merger *m, const xmlNode *s)
{
    char *name = attr(s, "name"), *file = attr(s, "file");
    for (size_t i = 0; i < m->nsuites; i++)
        if (same(m->suites[i].name, name) && same(m->suites[i].file, file)) {
            free(name);
            free(file);
            return &m->suites[i];
        }
    m->suites = cf_xrealloc(m->suites, (m->nsuites + 1) * sizeof *m->suites);
    msuite *ms = &m->suites[m->nsuites++];
    *ms = (msuite){0};
    ms->el = xmlCopyNode((xmlNode *)s, 2); /* the element and its attributes */
    if (!ms->el)
        cf_oom();
    xmlAddChild(m->root, ms->el);
    ms->name = name;
    ms->file = file;
    return ms;
}

static void merge_property(msuite *ms, const xmlNode *p)
{
    char *name = attr(p, "name"), *value = attr(p, "value");
    if (!ms->props) {
        ms->props = xmlNewNode(NULL, (const xmlChar *)"properties");
        if (!ms->props)
            cf_oom();
        if (ms->el->children)
            xmlAddPrevSibling(ms->el->children, ms->props);
        else
            xmlAddChild(ms->el, ms->props);
    }
    int dup = 0;
    for (const xmlNode *q = ms->props->children; q && !dup; q = q->next) {
        char *qn = attr(q, "name"), *qv = attr(q, "value");
        dup = same(qn, name) && same(qv, value);
        free(qn);
        free(qv);
    }
    if (!dup) {
        xmlNode *np = xmlNewChild(ms->props, NULL, (const xmlChar *)"property", NULL);
        if (!np)
            cf_oom();
        xmlNewProp(np, (const xmlChar *)"name", (const xmlChar *)(name ? name : ""));
        xmlNewProp(np, (const xmlChar *)"value", (const xmlChar *)(value ? value : ""));
    }
    free(name);
    free(value);
}

static void merge_suite(merger *m, const xmlNode *s, const char *from)
{
    msuite *ms = suite_for(m, s);
    char *time = attr(s, "time");
    ms->seconds += time ? strtod(time, NULL) : 0;
    free(time);
    for (const xmlNode *c = s->children; c; c = c->next) {
        if (is_el(c, "properties")) {
            for (const xmlNode *p = c->children; p; p = p->next)
                if (is_el(p, "property"))
                    merge_property(ms, p);
            continue;
        }
        if (is_el(c, "testsuite") || c->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(c, "testcase")) {
            char *cls = attr(c, "classname"), *name = attr(c, "name");
            if (m->nkeys == m->capkeys)
                m->keys = cf_xgrow(m->keys, &m->capkeys, m->nkeys + 1, sizeof *m->keys);
            m->keys[m->nkeys++] = (mkey){cf_asprintf("%s\x1f%s\x1f%s", ms->name ? ms->name : "",
                                                     cls ? cls : "", name ? name : ""),
                                         from, (int)xmlGetLineNo(c), m->nkeys};
            free(cls);
            free(name);
        }
        xmlNode *copy = xmlDocCopyNode((xmlNode *)c, m->doc, 1);
        if (!copy)
            cf_oom();
        xmlAddChild(ms->el, copy);
    }
    for (const xmlNode *c = s->children; c; c = c->next)
        if (is_el(c, "testsuite"))
            merge_suite(m, c, from);
}

static void set_count(xmlNode *el, const char *name, size_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%zu", v);
    xmlSetProp(el, (const xmlChar *)name, (const xmlChar *)buf);
}

static void set_time(xmlNode *el, double seconds)
{
    char buf[48];
    if (!(seconds > 0) || seconds > 1e15)
        seconds = 0;
    snprintf(buf, sizeof buf, "%.3f", seconds);
    xmlSetProp(el, (const xmlChar *)"time", (const xmlChar *)buf);
}

/* Counts by the JUnit reading of a case: an <error> makes it an error, else a
 * <failure> a failure, else a <skipped> a skip. */
static cf_totals count_suite(const xmlNode *s)
{
    cf_totals t = {0};
    for (const xmlNode *c = s->children; c; c = c->next) {
        if (!is_el(c, "testcase"))
            continue;
        int err = 0, fail = 0, skip = 0;
        for (const xmlNode *k = c->children; k; k = k->next) {
            err |= is_el(k, "error");
            fail |= is_el(k, "failure");
            skip |= is_el(k, "skipped");
        }
        t.tests++;
        t.errors += err;
        t.failures += !err && fail;
        t.skipped += !err && !fail && skip;
    }
    return t;
}

static int cmp_key(const void *a, const void *b)
{
    const mkey *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Duplicate cases: an error naming both places, unless allowed. */
static int check_duplicates(merger *m, cf_error **err)
{
    qsort(m->keys, m->nkeys, sizeof *m->keys, cmp_key);
    for (size_t i = 1; i < m->nkeys; i++) {
        if (strcmp(m->keys[i - 1].key, m->keys[i].key))
            continue;
        /* "SUITE > NAME", or "SUITE > CLASSNAME.NAME" when they differ. */
        char *shown = cf_strdup(m->keys[i].key);
        char *cls = strchr(shown, '\x1f');
        char *name = strchr(cls + 1, '\x1f');
        *cls++ = '\0';
        *name++ = '\0';
        int own = !*cls || !strcmp(cls, shown);
        cf_error_set(err, m->keys[i].from, m->keys[i].line, 0,
                     "each case must come from one input; pass --allow-duplicates to keep both",
                     "duplicate test case %s > %s%s%s, also in %s:%d", shown, own ? "" : cls,
                     own ? "" : ".", name, m->keys[i - 1].from, m->keys[i - 1].line);
        free(shown);
        return -1;
    }
    return 0;
}

static void finish_totals(merger *m)
{
    cf_totals all = {0};
    double seconds = 0;
    for (size_t i = 0; i < m->nsuites; i++) {
        cf_totals t = count_suite(m->suites[i].el);
        set_count(m->suites[i].el, "tests", t.tests);
        set_count(m->suites[i].el, "failures", t.failures);
        set_count(m->suites[i].el, "errors", t.errors);
        set_count(m->suites[i].el, "skipped", t.skipped);
        set_time(m->suites[i].el, m->suites[i].seconds);
        all.tests += t.tests;
        all.failures += t.failures;
        all.errors += t.errors;
        seconds += m->suites[i].seconds;
    }
    set_count(m->root, "tests", all.tests);
    set_count(m->root, "failures", all.failures);
    set_count(m->root, "errors", all.errors);
    set_time(m->root, seconds);
}

static int write_doc(xmlDoc *doc, const char *path, cf_error **err)
{
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
    if (!mem)
        cf_oom();
    cf_output *o = NULL;
    int rc = cf_output_open(&o, path, "merged report", "-o FILE", err);
    if (rc == 0 && cf_output_write(o, mem, (size_t)len, err) < 0) {
        cf_output_abort(o);
        rc = -1;
    } else if (rc == 0) {
        rc = cf_output_close(o, err);
    }
    xmlFree(mem);
    return rc;
}

int cf_junit_merge(const char *out_path, char *const *inputs, size_t n, int allow_duplicates,
                   cf_error **err)
{
    merger m = {0};
    int rc = -1;
    if (cf_libxml_load(out_path, err) < 0)
        return -1;
    m.doc = xmlNewDoc((const xmlChar *)"1.0");
    m.root = xmlNewNode(NULL, (const xmlChar *)"testsuites");
    if (!m.doc || !m.root)
        cf_oom();
    xmlDocSetRootElement(m.doc, m.root);
    xmlNewProp(m.root, (const xmlChar *)"name", (const xmlChar *)"conform");
    for (size_t i = 0; i < n; i++) {
        xmlDoc *in = NULL;
        if (parse_report(&in, inputs[i], err) < 0 || check_report(in, inputs[i], err) < 0) {
            xmlFreeDoc(in);
            goto done;
        }
        xmlNode *root = xmlDocGetRootElement(in);
        if (is_el(root, "testsuite"))
            merge_suite(&m, root, inputs[i]);
        else
            for (const xmlNode *c = root->children; c; c = c->next)
                if (is_el(c, "testsuite"))
                    merge_suite(&m, c, inputs[i]);
        xmlFreeDoc(in);
    }
    if (!allow_duplicates && check_duplicates(&m, err) < 0)
        goto done;
    finish_totals(&m);
    rc = write_doc(m.doc, out_path, err);
done:
    for (size_t i = 0; i < m.nsuites; i++) {
        free(m.suites[i].name);
        free(m.suites[i].file);
    }
    free(m.suites);
    for (size_t i = 0; i < m.nkeys; i++)
        free(m.keys[i].key);
    free(m.keys);
    xmlFreeDoc(m.doc);
    return rc;
}
