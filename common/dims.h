/* Internal: which dimensions index each data space, as bit sets over
 * enum pesim_dim, for hot loops that cannot afford a call per test. */
#ifndef PESIM_COMMON_DIMS_H
#define PESIM_COMMON_DIMS_H

#include "pesim/types.h"

#define PESIM_DIM_BIT(d) (1u << (d))

static inline unsigned pesim_ds_dims(enum pesim_ds ds)
{
    static const unsigned relevant[PESIM_DS_COUNT] = {
        [PESIM_DS_WEIGHTS] = PESIM_DIM_BIT(PESIM_DIM_G) | PESIM_DIM_BIT(PESIM_DIM_M) |
                             PESIM_DIM_BIT(PESIM_DIM_C) | PESIM_DIM_BIT(PESIM_DIM_R) |
                             PESIM_DIM_BIT(PESIM_DIM_S),
        [PESIM_DS_INPUTS] = PESIM_DIM_BIT(PESIM_DIM_N) | PESIM_DIM_BIT(PESIM_DIM_G) |
                            PESIM_DIM_BIT(PESIM_DIM_C) | PESIM_DIM_BIT(PESIM_DIM_P) |
                            PESIM_DIM_BIT(PESIM_DIM_Q) | PESIM_DIM_BIT(PESIM_DIM_R) |
                            PESIM_DIM_BIT(PESIM_DIM_S),
        [PESIM_DS_OUTPUTS] = PESIM_DIM_BIT(PESIM_DIM_N) | PESIM_DIM_BIT(PESIM_DIM_G) |
                             PESIM_DIM_BIT(PESIM_DIM_M) | PESIM_DIM_BIT(PESIM_DIM_P) |
                             PESIM_DIM_BIT(PESIM_DIM_Q),
    };
    return (unsigned)ds < PESIM_DS_COUNT ? relevant[ds] : 0;
}

#endif
