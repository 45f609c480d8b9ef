/* tests/sweep: small helpers the sweep tests share (files, processes). */
#ifndef PESIM_TESTS_SWEEP_FILES_H
#define PESIM_TESTS_SWEEP_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* A whole file, NUL-terminated and owned by the caller; NULL if it cannot
 * be read. */
char *sw_slurp(const char *path);
/* Newlines in a file (0 when it cannot be read). */
size_t sw_lines(const char *path);
void sw_sleep_ms(long ms);
/* Wait for `pid`: its exit status, or minus the signal that ended it. */
int sw_wait_exit(pid_t pid);

#endif
