/* conform's entry point: the commands live in cli.c, the work in runner/. */
#include <cjson/cJSON.h>
#include <malloc.h>
#include <stdlib.h>

#include "base/util.h"
#include "cli.h"

int main(int argc, char **argv)
{
    /* cJSON allocates too: the out-of-memory rule of base/util.h holds for it. */
    cJSON_Hooks hooks = {cf_xmalloc, free};
    cJSON_InitHooks(&hooks);
    /* One malloc arena for all threads: glibc gives each worker its own
     * (64 MiB reserved, touched as it grows), and with -v the transcripts
     * made every worker's arena hold its own high-water mark: 1.2 MiB more
     * peak RSS at --jobs 4 (docs/PERFORMANCE.md). Per-thread caches
     * (tcache) still serve most allocations without the arena's lock. */
    mallopt(M_ARENA_MAX, 1);
    return cf_cli_main(argc, argv);
}
