/* fuzz_json.c - the JSON parser with marks and number texts (cf_json_parse),
 * then what callers do with a parsed body: brief renderings and hashing. */
#include "doc/json.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cf_doc *d = NULL;
    cf_error *err = NULL;
    if (cf_json_parse(&d, (const char *)data, size, "fuzz", &err) < 0) {
        fuzz_error_drop(err);
        return 0;
    }
    char *b = cf_json_brief(d, d->root, 80);
    free(b);
    (void)cf_json_hash(d, d->root);
    (void)cf_json_equal(d, d->root, d, d->root);
    cf_doc_free(d);
    return 0;
}
