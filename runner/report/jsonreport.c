/*
 * jsonreport.c - the JSON results file (contract in jsonreport.h).
 */
#include "report/jsonreport.h"

#include <math.h>
#include <stdlib.h>

#include "base/util.h"
#include "report/escape.h"
#include "report/spooled.h"
#include "spec/spec.h"
#include "suite/suite.h"

static void put_num(cf_buf *b, double seconds)
{
    cf_buf_printf(b, "%.3f", isfinite(seconds) && seconds > 0 ? seconds : 0.0);
}

static void put_totals(cf_buf *b, const cf_totals *t)
{
    size_t passed = t->tests - t->failures - t->errors - t->skipped - t->known;
    cf_buf_printf(b,
                  "{\"cases\": %zu, \"passed\": %zu, \"failed\": %zu, \"errored\": %zu, "
                  "\"skipped\": %zu, \"known\": %zu, \"flaky\": %zu}",
                  t->tests, passed, t->failures, t->errors, t->skipped, t->known, t->flaky);
}

static void put_findings(cf_buf *b, const cf_case_result *c)
{
    cf_buf_puts(b, ",\n       \"findings\": [");
    for (size_t i = 0; i < c->nfindings; i++) {
        const cf_finding *f = &c->findings[i];
        cf_buf_printf(b, "%s\n        {\"kind\": \"%s\", \"type\": ", i ? "," : "",
                      f->kind == CF_FINDING_ERROR ? "error" : "failure");
        cf_put_json(b, f->type);
        cf_buf_puts(b, ", \"message\": ");
        cf_put_json(b, f->message);
        cf_buf_puts(b, ", \"detail\": ");
        cf_put_json(b, f->detail);
        cf_buf_printf(b, ", \"step\": %d, \"known\": ", f->step);
        cf_put_json(b, f->known);
        cf_buf_puts(b, ", \"known_at\": ");
        cf_put_json(b, f->known_at);
        cf_buf_puts(b, ",\n         \"request\": ");
        cf_put_json(b, f->request);
        cf_buf_printf(b, ", \"status\": %d, \"body_excerpt\": ", f->status);
        cf_put_json(b, f->body_excerpt);
        cf_buf_puts(b, "}");
    }
    cf_buf_puts(b, c->nfindings ? "\n       ]" : "]");
}

static void json_case(cf_spooled *self, cf_buf *b, const cf_suite_info *s, const cf_case_result *c,
                      size_t nth)
{
    (void)self;
    (void)s;
    cf_buf_puts(b, nth ? ",\n      {\"id\": " : "\n      {\"id\": ");
    cf_put_json(b, c->id ? c->id : "");
    cf_buf_puts(b, ", \"title\": ");
    cf_put_json(b, c->title);
    cf_buf_printf(b, ", \"line\": %d, \"outcome\": \"%s\", \"seconds\": ", c->line,
                  cf_outcome_name(cf_case_outcome(c)));
    put_num(b, c->seconds);
    cf_buf_puts(b, ", \"skip_reason\": ");
    cf_put_json(b, c->skip_reason);
    cf_buf_printf(b, ",\n       \"attempts\": %d, \"flaky\": %s, \"flaky_note\": ", c->attempts,
                  c->flaky ? "true" : "false");
    cf_put_json(b, c->flaky ? c->flaky_note : NULL);
    cf_buf_printf(b, ", \"rate_limit_waits\": %u", c->rate_waits);
    put_findings(b, c);
    cf_buf_puts(b, ",\n       \"warnings\": [");
    for (size_t i = 0; i < c->nwarnings; i++) {
        cf_buf_puts(b, i ? ", " : "");
        cf_put_json(b, c->warnings[i]);
    }
    cf_buf_puts(b, "]");
    cf_buf_puts(b, ",\n       \"requests\": [");
    for (size_t i = 0; i < c->nobserved; i++) {
        const cf_step *st = c->observed[i].step;
        cf_buf_puts(b, i ? ", {\"operation\": " : "{\"operation\": ");
        cf_put_json(b, st && st->op ? cf_operation_label(st->op) : NULL);
        cf_buf_puts(b, ", \"method\": ");
        cf_put_json(b, st ? st->method : NULL);
        cf_buf_puts(b, ", \"path\": ");
        cf_put_json(b, st ? st->path : NULL);
        cf_buf_printf(b, ", \"status\": %d}", c->observed[i].status);
    }
    cf_buf_puts(b, "],\n       \"transcript\": ");
    cf_put_json(b, c->transcript);
    cf_buf_puts(b, "}");
}

static void json_head(cf_spooled *self, cf_buf *b, const cf_run_end *run)
{
    const cf_spooled_info *k = &self->info;
    cf_buf_printf(b, "{\n  \"format\": \"conform-results\",\n  \"format_version\": %d,\n",
                  CF_JSON_FORMAT_VERSION);
    cf_buf_puts(b, "  \"conform\": ");
    cf_put_json(b, k->version ? k->version : "");
    cf_buf_puts(b, ",\n  \"run\": {\"timestamp\": ");
    cf_put_json(b, k->timestamp ? k->timestamp : "");
    cf_buf_puts(b, ", \"hostname\": ");
    cf_put_json(b, k->hostname);
    cf_buf_puts(b, ", \"seconds\": ");
    put_num(b, run->seconds);
    cf_buf_printf(b, ", \"jobs\": %d, \"repeat\": %d, \"filter\": ", k->jobs, k->repeat);
    cf_put_json(b, k->filter);
    cf_buf_puts(b, ",\n          \"tags\": [");
    for (size_t i = 0; i < k->ntags; i++) {
        cf_buf_puts(b, i ? ", " : "");
        cf_put_json(b, k->tags[i]);
    }
    cf_buf_puts(b, "], \"targets\": [");
    for (size_t i = 0; i < k->ntargets; i++) {
        cf_buf_puts(b, i ? ", {\"name\": " : "{\"name\": ");
        cf_put_json(b, k->targets[i].name);
        cf_buf_puts(b, ", \"base_url\": ");
        cf_put_json(b, k->targets[i].base_url);
        cf_buf_puts(b, "}");
    }
    cf_buf_printf(b, "],\n          \"shard\": ");
    if (k->shard_n > 0)
        cf_buf_printf(b, "\"%d/%d\"", k->shard_k, k->shard_n);
    else
        cf_buf_puts(b, "null");
    cf_buf_printf(
        b, ", \"rerun\": %d, \"rate_limit_waits\": %u, \"interrupted\": %s},\n  \"totals\": ",
        k->rerun, run->rate_waits, run->interrupted ? "true" : "false");
    put_totals(b, &run->totals);
    cf_buf_puts(b, ",\n  \"suites\": [");
}

static void json_suite_head(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i)
{
    (void)self;
    cf_buf_puts(b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    cf_put_json(b, s->name ? s->name : "");
    cf_buf_puts(b, ", \"file\": ");
    cf_put_json(b, s->file ? s->file : "");
    cf_buf_puts(b, ", \"target\": ");
    cf_put_json(b, s->target);
    cf_buf_puts(b, ", \"seconds\": ");
    put_num(b, s->seconds);
    cf_buf_puts(b, ",\n     \"totals\": ");
    put_totals(b, &s->totals);
    cf_buf_puts(b, ",\n     \"cases\": [");
}

static void json_suite_tail(cf_spooled *self, cf_buf *b, const cf_spooled_suite *s, size_t i)
{
    (void)self;
    (void)i;
    cf_buf_puts(b, s->ncases ? "\n     ]}" : "]}");
}

static void json_tail(cf_spooled *self, cf_buf *b, const cf_run_end *run)
{
    (void)run;
    cf_buf_puts(b, self->nsuites ? "\n  ]\n}\n" : "]\n}\n");
}

cf_sink *cf_json_sink(const char *path, FILE *stream)
{
    cf_spooled *s = cf_xcalloc(1, sizeof *s);
    s->put_case = json_case;
    s->put_head = json_head;
    s->put_suite_head = json_suite_head;
    s->put_suite_tail = json_suite_tail;
    s->put_tail = json_tail;
    cf_spooled_init(s, path, stream, "JSON report", "--json FILE");
    return &s->base;
}
