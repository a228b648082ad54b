/*
 * sink.c - driving reporters from a complete report (contract in sink.h).
 */
#include "engine/sink.h"

#include <stdlib.h>

void cf_sink_free(cf_sink *s)
{
    if (s && s->free)
        s->free(s);
}

void cf_sink_feed_suite(cf_sink *const *sinks, size_t nsinks, const cf_suite_result *sr,
                        size_t index, cf_totals *totals)
{
    cf_suite_info si = {.name = sr->name, .file = sr->file, .ncases = sr->ncases, .index = index};
    for (size_t k = 0; k < nsinks; k++)
        if (sinks[k]->suite_begin)
            sinks[k]->suite_begin(sinks[k], &si);
    cf_totals t = {0};
    for (size_t i = 0; i < sr->ncases; i++) {
        cf_totals_add(&t, &sr->cases[i]);
        if (totals)
            cf_totals_add(totals, &sr->cases[i]);
        for (size_t k = 0; k < nsinks; k++)
            sinks[k]->case_done(sinks[k], &si, &sr->cases[i]);
    }
    for (size_t k = 0; k < nsinks; k++)
        sinks[k]->suite_end(sinks[k], &si, &t, sr->seconds);
}

int cf_sink_replay(const cf_report *r, const cf_run_info *info, cf_sink *const *sinks,
                   size_t nsinks, cf_error **err)
{
    cf_run_info dflt = {0};
    if (!info) {
        dflt.version = CONFORM_VERSION;
        dflt.timestamp = r->timestamp;
        dflt.hostname = r->hostname;
        dflt.nsuites = r->nsuites;
        for (size_t s = 0; s < r->nsuites; s++)
            dflt.total += r->suites[s].ncases;
        dflt.jobs = dflt.repeat = 1;
        info = &dflt;
    }
    size_t begun = 0;
    int rc = 0;
    for (; begun < nsinks; begun++)
        if (sinks[begun]->begin(sinks[begun], info, err) < 0) {
            rc = -1;
            break;
        }
    cf_run_end end = {.seconds = r->seconds};
    for (size_t s = 0; rc == 0 && s < r->nsuites; s++)
        cf_sink_feed_suite(sinks, nsinks, &r->suites[s], s, NULL);
    if (rc < 0)
        return rc; /* the caller frees the sinks, which drops what they began */
    end.totals = cf_report_totals(r);
    for (size_t k = 0; k < nsinks; k++)
        if (sinks[k]->end(sinks[k], &end, err) < 0)
            rc = -1;
    return rc;
}
