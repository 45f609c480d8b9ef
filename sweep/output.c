/* Results files written whole (common/file: a temporary file in the same
 * directory, synced, renamed over the target, and the directory synced); a
 * reader sees the old file or the new one, never a part. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "sweep/internal.h"

int sweep_write_rows(const char *out, const char *preamble, const char *header,
                     char *const *rows, size_t n, bool index_prefix, pesim_diags *diags)
{
    pesim_outfile *of;
    FILE *f;
    int rc = pesim_out_open(out, PESIM_OUT_SYNC, &of, &f, diags);
    if (rc)
        return rc;
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
    return pesim_out_commit(of, diags);
}
