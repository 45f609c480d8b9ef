/* Atomic output: a failed run never leaves a half-written -o file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

int pesim_cli_output(const char *path, pesim_cli_writer write,
                     const void *data, pesim_diags *diags)
{
    if (!path || strcmp(path, "-") == 0) {
        int rc = write(stdout, data);
        if (fflush(stdout) != 0 || rc == PESIM_E_IO) {
            pesim_diags_add(diags, "<stdout>", 0, 0, "write failed: %s",
                            strerror(errno));
            return PESIM_E_IO;
        }
        return rc;
    }

    /* The temporary file sits beside the target ("dir/.name.XXXXXX") so
     * that rename() stays within one file system and is atomic. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t len = strlen(path);
    char *tmp = malloc(len + 10);
    if (!tmp)
        return PESIM_E_NOMEM;
    memcpy(tmp, path, dirlen);
    snprintf(tmp + dirlen, len + 10 - dirlen, ".%s.XXXXXX", path + dirlen);

    int fd = mkstemp(tmp);
    if (fd < 0) {
        pesim_diags_add(diags, path, 0, 0, "cannot create output file: %s",
                        strerror(errno));
        free(tmp);
        return PESIM_E_IO;
    }
    /* mkstemp makes the file 0600; give it the mode a plain fopen would. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);

    int rc = 0;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        rc = PESIM_E_IO;
    } else {
        rc = write(f, data);
        if (fclose(f) != 0 && !rc)
            rc = PESIM_E_IO;
    }
    if (!rc && rename(tmp, path) != 0)
        rc = PESIM_E_IO;
    if (rc) {
        if (rc == PESIM_E_IO)
            pesim_diags_add(diags, path, 0, 0, "cannot write output file: %s",
                            strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* A shell word: as is when it holds only safe characters, else in single
 * quotes (a quote inside becomes '\''). */
static void shell_word(FILE *f, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "_-+=.,:/@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

char *pesim_cli_command_line(const char *cmd, int argc, char **argv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs(cmd, f);
    for (int i = 0; i < argc; i++) {
        fputc(' ', f);
        shell_word(f, argv[i]);
    }
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}
