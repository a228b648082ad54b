/*
 * covsink.h - the reporter that feeds a run's results to the coverage
 * (coverage/coverage.h) as they stream, so that reports written at the end
 * (JUnit properties, the HTML matrix, --coverage) see what the run observed
 * without the engine keeping every result. Put it first among the sinks.
 */
#ifndef CONFORM_COVSINK_H
#define CONFORM_COVSINK_H

#include "coverage/coverage.h"
#include "engine/sink.h"

/* cov is borrowed and must outlive the sink. */
cf_sink *cf_coverage_sink(cf_coverage *cov);

#endif
