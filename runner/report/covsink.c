/*
 * covsink.c - coverage observed case by case (contract in covsink.h).
 */
#include "report/covsink.h"

#include <stdlib.h>

#include "base/util.h"

typedef struct covsink {
    cf_sink base;
    cf_coverage *cov;
} covsink;

static int cov_begin(cf_sink *self, const cf_run_info *info, cf_error **err)
{
    (void)self;
    (void)info;
    (void)err;
    return 0;
}

static void cov_suite(cf_sink *self, const cf_suite_info *s)
{
    (void)self;
    (void)s;
}

static void cov_case(cf_sink *self, const cf_suite_info *s, const cf_case_result *c)
{
    (void)s;
    cf_coverage_observe_case(((covsink *)self)->cov, c);
}

static void cov_suite_end(cf_sink *self, const cf_suite_info *s, const cf_totals *t, double secs)
{
    (void)self;
    (void)s;
    (void)t;
    (void)secs;
}

static int cov_end(cf_sink *self, const cf_run_end *run, cf_error **err)
{
    (void)self;
    (void)run;
    (void)err;
    return 0;
}

static void cov_free(cf_sink *self)
{
    free(self);
}

cf_sink *cf_coverage_sink(cf_coverage *cov)
{
    covsink *k = cf_xcalloc(1, sizeof *k);
    k->base = (cf_sink){.begin = cov_begin,
                        .suite_begin = cov_suite,
                        .case_done = cov_case,
                        .suite_end = cov_suite_end,
                        .end = cov_end,
                        .free = cov_free};
    k->cov = cov;
    return &k->base;
}
