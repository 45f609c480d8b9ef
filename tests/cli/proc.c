/* tests/cli: fork/exec of the pesim binary with stdout and stderr sent to
 * temporary files, read back after the child exits (no pipe deadlocks on
 * large outputs). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"

const char *proc_pesim_path(void)
{
    static char path[4096];
    const char *root = getenv("PESIM_BUILD_ROOT");
    snprintf(path, sizeof path, "%s/cli/pesim", root ? root : "build");
    return path;
}

char *proc_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static struct proc_result spawn(char *const argv[], const char *cwd,
                                const char *path_env)
{
    struct proc_result r = {-1, NULL, 0, NULL, 0};
    char out_name[] = "/tmp/pesim-test-out-XXXXXX";
    char err_name[] = "/tmp/pesim-test-err-XXXXXX";
    int out_fd = mkstemp(out_name);
    int err_fd = mkstemp(err_name);
    if (out_fd < 0 || err_fd < 0)
        return r;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0)
            dup2(in, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(127);
        if (path_env)
            setenv("PATH", path_env, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (pid > 0 && WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    close(out_fd);
    close(err_fd);
    r.out = proc_read_file(out_name, &r.out_len);
    r.err = proc_read_file(err_name, &r.err_len);
    unlink(out_name);
    unlink(err_name);
    return r;
}

struct proc_result proc_run(const char *const *args)
{
    char *argv[64];
    size_t n = 0;
    argv[n++] = (char *)proc_pesim_path();
    for (; args[n - 1] && n < 63; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    return spawn(argv, NULL, NULL);
}

struct proc_result proc_sh(const char *line, const char *cwd)
{
    char dir[4096], path_env[8192];
    snprintf(dir, sizeof dir, "%s", proc_pesim_path());
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    const char *old = getenv("PATH");
    snprintf(path_env, sizeof path_env, "%s:%s", dir, old ? old : "/usr/bin:/bin");
    char *argv[] = {"/bin/sh", "-c", (char *)line, NULL};
    return spawn(argv, cwd, path_env);
}

void proc_free(struct proc_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

struct proc_result proc_run_args(const char *first, ...)
{
    const char *args[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < 63; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    return proc_run(args);
}

void proc_expect(struct proc_result *r, int status, const char *out_has, const char *err_has)
{
    const char *why = NULL;
    if (!r->out || !r->err)
        why = "output not captured";
    else if (r->status != status)
        why = "unexpected exit status";
    else if (out_has && !strstr(r->out, out_has))
        why = "stdout lacks the expected text";
    else if (err_has && !strstr(r->err, err_has))
        why = "stderr lacks the expected text";
    if (!why)
        return;
    fprintf(stderr, "%s: exit %d (expected %d), stdout should have '%s', "
            "stderr should have '%s'\n--- stdout:\n%s\n--- stderr:\n%s\n",
            why, r->status, status, out_has ? out_has : "",
            err_has ? err_has : "", r->out ? r->out : "", r->err ? r->err : "");
    proc_free(r);
    fail();
}
