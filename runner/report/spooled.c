/*
 * spooled.c - report files assembled at the end (contract in spooled.h).
 */
#include "report/spooled.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Flush the rendered text to the spool once it holds this much: small, as
 * the buffer is part of every run's peak RSS (up to twice this, as it
 * doubles), and a write per 16 KiB is still a few per thousand cases. */
enum { FLUSH_AT = 16 * 1024 };

/* Moves what b holds to the spool once it holds at least `at` bytes. */
static void spill(cf_spooled *s, size_t at)
{
    if (s->b.len < at)
        return;
    cf_spool_write(&s->body, s->b.data, s->b.len);
    s->b.len = 0;
    if (s->b.data)
        s->b.data[0] = '\0';
}

/* Writes what b holds to the report and empties b. */
static void emit(cf_spooled *s)
{
    cf_outfile_write(&s->out, s->b.data, s->b.len);
    s->b.len = 0;
    if (s->b.data)
        s->b.data[0] = '\0';
}

static void copy_info(cf_spooled_info *k, const cf_run_info *info)
{
    k->version = cf_strdup(info->version);
    k->timestamp = cf_strdup(info->timestamp);
    k->hostname = cf_strdup(info->hostname);
    k->filter = cf_strdup(info->filter);
    k->jobs = info->jobs;
    k->repeat = info->repeat;
    k->shard_k = info->shard_k;
    k->shard_n = info->shard_n;
    k->rerun = info->rerun;
    k->tags = cf_xcalloc(info->ntags ? info->ntags : 1, sizeof *k->tags);
    for (size_t i = 0; i < info->ntags; i++)
        k->tags[k->ntags++] = cf_strdup(info->tags[i]);
    k->targets = cf_xcalloc(info->ntargets ? info->ntargets : 1, sizeof *k->targets);
    for (size_t i = 0; i < info->ntargets; i++)
        k->targets[k->ntargets++] =
            (cf_run_target){.name = cf_strdup(info->targets[i].name),
                            .base_url = cf_strdup(info->targets[i].base_url)};
}

static int spooled_begin(cf_sink *self, const cf_run_info *info, cf_error **err)
{
    cf_spooled *s = (cf_spooled *)self;
    copy_info(&s->info, info);
    if (s->on_begin)
        s->on_begin(s, info);
    /* The report itself is opened at the end, when it is complete: here only
     * whether it could be, so that a bad path stops the run before anything
     * is sent. */
    if (s->path && cf_output_preflight(s->path, s->what, s->option, err) < 0)
        return -1;
    return cf_spool_open(&s->body, s->path, s->what, err);
}

static void spooled_suite_begin(cf_sink *self, const cf_suite_info *si)
{
    cf_spooled *s = (cf_spooled *)self;
    s->suites = cf_xgrow(s->suites, &s->cap, s->nsuites + 1, sizeof *s->suites);
    spill(s, 0);
    cf_spooled_suite *k = &s->suites[s->nsuites++];
    *k = (cf_spooled_suite){
        .name = cf_strdup(si->name), .file = cf_strdup(si->file), .target = cf_strdup(si->target)};
    k->start = s->body.size;
    s->nth = 0;
}

static void spooled_case_done(cf_sink *self, const cf_suite_info *si, const cf_case_result *c)
{
    cf_spooled *s = (cf_spooled *)self;
    s->put_case(s, &s->b, si, c, s->nth++);
    spill(s, FLUSH_AT);
}

static void spooled_suite_end(cf_sink *self, const cf_suite_info *si, const cf_totals *t,
                              double seconds)
{
    cf_spooled *s = (cf_spooled *)self;
    (void)si;
    spill(s, 0);
    if (!s->nsuites)
        return;
    cf_spooled_suite *k = &s->suites[s->nsuites - 1];
    k->totals = *t;
    k->seconds = seconds;
    k->ncases = s->nth;
    k->len = s->body.size - k->start;
}

static int spooled_end(cf_sink *self, const cf_run_end *run, cf_error **err)
{
    cf_spooled *s = (cf_spooled *)self;
    spill(s, 0);
    if (s->body.failed) /* the previous report stays untouched: it is not even opened */
        return cf_error_set(err, s->path, 0, 0,
                            "free disk space (or raise the quota or file size limit) and run again",
                            "cannot write the %s: %s", s->what, strerror(s->body.failed));
    if (s->path) {
        if (cf_outfile_open(&s->out, s->path, s->what, s->option, err) < 0)
            return -1;
    } else {
        cf_outfile_stream(&s->out, s->stream, s->what);
    }
    s->put_head(s, &s->b, run);
    for (size_t i = 0; i < s->nsuites; i++) {
        s->put_suite_head(s, &s->b, &s->suites[i], i);
        emit(s);
        cf_spool_copy(&s->body, s->suites[i].start, s->suites[i].len, &s->out);
        s->put_suite_tail(s, &s->b, &s->suites[i], i);
    }
    s->put_tail(s, &s->b, run);
    emit(s);
    if (s->body.failed) {
        cf_outfile_abort(&s->out);
        return cf_error_set(err, s->path, 0, 0, NULL, "cannot read back the %s body: %s", s->what,
                            strerror(s->body.failed));
    }
    return cf_outfile_commit(&s->out, err);
}

static void spooled_free(cf_sink *self)
{
    cf_spooled *s = (cf_spooled *)self;
    if (s->free_format)
        s->free_format(s);
    cf_spool_close(&s->body);
    cf_outfile_abort(&s->out);
    for (size_t i = 0; i < s->nsuites; i++) {
        free(s->suites[i].name);
        free(s->suites[i].file);
        free(s->suites[i].target);
    }
    free(s->suites);
    cf_spooled_info *k = &s->info;
    free(k->version);
    free(k->timestamp);
    free(k->hostname);
    free(k->filter);
    for (size_t i = 0; i < k->ntags; i++)
        free(k->tags[i]);
    free(k->tags);
    for (size_t i = 0; i < k->ntargets; i++) {
        free((char *)k->targets[i].name);
        free((char *)k->targets[i].base_url);
    }
    free(k->targets);
    free(s->path);
    cf_buf_free(&s->b);
    free(s);
}

void cf_spooled_init(cf_spooled *s, const char *path, FILE *stream, const char *what,
                     const char *option)
{
    s->base = (cf_sink){.begin = spooled_begin,
                        .suite_begin = spooled_suite_begin,
                        .case_done = spooled_case_done,
                        .suite_end = spooled_suite_end,
                        .end = spooled_end,
                        .free = spooled_free};
    s->body.fd = -1;
    s->what = what;
    s->option = option;
    s->stream = stream;
    s->path = path ? cf_strdup(path) : NULL;
}
