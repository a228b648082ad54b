/*
 * test_output.c - report outputs (runner/report/output.h): what a report path
 * names is written the right way and never clobbered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "report/output.h"

static char dir[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/conform-output-XXXXXX",
             base && *base && strlen(base) < 64 ? base : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = cf_asprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static char *at(const char *rel)
{
    return cf_asprintf("%s/%s", dir, rel);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
    size_t n;
    char *s = cf_read_file(path, &n);
    assert_non_null(s);
    return s;
}

/* Writes text to path through the primitive; returns its result. */
static int write_report(const char *path, const char *text, cf_error **err)
{
    cf_output *o = NULL;
    if (cf_output_open(&o, path, "test report", "--out FILE", err) < 0)
        return -1;
    if (cf_output_write(o, text, strlen(text), err) < 0) {
        cf_output_abort(o);
        return -1;
    }
    return cf_output_close(o, err);
}

/* Hidden files in dir: a temporary file left behind would show here. */
static int hidden_files(void)
{
    char *cmd = cf_asprintf("ls -A '%s' | grep -q '^\\.'", dir);
    int rc = system(cmd);
    free(cmd);
    return WEXITSTATUS(rc) == 0;
}

static void regular_file_is_replaced_keeping_its_mode(void **state)
{
    (void)state;
    char *path = at("a/b/r.xml");
    cf_error *err = NULL;
    assert_int_equal(write_report(path, "one", &err), 0); /* parents created */
    assert_int_equal(chmod(path, 0604), 0);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(write_report(path, "two", &err), 0);
    assert_int_equal(stat(path, &after), 0);
    assert_true(before.st_ino != after.st_ino); /* renamed into place, not rewritten */
    assert_int_equal(after.st_mode & 0777, 0604);
    char *got = slurp(path);
    assert_string_equal(got, "two");
    assert_false(hidden_files());
    free(got);
    free(path);
}

static void symlink_is_written_through(void **state)
{
    (void)state;
    char *target = at("real.xml"), *link = at("link.xml");
    put(target, "old");
    assert_int_equal(symlink("real.xml", link), 0); /* relative to the link's directory */
    cf_error *err = NULL;
    assert_int_equal(write_report(link, "new", &err), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* the link stays a link */
    char *got = slurp(target);
    assert_string_equal(got, "new");
    assert_false(hidden_files());
    free(got);
    free(link);
    free(target);
}

static void dangling_symlink_gets_its_target_created(void **state)
{
    (void)state;
    char *link = at("dangling.xml"), *target = at("sub/made.xml");
    assert_int_equal(symlink(target, link), 0); /* absolute, parent missing */
    cf_error *err = NULL;
    assert_int_equal(write_report(link, "made", &err), 0);
    char *got = slurp(target);
    assert_string_equal(got, "made");
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    free(got);
    free(target);
    free(link);
}

static void symlink_loop_is_refused(void **state)
{
    (void)state;
    char *a = at("loop-a"), *b = at("loop-b");
    assert_int_equal(symlink("loop-b", a), 0);
    assert_int_equal(symlink("loop-a", b), 0);
    cf_error *err = NULL;
    assert_int_equal(write_report(a, "x", &err), -1);
    assert_string_equal(err->file, a);
    assert_non_null(strstr(err->message, strerror(ELOOP)));
    assert_non_null(strstr(err->hint, "--out FILE"));
    cf_error_free(err);
    err = NULL;
    assert_int_equal(cf_output_preflight(a, "test report", NULL, &err), -1);
    cf_error_free(err);
    free(b);
    free(a);
}

/* /dev/null, and a device node of our own when root may make one: written
 * directly, the node stays a device (the rename would have made it a file). */
static void devices_are_written_directly(void **state)
{
    (void)state;
    const char *paths[] = {"/dev/null", NULL};
    char *own = at("null");
    if (geteuid() == 0 && mknod(own, S_IFCHR | 0666, makedev(1, 3)) == 0)
        paths[1] = own;
    char *link = at("to-null");
    assert_int_equal(symlink("/dev/null", link), 0);
    const char *all[] = {paths[0], link, paths[1]};
    for (size_t i = 0; i < 3 && all[i]; i++) {
        cf_error *err = NULL;
        assert_int_equal(cf_output_preflight(all[i], "test report", NULL, &err), 0);
        assert_int_equal(write_report(all[i], "discarded", &err), 0);
        assert_null(err);
        struct stat st;
        assert_int_equal(stat(all[i], &st), 0);
        assert_true(S_ISCHR(st.st_mode));
        assert_int_equal(major(st.st_rdev), 1);
        assert_int_equal(minor(st.st_rdev), 3);
    }
    assert_false(hidden_files());
    free(link);
    free(own);
}

static void fifo_gets_the_bytes(void **state)
{
    (void)state;
    char *fifo = at("pipe");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The reader: exits 0 when it read exactly the report. */
        int fd = open(fifo, O_RDONLY);
        char buf[64] = {0};
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
        _exit(n == 6 && !strcmp(buf, "report") ? 0 : 1);
    }
    cf_error *err = NULL;
    assert_int_equal(cf_output_preflight(fifo, "test report", NULL, &err), 0);
    assert_int_equal(write_report(fifo, "report", &err), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    free(fifo);
}

static void dash_is_stdout(void **state)
{
    (void)state;
    char *file = at("captured");
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    cf_error *err = NULL;
    int rc = write_report("-", "to stdout", &err);
    int still_open = fcntl(STDOUT_FILENO, F_GETFD) >= 0;
    dup2(saved, STDOUT_FILENO);
    close(saved);
    assert_int_equal(rc, 0);
    assert_true(still_open); /* "-" never closes stdout */
    char *got = slurp(file);
    assert_string_equal(got, "to stdout");
    assert_int_equal(cf_output_preflight("-", "test report", NULL, &err), 0);
    free(got);
    free(file);
}

static void directories_and_bad_names_are_refused(void **state)
{
    (void)state;
    char *d = at("adir"), *slash = at("x/");
    assert_int_equal(mkdir(d, 0755), 0);
    const char *bad[] = {d, slash, ""};
    for (size_t i = 0; i < 3; i++) {
        cf_error *err = NULL;
        assert_int_equal(cf_output_preflight(bad[i], "test report", "--out FILE", &err), -1);
        assert_non_null(err->hint);
        cf_error_free(err);
        err = NULL;
        assert_int_equal(write_report(bad[i], "x", &err), -1);
        assert_non_null(err);
        cf_error_free(err);
    }
    struct stat st;
    assert_int_equal(lstat(d, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(lstat(slash, &st), -1); /* nothing made for "x/" */
    assert_false(hidden_files());
    free(slash);
    free(d);
}

static void preflight_creates_directories_and_leaves_nothing(void **state)
{
    (void)state;
    char *path = at("deep/er/r.xml"), *parent = at("deep/er");
    cf_error *err = NULL;
    assert_int_equal(cf_output_preflight(path, "test report", NULL, &err), 0);
    struct stat st;
    assert_int_equal(stat(parent, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(stat(path, &st), -1);
    char *cmd = cf_asprintf("test -z \"$(ls -A '%s')\"", parent);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    /* A parent that is a file: located error naming the directory. */
    char *file = at("plain"), *under = at("plain/r.xml");
    put(file, "x");
    assert_int_equal(cf_output_preflight(under, "test report", "--out FILE", &err), -1);
    assert_string_equal(err->file, under);
    assert_non_null(strstr(err->message, strerror(ENOTDIR)));
    cf_error_free(err);
    free(under);
    free(file);
    free(parent);
    free(path);
}

/* A failed write leaves a regular-file target as it was, no temporary. */
static void aborted_output_leaves_the_old_report(void **state)
{
    (void)state;
    char *path = at("keep.xml");
    put(path, "OLD");
    cf_output *o = NULL;
    cf_error *err = NULL;
    assert_int_equal(cf_output_open(&o, path, NULL, NULL, &err), 0);
    assert_int_equal(cf_output_write(o, "half", 4, &err), 0);
    cf_output_abort(o);
    char *got = slurp(path);
    assert_string_equal(got, "OLD");
    assert_false(hidden_files());
    free(got);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regular_file_is_replaced_keeping_its_mode),
        cmocka_unit_test(symlink_is_written_through),
        cmocka_unit_test(dangling_symlink_gets_its_target_created),
        cmocka_unit_test(symlink_loop_is_refused),
        cmocka_unit_test(devices_are_written_directly),
        cmocka_unit_test(fifo_gets_the_bytes),
        cmocka_unit_test(dash_is_stdout),
        cmocka_unit_test(directories_and_bad_names_are_refused),
        cmocka_unit_test(preflight_creates_directories_and_leaves_nothing),
        cmocka_unit_test(aborted_output_leaves_the_old_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
