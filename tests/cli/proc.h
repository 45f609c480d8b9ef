/* tests/cli: run the pesim binary and capture its output. */
#ifndef PESIM_TESTS_CLI_PROC_H
#define PESIM_TESTS_CLI_PROC_H

#include <stddef.h>

struct proc_result {
    int status; /* exit status, or -1 if it did not exit normally */
    char *out;  /* stdout, NUL-terminated, owned */
    size_t out_len;
    char *err; /* stderr */
    size_t err_len;
};

/* $PESIM_BUILD_ROOT/cli/pesim (a static buffer). */
const char *proc_pesim_path(void);

/* Run pesim with the NULL-terminated argument list (without argv[0]) in
 * the current directory. */
struct proc_result proc_run(const char *const *args);
/* Run a shell command line (sh -c) with the pesim binary's directory first
 * on PATH, in directory `cwd`. */
struct proc_result proc_sh(const char *line, const char *cwd);
void proc_free(struct proc_result *r);

/* proc_run with the arguments listed (NULL-terminated; at most 63). */
struct proc_result proc_run_args(const char *first, ...);
#define RUN(...) proc_run_args(__VA_ARGS__, (const char *)NULL)

/* Check the exit status and that stdout and stderr hold the given texts
 * (NULL: anything). On a mismatch, print everything (cmocka truncates its
 * messages), free the result so that a failing test does not also report
 * a leak, and fail the test. */
void proc_expect(struct proc_result *r, int status, const char *out_has, const char *err_has);

/* Read a whole file; NULL if it cannot be read. */
char *proc_read_file(const char *path, size_t *len);

#endif
