/* pesim sweep pareto (docs/sweeps.md, "Pareto fronts"): the rows of a
 * results CSV that no other row dominates on the chosen metrics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/cfg.h"
#include "sweep/internal.h"

#define MAX_METRICS 3

/* Split one CSV line in place into fields (quotes removed); returns how
 * many, at most cap. */
static size_t fields(char *line, char **out, size_t cap)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *start = p, *w = p;
        if (*p == '"') {
            start = w = ++p;
            while (*p && !(*p == '"' && p[1] != '"')) {
                *w++ = *p;
                p += *p == '"' ? 2 : 1;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',')
                w = ++p;
        }
        if (n < cap)
            out[n++] = start;
        bool more = *p == ',';
        *w = '\0';
        if (!more)
            return n;
        p++;
    }
}

static const char *alias(const char *name)
{
    if (strcmp(name, "latency") == 0)
        return "latency_us";
    if (strcmp(name, "energy") == 0)
        return "energy_total";
    return name;
}

struct point {
    double v[MAX_METRICS];
    const char *line; /* the row as written */
};

/* a dominates b: no worse in every metric, better in one. */
static bool dominates(const struct point *a, const struct point *b, size_t m, const bool *max)
{
    bool better = false;
    for (size_t k = 0; k < m; k++) {
        double x = max[k] ? -a->v[k] : a->v[k], y = max[k] ? -b->v[k] : b->v[k];
        if (x > y)
            return false;
        better |= x < y;
    }
    return better;
}

int pesim_sweep_pareto(const char *path, const char *const *metrics, const bool *max,
                       size_t nmetrics, FILE *out, pesim_diags *diags)
{
    if (nmetrics < 2 || nmetrics > MAX_METRICS) {
        pesim_diags_add(diags, "pesim sweep pareto", 0, 0, "got %zu metrics, expected 2 or 3 "
                        "(--min NAME or --max NAME each)", nmetrics);
        return PESIM_E_INVALID;
    }
    size_t len;
    char *text;
    int rrc = pesim_file_read(path, "the results", &text, &len, diags);
    if (rrc)
        return rrc;
    char *copy = malloc(len + 1);
    struct point *pts = calloc(len / 2 + 1, sizeof *pts);
    char **lines = calloc(len / 2 + 2, sizeof *lines);
    char *f[512];
    int col[MAX_METRICS], status = -1, rc = copy && pts && lines ? 0 : PESIM_E_NOMEM;
    size_t nlines = 0, npts = 0;
    if (!rc) {
        memcpy(copy, text, len + 1);
        for (char *p = copy, *nl; p < copy + len; p = nl + 1) {
            nl = strchr(p, '\n');
            if (!nl)
                nl = copy + len;
            *nl = '\0';
            lines[nlines++] = p;
        }
    }
    /* the header: find each metric's column */
    char *hdr = !rc && nlines ? strdup(lines[0]) : NULL;
    size_t ncols = hdr ? fields(hdr, f, 512) : 0;
    if (!rc && ncols < 2) {
        pesim_diags_add(diags, path, 1, 1, "no header, expected the CSV that pesim sweep writes");
        rc = PESIM_E_INVALID;
    }
    for (size_t k = 0; !rc && k < nmetrics; k++) {
        col[k] = -1;
        for (size_t c = 0; c < ncols; c++)
            if (strcmp(f[c], alias(metrics[k])) == 0)
                col[k] = (int)c;
        if (col[k] < 0) {
            pesim_diags_add(diags, path, 1, 1, "no column '%s', expected a metric of the header "
                            "such as latency_us, energy_total, cycles, area", metrics[k]);
            rc = PESIM_E_INVALID;
        }
    }
    for (size_t c = 0; c < ncols; c++)
        if (strcmp(f[c], "status") == 0)
            status = (int)c;
    for (size_t i = 1; !rc && i < nlines; i++) {
        if (!lines[i][0])
            continue;
        char *row = strdup(lines[i]);
        if (!row) {
            rc = PESIM_E_NOMEM;
            break;
        }
        size_t n = fields(row, f, 512);
        bool ok = status < 0 || ((size_t)status < n && strcmp(f[status], "ok") == 0);
        for (size_t k = 0; ok && k < nmetrics; k++) {
            char *end;
            ok = (size_t)col[k] < n && f[col[k]][0];
            if (ok)
                pts[npts].v[k] = strtod(f[col[k]], &end);
            ok = ok && !*end && !isnan(pts[npts].v[k]);
        }
        free(row);
        if (ok)
            pts[npts++].line = lines[i];
    }
    if (!rc) {
        fprintf(out, "%s\n", lines[0]);
        for (size_t i = 0; i < npts; i++) {
            bool front = true;
            for (size_t j = 0; j < npts && front; j++)
                front = !dominates(&pts[j], &pts[i], nmetrics, max);
            if (front)
                fprintf(out, "%s\n", pts[i].line);
        }
        rc = ferror(out) ? PESIM_E_IO : 0;
    }
    free(hdr);
    free(text);
    free(copy);
    free(pts);
    free(lines);
    return rc;
}
