/* The bar charts' layout: every position is computed here, in em, rather
 * than left to gnuplot's histogram styles, which stack a run's one-bar
 * groups into a single bar and let rotated tick labels run into each
 * other. A chart is `groups` groups of `per` bars (a layer's dataflows),
 * bar i of group g at x = g * (per + gap) + i, a gap of one bar between
 * groups of several. The canvas grows with the bars: no bar is narrower
 * than its label needs, and the labels get the margin they need, so no
 * two labels overlap at any size (docs/reports.md, "How the charts are
 * checked"). Bars are boxxyerror boxes with explicit bottoms and tops:
 * the same for stacked parts, clipped bars and log scales. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reportgen/draw.h"

enum {
    MAX_BARS = 4096,
};

/* A rotated label is a line of text on its side: it needs a line's height
 * of width, and a little air. */
static const double ROT_PITCH_EM = 1.4;
/* The narrowest bar without a label of its own, and the widest bar. */
static const double MIN_BAR_EM = 0.5, MAX_BAR_EM = 3.0;

struct frame {
    size_t groups, per, gap;
    double pitch;      /* em per x unit */
    double l, r, t, b; /* plot edges from the canvas's, em */
    double w, h;       /* canvas, em */
    bool group_rot;    /* group labels on their side */
    double group_em;   /* height of the group labels' block */
    size_t key_cols, key_rows;
};

static size_t slots(const struct frame *fr)
{
    return fr->groups * (fr->per + fr->gap) - fr->gap;
}

static double bar_x(const struct frame *fr, size_t g, size_t i)
{
    return (double)(g * (fr->per + fr->gap) + i);
}

/* The y axis: a log scale, or linear from 0 to `top`. */
struct yaxis {
    bool log;
    double lo, hi;  /* the axis's range */
    double cap;     /* linear: bars taller are cut here (INFINITY: none) */
    int tic_chars;  /* the widest tick label */
};

/* The widest tick label of a linear axis up to `v`: gnuplot's ticks are
 * round numbers, so its digits, and a decimal for an axis under 10. */
static int chars_of(double v, bool si)
{
    char buf[64];
    if (si)
        return 6; /* "%.1s%c" writes at most "999.9M" */
    if (v < 1)
        return 5; /* "0.025" */
    return snprintf(buf, sizeof buf, "%.0f", floor(v)) + (v < 10 ? 2 : 0);
}

static bool use_si(double top) { return top >= 1e4; }

/* Linear axis [0, top], cut at `cap` when that is finite. */
static struct yaxis linear_axis(double top, double cap)
{
    struct yaxis y = {.log = false, .lo = 0, .cap = cap};
    double shown = isfinite(cap) ? cap : top;
    y.hi = shown > 0 ? shown * 1.06 : 1;
    int a = chars_of(y.hi, use_si(y.hi)), b = chars_of(y.hi / 7, use_si(y.hi));
    y.tic_chars = a > b ? a : b;
    return y;
}

/* Log axis over [lo, hi], whole decades. */
static struct yaxis log_axis(double lo, double hi)
{
    struct yaxis y = {.log = true, .cap = INFINITY};
    y.lo = pow(10, floor(log10(lo / 2)));
    y.hi = pow(10, ceil(log10(hi * 1.5)));
    char buf[64];
    int a = snprintf(buf, sizeof buf, "%g", y.lo), b = snprintf(buf, sizeof buf, "%g", y.hi);
    y.tic_chars = a > b ? a : b;
    return y;
}

/* Log scale when the positive values span more than 10x. */
static struct yaxis value_axis(const double *v, size_t n)
{
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] > 0) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
    if (hi > 0 && hi > 10 * lo)
        return log_axis(lo, hi);
    return linear_axis(hi, INFINITY);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Stacked bars cannot take a log scale (the parts would lie). When the
 * tallest is over 10x the shortest and over 4x the median, the axis stops
 * at 4x the median and the taller bars are cut, their totals printed. */
static struct yaxis stacked_axis(const double *tot, size_t n)
{
    double *s = malloc((n ? n : 1) * sizeof *s), top = 0, lo = INFINITY;
    size_t k = 0;
    for (size_t i = 0; s && i < n; i++)
        if (isfinite(tot[i]) && tot[i] > 0) {
            s[k++] = tot[i];
            top = tot[i] > top ? tot[i] : top;
            lo = tot[i] < lo ? tot[i] : lo;
        }
    double cap = INFINITY;
    if (k > 2) {
        qsort(s, k, sizeof *s, cmp_double);
        double median = k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
        if (top > 10 * lo && top > 4 * median)
            cap = 4 * median;
    }
    free(s);
    return linear_axis(top, cap);
}

static void axis_script(FILE *f, const struct yaxis *y)
{
    if (y->log) {
        fprintf(f, "set logscale y 10\nset yrange [%.15g:%.15g]\nset format y \"%%g\"\n", y->lo,
                y->hi);
        return;
    }
    fprintf(f, "set yrange [0:%.15g]\n", y->hi);
    fputs(use_si(y->hi) ? "set format y \"%.1s%c\"\n" : "set format y \"%g\"\n", f);
}

/* Longest label among `n` strings at stride `stride`. */
static double longest_em(char *const *s, size_t n, size_t stride)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double e = pesim_rg_text_em(s[i * stride]);
        m = e > m ? e : m;
    }
    return m;
}

/* The legend on top: as many columns as fit the plot's width. */
static void key_layout(struct frame *fr, size_t n, double entry_em)
{
    double plot_w = fr->w - fr->l - fr->r;
    size_t cols = entry_em > 0 ? (size_t)(plot_w / (entry_em + 3.0)) : n;
    cols = cols < 1 ? 1 : cols > n ? n : cols;
    fr->key_cols = cols;
    fr->key_rows = n ? (n + cols - 1) / cols : 0;
    fr->t = fr->key_rows ? 0.6 + 1.35 * (double)fr->key_rows + 0.5 : 1.0;
}

/* Width: the labels' needs, the format's minimum, then the pitch that
 * fills it (bars no wider than MAX_BAR_EM are centred by the x range).
 * `bar_em`: the least em per bar; `group_em`: per group. */
static void widths(struct frame *fr, enum pesim_rg_format fmt, double bar_em, double group_em)
{
    double per = (double)(fr->per + fr->gap);
    double pitch = bar_em;
    if (group_em / per > pitch)
        pitch = group_em / per;
    double need = fr->l + fr->r + pitch * (double)slots(fr);
    double minw = pesim_rg_min_width_em(fmt);
    fr->w = need > minw ? need : minw;
    fr->pitch = (fr->w - fr->l - fr->r) / (double)slots(fr);
}

/* Group labels: level when that keeps the canvas within `maxw` (or is no
 * wider than putting them on their side), else on their side, where each
 * group needs only a line's height. */
static void group_labels(struct frame *fr, enum pesim_rg_format fmt, double bar_em,
                         double label_em)
{
    double maxw = pesim_rg_is_paper(fmt) ? 74 : 250; /* 7.2 in at 7 pt; 3000 px */
    widths(fr, fmt, bar_em, ROT_PITCH_EM);
    double rot_w = fr->w;
    widths(fr, fmt, bar_em, label_em + 1.0);
    fr->group_rot = fr->groups > 1 && fr->w > maxw && fr->w > rot_w;
    if (fr->group_rot)
        widths(fr, fmt, bar_em, ROT_PITCH_EM);
    fr->group_em = fr->group_rot ? label_em : 1.3;
}

static void margins_script(FILE *f, const struct frame *fr)
{
    fprintf(f,
            "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
            "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
            fr->l / fr->w, 1 - fr->r / fr->w, fr->b / fr->h, 1 - fr->t / fr->h);
    double lo = -0.5, hi = (double)slots(fr) - 0.5;
    fprintf(f, "set xrange [%.6f:%.6f]\n", lo, hi);
}

static void key_script(FILE *f, const struct frame *fr)
{
    if (!fr->key_rows) {
        fputs("unset key\n", f);
        return;
    }
    fprintf(f,
            "set key at screen 0.5, screen %.6f center top horizontal Left reverse "
            "maxcols %zu maxrows %zu samplen 1.2 spacing 1.1 width 1 noautotitle\n",
            1 - 0.4 / fr->h, fr->key_cols, fr->key_rows);
}

/* Half the width of a bar, in x units. */
static double half_bar(const struct frame *fr, double frac)
{
    double hw = frac / 2;
    if (hw * fr->pitch > MAX_BAR_EM / 2)
        hw = MAX_BAR_EM / 2 / fr->pitch;
    return hw;
}

/* Labels under the groups (centred, or on their side right-aligned). */
static void group_label_script(FILE *f, const struct frame *fr, char *const *names,
                               size_t stride)
{
    for (size_t g = 0; g < fr->groups; g++) {
        double x = (bar_x(fr, g, 0) + bar_x(fr, g, fr->per - 1)) / 2;
        fprintf(f, "set label %zu ", g + 1);
        pesim_rg_qs(f, names[g * stride]);
        if (fr->group_rot)
            fprintf(f, " at first %.6f, screen %.6f rotate by 90 right front\n", x,
                    (0.5 + fr->group_em) / fr->h);
        else
            fprintf(f, " at first %.6f, screen %.6f center front\n", x, 0.95 / fr->h);
    }
}

/* The bars' own tick labels: on their side, hanging from the axis. */
static void bar_tics_script(FILE *f, const struct frame *fr, char *const *names, size_t stride,
                            size_t n)
{
    fputs("set xtics rotate by 90 right scale 0 offset 0,0.3 (", f);
    for (size_t r = 0; r < n; r++) {
        fputs(r ? ", " : "", f);
        pesim_rg_qs(f, names[r * stride]);
        fprintf(f, " %.6f", bar_x(fr, r / fr->per, r % fr->per));
    }
    fputs(")\n", f);
}

static void no_xtics(FILE *f) { fputs("unset xtics\n", f); }

/* The y label at 1 em from the left edge `x0_em`, centred on the plot. */
static void ylabel_script(FILE *f, const char *text, const struct frame *fr, double x0_em)
{
    pesim_rg_ylabel_at(f, text, (x0_em + 1.0) / fr->w,
                       (fr->b + (fr->h - fr->t - fr->b) / 2) / fr->h);
    fputs("unset xlabel\n", f);
}

/* The left margin: the y label's line and the widest tick label. */
static double left_em(const struct yaxis *y) { return 2.2 + 0.64 * y->tic_chars + 1.0; }

/* The plot's height: the format's, or the y label's length. */
static double plot_height(const struct pesim_rg_chart *c, enum pesim_rg_format fmt)
{
    double h = pesim_rg_plot_height_em(fmt), need = pesim_rg_text_em(c->ylabel) + 1.0;
    return need > h ? need : h;
}

/* Clip `e` (a gnuplot expression) at the axis's cap. */
static void clipped(char *out, size_t n, const char *e, const struct yaxis *y)
{
    if (isfinite(y->cap))
        snprintf(out, n, "((%s) > %.15g ? %.15g : (%s))", e, y->cap, y->cap, e);
    else
        snprintf(out, n, "(%s)", e);
}

/* Canvas, settings, margins, legend, y axis and its label of a one-panel
 * bar chart. */
static void head_script(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt,
                        const struct frame *fr, const struct yaxis *y)
{
    pesim_rg_canvas(f, c, fmt, fr->w, fr->h);
    pesim_rg_preamble(f, "ytics");
    margins_script(f, fr);
    key_script(f, fr);
    axis_script(f, y);
    ylabel_script(f, c->ylabel, fr, 0);
}

/* ---- stacked: a group per layer, a bar per dataflow, stacked parts ------ */

void pesim_rg_bars_stacked(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt)
{
    const struct pesim_rg_table *t = &c->t;
    struct frame fr = {.per = 1};
    while (fr.per < t->nrows && strcmp(t->keys[fr.per * t->nkeys], t->keys[0]) == 0)
        fr.per++;
    fr.groups = t->nrows ? (t->nrows + fr.per - 1) / fr.per : 1;
    fr.gap = fr.per > 1 ? 1 : 0;
    double *tot = calloc(t->nrows ? t->nrows : 1, sizeof *tot);
    for (size_t r = 0; tot && r < t->nrows; r++)
        for (size_t v = 0; v < t->nvals; v++)
            if (isfinite(t->vals[r * t->nvals + v]))
                tot[r] += t->vals[r * t->nvals + v];
    struct yaxis y = stacked_axis(tot, tot ? t->nrows : 0);
    bool bar_labels = fr.per > 1;
    double bar_label_em = bar_labels ? longest_em(t->keys + 1, t->nrows, t->nkeys) : 0;
    double group_label_em = longest_em(t->keys, t->nrows, t->nkeys);
    fr.l = left_em(&y);
    fr.r = 1.0;
    group_labels(&fr, fmt, bar_labels ? ROT_PITCH_EM : MIN_BAR_EM, group_label_em);
    double legend_em = 0;
    for (size_t v = 0; v < t->nvals; v++) {
        double e = pesim_rg_text_em(pesim_rg_display(t->cols[t->nkeys + v]));
        legend_em = e > legend_em ? e : legend_em;
    }
    key_layout(&fr, t->nvals, legend_em);
    fr.b = 0.5 + fr.group_em + (bar_labels ? 0.6 + bar_label_em + 0.5 : 0.5);
    fr.h = fr.t + plot_height(c, fmt) + fr.b;
    head_script(f, c, fmt, &fr, &y);
    fputs("set style textbox opaque noborder margins 1,1\n", f);
    if (bar_labels)
        bar_tics_script(f, &fr, t->keys + 1, t->nkeys, t->nrows);
    else
        no_xtics(f);
    group_label_script(f, &fr, t->keys, t->nkeys * fr.per);
    fprintf(f, "pos(i) = i + int(i / %zu) * %zu\nhw = %.6f\n", fr.per, fr.gap,
            half_bar(&fr, 0.8));
    /* Clipped bars: their total printed on its side from the axis's top,
     * all in one format. */
    double tmax = 0;
    for (size_t r = 0; tot && r < t->nrows; r++)
        tmax = tot[r] > tmax ? tot[r] : tmax;
    struct pesim_rg_numfmt nf = pesim_rg_numfmt_for(tmax);
    for (size_t r = 0; tot && r < t->nrows; r++)
        if (tot[r] > y.cap) {
            char num[64];
            pesim_rg_num(num, sizeof num, tot[r], &nf);
            fprintf(f, "set label %zu \"%s\" at first %.6f, first %.15g rotate by 90 right "
                       "boxed front\n",
                    1000 + r, num, bar_x(&fr, r / fr.per, r % fr.per), y.cap * 0.98);
        }
    fputs("plot ", f);
    char lo[1024] = "0", hi[1024], clo[2200], chi[2200];
    for (size_t v = 0; v < t->nvals; v++) {
        size_t col = t->nkeys + v + 1;
        snprintf(hi, sizeof hi, "%s + column(%zu)", lo, col);
        clipped(clo, sizeof clo, lo, &y);
        clipped(chi, sizeof chi, hi, &y);
        fprintf(f, "%s'%s' using (pos($0)):(0):(pos($0) - hw):(pos($0) + hw):%s:%s "
                   "with boxxyerror lc rgb \"%s\" title ",
                v ? ", \\\n     " : "", dat, clo, chi, pesim_rg_color(c, v));
        pesim_rg_qs(f, pesim_rg_display(t->cols[t->nkeys + v]));
        snprintf(lo, sizeof lo, "%s", hi);
    }
    fputc('\n', f);
    free(tot);
}

/* ---- clustered: a group per layer, a bar per dataflow in its colour ---- */

void pesim_rg_bars_cluster(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt)
{
    const struct pesim_rg_table *t = &c->t;
    struct frame fr = {.per = t->nvals ? t->nvals : 1, .groups = t->nrows ? t->nrows : 1};
    fr.gap = fr.per > 1 ? 1 : 0;
    struct yaxis y = value_axis(t->vals, t->nrows * t->nvals);
    fr.l = left_em(&y);
    fr.r = 1.0;
    group_labels(&fr, fmt, MIN_BAR_EM, longest_em(t->keys, t->nrows, t->nkeys));
    double legend_em = longest_em(t->cols + t->nkeys, t->nvals, 1);
    key_layout(&fr, t->nvals > 1 ? t->nvals : 0, legend_em);
    fr.b = 0.5 + fr.group_em + 0.5;
    fr.h = fr.t + plot_height(c, fmt) + fr.b;
    head_script(f, c, fmt, &fr, &y);
    no_xtics(f);
    group_label_script(f, &fr, t->keys, t->nkeys);
    fprintf(f, "hw = %.6f\nbase = %.15g\nplot ", half_bar(&fr, 0.85), y.lo);
    for (size_t v = 0; v < t->nvals; v++) {
        double off = (double)v;
        fprintf(f, "%s'%s' using ($0 * %zu + %g):(base):($0 * %zu + %g - hw):($0 * %zu + %g "
                   "+ hw):(base):%zu with boxxyerror lc rgb \"%s\" title ",
                v ? ", \\\n     " : "", dat, fr.per + fr.gap, off, fr.per + fr.gap, off,
                fr.per + fr.gap, off, t->nkeys + v + 1, pesim_rg_color(c, v));
        pesim_rg_qs(f, t->cols[t->nkeys + v]);
    }
    fputc('\n', f);
}

/* ---- pair: the network's energy/MAC and latency, a bar per dataflow ---- */

/* One panel of the pair: its frame within [x0, x0 + w) of the canvas. */
static void pair_panel(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                       const struct frame *fr, double x0, double w, size_t col,
                       const char *ylabel)
{
    const struct pesim_rg_table *t = &c->t;
    double v[MAX_BARS];
    size_t n = t->nrows < MAX_BARS ? t->nrows : MAX_BARS;
    for (size_t r = 0; r < n; r++)
        v[r] = t->vals[r * t->nvals + col];
    struct yaxis y = value_axis(v, n);
    double l = x0 + left_em(&y);
    fprintf(f,
            "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
            "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
            l / fr->w, (x0 + w - fr->r) / fr->w, fr->b / fr->h, 1 - fr->t / fr->h);
    if (y.log)
        fputs("set logscale y 10\n", f);
    else
        fputs("unset logscale y\n", f);
    axis_script(f, &y);
    ylabel_script(f, ylabel, fr, x0);
    fprintf(f,
            "plot '%s' using 0:(%.15g):($0 - hw):($0 + hw):(%.15g):%zu:(column(0) + 1) "
            "with boxxyerror lc variable\n",
            dat, y.lo, y.lo, t->nkeys + col + 1);
}

void pesim_rg_bars_pair(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                        enum pesim_rg_format fmt)
{
    const struct pesim_rg_table *t = &c->t;
    struct frame fr = {.per = 1, .groups = t->nrows ? t->nrows : 1};
    struct yaxis y0 = linear_axis(1e9, INFINITY); /* the widest tick labels */
    double label_em = longest_em(t->keys, t->nrows, t->nkeys);
    bool rot = false;
    double panel_l = left_em(&y0), per_bar = label_em + 1.0;
    double panel = panel_l + 1.0 + per_bar * (double)fr.groups;
    double minw = pesim_rg_min_width_em(fmt);
    if (2 * panel > (pesim_rg_is_paper(fmt) ? 74 : 250) && fr.groups > 1) {
        rot = true;
        per_bar = ROT_PITCH_EM;
        panel = panel_l + 1.0 + per_bar * (double)fr.groups;
    }
    fr.w = 2 * panel > minw ? 2 * panel : minw;
    fr.r = 1.0;
    fr.t = 1.0;
    fr.b = 0.6 + (rot ? label_em + 0.6 : 1.9) + 0.3;
    double ph = plot_height(c, fmt), ph2 = pesim_rg_text_em(c->y2label) + 1.0;
    fr.h = fr.t + (ph2 > ph ? ph2 : ph) + fr.b;
    fr.pitch = (fr.w / 2 - panel_l - fr.r) / (double)fr.groups;
    pesim_rg_canvas(f, c, fmt, fr.w, fr.h);
    pesim_rg_preamble(f, "ytics");
    fputs("unset key\n", f);
    for (size_t r = 0; r < t->nrows; r++)
        fprintf(f, "set linetype %zu lc rgb \"%s\"\n", r + 1, pesim_rg_color(c, r));
    fprintf(f, "set xrange [-0.5:%.6f]\nhw = %.6f\n", (double)fr.groups - 0.5,
            half_bar(&fr, 0.7));
    fprintf(f, "set xtics %sscale 0 (", rot ? "rotate by 90 right offset 0,0.3 " : "");
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r ? ", " : "", f);
        pesim_rg_qs(f, t->keys[r * t->nkeys]);
        fprintf(f, " %zu", r);
    }
    fputs(")\nset multiplot\n", f);
    pair_panel(f, c, dat, &fr, 0, fr.w / 2, 0, c->ylabel);
    pair_panel(f, c, dat, &fr, fr.w / 2, fr.w / 2, 1, c->y2label);
    fputs("unset multiplot\n", f);
}
