/* The closed-form analysis against brute force on random small cases.
 *
 * The brute force executes the whole loop nest, computes every MAC's data
 * indices, and counts distinct (period, datum) pairs, where a period is one
 * combination of the loops that refetch a tile (docs/model.md, "Transfer
 * count"). It shares no formula with the analysis: no digit DP, no tile
 * classes, no window projections — only the definition of which loops
 * refetch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fixtures.h"

#define MAXL 48

struct flat {
    int n;
    int dim[MAXL], bound[MAXL], level[MAXL]; /* level 3 = spatial */
};

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(uint64_t n) { return fx_rnd(&rng_state, n); }

enum { L_DRAM, L_GLB, L_RF, L_SP };

/* Nest order: DRAM, GLB, spatial, RF. */
static struct flat flatten(const struct pesim_mapping *m)
{
    struct flat f = {0};
    const int order[4] = {L_DRAM, L_GLB, L_SP, L_RF};
    for (int k = 0; k < 4; k++) {
        int lv = order[k];
        int cnt = lv == L_SP ? m->nspatial[PESIM_LEVEL_GLB] : m->ntemporal[lv];
        for (int i = 0; i < cnt; i++) {
            const struct pesim_loop *lp = lv == L_SP ? &m->spatial[PESIM_LEVEL_GLB][i] : &m->temporal[lv][i];
            f.dim[f.n] = lp->dim;
            f.bound[f.n] = (int)lp->bound;
            f.level[f.n++] = lv;
        }
    }
    return f;
}

/* Position in nest order of the first loop below `child` (3 = MAC). */
static int cut_of(const struct flat *f, int child)
{
    int i = 0;
    if (child == L_GLB) {
        while (i < f->n && f->level[i] == L_DRAM)
            i++;
    } else if (child == L_RF) {
        while (i < f->n && f->level[i] != L_RF)
            i++;
    } else {
        i = f->n;
    }
    return i;
}

/* Loops refetching a child's tile: above the cut, temporal, from the
 * innermost relevant one outward (all temporal ones for the MAC). */
static void refetch(const struct flat *f, int ds, int child, bool *out)
{
    int cut = cut_of(f, child);
    for (int i = 0; i < f->n; i++)
        out[i] = false;
    int inner = -1;
    for (int i = 0; i < cut; i++)
        if (f->level[i] != L_SP && f->bound[i] > 1 &&
            (child == 3 || pesim_dim_relevant(ds, f->dim[i])))
            inner = i;
    for (int i = 0; i <= inner; i++)
        out[i] = f->level[i] != L_SP;
}

static uint64_t datum(const struct pesim_layer *l, int ds, const uint64_t *ix)
{
    uint64_t n = ix[PESIM_DIM_N], g = ix[PESIM_DIM_G], m = ix[PESIM_DIM_M], c = ix[PESIM_DIM_C];
    uint64_t p = ix[PESIM_DIM_P], q = ix[PESIM_DIM_Q], r = ix[PESIM_DIM_R], s = ix[PESIM_DIM_S];
    if (ds == PESIM_DS_WEIGHTS)
        return (((g * 64 + m) * 64 + c) * 64 + r) * 64 + s;
    if (ds == PESIM_DS_OUTPUTS)
        return (((n * 64 + g) * 64 + m) * 64 + p) * 64 + q;
    uint64_t h = p * l->stride[0] + r * l->dilation[0];
    uint64_t w = q * l->stride[1] + s * l->dilation[1];
    return (((n * 64 + g) * 64 + c) * 256 + h) * 256 + w;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Distinct (key over `use` loops, datum) pairs over all valid MACs. */
static uint64_t distinct(const struct flat *f, const struct pesim_layer *l, int ds,
                         const bool *use, bool with_datum)
{
    uint64_t total = 1;
    for (int i = 0; i < f->n; i++)
        total *= (uint64_t)f->bound[i];
    uint64_t *keys = malloc(total * sizeof *keys);
    assert_non_null(keys);
    uint64_t nk = 0;
    int digit[MAXL] = {0};
    for (uint64_t it = 0; it < total; it++) {
        uint64_t ix[PESIM_DIM_COUNT] = {0};
        uint64_t key = 0;
        for (int i = 0; i < f->n; i++) {
            ix[f->dim[i]] = ix[f->dim[i]] * (uint64_t)f->bound[i] + (uint64_t)digit[i];
            if (use[i])
                key = key * (uint64_t)f->bound[i] + (uint64_t)digit[i];
        }
        bool valid = true;
        for (int d = 0; d < PESIM_DIM_COUNT; d++)
            valid &= ix[d] < l->dim[d];
        if (valid)
            keys[nk++] = with_datum ? key * 1000003u * 64 + datum(l, ds, ix) : key;
        for (int i = f->n - 1; i >= 0; i--) {
            if (++digit[i] < f->bound[i])
                break;
            digit[i] = 0;
        }
    }
    qsort(keys, nk, sizeof *keys, cmp_u64);
    uint64_t d = 0;
    for (uint64_t i = 0; i < nk; i++)
        d += i == 0 || keys[i] != keys[i - 1];
    free(keys);
    return d;
}

/* Sliding windows (docs/model.md, "Sliding windows"): distinct() with a
 * datum less the (key, datum) pairs whose key with loop L's digit one lower
 * (the same instance's previous tile) holds the same datum. L < 0: none. */
static uint64_t distinct_slid(const struct flat *f, const struct pesim_layer *l, int ds,
                              const bool *use, int L)
{
    if (L < 0)
        return distinct(f, l, ds, use, true);
    uint64_t total = 1;
    for (int i = 0; i < f->n; i++)
        total *= (uint64_t)f->bound[i];
    uint64_t *keys = malloc(total * sizeof *keys), *prev = malloc(2 * total * sizeof *prev);
    assert_non_null(keys);
    assert_non_null(prev);
    uint64_t nk = 0, np = 0;
    int digit[MAXL] = {0};
    for (uint64_t it = 0; it < total; it++) {
        uint64_t ix[PESIM_DIM_COUNT] = {0};
        uint64_t key = 0, pkey = 0;
        for (int i = 0; i < f->n; i++) {
            ix[f->dim[i]] = ix[f->dim[i]] * (uint64_t)f->bound[i] + (uint64_t)digit[i];
            if (use[i]) {
                key = key * (uint64_t)f->bound[i] + (uint64_t)digit[i];
                pkey = pkey * (uint64_t)f->bound[i] + (uint64_t)digit[i] - (i == L);
            }
        }
        bool valid = true;
        for (int d = 0; d < PESIM_DIM_COUNT; d++)
            valid &= ix[d] < l->dim[d];
        if (valid) {
            uint64_t x = datum(l, ds, ix);
            keys[nk++] = key * 1000003u * 64 + x;
            if (digit[L] > 0) /* the pair (key, x) and the one to look for */
                prev[np++] = key * 1000003u * 64 + x, prev[np++] = pkey * 1000003u * 64 + x;
        }
        for (int i = f->n - 1; i >= 0; i--) {
            if (++digit[i] < f->bound[i])
                break;
            digit[i] = 0;
        }
    }
    qsort(keys, nk, sizeof *keys, cmp_u64);
    uint64_t d = 0;
    for (uint64_t i = 0; i < nk; i++)
        d += i == 0 || keys[i] != keys[i - 1];
    /* the kept pairs, each once */
    uint64_t nkept = 0;
    for (uint64_t i = 0; i < np; i += 2)
        if (bsearch(&prev[i + 1], keys, nk, sizeof *keys, cmp_u64))
            prev[nkept++] = prev[i];
    qsort(prev, nkept, sizeof *prev, cmp_u64);
    for (uint64_t i = 0; i < nkept; i++)
        d -= i == 0 || prev[i] != prev[i - 1];
    free(keys);
    free(prev);
    return d;
}

static int window_axis(int d)
{
    return d == PESIM_DIM_P || d == PESIM_DIM_R ? 0 : d == PESIM_DIM_Q || d == PESIM_DIM_S ? 1 : -1;
}

/* The loop sliding the window of inputs into c, or -1: the innermost
 * refetch loop, over P, R, Q or S, into a level with halo, with no temporal
 * loop between it and c's tile, and no multicast
 * NoC crossed whose spatial loops are on the same axis. */
static int sliding_loop(const struct flat *f, const struct pesim_arch *a, int ds, int c,
                        bool crossing, const bool *rf_)
{
    if (ds != PESIM_DS_INPUTS || c >= 3 || !a->level[c].halo)
        return -1;
    int L = -1;
    for (int i = 0; i < f->n; i++)
        if (rf_[i])
            L = i;
    if (L < 0 || window_axis(f->dim[L]) < 0)
        return -1;
    int cut = cut_of(f, c);
    for (int i = L + 1; i < cut; i++)
        if (f->level[i] != L_SP && f->bound[i] > 1)
            return -1; /* a temporal loop between L and c's tile */
    if (crossing && a->noc[ds].multicast)
        for (int i = 0; i < f->n; i++)
            if (f->level[i] == L_SP && f->bound[i] > 1 &&
                window_axis(f->dim[i]) == window_axis(f->dim[L]))
                return -1;
    return L;
}

static int slid_pairs, kept_pairs; /* what the random cases exercised */

static int kept_chain(const struct pesim_arch *a, const struct pesim_mapping *m, int ds, int *lv)
{
    int n = 0;
    lv[n++] = L_DRAM;
    if (a->glb.holds[ds] && !m->bypass[L_GLB][ds])
        lv[n++] = L_GLB;
    if (!m->bypass[L_RF][ds])
        lv[n++] = L_RF;
    lv[n++] = 3;
    return n;
}

static void check_case(const struct pesim_arch *a, const struct pesim_layer *l,
                       const struct pesim_mapping *m)
{
    struct pesim_analysis r;
    assert_int_equal(pesim_map_analyze(a, l, m, &r), 0);
    struct flat f = flatten(m);
    bool use[MAXL];

    for (int i = 0; i < f.n; i++)
        use[i] = f.level[i] != L_SP;
    assert_int_equal(r.ideal_cycles, distinct(&f, l, 0, use, false));
    for (int i = 0; i < f.n; i++)
        use[i] = f.level[i] == L_SP;
    assert_int_equal(r.active_pes, distinct(&f, l, 0, use, false));
    assert_int_equal(r.macs, pesim_layer_macs(l));

    uint64_t reads[3][3] = {{0}}, fills[3][3] = {{0}}, updates[3][3] = {{0}}, drains[3][3] = {{0}};
    for (int ds = 0; ds < 3; ds++) {
        int lv[4];
        int n = kept_chain(a, m, ds, lv);
        for (int k = 0; k + 1 < n; k++) {
            int p = lv[k], c = lv[k + 1];
            bool crossing = p <= L_GLB && c >= L_RF;
            bool rf_[MAXL];
            refetch(&f, ds, c, rf_);
            int cut = cut_of(&f, c);
            /* per PE: refetch loops plus the spatial loops above the cut */
            for (int i = 0; i < f.n; i++)
                use[i] = rf_[i] || (f.level[i] == L_SP && i < cut);
            int L = sliding_loop(&f, a, ds, c, crossing, rf_);
            uint64_t per_pe = distinct_slid(&f, l, ds, use, L);
            uint64_t sent = crossing && a->noc[ds].multicast ? distinct_slid(&f, l, ds, rf_, L)
                                                             : per_pe;
            slid_pairs += L >= 0;
            kept_pairs += L >= 0 && per_pe < distinct(&f, l, ds, use, true);
            if (ds != PESIM_DS_OUTPUTS) {
                reads[p][ds] += sent;
                if (c < 3)
                    fills[c][ds] += per_pe;
                continue;
            }
            for (int i = 0; i < f.n; i++)
                use[i] = !crossing && f.level[i] == L_SP && i < cut;
            uint64_t first = distinct(&f, l, ds, use, true);
            if (crossing && !a->noc[ds].multicast) {
                /* no reduction network: the parent adds what every PE sends
                 * (read-modify-write but for an element's first); PEs start
                 * each residency from zero */
                if (c < 3)
                    drains[c][ds] += per_pe;
                updates[p][ds] += per_pe;
                reads[p][ds] += per_pe - first;
                continue;
            }
            if (c < 3) {
                drains[c][ds] += per_pe;
                fills[c][ds] += sent - first;
            }
            updates[p][ds] += sent;
            reads[p][ds] += sent - first;
        }
    }
    for (int lv = 0; lv < 3; lv++)
        for (int ds = 0; ds < 3; ds++) {
            if (r.acc[lv][ds].reads != reads[lv][ds] || r.acc[lv][ds].fills != fills[lv][ds] ||
                r.acc[lv][ds].updates != updates[lv][ds]) {
                print_error("level %d ds %d: analysis r/f/u %llu %llu %llu, brute force %llu %llu %llu\n", lv, ds,
                            (unsigned long long)r.acc[lv][ds].reads, (unsigned long long)r.acc[lv][ds].fills,
                            (unsigned long long)r.acc[lv][ds].updates, (unsigned long long)reads[lv][ds],
                            (unsigned long long)fills[lv][ds], (unsigned long long)updates[lv][ds]);
                print_error("layer N%llu G%llu M%llu C%llu P%llu Q%llu R%llu S%llu U%u,%u dil%u,%u glb.holds.w=%d mc=%d%d%d\n",
                            (unsigned long long)l->dim[0], (unsigned long long)l->dim[1], (unsigned long long)l->dim[2],
                            (unsigned long long)l->dim[3], (unsigned long long)l->dim[4], (unsigned long long)l->dim[5],
                            (unsigned long long)l->dim[6], (unsigned long long)l->dim[7], l->stride[0], l->stride[1],
                            l->dilation[0], l->dilation[1], a->glb.holds[0], a->noc[0].multicast, a->noc[1].multicast, a->noc[2].multicast);
                for (int i = 0; i < f.n; i++)
                    print_error("  loop lv%d %s %d\n", f.level[i], pesim_dim_name(f.dim[i]), f.bound[i]);
                for (int x = 0; x < 3; x++)
                    print_error("  bypass lv%d: %d %d %d\n", x, m->bypass[x][0], m->bypass[x][1], m->bypass[x][2]);
            }
            assert_int_equal(r.acc[lv][ds].reads, reads[lv][ds]);
            assert_int_equal(r.acc[lv][ds].fills, fills[lv][ds]);
            assert_int_equal(r.acc[lv][ds].updates, updates[lv][ds]);
            assert_int_equal(r.acc[lv][ds].drains, drains[lv][ds]);
        }
}

static void test_random_cases(void **state)
{
    (void)state;
    int checked = 0;
    for (int iter = 0; checked < 400 && iter < 4000; iter++) {
        struct pesim_arch a = fx_arch(16, 16);
        a.glb.holds[PESIM_DS_WEIGHTS] = rnd(4) != 0;
        pesim_arch_expand(&a);
        for (int ds = 0; ds < 3; ds++)
            a.noc[ds].multicast = rnd(5) != 0;
        pesim_arch_expand(&a);
        /* the shorthand has no halo key: set it on the expanded levels */
        a.level[L_GLB].halo = rnd(4) != 0;
        a.level[L_RF].halo = rnd(4) != 0;
        struct pesim_layer l = fx_layer(1 + rnd(2), 1 + rnd(4), 1 + rnd(3), 1 + rnd(6),
                                        1 + rnd(3), 1 + rnd(3), 1 + rnd(3));
        l.dim[PESIM_DIM_G] = 1 + rnd(2);
        l.stride[0] = 1 + (uint32_t)rnd(3);
        l.stride[1] = 1 + (uint32_t)rnd(2);
        l.dilation[0] = 1 + (uint32_t)rnd(2);
        l.dilation[1] = 1 + (uint32_t)rnd(3);
        struct pesim_mapping m;
        fx_random_mapping(&rng_state, &l, &m);
        if (pesim_map_check(&a, &l, &m, "r", NULL))
            continue;
        check_case(&a, &l, &m);
        checked++;
    }
    assert_int_equal(checked, 400);
    print_message("%d input pairs sliding, %d of them keeping some overlap\n", slid_pairs,
                  kept_pairs);
    assert_true(slid_pairs >= 100 && kept_pairs >= 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
