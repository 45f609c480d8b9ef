/* Mapping construction helpers. */
#include "pesim/mapping.h"

static int append(struct pesim_loop *list, uint8_t *n, enum pesim_dim dim,
                  uint32_t bound, enum pesim_axis axis)
{
    if (*n >= PESIM_MAX_LOOPS || bound == 0 || (unsigned)dim >= PESIM_DIM_COUNT ||
        (unsigned)axis >= PESIM_AXIS_COUNT)
        return PESIM_E_RANGE;
    list[(*n)++] = (struct pesim_loop){(uint8_t)dim, (uint8_t)axis, bound};
    return 0;
}

int pesim_mapping_add_temporal(struct pesim_mapping *m, unsigned lv, enum pesim_dim dim,
                               uint32_t bound)
{
    if (lv >= pesim_mapping_levels(m))
        return PESIM_E_RANGE;
    return append(m->temporal[lv], &m->ntemporal[lv], dim, bound, PESIM_AXIS_X);
}

int pesim_mapping_add_spatial(struct pesim_mapping *m, unsigned lv, enum pesim_dim dim,
                              uint32_t bound, enum pesim_axis axis)
{
    if (lv >= pesim_mapping_levels(m))
        return PESIM_E_RANGE;
    return append(m->spatial[lv], &m->nspatial[lv], dim, bound, axis);
}

