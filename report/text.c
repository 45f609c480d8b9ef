/* Human-readable text (docs/cli.md, "Text"). Tables are laid out in two
 * passes over the same cell function — widths first, then the rows — so
 * nothing is allocated and every column lines up. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "report/walk.h"

#define CELL 48

/* 1234567 -> "1,234,567". */
static void fmt_grouped(char *buf, size_t size, uint64_t v)
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
}

/* Energies: grouped integers from 1000 up, two decimals below, "-" when
 * not finite. */
static void fmt_energy(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        snprintf(buf, size, "-");
    else if (v == 0)
        snprintf(buf, size, "0");
    else if (v >= 1e18)
        snprintf(buf, size, "%.3e", v);
    else if (v >= 1000)
        fmt_grouped(buf, size, (uint64_t)llround(v));
    else
        snprintf(buf, size, "%.2f", v);
}

static void fmt_fixed(char *buf, size_t size, const char *f, double v)
{
    if (isfinite(v))
        snprintf(buf, size, f, v);
    else
        snprintf(buf, size, "-");
}

/* A non-negative value with `decimals` decimals and a grouped integer
 * part: 12549.43 -> "12,549.4". */
static void fmt_dec(char *buf, size_t size, double v, int decimals)
{
    if (!isfinite(v) || v < 0 || v >= 1e18) {
        fmt_fixed(buf, size, "%g", v);
        return;
    }
    char frac[32];
    snprintf(frac, sizeof frac, "%.*f", decimals, v);
    /* Round once, then split, so 999.96 becomes "1,000.0". */
    char *dot = strchr(frac, '.');
    uint64_t ip = strtoull(frac, NULL, 10);
    fmt_grouped(buf, size, ip);
    if (dot) {
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, "%s", dot);
    }
}

static void fmt_pct(char *buf, size_t size, double part, double whole)
{
    if (whole > 0 && isfinite(part) && isfinite(whole))
        snprintf(buf, size, "%.1f%%", 100.0 * part / whole);
    else
        snprintf(buf, size, "-");
}

static uint64_t dram_accesses(const struct pesim_analysis *a)
{
    uint64_t n = 0;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        const struct pesim_access *x = &a->acc[PESIM_LEVEL_DRAM][ds];
        n += pesim_access_total(x);
    }
    return n;
}

/* A table is a cell function over (row, col); row -1 is the header.
 * Column 0 is left-aligned, the others right-aligned. */
typedef void (*cell_fn)(const void *data, int row, int col, char *buf,
                        size_t size);

static void table(FILE *out, const void *data, int rows, int cols,
                  cell_fn cell)
{
    enum { MAX_COLS = 16 };
    size_t width[MAX_COLS] = {0};
    char buf[CELL];
    if (cols > MAX_COLS)
        cols = MAX_COLS;
    for (int r = -1; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            cell(data, r, c, buf, sizeof buf);
            size_t n = strlen(buf);
            if (n > width[c])
                width[c] = n;
        }
    for (int r = -1; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            cell(data, r, c, buf, sizeof buf);
            if (c == 0)
                fprintf(out, "%-*s", (int)width[c], buf);
            else
                fprintf(out, "  %*s", (int)width[c], buf);
        }
        fputc('\n', out);
        if (r == -1) {
            size_t total = 0;
            for (int c = 0; c < cols; c++)
                total += width[c] + (c ? 2 : 0);
            for (size_t i = 0; i < total; i++)
                fputc('-', out);
            fputc('\n', out);
        }
    }
}

/* ---- run: one row per layer, then the total ---------------------------- */

static const char *const run_head[] = {
    "layer", "MACs", "cycles", "latency (us)", "energy/MAC",
    "util spatial", "util temporal", "DRAM accesses (words)", "bound"};
enum { RUN_COLS = sizeof run_head / sizeof run_head[0] };

static void result_cell(const struct pesim_layer_result *r, const char *name,
                        int col, char *buf, size_t size)
{
    const struct pesim_analysis *a = &r->analysis;
    switch (col) {
    case 0: {
        char shown[PESIM_NAME_SHOWN];
        snprintf(buf, size, "%s%s", pesim_visible(shown, sizeof shown, name),
                 r->same_as[0] ? " (=)" : "");
        break;
    }
    case 1: fmt_grouped(buf, size, a->macs); break;
    case 2: fmt_grouped(buf, size, r->cycles); break;
    case 3: fmt_dec(buf, size, r->latency_us, 1); break;
    case 4: fmt_fixed(buf, size, "%.3f", r->energy.per_mac); break;
    case 5: fmt_pct(buf, size, a->util_spatial, 1); break;
    case 6: fmt_pct(buf, size, a->util_temporal, 1); break;
    case 7: fmt_grouped(buf, size, dram_accesses(a)); break;
    case 8: snprintf(buf, size, "%s", pesim_report_bound_name(r->bound)); break;
    default: buf[0] = '\0';
    }
}

static void run_cell(const void *data, int row, int col, char *buf,
                     size_t size)
{
    const struct pesim_run *run = data;
    if (row < 0)
        snprintf(buf, size, "%s", run_head[col]);
    else if ((size_t)row < run->n)
        result_cell(&run->layers[row], run->layers[row].layer.name, col, buf,
                    size);
    else
        result_cell(&run->total, "total", col, buf, size);
}

/* ---- energy breakdown: levels x data spaces ---------------------------- */

static const char *const energy_head[] = {"level", "weights", "inputs",
                                          "outputs", "total", "share"};

/* An energy breakdown and the architecture that names its rows. */
struct energy_table {
    const struct pesim_energy *e;
    const struct pesim_arch *arch;
};

static void energy_cell(const void *data, int row, int col, char *buf,
                        size_t size)
{
    const struct energy_table *t = data;
    const struct pesim_energy *e = t->e;
    /* Rows: the energy rows (levels, networks, the MAC), leakage, total. */
    int rows = (int)e->nrows, leak = rows, mac = rows - 1;
    if (row < 0) {
        snprintf(buf, size, "%s", energy_head[col]);
        return;
    }
    double v = 0;
    if (col == 0) {
        const char *name = row < rows ? pesim_energy_row_name(t->arch, (unsigned)row) : NULL;
        snprintf(buf, size, "%s",
                 row < rows ? (name ? name : "?") : row == leak ? "leakage" : "total");
        return;
    }
    if (col <= PESIM_DS_COUNT) {
        int ds = col - 1;
        if (row < mac)
            v = e->by[row][ds];
        else if (row == leak + 1)
            v = e->by_data[ds];
        else {
            snprintf(buf, size, "-");
            return;
        }
        fmt_energy(buf, size, v);
        return;
    }
    v = row < rows ? e->by_level[row] : row == leak ? e->leakage : e->total;
    if (col == 4)
        fmt_energy(buf, size, v);
    else
        fmt_pct(buf, size, v, e->total);
}

static const char *unit_title(const struct pesim_report_ctx *ctx)
{
    if (ctx && ctx->arch && ctx->arch->energy.unit == PESIM_ENERGY_NORMALIZED)
        return "normalized, MAC = 1";
    return pesim_report_unit(ctx);
}

static void title(FILE *out, const struct pesim_report_ctx *ctx)
{
    const struct pesim_arch *arch = ctx ? ctx->arch : NULL;
    char shown[PESIM_NAME_SHOWN];
    fprintf(out, "pesim %s: arch %s", pesim_version(),
            arch ? pesim_visible(shown, sizeof shown, arch->name) : "?");
    if (arch && !arch->general)
        fprintf(out, " (%ux%u PEs, %g MHz)", (unsigned)arch->pe_array.rows,
                (unsigned)arch->pe_array.cols, arch->clock_mhz);
    else if (arch)
        fprintf(out, " (%u levels, %u MACs, %g MHz)", (unsigned)arch->nlevels,
                (unsigned)pesim_arch_pes(arch), arch->clock_mhz);
    fprintf(out, ", workload %s",
            ctx && ctx->workload ? pesim_visible(shown, sizeof shown, ctx->workload) : "?");
}

static void derived_item(const char *path, double value, void *ctx)
{
    fprintf(ctx, " %s=%g", path, value);
}

static void derived_count(const char *path, double value, void *ctx)
{
    (void)path;
    (void)value;
    ++*(size_t *)ctx;
}

/* The keys the file left out and the values derived for them, after the
 * title (docs/config.md, "Derived defaults"): the value used is shown. */
static void derived(FILE *out, const struct pesim_report_ctx *ctx)
{
    size_t n = 0;
    if (ctx && ctx->arch)
        pesim_arch_derived_keys(ctx->arch, derived_count, &n);
    if (!n)
        return;
    fputs("derived defaults:", out);
    pesim_arch_derived_keys(ctx->arch, derived_item, out);
    fputs(" (docs/config.md, \"Derived defaults\")\n", out);
}

/* The bound note of a run's total, if any, after a blank line unless
 * *noted (one was printed before it); `prefix` names the dataflow. */
static void bound_note(FILE *out, const struct pesim_report_ctx *ctx, const char *prefix,
                       const struct pesim_layer_result *total, bool *noted)
{
    struct pesim_report_note n;
    if (!pesim_report_bound_note(ctx ? ctx->arch : NULL, total, &n))
        return;
    if (!*noted)
        fputc('\n', out);
    pesim_report_note_text(out, prefix, &n);
    *noted = true;
}

static const char *df_title(const char *name)
{
    const pesim_dataflow *df = name ? pesim_df_find(name) : NULL;
    return df ? pesim_df_title(df) : NULL;
}

/* ---- where the cycles went (cycle-level engines) ----------------------- */

static const char *const stall_head[] = {"layer", "compute", "fill/drain", "DRAM bw",
                                         "DRAM latency", "GLB", "NoC"};

static void stall_cell(const void *data, int row, int col, char *buf, size_t size)
{
    const struct pesim_run *run = data;
    if (row < 0) {
        snprintf(buf, size, "%s", stall_head[col]);
        return;
    }
    const struct pesim_layer_result *r = (size_t)row < run->n ? &run->layers[row] : &run->total;
    if (col == 0)
        pesim_visible(buf, size, (size_t)row < run->n ? r->layer.name : "total");
    else
        fmt_grouped(buf, size, r->stalls[col - 1]);
}

static bool cycle_level(const struct pesim_layer_result *r)
{
    return r->engine != PESIM_ENGINE_ANALYSIS;
}

/* One line of stall shares, e.g. "  cycles: compute 9.1%  noc 80.4% ...". */
static void stall_shares(FILE *out, const struct pesim_layer_result *t)
{
    char buf[CELL];
    fputs("  cycles:", out);
    for (int k = 0; k < PESIM_STALL_COUNT; k++) {
        fmt_pct(buf, sizeof buf, (double)t->stalls[k], (double)t->cycles);
        fprintf(out, "  %s %s", pesim_stall_name((enum pesim_stall)k), buf);
    }
    fputc('\n', out);
}

int pesim_report_text_run(FILE *out, const struct pesim_report_ctx *ctx,
                          const struct pesim_run *run)
{
    const char *dtitle = df_title(run->dataflow);
    title(out, ctx);
    fprintf(out, ", dataflow %s", run->dataflow ? run->dataflow : "?");
    if (dtitle)
        fprintf(out, " (%s)", dtitle);
    fprintf(out, ", objective %s\n", pesim_report_objective(ctx));
    derived(out, ctx);
    fputc('\n', out);
    table(out, run, (int)run->n + 1, RUN_COLS, run_cell);
    size_t same = 0;
    for (size_t i = 0; i < run->n; i++)
        same += run->layers[i].same_as[0] != '\0';
    if (same)
        fprintf(out, "\n(=) %zu of %zu layers repeat the shape of an earlier layer and reuse "
                     "its simulation (`same_as` in JSON).\n", same, run->n);
    bool noted = false;
    bound_note(out, ctx, NULL, &run->total, &noted);
    fprintf(out, "\nEnergy of the total by level and data space (%s):\n\n",
            unit_title(ctx));
    struct energy_table et = {&run->total.energy, pesim_report_arch(ctx)};
    table(out, &et, (int)run->total.energy.nrows + 2, 6, energy_cell);
    if (cycle_level(&run->total)) {
        fprintf(out, "\nWhere the cycles went (%s engine; cycles):\n\n",
                pesim_engine_name(run->total.engine));
        table(out, run, (int)run->n + 1, 1 + PESIM_STALL_COUNT, stall_cell);
    }
    return ferror(out) ? PESIM_E_IO : 0;
}

/* ---- compare: one row per dataflow ------------------------------------- */

/* What the objective minimized, for compare's title. */
static const char *objective_goal(const struct pesim_report_ctx *ctx)
{
    switch (ctx && !ctx->explicit_mapping ? ctx->objective : PESIM_OBJECTIVE_COUNT) {
    case PESIM_OBJECTIVE_LATENCY: return "its fewest cycles";
    case PESIM_OBJECTIVE_ENERGY: return "its least energy";
    case PESIM_OBJECTIVE_EDP: return "its least energy x cycles";
    default: return "the given mapping";
    }
}

static const char *const cmp_head[] = {
    "dataflow", "cycles", "latency (ms)", "energy", "energy/MAC",
    "util spatial", "util temporal", "DRAM accesses (words)"};
enum { CMP_COLS = sizeof cmp_head / sizeof cmp_head[0] };

struct cmp {
    const struct pesim_run *runs;
};

static void cmp_cell(const void *data, int row, int col, char *buf,
                     size_t size)
{
    const struct cmp *c = data;
    if (row < 0) {
        snprintf(buf, size, "%s", cmp_head[col]);
        return;
    }
    const struct pesim_run *run = &c->runs[row];
    const struct pesim_layer_result *t = &run->total;
    switch (col) {
    case 0: snprintf(buf, size, "%s", run->dataflow ? run->dataflow : "?"); break;
    case 1: fmt_grouped(buf, size, t->cycles); break;
    case 2: fmt_dec(buf, size, t->latency_us / 1000.0, 3); break;
    case 3: fmt_energy(buf, size, t->energy.total); break;
    case 4: fmt_fixed(buf, size, "%.3f", t->energy.per_mac); break;
    case 5: fmt_pct(buf, size, t->analysis.util_spatial, 1); break;
    case 6: fmt_pct(buf, size, t->analysis.util_temporal, 1); break;
    case 7: fmt_grouped(buf, size, dram_accesses(&t->analysis)); break;
    default: buf[0] = '\0';
    }
}

int pesim_report_text_compare(FILE *out, const struct pesim_report_ctx *ctx,
                              const struct pesim_run *runs, size_t n)
{
    struct cmp c = {runs};
    char buf[CELL];
    title(out, ctx);
    size_t layers = n ? runs[0].n : 0;
    fprintf(out, ", %zu layer%s, objective %s (each dataflow mapped for %s)\n", layers,
            layers == 1 ? "" : "s", pesim_report_objective(ctx), objective_goal(ctx));
    derived(out, ctx);
    fputc('\n', out);
    table(out, &c, (int)n, CMP_COLS, cmp_cell);
    bool noted = false;
    for (size_t i = 0; i < n; i++) {
        char prefix[PESIM_NAME_MAX + 2];
        snprintf(prefix, sizeof prefix, "%s: ", runs[i].dataflow ? runs[i].dataflow : "?");
        bound_note(out, ctx, prefix, &runs[i].total, &noted);
    }
    fprintf(out, "\nEnergy share by level and data space (%s)%s:\n\n", unit_title(ctx),
            n && cycle_level(&runs[0].total) ? "; where the cycles went" : "");
    for (size_t i = 0; i < n; i++) {
        const struct pesim_energy *e = &runs[i].total.energy;
        const char *dtitle = df_title(runs[i].dataflow);
        fprintf(out, "%s", runs[i].dataflow ? runs[i].dataflow : "?");
        if (dtitle)
            fprintf(out, " (%s)", dtitle);
        fputs("\n  level:", out);
        for (unsigned row = 0; row < e->nrows; row++) {
            const char *name = pesim_energy_row_name(pesim_report_arch(ctx), row);
            fmt_pct(buf, sizeof buf, e->by_level[row], e->total);
            fprintf(out, "  %s %s", name ? name : "?", buf);
        }
        if (e->leakage != 0) {
            fmt_pct(buf, sizeof buf, e->leakage, e->total);
            fprintf(out, "  leakage %s", buf);
        }
        fputs("\n  data: ", out);
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
            fmt_pct(buf, sizeof buf, e->by_data[ds], e->total);
            fprintf(out, "  %s %s", pesim_ds_name((enum pesim_ds)ds), buf);
        }
        fputc('\n', out);
        if (cycle_level(&runs[i].total))
            stall_shares(out, &runs[i].total);
    }
    return ferror(out) ? PESIM_E_IO : 0;
}
