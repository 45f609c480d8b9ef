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

/* A number as pesim writes one (integers, %.15g reals): strtod alone
 * would also take "inf", "nan", hex floats and the leading digits of a
 * hex id. */
static bool is_number(const char *p)
{
    p += *p == '-' || *p == '+';
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (*p == '.') {
        size_t frac = strspn(p + 1, "0123456789");
        digits += frac;
        p += 1 + frac;
    }
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '-' || *p == '+';
        size_t exp = strspn(p, "0123456789");
        if (!exp)
            return false;
        p += exp;
    }
    return *p == '\0';
}

/* Columns that hold no metric whatever their values look like: a point's
 * id is hex (often all digits), an index is an enumeration position. */
static bool never_metric(const char *name)
{
    return !strcmp(name, "id") || !strcmp(name, "index") || !strcmp(name, "status") ||
           !strcmp(name, "reason");
}

/* Split the file into lines (in place); a line starting with '#' is a
 * comment (a part's first line) and is left out. The first line left is
 * the header. Every row must have the header's number of fields: a row
 * with fewer or more is a torn file (a copy cut short, two files run
 * together), and a front computed from it would be silently wrong. */
static int split_lines(const char *path, char *copy, size_t len, char **lines,
                       unsigned *lineno, size_t *nlines, char **f, pesim_diags *diags)
{
    size_t n = 0, nhead = 0;
    unsigned ln = 0;
    for (char *p = copy, *nl; p < copy + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(copy + len - p));
        if (!nl)
            nl = copy + len;
        *nl = '\0';
        ln++;
        if (p[0] == '#' || (!p[0] && n > 0))
            continue;
        char *tmp = strdup(p);
        if (!tmp)
            return PESIM_E_NOMEM;
        size_t k = fields(tmp, f, 512);
        /* a quote left open at the end of the line: cut inside a field */
        bool open_quote = false;
        for (const char *q = p; *q; q++)
            if (*q == '"')
                open_quote = !open_quote;
        free(tmp);
        if (n == 0)
            nhead = k;
        else if (k != nhead || open_quote) {
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, ln, 1,
                             "%s%zu fields, expected %zu as in the header: "
                             "the file is torn or not one table (write it again)",
                             open_quote ? "a quote left open, " : "", k, nhead);
            return PESIM_E_INVALID;
        }
        lines[n] = p;
        lineno[n++] = ln;
    }
    *nlines = n;
    return 0;
}

/* Names of the columns that hold numbers in every row that has a value
 * there, for the message that refuses another. */
static void numeric_columns(char **lines, size_t nlines, char **hf, size_t ncols, char *out,
                            size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    char *f[512];
    for (size_t c = 0; c < ncols; c++) {
        bool num = !never_metric(hf[c]), any = false;
        for (size_t i = 1; num && i < nlines; i++) {
            char *row = strdup(lines[i]);
            if (!row)
                return;
            size_t n = fields(row, f, 512);
            if (c < n && f[c][0]) {
                any = true;
                num = is_number(f[c]);
            }
            free(row);
        }
        if (num && (any || nlines == 1) && used < size) {
            int w = snprintf(out + used, size - used, "%s%s", used ? ", " : "", hf[c]);
            used += w > 0 ? (size_t)w : 0;
        }
    }
}

int pesim_sweep_pareto(const char *path, const char *const *metrics, const bool *max,
                       size_t nmetrics, FILE *out, pesim_diags *diags)
{
    if (nmetrics < 2 || nmetrics > MAX_METRICS) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_METRIC,
                         "pesim sweep pareto", 0, 0, "got %zu metrics, expected 2 or 3 "
                         "(each one to minimize or maximize)", nmetrics);
        return PESIM_E_INVALID;
    }
    size_t len, body;
    char *text;
    int rrc = pesim_file_read(path, "the results", &text, &len, diags);
    if (rrc)
        return rrc;
    /* A trailer, where there is one (a part), must hold; a file without
     * one must at least end with a whole line. */
    int rc = sweep_check_trailer(path, text, len, false, &body, diags);
    if (rc) {
        free(text);
        return rc;
    }
    char *copy = malloc(body + 1);
    struct point *pts = calloc(body / 2 + 1, sizeof *pts);
    char **lines = calloc(body / 2 + 2, sizeof *lines);
    unsigned *lineno = calloc(body / 2 + 2, sizeof *lineno);
    char *f[512];
    int col[MAX_METRICS], status = -1;
    rc = copy && pts && lines && lineno ? 0 : PESIM_E_NOMEM;
    size_t nlines = 0, npts = 0;
    if (!rc) {
        memcpy(copy, text, body);
        copy[body] = '\0';
        rc = split_lines(path, copy, body, lines, lineno, &nlines, f, diags);
    }
    /* the header: find each metric's column */
    char *hdr = !rc && nlines ? strdup(lines[0]) : NULL;
    size_t ncols = hdr ? fields(hdr, f, 512) : 0;
    if (!rc && ncols < 2) {
        pesim_diags_addc(diags, PESIM_DIAG_SWEEP_OUTPUT, path, nlines ? lineno[0] : 1, 1,
                         "no header, expected the CSV "
                         "that pesim sweep writes");
        rc = PESIM_E_INVALID;
    }
    char numeric[4096] = "";
    bool listed = false;
    for (size_t k = 0; !rc && k < nmetrics; k++) {
        col[k] = -1;
        for (size_t c = 0; c < ncols; c++)
            if (strcmp(f[c], alias(metrics[k])) == 0)
                col[k] = (int)c;
        const char *why = NULL;
        unsigned at = lineno[0];
        char bad[64] = "";
        if (col[k] < 0 || never_metric(f[col[k]]))
            why = "not a metric";
        for (size_t i = 1; !why && i < nlines; i++) {
            char *row = strdup(lines[i]), *g[512];
            if (!row) {
                rc = PESIM_E_NOMEM;
                break;
            }
            size_t n = fields(row, g, 512);
            if ((size_t)col[k] < n && g[col[k]][0] && !is_number(g[col[k]])) {
                snprintf(bad, sizeof bad, "%s", g[col[k]]);
                at = lineno[i];
                why = "not a number";
            }
            free(row);
        }
        if (!why)
            continue;
        if (!listed)
            numeric_columns(lines, nlines, f, ncols, numeric, sizeof numeric);
        listed = true;
        const char *how = max[k] ? "maximize" : "minimize";
        if (bad[0])
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_METRIC, path, at, 1,
                             "%s %s: column '%s' holds '%s', not a number, expected a numeric "
                             "column: %s", how, metrics[k], f[col[k]], bad, numeric);
        else if (col[k] < 0)
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_METRIC, path, at, 1,
                             "%s %s: no column '%s', expected a numeric column: %s", how,
                             metrics[k], alias(metrics[k]), numeric);
        else
            pesim_diags_addc(diags, PESIM_DIAG_SWEEP_METRIC, path, at, 1,
                             "%s %s: column '%s' is not a metric (%s), expected a numeric "
                             "column: %s", how, metrics[k], f[col[k]],
                             strcmp(f[col[k]], "reason") == 0 ? "it holds text"
                             : strcmp(f[col[k]], "status") == 0 ? "it holds ok, nomap or error"
                             : "it names a point, it does not measure one", numeric);
        rc = PESIM_E_INVALID;
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
            ok = (size_t)col[k] < n && f[col[k]][0];
            if (ok)
                pts[npts].v[k] = strtod(f[col[k]], NULL);
            ok = ok && isfinite(pts[npts].v[k]);
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
    free(lineno);
    return rc;
}
