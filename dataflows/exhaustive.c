/* The exhaustive search over a template's space (docs/dataflows.md,
 * "Exhaustive search"). For each spatial candidate, each dim's remaining
 * extent r is tiled as (RF, GLB, DRAM) bounds: any RF bound b in [1, r]
 * (only for the template's RF dims), then the canonical splits of
 * q = ceil(r / b) into GLB x DRAM, those where neither bound can shrink
 * without the other growing. Every order of each level's loops (bound > 1)
 * is a mapping of the space.
 *
 * Pruning keeps the result exact: capacity and ideal cycles depend on the
 * bounds, not on the order, so a tiling that overflows, or (latency
 * objective) whose ideal cycles exceed the best cycles so far, is skipped
 * with all its orders. tests/dataflows/test_exhaustive.c checks the result
 * against a plain enumeration without pruning. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataflows/search.h"

#define MAX_TILINGS 4096 /* per dim; beyond, the space is too large anyway */
#define MAX_SPATIAL 4096

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

struct tiling {
    uint32_t b[PESIM_LEVEL_COUNT];
};

static bool is_rf_dim(const struct pesim_dataflow *df, unsigned d)
{
    for (unsigned i = 0; i < df->nrf_dims; i++)
        if (df->rf_dims[i] == d)
            return true;
    return false;
}

/* The tilings of one dim, in a fixed order, into out[0..cap); returns
 * how many there are, or stops counting past `stop`. The canonical GLB x
 * DRAM splits of q are one per distinct g = ceil(q / k), k = 1..q, with
 * the smallest such k as DRAM bound: O(sqrt q) of them. */
static size_t tilings(uint64_t r, bool rf, struct tiling *out, size_t cap, size_t stop)
{
    size_t n = 0;
    for (uint64_t b_rf = 1; b_rf <= (rf ? r : 1) && n <= stop; b_rf++) {
        uint64_t q = div_up(r, b_rf);
        for (uint64_t k = 1; k <= q && n <= stop;) {
            uint64_t g = div_up(q, k);
            if (n < cap)
                out[n] = (struct tiling){{(uint32_t)k, (uint32_t)g, (uint32_t)b_rf}};
            n++;
            if (g == 1)
                break;
            k = (q - 1) / (g - 1) + 1;
        }
    }
    return n;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }
static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    return a && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

static const uint64_t factorial[PESIM_DIM_COUNT + 1] = {1, 1, 2, 6, 24, 120, 720, 5040, 40320};

/* Mappings of one spatial candidate: a DP over dims of how many tilings
 * put how many loops (bound > 1) on each level, then each count times the
 * orders of its levels. */
static uint64_t candidate_size(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                               const struct pesim_layer *l, const struct df_spatial *s)
{
    struct pesim_mapping m;
    uint64_t rest[PESIM_DIM_COUNT];
    df_spatial_apply(df, arch, l, s, &m, rest);
    enum { K = PESIM_DIM_COUNT + 1 };
    static const size_t cells = (size_t)K * K * K;
    uint64_t cnt[K * K * K], next[K * K * K];
    memset(cnt, 0, sizeof cnt);
    cnt[0] = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        struct tiling t[MAX_TILINGS];
        size_t nt = tilings(rest[d], is_rf_dim(df, d), t, MAX_TILINGS, MAX_TILINGS);
        if (nt > MAX_TILINGS)
            return UINT64_MAX;
        memset(next, 0, sizeof next);
        for (size_t c = 0; c < cells; c++) {
            if (!cnt[c])
                continue;
            unsigned n0 = (unsigned)(c / (K * K)), n1 = (unsigned)(c / K % K), n2 = (unsigned)(c % K);
            for (size_t i = 0; i < nt; i++) {
                unsigned a0 = n0 + (t[i].b[0] > 1), a1 = n1 + (t[i].b[1] > 1), a2 = n2 + (t[i].b[2] > 1);
                size_t to = ((size_t)a0 * K + a1) * K + a2;
                next[to] = sat_add(next[to], cnt[c]);
            }
        }
        memcpy(cnt, next, sizeof cnt);
    }
    uint64_t total = 0;
    for (size_t c = 0; c < cells; c++) {
        uint64_t orders = factorial[c / (K * K)] * factorial[c / K % K] * factorial[c % K];
        total = sat_add(total, sat_mul(cnt[c], orders));
    }
    return total;
}

uint64_t df_space_size(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                       const struct pesim_layer *l, uint64_t cap)
{
    if (arch->general)
        return cap + 1; /* the space below is the shorthand's three levels */
    size_t n = df_spatial_all(df, arch, PESIM_LEVEL_GLB, l, NULL, 0);
    if (n > MAX_SPATIAL)
        return cap + 1;
    struct df_spatial *sp = malloc((n ? n : 1) * sizeof *sp);
    if (!sp)
        return cap + 1;
    df_spatial_all(df, arch, PESIM_LEVEL_GLB, l, sp, n);
    uint64_t total = 0;
    for (size_t i = 0; i < n && total <= cap; i++)
        total = sat_add(total, candidate_size(df, arch, l, &sp[i]));
    free(sp);
    return total <= cap ? total : cap + 1;
}

/* Next permutation in lexicographic order of a[0..n); false after the
 * last (a is then back to ascending). */
static bool next_perm(struct pesim_loop *a, unsigned n)
{
    if (n < 2)
        return false;
    unsigned i = n - 1;
    while (i > 0 && a[i - 1].dim >= a[i].dim)
        i--;
    bool more = i > 0;
    if (more) {
        unsigned j = n - 1;
        while (a[j].dim <= a[i - 1].dim)
            j--;
        struct pesim_loop t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
    for (unsigned lo = i, hi = n - 1; lo < hi; lo++, hi--) {
        struct pesim_loop t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
    }
    return more;
}

struct search {
    const struct pesim_dataflow *df;
    const struct pesim_arch *arch;
    const struct pesim_layer *l;
    enum pesim_objective obj;
    bool found;
    struct df_top *top;
};

/* Every order of the tiling's loops: DRAM outermost in the odometer, RF
 * fastest. */
static void orders(struct search *s, struct pesim_mapping *m)
{
    do {
        do {
            do {
                struct pesim_analysis a;
                if (pesim_map_analyze(s->arch, s->l, m, &a) || !a.fits)
                    continue;
                df_top_offer(s->top, m, df_score_of(s->arch, &a, s->obj));
                s->found = true;
            } while (next_perm(m->temporal[PESIM_LEVEL_RF], m->ntemporal[PESIM_LEVEL_RF]));
        } while (next_perm(m->temporal[PESIM_LEVEL_GLB], m->ntemporal[PESIM_LEVEL_GLB]));
    } while (next_perm(m->temporal[PESIM_LEVEL_DRAM], m->ntemporal[PESIM_LEVEL_DRAM]));
}

/* One tiling: the loops in dim order (the first permutation), pruned by
 * capacity and the cycle bound before any order is tried. */
static void tiling(struct search *s, const struct pesim_mapping *base,
                   const struct tiling *const per_dim[PESIM_DIM_COUNT])
{
    struct pesim_mapping m = *base;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        for (unsigned lv = 0; lv < PESIM_LEVEL_COUNT; lv++)
            if (per_dim[d]->b[lv] > 1)
                pesim_mapping_add_temporal(&m, lv, d, per_dim[d]->b[lv]);
    struct pesim_analysis a;
    if (pesim_map_analyze(s->arch, s->l, &m, &a) || !a.fits)
        return;
    /* no order of it can come in under the cycles the full top would
     * need beaten */
    const struct df_top *t = s->top;
    if (t->n == t->cap && s->obj == PESIM_OBJECTIVE_LATENCY &&
        a.ideal_cycles > t->s[t->n - 1].cycles)
        return;
    orders(s, &m);
}

static int candidate(struct search *s, const struct df_spatial *sp)
{
    struct pesim_mapping base;
    uint64_t rest[PESIM_DIM_COUNT];
    df_spatial_apply(s->df, s->arch, s->l, sp, &base, rest);
    struct tiling *t[PESIM_DIM_COUNT];
    size_t nt[PESIM_DIM_COUNT], at[PESIM_DIM_COUNT] = {0};
    int rc = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        t[d] = NULL;
    for (unsigned d = 0; d < PESIM_DIM_COUNT && !rc; d++) {
        bool rf = is_rf_dim(s->df, d);
        nt[d] = tilings(rest[d], rf, NULL, 0, SIZE_MAX);
        t[d] = malloc(nt[d] * sizeof *t[d]);
        if (!t[d])
            rc = PESIM_E_NOMEM;
        else
            tilings(rest[d], rf, t[d], nt[d], SIZE_MAX);
    }
    /* odometer over the dims' tilings, the last dim fastest */
    while (!rc) {
        const struct tiling *pick[PESIM_DIM_COUNT];
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            pick[d] = &t[d][at[d]];
        tiling(s, &base, pick);
        int d = PESIM_DIM_COUNT - 1;
        while (d >= 0 && ++at[d] == nt[d])
            at[d--] = 0;
        if (d < 0)
            break;
    }
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        free(t[d]);
    return rc;
}

int df_map_exhaustive(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                      const struct pesim_layer *l, enum pesim_objective obj,
                      struct df_top *top)
{
    if (arch->general)
        return PESIM_E_UNSUPPORTED;
    size_t n = df_spatial_all(df, arch, PESIM_LEVEL_GLB, l, NULL, 0);
    if (n > MAX_SPATIAL)
        return PESIM_E_RANGE;
    struct df_spatial *sp = malloc((n ? n : 1) * sizeof *sp);
    if (!sp)
        return PESIM_E_NOMEM;
    df_spatial_all(df, arch, PESIM_LEVEL_GLB, l, sp, n);
    struct search s = {df, arch, l, obj, false, top};
    int rc = 0;
    /* fewest folds first, so the cycle bound prunes early */
    for (size_t i = 0; i < n && !rc; i++)
        rc = candidate(&s, &sp[i]);
    free(sp);
    if (rc)
        return rc;
    return s.found ? 0 : PESIM_E_NOMAP;
}
