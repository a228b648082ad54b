/*
 * output.h - where a report goes: the one way every report writer (JUnit,
 * and any later JSON, HTML or Markdown writer) opens, writes and finishes its
 * output path, so that none of them clobbers what the path names.
 *
 * What a path gets, decided when it is opened:
 *   "-"                       standard output, written directly (never closed).
 *   a regular file, or        a temporary file ".NAME.XXXXXX" in the same
 *   nothing yet               directory, fsync'ed and renamed onto the path by
 *                             cf_output_close(): readers see the old report or
 *                             the complete new one, never half of one. An
 *                             existing file's mode (and, as root, owner) is
 *                             kept; a new file gets 0666 minus the umask.
 *                             Missing parent directories are created.
 *   a symbolic link           followed (up to 40 links, relative targets taken
 *                             from the link's directory) and the rules applied
 *                             to its final target: the link itself stays, the
 *                             file it points to is replaced atomically (a
 *                             dangling link gets its target created).
 *   a character or block      opened and written directly, never replaced:
 *   device, a FIFO            `-o /dev/null` as root keeps the device node, a
 *                             named pipe gets the bytes (opening a FIFO blocks
 *                             until a reader opens it, as a shell redirection
 *                             does).
 *   a directory, a socket     refused with a located error.
 * A hard-linked regular file is replaced, not written through: the other
 * names keep the old content (atomic replacement cannot do both).
 *
 * Errors follow base/error.h: the message names the path, what failed and
 * strerror, with a hint naming the option that chose the path. On any
 * failure before cf_output_close() succeeds, a regular-file target is left
 * as it was and no temporary file stays behind.
 *
 * Thread safety: one cf_output is used by one thread at a time; different
 * outputs are independent. Opening reads the umask from /proc/self/status
 * (falling back to setting and restoring it when /proc is absent), so it
 * can be called while workers run.
 */
#ifndef CONFORM_OUTPUT_H
#define CONFORM_OUTPUT_H

#include <stddef.h>

#include "base/error.h"

typedef struct cf_output cf_output;

/* Opens path for a report. what names the report in messages ("JUnit
 * report"); option is the command-line option that chose the path, for hints
 * ("--junit FILE"). Either may be NULL. */
int cf_output_open(cf_output **out, const char *path, const char *what, const char *option,
                   cf_error **err);
/* Writes len bytes (all of them, retrying short writes and EINTR). After a
 * failure every later write fails too and close reports the first error. */
int cf_output_write(cf_output *o, const void *data, size_t len, cf_error **err);
/* Finishes the output and frees o: for a regular file fsync, rename onto the
 * path and fsync of the directory (best effort); for stdout, devices and
 * pipes the write errors seen so far. o is freed whatever the result. */
int cf_output_close(cf_output *o, cf_error **err);
/* Gives up: removes the temporary file (the path keeps its old content) and
 * frees o. NULL is fine. */
void cf_output_abort(cf_output *o);

/* Checks, before any request is sent, that cf_output_open(path) would work:
 * creates missing parent directories, and for a regular file (or none yet)
 * creates and removes a temporary file beside it; for a device or FIFO checks
 * write permission without opening it (a FIFO open would block). Nothing
 * existing is modified. */
int cf_output_preflight(const char *path, const char *what, const char *option, cf_error **err);

#endif
