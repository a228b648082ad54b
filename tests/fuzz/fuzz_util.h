/*
 * fuzz_util.h - shared by the libFuzzer harnesses (tests/fuzz/): the input
 * as a NUL-terminated copy, as a temporary file (for loaders that take a
 * path), and split in two at the first NUL byte; an error rendered (the
 * renderer is part of what is fuzzed) and dropped; a suite file loaded.
 */
#ifndef CONFORM_FUZZ_UTIL_H
#define CONFORM_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/util.h"
#include "suite/config.h"
#include "suite/suite.h"

static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = cf_xmalloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Writes data to a file named NAME in a private directory (made once per
 * process) and returns its path (static storage). */
static inline const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    static char dir[64];
    static char path[128];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/conform-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return path;
}

/* The bytes before the first NUL and after it (b empty when there is none). */
static inline void fuzz_split(const uint8_t *data, size_t size, char **a, char **b)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t na = nul ? (size_t)(nul - data) : size;
    *a = fuzz_str(data, na);
    *b = nul ? fuzz_str(nul + 1, size - na - 1) : fuzz_str(data, 0);
}

/* Renders err to one line, as the CLI would, and frees it. */
static inline void fuzz_error_drop(cf_error *err)
{
    char *m = cf_error_format(err);
    free(m);
    cf_error_free(err);
}

/* The configuration text written to conform.yaml and loaded; a harness's
 * fixed config that does not load is a broken harness: abort. */
static inline cf_config *fuzz_config(const char *text)
{
    const char *path = fuzz_file("conform.yaml", (const uint8_t *)text, strlen(text));
    cf_config *config = NULL;
    cf_error *err = NULL;
    if (cf_config_load(&config, path, 1, &err) < 0)
        abort();
    return config;
}

/* Loads the suite file at path with config, as `conform list` does. Returns
 * 0, or -1 with the error's rendering in *why (when why is not NULL). */
static inline int fuzz_suite_load(const cf_config *config, const char *path, char **why)
{
    cf_spec_cache *specs = NULL;
    if (cf_spec_cache_new(&specs) < 0)
        abort();
    cf_load_ctx ctx = {.config = config, .cli_vars = NULL, .specs = specs};
    cf_suite *suite = NULL;
    cf_error *err = NULL;
    int rc = cf_suite_load(&suite, path, &ctx, &err);
    if (rc < 0 && why)
        *why = cf_error_format(err);
    cf_error_free(err);
    cf_suite_free(suite);
    cf_spec_cache_free(specs);
    return rc;
}

#endif
