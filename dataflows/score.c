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
