/* fuzz_spec.c - the OpenAPI loader (YAML or JSON, $refs, schemas, examples)
 * on a spec file whose bytes are the input. */
#include "fuzz_util.h"
#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("spec.yaml", data, size);
    cf_spec *spec = NULL;
    cf_error *err = NULL;
    if (cf_spec_load(&spec, path, &err) < 0) {
        fuzz_error_drop(err);
    }
    cf_spec_free(spec);
    return 0;
}
