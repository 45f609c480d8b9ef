/* The whole-mapspace search (dataflows/mapspace.c) against a plain
 * enumeration of the constrained space on small cases.
 *
 * The plain enumeration builds mappings the way the space is defined
 * (docs/dataflows.md, "The whole mapspace"), sharing no code with the
 * search: every assignment of a divisor of each dim to every slot (each
 * level's temporal loop, each fan-out axis) whose product is the dim,
 * every order of each level's loops, every bypass of what each level
 * holds. It keeps those the architecture's constraints allow
 * (pesim_map_check_rules) and that fit, and takes the best score. The
 * search's enumeration must find exactly that score under every
 * objective and count the same space; its heuristic must return a legal
 * mapping no better than the optimum, the same for 1 and 2 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dataflows/mapspace.h"
#include "pesim/arch.h"

#define NSLOT 5 /* DRAM, buf, buf's fan-out x and y, rf */

struct plain {
    const struct pesim_arch *arch;
    const struct pesim_layer *l;
    enum pesim_objective obj;
    uint64_t legal_space; /* mappings the constraints allow */
    bool found;
    struct df_score best;
};

/* Slot -> (level, kind): 0 DRAM, 1 buf temporal, 2 buf x, 3 buf y, 4 rf. */
static void build(const uint32_t f[PESIM_DIM_COUNT][NSLOT], const unsigned ord[3][PESIM_DIM_COUNT],
                  const unsigned nord[3], unsigned bypass, struct pesim_mapping *m)
{
    memset(m, 0, sizeof *m);
    m->nlevels = 3;
    static const unsigned tslot[3] = {0, 1, 4};
    for (unsigned lv = 0; lv < 3; lv++)
        for (unsigned i = 0; i < nord[lv]; i++)
            pesim_mapping_add_temporal(m, lv, ord[lv][i], f[ord[lv][i]][tslot[lv]]);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        if (f[d][2] > 1)
            pesim_mapping_add_spatial(m, 1, d, f[d][2], PESIM_AXIS_X);
        if (f[d][3] > 1)
            pesim_mapping_add_spatial(m, 1, d, f[d][3], PESIM_AXIS_Y);
    }
    for (unsigned lv = 1; lv < 3; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            m->bypass[lv][ds] = (bypass >> ((lv - 1) * 3 + ds)) & 1;
}

static void evaluate(struct plain *p, const struct pesim_mapping *m)
{
    if (pesim_map_check(p->arch, p->l, m, "t", NULL) != 0)
        return; /* outside the constrained space (or the fan-out) */
    p->legal_space++;
    struct pesim_analysis a;
    assert_int_equal(pesim_map_analyze(p->arch, p->l, m, &a), 0);
    if (!a.fits)
        return;
    struct df_score s = df_score_of(p->arch, &a, p->obj);
    if (!p->found || df_better(s, p->best)) {
        p->best = s;
        p->found = true;
    }
}

static bool next_perm(unsigned *a, unsigned n)
{
    unsigned i = n;
    if (n < 2)
        return false;
    for (i = n - 1; i > 0 && a[i - 1] >= a[i]; i--)
        ;
    if (i == 0) { /* the last order: back to the first for the next round */
        for (unsigned lo = 0, hi = n - 1; lo < hi; lo++, hi--) {
            unsigned t = a[lo];
            a[lo] = a[hi];
            a[hi] = t;
        }
        return false;
    }
    unsigned j = n - 1;
    while (a[j] <= a[i - 1])
        j--;
    unsigned t = a[i - 1];
    a[i - 1] = a[j];
    a[j] = t;
    for (unsigned lo = i, hi = n - 1; lo < hi; lo++, hi--) {
        t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
    }
    return true;
}

static void orders_and_bypass(struct plain *p, const uint32_t f[PESIM_DIM_COUNT][NSLOT])
{
    static const unsigned tslot[3] = {0, 1, 4};
    unsigned ord[3][PESIM_DIM_COUNT], nord[3] = {0, 0, 0};
    for (unsigned lv = 0; lv < 3; lv++)
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            if (f[d][tslot[lv]] > 1)
                ord[lv][nord[lv]++] = d;
    for (unsigned b = 0; b < 64; b++) {
        /* a level that does not hold a data space bypasses it */
        bool skip = false;
        for (unsigned lv = 1; lv < 3; lv++)
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                if (!p->arch->level[lv].holds[ds] && !((b >> ((lv - 1) * 3 + ds)) & 1))
                    skip = true;
        if (skip)
            continue;
        unsigned o[3][PESIM_DIM_COUNT];
        memcpy(o, ord, sizeof o);
        for (;;) {
            struct pesim_mapping m;
            build(f, (const unsigned(*)[PESIM_DIM_COUNT])o, nord, b, &m);
            evaluate(p, &m);
            unsigned lv = 0;
            while (lv < 3 && !next_perm(o[lv], nord[lv]))
                lv++;
            if (lv == 3)
                break;
        }
    }
}

/* Every divisor assignment of dim d over the slots, then the next dim. */
static void factor(struct plain *p, uint32_t f[PESIM_DIM_COUNT][NSLOT], unsigned d, unsigned s,
                   uint64_t left)
{
    if (d == PESIM_DIM_COUNT) {
        orders_and_bypass(p, (const uint32_t(*)[NSLOT])f);
        return;
    }
    if (s == NSLOT - 1) {
        f[d][s] = (uint32_t)left;
        factor(p, f, d + 1, 0, d + 1 < PESIM_DIM_COUNT ? p->l->dim[d + 1] : 1);
        return;
    }
    for (uint64_t v = 1; v <= left; v++)
        if (left % v == 0) {
            f[d][s] = (uint32_t)v;
            factor(p, f, d, s + 1, left / v);
        }
}

/* DRAM -> buf (2 x 2 below it, 12 words) -> rf (4 words), with
 * constraints: buf keeps outputs, may not iterate C; the fan-out may not
 * put M on y; rf keeps weights and its innermost loop, if any of Q,
 * is Q. */
static void small_arch(struct pesim_arch *a)
{
    pesim_diags *d = pesim_diags_create();
    static const char yaml[] =
        "name: tiny\n"
        "clock_mhz: 1000\n"
        "dram: {bandwidth_gbps: 0}\n"
        "energy: {unit: pJ, mac: 1, leakage_per_cycle: 0}\n"
        "levels:\n"
        "  - {name: DRAM, read_energy: 100, write_energy: 100}\n"
        "  - name: buf\n"
        "    words: 12\n"
        "    read_energy: 6\n    write_energy: 6\n"
        "    fanout: {rows: 2, cols: 2, energy: 2}\n"
        "    constraints: {keep: [outputs], factors: {C: 1}, x: [M, C, P, Q, S], y: [C, P, Q, S]}\n"
        "  - name: rf\n"
        "    words: 4\n"
        "    read_energy: 1\n    write_energy: 1\n"
        "    constraints: {keep: [weights], order: [Q]}\n";
    int rc = pesim_arch_load_string(yaml, sizeof yaml - 1, "tiny.yaml", a, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
}

static void small_layer(struct pesim_layer *l)
{
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "small");
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        l->dim[d] = 1;
    l->dim[PESIM_DIM_M] = 4;
    l->dim[PESIM_DIM_C] = 2;
    l->dim[PESIM_DIM_Q] = 2;
    l->dim[PESIM_DIM_S] = 2;
    l->stride[0] = l->stride[1] = 1;
    l->dilation[0] = l->dilation[1] = 1;
}

static void test_equals_plain_enumeration(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_layer l;
    small_arch(&a);
    small_layer(&l);
    for (int obj = 0; obj < PESIM_OBJECTIVE_COUNT; obj++) {
        struct plain p = {.arch = &a, .l = &l, .obj = (enum pesim_objective)obj};
        uint32_t f[PESIM_DIM_COUNT][NSLOT];
        memset(f, 0, sizeof f);
        factor(&p, f, 0, 0, l.dim[0]);
        assert_true(p.found);
        struct df_top top = {.cap = 1};
        struct ms_report rep;
        assert_int_equal(df_map_mapspace_mode(&a, &l, (enum pesim_objective)obj, MS_ENUMERATE,
                                              1, &top, &rep),
                         0);
        assert_true(rep.exhaustive);
        /* the same space and the same optimum */
        assert_int_equal((uint64_t)rep.space, p.legal_space);
        assert_int_equal(top.s[0].cycles, p.best.cycles);
        assert_true(top.s[0].energy == p.best.energy);
        assert_int_equal(pesim_map_check(&a, &l, &top.m[0], "t", NULL), 0);
        /* the heuristic: legal, never below the optimum, the same with
         * two threads */
        struct df_top h1 = {.cap = 4}, h2 = {.cap = 4};
        assert_int_equal(df_map_mapspace_mode(&a, &l, (enum pesim_objective)obj, MS_HEURISTIC,
                                              1, &h1, NULL),
                         0);
        assert_int_equal(df_map_mapspace_mode(&a, &l, (enum pesim_objective)obj, MS_HEURISTIC,
                                              2, &h2, NULL),
                         0);
        assert_int_equal(pesim_map_check(&a, &l, &h1.m[0], "t", NULL), 0);
        assert_false(df_better(h1.s[0], p.best));
        assert_int_equal(h1.n, h2.n);
        assert_memory_equal(h1.m, h2.m, h1.n * sizeof h1.m[0]);
        printf("objective %s: space %llu, optimum %llu cycles %.2f energy; heuristic %llu "
               "cycles %.2f energy\n",
               pesim_objective_name((enum pesim_objective)obj),
               (unsigned long long)p.legal_space, (unsigned long long)p.best.cycles,
               p.best.energy, (unsigned long long)h1.s[0].cycles, h1.s[0].energy);
    }
}

/* A constraint the search must keep even where breaking it would pay:
 * without the rf's keep of weights, the optimum changes. */
static void test_constraints_bind(void **state)
{
    (void)state;
    struct pesim_arch a, free_a;
    struct pesim_layer l;
    small_arch(&a);
    small_layer(&l);
    free_a = a;
    for (unsigned lv = 0; lv < a.nlevels; lv++)
        memset(&free_a.level[lv].rules, 0, sizeof free_a.level[lv].rules);
    struct df_top t = {.cap = 1}, tf = {.cap = 1};
    assert_int_equal(df_map_mapspace_mode(&a, &l, PESIM_OBJECTIVE_ENERGY, MS_ENUMERATE, 1, &t,
                                          NULL),
                     0);
    assert_int_equal(df_map_mapspace_mode(&free_a, &l, PESIM_OBJECTIVE_ENERGY, MS_ENUMERATE, 1,
                                          &tf, NULL),
                     0);
    /* the free space holds the constrained one: its best is at least as good */
    assert_false(df_better(t.s[0], tf.s[0]));
    assert_int_equal(pesim_map_check_rules(&a, &l, &t.m[0], "t", NULL), 0);
    assert_false(t.m[0].bypass[2][PESIM_DS_WEIGHTS]);
    assert_false(t.m[0].bypass[1][PESIM_DS_OUTPUTS]);
}

/* Constraints that leave nothing: a factor fixed beyond the fan-out. */
static void test_impossible(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_layer l;
    small_arch(&a);
    small_layer(&l);
    a.level[1].rules.spatial_factor[PESIM_DIM_M] = 4;
    a.level[1].rules.no_axis[PESIM_DIM_M] = 1u << PESIM_AXIS_Y;
    struct df_top t = {.cap = 1};
    assert_int_equal(df_map_mapspace(&a, &l, PESIM_OBJECTIVE_ENERGY, 1, &t, NULL),
                     PESIM_E_NOMAP);
    assert_int_equal(t.n, 0);
}

/* A dim with a prime factor above 7 (M = 13 over a 2 x 2 fan-out): the
 * heuristic also searches it padded (to 14 = 2 x 7, a partial tile), and
 * what it returns is legal and covers the layer. */
static void test_padded(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_layer l;
    small_arch(&a);
    small_layer(&l);
    l.dim[PESIM_DIM_M] = 13;
    struct df_top top = {.cap = 4};
    struct ms_report rep;
    assert_int_equal(df_map_mapspace_mode(&a, &l, PESIM_OBJECTIVE_LATENCY, MS_HEURISTIC, 2,
                                          &top, &rep),
                     0);
    assert_true(rep.restarts > 8); /* the padded starts ran */
    for (size_t i = 0; i < top.n; i++)
        assert_int_equal(pesim_map_check(&a, &l, &top.m[i], "t", NULL), 0);
    /* unpadded, 13 stays whole (on one axis or temporal); with the
     * padded starts the heuristic is no worse than the exact space's
     * optimum, enumerated whole */
    struct df_top exact = {.cap = 1};
    assert_int_equal(df_map_mapspace_mode(&a, &l, PESIM_OBJECTIVE_LATENCY, MS_ENUMERATE, 1,
                                          &exact, NULL),
                     0);
    assert_false(df_better(exact.s[0], top.s[0]));
    printf("M = 13: exact space %llu cycles, with padding %llu\n",
           (unsigned long long)exact.s[0].cycles, (unsigned long long)top.s[0].cycles);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equals_plain_enumeration),
        cmocka_unit_test(test_constraints_bind),
        cmocka_unit_test(test_impossible),
        cmocka_unit_test(test_padded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
