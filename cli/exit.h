/*
 * exit.h - conform's exit codes, the same for every command.
 */
#ifndef CONFORM_EXIT_H
#define CONFORM_EXIT_H

/* 0: every case passed (skips and known deviations allowed), or the command
 * succeeded; 1: a case failed or errored (or a command found problems);
 * 2: bad usage, config or input, and nothing was sent. */
enum { CF_EXIT_OK = 0, CF_EXIT_FAILED = 1, CF_EXIT_USAGE = 2 };

#endif
