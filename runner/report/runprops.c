/*
 * runprops.c - a run's metadata as properties (contract in runprops.h).
 */
#include "report/runprops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* "version" (a target's unnamed component) and "version.COMPONENT": the
 * same name and value from two targets once; "version.error" when
 * version_from could not read one. */
static void add_versions(cf_report *r, const cf_run_info *info)
{
    for (size_t i = 0; i < info->ntargets; i++) {
        const cf_run_target *t = &info->targets[i];
        for (size_t v = 0; t->versions && v < t->versions->count; v++) {
            const cf_kv *kv = &t->versions->items[v];
            const char *val = kv->value ? kv->value : "";
            char *name = *kv->name ? cf_asprintf("version.%s", kv->name) : cf_strdup("version");
            int seen = 0;
            for (size_t k = 0; k < r->nprops && !seen; k++)
                seen = !strcmp(r->props[k].name, name) && !strcmp(r->props[k].value, val);
            if (!seen)
                cf_report_add_property(r, name, val);
            free(name);
        }
        if (t->version_error)
            cf_report_add_property(r, "version.error", t->version_error);
    }
}

void cf_run_properties_begin(cf_report *r, const cf_run_info *info)
{
    cf_report_add_property(r, "conform.version", info->version ? info->version : "");
    for (size_t i = 0; i < info->ntargets; i++) {
        char *name = cf_asprintf("target.%s", info->targets[i].name);
        cf_report_add_property(r, name, info->targets[i].base_url ? info->targets[i].base_url : "");
        free(name);
    }
    add_versions(r, info);
    if (info->filter)
        cf_report_add_property(r, "filter", info->filter);
    if (info->ntags) {
        cf_buf b = {0};
        for (size_t i = 0; i < info->ntags; i++)
            cf_buf_printf(&b, "%s%s", i ? "," : "", info->tags[i]);
        cf_report_add_property(r, "tags", b.data ? b.data : "");
        cf_buf_free(&b);
    }
    char v[64];
    if (info->shard_n > 0) {
        snprintf(v, sizeof v, "%d/%d", info->shard_k, info->shard_n);
        cf_report_add_property(r, "shard", v);
    }
    if (info->rerun > 0) {
        snprintf(v, sizeof v, "%d", info->rerun);
        cf_report_add_property(r, "rerun", v);
    }
}

void cf_run_properties_end(cf_report *r, const cf_run_end *run)
{
    char v[64];
    if (run->totals.flaky) {
        snprintf(v, sizeof v, "%zu", run->totals.flaky);
        cf_report_add_property(r, "flaky", v);
    }
    if (run->rate_waits) {
        snprintf(v, sizeof v, "%u (%.1f s)", run->rate_waits, run->rate_wait_seconds);
        cf_report_add_property(r, "rate_limit.waits", v);
    }
}
