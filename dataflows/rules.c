/* Whether a mapping keeps the architecture's mapspace constraints
 * (struct pesim_level_rules; docs/dataflows.md, "The whole mapspace"):
 * every broken one is a diagnostic naming the level and the constraint. */
#include <inttypes.h>

#include "dataflows/pairs.h"
#include "dataflows/search.h"

static uint64_t temporal_product(const struct pesim_mapping *m, unsigned lv, unsigned d)
{
    uint64_t p = 1;
    for (unsigned i = 0; i < m->ntemporal[lv]; i++)
        if (m->temporal[lv][i].dim == d)
            p *= m->temporal[lv][i].bound;
    return p;
}

static uint64_t spatial_product(const struct pesim_mapping *m, unsigned lv, unsigned d, int axis)
{
    uint64_t p = 1;
    for (unsigned i = 0; i < m->nspatial[lv]; i++)
        if (m->spatial[lv][i].dim == d && (axis < 0 || m->spatial[lv][i].axis == axis))
            p *= m->spatial[lv][i].bound;
    return p;
}

/* The order rule: the level's loops of the listed dims are its innermost,
 * in the listed order. */
static bool order_kept(const struct pesim_level_rules *r, const struct pesim_mapping *m,
                       unsigned lv)
{
    unsigned n = m->ntemporal[lv], k = r->norder;
    /* walk both from the inside out, skipping listed dims without a loop */
    unsigned i = n;
    while (k > 0) {
        unsigned d = r->order[k - 1];
        k--;
        if (temporal_product(m, lv, d) < 2)
            continue;
        while (i > 0 && m->temporal[lv][i - 1].bound < 2)
            i--;
        if (i == 0 || m->temporal[lv][i - 1].dim != d)
            return false;
        i--;
    }
    return true;
}

int pesim_map_check_rules(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, const char *file, pesim_diags *diags)
{
    int bad = 0;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        const struct pesim_level_rules *r = &arch->level[lv].rules;
        const char *name = arch->level[lv].name;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (r->keep[ds] && lv > 0 && m->bypass[lv][ds]) {
                pesim_diags_addc(diags, PESIM_DIAG_MAP_BYPASS, file, 0, 0,
                                 "%s bypasses %s, expected it kept (the level's "
                                 "constraints.keep)", name, pesim_ds_name(ds));
                bad = 1;
            }
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
            /* a constraint larger than the dim is no constraint (Timeloop
             * ignores it too) */
            if (r->factor[d] && r->factor[d] <= l->dim[d] &&
                temporal_product(m, lv, d) != r->factor[d]) {
                pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0,
                                 "%s iterates %s %" PRIu64 " times, expected %" PRIu32
                                 " (the level's constraints.factors)", name,
                                 pesim_dim_name(d), temporal_product(m, lv, d), r->factor[d]);
                bad = 1;
            }
            if (r->spatial_factor[d] && r->spatial_factor[d] <= l->dim[d] &&
                pesim_arch_has_fanout(arch, lv) &&
                spatial_product(m, lv, d, -1) != r->spatial_factor[d]) {
                pesim_diags_addc(diags, PESIM_DIAG_MAP_ARRAY, file, 0, 0,
                                 "the fan-out below %s spreads %s over %" PRIu64 ", expected %"
                                 PRIu32 " (the level's constraints.spatial_factors)", name,
                                 pesim_dim_name(d), spatial_product(m, lv, d, -1),
                                 r->spatial_factor[d]);
                bad = 1;
            }
            for (int a = 0; a < PESIM_AXIS_COUNT; a++)
                if ((r->no_axis[d] & (1u << a)) && spatial_product(m, lv, d, a) > 1) {
                    pesim_diags_addc(diags, PESIM_DIAG_MAP_ARRAY, file, 0, 0,
                                     "the fan-out below %s spreads %s over axis %s, expected "
                                     "it only on the axes its constraints.%s allow", name,
                                     pesim_dim_name(d), pesim_axis_name(a), pesim_axis_name(a));
                    bad = 1;
                }
        }
        if (r->norder && !order_kept(r, m, lv)) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0,
                             "%s's innermost loops are not in the order its constraints.order "
                             "gives", name);
            bad = 1;
        }
    }
    return bad ? PESIM_E_INVALID : 0;
}
