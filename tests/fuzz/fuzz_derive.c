/* fuzz_derive.c - derivation on a spec whose bytes are the input, and the
 * promise derive.h makes: whatever suite it writes, `conform list` loads
 * unchanged. A derived suite that does not load aborts (a finding). */
#include "derive/derive.h"
#include "fuzz_util.h"
#include "suite/config.h"
#include "suite/suite.h"

static const char config_text[] = "targets:\n"
                                  "  t:\n"
                                  "    base_url: http://127.0.0.1:1\n";

static cf_config *config;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    config = fuzz_config(config_text);
    return 0;
}

static void load_derived(const char *text)
{
    const char *path = fuzz_file("suite.yaml", (const uint8_t *)text, strlen(text));
    char *why = NULL;
    if (fuzz_suite_load(config, path, &why) < 0) {
        fprintf(stderr, "derived suite does not load: %s\n--- suite ---\n%s", why, text);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("spec.yaml", data, size);
    cf_spec *spec = NULL;
    cf_error *err = NULL;
    if (cf_spec_load(&spec, path, &err) < 0) {
        cf_error_free(err);
        cf_spec_free(spec);
        return 0;
    }
    cf_derive_opts opts = {.operation = NULL, .target = "t", .spec_ref = "spec.yaml"};
    cf_derive_stats stats = {0};
    char *text = NULL;
    if (cf_derive_suite(&text, &stats, spec, &opts, &err) < 0) {
        /* Allowed only for a document without operations. */
        if (cf_spec_operation_count(spec))
            abort();
        cf_error_free(err);
    } else {
        load_derived(text);
    }
    free(text);
    cf_spec_free(spec);
    return 0;
}
