#include "engine/preflight.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "engine/throttle.h"

int cf_preflight_target_used(cf_suite *const *suites, size_t n, const cf_run_opts *opts,
                             const cf_target *t)
{
    for (size_t s = 0; s < n; s++) {
        if (suites[s]->target != t)
            continue;
        for (size_t i = 0; i < suites[s]->ncases; i++)
            if (cf_run_selected_in(suites[s], &suites[s]->cases[i], opts))
                return 1;
    }
    return 0;
}

/* The target of suites[s] when s is the first suite using it and a selected
 * case uses it; else NULL (so each target is visited once). */
static const cf_target *first_use(cf_suite *const *suites, size_t n, size_t s,
                                  const cf_run_opts *opts)
{
    const cf_target *t = suites[s]->target;
    for (size_t k = 0; k < s; k++)
        if (suites[k]->target == t)
            return NULL;
    return t && cf_preflight_target_used(suites, n, opts, t) ? t : NULL;
}

size_t cf_preflight_targets(cf_suite *const *suites, size_t n, const cf_run_opts *opts,
                            const char *config_path, FILE *errout)
{
    size_t problems = 0;
    for (size_t s = 0; s < n; s++) {
        const cf_target *t = first_use(suites, n, s, opts);
        if (!t)
            continue;
        if (t->env_error) {
            cf_error_print(t->env_error, errout);
            problems++;
        }
        if (!t->env_error && (!t->base_url || !*t->base_url)) {
            cf_error *err = NULL;
            cf_error_set(&err, config_path, t->mark.line, t->mark.column,
                         "set base_url in the config or pass --base-url",
                         "target '%s' has no base_url", t->name);
            cf_error_print(err, errout);
            cf_error_free(err);
            problems++;
        }
    }
    return problems;
}
