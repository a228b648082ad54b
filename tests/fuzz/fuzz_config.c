/* fuzz_config.c - the configuration loader (targets, base URLs, headers,
 * proxies, versions, ${ENV} references) on a conform.yaml whose bytes are
 * the input. */
#include "fuzz_util.h"
#include "suite/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("conform.yaml", data, size);
    cf_config *config = NULL;
    cf_error *err = NULL;
    if (cf_config_load(&config, path, 1, &err) < 0) {
        fuzz_error_drop(err);
    }
    cf_config_free(config);
    return 0;
}
