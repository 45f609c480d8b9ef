/* Number formats shared by the charts: one scale and one number of
 * decimals for a whole set, so values that sit side by side (heatmap
 * cells, printed bar totals, tick labels) read alike. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reportgen/draw.h"

struct pesim_rg_numfmt pesim_rg_numfmt_for(double max_abs)
{
    static const struct {
        double at;
        const char *suffix;
    } si[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e4, "k"}};
    struct pesim_rg_numfmt nf = {1, "", 0};
    max_abs = isfinite(max_abs) ? fabs(max_abs) : 0;
    for (size_t i = 0; i < sizeof si / sizeof si[0]; i++)
        if (max_abs >= si[i].at) {
            nf.scale = si[i].at == 1e4 ? 1e3 : si[i].at;
            nf.suffix = si[i].suffix;
            break;
        }
    double m = max_abs / nf.scale;
    int d = m > 0 ? 2 - (int)floor(log10(m)) : 0;
    nf.decimals = d < 0 ? 0 : d > 6 ? 6 : d;
    return nf;
}

void pesim_rg_num(char *buf, size_t n, double v, const struct pesim_rg_numfmt *nf)
{
    snprintf(buf, n, "%.*f%s", nf->decimals, v / nf->scale, nf->suffix);
}

void pesim_rg_num_expr(FILE *f, size_t col, const struct pesim_rg_numfmt *nf)
{
    fprintf(f, "sprintf(\"%%.%df%s\", column(%zu) / %.15g)", nf->decimals, nf->suffix, col,
            nf->scale);
}

static bool whole(const char *t, double *v)
{
    char *end;
    *v = strtod(t, &end);
    return *t && !*end && isfinite(*v) && *v == floor(*v);
}

void pesim_rg_axis_labels(const char *const *vals, size_t n, bool bytes, char (*out)[32])
{
    static const char *const bin[] = {"KiB", "MiB", "GiB"};
    double max = 0, v;
    bool all_whole = n > 0;
    for (size_t i = 0; i < n; i++) {
        all_whole = all_whole && whole(vals[i], &v);
        max = all_whole && fabs(v) > max ? fabs(v) : max;
    }
    int unit = -1; /* bytes: the largest binary unit every value is a multiple of */
    for (int u = 2; bytes && all_whole && u >= 0 && unit < 0; u--) {
        double b = pow(1024, u + 1);
        bool ok = max >= b;
        for (size_t i = 0; ok && i < n; i++)
            ok = whole(vals[i], &v) && fmod(v, b) == 0;
        unit = ok ? u : -1;
    }
    struct pesim_rg_numfmt nf = pesim_rg_numfmt_for(max);
    for (size_t i = 0; i < n; i++) {
        if (unit >= 0 && whole(vals[i], &v))
            snprintf(out[i], 32, "%.0f %s", v / pow(1024, unit + 1), bin[unit]);
        else if (all_whole && max >= 1e4 && whole(vals[i], &v)) {
            /* as many decimals as this value needs, at most the set's */
            struct pesim_rg_numfmt one = nf;
            char buf[32];
            for (one.decimals = 0; one.decimals < nf.decimals; one.decimals++) {
                pesim_rg_num(buf, sizeof buf, v, &one);
                if (fabs(strtod(buf, NULL) * one.scale - v) <= 0.005 * fabs(v))
                    break;
            }
            pesim_rg_num(out[i], 32, v, &one);
        } else
            snprintf(out[i], 32, "%.31s", vals[i]);
    }
}
