/* The general presets on a whole network (issue 13's acceptance): every
 * AlexNet conv layer at batch 1, mapped by every dataflow on
 * eyeriss-v1-spads (five levels) and simba-like (six levels, three
 * fan-outs), counts the same in the analysis and the event engine, on
 * every level, network and data space; and on the shorter layers
 * (STEP_CYCLES) the step engine gives the event engine's cycles, stalls
 * and counts too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "pesim.h"

/* Layers the step engine also runs: up to 2^23 cycles, half its cap. The
 * step engine takes a time proportional to the cycles, and under the
 * sanitizers the layers between 2^23 and 2^24 cycles took four of this
 * test's five minutes while exercising the same code as the shorter ones;
 * eleven layers on eyeriss-v1-spads and 22 on simba-like stay (ws, os,
 * is and rs on both, os_a on simba-like). */
#define STEP_CYCLES (PESIM_STEP_MAX_CYCLES / 2)

static void same_counts(const struct pesim_arch *a, const struct pesim_layer_result *x,
                        const struct pesim_layer_result *y)
{
    for (unsigned lv = 0; lv < a->nlevels; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            assert_int_equal(x->analysis.acc[lv][ds].reads, y->analysis.acc[lv][ds].reads);
            assert_int_equal(x->analysis.acc[lv][ds].fills, y->analysis.acc[lv][ds].fills);
            assert_int_equal(x->analysis.acc[lv][ds].updates, y->analysis.acc[lv][ds].updates);
            assert_int_equal(x->analysis.noc_words[lv][ds], y->analysis.noc_words[lv][ds]);
            assert_int_equal(x->analysis.noc_sends[lv][ds], y->analysis.noc_sends[lv][ds]);
        }
    assert_int_equal(x->analysis.spatial_reductions, y->analysis.spatial_reductions);
    assert_int_equal(x->analysis.macs, y->analysis.macs);
}

static void run(const struct pesim_arch *a, const struct pesim_layer *l,
                const struct pesim_mapping *m, enum pesim_engine e,
                struct pesim_layer_result *r)
{
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sim_layer_engine(a, l, m, e, "t", r, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
}

static void agree(const char *arch_name, unsigned *stepped, unsigned *layers)
{
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load(arch_name, &a, NULL), 0);
    assert_true(a.general);
    struct pesim_workload wl;
    assert_int_equal(pesim_workload_load("alexnet", &wl, NULL), 0);
    for (size_t f = 0; f < pesim_df_count(); f++)
        for (size_t i = 0; i < wl.count; i++) {
            const struct pesim_layer *l = &wl.layers[i];
            if (l->kind != PESIM_LAYER_CONV)
                continue;
            struct pesim_mapping m;
            assert_int_equal(pesim_df_map(pesim_df_get(f), &a, l, &m, NULL), 0);
            struct pesim_layer_result an, ev, st;
            run(&a, l, &m, PESIM_ENGINE_ANALYSIS, &an);
            run(&a, l, &m, PESIM_ENGINE_EVENT, &ev);
            same_counts(&a, &an, &ev);
            assert_true(ev.cycles >= an.analysis.ideal_cycles);
            (*layers)++;
            if (ev.cycles >= STEP_CYCLES)
                continue;
            run(&a, l, &m, PESIM_ENGINE_STEP, &st);
            assert_int_equal(st.cycles, ev.cycles);
            assert_memory_equal(st.stalls, ev.stalls, sizeof st.stalls);
            same_counts(&a, &st, &ev);
            (*stepped)++;
        }
    pesim_workload_free(&wl);
}

static void test_eyeriss_spads(void **state)
{
    (void)state;
    unsigned stepped = 0, layers = 0;
    agree("eyeriss-v1-spads", &stepped, &layers);
    assert_int_equal(layers, 35); /* 7 dataflows x 5 conv layers */
    print_message("eyeriss-v1-spads: %u layers, %u also on the step engine\n", layers, stepped);
    assert_true(stepped >= 10);
}

static void test_simba_like(void **state)
{
    (void)state;
    unsigned stepped = 0, layers = 0;
    agree("simba-like", &stepped, &layers);
    assert_int_equal(layers, 35);
    print_message("simba-like: %u layers, %u also on the step engine\n", layers, stepped);
    assert_true(stepped >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eyeriss_spads),
        cmocka_unit_test(test_simba_like),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
