/*
 * junit-golden - builds a cf_report from a declarative description and writes
 * it with cf_junit_write(), for the golden-file tests (docs/tests/JUNIT.md).
 *
 * Usage:
 *   junit-golden CASE.json OUT.xml   build the report CASE.json describes
 *   junit-golden --hostile OUT.xml   build a report whose every string holds
 *                                    hostile bytes (for the XSD test)
 * Exit: 0 written, 1 the description is invalid or the write failed, 2 usage.
 *
 * CASE.json (every key optional unless noted):
 *   { "behaviour": "one line: what this file checks",
 *     "secrets": [STR...],            registered with cf_secrets_add first
 *     "seconds": N, "timestamp": STR, "hostname": STR,
 *     "suites": [ { "name": STR, "file": STR, "seconds": N,
 *                   "cases": [ { "id": STR, "title": STR, "seconds": N, "line": N,
 *                                "skip": STR,             outcome SKIP, this reason
 *                                "transcript": STR,
 *                                "findings": [ { "kind": "failure"|"error",
 *                                                "type": STR, "message": STR,
 *                                                "detail": STR, "step": N } ],
 *                                "outcome": "pass"|"fail"|"error"|"skip" } ] } ] }
 * Findings are added with cf_case_add_finding(), so the outcome follows the
 * engine's rule; "outcome" overrides it afterwards (to test inconsistent
 * structs). A STR is a JSON string, or an array of strings and integers
 * 1..255 concatenated, an integer being one raw byte: the way to put invalid
 * UTF-8 into a case file that is itself valid UTF-8. Strings other than the
 * findings' are stored unredacted, so the writer's own redaction shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/junit.h"
#include "engine/result.h"
#include "base/secrets.h"
#include "base/util.h"

static const char *case_file = "";

static int fail(const char *what, const char *key)
{
    fprintf(stderr, "%s: %s%s%s\n", case_file, what, key ? ": " : "", key ? key : "");
    return -1;
}

/* Decodes a STR (see above) into *out (NULL when the key is absent). */
static int get_str(char **out, const cJSON *obj, const char *key)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 0;
    if (cJSON_IsString(v)) {
        *out = cf_strdup(v->valuestring);
        return *out ? 0 : fail("out of memory", NULL);
    }
    if (!cJSON_IsArray(v))
        return fail("expected a string or an array of strings and bytes", key);
    cf_buf b = {0};
    const cJSON *part;
    cJSON_ArrayForEach(part, v)
    {
        if (cJSON_IsString(part)) {
            cf_buf_puts(&b, part->valuestring);
        } else if (cJSON_IsNumber(part) && part->valueint >= 1 && part->valueint <= 255 &&
                   part->valuedouble == part->valueint) {
            char byte = (char)(unsigned char)part->valueint;
            cf_buf_append(&b, &byte, 1);
        } else {
            cf_buf_free(&b);
            return fail("array parts must be strings or integers 1..255", key);
        }
    }
    *out = cf_buf_take(&b);
    return *out ? 0 : fail("out of memory", NULL);
}

static double get_num(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int build_finding(cf_case_result *c, const cJSON *jf)
{
    char *type = NULL, *message = NULL, *detail = NULL, *kind = NULL;
    int rc = -1;
    if (get_str(&kind, jf, "kind") < 0 || get_str(&type, jf, "type") < 0 ||
        get_str(&message, jf, "message") < 0 || get_str(&detail, jf, "detail") < 0)
        goto done;
    cf_finding_kind k;
    if (!kind || !strcmp(kind, "failure"))
        k = CF_FINDING_FAILURE;
    else if (!strcmp(kind, "error"))
        k = CF_FINDING_ERROR;
    else {
        fail("kind must be \"failure\" or \"error\"", kind);
        goto done;
    }
    cf_case_add_finding(c, k, (int)get_num(jf, "step"), type, detail, "%s", message ? message : "");
    rc = 0;
done:
    free(kind);
    free(type);
    free(message);
    free(detail);
    return rc;
}

static int build_case(cf_case_result *c, const cJSON *jc)
{
    char *outcome = NULL;
    int rc = -1;
    if (get_str(&c->id, jc, "id") < 0 || get_str(&c->title, jc, "title") < 0 ||
        get_str(&c->skip_reason, jc, "skip") < 0 || get_str(&c->transcript, jc, "transcript") < 0 ||
        get_str(&outcome, jc, "outcome") < 0)
        goto done;
    c->seconds = get_num(jc, "seconds");
    c->line = (int)get_num(jc, "line");
    if (c->skip_reason)
        c->outcome = CF_OUTCOME_SKIP;
    const cJSON *jf;
    cJSON_ArrayForEach(jf, cJSON_GetObjectItemCaseSensitive(jc, "findings"))
    {
        if (build_finding(c, jf) < 0)
            goto done;
    }
    if (outcome) {
        static const char *const names[] = {"pass", "fail", "error", "skip"};
        size_t i = 0;
        while (i < 4 && strcmp(outcome, names[i]))
            i++;
        if (i == 4) {
            fail("outcome must be pass, fail, error or skip", outcome);
            goto done;
        }
        c->outcome = (cf_outcome)i;
    }
    rc = 0;
done:
    free(outcome);
    return rc;
}

static int build_report(cf_report *r, const cJSON *doc)
{
    const cJSON *js;
    cJSON_ArrayForEach(js, cJSON_GetObjectItemCaseSensitive(doc, "secrets"))
    {
        if (!cJSON_IsString(js) || cf_secrets_add(js->valuestring) < 0)
            return fail("secrets must be strings", NULL);
    }
    r->seconds = get_num(doc, "seconds");
    if (get_str(&r->timestamp, doc, "timestamp") < 0 || get_str(&r->hostname, doc, "hostname") < 0)
        return -1;
    const cJSON *suites = cJSON_GetObjectItemCaseSensitive(doc, "suites");
    int ns = cJSON_GetArraySize(suites);
    if (ns > 0 && !(r->suites = calloc((size_t)ns, sizeof *r->suites)))
        return fail("out of memory", NULL);
    cJSON_ArrayForEach(js, suites)
    {
        cf_suite_result *s = &r->suites[r->nsuites++];
        if (get_str(&s->name, js, "name") < 0 || get_str(&s->file, js, "file") < 0)
            return -1;
        s->seconds = get_num(js, "seconds");
        const cJSON *cases = cJSON_GetObjectItemCaseSensitive(js, "cases");
        int nc = cJSON_GetArraySize(cases);
        if (nc > 0 && !(s->cases = calloc((size_t)nc, sizeof *s->cases)))
            return fail("out of memory", NULL);
        const cJSON *jc;
        cJSON_ArrayForEach(jc, cases)
        {
            if (build_case(&s->cases[s->ncases++], jc) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- --hostile */

/* Sequences a server could send that break naive XML writers. */
static const char *const hostile[] = {
    "]]>",
    "<![CDATA[x]]>",
    "</system-out><injected/>",
    "\"'&<>&amp;&#0;&#x1;",
    "a\tb\nc\rd\r\ne",
    "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x1b[31mred\x1b[0m\x1f\x7f",
    "\xc2\x80\xc2\x85\xc2\x9f",             /* C1 controls: allowed, kept */
    "\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", /* U+FFFE U+FFFF U+FFFD */
    "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",     /* U+1F600 U+10FFFF */
    "\x80\xbf\xc0\xc1\xf5\xf8\xfc\xfe\xff", /* invalid bytes */
    "\xc0\xaf\xe0\x80\xaf\xf0\x80\x80\xaf", /* overlong "/" */
    "\xed\xa0\x80\xed\xbf\xbf",             /* surrogates */
    "\xf4\x90\x80\x80\xf7\xbf\xbf\xbf",     /* above U+10FFFF */
    "\xe2\x9c",                             /* truncated at the end */
    "\xf0\x9f\x98 \xe2\x9c\x93",
    "",
};

/* A fixed LCG: the hostile report is the same on every run. */
static unsigned long lcg_state = 20261123;
static unsigned lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)(lcg_state >> 33);
}

/* The n-th hostile string: the fixed ones, one with every byte 1..255, then
 * pseudo-random bytes weighted toward controls and non-ASCII. */
static char *hostile_string(size_t n)
{
    size_t nfixed = sizeof hostile / sizeof *hostile;
    if (n < nfixed)
        return cf_strdup(hostile[n]);
    char buf[256];
    if (n == nfixed) {
        for (int i = 1; i < 256; i++)
            buf[i - 1] = (char)i;
        buf[255] = '\0';
        return cf_strdup(buf);
    }
    size_t len = lcg() % 48;
    for (size_t i = 0; i < len; i++) {
        unsigned r = lcg() % 4;
        unsigned c = r == 0 ? lcg() % 0x20 : r == 1 ? 0x80 + lcg() % 0x80 : 0x20 + lcg() % 0x60;
        buf[i] = (char)(c ? c : 'z');
    }
    buf[len] = '\0';
    return cf_strdup(buf);
}

static int build_hostile(cf_report *r)
{
    const size_t nsuites = 4, ncases = 24;
    size_t n = 0;
    r->seconds = 12.5;
    r->timestamp = hostile_string(n++);
    r->hostname = hostile_string(n++);
    if (!(r->suites = calloc(nsuites, sizeof *r->suites)))
        return -1;
    for (size_t i = 0; i < nsuites; i++) {
        cf_suite_result *s = &r->suites[r->nsuites++];
        s->name = hostile_string(n++);
        s->file = hostile_string(n++);
        s->seconds = 1.0 + (double)i;
        if (!(s->cases = calloc(ncases, sizeof *s->cases)))
            return -1;
        for (size_t k = 0; k < ncases; k++) {
            cf_case_result *c = &s->cases[s->ncases++];
            c->id = hostile_string(n++);
            c->title = hostile_string(n++);
            c->seconds = 0.001 * (double)k;
            char *type = hostile_string(n++), *msg = hostile_string(n++),
                 *detail = hostile_string(n++);
            switch (k % 4) {
            case 0:
                break;
            case 1:
                cf_case_add_finding(c, CF_FINDING_FAILURE, (int)k, type, detail, "%s", msg);
                break;
            case 2:
                cf_case_add_finding(c, CF_FINDING_FAILURE, 0, type, NULL, "%s", msg);
                cf_case_add_finding(c, CF_FINDING_ERROR, 1, type, detail, "%s", msg);
                break;
            case 3:
                c->outcome = CF_OUTCOME_SKIP;
                c->skip_reason = hostile_string(n++);
                break;
            }
            free(type);
            free(msg);
            free(detail);
            if (c->outcome == CF_OUTCOME_FAIL || c->outcome == CF_OUTCOME_ERROR)
                c->transcript = hostile_string(n++);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: junit-golden CASE.json OUT.xml | --hostile OUT.xml\n");
        return 2;
    }
    int rc = 1;
    cf_report *r = calloc(1, sizeof *r);
    cJSON *doc = NULL;
    char *text = NULL;
    cf_error *err = NULL;
    if (!r)
        goto done;
    if (!strcmp(argv[1], "--hostile")) {
        case_file = "--hostile";
        if (build_hostile(r) < 0) {
            fail("out of memory", NULL);
            goto done;
        }
    } else {
        case_file = argv[1];
        size_t len = 0;
        if (!(text = cf_read_file(argv[1], &len))) {
            perror(argv[1]);
            goto done;
        }
        if (!(doc = cJSON_ParseWithLength(text, len))) {
            fail("invalid JSON near", cJSON_GetErrorPtr());
            goto done;
        }
        if (build_report(r, doc) < 0)
            goto done;
    }
    if (cf_junit_write(r, argv[2], &err) < 0) {
        cf_error_print(err, stderr);
        goto done;
    }
    rc = 0;
done:
    cf_error_free(err);
    cJSON_Delete(doc);
    free(text);
    cf_report_free(r);
    cf_secrets_reset();
    return rc;
}
