/* The template's spatial candidates (docs/dataflows.md, "The mapper",
 * step 1): zero, one or two of the template's dims on each axis, each with
 * the balanced bound that gives the fewest folds of its extent. */
#include <stdlib.h>
#include <string.h>

#include "dataflows/search.h"

#define AXIS_CAP 512

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/* Smallest bound with the fewest folds of `size` over `room` PEs. */
static uint32_t balanced(uint64_t size, uint64_t room)
{
    if (size <= room)
        return (uint32_t)size;
    return (uint32_t)div_up(size, div_up(size, room));
}

/* Every way to put zero, one or two template dims on an axis. A leading
 * dim (RS) is always first on its axis with its whole (balanced) extent. */
static size_t axis_options(const struct pesim_dataflow *df, unsigned a,
                           const struct pesim_layer *l, uint32_t room,
                           struct df_axis_opt *out, size_t cap)
{
    size_t n = 0;
    /* a bound of 1 spreads nothing: an axis of one PE takes no dim */
    if (room < 2)
        return out[0] = (struct df_axis_opt){0}, 1;
    bool lead = df->lead[a] && l->dim[df->axis_dims[a][0]] >= 2;
    if (!lead)
        out[n++] = (struct df_axis_opt){0};
    for (unsigned i = 0; i < (lead ? 1u : df->naxis_dims[a]); i++) {
        unsigned d1 = df->axis_dims[a][i];
        if (l->dim[d1] < 2)
            continue;
        if (n < cap)
            out[n++] = (struct df_axis_opt){1, {(uint8_t)d1, 0}, {balanced(l->dim[d1], room), 0}};
        for (unsigned j = 0; j < df->naxis_dims[a]; j++) {
            unsigned d2 = df->axis_dims[a][j];
            if (j == i || l->dim[d2] < 2)
                continue;
            uint64_t top = l->dim[d1] < room ? l->dim[d1] : room;
            uint64_t from = lead ? balanced(l->dim[d1], room) : 2;
            if (lead)
                top = from;
            for (uint64_t b1 = from; b1 <= top && b1 * 2 <= room && n < cap; b1++)
                out[n++] = (struct df_axis_opt){2, {(uint8_t)d1, (uint8_t)d2},
                                                {(uint32_t)b1, balanced(l->dim[d2], room / b1)}};
        }
    }
    return n;
}

static uint64_t folds(const struct pesim_layer *l, const struct df_spatial *s)
{
    uint64_t b[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        b[d] = 1;
    for (unsigned a = 0; a < PESIM_AXIS_COUNT; a++)
        for (unsigned k = 0; k < s->ax[a].n; k++)
            b[s->ax[a].dim[k]] *= s->ax[a].bound[k];
    uint64_t f = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        f *= div_up(l->dim[d], b[d]);
    return f;
}

static bool shares_dim(const struct df_axis_opt *x, const struct df_axis_opt *y)
{
    for (unsigned i = 0; i < x->n; i++)
        for (unsigned j = 0; j < y->n; j++)
            if (x->dim[i] == y->dim[j])
                return true;
    return false;
}

/* Insert s into out[0..*n) kept sorted by folds, stable, at most cap. */
static void keep_sorted(struct df_spatial *out, size_t *n, size_t cap, const struct df_spatial *s)
{
    size_t k = *n < cap ? (*n)++ : cap;
    while (k > 0 && out[k - 1].folds > s->folds) {
        if (k < cap)
            out[k] = out[k - 1];
        k--;
    }
    if (k < cap)
        out[k] = *s;
}

struct df_place df_place_of(const struct pesim_arch *arch)
{
    struct df_place p = {PESIM_LEVEL_GLB, arch->nlevels - 1u};
    for (unsigned lv = 0; lv < arch->nlevels; lv++)
        if (pesim_arch_has_fanout(arch, lv)) {
            p.array = lv;
            break;
        }
    return p;
}

size_t df_spatial_all(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                      unsigned lv, const struct pesim_layer *l, struct df_spatial *out,
                      size_t cap)
{
    struct df_axis_opt xo[AXIS_CAP], yo[AXIS_CAP];
    const struct pesim_fanout_cfg *f = &arch->level[lv].fanout;
    size_t nx = axis_options(df, PESIM_AXIS_X, l, f->cols, xo, AXIS_CAP);
    size_t ny = axis_options(df, PESIM_AXIS_Y, l, f->rows, yo, AXIS_CAP);
    size_t total = 0, kept = 0;
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ny; j++) {
            if (!df->share_dims && shares_dim(&xo[i], &yo[j]))
                continue;
            struct df_spatial s = {{xo[i], yo[j]}, 0};
            s.folds = folds(l, &s);
            keep_sorted(out, &kept, cap, &s);
            total++;
        }
    return total;
}

void df_spatial_add(const struct df_spatial *s, unsigned lv, struct pesim_mapping *m,
                    uint64_t rest[PESIM_DIM_COUNT])
{
    for (unsigned a = 0; a < PESIM_AXIS_COUNT; a++)
        for (unsigned k = 0; k < s->ax[a].n; k++) {
            unsigned d = s->ax[a].dim[k];
            pesim_mapping_add_spatial(m, lv, d, s->ax[a].bound[k], a);
            rest[d] = div_up(rest[d], s->ax[a].bound[k]);
        }
}

void df_spatial_apply(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                      const struct pesim_layer *l, const struct df_spatial *s,
                      struct pesim_mapping *m, uint64_t rest[PESIM_DIM_COUNT])
{
    memset(m, 0, sizeof *m);
    if (arch->general)
        m->nlevels = arch->nlevels;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        rest[d] = l->dim[d];
    struct df_place p = df_place_of(arch);
    df_spatial_add(s, p.array, m, rest);
    for (unsigned lv = p.array + 1; lv < arch->nlevels; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            m->bypass[lv][ds] = !df->rf_keeps[ds] && arch->level[lv].holds[ds];
}
