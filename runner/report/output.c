/*
 * output.c - report outputs (contract in output.h).
 */
#include "report/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/util.h"

enum { MAX_LINKS = 40 }; /* Linux's own limit for one path walk */

typedef enum { OUT_STDOUT, OUT_DIRECT, OUT_ATOMIC } out_kind;

struct cf_output {
    out_kind kind;
    int fd;
    int failed;   /* errno of the first failed write, 0 if none */
    char *path;   /* as given, for messages */
    char *target; /* the resolved file renamed onto (OUT_ATOMIC) */
    char *dir;    /* target's directory, NULL for the current one */
    char *tmp;    /* the temporary file while it exists */
    const char *what, *option;
};

static const char *label(const char *what)
{
    return what ? what : "report";
}

static char *hint_for(int e, const char *option)
{
    const char *opt = option ? option : "another path";
    switch (e) {
    case EACCES:
    case EPERM:
    case EROFS:
        return cf_asprintf("check that the directory is writable, or choose another path with %s",
                           opt);
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return cf_strdup("free disk space (or raise the quota or file size limit) and run again");
    case ENOTDIR:
    case EEXIST:
        return cf_asprintf(
            "a component of the path is a file, not a directory; choose another path with %s", opt);
    case EISDIR:
        return cf_strdup("the path names a directory; give a file name such as reports/junit.xml");
    case ELOOP:
        return cf_asprintf("the path is a loop of symbolic links; choose another path with %s",
                           opt);
    default:
        return cf_asprintf("choose another path with %s", opt);
    }
}

/* Sets *err to "PATH: cannot DOING the WHAT: strerror (hint: ...)". */
static int fail(cf_error **err, const char *path, int e, const char *what, const char *option,
                const char *doing)
{
    char *hint = hint_for(e, option);
    cf_error_set(err, path, 0, 0, hint, "cannot %s the %s: %s", doing, label(what), strerror(e));
    free(hint);
    return -1;
}

/* mkdir -p. On failure returns -1 with errno set and *failed naming the
 * directory that could not be created (dir is cut there). */
static int mkdir_p(char *dir, const char **failed)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(dir, 0777);
        int e = errno;
        if (rc < 0 && e != EEXIST) {
            *failed = dir;
            errno = e;
            return -1;
        }
        *p = '/';
    }
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        *failed = dir;
        return -1;
    }
    return 0;
}

/* The directory part of path (NULL for the current directory: no slash). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return NULL;
    return cf_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Follows symbolic links from path to the first name that is not one (it may
 * not exist). NULL with errno set on a loop or an unreadable link. */
static char *resolve_links(const char *path)
{
    char *cur = cf_strdup(path);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
            return cur;
        if (hops == MAX_LINKS) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
        char *link = cf_xmalloc(cap);
        ssize_t n = readlink(cur, link, cap);
        if (n < 0 || (size_t)n >= cap) {
            int e = n < 0 ? errno : ENAMETOOLONG;
            free(link);
            free(cur);
            errno = e;
            return NULL;
        }
        link[n] = '\0';
        char *next;
        char *dir = dir_of(cur);
        if (link[0] == '/' || !dir)
            next = cf_strdup(link);
        else
            next = cf_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", link);
        free(dir);
        free(link);
        free(cur);
        cur = next;
    }
}

/* The process umask without changing it (other threads may create files):
 * /proc/self/status has it since Linux 4.7; otherwise set and restore. */
static mode_t current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (f) {
        char line[256];
        unsigned mask;
        while (fgets(line, sizeof line, f)) {
            if (sscanf(line, "Umask: %o", &mask) == 1) {
                fclose(f);
                return (mode_t)mask;
            }
        }
        fclose(f);
    }
    mode_t mask = umask(022);
    umask(mask);
    return mask;
}

/* Checks the path names a file (not "dir/") and is not empty. */
static int check_name(const char *path, const char *what, const char *option, cf_error **err)
{
    if (!path || !*path) {
        char *hint = cf_asprintf("pass %s", option ? option : "a path");
        cf_error_set(err, NULL, 0, 0, hint, "%s: no path to write it to", label(what));
        free(hint);
        return -1;
    }
    size_t n = strlen(path);
    if (path[n - 1] == '/') {
        char *hint = hint_for(EISDIR, option);
        cf_error_set(err, path, 0, 0, hint, "cannot write the %s: the path names a directory",
                     label(what));
        free(hint);
        return -1;
    }
    return 0;
}

/* Classifies an existing final target: 0 regular or absent, 1 written
 * directly (device, FIFO), -1 refused with errno set. */
static int classify(const char *target, struct stat *st, int *exists)
{
    *exists = stat(target, st) == 0;
    if (!*exists)
        return 0;
    if (S_ISREG(st->st_mode))
        return 0;
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) || S_ISFIFO(st->st_mode))
        return 1;
    errno = S_ISDIR(st->st_mode) ? EISDIR : ENXIO;
    return -1;
}

static int open_atomic(cf_output *o, const struct stat *st, int exists, cf_error **err)
{
    const char *slash = strrchr(o->target, '/');
    const char *base = slash ? slash + 1 : o->target;
    o->dir = dir_of(o->target);
    o->tmp = o->dir ? cf_asprintf("%s/.%s.XXXXXX", strcmp(o->dir, "/") ? o->dir : "", base)
                    : cf_asprintf(".%s.XXXXXX", base);
    const char *failed = NULL;
    if (o->dir && mkdir_p(o->dir, &failed) < 0) {
        int e = errno;
        char *hint = hint_for(e, o->option);
        cf_error_set(err, o->path, 0, 0, hint, "cannot create directory %s: %s", failed,
                     strerror(e));
        free(hint);
        return -1;
    }
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        return fail(err, o->path, e, o->what, o->option, "create a temporary file for");
    }
    (void)fcntl(o->fd, F_SETFD, FD_CLOEXEC);
    /* Best effort: some file systems refuse fchmod/fchown; a report readable
     * by its owner only is still a report. mkstemp's 0600 would hide it from
     * CI artifact collectors running as another user. */
    (void)fchmod(o->fd, exists ? st->st_mode & 07777 : 0666 & ~current_umask());
    if (exists && geteuid() == 0)
        (void)fchown(o->fd, st->st_uid, st->st_gid);
    return 0;
}

int cf_output_open(cf_output **out, const char *path, const char *what, const char *option,
                   cf_error **err)
{
    *out = NULL;
    if (check_name(path, what, option, err) < 0)
        return -1;
    cf_output *o = cf_xcalloc(1, sizeof *o);
    o->path = cf_strdup(path);
    o->fd = -1;
    o->what = what;
    o->option = option;
    if (!strcmp(path, "-")) {
        o->kind = OUT_STDOUT;
        o->fd = STDOUT_FILENO;
        *out = o;
        return 0;
    }
    o->target = resolve_links(path);
    if (!o->target) {
        fail(err, path, errno, what, option, "resolve the path of");
        cf_output_abort(o);
        return -1;
    }
    struct stat st;
    int exists;
    int kind = classify(o->target, &st, &exists);
    if (kind < 0) {
        fail(err, path, errno, what, option, "write");
        cf_output_abort(o);
        return -1;
    }
    if (kind == 1) {
        o->kind = OUT_DIRECT;
        o->fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (o->fd < 0) {
            fail(err, path, errno, what, option, "open");
            cf_output_abort(o);
            return -1;
        }
    } else {
        o->kind = OUT_ATOMIC;
        if (open_atomic(o, &st, exists, err) < 0) {
            cf_output_abort(o);
            return -1;
        }
    }
    *out = o;
    return 0;
}

int cf_output_write(cf_output *o, const void *data, size_t len, cf_error **err)
{
    const char *p = data;
    while (!o->failed && len) {
        ssize_t n = write(o->fd, p, len);
        if (n < 0) {
            if (errno != EINTR)
                o->failed = errno ? errno : EIO;
            continue;
        }
        p += n;
        len -= (size_t)n;
    }
    if (o->failed)
        return fail(err, o->path, o->failed, o->what, o->option, "write");
    return 0;
}

static int finish_atomic(cf_output *o, cf_error **err)
{
    if (fsync(o->fd) < 0)
        return fail(err, o->path, errno, o->what, o->option, "write");
    int closed = close(o->fd);
    o->fd = -1;
    if (closed < 0)
        return fail(err, o->path, errno, o->what, o->option, "write");
    if (rename(o->tmp, o->target) < 0)
        return fail(err, o->path, errno, o->what, o->option, "replace");
    free(o->tmp);
    o->tmp = NULL; /* renamed: nothing to remove */
    /* Makes the rename durable. Best effort: the report is complete and in
     * place either way, and some file systems refuse fsync on a directory. */
    int dfd = open(o->dir ? o->dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}

int cf_output_close(cf_output *o, cf_error **err)
{
    if (!o)
        return 0;
    int rc = 0;
    if (o->failed) {
        rc = fail(err, o->path, o->failed, o->what, o->option, "write");
    } else if (o->kind == OUT_ATOMIC) {
        rc = finish_atomic(o, err);
    } else if (o->kind == OUT_DIRECT) {
        int closed = close(o->fd);
        o->fd = -1;
        if (closed < 0)
            rc = fail(err, o->path, errno, o->what, o->option, "write");
    }
    cf_output_abort(o);
    return rc;
}

void cf_output_abort(cf_output *o)
{
    if (!o)
        return;
    if (o->fd >= 0 && o->kind != OUT_STDOUT)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->dir);
    free(o->target);
    free(o->path);
    free(o);
}

/* Creates and removes a temporary file in target's directory (created if
 * missing): the only honest test that the rename will work (access() says
 * yes to root on a read-only mount's sibling paths and ignores ACL quirks). */
static int probe_dir(const char *path, const char *target, const char *what, const char *option,
                     cf_error **err)
{
    char *dir = dir_of(target);
    int rc = -1;
    const char *failed = NULL;
    if (dir && mkdir_p(dir, &failed) < 0) {
        int e = errno;
        char *hint = hint_for(e, option);
        cf_error_set(err, path, 0, 0, hint, "cannot create directory %s: %s", failed, strerror(e));
        free(hint);
        goto done;
    }
    char *probe = cf_asprintf("%s/.conform-probe.XXXXXX", dir ? dir : ".");
    int fd = mkstemp(probe);
    if (fd < 0) {
        fail(err, path, errno, what, option, "write");
        free(probe);
        goto done;
    }
    close(fd);
    unlink(probe);
    free(probe);
    rc = 0;
done:
    free(dir);
    return rc;
}

int cf_output_preflight(const char *path, const char *what, const char *option, cf_error **err)
{
    if (check_name(path, what, option, err) < 0)
        return -1;
    if (!strcmp(path, "-"))
        return 0;
    char *target = resolve_links(path);
    if (!target)
        return fail(err, path, errno, what, option, "resolve the path of");
    struct stat st;
    int exists, rc = 0;
    int kind = classify(target, &st, &exists);
    if (kind < 0)
        rc = fail(err, path, errno, what, option, "write");
    else if (kind == 1 && access(target, W_OK) < 0)
        rc = fail(err, path, errno, what, option, "open");
    else if (kind == 0)
        rc = probe_dir(path, target, what, option, err);
    free(target);
    return rc;
}
