/* The mapper with the event engine as judge (include/pesim/sim.h,
 * pesim_sim_map_layer; docs/dataflows.md, "Ranked by the engine"). The
 * analysis's roofline is blind to stalls (a fill behind a drain, a bus
 * shared by two data spaces), so for the latency and edp objectives on a
 * cycle-level engine the mapper's best candidates are each run on the
 * event engine, and the one the engine finds fastest (edp: least energy
 * x cycles) is taken. Ties go to the analysis's order, so the pick is
 * deterministic and never worse, by the engine, than the mapper's own. */
#include <stdlib.h>

#include "pipeline/pipeline.h"

static bool ranks(enum pesim_objective obj, enum pesim_engine engine)
{
    return obj != PESIM_OBJECTIVE_ENERGY && engine != PESIM_ENGINE_ANALYSIS;
}

/* x strictly better than y by the engine, under obj. */
static bool faster(const struct pesim_layer_result *x, const struct pesim_layer_result *y,
                   enum pesim_objective obj)
{
    if (obj == PESIM_OBJECTIVE_EDP) {
        double ex = x->energy.total * (double)x->cycles;
        double ey = y->energy.total * (double)y->cycles;
        return ex < ey || (ex == ey && x->cycles < y->cycles);
    }
    return x->cycles < y->cycles ||
           (x->cycles == y->cycles && x->energy.total < y->energy.total);
}

/* Run the candidates on the event engine; *best gets the index of the
 * fastest that ran (-1: none did) and res its result. No engine runs a
 * mapping in fewer cycles than its MACs take on its active PEs (the
 * analysis's ideal cycles), so for latency a candidate whose ideal cycles
 * exceed the best run so far is not run. (The roofline is no such bound:
 * the engine may overlap what its bandwidth bounds add up.) */
static int pick(const struct pesim_arch *arch, const struct pesim_layer *l,
                const struct pesim_mapping *cand, size_t n, enum pesim_objective obj,
                const char *file, struct pesim_layer_result *res, long *best)
{
    struct pesim_layer_result *cur = malloc(sizeof *cur);
    if (!cur)
        return PESIM_E_NOMEM;
    *best = -1;
    for (size_t i = 0; i < n; i++) {
        struct pesim_analysis a;
        if (*best >= 0 && obj == PESIM_OBJECTIVE_LATENCY &&
            (pesim_map_analyze(arch, l, &cand[i], &a) || a.ideal_cycles > res->cycles))
            continue;
        /* a candidate the engine refuses (its limits), or that ends after
         * the best so far (for latency, where no more of it matters), is
         * not ranked */
        uint64_t until = *best >= 0 && obj == PESIM_OBJECTIVE_LATENCY ? res->cycles : 0;
        if (pipeline_layer_until(arch, l, &cand[i], until, file, cur, NULL))
            continue;
        if (*best < 0 || faster(cur, res, obj)) {
            *res = *cur;
            *best = (long)i;
        }
    }
    free(cur);
    return 0;
}

/* The candidates and, when the engine ranks them, the index of the pick
 * (-1: the mapper's own, none having run) with its event-engine result in
 * res. */
static int rank(const pesim_dataflow *df, const struct pesim_arch *arch,
                const struct pesim_layer *l, enum pesim_objective obj, enum pesim_engine engine,
                const char *file, struct pesim_mapping cand[PESIM_SIM_RANKED], long *best,
                struct pesim_layer_result *res, pesim_diags *diags)
{
    size_t n = 0;
    size_t cap = ranks(obj, engine) ? PESIM_SIM_RANKED : 1;
    int rc = pesim_df_candidates(df, arch, l, obj, cand, cap, &n, diags);
    *best = -1;
    if (!rc && n > 1)
        rc = pick(arch, l, cand, n, obj, file, res, best);
    return rc;
}

int pesim_sim_map_layer(const pesim_dataflow *df, const struct pesim_arch *arch,
                        const struct pesim_layer *l, enum pesim_objective obj,
                        enum pesim_engine engine, const char *file,
                        struct pesim_layer_result *out, pesim_diags *diags)
{
    struct pesim_mapping cand[PESIM_SIM_RANKED];
    long best;
    int rc = rank(df, arch, l, obj, engine, file, cand, &best, out, diags);
    if (rc)
        return rc;
    /* the event engine's run is the result when it is the engine asked
     * for; otherwise (the step engine, or no candidate ran, which then
     * fails with the reason) the pick is run on the engine asked for */
    if (best >= 0 && engine == PESIM_ENGINE_EVENT)
        return 0;
    return pesim_sim_layer_engine(arch, l, &cand[best >= 0 ? best : 0], engine, file, out,
                                  diags);
}

int pesim_sim_map(const pesim_dataflow *df, const struct pesim_arch *arch,
                  const struct pesim_layer *l, enum pesim_objective obj,
                  enum pesim_engine engine, struct pesim_mapping *out, pesim_diags *diags)
{
    struct pesim_layer_result *r = malloc(sizeof *r);
    if (!r)
        return PESIM_E_NOMEM;
    struct pesim_mapping cand[PESIM_SIM_RANKED];
    long best;
    /* the step engine ranks as the event engine does, which is faster */
    int rc = rank(df, arch, l, obj, engine, pesim_df_name(df), cand, &best, r, diags);
    if (!rc)
        *out = cand[best >= 0 ? best : 0];
    free(r);
    return rc;
}
