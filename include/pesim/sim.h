/* pesim — running a layer: mapping -> analysis, cycles, energy.
 * The foundation engine is the analysis with a bandwidth roofline; the
 * cycle-level engines plug in behind the same call (docs/model.md). */
#ifndef PESIM_SIM_H
#define PESIM_SIM_H

#include "pesim/energy.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pesim_layer_result {
    struct pesim_layer layer;
    struct pesim_mapping mapping;
    struct pesim_analysis analysis;
    struct pesim_energy energy;
    uint64_t cycles;                       /* max of the bounds below */
    uint64_t bound_cycles[PESIM_BOUND_COUNT];
    enum pesim_bound bound;                /* which one set `cycles` */
    double latency_us;                     /* cycles / clock */
};
/* In a result, analysis.util_temporal is macs / (pes * cycles), over the
 * cycles above rather than the ideal ones. */

/* Run one layer with a given mapping. Checks the mapping (diags with
 * `file`) and capacity; PESIM_E_INVALID / PESIM_E_NOFIT on failure. */
int pesim_sim_layer(const struct pesim_arch *arch, const struct pesim_layer *l,
                    const struct pesim_mapping *m, const char *file,
                    struct pesim_layer_result *out, pesim_diags *diags);

/* Sum of per-layer results (counts, energy, cycles; utilization recomputed
 * from the sums). `n` may be 0. */
void pesim_sim_total(const struct pesim_arch *arch,
                     const struct pesim_layer_result *r, size_t n,
                     struct pesim_layer_result *total);

#ifdef __cplusplus
}
#endif
#endif
