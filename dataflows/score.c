/* What the mappers minimize (include/pesim/dataflow.h): the analysis's
 * roofline cycles and its energy over them, ordered by the objective. */
#include <string.h>

#include "dataflows/pairs.h"
#include "dataflows/search.h"
#include "pesim/energy.h"

struct df_score df_score_of(const struct pesim_arch *arch, const struct pesim_analysis *a,
                            enum pesim_objective objective)
{
    uint64_t b[PESIM_BOUND_COUNT];
    struct df_score s;
    s.objective = objective;
    s.cycles = pesim_map_bounds(arch, a, b, NULL);
    struct pesim_energy e;
    pesim_energy_compute(arch, a, s.cycles, &e);
    s.energy = e.total;
    return s;
}

bool df_better(struct df_score x, struct df_score y)
{
    switch (x.objective) {
    case PESIM_OBJECTIVE_ENERGY:
        return x.energy < y.energy || (x.energy == y.energy && x.cycles < y.cycles);
    case PESIM_OBJECTIVE_EDP: {
        double ex = x.energy * (double)x.cycles, ey = y.energy * (double)y.cycles;
        return ex < ey || (ex == ey && x.cycles < y.cycles);
    }
    default:
        return x.cycles < y.cycles || (x.cycles == y.cycles && x.energy < y.energy);
    }
}

void df_tidy(struct pesim_mapping *m)
{
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++) {
        unsigned k = 0;
        for (unsigned i = 0; i < m->ntemporal[lv]; i++)
            if (m->temporal[lv][i].bound > 1)
                m->temporal[lv][k++] = m->temporal[lv][i];
        for (unsigned i = k; i < m->ntemporal[lv]; i++)
            memset(&m->temporal[lv][i], 0, sizeof m->temporal[lv][i]);
        m->ntemporal[lv] = (uint8_t)k;
    }
}

/* The same spatial mapping: the same product of bounds per level, axis
 * and dim (two orders of one axis's loops give the same counts). */
static void spatial_sig(const struct pesim_mapping *m, unsigned lv,
                        uint64_t sig[PESIM_AXIS_COUNT][PESIM_DIM_COUNT])
{
    for (unsigned ax = 0; ax < PESIM_AXIS_COUNT; ax++)
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            sig[ax][d] = 1;
    for (unsigned i = 0; i < m->nspatial[lv]; i++) {
        const struct pesim_loop *lp = &m->spatial[lv][i];
        if (lp->axis < PESIM_AXIS_COUNT && lp->dim < PESIM_DIM_COUNT)
            sig[lp->axis][lp->dim] *= lp->bound;
    }
}

static bool same_spatial(const struct pesim_mapping *a, const struct pesim_mapping *b)
{
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++) {
        uint64_t sa[PESIM_AXIS_COUNT][PESIM_DIM_COUNT], sb[PESIM_AXIS_COUNT][PESIM_DIM_COUNT];
        spatial_sig(a, lv, sa);
        spatial_sig(b, lv, sb);
        if (memcmp(sa, sb, sizeof sa))
            return false;
    }
    return true;
}

static void top_remove(struct df_top *t, size_t i)
{
    for (size_t k = i; k + 1 < t->n; k++) {
        t->m[k] = t->m[k + 1];
        t->s[k] = t->s[k + 1];
    }
    t->n--;
}

static bool df_top_wants(const struct df_top *t, struct df_score s)
{
    return t->n < t->cap || df_better(s, t->s[t->n - 1]);
}

void df_top_offer(struct df_top *t, const struct pesim_mapping *m, struct df_score s)
{
    /* A full top refuses what is no better than its last: then it is no
     * better than any entry, its own spatial mapping's included. */
    if (!df_top_wants(t, s))
        return;
    for (size_t i = 0; i < t->n; i++)
        if (same_spatial(&t->m[i], m)) {
            if (!df_better(s, t->s[i]))
                return;
            top_remove(t, i);
            break;
        }
    if (!df_top_wants(t, s))
        return;
    size_t i = t->n < t->cap ? t->n++ : t->n - 1;
    while (i > 0 && df_better(s, t->s[i - 1])) {
        t->m[i] = t->m[i - 1];
        t->s[i] = t->s[i - 1];
        i--;
    }
    t->m[i] = *m;
    t->s[i] = s;
}
