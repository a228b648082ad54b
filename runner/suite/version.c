#include "suite/version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "doc/shape.h"

enum { NUMS = 3 };

typedef struct parsed {
    unsigned long num[NUMS];
    const char *pre; /* after '-', up to '+' or end; NULL when none */
    size_t prelen;
} parsed;

static int parse(const char *s, parsed *p)
{
    memset(p, 0, sizeof *p);
    if (!s)
        return -1;
    if (*s == 'v' || *s == 'V')
        s++;
    for (int i = 0; i < NUMS; i++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        char *end;
        p->num[i] = strtoul(s, &end, 10);
        if (end - s > 9)
            return -1;
        s = end;
        if (*s != '.')
            break;
        if (i == NUMS - 1)
            return -1;
        s++;
    }
    if (*s == '-') {
        p->pre = ++s;
        while (*s && *s != '+')
            s++;
        p->prelen = (size_t)(s - p->pre);
        if (!p->prelen)
            return -1;
    }
    if (*s == '+') {
        if (!s[1])
            return -1;
        s += strlen(s);
    }
    return *s ? -1 : 0;
}

int cf_version_valid(const char *s)
{
    parsed p;
    return parse(s, &p) == 0;
}

/* One dot-separated pre-release identifier against another (semver 11.4). */
static int cmp_ident(const char *a, size_t al, const char *b, size_t bl)
{
    int an = al > 0, bn = bl > 0;
    for (size_t i = 0; i < al; i++)
        an &= isdigit((unsigned char)a[i]) != 0;
    for (size_t i = 0; i < bl; i++)
        bn &= isdigit((unsigned char)b[i]) != 0;
    if (an && bn) {
        unsigned long x = strtoul(a, NULL, 10), y = strtoul(b, NULL, 10);
        return x < y ? -1 : x > y;
    }
    if (an != bn)
        return an ? -1 : 1;
    int c = strncmp(a, b, al < bl ? al : bl);
    return c ? c : (al < bl ? -1 : al > bl);
}

static int cmp_pre(const parsed *x, const parsed *y)
{
    if (!x->pre || !y->pre)
        return x->pre ? -1 : y->pre ? 1 : 0;
    const char *a = x->pre, *ae = x->pre + x->prelen, *b = y->pre, *be = y->pre + y->prelen;
    while (a < ae && b < be) {
        const char *ad = memchr(a, '.', (size_t)(ae - a)), *bd = memchr(b, '.', (size_t)(be - b));
        size_t al = (size_t)((ad ? ad : ae) - a), bl = (size_t)((bd ? bd : be) - b);
        int c = cmp_ident(a, al, b, bl);
        if (c)
            return c;
        a += al + (ad != NULL);
        b += bl + (bd != NULL);
    }
    return a < ae ? 1 : b < be ? -1 : 0;
}

int cf_version_cmp(const char *a, const char *b, int *bad)
{
    parsed x, y;
    if (parse(a, &x) < 0 || parse(b, &y) < 0) {
        if (bad)
            *bad = 1;
        return 0;
    }
    for (int i = 0; i < NUMS; i++)
        if (x.num[i] != y.num[i])
            return x.num[i] < y.num[i] ? -1 : 1;
    return cmp_pre(&x, &y);
}

static const char version_hint[] = "write a version such as 5.0.0, or {COMPONENT: 5.0.0}";

/* A version text from a scalar node (numbers such as 6.4 are accepted as
 * written). NULL after setting err. */
static char *version_text(const cf_doc *doc, const cJSON *node, cf_error **err)
{
    char *t = cJSON_IsString(node) || cJSON_IsNumber(node) ? cf_shape_scalar_text(doc, node) : NULL;
    if (!t) {
        cf_shape_error(doc, node, 0, err, version_hint, "expected a version, got %s",
                       cf_shape_type_name(node));
        return NULL;
    }
    if (!cf_version_valid(t)) {
        cf_shape_error(doc, node, 0, err, "versions are MAJOR.MINOR.PATCH, e.g. 6.4.0",
                       "invalid version '%s'", t);
        free(t);
        return NULL;
    }
    return t;
}

int cf_versions_parse(cf_kvlist *out, const cf_doc *doc, const cJSON *node, cf_error **err)
{
    if (!cJSON_IsObject(node)) {
        char *t = version_text(doc, node, err);
        if (!t)
            return -1;
        int rc = cf_kvlist_set(out, "", t);
        free(t);
        return rc;
    }
    if (!node->child)
        return cf_shape_error(doc, node, 0, err, version_hint, "the version mapping is empty");
    for (const cJSON *c = node->child; c; c = c->next) {
        char *t = version_text(doc, c, err);
        if (!t)
            return -1;
        int rc = cf_kvlist_set(out, c->string, t);
        free(t);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int add_bound(cf_range *r, const char *component, const char *version, int until)
{
    r->bounds = cf_xrealloc(r->bounds, (r->n + 1) * sizeof *r->bounds);
    r->bounds[r->n++] =
        (cf_bound){component ? cf_strdup(component) : NULL, cf_strdup(version), until};
    return 0;
}

int cf_range_parse(cf_range *r, const cf_doc *doc, const cJSON *obj, cf_error **err)
{
    static const char *const keys[] = {"since", "until"};
    for (int k = 0; k < 2; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, keys[k]);
        if (!v)
            continue;
        cf_kvlist l = {0};
        int rc = cf_versions_parse(&l, doc, v, err);
        for (size_t i = 0; rc == 0 && i < l.count; i++)
            rc = add_bound(r, *l.items[i].name ? l.items[i].name : NULL, l.items[i].value, k);
        cf_kvlist_clear(&l);
        if (rc < 0)
            return -1;
    }
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->n; j++) {
            const cf_bound *a = &r->bounds[i], *b = &r->bounds[j];
            int same = (!a->component && !b->component) ||
                       (a->component && b->component && !strcmp(a->component, b->component));
            if (!a->until && b->until && same && cf_version_cmp(a->version, b->version, NULL) >= 0)
                return cf_shape_error(doc, cJSON_GetObjectItemCaseSensitive(obj, "until"), 0, err,
                                      "until is the first version excluded: make it greater "
                                      "than since",
                                      "empty version range: since %s, until %s", a->version,
                                      b->version);
        }
    return 0;
}

/* The version of component (NULL: the primary one) in v, or NULL. */
static const char *version_of(const cf_kvlist *v, const char *component)
{
    if (!v || !v->count)
        return NULL;
    if (!component) {
        const char *plain = cf_kvlist_get(v, "");
        return plain ? plain : v->items[0].value;
    }
    return cf_kvlist_get(v, component);
}

static const char *label(const char *component)
{
    return component ? component : "version";
}

int cf_range_check(const cf_range *r, const cf_kvlist *v, char **why)
{
    *why = NULL;
    for (size_t i = 0; r && i < r->n; i++) {
        const cf_bound *b = &r->bounds[i];
        const char *have = version_of(v, b->component);
        if (!have) {
            *why = cf_asprintf("requires %s %s %s, and the target states no %s%s",
                               label(b->component), b->until ? "<" : ">=", b->version,
                               b->component ? "version of " : "version",
                               b->component ? b->component : "");
            return -1;
        }
        int c = cf_version_cmp(have, b->version, NULL);
        if (b->until ? c >= 0 : c < 0) {
            *why = cf_asprintf("requires %s %s %s, the target has %s", label(b->component),
                               b->until ? "<" : ">=", b->version, have);
            return 0;
        }
    }
    return 1;
}

char *cf_range_describe(const cf_range *r)
{
    cf_buf b = {0};
    for (size_t i = 0; r && i < r->n; i++)
        cf_buf_printf(&b, "%s%s %s %s", i ? ", " : "", label(r->bounds[i].component),
                      r->bounds[i].until ? "<" : ">=", r->bounds[i].version);
    return cf_buf_take(&b);
}

void cf_range_clear(cf_range *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->bounds[i].component);
        free(r->bounds[i].version);
    }
    free(r->bounds);
    r->bounds = NULL;
    r->n = 0;
}
