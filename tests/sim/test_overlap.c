/* Transfers that overlap compute, and Timeloop's bandwidths (issue 14 item
 * 4; docs/model.md §8.3, §8.4), on Timeloop's Eyeriss-like example design
 * hand-translated (tests/sim/data/timeloop-eyeriss-like*.yaml, with their
 * source: Accelergy-Project/timeloop-accelergy-exercises, commit
 * 2d5510807128e9bd5f1cad0705cdf2ec4612fd4e, workspace/example_designs/
 * example_designs/eyeriss_like). Timeloop's published stats.txt there
 * gives 86016 cycles, the temporal iterations (8*2*4 * 14*4 * 3 * 8), and
 * "Bandwidth throttling: 1.00" at every level.
 *
 * - As declared (every level streams, Timeloop's bandwidths): no resource
 *   throttles, so the steady state (first compute to the last step's end)
 *   is exactly Timeloop's 86016; the whole run adds the prologue (the
 *   first GLB tile, 9831 inputs at 16 words per cycle: 615 cycles; the
 *   first ifmap-spad tile: 17) and the epilogue (the last psums drained:
 *   7), 86655 in all. Event == step, counts == the analysis's.
 * - The weights spad's read bandwidth lowered from 2 to 0.5 words per
 *   cycle: each step's 8 weight reads per PE take 16 cycles instead of 8.
 *   The analysis's roofline names weights_spad with Timeloop's throttling
 *   0.5 (86016 / 172032); the engine's steady state is 172032 and its
 *   stalls name weights_spad for the 86016 cycles it cost.
 * - Single-buffered (no stream): the fills wait for the previous step, as
 *   before this work (181,879 cycles then; 1.35-2.1x Timeloop's).
 * - bandwidth_gbps 0 with a level much faster than DRAM transfers take:
 *   nothing is ever charged to dram_bandwidth (it was, as the unlimited
 *   channel was held by transfers that other resources bounded). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim/analysis.h"
#include "pesim/arch.h"
#include "pesim/mapping.h"
#include "pesim/sim.h"
#include "pesim/workload.h"

#define DATA "tests/sim/data/timeloop-eyeriss-like"

enum { DRAM, GLB, IFMAP, WSPAD, PSUM };

struct tcase {
    struct pesim_arch arch;
    struct pesim_layer layer;
    struct pesim_mapping map;
};

static void load(struct tcase *t)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_workload wl;
    int rc = pesim_arch_load(DATA ".yaml", &t->arch, d);
    rc |= pesim_workload_load(DATA ".workload.yaml", &wl, d);
    rc |= pesim_mapping_load(DATA ".map.yaml", &t->map, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(wl.count, 1);
    t->layer = wl.layers[0];
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
    assert_int_equal(t->arch.nlevels, 5);
    assert_string_equal(t->arch.level[WSPAD].name, "weights_spad");
}

static void run(const struct tcase *t, enum pesim_engine e, struct pesim_layer_result *r)
{
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_sim_layer_engine(&t->arch, &t->layer, &t->map, e, "t", r, d);
    if (rc)
        pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    assert_int_equal(rc, 0);
}

/* Event and step agree on every cycle and stall; both count what the
 * analysis counts. */
static void agree(const struct tcase *t, struct pesim_layer_result *ev,
                  struct pesim_layer_result *an)
{
    struct pesim_layer_result st;
    run(t, PESIM_ENGINE_ANALYSIS, an);
    run(t, PESIM_ENGINE_EVENT, ev);
    run(t, PESIM_ENGINE_STEP, &st);
    assert_int_equal(ev->cycles, st.cycles);
    assert_int_equal(ev->steady_cycles, st.steady_cycles);
    assert_memory_equal(ev->stalls, st.stalls, sizeof ev->stalls);
    assert_memory_equal(ev->site_stalls, st.site_stalls, sizeof ev->site_stalls);
    for (int lv = 0; lv < 5; lv++)
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
            const struct pesim_access *x = &ev->analysis.acc[lv][ds], *y = &an->analysis.acc[lv][ds];
            assert_int_equal(x->reads, y->reads);
            assert_int_equal(x->fills, y->fills);
            assert_int_equal(x->updates, y->updates);
            assert_int_equal(x->drains, y->drains);
            assert_int_equal(st.analysis.acc[lv][ds].reads, y->reads);
        }
    assert_int_equal(ev->analysis.macs, 10838016); /* Timeloop: Computes 10838016 */
    uint64_t sum = 0;
    for (int s = 0; s < PESIM_STALL_COUNT; s++)
        sum += ev->stalls[s];
    assert_int_equal(sum, ev->cycles);
}

static void test_timeloop_cycles(void **state)
{
    (void)state;
    struct tcase t;
    load(&t);
    struct pesim_layer_result ev, an;
    agree(&t, &ev, &an);
    assert_int_equal(an.analysis.ideal_cycles, 86016);
    assert_int_equal(an.cycles, 86016);
    assert_int_equal(an.bound, PESIM_BOUND_COMPUTE);
    for (int lv = 0; lv < 5; lv++)
        assert_true(an.throttling[lv] == 1.0);
    assert_int_equal(ev.steady_cycles, 86016); /* Timeloop's cycles */
    assert_int_equal(ev.cycles, 86016 + 615 + 17 + 7);
    assert_int_equal(ev.stalls[PESIM_STALL_COMPUTE], 86016);
    assert_int_equal(ev.stalls[PESIM_STALL_GLB], 615 + 17 + 7);
    assert_int_equal(ev.site_stalls[GLB], 615 + 17 + 7);
    assert_int_equal(ev.stalls[PESIM_STALL_DRAM_BANDWIDTH], 0);
}

static void test_timeloop_throttled(void **state)
{
    (void)state;
    struct tcase t;
    load(&t);
    t.arch.level[WSPAD].read_bandwidth = 0.5;
    struct pesim_layer_result ev, an;
    agree(&t, &ev, &an);
    /* the roofline: weights_spad reads 8 words per PE per 8-cycle step */
    assert_int_equal(an.bound, PESIM_BOUND_GLB);
    assert_int_equal(an.bound_cycles[PESIM_BOUND_GLB], 172032);
    assert_int_equal(an.cycles, 172032);
    assert_true(an.throttling[WSPAD] == 0.5);
    for (int lv = 0; lv < 5; lv++)
        if (lv != WSPAD)
            assert_true(an.throttling[lv] == 1.0);
    /* the engine: the same, named by its resource */
    assert_int_equal(ev.steady_cycles, 172032);
    assert_int_equal(ev.site_stalls[WSPAD], 86016);
    assert_int_equal(ev.site_stalls[IFMAP] + ev.site_stalls[PSUM], 0);
    assert_int_equal(ev.cycles, 172032 + 615 + 17 + 7);
}

static void test_single_buffered(void **state)
{
    (void)state;
    struct tcase t;
    load(&t);
    for (int lv = 1; lv < 5; lv++)
        t.arch.level[lv].stream = false;
    struct pesim_layer_result ev, an;
    agree(&t, &ev, &an);
    assert_true(ev.steady_cycles > 86016 * 13 / 10); /* the fills wait */
    /* double buffering overlaps exactly as streaming does */
    for (int lv = 1; lv < 5; lv++)
        t.arch.level[lv].double_buffer = true;
    agree(&t, &ev, &an);
    assert_int_equal(ev.steady_cycles, 86016);
    assert_int_equal(ev.cycles, 86016 + 615 + 17 + 7);
}

/* bandwidth_gbps 0: the channel takes no time, so no transfer waits for
 * it, even when a slow level makes DRAM transfers long (here the GLB's
 * write bandwidth at 1 word per cycle, single-buffered, so DRAM transfers
 * pile up behind each other) */
static void test_unlimited_dram(void **state)
{
    (void)state;
    struct tcase t;
    load(&t);
    assert_true(t.arch.dram.bandwidth_gbps == 0);
    for (int lv = 1; lv < 5; lv++)
        t.arch.level[lv].stream = false;
    t.arch.level[GLB].write_bandwidth = 1;
    t.arch.level[GLB].read_bandwidth = 1000;
    struct pesim_layer_result ev, an;
    agree(&t, &ev, &an);
    assert_true(ev.stalls[PESIM_STALL_GLB] > 0);
    assert_int_equal(ev.stalls[PESIM_STALL_DRAM_BANDWIDTH], 0);
    assert_int_equal(ev.site_stalls[DRAM], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeloop_cycles),
        cmocka_unit_test(test_timeloop_throttled),
        cmocka_unit_test(test_single_buffered),
        cmocka_unit_test(test_unlimited_dram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
