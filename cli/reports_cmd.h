/*
 * reports_cmd.h - the commands that work on JUnit reports already written:
 *
 *   conform diff [--format text|json|markdown] BEFORE.xml AFTER.xml
 *       what changed between two runs, case by case (suite + case id):
 *       regressions, fixed, changed findings, known deviations that appeared
 *       or went, new and removed cases, skips, and the versions recorded in
 *       the reports' properties. Exit 0: no regression; 1: regressions;
 *       2: bad usage or input.
 *   conform merge -o OUT [--allow-duplicates] IN...
 *       one report from several (shards, or any JUnit the Jenkins schema
 *       accepts): totals recomputed, properties merged; a case in two inputs
 *       is refused unless --allow-duplicates. Exit 0, or 2 on bad input.
 *
 * argv[0] is the command name; options are parsed with getopt_long (optind
 * reset first). Both return the exit code.
 */
#ifndef CONFORM_REPORTS_CMD_H
#define CONFORM_REPORTS_CMD_H

int cf_diff_main(int argc, char **argv);
int cf_merge_main(int argc, char **argv);

#endif
