/* fuzz_schema.c - the schema validator: input is SCHEMA NUL INSTANCE, both
 * JSON; the schema is compiled (patterns included) and the instance
 * validated in both directions. */
#include "doc/json.h"
#include "fuzz_util.h"
#include "schema/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a, *b;
    fuzz_split(data, size, &a, &b);
    cf_doc *sd = NULL, *id = NULL;
    cf_error *err = NULL;
    cf_schema *s = NULL;
    if (cf_json_parse(&sd, a, strlen(a), "schema.json", &err) == 0 &&
        cf_schema_compile(&s, sd, sd->root, "", NULL, &err) == 0 &&
        cf_json_parse(&id, b, strlen(b), "body", &err) == 0) {
        for (int dir = 0; dir < 2; dir++) {
            cf_violations v = {0};
            cf_schema_validate(s, (cf_schema_dir)dir, id, id->root, &v);
            cf_violations_clear(&v);
        }
    }
    cf_error_free(err);
    cf_schema_free(s);
    cf_doc_free(id);
    cf_doc_free(sd);
    free(a);
    free(b);
    return 0;
}
