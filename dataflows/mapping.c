/* Mapping construction helpers and the flattened nest (nest.h). */
#include "dataflows/nest.h"
#include "pesim/error.h"

static int append(struct pesim_loop *list, uint8_t *n, enum pesim_dim dim,
                  uint32_t bound, enum pesim_axis axis)
{
    if (*n >= PESIM_MAX_LOOPS || bound == 0 || (unsigned)dim >= PESIM_DIM_COUNT ||
        (unsigned)axis >= PESIM_AXIS_COUNT)
        return PESIM_E_RANGE;
    list[(*n)++] = (struct pesim_loop){(uint8_t)dim, (uint8_t)axis, bound};
    return 0;
}

int pesim_mapping_add_temporal(struct pesim_mapping *m, enum pesim_level lv,
                               enum pesim_dim dim, uint32_t bound)
{
    if ((unsigned)lv >= PESIM_LEVEL_COUNT)
        return PESIM_E_RANGE;
    return append(m->temporal[lv], &m->ntemporal[lv], dim, bound, PESIM_AXIS_X);
}

int pesim_mapping_add_spatial(struct pesim_mapping *m, enum pesim_dim dim,
                              uint32_t bound, enum pesim_axis axis)
{
    return append(m->spatial, &m->nspatial, dim, bound, axis);
}

static void push(struct nest *nt, const struct pesim_loop *lp, bool spatial)
{
    if (lp->bound <= 1)
        return;
    uint8_t i = nt->n++;
    nt->dim[i] = lp->dim;
    nt->bound[i] = lp->bound;
    uint64_t bit = UINT64_C(1) << i;
    if (spatial)
        nt->spatial_mask |= bit;
    else
        nt->temporal_mask |= bit;
    nt->dim_mask[lp->dim] |= bit;
    nt->dpos[lp->dim][nt->dn[lp->dim]++] = i;
}

static void push_level(struct nest *nt, const struct pesim_mapping *m,
                       enum pesim_level lv)
{
    for (unsigned i = 0; i < m->ntemporal[lv] && i < PESIM_MAX_LOOPS; i++)
        push(nt, &m->temporal[lv][i], false);
}

int nest_build(const struct pesim_mapping *m, struct nest *nt)
{
    *nt = (struct nest){0};
    for (unsigned lv = 0; lv < PESIM_LEVEL_COUNT; lv++)
        for (unsigned i = 0; i < m->ntemporal[lv] && i < PESIM_MAX_LOOPS; i++)
            if (m->temporal[lv][i].bound == 0 ||
                m->temporal[lv][i].dim >= PESIM_DIM_COUNT)
                return PESIM_E_INVALID;
    for (unsigned i = 0; i < m->nspatial && i < PESIM_MAX_LOOPS; i++)
        if (m->spatial[i].bound == 0 || m->spatial[i].dim >= PESIM_DIM_COUNT)
            return PESIM_E_INVALID;

    push_level(nt, m, PESIM_LEVEL_DRAM);
    nt->glb_start = nt->n;
    push_level(nt, m, PESIM_LEVEL_GLB);
    nt->sp_start = nt->n;
    for (unsigned i = 0; i < m->nspatial && i < PESIM_MAX_LOOPS; i++)
        push(nt, &m->spatial[i], true);
    nt->rf_start = nt->n;
    push_level(nt, m, PESIM_LEVEL_RF);

    /* Strides: a loop's weight within its dimension's mixed-radix index. */
    uint64_t inner[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        inner[d] = 1;
    for (int i = nt->n - 1; i >= 0; i--) {
        unsigned d = nt->dim[i];
        nt->stride[i] = inner[d];
        inner[d] = inner[d] > UINT64_MAX / nt->bound[i] ? UINT64_MAX
                                                          : inner[d] * nt->bound[i];
    }
    return 0;
}

/* Digit DP over the dim's masked loops, most significant first. `limit` is
 * the largest index still allowed. Once a digit is strictly below its top
 * value, every combination of the lower masked digits fits: their largest
 * index is below the digit's stride. */
uint64_t nest_count(const struct nest *nt, unsigned dim, uint64_t mask,
                    uint64_t size)
{
    if (size == 0)
        return 0;
    uint32_t bound[NEST_MAX];
    uint64_t stride[NEST_MAX], rest[NEST_MAX + 1];
    int k = 0;
    for (int j = 0; j < nt->dn[dim]; j++) {
        int i = nt->dpos[dim][j];
        if (mask >> i & 1) {
            bound[k] = nt->bound[i];
            stride[k++] = nt->stride[i];
        }
    }
    rest[k] = 1;
    for (int j = k - 1; j >= 0; j--)
        rest[j] = rest[j + 1] * bound[j];
    uint64_t limit = size - 1, total = 0;
    for (int j = 0; j < k; j++) {
        uint64_t top = limit / stride[j];
        if (top >= bound[j]) /* every digit value fits, with any rest */
            return total + rest[j];
        total += top * rest[j + 1];
        limit -= top * stride[j];
    }
    return total + 1; /* the path that took the top digit throughout */
}
