/* util: path joining, did-you-mean distances, buffers, reading files. */
#define _GNU_SOURCE /* popen, mkdtemp */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/util.h"

static void check_join(const char *dir, const char *rel, const char *want)
{
    char *got = cf_path_join(dir, rel);
    assert_string_equal(got, want);
    free(got);
}

static void paths_join_and_normalise(void **state)
{
    check_join("suites/oracle", "../../specs/x.yaml", "specs/x.yaml");
    check_join(".", "specs/x.yaml", "specs/x.yaml");
    check_join("a/./b", "./c.yaml", "a/b/c.yaml");
    check_join("a", "../../x.yaml", "../x.yaml");
    check_join("/srv/suites", "../specs/x.yaml", "/srv/specs/x.yaml");
    check_join("suites", "/abs/x.yaml", "/abs/x.yaml");
    check_join("/", "../x", "/x");
    (void)state;
}

static void did_you_mean_counts_transpositions(void **state)
{
    static const char *const cmds[] = {"run", "list", "validate"};
    assert_int_equal(cf_edit_distance("rnu", "run"), 1);
    assert_string_equal(cf_did_you_mean("rnu", cmds, 3), "run");
    assert_string_equal(cf_did_you_mean("valdiate", cmds, 3), "validate");
    assert_null(cf_did_you_mean("zzz", cmds, 3));
    (void)state;
}

static void buffers_format_in_place_and_grow(void **state)
{
    cf_buf b = {0};
    for (int i = 0; i < 1000; i++)
        cf_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_string_equal(b.data + b.len - 4, "999,");
    char *s = cf_buf_take(&b);
    assert_null(b.data);
    free(s);
    (void)state;
}

/* Every file conform reads whole stops at CF_READ_MAX; a device is refused
 * before a byte is read (it could block or never end); pipes are read. */
static void files_are_read_within_the_limit(void **state)
{
    char dir[] = "/tmp/conform-util-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *big = cf_asprintf("%s/big.yaml", dir);
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)CF_READ_MAX + 1), 0); /* sparse */
    fclose(f);
    size_t len = 0;
    errno = 0;
    assert_null(cf_read_file(big, &len));
    assert_int_equal(errno, EFBIG);
    assert_string_equal(cf_read_strerror(EFBIG),
                        "larger than 268435456 bytes, the limit of a file conform reads (256 MiB)");
    f = fopen(big, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 3), 0);
    fclose(f);
    char *text = cf_read_file(big, &len);
    assert_non_null(text);
    assert_int_equal(len, 3);
    assert_memory_equal(text, "\0\0\0", 3);
    free(text);
    unlink(big);
    free(big);
    errno = 0;
    assert_null(cf_read_file("/dev/zero", &len));
    assert_int_equal(errno, ENODEV);
    errno = 0;
    assert_null(cf_read_file(dir, &len));
    assert_int_equal(errno, EISDIR);
    rmdir(dir);
    FILE *p = popen("printf 'a: 1'", "r");
    assert_non_null(p);
    text = cf_read_stream(p, &len);
    pclose(p);
    assert_non_null(text);
    assert_string_equal(text, "a: 1");
    free(text);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths_join_and_normalise),
        cmocka_unit_test(did_you_mean_counts_transpositions),
        cmocka_unit_test(buffers_format_in_place_and_grow),
        cmocka_unit_test(files_are_read_within_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
