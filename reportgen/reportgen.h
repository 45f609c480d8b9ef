/* reportgen/: `pesim report`, the charts and the HTML page made from the
 * outputs of `pesim run`, `pesim compare` and `pesim sweep` (docs/reports.md).
 *
 * Three steps, each its own file:
 *   input.c   read a run/compare JSON (with libyaml) or a sweep's CSV/JSONL
 *             into plain structs, every problem as file:line:col;
 *   charts.c  turn the inputs into charts: a kind, labels and one table of
 *             numbers per chart (the table is both the gnuplot data file and
 *             the HTML table under the chart, so they cannot disagree);
 *   gnuplot.c write each chart's script and data and run gnuplot on them
 *             through a pipe; html.c puts the SVGs and tables in one page.
 * Not a public header: the CLI and the tests use it. Library code only
 * returns errors (PESIM_E_*) with diagnostics; it never exits. */
#ifndef PESIM_REPORTGEN_H
#define PESIM_REPORTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pesim/error.h"

enum { PESIM_RG_LEVELS = 5, PESIM_RG_DATA = 3, PESIM_RG_STALLS = 6 };

/* Display names and JSON keys of the stacked components, in chart order. */
extern const char *const pesim_rg_level_keys[PESIM_RG_LEVELS]; /* dram ... mac */
extern const char *const pesim_rg_data_keys[PESIM_RG_DATA];    /* weights ... */
extern const char *const pesim_rg_stall_keys[PESIM_RG_STALLS]; /* compute ... */

/* The fields of one layer (or total) that the charts use. */
struct pesim_rg_result {
    char *name; /* owned */
    double macs, cycles, latency_us;
    double util_spatial, util_temporal;
    double energy_total, energy_per_mac, leakage;
    double by_level[PESIM_RG_LEVELS];
    double by_data[PESIM_RG_DATA];
    double stalls[PESIM_RG_STALLS];
};

/* A `notes` entry of kind "bound" (docs/cli.md, "Notes"): one resource
 * charged `share` of the cycles, sized by `key` (its value `value`, NaN
 * when the JSON gives none). Other kinds are skipped. */
struct pesim_rg_note {
    char *cause, *key; /* owned */
    double share, value;
};

struct pesim_rg_dataflow {
    char *name; /* owned */
    struct pesim_rg_result *layers; /* n, owned */
    size_t n;
    struct pesim_rg_result total;
    struct pesim_rg_note *notes; /* nnotes, owned */
    size_t nnotes;
};

/* A sweep's results: the header's columns and the rows' cells as text. The
 * axis columns are 1..naxes (between `id` and `status`). */
struct pesim_rg_sweep {
    char **cols; /* ncols, owned */
    size_t ncols, naxes;
    char **cells; /* nrows * ncols, owned; "" for an empty cell */
    size_t nrows;
};

enum pesim_rg_kind { PESIM_RG_RUN, PESIM_RG_COMPARE, PESIM_RG_SWEEP };

/* One INPUT file. The strings are owned; empty when the file has none. */
struct pesim_rg_input {
    char *path;
    enum pesim_rg_kind kind;
    char *pesim, *command, *arch, *workload, *unit, *engine;
    char *objective; /* latency, energy, edp, explicit mapping; "" from an older pesim */
    struct pesim_rg_dataflow *dfs; /* ndfs: one for a run */
    size_t ndfs;
    struct pesim_rg_sweep sweep;
};

/* Read one INPUT, detecting what it is: a sweep's CSV (header starting with
 * `id,`) or JSON lines (objects with "id" and "status"), or the JSON of
 * `pesim run` ("layers") or `pesim compare` ("dataflows"). 0, or
 * PESIM_E_IO / PESIM_E_INVALID with every problem in diags as
 * file:line:col. Free `in` with pesim_rg_input_free in every case. */
int pesim_rg_input_load(const char *path, struct pesim_rg_input *in,
                        pesim_diags *diags);
void pesim_rg_input_free(struct pesim_rg_input *in);

/* Keep only the dataflows of a run/compare input named in `list` (comma-
 * separated; `pesim report --dataflows ws,os,rs`), in the list's order; a
 * sweep is left as it is. 0, PESIM_E_NOMEM, or PESIM_E_INVALID (a name the
 * input does not have: diag naming those it has). */
int pesim_rg_input_keep_dataflows(struct pesim_rg_input *in, const char *list,
                                  pesim_diags *diags);

/* A table of numbers: `nkeys` label columns then `nvals` number columns.
 * Columns [nkeys, nkeys + first_shown) are plotting coordinates (heatmap
 * cell indices) written to the data file but not to the HTML table. */
struct pesim_rg_table {
    char **cols; /* nkeys + nvals names, owned */
    size_t nkeys, nvals, first_shown;
    char **keys;  /* nrows * nkeys, owned */
    double *vals; /* nrows * nvals */
    size_t nrows, cap;
};

enum pesim_rg_chart_kind {
    PESIM_RG_STACKED,  /* keys group, series; vals: stacked parts */
    PESIM_RG_CLUSTER,  /* keys category; vals: one bar per series */
    PESIM_RG_PAIR,     /* keys category; vals: two metrics, two panels */
    PESIM_RG_HEATMAP,  /* keys x, y; vals: x index, y index, metric */
    PESIM_RG_LINES,    /* keys series, x; vals: x coordinate, metric */
    PESIM_RG_SCATTER,  /* keys id, point label; vals: 2 or 3 metrics, on front */
};

struct pesim_rg_chart {
    char *name;  /* file stem, e.g. "energy-level-per-mac"; owned */
    char *title; /* owned */
    enum pesim_rg_chart_kind kind;
    char *xlabel, *ylabel, *y2label; /* owned; y2label for PAIR */
    bool logx;
    const char *const *colors; /* one per value column (or series); static */
    size_t ncolors;            /* cycled through when there are more */
    struct pesim_rg_table t;
};

struct pesim_rg_chart_list {
    struct pesim_rg_chart *v;
    size_t n, cap;
    char **notes; /* charts left out and why, for the page; owned */
    size_t nnotes;
};

/* Sweep chart choices; NULL picks the defaults (first two axes with numbers,
 * energy_per_mac; the scatter of latency_us and energy_total). `pareto`:
 * the scatter's two or three metric columns (x, y, colour), all
 * minimized, NULL-terminated. */
struct pesim_rg_sweep_opts {
    const char *x, *y, *metric;
    const char *pareto[4];
};

/* Add the charts of one input to `list`, their names prefixed by `prefix`
 * (e.g. "" or "2-"). 0, PESIM_E_NOMEM, or PESIM_E_INVALID (a --x/--y/
 * --metric naming no column: diag). */
int pesim_rg_charts_build(const struct pesim_rg_input *in, const char *prefix,
                          const struct pesim_rg_sweep_opts *so,
                          struct pesim_rg_chart_list *list, pesim_diags *diags);
void pesim_rg_charts_free(struct pesim_rg_chart_list *list);

/* The data file gnuplot reads: a `#` header line naming the columns, then
 * one row per table row (labels double-quoted, numbers "%.15g", NaN for a
 * missing value); blocks (gnuplot's `index`) separated by two blank lines
 * where the first label column changes, for LINES. */
int pesim_rg_write_data(FILE *out, const struct pesim_rg_chart *c);

enum pesim_rg_format {
    PESIM_RG_HTML,
    PESIM_RG_SVG,
    PESIM_RG_PDF,
    PESIM_RG_PNG,
};
const char *pesim_rg_format_ext(enum pesim_rg_format f); /* "svg", ... */

/* The path of gnuplot found on PATH, or NULL: static buffer. */
const char *pesim_rg_gnuplot_find(void);

/* Write chart `c` as `c.name`.gp and `c.name`.dat in `dir` and run gnuplot
 * (in `dir`) to draw it as `dir`/`c.name`.EXT in format `f` (for HTML: SVG
 * sized for a screen), then copy that to `out_path` unless it is NULL.
 * gnuplot's messages go to `dir`/gnuplot.log, quoted in diags on failure.
 * 0, PESIM_E_IO, PESIM_E_INVALID (out_path refused) or PESIM_E_SIM
 * (gnuplot failed). */
int pesim_rg_plot(const char *gnuplot, const struct pesim_rg_chart *c,
                  const char *dir, enum pesim_rg_format f, const char *out_path,
                  pesim_diags *diags);

/* Make a drawn PDF (`n` bytes at `buf`) deterministic where the terminal
 * is not: its CreationDate becomes 1970. */
void pesim_rg_normalize_pdf(char *buf, size_t n);

/* Write `s` as the inside of a gnuplot string (quote '\'', in a script) or
 * of a data-file field (quote '"'): nothing in `s` can end the string or
 * the line, or be run (see gnuplot.c). */
void pesim_rg_gp_text(FILE *f, const char *s, char quote);

/* The HTML page: header (command line, versions, arch, workload), then per
 * input its charts (the SVG files in `svg_dir`, inlined with their ids
 * prefixed) each followed by its table. 0 or PESIM_E_IO. */
struct pesim_rg_page {
    const char *command; /* the pesim report command line */
    const char *version; /* "pesim 0.1.0": the program writing the page */
    const struct pesim_rg_input *inputs;
    size_t ninputs;
    const struct pesim_rg_chart_list *charts; /* one list per input */
    const char *svg_dir;
};
int pesim_rg_html_write(FILE *out, const struct pesim_rg_page *page);

/* Draw every chart of `list` with gnuplot in `work_dir` (which keeps each
 * chart's .gp and .dat): for HTML as `work_dir`/NAME.svg, otherwise as
 * `out_prefix`NAME.EXT (an absolute prefix: a folder ending in '/' or a
 * file-name prefix). 0, PESIM_E_NOMEM, PESIM_E_IO or PESIM_E_SIM. */
int pesim_rg_draw(const char *gnuplot, const struct pesim_rg_chart_list *list,
                  const char *work_dir, enum pesim_rg_format f, const char *out_prefix,
                  pesim_diags *diags);
/* Delete what pesim_rg_draw left in `work_dir` (the .gp, .dat, .svg of
 * every chart), then the folder itself when it is empty. */
void pesim_rg_clean(const struct pesim_rg_chart_list *list, const char *work_dir);

/* HTML-escape `s` to `out`. */
void pesim_rg_html_escape(FILE *out, const char *s);

#endif
