/* The sweep charts' layout (heatmap, lines, scatter), like bars.c: the
 * canvas and margins are computed in em from the labels they must hold,
 * tick labels are pesim's (compact and alike, on their side when they do
 * not fit level), and the scatter's front points carry their axis values,
 * each label placed where it hits no other label. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reportgen/draw.h"

enum { MAX_TICS = 256 };

struct box {
    double l, r, t, b; /* margins, em */
    double w, h;       /* canvas, em */
};

static void margins(FILE *f, const struct box *bx)
{
    fprintf(f,
            "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
            "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
            bx->l / bx->w, 1 - bx->r / bx->w, bx->b / bx->h, 1 - bx->t / bx->h);
}

/* The x label under the tick labels (gnuplot's place), the y label at
 * 1 em from the left edge (pesim's). */
static void axis_labels(FILE *f, const struct pesim_rg_chart *c, const struct box *bx)
{
    fputs("set xlabel ", f);
    pesim_rg_qs(f, c->xlabel);
    fputs(" offset 0,0.4\n", f);
    pesim_rg_ylabel_at(f, c->ylabel, 1.0 / bx->w, (bx->b + (bx->h - bx->t - bx->b) / 2) / bx->h);
}

/* Canvas, settings, grid, margins and axis labels of a sweep chart. */
static void head(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt,
                 const struct box *bx, const char *grid)
{
    pesim_rg_canvas(f, c, fmt, bx->w, bx->h);
    pesim_rg_preamble(f, grid);
    margins(f, bx);
    axis_labels(f, c, bx);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The distinct values of key column `key` in the order of value column
 * `idx` (an index or a coordinate); returns how many. */
static size_t distinct_keys(const struct pesim_rg_table *t, size_t key, size_t idx,
                            const char **names, double *pos)
{
    size_t n = 0;
    for (size_t r = 0; r < t->nrows && n < MAX_TICS; r++) {
        double p = t->vals[r * t->nvals + idx];
        size_t k = 0;
        while (k < n && pos[k] != p)
            k++;
        if (k < n)
            continue;
        /* insertion in position order */
        for (k = n; k > 0 && pos[k - 1] > p; k--) {
            pos[k] = pos[k - 1];
            names[k] = names[k - 1];
        }
        pos[k] = p;
        names[k] = t->keys[r * t->nkeys + key];
        n++;
    }
    return n;
}

/* Explicit tics at `pos` labelled `lab`, on their side when `rot`. */
static void tic_list(FILE *f, const char *axis, size_t n, const double *pos, char (*lab)[32],
                     bool rot)
{
    fprintf(f, "set %stics scale 0.5 %s(", axis, rot ? "rotate by 90 right " : "");
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        pesim_rg_qs(f, lab[i]);
        fprintf(f, " %.15g", pos[i]);
    }
    fputs(")\n", f);
}

static double widest(size_t n, char (*lab)[32])
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double e = pesim_rg_text_em(lab[i]);
        m = e > m ? e : m;
    }
    return m;
}

static double col_max(const struct pesim_rg_table *t, size_t v)
{
    double m = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        double x = fabs(t->vals[r * t->nvals + v]);
        m = isfinite(x) && x > m ? x : m;
    }
    return m;
}

/* gnuplot's tick format for numbers up to `max`, and its widest label. */
static int num_format(FILE *f, const char *axis, double max)
{
    if (max >= 1e4) {
        fprintf(f, "set format %s \"%%.1s%%c\"\n", axis);
        return 6;
    }
    fprintf(f, "set format %s \"%%g\"\n", axis);
    char buf[64];
    int a = snprintf(buf, sizeof buf, "%g", max), b = snprintf(buf, sizeof buf, "%g", max / 7);
    return a > b ? a : b;
}

/* The colour bar's room on the right: a gap, the bar, its tick labels (6
 * characters at most: "%.1s%c" or the cells' format), its label. */
static const double CB_EM = 1.2 + 1.2 + 0.6 + 6 * 0.64 + 0.8 + 1.4 + 0.4;

/* The colour bar's label, on its side at the canvas's right edge (pesim's
 * place: gnuplot's cblabel offset guesses the tick labels' width). */
static void cb_label(FILE *f, const char *text, const struct box *bx)
{
    fputs("unset cblabel\nset label 998 ", f);
    pesim_rg_qs(f, text);
    fprintf(f, " at screen %.6f, screen %.6f center rotate by 90 front\n", 1 - 1.0 / bx->w,
            (bx->b + (bx->h - bx->t - bx->b) / 2) / bx->h);
}

/* ---- heatmap -------------------------------------------------------------- */

void pesim_rg_plot_heatmap(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt)
{
    const struct pesim_rg_table *t = &c->t;
    const char *xs[MAX_TICS], *ys[MAX_TICS];
    double xp[MAX_TICS], yp[MAX_TICS];
    char xl[MAX_TICS][32], yl[MAX_TICS][32]; /* 16 KiB on the stack: no shared state */
    size_t nx = distinct_keys(t, 0, 0, xs, xp), ny = distinct_keys(t, 1, 1, ys, yp);
    pesim_rg_axis_labels(xs, nx, ends_with(t->cols[0], "_bytes"), xl);
    pesim_rg_axis_labels(ys, ny, ends_with(t->cols[1], "_bytes"), yl);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < t->nrows; r++) {
        double v = t->vals[r * t->nvals + 2];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    struct pesim_rg_numfmt nf = pesim_rg_numfmt_for(col_max(t, 2));
    char sample[64];
    pesim_rg_num(sample, sizeof sample, -col_max(t, 2), &nf);
    double cell_w = pesim_rg_text_em(sample) + 0.8, xl_em = widest(nx, xl);
    cell_w = cell_w < 2.2 ? 2.2 : cell_w;
    bool rot = xl_em + 0.6 > cell_w;
    struct box bx = {.t = 1.0};
    bx.l = 0.6 + 1.6 + widest(ny, yl) + 0.8;
    bx.r = CB_EM;
    bx.b = 0.4 + (rot ? xl_em : 1.3) + 0.4 + 1.6;
    double plot_h = 1.8 * (double)(ny ? ny : 1);
    plot_h = plot_h < 10 ? 10 : plot_h;
    bx.w = bx.l + bx.r + cell_w * (double)(nx ? nx : 1);
    double minw = pesim_rg_min_width_em(fmt);
    bx.w = bx.w < minw ? minw : bx.w;
    bx.h = bx.t + plot_h + bx.b;
    head(f, c, fmt, &bx, NULL);
    tic_list(f, "x", nx, xp, xl, rot);
    tic_list(f, "y", ny, yp, yl, false);
    fprintf(f, "set xrange [-0.5:%.6f]\nset yrange [-0.5:%.6f]\n", (double)nx - 0.5,
            (double)ny - 0.5);
    double cb_x = 1 - (bx.r - 1.2) / bx.w;
    fprintf(f,
            "set colorbox user origin screen %.6f, screen %.6f size screen %.6f, screen %.6f\n",
            cb_x, bx.b / bx.h, 1.2 / bx.w, plot_h / bx.h);
    if (nf.scale > 1)
        fputs("set format cb \"%.1s%c\"\n", f);
    else
        fprintf(f, "set format cb \"%%.%df\"\n", nf.decimals);
    fputs("set palette defined (0 \"#440154\", 1 \"#3b528b\", 2 \"#21918c\", 3 \"#5ec962\", "
          "4 \"#fde725\")\n",
          f);
    cb_label(f, t->cols[t->nkeys + 2], &bx);
    double mid = t->nrows ? (lo + hi) / 2 : 0;
    fprintf(f, "set style fill solid 1.0 border lc rgb \"#ffffff\"\nunset key\n"
               "plot '%s' using 3:4:(0.5):(0.5):5 with boxxyerror fc palette, \\\n"
               "     '' using 3:4:($5 < %.15g ? ",
            dat, mid);
    pesim_rg_num_expr(f, 5, &nf);
    fprintf(f, " : \"\") with labels tc rgb \"#ffffff\", \\\n     '' using 3:4:($5 >= %.15g ? ",
            mid);
    pesim_rg_num_expr(f, 5, &nf);
    fputs(" : \"\") with labels tc rgb \"#000000\"\n", f);
}

/* ---- lines ---------------------------------------------------------------- */

/* The x axis of numbers: log or linear range with some air, and whether
 * its tick labels must lie on their side (closest two too near). */
struct xaxis {
    bool log;
    double lo, hi;
};

static double xfrac(const struct xaxis *a, double v)
{
    return a->log ? (log(v) - log(a->lo)) / (log(a->hi) - log(a->lo))
                  : (v - a->lo) / (a->hi - a->lo);
}

static struct xaxis x_axis(const double *v, size_t n, bool log_scale)
{
    struct xaxis a = {.log = log_scale};
    double lo = n ? v[0] : 0, hi = n ? v[n - 1] : 1;
    if (log_scale) {
        double pad = pow(hi / lo, 0.04);
        a.lo = lo / pad;
        a.hi = hi * pad;
    } else {
        double pad = hi > lo ? 0.04 * (hi - lo) : 0.5;
        a.lo = lo - pad;
        a.hi = hi + pad;
    }
    return a;
}

void pesim_rg_plot_lines(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                         enum pesim_rg_format fmt)
{
    const struct pesim_rg_table *t = &c->t;
    const char *xs[MAX_TICS], *series[MAX_TICS];
    double xp[MAX_TICS];
    char xl[MAX_TICS][32];
    size_t nx = distinct_keys(t, 1, 0, xs, xp);
    pesim_rg_axis_labels(xs, nx, ends_with(c->xlabel, "_bytes"), xl);
    size_t ns = 0;
    for (size_t r = 0; r < t->nrows && ns < MAX_TICS; r++)
        if (r == 0 || strcmp(t->keys[r * t->nkeys], t->keys[(r - 1) * t->nkeys]) != 0) {
            series[ns++] = t->keys[r * t->nkeys];
        }
    struct xaxis xa = x_axis(xp, nx, c->logx);
    struct box bx = {.r = 1.5};
    double ymax = col_max(t, 1), yl_chars = 6;
    if (ymax < 1e4) {
        char buf[64];
        yl_chars = snprintf(buf, sizeof buf, "%g", ymax) + 1;
    }
    bx.l = 2.2 + 0.64 * yl_chars + 1.0;
    double plot_h = pesim_rg_plot_height_em(fmt);
    double minw = pesim_rg_min_width_em(fmt), xl_em = widest(nx, xl);
    bx.w = minw;
    double legend_em = 0;
    for (size_t s = 0; s < ns; s++) {
        double e = pesim_rg_text_em(series[s]);
        legend_em = e > legend_em ? e : legend_em;
    }
    double plot_w = bx.w - bx.l - bx.r, gap = INFINITY;
    for (size_t i = 1; i < nx; i++) {
        double g = (xfrac(&xa, xp[i]) - xfrac(&xa, xp[i - 1])) * plot_w;
        gap = g < gap ? g : gap;
    }
    bool rot = gap < xl_em + 0.6;
    size_t cols = (size_t)(plot_w / (legend_em + 3.5));
    cols = cols < 1 ? 1 : cols > ns ? ns : cols;
    size_t rows = ns ? (ns + cols - 1) / cols : 0;
    bx.t = rows > 1 || ns > 1 ? 0.6 + 1.35 * (double)rows + 0.5 : 1.0;
    bx.b = 0.4 + (rot ? xl_em : 1.3) + 0.4 + 1.6;
    bx.h = bx.t + plot_h + bx.b;
    head(f, c, fmt, &bx, "ytics");
    if (xa.log)
        fputs("set logscale x 2\n", f);
    fprintf(f, "set xrange [%.15g:%.15g]\n", xa.lo, xa.hi);
    tic_list(f, "x", nx, xp, xl, rot);
    num_format(f, "y", ymax);
    if (ns > 1)
        fprintf(f,
                "set key at screen 0.5, screen %.6f center top horizontal Left reverse "
                "maxcols %zu maxrows %zu samplen 2.5 spacing 1.1 width 1\n",
                1 - 0.4 / bx.h, cols, rows);
    else
        fputs("unset key\n", f);
    fputs("set offsets 0, 0, graph 0.05, graph 0.05\nplot ", f);
    for (size_t s = 0; s < ns; s++) {
        fprintf(f, "%s'%s' index %zu using 3:4 with linespoints lw 2 pt %zu ps 1 dt %zu "
                   "lc rgb \"%s\" title ",
                s ? ", \\\n     " : "", dat, s, 4 + 2 * (s % 5), 1 + s % 5, pesim_rg_color(c, s));
        pesim_rg_qs(f, series[s]);
    }
    fputc('\n', f);
}

/* ---- scatter -------------------------------------------------------------- */

struct rect {
    double x0, y0, x1, y1; /* em, from the plot's bottom left */
};

static bool hits(const struct rect *a, const struct rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Labels for the front points, each right, left, above or below its
 * point, the first place that hits no placed label, no point and stays
 * inside the plot; a label with no such place is left out (the table
 * has it). */
static void front_labels(FILE *f, const struct pesim_rg_table *t, const struct xaxis *xa,
                         const struct xaxis *ya, double pw, double ph)
{
    size_t front = t->nvals - 1, placed = 0;
    struct rect *used = malloc((t->nrows * 2 + 1) * sizeof *used);
    if (!used)
        return;
    size_t nused = 0;
    for (size_t r = 0; r < t->nrows; r++) { /* every point is an obstacle */
        double px = xfrac(xa, t->vals[r * t->nvals]) * pw;
        double py = xfrac(ya, t->vals[r * t->nvals + 1]) * ph;
        used[nused++] = (struct rect){px - 0.3, py - 0.3, px + 0.3, py + 0.3};
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->vals[r * t->nvals + front] <= 0)
            continue;
        const char *text = t->keys[r * t->nkeys + 1];
        double w = pesim_rg_text_em(text), hgt = 1.2;
        double px = xfrac(xa, t->vals[r * t->nvals]) * pw;
        double py = xfrac(ya, t->vals[r * t->nvals + 1]) * ph;
        const double cand[8][2] = {
            {px + 0.5, py - hgt / 2},       {px - 0.5 - w, py - hgt / 2},
            {px - w / 2, py + 0.45},        {px - w / 2, py - 0.45 - hgt},
            {px + 0.4, py + 0.3},           {px + 0.4, py - 0.3 - hgt},
            {px - 0.4 - w, py + 0.3},       {px - 0.4 - w, py - 0.3 - hgt}};
        for (int k = 0; k < 8; k++) {
            struct rect b = {cand[k][0], cand[k][1], cand[k][0] + w, cand[k][1] + hgt};
            bool ok = b.x0 >= 0 && b.y0 >= 0 && b.x1 <= pw && b.y1 <= ph;
            for (size_t u = 0; ok && u < nused; u++)
                ok = !hits(&b, &used[u]);
            if (!ok)
                continue;
            used[nused++] = b;
            fprintf(f, "set label %zu ", ++placed);
            pesim_rg_qs(f, text);
            fprintf(f, " at graph %.6f, graph %.6f left front\n", b.x0 / pw,
                    (b.y0 + hgt / 2) / ph);
            break;
        }
    }
    free(used);
}

/* 1, 2 or 5 times a power of ten, at least `raw`. */
static double nice_step(double raw)
{
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    double p = pow(10, floor(log10(raw))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static struct xaxis data_axis(const struct pesim_rg_table *t, size_t v)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < t->nrows; r++) {
        double x = t->vals[r * t->nvals + v];
        if (isfinite(x)) {
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    }
    if (!(hi >= lo)) {
        lo = 0;
        hi = 1;
    }
    double ends[2] = {lo, hi};
    return x_axis(ends, 2, lo > 0 && hi > 10 * lo);
}

void pesim_rg_plot_scatter(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt)
{
    const struct pesim_rg_table *t = &c->t;
    bool three = t->nvals == 4; /* x, y, colour, front */
    struct xaxis xa = data_axis(t, 0), ya = data_axis(t, 1);
    struct box bx = {.t = 3.0, .r = three ? CB_EM : 1.5};
    bx.l = 2.2 + 0.64 * 6 + 1.0;
    bx.b = 0.4 + 1.3 + 0.4 + 1.6;
    bx.w = pesim_rg_min_width_em(fmt);
    double ph = pesim_rg_plot_height_em(fmt) + 4;
    bx.h = bx.t + ph + bx.b;
    head(f, c, fmt, &bx, "xtics ytics");
    if (xa.log)
        fputs("set logscale x 10\n", f);
    if (ya.log)
        fputs("set logscale y 10\n", f);
    fprintf(f, "set xrange [%.15g:%.15g]\nset yrange [%.15g:%.15g]\n", xa.lo, xa.hi, ya.lo,
            ya.hi);
    num_format(f, "x", fabs(xa.hi) > fabs(xa.lo) ? fabs(xa.hi) : fabs(xa.lo));
    if (!xa.log) /* as many tics as 6-character labels fit */
        fprintf(f, "set xtics %.15g\n",
                nice_step((xa.hi - xa.lo) / floor((bx.w - bx.l - bx.r) / (6 * 0.64 + 1.5))));
    num_format(f, "y", fabs(ya.hi) > fabs(ya.lo) ? fabs(ya.hi) : fabs(ya.lo));
    fputs("set xtics rotate by 0\n", f);
    if (three) {
        fprintf(f,
                "set colorbox user origin screen %.6f, screen %.6f size screen %.6f, screen "
                "%.6f\nset palette defined (0 \"#440154\", 1 \"#21918c\", 2 \"#fde725\")\n",
                1 - (bx.r - 1.2) / bx.w, bx.b / bx.h, 1.2 / bx.w, ph / bx.h);
        cb_label(f, c->y2label, &bx);
        num_format(f, "cb", col_max(t, 2));
    }
    front_labels(f, t, &xa, &ya, bx.w - bx.l - bx.r, ph);
    fprintf(f,
            "set key at screen 0.5, screen %.6f center top horizontal Left reverse samplen 1.5 "
            "width 2\n",
            1 - 0.4 / bx.h);
    if (three)
        fprintf(f,
                "plot '%s' index 0 using 3:4:5 with points pt 7 ps 0.8 lc palette "
                "title \"points\", \\\n     '' index 1 using 3:4 with points pt 6 ps 1.6 lw 2 "
                "lc rgb \"#b2182b\" title \"Pareto front (all three metrics)\"\n",
                dat);
    else
        fprintf(f,
                "plot '%s' index 0 using 3:4 with points pt 7 ps 0.6 lc rgb \"#a0a0a0\" "
                "title \"points\", \\\n     '' index 1 using 3:4 with linespoints lw 2 pt 5 ps 0.9 "
                "lc rgb \"#b2182b\" title \"Pareto front\"\n",
                dat);
}
