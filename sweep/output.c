/* Results files written whole: a temporary file in the same directory,
 * synced, renamed over the target, and the directory synced; a reader sees
 * the old file or the new one, never a part. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep/internal.h"

static void sync_dir(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash) {
        *slash = '\0';
        d = dir[0] ? dir : "/";
    }
    int fd = open(d, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int sweep_write_rows(const char *out, const char *preamble, const char *header,
                     char *const *rows, size_t n, bool index_prefix, pesim_diags *diags)
{
    size_t len = strlen(out) + 16;
    char *tmp = malloc(len);
    if (!tmp)
        return PESIM_E_NOMEM;
    snprintf(tmp, len, "%s.tmpXXXXXX", out);
    int fd = mkstemp(tmp);
    if (fd >= 0) { /* mkstemp makes 0600: give the file the mode open() would */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        pesim_diags_add(diags, out, 0, 0, "cannot create the results file: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return PESIM_E_IO;
    }
    if (preamble)
        fprintf(f, "%s\n", preamble);
    if (header && header[0])
        fprintf(f, "%s%s\n", index_prefix ? "index," : "", header);
    for (size_t i = 0; i < n; i++)
        if (rows[i]) {
            if (index_prefix)
                fprintf(f, "%zu,", i);
            fprintf(f, "%s\n", rows[i]);
        }
    int rc = fflush(f) || fsync(fileno(f)) ? PESIM_E_IO : 0;
    if (fclose(f))
        rc = PESIM_E_IO;
    if (!rc && rename(tmp, out) != 0)
        rc = PESIM_E_IO;
    if (rc) {
        pesim_diags_add(diags, out, 0, 0, "cannot write the results file: %s", strerror(errno));
        unlink(tmp);
    } else {
        sync_dir(out);
    }
    free(tmp);
    return rc;
}
