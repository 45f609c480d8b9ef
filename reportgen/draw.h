/* reportgen/: what the chart scripts share (gnuplot.c writes and runs
 * them; bars.c lays out the bar charts). Internal to reportgen.
 *
 * Sizes are in em, the font's size, so that one layout serves every
 * format: the HTML page's SVG (12 px), a paper figure as SVG (9 px), PDF
 * (7 pt) and PNG (7 pt at 300 dpi). A chart's script sets the canvas
 * itself (pesim_rg_canvas), once it knows how much room its labels need. */
#ifndef PESIM_REPORTGEN_DRAW_H
#define PESIM_REPORTGEN_DRAW_H

#include <stdbool.h>
#include <stdio.h>

#include "reportgen/reportgen.h"

/* Paper figures are at least one column of a two-column paper (3.5 in)
 * wide; the page's charts at least 760 px. */
double pesim_rg_min_width_em(enum pesim_rg_format f);
/* The plot's height (inside the axes) for a bar chart, em. */
double pesim_rg_plot_height_em(enum pesim_rg_format f);
bool pesim_rg_is_paper(enum pesim_rg_format f);

/* `set terminal ... size` of w x h em, and `set output NAME.EXT`. */
void pesim_rg_canvas(FILE *f, const struct pesim_rg_chart *c, enum pesim_rg_format fmt,
                     double w_em, double h_em);

/* What every chart's script sets: UTF-8, no title, no enhanced text (a
 * `_` stays a `_`), an L-shaped border, black-bordered fills, and grey
 * grid lines on `grid` ("ytics", "xtics ytics"; NULL: none). */
void pesim_rg_preamble(FILE *f, const char *grid);

/* A label in a script, single-quoted (see pesim_rg_gp_text). */
void pesim_rg_qs(FILE *f, const char *s);
/* The colour of value column (or series) i. */
const char *pesim_rg_color(const struct pesim_rg_chart *c, size_t i);
/* The legend name of a column key ("dram" -> "DRAM"). */
const char *pesim_rg_display(const char *key);

/* The y label, on its side, centred at screen fractions (x, y): placed by
 * pesim, not by gnuplot's guess of its tick labels' width. Label number
 * 999 (bars and scatters number theirs from 1). */
void pesim_rg_ylabel_at(FILE *f, const char *text, double x, double y);

/* Width of `s` in em, over-estimated (DejaVu Sans, gnuplot's and
 * Chromium's "sans" on Debian: digits 0.64 em, capitals up to 0.8 em). */
double pesim_rg_text_em(const char *s);

/* One format for a set of numbers (numfmt.c): the same scale (k, M, G,
 * T) and decimals for all, three significant digits on the largest, so a
 * heatmap's cells and a chart's printed values read alike. */
struct pesim_rg_numfmt {
    double scale;
    const char *suffix;
    int decimals;
};
struct pesim_rg_numfmt pesim_rg_numfmt_for(double max_abs);
void pesim_rg_num(char *buf, size_t n, double v, const struct pesim_rg_numfmt *nf);
/* A gnuplot expression printing column `col` in that format. */
void pesim_rg_num_expr(FILE *f, size_t col, const struct pesim_rg_numfmt *nf);
/* Tick labels of an axis's values (text from a sweep's cells): byte
 * counts (`bytes`) in KiB/MiB/GiB when all are whole multiples, other
 * numbers of 10,000 or more with k/M/G; anything else as written. Writes
 * `n` labels of at most 31 bytes into `out`. */
void pesim_rg_axis_labels(const char *const *vals, size_t n, bool bytes, char (*out)[32]);

/* The sweep charts' scripts (sweepplots.c). */
void pesim_rg_plot_heatmap(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt);
void pesim_rg_plot_lines(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                         enum pesim_rg_format fmt);
void pesim_rg_plot_scatter(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt);

/* The bar charts' scripts (bars.c): canvas, margins, axes and plot. */
void pesim_rg_bars_stacked(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt);
void pesim_rg_bars_cluster(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                           enum pesim_rg_format fmt);
void pesim_rg_bars_pair(FILE *f, const struct pesim_rg_chart *c, const char *dat,
                        enum pesim_rg_format fmt);

#endif
