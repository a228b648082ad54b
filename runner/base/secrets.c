#include "base/secrets.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

/* Kept longest first, so that a secret containing another is masked whole. */
static char **secrets;
static size_t nsecrets;

int cf_secrets_add(const char *value)
{
    if (!value || !*value)
        return 0;
    for (size_t i = 0; i < nsecrets; i++)
        if (strcmp(secrets[i], value) == 0)
            return 0;
    char **grown = cf_xrealloc(secrets, (nsecrets + 1) * sizeof *grown);
    if (!grown)
        return -1;
    secrets = grown;
    char *copy = cf_strdup(value);
    if (!copy)
        return -1;
    size_t len = strlen(copy), at = 0;
    while (at < nsecrets && strlen(secrets[at]) >= len)
        at++;
    memmove(secrets + at + 1, secrets + at, (nsecrets - at) * sizeof *secrets);
    secrets[at] = copy;
    nsecrets++;
    return 0;
}

char *cf_secrets_redact_n(const char *text, size_t len)
{
    if (!text)
        return NULL;
    cf_buf b = {0};
    size_t i = 0, plain = 0;
    while (i < len) {
        size_t hit = 0;
        for (size_t k = 0; k < nsecrets; k++) {
            size_t sl = strlen(secrets[k]);
            if (sl <= len - i && memcmp(text + i, secrets[k], sl) == 0) {
                hit = sl;
                break;
            }
        }
        if (hit) {
            cf_buf_append(&b, text + plain, i - plain);
            cf_buf_puts(&b, "***");
            i += hit;
            plain = i;
        } else {
            i++;
        }
    }
    cf_buf_append(&b, text + plain, len - plain);
    return cf_buf_take(&b);
}

char *cf_secrets_redact(const char *text)
{
    return text ? cf_secrets_redact_n(text, strlen(text)) : NULL;
}

int cf_secrets_header_masked(const char *name)
{
    static const char *const masked[] = {"Authorization", "Proxy-Authorization", "X-Auth-Token",
                                         "Cookie",        "Set-Cookie",          "SessionId"};
    for (size_t i = 0; i < sizeof masked / sizeof *masked; i++)
        if (strcasecmp(name, masked[i]) == 0)
            return 1;
    return 0;
}

void cf_secrets_reset(void)
{
    for (size_t i = 0; i < nsecrets; i++)
        free(secrets[i]);
    free(secrets);
    secrets = NULL;
    nsecrets = 0;
}
