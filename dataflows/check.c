/* Validity of a mapping for a layer and architecture, and capacity. */
#include <inttypes.h>

#include "dataflows/pairs.h"

/* Products above this are rejected: they mean a typo, and they keep every
 * count of the analysis far from 64-bit overflow. */
#define BOUND_PRODUCT_MAX (UINT64_C(1) << 40)
/* The loops over a dimension multiply to at most this times the layer's
 * size (prod <= 2^40 and prod >= dim keep the product exact). */
#define BOUND_OVER_MAX 8

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static void dim_products(const struct pesim_mapping *m, uint64_t *prod,
                         uint64_t *axis)
{
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        prod[d] = 1;
    axis[0] = axis[1] = 1;
    for (unsigned lv = 0; lv < PESIM_LEVEL_COUNT; lv++)
        for (unsigned i = 0; i < m->ntemporal[lv] && i < PESIM_MAX_LOOPS; i++) {
            const struct pesim_loop *lp = &m->temporal[lv][i];
            if (lp->dim < PESIM_DIM_COUNT)
                prod[lp->dim] = mul_sat(prod[lp->dim], lp->bound);
        }
    for (unsigned i = 0; i < m->nspatial && i < PESIM_MAX_LOOPS; i++) {
        const struct pesim_loop *lp = &m->spatial[i];
        if (lp->dim < PESIM_DIM_COUNT)
            prod[lp->dim] = mul_sat(prod[lp->dim], lp->bound);
        if (lp->axis < PESIM_AXIS_COUNT)
            axis[lp->axis] = mul_sat(axis[lp->axis], lp->bound);
    }
}

static int check_loops(const struct pesim_mapping *m, const char *file,
                       pesim_diags *diags)
{
    int bad = 0;
    for (unsigned lv = 0; lv < PESIM_LEVEL_COUNT; lv++) {
        if (m->ntemporal[lv] > PESIM_MAX_LOOPS) {
            pesim_diags_add(diags, file, 0, 0, "mapping.%s.temporal: %u loops, expected at most %d",
                            pesim_level_name(lv), m->ntemporal[lv], PESIM_MAX_LOOPS);
            bad = 1;
            continue;
        }
        for (unsigned i = 0; i < m->ntemporal[lv]; i++) {
            const struct pesim_loop *lp = &m->temporal[lv][i];
            if (lp->dim >= PESIM_DIM_COUNT || lp->bound == 0) {
                pesim_diags_add(diags, file, 0, 0, "mapping.%s.temporal[%u]: invalid loop, expected a dim of N G M C P Q R S and a bound >= 1",
                                pesim_level_name(lv), i);
                bad = 1;
            }
        }
    }
    if (m->nspatial > PESIM_MAX_LOOPS) {
        pesim_diags_add(diags, file, 0, 0, "mapping.spatial: %u loops, expected at most %d",
                        m->nspatial, PESIM_MAX_LOOPS);
        return 1;
    }
    for (unsigned i = 0; i < m->nspatial; i++) {
        const struct pesim_loop *lp = &m->spatial[i];
        if (lp->dim >= PESIM_DIM_COUNT || lp->bound == 0 || lp->axis >= PESIM_AXIS_COUNT) {
            pesim_diags_add(diags, file, 0, 0, "mapping.spatial[%u]: invalid loop, expected a dim of N G M C P Q R S, a bound >= 1 and axis x or y", i);
            bad = 1;
        }
    }
    return bad;
}

static int check(const struct pesim_arch *arch, const struct pesim_layer *l,
                 const struct pesim_mapping *m, const struct pesim_named_mapping *nm,
                 const char *file, pesim_diags *diags)
{
    if (check_loops(m, file, diags))
        return PESIM_E_INVALID;
    int bad = 0;
    uint64_t prod[PESIM_DIM_COUNT], axis[2];
    dim_products(m, prod, axis);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        unsigned line = nm ? nm->bound_at[d].line : 0, col = nm ? nm->bound_at[d].col : 0;
        if (prod[d] < l->dim[d]) {
            pesim_diags_add(diags, file, line, col,
                            "mapping: loops over %s multiply to %" PRIu64 ", expected at least %s = %" PRIu64 " of layer %s (the loop bounds must cover the layer)",
                            pesim_dim_name(d), prod[d], pesim_dim_name(d), l->dim[d], l->name);
            bad = 1;
        } else if (prod[d] > BOUND_PRODUCT_MAX) {
            pesim_diags_add(diags, file, line, col,
                            "mapping: loops over %s multiply to %" PRIu64 ", expected at most %" PRIu64,
                            pesim_dim_name(d), prod[d], BOUND_PRODUCT_MAX);
            bad = 1;
        } else if (prod[d] > BOUND_OVER_MAX * l->dim[d]) {
            /* Loops past the layer's end are padding, which the mapper
             * uses (13 x 11 over M = 64); far more is only iterations the
             * engine would run (a bound of 4294967295 on P ran for hours). */
            pesim_diags_add(diags, file, line, col,
                            "mapping: loops over %s multiply to %" PRIu64 ", expected at most "
                            "%d times %s = %" PRIu64 " of layer %s, %" PRIu64,
                            pesim_dim_name(d), prod[d], BOUND_OVER_MAX, pesim_dim_name(d),
                            l->dim[d], l->name, BOUND_OVER_MAX * l->dim[d]);
            bad = 1;
        }
    }
    const uint32_t size[2] = {arch->pe_array.cols, arch->pe_array.rows};
    for (unsigned a = 0; a < 2; a++)
        if (axis[a] > size[a]) {
            pesim_diags_add(diags, file, 0, 0,
                            "mapping.spatial: loops on axis %s multiply to %" PRIu64 ", expected at most %" PRIu32 " (the array's %s)",
                            pesim_axis_name(a), axis[a], size[a], a ? "rows" : "columns");
            bad = 1;
        }
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (m->bypass[PESIM_LEVEL_DRAM][ds]) {
            pesim_diags_add(diags, file, 0, 0,
                            "mapping.dram.bypass: %s, expected nothing (DRAM holds every data space)",
                            pesim_ds_name(ds));
            bad = 1;
        }
    return bad ? PESIM_E_INVALID : 0;
}

int pesim_map_check(const struct pesim_arch *arch, const struct pesim_layer *l,
                    const struct pesim_mapping *m, const char *file,
                    pesim_diags *diags)
{
    return check(arch, l, m, NULL, file, diags);
}

int pesim_map_check_at(const struct pesim_arch *arch, const struct pesim_layer *l,
                       const struct pesim_named_mapping *nm, const char *file,
                       pesim_diags *diags)
{
    return check(arch, l, &nm->mapping, nm, file, diags);
}

static void over(pesim_diags *diags, const char *file, const char *what,
                 uint64_t need, uint64_t cap, const char *unit)
{
    pesim_diags_add(diags, file, 0, 0,
                    "%s: tile needs %" PRIu64 " %s, capacity %" PRIu64 " %s (over by %" PRIu64 ")",
                    what, need, unit, cap, unit, need - cap);
}

void pesim_map_overage(const struct pesim_arch *arch, const struct pesim_analysis *a,
                       struct pesim_overage *o)
{
    const struct pesim_rf_cfg *rf = &arch->pe_array.rf;
    uint64_t rf_total = 0;
    *o = (struct pesim_overage){0};
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        uint64_t need = a->need_words[PESIM_LEVEL_RF][ds];
        rf_total += need;
        if (!rf->shared && need > rf->words[ds])
            o->rf_words[ds] = need - rf->words[ds];
        o->rf += o->rf_words[ds];
        uint64_t bytes = a->need_words[PESIM_LEVEL_GLB][ds] * pesim_arch_word_bytes(arch, ds);
        o->glb_bytes[ds] = bytes;
        o->glb_total_bytes += bytes;
        uint64_t cap = arch->glb.max_bytes[ds];
        if (cap && bytes > cap)
            o->glb_cap[ds] = bytes - cap;
        o->glb += o->glb_cap[ds];
    }
    if (rf->shared && rf_total > rf->shared_words)
        o->rf_shared_words = rf_total - rf->shared_words;
    o->rf += o->rf_shared_words;
    if (o->glb_total_bytes > arch->glb.capacity_bytes)
        o->glb_over = o->glb_total_bytes - arch->glb.capacity_bytes;
    o->glb += o->glb_over;
}

int pesim_map_check_fit(const struct pesim_arch *arch,
                        const struct pesim_analysis *a, const char *file,
                        pesim_diags *diags)
{
    char what[64];
    const struct pesim_rf_cfg *rf = &arch->pe_array.rf;
    struct pesim_overage o;
    pesim_map_overage(arch, a, &o);
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (o.rf_words[ds]) {
            snprintf(what, sizeof what, "rf.%s", pesim_ds_name(ds));
            over(diags, file, what, rf->words[ds] + o.rf_words[ds], rf->words[ds], "words");
        }
    if (o.rf_shared_words)
        over(diags, file, "rf (shared)", rf->shared_words + o.rf_shared_words, rf->shared_words,
             "words");
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (o.glb_cap[ds]) {
            snprintf(what, sizeof what, "glb.%s", pesim_ds_name(ds));
            over(diags, file, what, o.glb_bytes[ds], arch->glb.max_bytes[ds], "bytes");
        }
    if (o.glb_over) {
        int n = snprintf(what, sizeof what, "glb");
        const char *sep = " (";
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (a->need_words[PESIM_LEVEL_GLB][ds] && n > 0 && (size_t)n < sizeof what) {
                n += snprintf(what + n, sizeof what - (size_t)n, "%s%s", sep, pesim_ds_name(ds));
                sep = "+";
            }
        if (n > 0 && (size_t)n < sizeof what - 1 && sep[0] == '+')
            snprintf(what + n, sizeof what - (size_t)n, ")");
        over(diags, file, what, o.glb_total_bytes, arch->glb.capacity_bytes, "bytes");
    }
    return o.rf || o.glb ? PESIM_E_NOFIT : 0;
}
