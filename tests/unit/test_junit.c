/* junit: escaping of hostile strings, counts, times, document layout and the
 * atomic file write. The escaper is reached through cf_junit_write_stream():
 * a string is put in one attribute (a case id) or one text node (a
 * transcript) and the bytes between the delimiters are compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/junit.h"
#include "engine/result.h"
#include "base/secrets.h"
#include "base/util.h"

#define FFFD "\xEF\xBF\xBD"

/* ------------------------------------------------------------- builders */

static cf_report *report_new(void)
{
    cf_report *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->timestamp = cf_strdup("2026-11-23T10:00:00");
    r->hostname = cf_strdup("ci");
    return r;
}

static cf_suite_result *add_suite(cf_report *r, const char *name)
{
    cf_suite_result *grown = realloc(r->suites, (r->nsuites + 1) * sizeof *grown);
    assert_non_null(grown);
    r->suites = grown;
    cf_suite_result *s = &r->suites[r->nsuites++];
    *s = (cf_suite_result){0};
    s->name = cf_strdup(name);
    return s;
}

/* The pointer is valid until the next add_case on the same suite. */
static cf_case_result *add_case(cf_suite_result *s, const char *id, cf_outcome o)
{
    cf_case_result *grown = realloc(s->cases, (s->ncases + 1) * sizeof *grown);
    assert_non_null(grown);
    s->cases = grown;
    cf_case_result *c = &s->cases[s->ncases++];
    *c = (cf_case_result){0};
    c->id = cf_strdup(id);
    c->outcome = o;
    return c;
}

static char *render(const cf_report *r)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    assert_non_null(f);
    cf_error *err = NULL;
    int rc = cf_junit_write_stream(r, f, &err);
    fclose(f);
    assert_int_equal(rc, 0);
    assert_null(err);
    assert_int_equal(strlen(data), len);
    return data;
}

/* The bytes between open and the next close after it, as a new string. */
static char *between(const char *doc, const char *open, const char *close)
{
    const char *a = strstr(doc, open);
    assert_non_null(a);
    a += strlen(open);
    const char *b = strstr(a, close);
    assert_non_null(b);
    return cf_strndup(a, (size_t)(b - a));
}

/* s as the writer puts it in an attribute (the testcase name). */
static char *in_attr(const char *s)
{
    cf_report *r = report_new();
    add_case(add_suite(r, "S"), s, CF_OUTCOME_PASS);
    char *doc = render(r);
    /* An escaped value never holds a raw '"', so the first '" time=' ends it. */
    char *v = between(doc, "<testcase classname=\"S\" name=\"", "\" time=");
    free(doc);
    cf_report_free(r);
    return v;
}

/* s as the writer puts it in element text (the transcript of a failed case). */
static char *in_text(const char *s)
{
    cf_report *r = report_new();
    cf_case_result *c = add_case(add_suite(r, "S"), "c", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "status", NULL, "m");
    c->transcript = cf_strdup(s);
    char *doc = render(r);
    /* An escaped text never holds a raw '<', so the first "</" ends it. */
    char *v = between(doc, "<system-out>", "</system-out>");
    free(doc);
    cf_report_free(r);
    return v;
}

#define assert_attr(input, expected)                                                               \
    do {                                                                                           \
        char *got_ = in_attr(input);                                                               \
        assert_string_equal(got_, expected);                                                       \
        free(got_);                                                                                \
    } while (0)
#define assert_text(input, expected)                                                               \
    do {                                                                                           \
        char *got_ = in_text(input);                                                               \
        assert_string_equal(got_, expected);                                                       \
        free(got_);                                                                                \
    } while (0)
#define assert_both(input, expected)                                                               \
    do {                                                                                           \
        assert_attr(input, expected);                                                              \
        assert_text(input, expected);                                                              \
    } while (0)

/* ------------------------------------------------------------- escaping */

static void markup_characters_become_entities(void **state)
{
    assert_both("a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    assert_both("&amp;&#0;", "&amp;amp;&amp;#0;");
    (void)state;
}

static void cdata_end_and_closing_tags_cannot_escape(void **state)
{
    assert_both("]]>", "]]&gt;");
    assert_both("x]]></system-out><injected/><![CDATA[",
                "x]]&gt;&lt;/system-out&gt;&lt;injected/&gt;&lt;![CDATA[");
    (void)state;
}

static void whitespace_survives_normalisation(void **state)
{
    /* Attribute normalisation would turn \t \n \r into spaces. */
    assert_attr("a\tb\nc\rd\r\ne", "a&#9;b&#10;c&#13;d&#13;&#10;e");
    /* End-of-line handling would turn \r and \r\n into \n, in text too. */
    assert_text("a\tb\nc\rd\r\ne", "a\tb\nc&#13;d&#13;\ne");
    (void)state;
}

static void forbidden_controls_become_visible_text(void **state)
{
    assert_both("\x01|\x08|\x0b|\x0c|\x0e|\x1b[31m|\x1f",
                "\\x01|\\x08|\\x0b|\\x0c|\\x0e|\\x1b[31m|\\x1f");
    /* DEL and C1 controls are XML 1.0 characters: kept. */
    assert_both("\x7f|\xc2\x80|\xc2\x85|\xc2\x9f", "\x7f|\xc2\x80|\xc2\x85|\xc2\x9f");
    /* U+FFFE and U+FFFF are not; U+FFFD and plane-1 noncharacters are. */
    assert_both("\xef\xbf\xbe|\xef\xbf\xbf|" FFFD "|\xf0\x9f\xbf\xbe",
                "\\uFFFE|\\uFFFF|" FFFD "|\xf0\x9f\xbf\xbe");
    (void)state;
}

static void valid_utf8_is_kept_intact(void **state)
{
    /* 2, 3 and 4 bytes, the first and last code points of each length. */
    assert_both("\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", "\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
    assert_both(
        "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
        "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
    (void)state;
}

static void stray_and_impossible_bytes_become_fffd(void **state)
{
    assert_both("a\x80"
                "b\xbf"
                "c",
                "a" FFFD "b" FFFD "c");
    /* C0, C1 (always overlong) and F5..FF can never start a sequence. */
    assert_both("\xc0\xc1\xf5\xf8\xfc\xfe\xff", FFFD FFFD FFFD FFFD FFFD FFFD FFFD);
    (void)state;
}

static void overlongs_become_fffd(void **state)
{
    /* "/" encoded in 2, 3 and 4 bytes: one U+FFFD per byte (no byte after
     * the lead is a valid continuation for it). */
    assert_both("\xc0\xaf", FFFD FFFD);
    assert_both("\xe0\x80\xaf", FFFD FFFD FFFD);
    assert_both("\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD);
    assert_both("\xe0\x9f\xbf|\xf0\x8f\xbf\xbf", FFFD FFFD FFFD "|" FFFD FFFD FFFD FFFD);
    (void)state;
}

static void surrogates_become_fffd(void **state)
{
    assert_both("\xed\xa0\x80", FFFD FFFD FFFD);
    assert_both("\xed\xbf\xbf", FFFD FFFD FFFD);
    /* A CESU-8 pair is two surrogates, not U+1F600. */
    assert_both("\xed\xa0\xbd\xed\xb8\x80", FFFD FFFD FFFD FFFD FFFD FFFD);
    (void)state;
}

static void code_points_above_10ffff_become_fffd(void **state)
{
    assert_both("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
    assert_both("\xf7\xbf\xbf\xbf", FFFD FFFD FFFD FFFD);
    (void)state;
}

static void truncated_sequences_become_one_fffd(void **state)
{
    /* One U+FFFD per maximal subpart; the byte that broke it is read anew. */
    assert_both("\xe2\x9cx", FFFD "x");
    assert_both("\xe2\x9c\xe2\x9c\x93", FFFD "\xe2\x9c\x93");
    assert_both("\xf0\x9f\x98 ", FFFD " ");
    assert_both("\xc3<", FFFD "&lt;");
    /* At the very end of the string: nothing is read past the NUL. */
    assert_both("end\xf0\x9f\x98", "end" FFFD);
    assert_both("end\xe2", "end" FFFD);
    (void)state;
}

static void empty_strings_give_empty_values(void **state)
{
    assert_both("", "");
    cf_report *r = report_new();
    cf_case_result *c = add_case(add_suite(r, ""), "", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "", "", "%s", "");
    char *doc = render(r);
    assert_non_null(strstr(doc, "<testcase classname=\"\" name=\"\" time=\"0.000\">\n"
                                "      <failure type=\"\" message=\"\"></failure>\n"
                                "    </testcase>\n"));
    free(doc);
    cf_report_free(r);
    (void)state;
}

static void secrets_are_redacted_everywhere(void **state)
{
    assert_int_equal(cf_secrets_add("hunter2&"), 0);
    assert_both("token=hunter2&x", "token=***x");
    cf_report *r = report_new();
    free(r->hostname);
    r->hostname = cf_strdup("hunter2&.example");
    cf_suite_result *s = add_suite(r, "suite hunter2&");
    s->file = cf_strdup("hunter2&.yaml");
    cf_case_result *c = add_case(s, "SKIP", CF_OUTCOME_SKIP);
    c->skip_reason = cf_strdup("no hunter2&");
    char *doc = render(r);
    assert_null(strstr(doc, "hunter2"));
    assert_non_null(strstr(doc, "hostname=\"***.example\" file=\"***.yaml\""));
    assert_non_null(strstr(doc, "<skipped message=\"no ***\"/>"));
    free(doc);
    cf_report_free(r);
    cf_secrets_reset();
    (void)state;
}

/* ------------------------------------------------------------- document */

static void document_layout_is_exact(void **state)
{
    cf_report *r = report_new();
    r->seconds = 2.5;
    cf_suite_result *s = add_suite(r, "Rasa");
    s->file = cf_strdup("suites/rasa.yaml");
    s->seconds = 2.25;
    cf_case_result *c = add_case(s, "ok", CF_OUTCOME_PASS);
    c->seconds = 0.5;
    c = add_case(s, "close", CF_OUTCOME_PASS);
    c->seconds = 1.75;
    c->transcript = cf_strdup("< HTTP/1.1 200\n");
    cf_case_add_finding(c, CF_FINDING_FAILURE, 2, "example", "/msg: missing", "example: %s",
                        "/msg: missing");
    cf_case_add_finding(c, CF_FINDING_ERROR, 0, "capture", NULL, "capture: %s", "x");
    c = add_case(s, "later", CF_OUTCOME_SKIP);
    c->skip_reason = cf_strdup("needs agent");
    char *doc = render(r);
    assert_string_equal(
        doc,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"conform\" tests=\"3\" failures=\"0\" errors=\"1\" time=\"2.500\">\n"
        "  <testsuite name=\"Rasa\" tests=\"3\" failures=\"0\" errors=\"1\" skipped=\"1\" "
        "time=\"2.250\" timestamp=\"2026-11-23T10:00:00\" hostname=\"ci\" "
        "file=\"suites/rasa.yaml\">\n"
        "    <testcase classname=\"Rasa\" name=\"ok\" time=\"0.500\"/>\n"
        "    <testcase classname=\"Rasa\" name=\"close\" time=\"1.750\">\n"
        "      <failure type=\"example\" message=\"example: /msg: missing\">"
        "example: /msg: missing\n/msg: missing\n(step 2)</failure>\n"
        "      <error type=\"capture\" message=\"capture: x\">capture: x</error>\n"
        "      <system-out>&lt; HTTP/1.1 200\n</system-out>\n"
        "    </testcase>\n"
        "    <testcase classname=\"Rasa\" name=\"later\" time=\"0.000\">\n"
        "      <skipped message=\"needs agent\"/>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    /* Deterministic: the same report gives the same bytes. */
    char *again = render(r);
    assert_string_equal(doc, again);
    free(again);
    free(doc);
    cf_report_free(r);
    (void)state;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void counts_per_suite_and_total(void **state)
{
    cf_report *r = report_new();
    cf_suite_result *a = add_suite(r, "a");
    add_case(a, "p1", CF_OUTCOME_PASS);
    add_case(a, "s1", CF_OUTCOME_SKIP);
    cf_case_result *c = add_case(a, "f1", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 1, "status", NULL, "one");
    cf_case_add_finding(c, CF_FINDING_FAILURE, 1, "body", NULL, "two");
    c = add_case(a, "e1", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 1, "status", NULL, "one");
    cf_case_add_finding(c, CF_FINDING_ERROR, 2, "timeout", NULL, "two");
    cf_suite_result *b = add_suite(r, "b");
    c = add_case(b, "f2", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "status", NULL, "x");
    add_case(b, "s2", CF_OUTCOME_SKIP);
    add_case(b, "s3", CF_OUTCOME_SKIP);
    add_suite(r, "empty");
    char *doc = render(r);
    assert_non_null(strstr(doc, "<testsuites name=\"conform\" tests=\"7\" failures=\"2\" "
                                "errors=\"1\" time=\"0.000\">\n"));
    assert_non_null(strstr(doc, "<testsuite name=\"a\" tests=\"4\" failures=\"1\" errors=\"1\" "
                                "skipped=\"1\" "));
    assert_non_null(strstr(doc, "<testsuite name=\"b\" tests=\"3\" failures=\"1\" errors=\"0\" "
                                "skipped=\"2\" "));
    assert_non_null(strstr(doc, "<testsuite name=\"empty\" tests=\"0\" failures=\"0\" "
                                "errors=\"0\" skipped=\"0\" time=\"0.000\" "
                                "timestamp=\"2026-11-23T10:00:00\" hostname=\"ci\"/>\n"));
    /* One element per finding and per skip; they agree with cf_report_totals. */
    cf_totals t = cf_report_totals(r);
    assert_int_equal(t.tests, 7);
    assert_int_equal(count(doc, "<testcase "), 7);
    assert_int_equal(count(doc, "<failure "), 4);
    assert_int_equal(count(doc, "<error "), 1);
    assert_int_equal(count(doc, "<skipped"), t.skipped);
    /* The Jenkins schema has no skipped= on <testsuites>. */
    char *top = between(doc, "<testsuites", ">");
    assert_null(strstr(top, "skipped"));
    free(top);
    free(doc);
    cf_report_free(r);
    (void)state;
}

/* Known deviations (runner/ledger/): a case whose findings are all known is
 * one <skipped> naming the reason, findings in its text, counted as skipped
 * by JUnit and as known by the totals; one unknown finding still fails it. */
static void known_deviations_are_skipped_with_their_findings(void **state)
{
    cf_report *r = report_new();
    cf_suite_result *s = add_suite(r, "s");
    cf_case_result *c = add_case(s, "known", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "status", NULL, "status: expected 401, got 200");
    c->findings[0].known = cf_strdup("no credential check");
    c->findings[0].known_at = cf_strdup("dev.yaml:3");
    c = add_case(s, "partly", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "status", NULL, "status: expected 200, got 500");
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "schema", NULL, "/x: missing");
    c->findings[0].known = cf_strdup("department setting empty");
    assert_int_equal(cf_case_outcome(&s->cases[0]), CF_OUTCOME_KNOWN);
    assert_int_equal(cf_case_outcome(&s->cases[1]), CF_OUTCOME_FAIL);
    cf_totals t = cf_report_totals(r);
    assert_int_equal(t.known, 1);
    assert_int_equal(t.failures, 1);
    assert_int_equal(t.skipped, 0);
    char *doc = render(r);
    assert_non_null(strstr(doc, "skipped=\"1\""));
    assert_non_null(strstr(doc, "<skipped message=\"known deviation: no credential check\">"
                                "failure status: status: expected 401, got 200 (known: "
                                "dev.yaml:3)</skipped>"));
    assert_int_equal(count(doc, "<failure "), 2);
    assert_non_null(strstr(doc, ">(known deviation, ledger) status: expected 200"));
    free(doc);
    cf_report_free(r);
    (void)state;
}

static void transcripts_only_for_failed_and_errored_cases(void **state)
{
    cf_report *r = report_new();
    cf_suite_result *s = add_suite(r, "s");
    add_case(s, "pass", CF_OUTCOME_PASS)->transcript = cf_strdup("P");
    add_case(s, "skip", CF_OUTCOME_SKIP)->transcript = cf_strdup("S");
    cf_case_result *c = add_case(s, "fail", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 0, "status", NULL, "x");
    c->transcript = cf_strdup("F");
    c = add_case(s, "error", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_ERROR, 0, "connect", NULL, "x");
    c->transcript = cf_strdup("E");
    char *doc = render(r);
    assert_int_equal(count(doc, "<system-out>"), 2);
    assert_non_null(strstr(doc, "<system-out>F</system-out>"));
    assert_non_null(strstr(doc, "<system-out>E</system-out>"));
    free(doc);
    cf_report_free(r);
    (void)state;
}

static void times_have_three_decimals(void **state)
{
    static const struct {
        double in;
        const char *out;
    } cases[] = {
        {0, "0.000"},        {0.0004, "0.000"},
        {0.0006, "0.001"},   {1.23456, "1.235"},
        {59.9999, "60.000"}, {1234.5, "1234.500"},
        {-1, "0.000"},       {1e300, "1000000000000000.000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cf_report *r = report_new();
        add_case(add_suite(r, "S"), "c", CF_OUTCOME_PASS)->seconds = cases[i].in;
        char *doc = render(r);
        char *t = between(doc, "name=\"c\" time=\"", "\"");
        assert_string_equal(t, cases[i].out);
        free(t);
        free(doc);
        cf_report_free(r);
    }
    /* NaN and infinities: no sign, no "nan" (the schema's pattern allows neither). */
    double odd[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        cf_report *r = report_new();
        r->seconds = odd[i];
        char *doc = render(r);
        assert_non_null(strstr(doc, " time=\"0.000\"/>"));
        free(doc);
        cf_report_free(r);
    }
    (void)state;
}

static void optional_attributes_are_left_out(void **state)
{
    cf_report *r = calloc(1, sizeof *r);
    assert_non_null(r);
    cf_suite_result *s = add_suite(r, NULL);
    cf_case_result *c = add_case(s, NULL, CF_OUTCOME_SKIP);
    (void)c;
    char *doc = render(r);
    assert_non_null(strstr(doc, "  <testsuite name=\"\" tests=\"1\" failures=\"0\" errors=\"0\" "
                                "skipped=\"1\" time=\"0.000\">\n"
                                "    <testcase classname=\"\" name=\"\" time=\"0.000\">\n"
                                "      <skipped/>\n"));
    free(doc);
    cf_report_free(r);
    (void)state;
}

static void stream_write_errors_are_reported(void **state)
{
    FILE *full = fopen("/dev/full", "w");
    if (!full) {
        skip();
        return;
    }
    cf_report *r = report_new();
    cf_error *err = NULL;
    assert_int_equal(cf_junit_write_stream(r, full, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err->message, strerror(ENOSPC)));
    cf_error_free(err);
    fclose(full);
    cf_report_free(r);
    (void)state;
}

/* ------------------------------------------------------------- atomic write */

typedef struct {
    char dir[64];
} tmpdir;

static int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return 0;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char *sub = cf_asprintf("%s/%s", path, e->d_name);
                rm_rf(sub);
                free(sub);
            }
            closedir(d);
        }
        return rmdir(path);
    }
    return unlink(path);
}

static int setup_tmp(void **state)
{
    tmpdir *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/conform-junit-XXXXXX",
             base && *base && strlen(base) < 32 ? base : "/tmp");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown_tmp(void **state)
{
    tmpdir *t = *state;
    rm_rf(t->dir);
    free(t);
    return 0;
}

/* The names in dir, sorted and joined by spaces ("" when empty). */
static char *listing(const char *dir)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    cf_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            cf_buf_printf(&b, "%s%s", b.len ? " " : "", names[i]->d_name);
        free(names[i]);
    }
    free(names);
    return cf_buf_take(&b);
}

static char *slurp(const char *path)
{
    size_t len = 0;
    char *s = cf_read_file(path, &len);
    assert_non_null(s);
    return s;
}

static void put_file(const char *path, const char *content)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    assert_int_equal(fclose(f), 0);
}

static cf_report *sample_report(void)
{
    cf_report *r = report_new();
    cf_case_result *c = add_case(add_suite(r, "S"), "c", CF_OUTCOME_PASS);
    cf_case_add_finding(c, CF_FINDING_FAILURE, 1, "status", "a detail long enough to matter",
                        "status: expected 200, got 500");
    c->transcript = cf_strdup("< HTTP/1.1 500\n< a transcript of some length\n");
    return r;
}

static void writes_the_file_and_creates_parents(void **state)
{
    tmpdir *t = *state;
    cf_report *r = sample_report();
    char *path = cf_asprintf("%s/a/b/junit.xml", t->dir);
    cf_error *err = NULL;
    mode_t old = umask(027);
    int rc = cf_junit_write(r, path, &err);
    umask(old);
    assert_int_equal(rc, 0);
    assert_null(err);
    char *got = slurp(path), *want = render(r);
    assert_string_equal(got, want);
    char *dir = cf_asprintf("%s/a/b", t->dir), *names = listing(dir);
    assert_string_equal(names, "junit.xml"); /* no temporary file left */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* 0666 minus the umask, not mkstemp's 0600 */
    free(names);
    free(dir);
    free(want);
    free(got);
    free(path);
    cf_report_free(r);
}

static void replaces_an_existing_report_keeping_its_mode(void **state)
{
    tmpdir *t = *state;
    cf_report *r = sample_report();
    char *path = cf_asprintf("%s/junit.xml", t->dir);
    put_file(path, "OLD");
    assert_int_equal(chmod(path, 0604), 0);
    cf_error *err = NULL;
    assert_int_equal(cf_junit_write(r, path, &err), 0);
    char *got = slurp(path), *want = render(r);
    assert_string_equal(got, want);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0604);
    char *names = listing(t->dir);
    assert_string_equal(names, "junit.xml");
    free(names);
    free(want);
    free(got);
    free(path);
    cf_report_free(r);
}

/* A write that fails half way (the file size limit stands in for a full disk,
 * and works as root too) leaves the old report untouched and no temporary
 * file behind. */
static void failed_write_leaves_target_untouched(void **state)
{
    tmpdir *t = *state;
    cf_report *r = sample_report();
    char *path = cf_asprintf("%s/junit.xml", t->dir);
    put_file(path, "OLD");
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 64;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    cf_error *err = NULL;
    int rc = cf_junit_write(r, path, &err);
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -1);
    assert_non_null(err);
    assert_string_equal(err->file, path);
    assert_non_null(strstr(err->message, strerror(EFBIG)));
    assert_non_null(err->hint);
    char *line = cf_error_format(err);
    assert_non_null(strstr(line, path));
    assert_non_null(strstr(line, "(hint: "));
    char *got = slurp(path), *names = listing(t->dir);
    assert_string_equal(got, "OLD");
    assert_string_equal(names, "junit.xml");
    free(names);
    free(got);
    free(line);
    cf_error_free(err);
    free(path);
    cf_report_free(r);
}

static void unwritable_directory_is_reported(void **state)
{
    tmpdir *t = *state;
    if (geteuid() == 0) {
        /* Root writes to a 0555 directory anyway: covered by the rlimit test. */
        skip();
        return;
    }
    cf_report *r = sample_report();
    char *dir = cf_asprintf("%s/ro", t->dir), *path = cf_asprintf("%s/junit.xml", dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    put_file(path, "OLD");
    assert_int_equal(chmod(dir, 0555), 0);
    cf_error *err = NULL;
    assert_int_equal(cf_junit_write(r, path, &err), -1);
    chmod(dir, 0755);
    assert_non_null(strstr(err->message, strerror(EACCES)));
    assert_string_equal(err->file, path);
    char *got = slurp(path), *names = listing(dir);
    assert_string_equal(got, "OLD");
    assert_string_equal(names, "junit.xml");
    free(names);
    free(got);
    cf_error_free(err);
    free(path);
    free(dir);
    cf_report_free(r);
}

static void parent_that_is_a_file_is_reported(void **state)
{
    tmpdir *t = *state;
    cf_report *r = sample_report();
    char *file = cf_asprintf("%s/reports", t->dir), *path = cf_asprintf("%s/x/junit.xml", file);
    put_file(file, "a file, not a directory");
    cf_error *err = NULL;
    assert_int_equal(cf_junit_write(r, path, &err), -1);
    assert_string_equal(err->file, path);
    assert_non_null(strstr(err->message, "cannot create directory"));
    assert_non_null(strstr(err->message, strerror(ENOTDIR)));
    assert_non_null(err->hint);
    char *got = slurp(file), *names = listing(t->dir);
    assert_string_equal(got, "a file, not a directory");
    assert_string_equal(names, "reports");
    free(names);
    free(got);
    cf_error_free(err);
    free(path);
    free(file);
    cf_report_free(r);
}

/* The temporary file is complete when rename() refuses: it must go. */
static void target_that_is_a_directory_is_reported(void **state)
{
    tmpdir *t = *state;
    cf_report *r = sample_report();
    char *path = cf_asprintf("%s/junit.xml", t->dir), *inner = cf_asprintf("%s/keep", path);
    assert_int_equal(mkdir(path, 0755), 0);
    put_file(inner, "kept");
    cf_error *err = NULL;
    assert_int_equal(cf_junit_write(r, path, &err), -1);
    assert_string_equal(err->file, path);
    assert_non_null(strstr(err->message, strerror(EISDIR)));
    char *names = listing(t->dir), *got = slurp(inner);
    assert_string_equal(names, "junit.xml");
    assert_string_equal(got, "kept");
    free(got);
    free(names);
    cf_error_free(err);
    free(inner);
    free(path);
    cf_report_free(r);
}

static void bad_paths_are_refused(void **state)
{
    tmpdir *t = *state;
    cf_report *r = sample_report();
    char *path = cf_asprintf("%s/dir/", t->dir);
    cf_error *err = NULL;
    assert_int_equal(cf_junit_write(r, path, &err), -1);
    assert_non_null(strstr(err->message, "names a directory"));
    cf_error_free(err);
    err = NULL;
    assert_int_equal(cf_junit_write(r, "", &err), -1);
    assert_non_null(err);
    cf_error_free(err);
    char *names = listing(t->dir);
    assert_string_equal(names, "");
    free(names);
    free(path);
    cf_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markup_characters_become_entities),
        cmocka_unit_test(cdata_end_and_closing_tags_cannot_escape),
        cmocka_unit_test(whitespace_survives_normalisation),
        cmocka_unit_test(forbidden_controls_become_visible_text),
        cmocka_unit_test(valid_utf8_is_kept_intact),
        cmocka_unit_test(stray_and_impossible_bytes_become_fffd),
        cmocka_unit_test(overlongs_become_fffd),
        cmocka_unit_test(surrogates_become_fffd),
        cmocka_unit_test(code_points_above_10ffff_become_fffd),
        cmocka_unit_test(truncated_sequences_become_one_fffd),
        cmocka_unit_test(empty_strings_give_empty_values),
        cmocka_unit_test(secrets_are_redacted_everywhere),
        cmocka_unit_test(document_layout_is_exact),
        cmocka_unit_test(counts_per_suite_and_total),
        cmocka_unit_test(transcripts_only_for_failed_and_errored_cases),
        cmocka_unit_test(known_deviations_are_skipped_with_their_findings),
        cmocka_unit_test(times_have_three_decimals),
        cmocka_unit_test(optional_attributes_are_left_out),
        cmocka_unit_test(stream_write_errors_are_reported),
        cmocka_unit_test_setup_teardown(writes_the_file_and_creates_parents, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(replaces_an_existing_report_keeping_its_mode, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(failed_write_leaves_target_untouched, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(unwritable_directory_is_reported, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(parent_that_is_a_file_is_reported, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(target_that_is_a_directory_is_reported, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(bad_paths_are_refused, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
