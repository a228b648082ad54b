/*
 * fuzz_util.h - shared by the libFuzzer harnesses (tests/fuzz/): the input
 * as a NUL-terminated copy, as a temporary file (for loaders that take a
 * path), and split in two at the first NUL byte.
 */
#ifndef CONFORM_FUZZ_UTIL_H
#define CONFORM_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

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

#endif
