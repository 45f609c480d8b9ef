/* The analysis on small layers whose counts are worked out by hand here.
 * Notation: tile = words a level holds; "fills" come from the parent,
 * "reads" go to the child (or the MAC, or up for outputs), "updates" are
 * psums written from below. See docs/model.md for the rules used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixtures.h"

static struct pesim_analysis run(const struct pesim_arch *a, const struct pesim_layer *l,
                                 const struct pesim_mapping *m)
{
    struct pesim_analysis r;
    assert_int_equal(pesim_map_check(a, l, m, "t", NULL), 0);
    assert_int_equal(pesim_map_analyze(a, l, m, &r), 0);
    return r;
}

/* 1-D conv P=4, R=3 entirely in one PE's RF: every data space comes from
 * DRAM once (W 3, I H=4+3-1=6, O 4); the RF serves 12 MACs: 12 weight and
 * 12 input reads; psums: 12 updates, 12-4=8 reads back (an element's first
 * MAC starts from zero, as Timeloop counts) and, apart, 4 drains to the GLB. */
static void test_single_pe_1d(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping m = fx_1d_mapping();
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 12);
    assert_int_equal(r.ideal_cycles, 12);
    assert_int_equal(r.active_pes, 1);
    assert_int_equal(ACC(&r, DRAM, WEIGHTS).reads, 3);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 6);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).updates, 4);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).reads, 0);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).fills, 3);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 3);
    assert_int_equal(ACC(&r, GLB, INPUTS).fills, 6);
    assert_int_equal(ACC(&r, GLB, INPUTS).reads, 6);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 4);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).reads, 0);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).drains, 4);
    assert_int_equal(ACC(&r, RF, WEIGHTS).fills, 3);
    assert_int_equal(ACC(&r, RF, WEIGHTS).reads, 12);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 6);
    assert_int_equal(ACC(&r, RF, INPUTS).reads, 12);
    assert_int_equal(ACC(&r, RF, OUTPUTS).updates, 12);
    assert_int_equal(ACC(&r, RF, OUTPUTS).reads, 8);
    assert_int_equal(ACC(&r, RF, OUTPUTS).drains, 4);
    assert_int_equal(ACC(&r, RF, OUTPUTS).fills, 0);
    assert_int_equal(ACC(&r, RF, INPUTS).tile_words, 6);
    assert_int_equal(ACC(&r, RF, WEIGHTS).tile_words, 3);
    assert_int_equal(ACC(&r, RF, OUTPUTS).tile_words, 4);
    assert_true(r.fits);
}

/* 1x1 layer M=2 C=2 P=3 weight-stationary: M on x, C on y, P in the RF,
 * which keeps only weights. Each PE gets its one weight (4 fills, 4 GLB
 * reads) and reads it 3 times. Inputs go GLB -> MAC: 6 distinct words sent,
 * each to the 2 PEs of its row (12 delivered). Psums are reduced over C in
 * the array: 12 leave the PEs, 6 reach the GLB, 6 additions on the way. */
static void test_ws_multicast_reduction(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 2, 2, 3, 1, 1, 1);
    struct pesim_mapping m = {0};
    SP(&m, M, 2, X);
    SP(&m, C, 2, Y);
    T(&m, RF, P, 3);
    m.bypass[PESIM_LEVEL_RF][PESIM_DS_INPUTS] = true;
    m.bypass[PESIM_LEVEL_RF][PESIM_DS_OUTPUTS] = true;
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 12);
    assert_int_equal(r.ideal_cycles, 3);
    assert_int_equal(r.active_pes, 4);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 4);
    assert_int_equal(ACC(&r, RF, WEIGHTS).fills, 4);
    assert_int_equal(ACC(&r, RF, WEIGHTS).reads, 12);
    assert_int_equal(ACC(&r, GLB, INPUTS).reads, 6);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 12);
    assert_int_equal(r.noc_sends[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 6);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 0);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 6);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).reads, 0); /* no reloads */
    assert_int_equal(ACC(&r, GLB, OUTPUTS).drains, 6); /* to DRAM */
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_OUTPUTS], 12);
    assert_int_equal(r.spatial_reductions, 6);
    assert_float_equal(r.util_spatial, 4.0 / 16, 1e-12);
    assert_float_equal(r.util_temporal, 12.0 / (16 * 3), 1e-12);
}

/* P=5 over 2 PEs x 3 RF steps: PE0 gets rows 0-2, PE1 rows 3-4 (its third
 * step is out of range and skipped). 3 cycles, 2 active PEs; the weight
 * reaches both PEs from one GLB read; the RF reads it 5 times. */
static void test_partial_tiles(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 1, 1, 5, 1, 1, 1);
    struct pesim_mapping m = {0};
    SP(&m, P, 2, X);
    T(&m, RF, P, 3);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 5);
    assert_int_equal(r.ideal_cycles, 3);
    assert_int_equal(r.active_pes, 2);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 5);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 1);
    assert_int_equal(ACC(&r, RF, WEIGHTS).fills, 2);
    assert_int_equal(ACC(&r, RF, WEIGHTS).reads, 5);
    assert_int_equal(ACC(&r, RF, OUTPUTS).updates, 5);
    assert_int_equal(ACC(&r, RF, OUTPUTS).reads, 0); /* every MAC starts its psum */
    assert_int_equal(ACC(&r, RF, OUTPUTS).drains, 5);
    assert_int_equal(ACC(&r, RF, INPUTS).tile_words, 3);
}

/* Loop order at DRAM decides reuse. 1x1 layer M=2 C=3 (W 6, I 3, O 2).
 * DRAM [M 2, C 3]: inputs change with C innermost and are fetched 2x3 = 6;
 * outputs stay over C: 2 drains, no reloads.
 * DRAM [C 3, M 2]: inputs stay over M: 3 fetches; outputs are revisited for
 * every C: 6 drains, 6-2 = 4 reloads. */
static void test_loop_order(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 2, 3, 1, 1, 1, 1);
    struct pesim_mapping m = {0};
    T(&m, DRAM, M, 2);
    T(&m, DRAM, C, 3);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 6);
    assert_int_equal(ACC(&r, DRAM, WEIGHTS).reads, 6);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).updates, 2);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).reads, 0);

    struct pesim_mapping m2 = {0};
    T(&m2, DRAM, C, 3);
    T(&m2, DRAM, M, 2);
    r = run(&a, &l, &m2);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 3);
    assert_int_equal(ACC(&r, DRAM, WEIGHTS).reads, 6);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).updates, 6);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).reads, 4);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).fills, 4);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).tile_words, 1);
}

/* Strided windows. U=2, P=3, R=3: H = (3-1)*2+3 = 7 rows, all touched.
 * With P at the GLB and R in the RF, each of the 3 RF tiles holds 3 rows:
 * 9 RF fills (rows 2 and 4 twice). With U=4 the rows 3 and 7 of the 11-row
 * window are never touched: 9 distinct rows come from DRAM. */
static void test_stride(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 1, 1, 3, 1, 3, 1);
    l.stride[0] = 2;
    struct pesim_mapping m = {0};
    T(&m, GLB, P, 3);
    T(&m, RF, R, 3);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(pesim_layer_h(&l), 7);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 7);
    assert_int_equal(ACC(&r, GLB, INPUTS).tile_words, 7);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 9);
    assert_int_equal(ACC(&r, RF, INPUTS).tile_words, 3);

    l.stride[0] = 4;
    r = run(&a, &l, &m);
    assert_int_equal(pesim_layer_h(&l), 11);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 9);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 9);
}

/* Output-stationary 2x2 outputs over a 3x3 filter: P on y, Q on x, R and S
 * in the RF which keeps outputs. Each cycle the 4 PEs need 4 different
 * inputs (36 sent, 36 delivered) and one weight multicast to all 4 (9 sent,
 * 36 delivered). Each PE accumulates 9 MACs: 36 updates, 36-4 reloads from
 * the RF, then 4 drains to the GLB. */
static void test_os_spatial_pq(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 1, 1, 2, 2, 3, 3);
    struct pesim_mapping m = {0};
    SP(&m, P, 2, Y);
    SP(&m, Q, 2, X);
    T(&m, RF, R, 3);
    T(&m, RF, S, 3);
    m.bypass[PESIM_LEVEL_RF][PESIM_DS_WEIGHTS] = true;
    m.bypass[PESIM_LEVEL_RF][PESIM_DS_INPUTS] = true;
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 36);
    assert_int_equal(r.ideal_cycles, 9);
    assert_int_equal(r.noc_sends[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 36);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 36);
    assert_int_equal(r.noc_sends[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS], 9);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS], 36);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 9);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 16);
    assert_int_equal(ACC(&r, RF, OUTPUTS).updates, 36);
    assert_int_equal(ACC(&r, RF, OUTPUTS).reads, 32);
    assert_int_equal(ACC(&r, RF, OUTPUTS).drains, 4);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 4);
    assert_int_equal(r.spatial_reductions, 0);
}

/* Row-stationary style: R=3 filter rows on y, P=2 output rows on x, one
 * input row per PE. The 6 PEs need rows p+r: only 4 distinct, so the GLB
 * reads 4 words and the diagonal multicast delivers 6. Psums of the 3 PEs of
 * a column are added in the array: 6 leave PEs, 2 reach the GLB. */
static void test_rs_diagonal_multicast(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 1, 1, 2, 1, 3, 1);
    struct pesim_mapping m = {0};
    SP(&m, R, 3, Y);
    SP(&m, P, 2, X);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 6);
    assert_int_equal(r.ideal_cycles, 1);
    assert_int_equal(r.active_pes, 6);
    assert_int_equal(ACC(&r, GLB, INPUTS).reads, 4);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 6);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 6);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 3);
    assert_int_equal(ACC(&r, RF, WEIGHTS).fills, 6);
    assert_int_equal(ACC(&r, RF, OUTPUTS).reads, 0);
    assert_int_equal(ACC(&r, RF, OUTPUTS).drains, 6);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 2);
    assert_int_equal(r.spatial_reductions, 4);
}

/* Eyeriss-style GLB that does not hold weights: weights go DRAM -> RF and
 * stay there across the batch loop at DRAM (2 DRAM reads, not 4). N=2 M=2. */
static void test_glb_bypass_batch(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    a.glb.holds[PESIM_DS_WEIGHTS] = false;
    pesim_arch_expand(&a);
    struct pesim_layer l = fx_layer(2, 2, 1, 1, 1, 1, 1);
    struct pesim_mapping m = {0};
    T(&m, DRAM, N, 2);
    T(&m, RF, M, 2);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 4);
    assert_int_equal(ACC(&r, DRAM, WEIGHTS).reads, 2);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 0);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).tile_words, 0);
    assert_int_equal(ACC(&r, RF, WEIGHTS).fills, 2);
    assert_int_equal(ACC(&r, RF, WEIGHTS).reads, 4);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS], 2);
    assert_int_equal(ACC(&r, DRAM, INPUTS).reads, 2);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 2);
    assert_int_equal(ACC(&r, RF, INPUTS).reads, 4);
    assert_int_equal(ACC(&r, RF, OUTPUTS).reads, 0);
    assert_int_equal(ACC(&r, RF, OUTPUTS).drains, 4);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 4);
    assert_int_equal(ACC(&r, DRAM, OUTPUTS).updates, 4);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).tile_words, 2);
    assert_int_equal(ACC(&r, RF, OUTPUTS).tile_words, 2);
    assert_int_equal(ACC(&r, RF, INPUTS).tile_words, 1);
}

/* No local reuse: the RF keeps nothing; 2x2 PEs over M and C with P=2 at
 * the GLB: every MAC operand comes over the NoC (weights 4 per cycle, 2
 * cycles: 8 delivered, 8 sent as each PE needs its own; inputs 2 distinct
 * per cycle multicast to 2 PEs). */
static void test_no_local_reuse(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_layer(1, 2, 2, 2, 1, 1, 1);
    struct pesim_mapping m = {0};
    T(&m, GLB, P, 2);
    SP(&m, M, 2, X);
    SP(&m, C, 2, Y);
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        m.bypass[PESIM_LEVEL_RF][ds] = true;
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.macs, 8);
    assert_int_equal(r.ideal_cycles, 2);
    assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 8);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS], 8);
    assert_int_equal(ACC(&r, GLB, INPUTS).reads, 4);
    assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 8);
    assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 4);
    assert_int_equal(r.spatial_reductions, 4);
    assert_int_equal(ACC(&r, RF, WEIGHTS).reads, 0);
}

/* Capacity: an RF of 12 input words cannot hold a 15-row strip; a GLB of
 * 100 bytes cannot hold 64 inputs + 60 outputs of 16 bits. */
static void test_capacity_messages(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    a.pe_array.rf.words[PESIM_DS_INPUTS] = 12;
    a.glb.capacity_bytes = 100;
    pesim_arch_expand(&a);
    struct pesim_layer l = fx_layer(1, 1, 1, 13, 1, 3, 1);
    struct pesim_mapping m = {0};
    T(&m, RF, P, 13);
    T(&m, RF, R, 3);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_false(r.fits);
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_map_check_fit(&a, &r, "m.yaml", d), PESIM_E_NOFIT);
    assert_int_equal(pesim_diags_count(d), 1);
    assert_string_equal(pesim_diags_get(d, 0)->msg,
                        "rf.inputs: tile needs 15 words, capacity 12 words (over by 3)");
    pesim_diags_destroy(d);

    a.pe_array.rf.words[PESIM_DS_INPUTS] = 64;
    pesim_arch_expand(&a);
    struct pesim_layer big = fx_layer(1, 1, 1, 60, 1, 5, 1);
    struct pesim_mapping m2 = {0};
    T(&m2, RF, P, 60);
    T(&m2, RF, R, 5);
    a.pe_array.rf.words[PESIM_DS_OUTPUTS] = 60;
    pesim_arch_expand(&a);
    r = run(&a, &big, &m2);
    d = pesim_diags_create();
    assert_int_equal(pesim_map_check_fit(&a, &r, "m.yaml", d), PESIM_E_NOFIT);
    assert_int_equal(pesim_diags_count(d), 1);
    assert_string_equal(pesim_diags_get(d, 0)->msg,
                        "glb (weights+inputs+outputs): tile needs 258 bytes, capacity 100 bytes (over by 158)");
    pesim_diags_destroy(d);

    /* A per data space cap inside the capacity: 5 filter words take 10 bytes */
    a.glb.capacity_bytes = 1000;
    a.glb.max_bytes[PESIM_DS_WEIGHTS] = 8;
    pesim_arch_expand(&a);
    r = run(&a, &big, &m2);
    assert_false(r.fits);
    d = pesim_diags_create();
    assert_int_equal(pesim_map_check_fit(&a, &r, "m.yaml", d), PESIM_E_NOFIT);
    assert_int_equal(pesim_diags_count(d), 1);
    assert_string_equal(pesim_diags_get(d, 0)->msg,
                        "glb.weights: tile needs 10 bytes, capacity 8 bytes (over by 2)");
    pesim_diags_destroy(d);
    a.glb.max_bytes[PESIM_DS_WEIGHTS] = 10;
    pesim_arch_expand(&a);
    r = run(&a, &big, &m2);
    assert_true(r.fits);
    a.glb.max_bytes[PESIM_DS_WEIGHTS] = 0;
    pesim_arch_expand(&a);

    a.glb.double_buffer = true;
    a.glb.capacity_bytes = 300;
    pesim_arch_expand(&a);
    r = run(&a, &big, &m2);
    assert_int_equal(r.need_words[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 128);
    assert_false(r.fits);
}

/* Mappings that do not cover the layer, or overfill an axis, are rejected
 * with one message each. */
static void test_check_messages(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(2, 3);
    struct pesim_layer l = fx_layer(1, 4, 3, 1, 1, 1, 1);
    struct pesim_mapping m = {0};
    T(&m, DRAM, M, 2);
    SP(&m, C, 4, X);
    m.bypass[PESIM_LEVEL_DRAM][PESIM_DS_INPUTS] = true;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_map_check(&a, &l, &m, "m.yaml", d), PESIM_E_INVALID);
    assert_int_equal(pesim_diags_count(d), 3);
    assert_string_equal(pesim_diags_get(d, 0)->msg,
                        "mapping: loops over M multiply to 2, expected at least M = 4 of layer t (the loop bounds must cover the layer)");
    assert_string_equal(pesim_diags_get(d, 1)->msg,
                        "mapping.spatial: loops on axis x multiply to 4, expected at most 3 (the array's columns)");
    assert_string_equal(pesim_diags_get(d, 2)->msg,
                        "mapping.dram.bypass: inputs, expected nothing (DRAM holds every data space)");
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_pe_1d),
        cmocka_unit_test(test_ws_multicast_reduction),
        cmocka_unit_test(test_partial_tiles),
        cmocka_unit_test(test_loop_order),
        cmocka_unit_test(test_stride),
        cmocka_unit_test(test_os_spatial_pq),
        cmocka_unit_test(test_rs_diagonal_multicast),
        cmocka_unit_test(test_glb_bypass_batch),
        cmocka_unit_test(test_no_local_reuse),
        cmocka_unit_test(test_capacity_messages),
        cmocka_unit_test(test_check_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
