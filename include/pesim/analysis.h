/* pesim — closed-form analysis of a mapping (docs/model.md).
 * A pure function of (arch, layer, mapping): no allocation, no I/O; cheap
 * enough for a mapper to call millions of times. */
#ifndef PESIM_ANALYSIS_H
#define PESIM_ANALYSIS_H

#include "pesim/mapping.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Word counts at one storage level for one data space. */
struct pesim_access {
    uint64_t tile_words; /* largest tile the level holds (per PE for RF) */
    uint64_t reads;      /* words read out (to the child, MAC, or parent) */
    uint64_t fills;      /* words written in from the parent */
    uint64_t updates;    /* outputs: psum words written in from below */
    uint64_t drains;     /* outputs: psum words read out to be written back
                            to the parent (not in reads, as in Timeloop) */
};

struct pesim_analysis {
    uint64_t macs;         /* useful MACs: N*G*M*C*P*Q*R*S */
    uint64_t ideal_cycles; /* non-empty temporal iterations (1 MAC/PE/cycle),
                              plus systolic_cycles */
    /* A systolic fan-out's skewed fill and drain (docs/systolic.md), in
     * ideal_cycles; 0 without one. folds: the steps it pays them for (the
     * non-empty combinations of the loops above the innermost level). */
    uint64_t systolic_cycles;
    uint64_t folds;
    uint64_t fold_pes; /* PEs given work, summed over the folds */
    uint32_t pes;
    uint32_t active_pes;   /* PEs given work at some time */
    double util_spatial;   /* active_pes / pes */
    double util_temporal;  /* macs / (pes * ideal_cycles) */

    uint8_t nlevels;       /* of the architecture */
    /* Instances of each level that some MAC's work passes through (the
     * values of the spatial loops above it that hold valid iterations;
     * Timeloop's "utilized instances"). Level 0: 1. */
    uint64_t used_instances[PESIM_LEVELS_MAX];
    /* acc[level][ds]; all zero where a level keeps no copy of ds. Counts
     * are summed over a level's instances (every PE's RF). */
    struct pesim_access acc[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    /* Words the DRAM link moves per DRAM word of each data space: below 1
     * when dram.compression shrinks the layer's sparse feature maps
     * (pesim_dram_ratio); 1 otherwise (0, in an analysis not from
     * pesim_map_analyze, counts as 1). DRAM time and energy follow it; the
     * counts above stay words of the data. */
    double dram_ratio[PESIM_DS_COUNT];
    /* Networks, by the level whose fan-out they sit below, per data space:
     * words delivered to the children (per destination) and words sent by
     * the parent side (a multicast counts once); outputs also count psum
     * words moved up. The shorthand's NoC is noc_words[PESIM_LEVEL_GLB]. */
    uint64_t noc_words[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    uint64_t noc_sends[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    uint64_t spatial_reductions; /* psum additions done in the networks */

    /* Capacity: words needed per level per data space (double-buffered
     * where configured) and whether each level fits. */
    uint64_t need_words[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    bool fits;
};

/* Analyze. Precondition: pesim_map_check passed for (arch, l, m).
 * Returns 0, or PESIM_E_RANGE if a count would overflow 64 bits. The
 * result is filled even when tiles do not fit (out->fits false). */
int pesim_map_analyze(const struct pesim_arch *arch,
                      const struct pesim_layer *l,
                      const struct pesim_mapping *m,
                      struct pesim_analysis *out);

/* Explain capacity overflows of an analysis: one diag per overflowing
 * level and data space with the amount, e.g.
 *   "rf.inputs: tile needs 15 words, capacity 12 words (over by 3)".
 * Returns 0 when everything fits, PESIM_E_NOFIT otherwise. */
int pesim_map_check_fit(const struct pesim_arch *arch,
                        const struct pesim_analysis *a, const char *file,
                        pesim_diags *diags);

/* What limits the cycle count of a layer (docs/model.md, "Cycles"). */
enum pesim_bound {
    PESIM_BOUND_COMPUTE, /* ideal cycles: one MAC per PE per cycle */
    PESIM_BOUND_DRAM,    /* DRAM words at the link's bandwidth */
    PESIM_BOUND_GLB,     /* GLB accesses over its banks */
    PESIM_BOUND_NOC,     /* words sent on the busiest NoC bus */
    PESIM_BOUND_COUNT
};

/* Cycles each resource needs at its peak rate; returns the largest (the
 * roofline cycle count) and stores which one in *which (may be NULL). */
uint64_t pesim_map_bounds(const struct pesim_arch *arch,
                          const struct pesim_analysis *a,
                          uint64_t cycles[PESIM_BOUND_COUNT],
                          enum pesim_bound *which);
const char *pesim_bound_name(enum pesim_bound b);

/* Instances of level lv that the mapping uses: the product of the spatial
 * loops' bounds of every fan-out above it (1 for DRAM and the levels above
 * the first fan-out). */
uint64_t pesim_map_used_instances(const struct pesim_arch *arch, const struct pesim_mapping *m,
                                  unsigned lv);
/* Timeloop's cycles of each level under its read_bandwidth and
 * write_bandwidth (docs/model.md §6): the larger of its reads and its
 * writes (fills and updates; drains are the parent's updates) per used
 * instance over the bandwidth, rounded up; 0 where the level declares
 * neither. out[lv] for lv < arch->nlevels. Its "bandwidth throttling" is
 * min(1, ideal_cycles / out[lv]). */
void pesim_map_level_bw_cycles(const struct pesim_arch *arch, const struct pesim_mapping *m,
                               const struct pesim_analysis *a, uint64_t out[PESIM_LEVELS_MAX]);

/* Every access of one level and data space: reads, fills, updates and
 * drains. */
static inline uint64_t pesim_access_total(const struct pesim_access *x)
{
    return x->reads + x->fills + x->updates + x->drains;
}

/* Total accesses of a level (all data spaces, pesim_access_total). */
uint64_t pesim_analysis_level_accesses(const struct pesim_analysis *a,
                                       unsigned lv);
/* NoC words of a data space over every network. */
/* Words the DRAM link moves for ds (acc[0][ds] times dram_ratio, rounded
 * to the nearest word). */
uint64_t pesim_analysis_dram_link_words(const struct pesim_analysis *a, enum pesim_ds ds);
uint64_t pesim_analysis_noc_words(const struct pesim_analysis *a, enum pesim_ds ds);
uint64_t pesim_analysis_noc_sends(const struct pesim_analysis *a, enum pesim_ds ds);

#ifdef __cplusplus
}
#endif
#endif
