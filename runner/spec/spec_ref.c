#include "spec/spec_ref.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "doc/jsonptr.h"
#include "base/util.h"
#include "doc/json.h"
#include "doc/yamldoc.h"

/* Longest $ref chain followed; deeper chains are reported, not walked. */
#define MAX_CHAIN 32

typedef struct fs_file {
    char *key; /* realpath, or the normalized path when realpath fails */
    cf_doc *doc;
} fs_file;

struct cf_fileset {
    fs_file *files;
    size_t count, cap;
    int frozen;
};

int cf_ref_error_at(cf_error **err, const cf_doc *doc, const cJSON *node, int at_key,
                    const char *hint, const char *fmt, ...)
{
    cf_mark m = {0, 0};
    if (doc && node)
        m = at_key ? cf_doc_key_mark(doc, node) : cf_doc_mark(doc, node);
    va_list ap;
    va_start(ap, fmt);
    cf_error_setv(err, doc ? doc->name : NULL, m.line, m.column, hint, fmt, ap);
    va_end(ap);
    return -1;
}

int cf_fileset_new(cf_fileset **out)
{
    *out = cf_xcalloc(1, sizeof **out);
    return *out ? 0 : -1;
}

void cf_fileset_free(cf_fileset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->count; i++) {
        free(fs->files[i].key);
        cf_doc_free(fs->files[i].doc);
    }
    free(fs->files);
    free(fs);
}

void cf_fileset_freeze(cf_fileset *fs)
{
    fs->frozen = 1;
}

/* rel resolved against the directory of the file named from_name. */
static char *path_join(const char *from_name, const char *rel)
{
    const char *slash = strrchr(from_name, '/');
    if (!slash)
        return cf_path_normalize(rel);
    char *dir =
        slash == from_name ? cf_strdup("/") : cf_strndup(from_name, (size_t)(slash - from_name));
    char *path = cf_path_join(dir, rel);
    free(dir);
    return path;
}

/* A file whose first character (after blanks and a BOM) is '{' or '[' is
 * JSON and goes to the JSON parser (strict, surrogate pairs, exact
 * positions); anything else to libyaml, which rejects some valid JSON
 * (\ud83d\udc4d surrogate escapes). */
static int load_any(cf_doc **out, const char *path, cf_error **err)
{
    size_t len = 0;
    char *text = cf_read_file(path, &len);
    if (!text)
        return cf_error_set(err, path, 0, 0, "check the path", "cannot read file: %s",
                            cf_read_strerror(errno));
    size_t i = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    int rc = i < len && (text[i] == '{' || text[i] == '[')
                 ? cf_json_parse(out, text, len, path, err)
                 : cf_yaml_load_string(out, text, len, path, err);
    free(text);
    return rc;
}

int cf_fileset_load(const cf_doc **out, cf_fileset *fs, const char *path, cf_error **err)
{
    char resolved[PATH_MAX];
    char *key = realpath(path, resolved) ? cf_strdup(resolved) : cf_path_normalize(path);
    for (size_t i = 0; i < fs->count; i++) {
        if (!strcmp(fs->files[i].key, key)) {
            free(key);
            *out = fs->files[i].doc;
            return 0;
        }
    }
    if (fs->frozen) {
        free(key);
        return cf_error_set(err, path, 0, 0, NULL,
                            "internal error: %s was not loaded with the spec", path);
    }
    fs->files = cf_xgrow(fs->files, &fs->cap, fs->count + 1, sizeof *fs->files);
    cf_doc *doc = NULL;
    if (load_any(&doc, path, err) < 0) {
        free(key);
        return -1;
    }
    if (!doc->root) {
        cf_doc_free(doc);
        free(key);
        return cf_error_set(err, path, 0, 0, "a spec file holds one YAML or JSON document",
                            "the file is empty");
    }
    fs->files[fs->count++] = (fs_file){key, doc};
    *out = doc;
    return 0;
}

const cJSON *cf_ref_of(const cJSON *node)
{
    if (!cJSON_IsObject(node))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(node, "$ref");
}

/* Nonzero when ref starts with a URI scheme ("https:", "urn:"). */
static int has_scheme(const char *ref, size_t *len)
{
    if (!isalpha((unsigned char)ref[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)ref[i]) || ref[i] == '+' || ref[i] == '-' || ref[i] == '.')
        i++;
    if (ref[i] != ':')
        return 0;
    *len = i;
    return 1;
}

/* Depth-first search for a "$ref" member whose value is ref. */
static const cJSON *find_ref_node(const cJSON *node, const char *ref)
{
    for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (c->string && !strcmp(c->string, "$ref") && cJSON_IsString(c) &&
            !strcmp(c->valuestring, ref))
            return c;
        const cJSON *hit = find_ref_node(c, ref);
        if (hit)
            return hit;
    }
    return NULL;
}

/* The hint for a missing member tok of container: a near key, or the keys. */
static char *missing_hint(const cJSON *container, const char *tok, const char *ref,
                          size_t tok_offset_in_ref)
{
    if (!cJSON_IsObject(container))
        return NULL;
    const char *keys[256];
    size_t n = 0;
    for (const cJSON *c = container->child; c && n < 256; c = c->next)
        keys[n++] = c->string;
    if (n == 0)
        return cf_strdup("that object is empty");
    const char *near = cf_did_you_mean(tok, keys, n);
    if (near) {
        /* The same ref with the near key in place of tok (escaped). */
        char *esc = cf_jsonptr_append("", near);
        char *hint =
            esc ? cf_asprintf("did you mean '%.*s%s'?", (int)tok_offset_in_ref, ref, esc + 1)
                : NULL;
        free(esc);
        return hint;
    }
    if (n > 12)
        return NULL;
    cf_buf b = {0};
    cf_buf_puts(&b, "it has ");
    for (size_t i = 0; i < n; i++)
        cf_buf_printf(&b, "%s'%s'", i ? ", " : "", keys[i]);
    return cf_buf_take(&b);
}

/* A $ref being resolved. at is where it is written, for messages only:
 * searched for (a walk of the whole document) only when there is something
 * to report. */
typedef struct refctx {
    const cf_doc *from;
    const char *ref;
    const cJSON *at;
} refctx;

static const cJSON *ref_at(refctx *r)
{
    if (!r->at)
        r->at = find_ref_node(r->from->root, r->ref);
    return r->at;
}

/* A ref with a URI scheme (slen bytes): conform reads local files only. */
static int scheme_error(refctx *r, size_t slen, cf_error **err)
{
    if ((slen == 4 && !strncasecmp(r->ref, "http", 4)) ||
        (slen == 5 && !strncasecmp(r->ref, "https", 5)))
        return cf_ref_error_at(err, r->from, ref_at(r), 0,
                               "conform reads only local files: save the document next to the "
                               "spec and refer to it by a relative path",
                               "remote $ref '%s' is not supported", r->ref);
    return cf_ref_error_at(err, r->from, ref_at(r), 0,
                           "write '#/components/...' or a relative file path such as "
                           "'common.yaml#/components/schemas/Name'",
                           "$ref '%s' is not supported: its scheme '%.*s:' is not a local "
                           "file reference",
                           r->ref, (int)slen, r->ref);
}

/* Loads the file the first file_len bytes of the ref name (relative to the
 * file holding the ref) into *doc. The document is untrusted: a $ref may
 * name only a regular file, never a device or FIFO that blocks or never
 * ends (/dev/zero, /dev/tty). */
static int load_ref_file(refctx *r, cf_fileset *fs, size_t file_len, const cf_doc **doc,
                         cf_error **err)
{
    char *file = cf_percent_decode(r->ref, file_len, NULL);
    char *path = path_join(r->from->name, file);
    free(file);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        cf_ref_error_at(err, r->from, ref_at(r), 0, "a $ref names a document file",
                        "$ref '%s' does not resolve: %s is not a regular file", r->ref, path);
        free(path);
        return -1;
    }
    cf_error *le = NULL;
    int rc = cf_fileset_load(doc, fs, path, &le);
    if (rc < 0 && le && le->line > 0) {
        /* A syntax error inside the other file: its own location says most. */
        if (err && !*err)
            *err = le;
        else
            cf_error_free(le);
    } else if (rc < 0) {
        cf_ref_error_at(err, r->from, ref_at(r), 0,
                        "paths in $ref are relative to the file that holds the $ref",
                        "$ref '%s' does not resolve: %s: %s", r->ref, path,
                        le && le->message ? le->message : "cannot read the file");
        cf_error_free(le);
    }
    free(path);
    return rc;
}

/* The member or element tok of node, or NULL. */
static const cJSON *step_into(const cf_doc *doc, const cJSON *node, const char *tok)
{
    if (cJSON_IsObject(node))
        return cf_doc_member(doc, node, tok);
    if (!cJSON_IsArray(node))
        return NULL;
    size_t idx;
    if (cf_jsonptr_token_index(tok, &idx) == 0 && idx <= INT_MAX)
        return cJSON_GetArrayItem(node, (int)idx);
    return NULL;
}

/* Token tok is not in node (reached at ptr of doc); off is the token's
 * offset inside the ref, or 0 when unknown. */
static int walk_miss(refctx *r, const cf_doc *doc, const cJSON *node, const char *ptr,
                     const char *tok, size_t off, cf_error **err)
{
    const char *where = *ptr ? ptr : "the document root";
    const char *of = doc != r->from ? " of " : "";
    const char *ofname = doc != r->from ? doc->name : "";
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return cf_ref_error_at(err, r->from, ref_at(r), 0, NULL,
                               "$ref '%s' does not resolve: %s%s%s is not an object", r->ref, where,
                               of, ofname);
    char *hint = off ? missing_hint(node, tok, r->ref, off) : NULL;
    cf_ref_error_at(err, r->from, ref_at(r), 0, hint,
                    "$ref '%s' does not resolve: %s%s%s has no %s '%s'", r->ref, where, of, ofname,
                    cJSON_IsArray(node) ? "element" : "member", tok);
    free(hint);
    return -1;
}

/* Follows the JSON Pointer fragment after hash ("#/a/b") from doc's root,
 * token by token so that a miss can say where it stopped. */
static int walk_fragment(refctx *r, const cf_doc *doc, const char *hash, const cJSON **node_out,
                         char **ptr_out, cf_error **err)
{
    if (hash[1] != '/')
        return cf_ref_error_at(err, r->from, ref_at(r), 0,
                               "write a JSON Pointer fragment such as '#/components/schemas/Name'",
                               "$ref '%s' is not supported: the fragment is not a JSON Pointer",
                               r->ref);
    char *frag = cf_percent_decode(hash + 1, strlen(hash + 1), NULL);
    const cJSON *node = doc->root;
    char *ptr = cf_strdup("");
    int rc = 0;
    for (const char *p = frag; *p == '/' && rc == 0;) {
        const char *tstart = p + 1;
        const char *tend = strchr(tstart, '/');
        if (!tend)
            tend = tstart + strlen(tstart);
        char *tok = cf_jsonptr_token_decode(tstart, (size_t)(tend - tstart));
        const cJSON *next = step_into(doc, node, tok);
        if (next) {
            char *np = cf_jsonptr_append(ptr, tok);
            free(ptr);
            ptr = np;
            node = next;
            p = tend;
        } else {
            /* The token's offset inside the original ref, for the hint: the
             * same prefix of the (undecoded) ref when it has no escapes. */
            size_t off = 0;
            if (strcmp(hash + 1, frag) == 0)
                off = (size_t)(hash + 1 - r->ref) + (size_t)(tstart - frag);
            rc = walk_miss(r, doc, node, ptr, tok, off, err);
        }
        free(tok);
    }
    free(frag);
    if (rc < 0) {
        free(ptr);
        return -1;
    }
    *node_out = node;
    *ptr_out = ptr;
    return 0;
}

int cf_ref_resolve(const cf_doc **doc_out, const cJSON **node_out, char **ptr_out, cf_fileset *fs,
                   const cf_doc *from, const char *ref, const cJSON *at, cf_error **err)
{
    refctx r = {from, ref, at};
    size_t slen;
    if (has_scheme(ref, &slen))
        return scheme_error(&r, slen, err);
    const char *hash = strchr(ref, '#');
    size_t file_len = hash ? (size_t)(hash - ref) : strlen(ref);
    const cf_doc *doc = from;
    if (file_len > 0 && load_ref_file(&r, fs, file_len, &doc, err) < 0)
        return -1;
    const cJSON *node = doc->root;
    char *ptr = NULL;
    if (hash && hash[1] != '\0') {
        if (walk_fragment(&r, doc, hash, &node, &ptr, err) < 0)
            return -1;
    } else {
        ptr = cf_strdup("");
    }
    *doc_out = doc;
    *node_out = node;
    *ptr_out = ptr;
    return 0;
}

int cf_ref_follow(const cf_doc **doc, const cJSON **node, char **ptr, cf_fileset *fs,
                  const char *what, cf_error **err)
{
    const cJSON *seen[MAX_CHAIN];
    const char *refs[MAX_CHAIN];
    const cf_doc *first_doc = *doc;
    const cJSON *first_ref = NULL;
    size_t n = 0;
    for (;;) {
        const cJSON *r = cf_ref_of(*node);
        if (!r)
            return 0;
        if (!cJSON_IsString(r))
            return cf_ref_error_at(err, *doc, r, 0, "write $ref: '#/components/...'",
                                   "$ref must be a string");
        if (!first_ref)
            first_ref = r;
        for (size_t i = 0; i < n; i++) {
            if (seen[i] != *node)
                continue;
            cf_buf b = {0};
            for (size_t k = 0; k < n; k++)
                cf_buf_printf(&b, "%s'%s'", k ? " -> " : "", refs[k]);
            char *chain = cf_buf_take(&b);
            char *hint =
                cf_asprintf("a $ref chain must end at a %s, not come back to itself", what);
            cf_ref_error_at(err, first_doc, first_ref, 0, hint, "$ref cycle: %s",
                            chain ? chain : "...");
            free(hint);
            free(chain);
            return -1;
        }
        if (n == MAX_CHAIN)
            return cf_ref_error_at(err, first_doc, first_ref, 0, NULL,
                                   "$ref chain longer than %d links", MAX_CHAIN);
        seen[n] = *node;
        refs[n] = r->valuestring;
        n++;
        const cf_doc *td;
        const cJSON *tn;
        char *tp;
        if (cf_ref_resolve(&td, &tn, &tp, fs, *doc, r->valuestring, r, err) < 0)
            return -1;
        free(*ptr);
        *ptr = tp;
        *doc = td;
        *node = tn;
    }
}

static int resolver_cb(void *ctx, const cf_doc *from, const char *ref, const cf_doc **doc_out,
                       const cJSON **node_out, cf_error **err)
{
    char *ptr = NULL;
    int rc = cf_ref_resolve(doc_out, node_out, &ptr, ctx, from, ref, NULL, err);
    free(ptr);
    return rc;
}

cf_ref_resolver cf_fileset_resolver(cf_fileset *fs)
{
    return (cf_ref_resolver){resolver_cb, fs};
}
