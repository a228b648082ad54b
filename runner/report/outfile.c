/*
 * outfile.c - report documents assembled at the end (contract in outfile.h).
 */
#include "report/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

int cf_outfile_open(cf_outfile *o, const char *path, const char *what, const char *option,
                    cf_error **err)
{
    *o = (cf_outfile){.what = what};
    return cf_output_open(&o->output, path, what, option, err);
}

void cf_outfile_stream(cf_outfile *o, FILE *stream, const char *what)
{
    *o = (cf_outfile){.stream = stream, .what = what};
}

void cf_outfile_write(cf_outfile *o, const void *data, size_t len)
{
    if (o->failed || !len)
        return;
    if (o->stream) {
        if (fwrite(data, 1, len, o->stream) != len)
            o->failed = errno ? errno : EIO;
    } else if (o->output && cf_output_write(o->output, data, len, &o->werr) < 0) {
        o->failed = EIO;
    }
}

int cf_outfile_commit(cf_outfile *o, cf_error **err)
{
    int rc = 0;
    if (o->stream) {
        if (!o->failed && fflush(o->stream) != 0)
            o->failed = errno ? errno : EIO;
        if (o->failed)
            rc = cf_error_set(err, NULL, 0, 0, NULL, "cannot write the %s: %s", o->what,
                              strerror(o->failed));
    } else if (o->output) {
        rc = cf_output_close(o->output, err); /* reports the first write error */
        o->output = NULL;
    } else {
        rc = cf_error_set(err, NULL, 0, 0, NULL, "cannot write the %s: not open", o->what);
    }
    cf_outfile_abort(o);
    return rc;
}

void cf_outfile_abort(cf_outfile *o)
{
    cf_output_abort(o->output);
    o->output = NULL;
    o->stream = NULL;
    cf_error_free(o->werr);
    o->werr = NULL;
}

/* ---------------------------------------------------------------- spool */

/* mkstemp in dir, unlinked at once. */
static int anonymous_in(const char *dir)
{
    char *tmp = cf_asprintf("%s/.conform-spool.XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
        unlink(tmp);
    }
    free(tmp);
    return fd;
}

int cf_spool_open(cf_spool *s, const char *near, const char *what, cf_error **err)
{
    *s = (cf_spool){.fd = -1};
    /* Beside the report first: the body can be as large as the report, and
     * the report's file system is the one known to hold it. */
    if (near && strcmp(near, "-")) {
        const char *slash = strrchr(near, '/');
        char *dir =
            slash ? cf_strndup(near, slash == near ? 1 : (size_t)(slash - near)) : cf_strdup(".");
        s->fd = anonymous_in(dir);
        free(dir);
    }
    if (s->fd < 0) {
        const char *tmpdir = getenv("TMPDIR");
        s->fd = anonymous_in(tmpdir && *tmpdir ? tmpdir : "/tmp");
    }
    if (s->fd < 0)
        return cf_error_set(err, near, 0, 0, "set TMPDIR to a writable directory",
                            "cannot create a temporary file for the %s: %s", what, strerror(errno));
    return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

void cf_spool_write(cf_spool *s, const void *data, size_t len)
{
    if (s->failed || s->fd < 0 || !len)
        return;
    if (write_all(s->fd, data, len) < 0)
        s->failed = errno ? errno : EIO;
    else
        s->size += (off_t)len;
}

void cf_spool_copy(cf_spool *s, off_t from, off_t len, cf_outfile *o)
{
    char buf[16 * 1024]; /* on the stack at the end of a run: part of its peak RSS */
    while (len > 0 && !o->failed && !s->failed) {
        size_t want = len < (off_t)sizeof buf ? (size_t)len : sizeof buf;
        ssize_t n = pread(s->fd, buf, want, from);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->failed = n < 0 ? errno : EIO;
            break;
        }
        cf_outfile_write(o, buf, (size_t)n);
        from += n;
        len -= n;
    }
}

void cf_spool_close(cf_spool *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}
