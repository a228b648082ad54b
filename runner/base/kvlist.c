#include "base/kvlist.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

int cf_kvlist_set(cf_kvlist *l, const char *name, const char *value)
{
    for (size_t i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].name, name) == 0) {
            free(l->items[i].value);
            l->items[i].value = cf_strdup(value);
            return 0;
        }
    }
    l->items = cf_xrealloc(l->items, (l->count + 1) * sizeof *l->items);
    l->items[l->count].name = cf_strdup(name);
    l->items[l->count].value = cf_strdup(value);
    l->count++;
    return 0;
}

const char *cf_kvlist_get(const cf_kvlist *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0)
            return l->items[i].value;
    return NULL;
}

int cf_kvlist_get_ci_index(const cf_kvlist *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcasecmp(l->items[i].name, name) == 0)
            return (int)i;
    return -1;
}

void cf_kvlist_clear(cf_kvlist *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].name);
        free(l->items[i].value);
    }
    free(l->items);
    l->items = NULL;
    l->count = 0;
}
