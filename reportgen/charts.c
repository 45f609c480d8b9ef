/* The charts of an input: what each shows, and its table of numbers. The
 * colours are fixed per thing (a level, a data space, a stall cause, a
 * dataflow's place) so the same thing has the same colour in every chart;
 * within each set the lightness steps far apart, so the charts still read
 * in greyscale, and every bar has a black border. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reportgen/reportgen.h"

/* DRAM ... MAC, then leakage: dark to light. */
static const char *const level_colors[] = {"#3b0f70", "#2c728e", "#e6862e", "#8fd175",
                                           "#f4e36c", "#d9d9d9"};
/* weights, inputs, outputs, then MAC and leakage as in level_colors. */
static const char *const data_colors[] = {"#7f2704", "#d7301f", "#fdae6b", "#f4e36c",
                                          "#d9d9d9"};
/* compute, fill_drain, dram_bandwidth, dram_latency, glb, noc. */
static const char *const stall_colors[] = {"#1b7837", "#a6dba0", "#40004b", "#9970ab",
                                           "#c2a5cf", "#f7f0f8"};
/* Series (dataflows, sweep values), in order. */
static const char *const series_colors[] = {"#0d0887", "#5c01a6", "#9c179e", "#cc4778",
                                            "#ed7953", "#fdb42f", "#f0f921", "#7f7f7f",
                                            "#17becf", "#8c564b", "#bcbd22", "#1f77b4"};
enum { NSERIES_COLORS = sizeof series_colors / sizeof series_colors[0] };
#define SET_COLORS(c, a) ((c)->colors = (a), (c)->ncolors = sizeof(a) / sizeof((a)[0]))

static char *dupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* ---- tables ------------------------------------------------------------ */

static int table_init(struct pesim_rg_table *t, size_t nkeys, size_t nvals,
                      const char *const *names)
{
    memset(t, 0, sizeof *t);
    t->cols = calloc(nkeys + nvals, sizeof *t->cols);
    if (!t->cols)
        return PESIM_E_NOMEM;
    t->nkeys = nkeys;
    t->nvals = nvals;
    for (size_t i = 0; i < nkeys + nvals; i++)
        if (!(t->cols[i] = dupf("%s", names[i])))
            return PESIM_E_NOMEM;
    return 0;
}

static int table_add(struct pesim_rg_table *t, const char *const *keys, const double *vals)
{
    if (t->nrows == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        char **nk = realloc(t->keys, nc * (t->nkeys ? t->nkeys : 1) * sizeof *nk);
        if (!nk)
            return PESIM_E_NOMEM;
        t->keys = nk;
        double *nv = realloc(t->vals, nc * (t->nvals ? t->nvals : 1) * sizeof *nv);
        if (!nv)
            return PESIM_E_NOMEM;
        t->vals = nv;
        t->cap = nc;
    }
    for (size_t k = 0; k < t->nkeys; k++)
        if (!(t->keys[t->nrows * t->nkeys + k] = dupf("%s", keys[k]))) {
            while (k-- > 0)
                free(t->keys[t->nrows * t->nkeys + k]);
            return PESIM_E_NOMEM;
        }
    memcpy(t->vals + t->nrows * t->nvals, vals, t->nvals * sizeof *vals);
    t->nrows++;
    return 0;
}

static void table_free(struct pesim_rg_table *t)
{
    for (size_t i = 0; i < t->nkeys + t->nvals && t->cols; i++)
        free(t->cols[i]);
    for (size_t i = 0; i < t->nrows * t->nkeys; i++)
        free(t->keys[i]);
    free(t->cols);
    free(t->keys);
    free(t->vals);
    memset(t, 0, sizeof *t);
}

/* A new chart at the end of the list; NULL when out of memory. */
static struct pesim_rg_chart *chart_new(struct pesim_rg_chart_list *l, const char *prefix,
                                        const char *name, enum pesim_rg_chart_kind kind)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        struct pesim_rg_chart *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        l->v = nv;
        l->cap = nc;
    }
    struct pesim_rg_chart *c = &l->v[l->n];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->name = dupf("%s%s", prefix, name);
    if (!c->name)
        return NULL;
    l->n++;
    return c;
}

static int chart_labels(struct pesim_rg_chart *c, const char *title, const char *x,
                        const char *y)
{
    c->title = dupf("%s", title);
    c->xlabel = dupf("%s", x);
    c->ylabel = dupf("%s", y);
    return c->title && c->xlabel && c->ylabel ? 0 : PESIM_E_NOMEM;
}

static int note(struct pesim_rg_chart_list *l, const char *text)
{
    char **nv = realloc(l->notes, (l->nnotes + 1) * sizeof *nv);
    if (!nv)
        return PESIM_E_NOMEM;
    l->notes = nv;
    return (l->notes[l->nnotes] = dupf("%s", text)) ? (l->nnotes++, 0) : PESIM_E_NOMEM;
}

/* ---- run and compare ----------------------------------------------------- */

static const char *unit_label(const struct pesim_rg_input *in)
{
    if (strcmp(in->unit, "normalized") == 0)
        return "MAC = 1";
    return in->unit[0] ? in->unit : "energy unit";
}

/* Result of layer `i` (n: the network total) of dataflow `d`. */
static const struct pesim_rg_result *res(const struct pesim_rg_input *in, size_t d, size_t i)
{
    return i < in->dfs[d].n ? &in->dfs[d].layers[i] : &in->dfs[d].total;
}

static size_t nlayers(const struct pesim_rg_input *in) { return in->ndfs ? in->dfs[0].n : 0; }

static const char *group_name(const struct pesim_rg_input *in, size_t i)
{
    return i < nlayers(in) ? in->dfs[0].layers[i].name : "network";
}

/* The groups of a per-layer chart: every layer, then the network, when
 * the network is an average (per MAC, utilization) of several layers; a
 * sum (energy, cycles, latency) would dwarf the layers it adds up, and the
 * dataflows chart shows it. When layers x dataflows are too many bars for
 * one figure (MAX_BARS), only the network. Returns how many; `idx` gets
 * the result index of each (nlayers: the network). */
enum { MAX_BARS = 64 };

static bool too_many_bars(const struct pesim_rg_input *in)
{
    size_t per = in->ndfs + (in->ndfs > 1);
    return (nlayers(in) + 1) * per > MAX_BARS + (in->ndfs > 1);
}

static size_t groups(const struct pesim_rg_input *in, bool average, size_t *idx)
{
    size_t n = 0, nl = nlayers(in);
    if (too_many_bars(in)) {
        idx[0] = nl;
        return 1;
    }
    for (size_t i = 0; i < nl; i++)
        idx[n++] = i;
    if ((average && nl > 1) || nl == 0)
        idx[n++] = nl;
    return n;
}

static bool has_leakage(const struct pesim_rg_input *in)
{
    for (size_t d = 0; d < in->ndfs; d++)
        for (size_t i = 0; i <= nlayers(in); i++)
            if (res(in, d, i)->leakage != 0)
                return true;
    return false;
}

enum parts { BY_LEVEL, BY_DATA, BY_STALL };

/* The stacked parts of one result: by level (+ leakage), by data space
 * (+ MAC + leakage, so that the bar is the total) or by stall cause. */
static size_t parts(const struct pesim_rg_result *r, enum parts p, bool leak, double *v)
{
    size_t n = 0;
    if (p == BY_STALL) {
        memcpy(v, r->stalls, sizeof r->stalls);
        return PESIM_RG_STALLS;
    }
    if (p == BY_LEVEL)
        for (int l = 0; l < PESIM_RG_LEVELS; l++)
            v[n++] = r->by_level[l];
    else {
        for (int d = 0; d < PESIM_RG_DATA; d++)
            v[n++] = r->by_data[d];
        v[n++] = r->by_level[PESIM_RG_LEVELS - 1];
    }
    if (leak)
        v[n++] = r->leakage;
    return n;
}

static size_t part_names(enum parts p, bool leak, const char **names)
{
    size_t n = 2;
    names[0] = "layer";
    names[1] = "dataflow";
    if (p == BY_STALL) {
        for (int s = 0; s < PESIM_RG_STALLS; s++)
            names[n++] = pesim_rg_stall_keys[s];
        return n;
    }
    if (p == BY_LEVEL)
        for (int l = 0; l < PESIM_RG_LEVELS; l++)
            names[n++] = pesim_rg_level_keys[l];
    else {
        for (int d = 0; d < PESIM_RG_DATA; d++)
            names[n++] = pesim_rg_data_keys[d];
        names[n++] = "mac";
    }
    if (leak)
        names[n++] = "leakage";
    return n;
}

/* A stacked chart: a group per layer and one for the network, a bar per
 * dataflow, stacked by `p`; divided by MACs when per_mac. */
static int stacked(const struct pesim_rg_input *in, const char *prefix, const char *name,
                   enum parts p, bool per_mac, struct pesim_rg_chart_list *l)
{
    bool leak = p != BY_STALL && has_leakage(in);
    const char *names[16];
    size_t ncols = part_names(p, leak, names);
    struct pesim_rg_chart *c = chart_new(l, prefix, name, PESIM_RG_STACKED);
    if (!c || table_init(&c->t, 2, ncols - 2, names))
        return PESIM_E_NOMEM;
    if (p == BY_LEVEL)
        SET_COLORS(c, level_colors);
    else if (p == BY_DATA)
        SET_COLORS(c, data_colors);
    else
        SET_COLORS(c, stall_colors);
    size_t *idx = malloc((nlayers(in) + 1) * sizeof *idx);
    if (!idx)
        return PESIM_E_NOMEM;
    size_t ng = groups(in, per_mac, idx);
    for (size_t g = 0; g < ng; g++)
        for (size_t d = 0; d < in->ndfs; d++) {
            size_t i = idx[g];
            const struct pesim_rg_result *r = res(in, d, i);
            double v[16];
            size_t n = parts(r, p, leak, v);
            for (size_t k = 0; per_mac && k < n; k++)
                v[k] = r->macs > 0 ? v[k] / r->macs : NAN;
            const char *keys[2] = {group_name(in, i), in->dfs[d].name};
            if (table_add(&c->t, keys, v)) {
                free(idx);
                return PESIM_E_NOMEM;
            }
        }
    free(idx);
    return 0;
}

static int energy_charts(const struct pesim_rg_input *in, const char *prefix,
                         struct pesim_rg_chart_list *l)
{
    char y[128], ym[128];
    snprintf(y, sizeof y, "energy (%s)", unit_label(in));
    snprintf(ym, sizeof ym, "energy per MAC (%s)", unit_label(in));
    static const struct {
        const char *name, *title;
        enum parts p;
        bool per_mac;
    } e[] = {
        {"energy-level-per-mac", "Energy per MAC by level", BY_LEVEL, true},
        {"energy-level", "Energy by level", BY_LEVEL, false},
        {"energy-data-per-mac", "Energy per MAC by data space", BY_DATA, true},
        {"energy-data", "Energy by data space", BY_DATA, false},
    };
    for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
        if (stacked(in, prefix, e[i].name, e[i].p, e[i].per_mac, l) ||
            chart_labels(&l->v[l->n - 1], e[i].title, "dataflow, grouped by layer",
                         e[i].per_mac ? ym : y))
            return PESIM_E_NOMEM;
    }
    return 0;
}

/* Network energy/MAC and latency per dataflow, two panels side by side. */
static int dataflow_chart(const struct pesim_rg_input *in, const char *prefix,
                          struct pesim_rg_chart_list *l)
{
    static const char *const names[] = {"dataflow", "energy_per_mac", "latency_ms"};
    char y[128];
    struct pesim_rg_chart *c = chart_new(l, prefix, "dataflows", PESIM_RG_PAIR);
    if (!c || table_init(&c->t, 1, 2, names))
        return PESIM_E_NOMEM;
    SET_COLORS(c, series_colors);
    snprintf(y, sizeof y, "energy per MAC (%s)", unit_label(in));
    char title[160];
    snprintf(title, sizeof title, "Dataflows: energy per MAC and latency of the network%s%s%s",
             in->objective[0] ? " (each mapped for " : "", in->objective,
             in->objective[0] ? ")" : "");
    if (chart_labels(c, title, "dataflow", y) ||
        !(c->y2label = dupf("latency (ms)")))
        return PESIM_E_NOMEM;
    for (size_t d = 0; d < in->ndfs; d++) {
        const struct pesim_rg_result *t = &in->dfs[d].total;
        double v[2] = {t->energy_per_mac, t->latency_us / 1000.0};
        const char *k[1] = {in->dfs[d].name};
        if (table_add(&c->t, k, v))
            return PESIM_E_NOMEM;
    }
    return 0;
}

enum metric { UTIL_SPATIAL, UTIL_TEMPORAL, LATENCY };

static double metric(const struct pesim_rg_result *r, enum metric m)
{
    return m == UTIL_SPATIAL ? 100 * r->util_spatial
           : m == UTIL_TEMPORAL ? 100 * r->util_temporal
                                : r->latency_us / 1000.0;
}

/* A bar per dataflow for each layer and the network. */
static int per_layer(const struct pesim_rg_input *in, const char *prefix, const char *name,
                     const char *title, const char *ylabel, enum metric m,
                     struct pesim_rg_chart_list *l)
{
    const char *names[64];
    size_t nd = in->ndfs < 63 ? in->ndfs : 63;
    names[0] = "layer";
    for (size_t d = 0; d < nd; d++)
        names[d + 1] = in->dfs[d].name;
    struct pesim_rg_chart *c = chart_new(l, prefix, name, PESIM_RG_CLUSTER);
    if (!c || table_init(&c->t, 1, nd, names) || chart_labels(c, title, "layer", ylabel))
        return PESIM_E_NOMEM;
    SET_COLORS(c, series_colors);
    size_t *idx = malloc((nlayers(in) + 1) * sizeof *idx);
    if (!idx)
        return PESIM_E_NOMEM;
    size_t ng = groups(in, m != LATENCY, idx);
    for (size_t g = 0; g < ng; g++) {
        double v[64];
        for (size_t d = 0; d < nd; d++)
            v[d] = metric(res(in, d, idx[g]), m);
        const char *k[1] = {group_name(in, idx[g])};
        if (table_add(&c->t, k, v)) {
            free(idx);
            return PESIM_E_NOMEM;
        }
    }
    free(idx);
    return 0;
}

static bool has_stalls(const struct pesim_rg_input *in)
{
    for (size_t d = 0; d < in->ndfs; d++)
        for (int s = 0; s < PESIM_RG_STALLS; s++)
            if (in->dfs[d].total.stalls[s] != 0)
                return true;
    return false;
}

/* The dataflow the objective ranks first (cycles when it is not stated). */
static size_t best_dataflow(const struct pesim_rg_input *in)
{
    size_t best = 0;
    for (size_t d = 1; d < in->ndfs; d++) {
        const struct pesim_rg_result *a = &in->dfs[d].total, *b = &in->dfs[best].total;
        double x = a->cycles, y = b->cycles;
        if (strcmp(in->objective, "energy") == 0) {
            x = a->energy_total;
            y = b->energy_total;
        } else if (strcmp(in->objective, "edp") == 0) {
            x = a->energy_total * a->cycles;
            y = b->energy_total * b->cycles;
        }
        best = x < y ? d : best;
    }
    return best;
}

static const struct pesim_rg_note *note_of(const struct pesim_rg_dataflow *df, const char *key)
{
    for (size_t k = 0; k < df->nnotes; k++)
        if (strcmp(df->notes[k].key, key) == 0)
            return &df->notes[k];
    return NULL;
}

/* One page note per key that bounds a run: which dataflows it bounds and
 * how much; and when it bounds others but not the one the objective ranks
 * first, that the ranking turns on it — a value of the architecture's, to
 * change with --set before trusting the ranking. */
static int bound_notes(const struct pesim_rg_input *in, struct pesim_rg_chart_list *l)
{
    size_t best = best_dataflow(in);
    for (size_t d = 0; d < in->ndfs; d++)
        for (size_t k = 0; k < in->dfs[d].nnotes; k++) {
            const struct pesim_rg_note *n = &in->dfs[d].notes[k];
            bool first = true;
            for (size_t e = 0; e < d && first; e++)
                first = !note_of(&in->dfs[e], n->key);
            if (!first)
                continue;
            char t[1024], v[64] = "";
            size_t at = 0, bounded = 0;
            if (isfinite(n->value))
                snprintf(v, sizeof v, " = %g", n->value);
            at += (size_t)snprintf(t, sizeof t, "%s%s (%s) bounds", n->key, v, n->cause);
            for (size_t e = d; e < in->ndfs && at < sizeof t; e++) {
                const struct pesim_rg_note *m = note_of(&in->dfs[e], n->key);
                if (m)
                    at += (size_t)snprintf(t + at, sizeof t - at, "%s %s (%.0f%% of its cycles)",
                                           bounded++ ? "," : "", in->dfs[e].name,
                                           100 * m->share);
            }
            if (at < sizeof t && in->ndfs > 1 && !note_of(&in->dfs[best], n->key))
                snprintf(t + at, sizeof t - at,
                         ", but not %s, first by %s: the ranking turns on this value of %s's; "
                         "`--set %s=...` shows the dataflows without that limit.",
                         in->dfs[best].name, in->objective[0] ? in->objective : "cycles",
                         in->arch[0] ? in->arch : "the architecture", n->key);
            else if (at < sizeof t)
                snprintf(t + at, sizeof t - at, ": raise it to shorten %s.",
                         bounded > 1 ? "them" : "it");
            if (note(l, t))
                return PESIM_E_NOMEM;
        }
    return 0;
}

static int run_charts(const struct pesim_rg_input *in, const char *prefix,
                      struct pesim_rg_chart_list *l)
{
    if (bound_notes(in, l))
        return PESIM_E_NOMEM;
    if (too_many_bars(in)) {
        char t[256];
        snprintf(t, sizeof t,
                 "%zu layers x %zu dataflows are too many bars for one figure: the "
                 "per-layer charts show the network only (report fewer layers or dataflows, "
                 "--dataflows).",
                 nlayers(in), in->ndfs);
        if (note(l, t))
            return PESIM_E_NOMEM;
    }
    if (energy_charts(in, prefix, l))
        return PESIM_E_NOMEM;
    if (in->ndfs > 1 ? dataflow_chart(in, prefix, l)
                     : note(l, "No dataflows chart: the input ran one dataflow "
                               "(`pesim compare` runs them all)."))
        return PESIM_E_NOMEM;
    if (has_stalls(in)) {
        if (stacked(in, prefix, "cycles", BY_STALL, false, l) ||
            chart_labels(&l->v[l->n - 1], "Where the cycles went", "dataflow, grouped by layer",
                         "cycles"))
            return PESIM_E_NOMEM;
    } else if (note(l, "No cycle breakdown: every stall count is 0 (the run used "
                       "--engine analysis, which computes no stalls).")) {
        return PESIM_E_NOMEM;
    }
    if (per_layer(in, prefix, "utilization-spatial", "Spatial utilization (active PEs / PEs)",
                  "spatial utilization (%)", UTIL_SPATIAL, l) ||
        per_layer(in, prefix, "utilization-temporal",
                  "Temporal utilization (MACs / (PEs x cycles))", "temporal utilization (%)",
                  UTIL_TEMPORAL, l) ||
        per_layer(in, prefix, "latency", "Latency per layer", "latency (ms)", LATENCY, l))
        return PESIM_E_NOMEM;
    return 0;
}

/* ---- sweeps ------------------------------------------------------------- */

struct sweep_view {
    const struct pesim_rg_sweep *s;
    size_t status; /* column of status */
};

static const char *cell(const struct pesim_rg_sweep *s, size_t row, size_t col)
{
    return s->cells[row * s->ncols + col];
}

static bool ok_row(const struct pesim_rg_sweep *s, size_t row)
{
    return strcmp(cell(s, row, s->naxes + 1), "ok") == 0;
}

static bool is_num(const char *t, double *v)
{
    char *end;
    double d = strtod(t, &end);
    if (!*t || *end)
        return false;
    if (v)
        *v = d;
    return true;
}

static bool numeric_col(const struct pesim_rg_sweep *s, size_t col)
{
    for (size_t r = 0; r < s->nrows; r++)
        if (ok_row(s, r) && !is_num(cell(s, r, col), NULL))
            return false;
    return true;
}

static long col_index(const struct pesim_rg_sweep *s, const char *name)
{
    for (size_t c = 0; c < s->ncols; c++)
        if (strcmp(s->cols[c], name) == 0)
            return (long)c;
    return -1;
}

/* The distinct values of an axis over the ok rows: numbers ascending,
 * text in order of appearance. */
struct values {
    const char **v;
    size_t n;
    bool num;
};

static int cmp_num(const void *a, const void *b)
{
    double x = strtod(*(const char *const *)a, NULL), y = strtod(*(const char *const *)b, NULL);
    return (x > y) - (x < y);
}

static int distinct(const struct pesim_rg_sweep *s, size_t col, struct values *out)
{
    out->v = malloc((s->nrows ? s->nrows : 1) * sizeof *out->v);
    out->n = 0;
    out->num = numeric_col(s, col);
    if (!out->v)
        return PESIM_E_NOMEM;
    for (size_t r = 0; r < s->nrows; r++) {
        if (!ok_row(s, r))
            continue;
        const char *t = cell(s, r, col);
        size_t k = 0;
        while (k < out->n && strcmp(out->v[k], t) != 0)
            k++;
        if (k == out->n)
            out->v[out->n++] = t;
    }
    if (out->num)
        qsort(out->v, out->n, sizeof *out->v, cmp_num);
    return 0;
}

static size_t value_index(const struct values *v, const char *t)
{
    for (size_t k = 0; k < v->n; k++)
        if (strcmp(v->v[k], t) == 0)
            return k;
    return v->n;
}

/* The heatmap's x and y axes and its metric: a column name, or the
 * default; `opt` says which in the message. */
static int pick(const struct pesim_rg_input *in, const char *opt, const char *name,
                bool axis, long *out, pesim_diags *d)
{
    const struct pesim_rg_sweep *s = &in->sweep;
    long c = col_index(s, name);
    bool is_axis = c >= 1 && (size_t)c <= s->naxes;
    if (c < 0 || is_axis != axis || (!axis && (c <= (long)s->naxes + 2 ||
                                               !numeric_col(s, (size_t)c)))) {
        pesim_diags_addc(d, PESIM_DIAG_REPORT_COLUMN,
                         "pesim report", 0, 0, "%s %s: %s has no %s column '%s'", opt, name,
                         in->path, axis ? "axis" : "numeric metric", name);
        return PESIM_E_INVALID;
    }
    *out = c;
    return 0;
}

/* Default axes: the numeric ones first, then the others, in spec order. */
static void default_axes(const struct pesim_rg_sweep *s, long x, long *order, size_t *n)
{
    *n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 1; c <= s->naxes; c++)
            if ((long)c != x && numeric_col(s, c) == (pass == 0))
                order[(*n)++] = (long)c;
}

static int heatmap(const struct pesim_rg_input *in, const char *prefix, long x, long y,
                   long m, struct pesim_rg_chart_list *l)
{
    const struct pesim_rg_sweep *s = &in->sweep;
    struct values vx, vy;
    const char *names[] = {s->cols[x], s->cols[y], "x_index", "y_index", s->cols[m]};
    char title[256];
    int rc = PESIM_E_NOMEM;
    if (distinct(s, (size_t)x, &vx) || distinct(s, (size_t)y, &vy))
        return PESIM_E_NOMEM;
    double *best = malloc((vx.n * vy.n + 1) * sizeof *best);
    struct pesim_rg_chart *c = chart_new(l, prefix, "sweep-heatmap", PESIM_RG_HEATMAP);
    if (!best || !c || table_init(&c->t, 2, 3, names))
        goto out;
    c->t.first_shown = 2;
    snprintf(title, sizeof title, "%s over %s and %s (minimum over the other axes)",
             s->cols[m], s->cols[x], s->cols[y]);
    if (chart_labels(c, title, s->cols[x], s->cols[y]))
        goto out;
    for (size_t k = 0; k < vx.n * vy.n; k++)
        best[k] = NAN;
    for (size_t r = 0; r < s->nrows; r++) {
        double v;
        if (!ok_row(s, r) || !is_num(cell(s, r, (size_t)m), &v))
            continue;
        size_t k = value_index(&vx, cell(s, r, (size_t)x)) * vy.n +
                   value_index(&vy, cell(s, r, (size_t)y));
        if (isnan(best[k]) || v < best[k])
            best[k] = v;
    }
    rc = 0;
    for (size_t i = 0; i < vx.n && !rc; i++)
        for (size_t j = 0; j < vy.n && !rc; j++)
            if (!isnan(best[i * vy.n + j])) {
                const char *k[2] = {vx.v[i], vy.v[j]};
                double v[3] = {(double)i, (double)j, best[i * vy.n + j]};
                rc = table_add(&c->t, k, v);
            }
out:
    free(best);
    free(vx.v);
    free(vy.v);
    return rc;
}

/* One line per value of `series` (or one line when -1) over axis x. */
static int lines(const struct pesim_rg_input *in, const char *prefix, long x, long series,
                 long m, struct pesim_rg_chart_list *l)
{
    const struct pesim_rg_sweep *s = &in->sweep;
    struct values vx, vs = {0};
    const char *names[] = {series >= 0 ? s->cols[series] : "series", s->cols[x], "x",
                           s->cols[m]};
    char title[256];
    int rc = PESIM_E_NOMEM;
    if (distinct(s, (size_t)x, &vx) || (series >= 0 && distinct(s, (size_t)series, &vs)))
        goto out;
    size_t ns = series >= 0 ? vs.n : 1;
    double *best = malloc((vx.n * ns + 1) * sizeof *best);
    struct pesim_rg_chart *c = chart_new(l, prefix, "sweep-lines", PESIM_RG_LINES);
    if (!best || !c || table_init(&c->t, 2, 2, names))
        goto out2;
    c->t.first_shown = 1;
    SET_COLORS(c, series_colors);
    c->logx = vx.num && vx.n > 2 && strtod(vx.v[0], NULL) > 0 &&
              strtod(vx.v[vx.n - 1], NULL) / strtod(vx.v[0], NULL) >= 16;
    snprintf(title, sizeof title, "%s over %s%s%s (minimum over the other axes)", s->cols[m],
             s->cols[x], series >= 0 ? ", one line per " : "", series >= 0 ? s->cols[series] : "");
    if (chart_labels(c, title, s->cols[x], s->cols[m]))
        goto out2;
    for (size_t k = 0; k < vx.n * ns; k++)
        best[k] = NAN;
    for (size_t r = 0; r < s->nrows; r++) {
        double v;
        if (!ok_row(s, r) || !is_num(cell(s, r, (size_t)m), &v))
            continue;
        size_t k = (series >= 0 ? value_index(&vs, cell(s, r, (size_t)series)) : 0) * vx.n +
                   value_index(&vx, cell(s, r, (size_t)x));
        if (isnan(best[k]) || v < best[k])
            best[k] = v;
    }
    rc = 0;
    for (size_t j = 0; j < ns && !rc; j++)
        for (size_t i = 0; i < vx.n && !rc; i++) {
            if (isnan(best[j * vx.n + i]))
                continue;
            const char *k[2] = {series >= 0 ? vs.v[j] : "all", vx.v[i]};
            double xv = vx.num ? strtod(vx.v[i], NULL) : (double)i;
            double v[2] = {xv, best[j * vx.n + i]};
            rc = table_add(&c->t, k, v);
        }
out2:
    free(best);
out:
    free(vx.v);
    free(vs.v);
    return rc;
}

/* A point of the scatter: its row and up to three metrics, minimized. */
struct point {
    size_t row;
    double m[3];
};

static int cmp_point(const void *a, const void *b)
{
    const struct point *p = a, *q = b;
    for (int k = 0; k < 3; k++)
        if (p->m[k] != q->m[k])
            return (p->m[k] > q->m[k]) - (p->m[k] < q->m[k]);
    return (p->row > q->row) - (p->row < q->row);
}

/* On the front: no other point is at most as large in every metric and
 * smaller in one (the rule of `pesim sweep pareto --min ...`). */
static bool on_front(const struct point *p, size_t n, size_t i, size_t nm)
{
    for (size_t k = 0; k < n; k++) {
        bool le = true, lt = false;
        for (size_t j = 0; j < nm; j++) {
            le = le && p[k].m[j] <= p[i].m[j];
            lt = lt || p[k].m[j] < p[i].m[j];
        }
        if (k != i && le && lt)
            return false;
    }
    return true;
}

/* A point's label: its values of the axes that vary, in spec order. */
static void point_label(const struct pesim_rg_sweep *s, size_t row, const bool *varies,
                        char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    for (size_t c = 1; c <= s->naxes && at + 1 < n; c++)
        if (varies[c])
            at += (size_t)snprintf(buf + at, n - at, "%s%s", at ? " " : "", cell(s, row, c));
    if (at >= n)
        buf[n - 1] = 0;
}

/* How the scatter names a metric column on its axis. */
static const char *metric_label(const char *col)
{
    return strcmp(col, "latency_us") == 0     ? "latency (us)"
           : strcmp(col, "energy_total") == 0 ? "energy (arch energy unit)"
           : strcmp(col, "area") == 0         ? "storage area (GLB-byte equivalents)"
                                              : col;
}

static int scatter(const struct pesim_rg_input *in, const char *prefix,
                   const struct pesim_rg_sweep_opts *so, struct pesim_rg_chart_list *l,
                   pesim_diags *d)
{
    const struct pesim_rg_sweep *s = &in->sweep;
    const char *want[3] = {"latency_us", "energy_total", NULL};
    size_t nm = 2;
    if (so->pareto[0]) {
        for (nm = 0; nm < 3 && so->pareto[nm]; nm++)
            want[nm] = so->pareto[nm];
    }
    long mc[3];
    for (size_t k = 0; k < nm; k++) {
        if (so->pareto[0]) {
            if (pick(in, "--pareto", want[k], false, &mc[k], d))
                return PESIM_E_INVALID;
        } else if ((mc[k] = col_index(s, want[k])) < 0) {
            return note(l, "No energy-latency scatter: the results have no latency_us or "
                           "energy_total column.");
        }
    }
    bool varies[64] = {false};
    for (size_t c = 1; c <= s->naxes && c < 64; c++) {
        struct values v;
        if (distinct(s, c, &v))
            return PESIM_E_NOMEM;
        varies[c] = v.n > 1;
        free(v.v);
    }
    const char *names[6] = {"id", "point", s->cols[mc[0]], s->cols[mc[1]],
                            nm > 2 ? s->cols[mc[2]] : "pareto", "pareto"};
    struct point *p = malloc((s->nrows + 1) * sizeof *p);
    size_t n = 0;
    int rc = PESIM_E_NOMEM;
    char title[256];
    snprintf(title, sizeof title, "%s against %s%s%s, Pareto front marked", s->cols[mc[1]],
             s->cols[mc[0]], nm > 2 ? ", colour: " : "", nm > 2 ? s->cols[mc[2]] : "");
    struct pesim_rg_chart *c = chart_new(l, prefix, "sweep-pareto", PESIM_RG_SCATTER);
    if (!p || !c || table_init(&c->t, 2, nm + 1, names) ||
        chart_labels(c, title, metric_label(s->cols[mc[0]]), metric_label(s->cols[mc[1]])) ||
        (nm > 2 && !(c->y2label = dupf("%s", metric_label(s->cols[mc[2]])))))
        goto out;
    for (size_t r = 0; r < s->nrows; r++) {
        bool ok = ok_row(s, r);
        for (size_t k = 0; ok && k < nm; k++)
            ok = is_num(cell(s, r, (size_t)mc[k]), &p[n].m[k]);
        for (size_t k = nm; k < 3; k++)
            p[n].m[k] = 0;
        if (ok)
            p[n++].row = r;
    }
    qsort(p, n, sizeof *p, cmp_point);
    rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        char label[256];
        point_label(s, p[i].row, varies, label, sizeof label);
        const char *k[2] = {cell(s, p[i].row, 0), label};
        double v[4] = {p[i].m[0], p[i].m[1], p[i].m[2], 0};
        v[nm] = on_front(p, n, i, nm) ? 1 : 0;
        rc = table_add(&c->t, k, v);
    }
out:
    free(p);
    return rc;
}

/* The first axis other than x with text values (dataflow) and at most 12
 * values, else any with at most 12: one line each. */
static long series_axis(const struct pesim_rg_sweep *s, long x)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 1; c <= s->naxes; c++) {
            struct values v;
            if ((long)c == x || (pass == 0 && numeric_col(s, c)) || distinct(s, c, &v))
                continue;
            size_t n = v.n;
            free(v.v);
            if (n <= NSERIES_COLORS)
                return (long)c;
        }
    return -1;
}

static int sweep_charts(const struct pesim_rg_input *in, const char *prefix,
                        const struct pesim_rg_sweep_opts *so, struct pesim_rg_chart_list *l,
                        pesim_diags *d)
{
    const struct pesim_rg_sweep *s = &in->sweep;
    long x = -1, y = -1, m = -1, order[64];
    size_t n;
    int rc = 0;
    if (so->x)
        rc |= pick(in, "x axis", so->x, true, &x, d);
    if (so->y)
        rc |= pick(in, "y axis", so->y, true, &y, d);
    rc |= pick(in, "metric", so->metric ? so->metric : "energy_per_mac", false, &m, d);
    if (rc)
        return PESIM_E_INVALID;
    default_axes(s, -1, order, &n);
    if (x < 0 && n)
        x = order[0] == y && n > 1 ? order[1] : order[0];
    for (size_t i = 0; i < n && y < 0; i++)
        if (order[i] != x)
            y = order[i];
    if (x >= 0 && y >= 0 && x != y)
        rc = heatmap(in, prefix, x, y, m, l);
    else
        rc = note(l, "No heatmap: the sweep has fewer than two axes.");
    if (!rc && x >= 0)
        rc = lines(in, prefix, x, series_axis(s, x), m, l);
    if (!rc)
        rc = scatter(in, prefix, so, l, d);
    return rc;
}

int pesim_rg_charts_build(const struct pesim_rg_input *in, const char *prefix,
                          const struct pesim_rg_sweep_opts *so,
                          struct pesim_rg_chart_list *list, pesim_diags *diags)
{
    static const struct pesim_rg_sweep_opts none = {0};
    if (in->kind == PESIM_RG_SWEEP)
        return sweep_charts(in, prefix, so ? so : &none, list, diags);
    return run_charts(in, prefix, list);
}

void pesim_rg_charts_free(struct pesim_rg_chart_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct pesim_rg_chart *c = &l->v[i];
        free(c->name);
        free(c->title);
        free(c->xlabel);
        free(c->ylabel);
        free(c->y2label);
        table_free(&c->t);
    }
    for (size_t i = 0; i < l->nnotes; i++)
        free(l->notes[i]);
    free(l->notes);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- the data file ------------------------------------------------------ */

static void put_row(FILE *out, const struct pesim_rg_table *t, size_t r)
{
    for (size_t k = 0; k < t->nkeys; k++) {
        fputc('"', out);
        pesim_rg_gp_text(out, t->keys[r * t->nkeys + k], '"');
        fputs("\" ", out);
    }
    for (size_t v = 0; v < t->nvals; v++) {
        double x = t->vals[r * t->nvals + v];
        if (isfinite(x))
            fprintf(out, v + 1 < t->nvals ? "%.15g " : "%.15g", x);
        else
            fputs(v + 1 < t->nvals ? "NaN " : "NaN", out);
    }
    fputc('\n', out);
}

int pesim_rg_write_data(FILE *out, const struct pesim_rg_chart *c)
{
    const struct pesim_rg_table *t = &c->t;
    bool blocks = c->kind == PESIM_RG_LINES;
    fputc('#', out);
    for (size_t i = 0; i < t->nkeys + t->nvals; i++) {
        fputc(' ', out);
        pesim_rg_gp_text(out, t->cols[i], '"');
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->nrows; r++) {
        if (blocks && r > 0 && strcmp(t->keys[r * t->nkeys], t->keys[(r - 1) * t->nkeys]))
            fputs("\n\n", out);
        put_row(out, t, r);
    }
    /* The scatter's front again as block 1, in latency order, for its line. */
    if (c->kind == PESIM_RG_SCATTER) {
        fputs("\n\n# pareto front\n", out);
        for (size_t r = 0; r < t->nrows; r++)
            if (t->vals[r * t->nvals + t->nvals - 1] > 0)
                put_row(out, t, r);
    }
    return ferror(out) ? PESIM_E_IO : 0;
}
