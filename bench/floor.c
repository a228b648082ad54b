/*
 * floor.c - the libcurl floor of the bench: the least a program linked with
 * Debian's libcurl needs to do conform's work. Its peak RSS and its start to
 * first request are the reference of the RSS and start-up goals, and with
 * N > 1 it is the "bare libcurl loop" of the per-case goal: the same POST on
 * one easy handle (keep-alive), each answer checked for status 200 and the
 * documented example text by strstr.
 *
 *   floor URL [N]     exit 0 when all N answers pass, 1 otherwise
 *
 * Built by bench/run.sh: cc -O2 bench/floor.c -lcurl. Not part of conform.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct body {
    char data[4096];
    size_t len;
} body;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    body *b = ud;
    size_t len = size * n;
    if (len > sizeof b->data - 1 - b->len)
        len = sizeof b->data - 1 - b->len;
    memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return size * n;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = NULL;
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    hdr = curl_slist_append(hdr, "X-Auth-Token: demo-auth-token");
    hdr = curl_slist_append(hdr, "X-User-Id: demo-user-id");
    body b;
    curl_easy_setopt(h, CURLOPT_URL, argv[1]);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                     "{\"action\":\"close-chat\",\"sessionId\":\"bench-room\"}");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    long passed = 0;
    for (long i = 0; i < n; i++) {
        b.len = 0;
        b.data[0] = '\0';
        long status = 0;
        if (curl_easy_perform(h) == CURLE_OK &&
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200 &&
            strstr(b.data, "\"msg\":\" Close chat request handled successfully\""))
            passed++;
    }
    printf("floor: %ld requests: %ld passed, %ld failed\n", n, passed, n - passed);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return passed == n ? 0 : 1;
}
