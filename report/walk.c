/* The field walk shared by the JSON and CSV writers (see walk.h). */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "report/walk.h"

bool pesim_report_fmt_double(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        if (size)
            buf[0] = '\0';
        return false;
    }
    /* -0 and 0 are the same number to a reader; print one spelling. */
    if (v == 0)
        v = 0;
    snprintf(buf, size, "%.15g", v);
    return true;
}

const char *pesim_report_bound_name(enum pesim_bound b)
{
    const char *n = pesim_bound_name(b);
    return n ? n : "unknown";
}

const char *pesim_report_kind_name(enum pesim_layer_kind k)
{
    const char *n = pesim_layer_kind_name(k);
    return n ? n : "unknown";
}

static const char *name_or(const char *n) { return n ? n : "?"; }

/* Appends with truncation; `*len` never passes size - 1. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

static void fmt_loops(char *buf, size_t size, size_t *len, const char *label,
                      const struct pesim_loop *loops, size_t n, bool spatial)
{
    append(buf, size, len, "%s%s[", *len ? " " : "", label);
    for (size_t i = 0; i < n; i++)
        append(buf, size, len, "%s%s%u%s", i ? " " : "",
               name_or(pesim_dim_name((enum pesim_dim)loops[i].dim)),
               (unsigned)loops[i].bound,
               spatial ? name_or(pesim_axis_name((enum pesim_axis)loops[i].axis))
                       : "");
    append(buf, size, len, "]");
}

/* Nest order: each level's temporal loops, then the spatial loops of its
 * fan-out. The shorthand prints its one fan-out as "spatial", always. */
void pesim_report_fmt_mapping(char *buf, size_t size, const struct pesim_arch *arch,
                              const struct pesim_mapping *m)
{
    size_t len = 0;
    if (size)
        buf[0] = '\0';
    unsigned nl = pesim_mapping_levels(m) < arch->nlevels ? pesim_mapping_levels(m)
                                                          : arch->nlevels;
    for (unsigned lv = 0; lv < nl; lv++) {
        const char *name = arch->level[lv].name;
        fmt_loops(buf, size, &len, name, m->temporal[lv], m->ntemporal[lv], false);
        if (!arch->general && lv == PESIM_LEVEL_GLB)
            fmt_loops(buf, size, &len, "spatial", m->spatial[lv], m->nspatial[lv], true);
        else if (m->nspatial[lv]) {
            char label[PESIM_LEVEL_NAME_MAX + 8];
            snprintf(label, sizeof label, "%s.spatial", name);
            fmt_loops(buf, size, &len, label, m->spatial[lv], m->nspatial[lv], true);
        }
    }
    bool any = false;
    for (unsigned lv = 0; lv < nl; lv++)
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (m->bypass[lv][ds]) {
                append(buf, size, &len, "%s%s:%s", any ? " " : " bypass[",
                       arch->level[lv].name, pesim_ds_name((enum pesim_ds)ds));
                any = true;
            }
    if (any)
        append(buf, size, &len, "]");
}

/* The shorthand's names, for writers given no architecture. */
static const struct pesim_arch shorthand_names = {
    .nlevels = PESIM_LEVEL_COUNT,
    .level = {{.name = "dram"}, {.name = "glb", .fanout = {.rows = 1, .cols = 1, .name = "noc"}},
              {.name = "rf"}},
};

const struct pesim_arch *pesim_report_arch(const struct pesim_report_ctx *ctx)
{
    return ctx && ctx->arch ? ctx->arch : &shorthand_names;
}

/* A systolic array's folds and SCALE-Sim's measures of them
 * (docs/systolic.md, "SCALE-Sim's numbers"): its total cycles are the index
 * of the last cycle of the steady state, one per layer it runs (a grouped
 * layer is one per group); its utilizations divide by those cycles and by
 * each fold's span, which under ws and is counts the column skew twice. */
static void systolic(struct pesim_report_sink *s, const struct pesim_arch *arch,
                     const struct pesim_layer_result *r)
{
    const struct pesim_fanout_cfg *f = pesim_arch_systolic(arch);
    if (!f)
        return;
    unsigned in = arch->nlevels - 1;
    const struct pesim_analysis *a = &r->analysis;
    double pes = (double)f->rows * f->cols;
    uint64_t runs = r->layer.dim[PESIM_DIM_G] ? r->layer.dim[PESIM_DIM_G] : 1;
    uint64_t total = r->steady_cycles > runs ? r->steady_cycles - runs : 0;
    bool stationary = false;
    for (unsigned ds = 0; ds < PESIM_DS_OUTPUTS; ds++)
        stationary |= !r->mapping.bypass[in][ds] && arch->level[in].holds[ds];
    double spans = (double)a->ideal_cycles + (stationary ? (double)a->folds * (f->cols - 1) : 0);
    /* the level the array's outputs go to: SCALE-Sim's OFMAP SRAM, which
     * writes every update through to DRAM */
    unsigned out_lv = 0;
    for (unsigned lv = in; lv-- > 1;)
        if (arch->level[lv].holds[PESIM_DS_OUTPUTS] && !r->mapping.bypass[lv][PESIM_DS_OUTPUTS]) {
            out_lv = lv;
            break;
        }
    uint64_t updates = a->acc[out_lv][PESIM_DS_OUTPUTS].updates;
    bool os = !stationary && !r->mapping.bypass[in][PESIM_DS_OUTPUTS];
    s->begin(s, "systolic");
    s->u64(s, "folds", a->folds);
    s->u64(s, "fill_drain_cycles", a->systolic_cycles);
    s->f64(s, "mapping_efficiency", a->folds ? (double)a->fold_pes / ((double)a->folds * pes) : 0);
    s->u64(s, "scalesim_total_cycles", total);
    s->u64(s, "scalesim_stall_cycles",
           r->steady_cycles > a->ideal_cycles ? r->steady_cycles - a->ideal_cycles : 0);
    s->f64(s, "scalesim_overall_util", total ? (double)a->macs / ((double)total * pes) : 0);
    s->f64(s, "scalesim_compute_util", spans > 0 ? (double)a->macs / (spans * pes) : 0);
    s->u64(s, "scalesim_sram_ofmap_writes",
           updates + (os ? a->folds * ((uint64_t)f->rows + f->cols) : 0));
    s->u64(s, "scalesim_dram_ifmap_reads", pesim_layer_inputs_touched(&r->source));
    s->u64(s, "scalesim_dram_ofmap_writes", updates);
    s->end(s);
}

static void pair(struct pesim_report_sink *s, const char *key,
                 const uint32_t v[2])
{
    s->begin(s, key);
    s->u64(s, "rows", v[0]);
    s->u64(s, "cols", v[1]);
    s->end(s);
}

void pesim_report_walk(struct pesim_report_sink *s, const struct pesim_arch *arch,
                       const struct pesim_layer_result *r, bool total,
                       const char *unit)
{
    const struct pesim_layer *l = &r->layer;
    const struct pesim_analysis *a = &r->analysis;
    const struct pesim_energy *e = &r->energy;

    s->str(s, "name", total ? "total" : l->name);

    if (total)
        s->hidden++;
    s->str(s, "kind", pesim_report_kind_name(l->kind));
    s->begin(s, "dims");
    for (int d = 0; d < PESIM_DIM_COUNT; d++)
        s->u64(s, pesim_dim_name((enum pesim_dim)d), l->dim[d]);
    s->end(s);
    pair(s, "stride", l->stride);
    pair(s, "padding", l->pad);
    pair(s, "dilation", l->dilation);
    s->str(s, "same_as", r->same_as);
    if (total)
        s->hidden--;

    s->u64(s, "macs", a->macs);
    s->u64(s, "cycles", r->cycles);
    s->u64(s, "ideal_cycles", a->ideal_cycles);
    s->str(s, "bound", pesim_report_bound_name(r->bound));
    s->begin(s, "bound_cycles");
    for (int b = 0; b < PESIM_BOUND_COUNT; b++)
        s->u64(s, pesim_report_bound_name((enum pesim_bound)b),
               r->bound_cycles[b]);
    s->end(s);
    s->f64(s, "latency_us", r->latency_us);
    s->str(s, "engine", name_or(pesim_engine_name(r->engine)));
    s->begin(s, "stalls");
    for (int k = 0; k < PESIM_STALL_COUNT; k++)
        s->u64(s, pesim_stall_name((enum pesim_stall)k), r->stalls[k]);
    s->end(s);
    s->u64(s, "active_pes", a->active_pes);
    s->u64(s, "pes", a->pes);
    s->begin(s, "utilization");
    s->f64(s, "spatial", a->util_spatial);
    s->f64(s, "temporal", a->util_temporal);
    s->end(s);

    s->begin(s, "energy");
    s->f64(s, "total", e->total);
    s->f64(s, "per_mac", e->per_mac);
    s->str(s, "unit", unit);
    s->begin(s, "by_level");
    for (unsigned row = 0; row < e->nrows; row++)
        s->f64(s, name_or(pesim_energy_row_name(arch, row)), e->by_level[row]);
    s->end(s);
    if (arch->general) { /* the shorthand's five classes (pesim_energy) */
        s->begin(s, "by_class");
        for (unsigned c = 0; c < PESIM_EL_COUNT; c++)
            s->f64(s, pesim_elevel_name((enum pesim_elevel)c), e->by_class[c]);
        s->end(s);
    }
    s->begin(s, "by_data");
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        s->f64(s, pesim_ds_name((enum pesim_ds)ds), e->by_data[ds]);
    s->end(s);
    /* MAC energy belongs to no data space: by_level.mac only. */
    s->begin(s, "breakdown");
    for (unsigned row = 0; row + 1 < e->nrows; row++) {
        s->begin(s, name_or(pesim_energy_row_name(arch, row)));
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            s->f64(s, pesim_ds_name((enum pesim_ds)ds), e->by[row][ds]);
        s->end(s);
    }
    s->end(s);
    s->f64(s, "leakage", e->leakage);
    s->end(s);

    s->begin(s, "accesses");
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        s->begin(s, arch->level[lv].name);
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
            const struct pesim_access *x = &a->acc[lv][ds];
            s->begin(s, pesim_ds_name((enum pesim_ds)ds));
            s->u64(s, "reads", x->reads);
            s->u64(s, "writes", x->fills + x->updates);
            s->u64(s, "fills", x->fills);
            s->u64(s, "updates", x->updates);
            s->u64(s, "drains", x->drains);
            s->u64(s, "tile_words", x->tile_words);
            s->end(s);
        }
        s->end(s);
    }
    s->end(s);

    /* what crossed the DRAM link: the DRAM words, compressed (dram.compression) */
    s->begin(s, "dram_link");
    uint64_t link = 0;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        s->u64(s, pesim_ds_name((enum pesim_ds)ds), r->dram_link_words[ds]);
        link += r->dram_link_words[ds];
    }
    s->u64(s, "words", link);
    s->end(s);

    s->begin(s, "noc");
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        s->begin(s, pesim_ds_name((enum pesim_ds)ds));
        s->u64(s, "words", pesim_analysis_noc_words(a, (enum pesim_ds)ds));
        s->u64(s, "sends", pesim_analysis_noc_sends(a, (enum pesim_ds)ds));
        s->end(s);
    }
    s->u64(s, "spatial_reductions", a->spatial_reductions);
    s->end(s);

    /* Timing beside Timeloop's (docs/model.md §8.4): the steady state, the
     * stalls by the level or network whose resource caused them, and each
     * level's bandwidth throttling (1: not throttled) */
    s->u64(s, "steady_cycles", r->steady_cycles);
    s->begin(s, "stalls_by_site");
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        s->u64(s, arch->level[lv].name, r->site_stalls[lv]);
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        if (pesim_arch_has_fanout(arch, lv) && arch->level[lv].fanout.name[0])
            s->u64(s, arch->level[lv].fanout.name, r->site_stalls[PESIM_LEVELS_MAX + lv]);
    s->end(s);
    s->begin(s, "throttling");
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        s->f64(s, arch->level[lv].name, r->throttling[lv]);
    s->end(s);

    systolic(s, arch, r);

    if (total)
        s->hidden++;
    s->mapping(s, "mapping", arch, &r->mapping);
    if (total)
        s->hidden--;
}
