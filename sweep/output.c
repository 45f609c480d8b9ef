/* Results files written whole (common/file: a temporary file in the same
 * directory, synced, renamed over the target, and the directory synced); a
 * reader sees the old file or the new one, never a part. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "sweep/internal.h"

/* Everything goes through here, so that the trailer's checksum covers
 * exactly the bytes before it. */
static void put(FILE *f, uint64_t *h, const char *s, size_t n)
{
    fwrite(s, 1, n, f);
    *h = pesim_fnv1a(s, n, *h);
}

static void put_line(FILE *f, uint64_t *h, const char *prefix, const char *s)
{
    put(f, h, prefix, strlen(prefix));
    put(f, h, s, strlen(s));
    put(f, h, "\n", 1);
}

int sweep_write_rows(const char *out, const char *preamble, const char *header,
                     char *const *rows, size_t n, bool index_prefix, bool trailer,
                     pesim_diags *diags)
{
    pesim_outfile *of;
    FILE *f;
    int rc = pesim_out_open(out, PESIM_OUT_SYNC, &of, &f, diags);
    if (rc) /* nothing written: -o names a place pesim cannot write */
        return rc == PESIM_E_IO ? PESIM_E_INVALID : rc;
    uint64_t h = PESIM_FNV_INIT;
    size_t nrows = 0;
    if (preamble)
        put_line(f, &h, "", preamble);
    if (header && header[0])
        put_line(f, &h, index_prefix ? "index," : "", header);
    for (size_t i = 0; i < n; i++)
        if (rows[i]) {
            char prefix[32] = "";
            if (index_prefix)
                snprintf(prefix, sizeof prefix, "%zu,", i);
            put_line(f, &h, prefix, rows[i]);
            nrows++;
        }
    if (trailer)
        fprintf(f, SWEEP_TRAILER "rows=%zu fnv1a=%016" PRIx64 "\n", nrows, h);
    return pesim_out_commit(of, diags);
}

static unsigned line_of(const char *text, size_t off)
{
    unsigned ln = 1;
    for (size_t i = 0; i < off; i++)
        ln += text[i] == '\n';
    return ln;
}

/* Rows are the lines that are neither comments nor a header; a row never
 * starts with "id," (ids are hex) or "index," (indices are digits). */
static size_t count_rows(const char *text, size_t len)
{
    size_t n = 0;
    for (const char *p = text; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        if (l && p[0] != '#' && strncmp(p, "id,", 3) != 0 && strncmp(p, "index,", 6) != 0)
            n++;
        p += l + 1;
    }
    return n;
}

int sweep_check_trailer(const char *path, const char *text, size_t len, bool required,
                        size_t *body, pesim_diags *diags)
{
    *body = len;
    if (len == 0) {
        if (!required)
            return 0;
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, 1, 1,
                         "empty, expected the rows of a shard and its end "
                         "line '" SWEEP_TRAILER "rows=N fnv1a=H' (the shard did not finish, or "
                         "the file was cut when copied)");
        return PESIM_E_INVALID;
    }
    size_t start = len - 1;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    unsigned ln = line_of(text, start);
    if (text[len - 1] != '\n') {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, ln, 1,
                         "the last line is cut short (no newline ends it): "
                         "the file is torn, expected whole lines%s", required
                         ? " and the end line '" SWEEP_TRAILER "rows=N fnv1a=H' last (run the "
                          "shard again)" : " as pesim writes them (write it again)");
        return PESIM_E_INVALID;
    }
    size_t tl = sizeof SWEEP_TRAILER - 1;
    if (len - start < tl || memcmp(text + start, SWEEP_TRAILER, tl) != 0) {
        if (!required)
            return 0;
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, ln, 1,
                         "no end line after the last row, expected '"
                         SWEEP_TRAILER "rows=N fnv1a=H' as a shard writes it when it "
                         "is complete: the part is torn or incomplete (run its shard "
                         "again)");
        return PESIM_E_INVALID;
    }
    size_t rows;
    char sum[17] = "", end[2] = "";
    int got = sscanf(text + start + tl, "rows=%zu fnv1a=%16[0-9a-f]%1[^\n]", &rows, sum, end);
    if (got != 2 || strlen(sum) != 16) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, ln, 1,
                         "got '%.*s', expected '" SWEEP_TRAILER "rows=N "
                         "fnv1a=H' with H 16 hex digits", (int)(len - start - 1 < 120
                                                               ? len - start - 1 : 120),
                         text + start);
        return PESIM_E_INVALID;
    }
    size_t have = count_rows(text, start);
    if (have != rows) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, ln, 1,
                         "the end line counts %zu rows, but %zu precede it: "
                         "rows were lost or added after pesim wrote the file", rows, have);
        return PESIM_E_INVALID;
    }
    char want[17];
    snprintf(want, sizeof want, "%016" PRIx64, pesim_fnv1a(text, start, PESIM_FNV_INIT));
    if (strcmp(sum, want) != 0) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, ln, 1,
                         "checksum fnv1a=%s, but the lines before it hash "
                         "to %s: the file was changed or damaged after pesim wrote it", sum,
                         want);
        return PESIM_E_INVALID;
    }
    *body = start;
    return 0;
}
