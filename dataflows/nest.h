/* Internal: a mapping flattened into one loop nest, outermost first, with
 * the per-dimension digit structure the analysis works on. Loops of bound 1
 * are dropped (they change nothing). Module-internal; not installed. */
#ifndef PESIM_DATAFLOWS_NEST_H
#define PESIM_DATAFLOWS_NEST_H

#include "pesim/mapping.h"

#define NEST_MAX (PESIM_MAX_LOOPS * (PESIM_LEVEL_COUNT + 1))

struct nest {
    uint8_t n;
    uint8_t dim[NEST_MAX];
    uint32_t bound[NEST_MAX];
    uint64_t stride[NEST_MAX]; /* product of the inner bounds of the same dim,
                                  saturated at UINT64_MAX */
    /* First position of each part: DRAM temporal starts at 0. */
    uint8_t glb_start, sp_start, rf_start;
    uint64_t spatial_mask;  /* positions of spatial loops */
    uint64_t temporal_mask; /* positions of temporal loops */
    uint64_t dim_mask[PESIM_DIM_COUNT];
    uint8_t dn[PESIM_DIM_COUNT];                 /* loops per dim */
    uint8_t dpos[PESIM_DIM_COUNT][NEST_MAX];     /* their positions, outer first */
};

/* Flatten; fails only if the mapping has more loops than NEST_MAX holds
 * (it cannot: the struct bounds them) or a bound of 0. */
int nest_build(const struct pesim_mapping *m, struct nest *out);

/* Number of combinations of the loops of `dim` in `mask` whose index, with
 * every other loop of the dim at 0, is below `size` (non-empty tiles). */
uint64_t nest_count(const struct nest *nt, unsigned dim, uint64_t mask,
                    uint64_t size);

#endif
