/*
 * datadir.h - where the shipped suites, specs, deviation ledgers and example
 * configurations are (the "data folder"), for --builtin and --data-dir.
 *
 * Search order, first folder that holds suites/ wins:
 *   1. $CONFORM_DATA_DIR (when set it must hold suites/, else an error);
 *   2. ../share/conform from the folder of the running executable, so an
 *      installed tree works wherever it was installed or unpacked;
 *   3. the data folder chosen at build time (CMAKE_INSTALL_FULL_DATADIR);
 *   4. the source tree conform was built from (a checkout's build/conform).
 */
#ifndef CONFORM_DATADIR_H
#define CONFORM_DATADIR_H

/* The data folder (caller frees), or NULL after printing why on stderr. */
char *cf_datadir_find(void);

#endif
