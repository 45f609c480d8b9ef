/* The mapper with the engine as judge (include/pesim/sim.h,
 * pesim_sim_map_layer; docs/dataflows.md, "Ranked by the engine"):
 * the candidates are the mapper's best, best first by the analysis, one
 * per spatial mapping, the first being pesim_df_map_for's pick; for the
 * latency and edp objectives on a cycle-level engine the pick is the
 * candidate the event engine runs fastest (edp: least energy x cycles),
 * found here again by running every candidate; for the energy objective
 * or the analysis engine it is the mapper's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../dataflows/fixtures.h"
#include "pesim.h"
#include "pipeline/pipeline.h"

struct rank_case {
    const char *arch; /* a preset, or NULL: the 8x8 fixture */
    const char *df;
    struct pesim_layer layer;
};

static struct pesim_arch arch_of(const struct rank_case *c)
{
    struct pesim_arch a;
    if (!c->arch)
        return fx_arch(8, 8);
    assert_int_equal(pesim_arch_load(c->arch, &a, NULL), 0);
    return a;
}

static struct rank_case cases[4];

static int setup(void **state)
{
    (void)state;
    cases[0] = (struct rank_case){"eyeriss-v1", "rs", fx_layer(2, 32, 16, 13, 13, 3, 3)};
    cases[1] = (struct rank_case){"eyeriss-v1", "ws", fx_layer(2, 32, 16, 13, 13, 3, 3)};
    cases[2] = (struct rank_case){NULL, "os", fx_layer(2, 16, 8, 7, 7, 3, 3)};
    cases[3] = (struct rank_case){"generic-16x16", "rs", fx_layer(1, 48, 24, 14, 14, 5, 5)};
    return 0;
}

/* Equal mappings compare equal as structs (unused slots stay zero). */
static bool same_mapping(const struct pesim_mapping *a, const struct pesim_mapping *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

static size_t candidates(const struct pesim_arch *a, const struct rank_case *c,
                         enum pesim_objective obj, struct pesim_mapping *out)
{
    size_t n = 0;
    assert_int_equal(pesim_df_candidates(pesim_df_find(c->df), a, &c->layer, obj, out,
                                         PESIM_SIM_RANKED, &n, NULL), 0);
    assert_true(n >= 1 && n <= PESIM_SIM_RANKED);
    return n;
}

static void test_candidates(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct rank_case *c = &cases[k];
        struct pesim_arch a = arch_of(c);
        for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++) {
            struct pesim_mapping cand[PESIM_SIM_RANKED], own;
            size_t n = candidates(&a, c, (enum pesim_objective)o, cand);
            assert_int_equal(pesim_df_map_for(pesim_df_find(c->df), &a, &c->layer,
                                              (enum pesim_objective)o, &own, NULL), 0);
            assert_true(same_mapping(&cand[0], &own));
            /* best first by the analysis: roofline cycles (latency) or
             * energy (energy) never improve down the list */
            struct pesim_layer_result prev, cur;
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(pesim_sim_layer(&a, &c->layer, &cand[i], "t", &cur, NULL), 0);
                if (i && o == PESIM_OBJECTIVE_LATENCY)
                    assert_true(cur.cycles >= prev.cycles);
                if (i && o == PESIM_OBJECTIVE_ENERGY)
                    assert_true(cur.energy.total >= prev.energy.total);
                for (size_t j = 0; j < i; j++) /* one per spatial mapping */
                    assert_false(memcmp(cand[i].spatial, cand[j].spatial, sizeof cand[i].spatial) == 0 &&
                                 memcmp(cand[i].nspatial, cand[j].nspatial, sizeof cand[i].nspatial) == 0);
                prev = cur;
            }
        }
    }
}

static void test_bad_cap(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(8, 8);
    struct pesim_layer l = fx_layer(1, 8, 8, 5, 5, 3, 3);
    struct pesim_mapping m[PESIM_DF_CANDIDATES_MAX + 1];
    size_t n = 7;
    const pesim_dataflow *df = pesim_df_find("ws");
    assert_int_equal(pesim_df_candidates(df, &a, &l, PESIM_OBJECTIVE_LATENCY, m, 0, &n, NULL),
                     PESIM_E_INVALID);
    assert_int_equal(n, 0);
    assert_int_equal(pesim_df_candidates(df, &a, &l, PESIM_OBJECTIVE_LATENCY, m,
                                         PESIM_DF_CANDIDATES_MAX + 1, &n, NULL),
                     PESIM_E_INVALID);
    assert_int_equal(pesim_df_candidates(df, &a, &l, PESIM_OBJECTIVE_COUNT, m, 1, &n, NULL),
                     PESIM_E_INVALID);
    assert_int_equal(pesim_df_candidates(df, &a, &l, PESIM_OBJECTIVE_LATENCY, m, 1, &n, NULL), 0);
    assert_int_equal(n, 1);
}

static double edp(const struct pesim_layer_result *r)
{
    return r->energy.total * (double)r->cycles;
}

/* The pick is the candidate the event engine runs fastest, the first of
 * equals; found again here by running them all. */
static void test_pick_is_fastest(void **state)
{
    (void)state;
    struct pesim_layer_result *r = malloc(sizeof *r), *got = malloc(sizeof *got);
    assert_non_null(r);
    assert_non_null(got);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct rank_case *c = &cases[k];
        struct pesim_arch a = arch_of(c);
        const enum pesim_objective objs[2] = {PESIM_OBJECTIVE_LATENCY, PESIM_OBJECTIVE_EDP};
        for (int oi = 0; oi < 2; oi++) {
            enum pesim_objective o = objs[oi];
            struct pesim_mapping cand[PESIM_SIM_RANKED];
            size_t n = candidates(&a, c, o, cand), best = 0;
            uint64_t best_cycles = 0, first_cycles = 0;
            double best_edp = 0;
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(pesim_sim_layer_engine(&a, &c->layer, &cand[i],
                                                        PESIM_ENGINE_EVENT, "t", r, NULL), 0);
                if (i == 0)
                    first_cycles = r->cycles;
                bool better = o == PESIM_OBJECTIVE_EDP
                                  ? edp(r) < best_edp || (edp(r) == best_edp && r->cycles < best_cycles)
                                  : r->cycles < best_cycles;
                if (i == 0 || better) {
                    best = i;
                    best_cycles = r->cycles;
                    best_edp = edp(r);
                }
            }
            assert_int_equal(pesim_sim_map_layer(pesim_df_find(c->df), &a, &c->layer, o,
                                                 PESIM_ENGINE_EVENT, "t", got, NULL), 0);
            printf("%s %s %s: %zu candidates, pick %zu: %llu cycles (mapper's own %llu)\n",
                   c->arch ? c->arch : "8x8", c->df, pesim_objective_name(o), n, best,
                   (unsigned long long)got->cycles, (unsigned long long)first_cycles);
            assert_true(same_mapping(&got->mapping, &cand[best]));
            assert_int_equal(got->cycles, best_cycles);
            assert_true(got->cycles <= first_cycles || o == PESIM_OBJECTIVE_EDP);
            assert_int_equal(got->engine, PESIM_ENGINE_EVENT);
            /* the mapping alone is the same pick */
            struct pesim_mapping m;
            assert_int_equal(pesim_sim_map(pesim_df_find(c->df), &a, &c->layer, o,
                                           PESIM_ENGINE_EVENT, &m, NULL), 0);
            assert_true(same_mapping(&m, &cand[best]));
        }
    }
    free(r);
    free(got);
}

/* The energy objective and the analysis engine keep the mapper's pick;
 * the step engine ranks as the event engine and runs the pick itself. */
static void test_who_ranks(void **state)
{
    (void)state;
    struct pesim_layer_result *r = malloc(sizeof *r), *ev = malloc(sizeof *ev);
    assert_non_null(r);
    assert_non_null(ev);
    const struct rank_case *c = &cases[2]; /* small: the step engine runs it */
    struct pesim_arch a = arch_of(c);
    const pesim_dataflow *df = pesim_df_find(c->df);
    for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++) {
        struct pesim_mapping own;
        assert_int_equal(pesim_df_map_for(df, &a, &c->layer, (enum pesim_objective)o, &own, NULL),
                         0);
        assert_int_equal(pesim_sim_map_layer(df, &a, &c->layer, (enum pesim_objective)o,
                                             PESIM_ENGINE_ANALYSIS, "t", r, NULL), 0);
        assert_true(same_mapping(&r->mapping, &own));
        assert_int_equal(r->engine, PESIM_ENGINE_ANALYSIS);
        assert_int_equal(pesim_sim_map_layer(df, &a, &c->layer, (enum pesim_objective)o,
                                             PESIM_ENGINE_EVENT, "t", ev, NULL), 0);
        if (o == PESIM_OBJECTIVE_ENERGY)
            assert_true(same_mapping(&ev->mapping, &own));
        assert_int_equal(pesim_sim_map_layer(df, &a, &c->layer, (enum pesim_objective)o,
                                             PESIM_ENGINE_STEP, "t", r, NULL), 0);
        assert_true(same_mapping(&r->mapping, &ev->mapping));
        assert_int_equal(r->engine, PESIM_ENGINE_STEP);
        assert_int_equal(r->cycles, ev->cycles); /* the engines agree */
    }
    free(r);
    free(ev);
}

/* Same inputs, same pick and counts, run after run. */
static void test_deterministic(void **state)
{
    (void)state;
    const struct rank_case *c = &cases[0];
    struct pesim_arch a = arch_of(c);
    struct pesim_layer_result *x = malloc(sizeof *x), *y = malloc(sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (int rep = 0; rep < 2; rep++) {
        assert_int_equal(pesim_sim_map_layer(pesim_df_find(c->df), &a, &c->layer,
                                             PESIM_OBJECTIVE_LATENCY, PESIM_ENGINE_EVENT, "t",
                                             rep ? y : x, NULL), 0);
    }
    assert_true(same_mapping(&x->mapping, &y->mapping));
    assert_int_equal(x->cycles, y->cycles);
    assert_true(x->energy.total == y->energy.total);
    assert_int_equal(x->events, y->events);
    free(x);
    free(y);
}

/* A run cut at `until` (pipeline_layer_until): one that ends by then is
 * the whole run; one that would end later stops with PESIM_E_RANGE. */
static void test_until(void **state)
{
    (void)state;
    const struct rank_case *c = &cases[0];
    struct pesim_arch a = arch_of(c);
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find(c->df), &a, &c->layer, &m, NULL), 0);
    struct pesim_layer_result *full = malloc(sizeof *full), *cut = malloc(sizeof *cut);
    assert_non_null(full);
    assert_non_null(cut);
    assert_int_equal(pesim_sim_layer_engine(&a, &c->layer, &m, PESIM_ENGINE_EVENT, "t", full,
                                            NULL), 0);
    assert_int_equal(pipeline_layer_until(&a, &c->layer, &m, full->cycles, "t", cut, NULL), 0);
    assert_int_equal(cut->cycles, full->cycles);
    assert_int_equal(cut->events, full->events);
    assert_int_equal(pipeline_layer_until(&a, &c->layer, &m, 0, "t", cut, NULL), 0);
    assert_int_equal(cut->cycles, full->cycles);
    assert_int_not_equal(pipeline_layer_until(&a, &c->layer, &m, full->cycles / 2, "t", cut,
                                              NULL), 0);
    free(full);
    free(cut);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_bad_cap),
        cmocka_unit_test(test_pick_is_fastest),
        cmocka_unit_test(test_who_ranks),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_until),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
