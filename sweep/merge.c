/* pesim sweep merge (docs/sweeps.md, "Shards and clusters"): parts of one
 * spec, each point exactly once, written as the single run writes it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/cfg.h"
#include "sweep/internal.h"

struct part_head {
    char spec[17], format[8], file[4096];
    unsigned k, n;
    size_t points;
};

static int read_head(const char *path, const char *line, struct part_head *h,
                     pesim_diags *diags)
{
    memset(h, 0, sizeof *h);
    if (sscanf(line, "# pesim sweep part: spec=%16s shard=%u/%u points=%zu format=%7s file=%4095s",
               h->spec, &h->k, &h->n, &h->points, h->format, h->file) != 6 ||
        h->k < 1 || h->k > h->n) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_PART, path, 1, 1,
                         "not a sweep part, expected a first line "
                         "'# pesim sweep part: spec=... shard=K/N ...' as a shard of a sweep "
                         "writes it");
        return PESIM_E_INVALID;
    }
    return 0;
}

struct merge {
    struct part_head first;
    char *header;       /* csv: without "index," */
    char **rows;        /* by point index */
    const char **from;  /* the part each row came from */
    bool *seen_shard;   /* by shard - 1 */
};

/* One line "INDEX,row" of part `path` (line number ln). */
static int take_row(struct merge *m, const char *path, unsigned ln, char *line,
                    pesim_diags *diags)
{
    char *end;
    unsigned long long idx = strtoull(line, &end, 10);
    if (end == line || *end != ',' || idx >= m->first.points) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_PART, path, ln, 1,
                         "got '%.40s', expected INDEX,ROW with INDEX below "
                         "%zu", line, m->first.points);
        return PESIM_E_INVALID;
    }
    if (m->rows[idx]) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_PART, path, ln, 1,
                         "point %llu (%.16s) is also in %s, expected each "
                         "point in one part", idx, end + 1 + (end[1] == '{' ? 8 : 0),
                         m->from[idx]);
        return PESIM_E_INVALID;
    }
    m->rows[idx] = strdup(end + 1);
    m->from[idx] = path;
    return m->rows[idx] ? 0 : PESIM_E_NOMEM;
}

static int read_part(struct merge *m, const char *path, bool first, pesim_diags *diags)
{
    size_t len;
    char *text;
    int rrc = pesim_file_read(path, "the part", &text, &len, diags);
    if (rrc) /* a part that is missing or unreadable is bad input, like a bad one */
        return rrc == PESIM_E_IO ? PESIM_E_INVALID : rrc;
    int rc = 0;
    unsigned ln = 0;
    struct part_head h;
    enum pesim_sweep_format f;
    /* A part proves it is whole by its last line (the trailer): a shard
     * cut short, or a copy cut short, is refused rather than merged into
     * results that look complete but lack its rows. The head line is
     * checked first so that a file that is not a part says so. */
    char *nl1 = memchr(text, '\n', len);
    if (len && nl1) {
        *nl1 = '\0';
        rc = read_head(path, text, &h, diags);
        *nl1 = '\n';
    }
    size_t body = len;
    if (!rc)
        rc = sweep_check_trailer(path, text, len, true, &body, diags);
    for (char *p = text, *nl; !rc && p < text + body; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(text + body - p));
        if (!nl)
            nl = text + body;
        *nl = '\0';
        ln++;
        if (ln == 1) {
            rc = read_head(path, p, &h, diags);
            if (rc)
                break;
            if (first) {
                m->first = h;
                m->rows = calloc(h.points ? h.points : 1, sizeof *m->rows);
                m->from = calloc(h.points ? h.points : 1, sizeof *m->from);
                m->seen_shard = calloc(h.n, sizeof *m->seen_shard);
                if (!m->rows || !m->from || !m->seen_shard)
                    rc = PESIM_E_NOMEM;
            } else if (strcmp(h.spec, m->first.spec) || h.n != m->first.n ||
                       h.points != m->first.points || strcmp(h.format, m->first.format)) {
                pesim_diags_addc(diags, PESIM_DIAG_SWEEP_PART, path, 1, 1,
                                 "a part of spec %s in %u shards (%zu points, "
                                 "%s), expected spec %s in %u shards (%zu points, %s) as the "
                                 "first part", h.spec, h.n, h.points, h.format, m->first.spec,
                                 m->first.n, m->first.points, m->first.format);
                rc = PESIM_E_INVALID;
            }
            if (!rc && m->seen_shard[h.k - 1]) {
                pesim_diags_addc(diags, PESIM_DIAG_SWEEP_PART, path, 1, 1,
                                 "shard %u/%u again, expected each shard "
                                 "once", h.k, h.n);
                rc = PESIM_E_INVALID;
            }
            if (!rc)
                m->seen_shard[h.k - 1] = true;
        } else if (ln == 2 && pesim_sweep_format_parse(h.format, &f) == 0 &&
                   f == PESIM_SWEEP_CSV) {
            if (strncmp(p, "index,", 6) != 0) {
                pesim_diags_addc(diags, PESIM_DIAG_SWEEP_PART, path, 2, 1,
                                 "expected the header 'index,id,...'");
                rc = PESIM_E_INVALID;
            } else if (first) {
                m->header = strdup(p + 6);
                rc = m->header ? 0 : PESIM_E_NOMEM;
            }
        } else if (*p) {
            rc = take_row(m, path, ln, p, diags);
        }
    }
    free(text);
    return rc;
}

/* Which shards are missing, and the commands that run them. */
static void report_missing(const struct merge *m, size_t missing, pesim_diags *diags)
{
    pesim_diags_addc(diags, PESIM_DIAG_SWEEP_MISSING,
                     "pesim sweep merge", 0, 0, "%zu of %zu points missing, expected "
                     "every point of the sweep", missing, m->first.points);
    for (unsigned k = 0; k < m->first.n; k++)
        if (!m->seen_shard[k])
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_MISSING,
                             "pesim sweep merge", 0, 0, "shard %u/%u not given; run "
                             "shard %u/%u of %s into part-%u.%s", k + 1, m->first.n,
                             k + 1, m->first.n, m->first.file, k + 1, m->first.format);
}

int pesim_sweep_merge(const char *const *parts, size_t nparts, const char *output,
                      pesim_diags *diags)
{
    struct merge m;
    memset(&m, 0, sizeof m);
    int rc = nparts ? 0 : PESIM_E_INVALID;
    if (rc)
        pesim_diags_addc(diags, PESIM_DIAG_CLI_USAGE,
                         "pesim sweep merge", 0, 0, "no parts given, expected the part "
                         "files that the shards of a sweep wrote");
    for (size_t i = 0; i < nparts && !rc; i++)
        rc = read_part(&m, parts[i], i == 0, diags);
    size_t missing = 0;
    for (size_t i = 0; !rc && i < m.first.points; i++)
        missing += !m.rows[i];
    if (!rc && missing) {
        report_missing(&m, missing, diags);
        rc = PESIM_E_INVALID;
    }
    if (!rc)
        rc = sweep_write_rows(output, NULL, m.header ? m.header : "", m.rows, m.first.points,
                              false, false, diags);
    for (size_t i = 0; m.rows && i < m.first.points; i++)
        free(m.rows[i]);
    free(m.rows);
    free(m.from);
    free(m.seen_shard);
    free(m.header);
    return rc;
}
