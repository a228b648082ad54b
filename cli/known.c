/*
 * known.c - ledgers and versions around a run (contract in known.h).
 */
#include "known.h"

#include <stdlib.h>

#include "base/error.h"
#include "base/util.h"
#include "engine/probe.h"
#include "exit.h"

/* Does any selected case of the loaded suites use target t? */
static int target_used(const cf_target *t, cf_suite *const *suites, size_t n, const cf_run_opts *ro)
{
    for (size_t s = 0; s < n; s++) {
        if (suites[s]->target != t)
            continue;
        for (size_t i = 0; i < suites[s]->ncases; i++)
            if (cf_run_selected_in(suites[s], &suites[s]->cases[i], ro))
                return 1;
    }
    return 0;
}

/* The versions the ledger's since/until are checked against. */
static const cf_kvlist *versions(const cf_suite *su)
{
    static const cf_kvlist none = {0};
    return su->target ? &su->target->versions : &none;
}

static void judge_case(void *ctx, const cf_suite *su, const cf_case *c, cf_case_result *res)
{
    cf_known *k = ctx;
    (void)c;
    cf_ledger_apply(&k->ledger, su->path, su->name, res->id, versions(su), res);
}

/* --rerun asks before it runs a case again: nothing is recorded here. */
static int all_known(void *ctx, const cf_suite *su, const cf_case *c, const cf_case_result *res)
{
    const cf_known *k = ctx;
    (void)c;
    return cf_ledger_all_known(&k->ledger, su->path, su->name, res->id, versions(su), res);
}

static void conclude(void *ctx, cf_report *extra)
{
    cf_known *k = ctx;
    cf_ledger_verdict v;
    cf_error *err = NULL;
    /* It only fails on bad arguments; the verdicts are findings. */
    if (cf_ledger_conclude(&k->ledger, extra, k->fixed_warn, NULL, k->warn, &v, &err) < 0) {
        cf_error_print(err, stderr);
        cf_error_free(err);
    }
    /* Each shard judges the entries against its own cases: its verdicts are
     * its own suite, so `conform merge` of the shards keeps them all. */
    for (size_t s = 0; k->shard_n > 0 && s < extra->nsuites; s++) {
        char *name = cf_asprintf("%s (shard %d/%d)", extra->suites[s].name, k->shard_k, k->shard_n);
        free(extra->suites[s].name);
        extra->suites[s].name = name;
    }
}

int cf_known_load(cf_known *k, char *const *files, size_t n, const cf_config *cfg,
                  cf_suite *const *suites, size_t nsuites, cf_run_opts *ro)
{
    cf_error *err = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = cf_ledger_load(&k->ledger, files[i], &err);
    for (size_t t = 0; t < cfg->ntargets && !rc; t++) {
        const cf_target *tg = &cfg->targets[t];
        if (!tg->nknown || !target_used(tg, suites, nsuites, ro))
            continue;
        for (size_t i = 0; i < tg->nknown && !rc; i++)
            rc = cf_ledger_load(&k->ledger, tg->known[i], &err);
    }
    if (rc) {
        cf_error_print(err, stderr);
        cf_error_free(err);
        return CF_EXIT_USAGE;
    }
    if (!k->ledger.nfiles)
        return 0;
    k->shard_k = ro->shard_k;
    k->shard_n = ro->shard_n;
    ro->judge = judge_case;
    ro->judge_ctx = k;
    ro->all_known = all_known;
    ro->conclude = conclude;
    ro->extra_suites = k->ledger.nfiles;
    ro->extra_cases = k->ledger.n;
    return 0;
}

void cf_known_probe(const cf_config *cfg, cf_suite *const *suites, size_t nsuites,
                    const cf_run_opts *ro, FILE *out)
{
    for (size_t t = 0; t < cfg->ntargets; t++) {
        cf_target *tg = &cfg->targets[t];
        if (!tg->version_path || !target_used(tg, suites, nsuites, ro))
            continue;
        int rc = cf_probe_version(tg, ro->timeout_ms, ro->max_body);
        if (rc == -1)
            fprintf(stderr, "conform: warning: %s (cases with since/until will error)\n",
                    tg->version_error);
        if (rc < 0)
            continue;
        const char *comp = tg->version_component ? tg->version_component : "";
        if (out)
            fprintf(out, "conform: target %s: %s%sversion %s (from %s)\n", tg->name, comp,
                    *comp ? " " : "", cf_kvlist_get(&tg->versions, comp), tg->version_path);
    }
}

void cf_known_clear(cf_known *k)
{
    cf_ledger_clear(&k->ledger);
}
