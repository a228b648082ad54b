/* fuzz_template.c - {{name}} expansion: input is TEMPLATE NUL VALUE; every
 * name resolves to VALUE except "missing", which is undefined. */
#include <cjson/cJSON.h>

#include "fuzz_util.h"
#include "suite/template.h"

static const char *lookup(void *ctx, const char *name)
{
    return strcmp(name, "missing") ? ctx : NULL;
}

static int each(void *ctx, const char *name, size_t offset)
{
    (void)ctx;
    (void)name;
    (void)offset;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *t, *v;
    fuzz_split(data, size, &t, &v);
    (void)cf_template_has_refs(t);
    (void)cf_template_each(t, each, NULL);
    char *missing = NULL;
    char *out = cf_template_expand(t, lookup, v, &missing);
    free(out);
    free(missing);
    missing = NULL;
    cJSON *node = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(node, "a");
    cJSON_AddItemToArray(arr, cJSON_CreateString(t));
    cJSON_AddItemToObject(node, "b", cJSON_CreateString(v));
    cJSON *x = cf_template_expand_json(node, lookup, v, &missing);
    cJSON_Delete(x);
    cJSON_Delete(node);
    free(missing);
    free(t);
    free(v);
    return 0;
}
