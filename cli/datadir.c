#include "datadir.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#ifndef CONFORM_DATADIR_FROM_BIN
#define CONFORM_DATADIR_FROM_BIN "../share/conform"
#endif
#ifndef CONFORM_DATADIR_INSTALLED
#define CONFORM_DATADIR_INSTALLED "/usr/local/share/conform"
#endif
#ifndef CONFORM_DATADIR_SOURCE
#define CONFORM_DATADIR_SOURCE "."
#endif

static int has_suites(const char *dir)
{
    char *s = cf_asprintf("%s/suites", dir);
    struct stat st;
    int ok = stat(s, &st) == 0 && S_ISDIR(st.st_mode);
    free(s);
    return ok;
}

/* ../share/conform next to the running executable, or NULL. */
static char *beside_executable(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return cf_path_join(exe[0] ? exe : "/", CONFORM_DATADIR_FROM_BIN);
}

char *cf_datadir_find(void)
{
    const char *env = getenv("CONFORM_DATA_DIR");
    if (env && *env) {
        if (has_suites(env))
            return cf_strdup(env);
        fprintf(stderr,
                "conform: CONFORM_DATA_DIR=%s has no suites/ folder (hint: unset it to use the "
                "installed data)\n",
                env);
        return NULL;
    }
    char *candidates[] = {beside_executable(), cf_strdup(CONFORM_DATADIR_INSTALLED),
                          cf_strdup(CONFORM_DATADIR_SOURCE)};
    char *found = NULL;
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        if (!found && candidates[i] && has_suites(candidates[i]))
            found = candidates[i];
        else
            free(candidates[i]);
    }
    if (!found)
        fprintf(stderr,
                "conform: the shipped suites are not installed (looked in ../share/conform beside "
                "the executable, %s and %s; hint: set CONFORM_DATA_DIR)\n",
                CONFORM_DATADIR_INSTALLED, CONFORM_DATADIR_SOURCE);
    return found;
}
