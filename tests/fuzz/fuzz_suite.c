/* fuzz_suite.c - the case loader: a suite file whose bytes are the input,
 * loaded with a fixed configuration (target "t") and a small spec beside it
 * (spec.yaml, operation "op"), as `conform run` and `conform list` do. */
#include "fuzz_util.h"
#include "suite/config.h"
#include "suite/suite.h"

static const char spec_text[] =
    "openapi: 3.0.3\n"
    "info: {title: t, version: '1'}\n"
    "paths:\n"
    "  /items/{id}:\n"
    "    post:\n"
    "      operationId: op\n"
    "      parameters:\n"
    "        - {name: id, in: path, required: true, schema: {type: string}}\n"
    "      requestBody:\n"
    "        content:\n"
    "          application/json:\n"
    "            schema: {type: object, properties: {a: {type: string, pattern: '^x'}}}\n"
    "      responses:\n"
    "        '200':\n"
    "          description: ok\n"
    "          content:\n"
    "            application/json:\n"
    "              schema: {type: object}\n"
    "              examples: {ok: {value: {a: x}}}\n";

static const char config_text[] = "targets:\n"
                                  "  t:\n"
                                  "    base_url: http://127.0.0.1:1\n"
                                  "    vars: {v: value}\n"
                                  "    headers: {X-Key: '{{v}}'}\n";

static cf_config *config;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file("spec.yaml", (const uint8_t *)spec_text, sizeof spec_text - 1);
    config = fuzz_config(config_text);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *why = NULL;
    fuzz_suite_load(config, fuzz_file("suite.yaml", data, size), &why);
    free(why);
    return 0;
}
