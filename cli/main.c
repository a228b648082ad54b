/* conform's entry point: the commands live in cli.c, the work in runner/. */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "base/util.h"
#include "cli.h"

int main(int argc, char **argv)
{
    /* cJSON allocates too: the out-of-memory rule of base/util.h holds for it. */
    cJSON_Hooks hooks = {cf_xmalloc, free};
    cJSON_InitHooks(&hooks);
    return cf_cli_main(argc, argv);
}
