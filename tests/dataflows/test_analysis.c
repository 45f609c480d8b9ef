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

#include "nlevel_gen.h"

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

/* Exact-match against overlapping multicast (model.md, "Exact and
 * overlapping multicast"). P = 4 on x, R = 3 in each RF: PE p needs input
 * rows p .. p+2. An overlapping network sends the 6 rows once each (a PE
 * takes every word its tile holds); an exact one multicasts only identical
 * tiles, and no two PEs' tiles are identical: 4 x 3 = 12 sends. The PEs
 * receive 12 words either way. */
static void test_exact_multicast(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 1, 1, 4, 1, 3, 1);
    struct pesim_mapping m = {0};
    SP(&m, P, 4, X);
    T(&m, RF, R, 3);
    for (int exact = 0; exact < 2; exact++) {
        struct pesim_arch a = fx_arch(4, 4);
        a.level[PESIM_LEVEL_GLB].fanout.net[PESIM_DS_INPUTS].exact = exact;
        struct pesim_analysis r = run(&a, &l, &m);
        assert_int_equal(ACC(&r, GLB, INPUTS).reads, exact ? 12 : 6);
        assert_int_equal(r.noc_sends[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], exact ? 12 : 6);
        assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_INPUTS], 12);
        assert_int_equal(ACC(&r, RF, INPUTS).fills, 12);
        /* weights: one row per R step, the same in every PE either way */
        assert_int_equal(ACC(&r, GLB, WEIGHTS).reads, 3);
    }
    /* R = 3 on y, P = 2 on x, nothing in the RF: each PE's tile is one row
     * p + r, identical along a diagonal, so both kinds send 4 rows. */
    struct pesim_layer d = fx_layer(1, 1, 1, 2, 1, 3, 1);
    struct pesim_mapping md = {0};
    SP(&md, R, 3, Y);
    SP(&md, P, 2, X);
    struct pesim_arch a = fx_arch(4, 4);
    a.level[PESIM_LEVEL_GLB].fanout.net[PESIM_DS_INPUTS].exact = true;
    struct pesim_analysis r = run(&a, &d, &md);
    assert_int_equal(ACC(&r, GLB, INPUTS).reads, 4);
    assert_int_equal(ACC(&r, RF, INPUTS).fills, 6);
}

/* Psum reloads into one PE of a reduction group or into all (Timeloop).
 * 1x1 layer C = 4, P = 2; the GLB iterates C2 (outer) and P2, C2 spreads
 * over two PEs, each RF holds one output. Per PE 4 residencies of one
 * word: 8 drains, reduced to 4 GLB updates; an element's first residency
 * starts from zero, so 4 - 2 = 2 reloads leave the GLB. Into one PE: 2 RF
 * fills; into both: each PE gets back the 2 words of its second pass over
 * C, 8 drains - 4 first residencies = 4 fills. */
static void test_reload_all(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 1, 4, 2, 1, 1, 1);
    struct pesim_mapping m = {0};
    T(&m, GLB, C, 2);
    T(&m, GLB, P, 2);
    SP(&m, C, 2, X);
    for (int all = 0; all < 2; all++) {
        struct pesim_arch a = fx_arch(4, 4);
        a.level[PESIM_LEVEL_GLB].fanout.net[PESIM_DS_OUTPUTS].reload_all = all;
        struct pesim_analysis r = run(&a, &l, &m);
        assert_int_equal(ACC(&r, RF, OUTPUTS).drains, 8);
        assert_int_equal(ACC(&r, GLB, OUTPUTS).updates, 4);
        assert_int_equal(ACC(&r, GLB, OUTPUTS).reads, 2);
        assert_int_equal(ACC(&r, RF, OUTPUTS).fills, all ? 4 : 2);
        assert_int_equal(r.noc_sends[PESIM_LEVEL_GLB][PESIM_DS_OUTPUTS], 4 + 2);
        assert_int_equal(r.noc_words[PESIM_LEVEL_GLB][PESIM_DS_OUTPUTS], 8 + (all ? 4 : 2));
        assert_int_equal(r.spatial_reductions, 4);
    }
}

/* A reload_all network under one without it: the outer network gives each
 * reload to one child of its group, so the inner one fans it out inside
 * that child only. 1x1 layer C = 4, P = 2; DRAM iterates C2 (outer), P2
 * and spreads C2 over two children, each a 1x1 fan-out (reload_all) into
 * a level holding the outputs (the level between keeps none). Per child 4
 * residencies of one word: 8 drains, 4 DRAM updates, 4 - 2 = 2 reloads.
 * Without reload_all at the outer network they reach child C = 0 only, in
 * its second pass over C: 2 fills (counting both children would say 8 - 4
 * = 4, and child C = 1 would add the reloaded psum a second time); with
 * it, both children: 4 fills. */
static void test_reload_all_nested(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 1, 4, 2, 1, 1, 1);
    for (int all = 0; all < 2; all++) {
        struct pesim_arch a = nl_base_arch();
        a.nlevels = 3;
        for (unsigned lv = 0; lv < 3; lv++)
            nl_open_level(&a.level[lv], lv);
        a.level[1].holds[PESIM_DS_OUTPUTS] = false;
        for (unsigned lv = 0; lv < 2; lv++) {
            struct pesim_fanout_cfg *f = &a.level[lv].fanout;
            f->rows = 1;
            f->cols = lv == 0 ? 2 : 1;
            snprintf(f->name, sizeof f->name, "net%u", lv);
            for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
                f->net[ds] = (struct pesim_net_cfg){.width_words = 1, .multicast = true,
                                                    .reduce = true};
            f->net[PESIM_DS_OUTPUTS].reload_all = lv == 1 || all;
        }
        struct pesim_mapping m;
        memset(&m, 0, sizeof m);
        m.nlevels = 3;
        pesim_mapping_add_temporal(&m, 0, PESIM_DIM_C, 2);
        pesim_mapping_add_temporal(&m, 0, PESIM_DIM_P, 2);
        pesim_mapping_add_spatial(&m, 0, PESIM_DIM_C, 2, 0);
        struct pesim_analysis r = run(&a, &l, &m);
        const struct pesim_access *o0 = &r.acc[0][PESIM_DS_OUTPUTS], *o2 = &r.acc[2][PESIM_DS_OUTPUTS];
        assert_int_equal(o2->drains, 8);
        assert_int_equal(o0->updates, 4);
        assert_int_equal(o0->reads, 2);
        assert_int_equal(o2->fills, all ? 4 : 2);
        assert_int_equal(r.noc_sends[0][PESIM_DS_OUTPUTS], 4 + 2);
        assert_int_equal(r.noc_words[0][PESIM_DS_OUTPUTS], 8 + (all ? 4 : 2));
        assert_int_equal(r.noc_sends[1][PESIM_DS_OUTPUTS], 8 + (all ? 4 : 2));
        assert_int_equal(r.noc_words[1][PESIM_DS_OUTPUTS], 8 + (all ? 4 : 2));
    }
}


/* ---- Sliding windows (docs/model.md, "Sliding windows") ---- */

/* nl general levels, every one holding everything without limits; halo
 * on every level but DRAM as given. */
static struct pesim_arch slide_arch(unsigned nl, bool halo)
{
    struct pesim_arch a = nl_base_arch();
    a.nlevels = (uint8_t)nl;
    for (unsigned lv = 0; lv < nl; lv++) {
        nl_open_level(&a.level[lv], lv);
        a.level[lv].halo = lv > 0 && halo;
    }
    return a;
}

static struct pesim_mapping slide_mapping(unsigned nl)
{
    struct pesim_mapping m;
    memset(&m, 0, sizeof m);
    m.nlevels = (uint8_t)nl;
    return m;
}

#define LT(m, lv, d, b) pesim_mapping_add_temporal((m), (lv), PESIM_DIM_##d, (b))

/* Timeloop's exercise 01-model-conv1d-2level (Accelergy-Project/
 * timeloop-accelergy-exercises, commit 2d5510807128e9bd5f1cad0705cdf2ec
 * 4612fd4e, workspace/tutorial_exercises/01_accelergy_timeloop_2020_ispass/
 * timeloop/01-model-conv1d-2level): P = 16, R = 3, 18 input rows.
 * Output-stationary (map/conv1d-2level-os.map.yaml): P 16 at main memory,
 * R 3 in the buffer: the first 3-row tile, then 15 single new rows =
 * 18 buffer fills and 18 main-memory reads, the buffer reading 48 for the
 * MACs (ref-output/os/timeloop-model.stats.txt: Inputs fills 18, reads 48
 * at Buffer; reads 18 at MainMemory). Weight-stationary (R 3 at main
 * memory over a 16-row tile, ws.map.yaml): 16 + 1 + 1 = 18, the same
 * (ref-output/ws). With halo off: 16 x 3 = 3 x 16 = 48. */
static void test_slide_timeloop_conv1d(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 1, 1, 16, 1, 3, 1);
    for (int ws = 0; ws < 2; ws++)
        for (int halo = 0; halo < 2; halo++) {
            struct pesim_arch a = slide_arch(2, halo);
            struct pesim_mapping m = slide_mapping(2);
            if (ws) {
                LT(&m, 0, R, 3);
                LT(&m, 1, P, 16);
            } else {
                LT(&m, 0, P, 16);
                LT(&m, 1, R, 3);
            }
            struct pesim_analysis r = run(&a, &l, &m);
            uint64_t want = halo ? 18 : 48;
            assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, want);
            assert_int_equal(r.acc[0][PESIM_DS_INPUTS].reads, want);
            assert_int_equal(r.acc[1][PESIM_DS_INPUTS].reads, 48);
            assert_int_equal(r.acc[1][PESIM_DS_INPUTS].tile_words, ws ? 16 : 3); /* Utilized capacity */
            /* weights and outputs do not slide */
            assert_int_equal(r.acc[1][PESIM_DS_WEIGHTS].fills, 3);
        }
}

/* Exercise 03-model-conv1d+oc-3level (same repository and commit,
 * ref-output/no-bypass): K (pesim's M) 32, R 3, P 16; K 16 then P 16 at
 * the global buffer over a register-file tile of K 2, R 3. The P loop
 * slides the 3-row window; K outside it restarts it: 16 x (3 + 15) = 288
 * RF fills and GLB reads (Timeloop: RegisterFile Inputs fills 288,
 * GlobalBuffer reads 288, fills 18, MainMemory reads 18). Whole tiles:
 * 256 x 3 = 768. */
static void test_slide_timeloop_3level(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 32, 1, 16, 1, 3, 1);
    for (int halo = 0; halo < 2; halo++) {
        struct pesim_arch a = slide_arch(3, halo);
        struct pesim_mapping m = slide_mapping(3);
        LT(&m, 1, M, 16);
        LT(&m, 1, P, 16);
        LT(&m, 2, M, 2);
        LT(&m, 2, R, 3);
        struct pesim_analysis r = run(&a, &l, &m);
        assert_int_equal(r.acc[2][PESIM_DS_INPUTS].fills, halo ? 288 : 768);
        assert_int_equal(r.acc[1][PESIM_DS_INPUTS].reads, halo ? 288 : 768);
        assert_int_equal(r.acc[2][PESIM_DS_INPUTS].reads, 1536);
        assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 18);
        assert_int_equal(r.acc[0][PESIM_DS_INPUTS].reads, 18);
    }
}

/* Stride, dilation and a partial tile, each over a buffer tile of 2
 * output rows and the whole filter, a DRAM P loop sliding it:
 * - U = 2, P 6, R 3 (13 rows): tiles of (2-1)*2+3 = 5 rows, 4 rows apart:
 *   5 + 4 + 4 = 13 (whole: 15);
 * - dil = 3, P 4, R 2 (7 rows): tile {0,1,3,4} (4 rows, gappy: counted on
 *   the bitmap), then {2,3,5,6}, sharing row 3: 4 + 3 = 7 (whole: 8);
 * - P 5, R 3 (7 rows), 3 tiles of 2, 2, 1 rows: rows 0-3, then 2-5 (2 new),
 *   then the partial 4-6 (1 new): 4 + 2 + 1 = 7 (whole: 4 + 4 + 3 = 11). */
static void test_slide_stride_dilation_partial(void **state)
{
    (void)state;
    struct {
        uint64_t p, r, u, dil, slid, whole;
    } c[] = {{6, 3, 2, 1, 13, 15}, {4, 2, 1, 3, 7, 8}, {5, 3, 1, 1, 7, 11}};
    for (unsigned k = 0; k < sizeof c / sizeof c[0]; k++)
        for (int halo = 0; halo < 2; halo++) {
            struct pesim_layer l = fx_layer(1, 1, 1, c[k].p, 1, c[k].r, 1);
            l.stride[0] = (uint32_t)c[k].u;
            l.dilation[0] = (uint32_t)c[k].dil;
            struct pesim_arch a = slide_arch(2, halo);
            struct pesim_mapping m = slide_mapping(2);
            LT(&m, 0, P, (uint32_t)((c[k].p + 1) / 2));
            LT(&m, 1, P, 2);
            LT(&m, 1, R, (uint32_t)c[k].r);
            struct pesim_analysis r = run(&a, &l, &m);
            assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, halo ? c[k].slid : c[k].whole);
            assert_int_equal(r.acc[0][PESIM_DS_INPUTS].reads, halo ? c[k].slid : c[k].whole);
        }
}

/* Only the innermost refetch loop slides: with C inside the P loop (P 4
 * over C 2 at DRAM, the buffer's tile one channel of R 3 rows), each tile
 * follows one of the other channel, so nothing is kept: 4 x 2 x 3 = 24.
 * With C outside: 2 x (3 + 3 x 1) = 12. */
static void test_slide_innermost_only(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 1, 2, 4, 1, 3, 1);
    for (int outside = 0; outside < 2; outside++) {
        struct pesim_arch a = slide_arch(2, true);
        struct pesim_mapping m = slide_mapping(2);
        if (outside) {
            LT(&m, 0, C, 2);
            LT(&m, 0, P, 4);
        } else {
            LT(&m, 0, P, 4);
            LT(&m, 0, C, 2);
        }
        LT(&m, 1, R, 3);
        struct pesim_analysis r = run(&a, &l, &m);
        assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, outside ? 12 : 24);
    }
}

/* A stationary step between two slides restarts the window: with M 2
 * inside the main memory's P 16 (the buffer's 3-row tile reused across M),
 * every P step follows an M step that did not move the window, and the
 * tile comes whole: 16 x 3 = 48 (without the M loop: 18). Timeloop's
 * eyeriss_like example design shows it (same repository and commit,
 * workspace/example_designs/example_designs/eyeriss_like/ref_outputs/
 * default_problem/timeloop-mapper.{map.txt,stats.txt}): DRAM P 8, Q 2,
 * M 4 over a shared_glb tile of P 14, Q 56, C 3, R 3, S 3 at stride 2
 * (3 x 29 x 113 = 9831 words) gives shared_glb Inputs fills 157296 =
 * 16 x 9831, whole tiles, though consecutive Q tiles share a column. */
static void test_slide_stationary_step_restarts(void **state)
{
    (void)state;
    struct pesim_layer l = fx_layer(1, 2, 1, 16, 1, 3, 1);
    struct pesim_arch a = slide_arch(2, true);
    struct pesim_mapping m = slide_mapping(2);
    LT(&m, 0, P, 16);
    LT(&m, 0, M, 2);
    LT(&m, 1, R, 3);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 48);
    m = slide_mapping(2);
    LT(&m, 0, M, 2);
    LT(&m, 0, P, 16);
    LT(&m, 1, R, 3);
    r = run(&a, &l, &m);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 2 * 18);

    struct pesim_layer e = fx_layer(1, 32, 3, 112, 112, 3, 3);
    e.stride[0] = e.stride[1] = 2;
    m = slide_mapping(2);
    LT(&m, 0, P, 8);
    LT(&m, 0, Q, 2);
    LT(&m, 0, M, 4);
    LT(&m, 1, P, 14);
    LT(&m, 1, Q, 56);
    LT(&m, 1, C, 3);
    LT(&m, 1, S, 3);
    LT(&m, 1, R, 3);
    LT(&m, 1, M, 8);
    r = run(&a, &e, &m);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].tile_words, 9831);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 157296);
    assert_int_equal(r.acc[0][PESIM_DS_INPUTS].reads, 157296);
}

/* Timeloop's simba_like example design on the simba-like preset (same
 * repository and commit, workspace/example_designs/example_designs/
 * simba_like/ref_outputs/default_problem/timeloop-mapper.{map.txt,
 * stats.txt}): M 32, C 3, P = Q = 112, R = S = 3, stride 2; DRAM Q 28 over
 * a GlobalBuffer tile of 3 x 225 x 9 = 6075 words, each Q step sharing a
 * column: 6075 + 27 x 5400 = 151875 fills (whole tiles: 170100). Below
 * it, P 4 over spatial C 3 and M 4 (multicast) and per-PE tiles of
 * 57 x 9 = 513 words sharing a row: 28 x (513 + 3 x 504) = 56700 fills
 * per PEInputBuffer, 12 of them; the GlobalBuffer reads 170100 (M's
 * copies multicast) and each PEInputBuffer 225792. Every number is
 * Timeloop's. */
static void test_slide_timeloop_simba_like(void **state)
{
    (void)state;
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("simba-like", &a, NULL), 0);
    struct pesim_layer l = fx_layer(1, 32, 3, 112, 112, 3, 3);
    l.stride[0] = l.stride[1] = 2;
    struct pesim_mapping m = slide_mapping(a.nlevels);
    LT(&m, 0, Q, 28);
    LT(&m, 1, P, 4);
    pesim_mapping_add_spatial(&m, 1, PESIM_DIM_C, 3, PESIM_AXIS_X);
    pesim_mapping_add_spatial(&m, 1, PESIM_DIM_M, 4, PESIM_AXIS_X);
    LT(&m, 2, Q, 4);
    pesim_mapping_add_spatial(&m, 2, PESIM_DIM_M, 4, PESIM_AXIS_Y);
    LT(&m, 3, R, 3);
    LT(&m, 3, P, 4);
    LT(&m, 3, S, 3);
    LT(&m, 4, M, 2);
    LT(&m, 4, P, 7);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.acc[0][PESIM_DS_INPUTS].reads, 151875);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].tile_words, 6075);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 151875);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].reads, 170100);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].tile_words, 513);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].fills, 12 * 56700);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].reads, 12 * 225792);
}

/* Timeloop's exercise 06-mapper-convlayer-eyeriss (same repository and
 * commit, tutorial_exercises/01_accelergy_timeloop_2020_ispass/timeloop/
 * 06-mapper-convlayer-eyeriss/ref-output/timeloop-mapper.{map.txt,
 * stats.txt}): VGG02 layer 5 (M 256, C 128, P = Q = 56, R = S = 3) on an
 * Eyeriss-like hierarchy. The ifmap spad's tile (R 3 x C 8 = 24 words) is
 * slid by the buffer's P 8 below spatial Q 14, M 4, S 3 (a multicast on
 * the other axis): per P run 24 + 7 x 8 = 80 words, 3584 runs = 286720
 * fills per spad (whole tiles: 688128), 168 spads. DRAM's P 7 has M 4
 * inside it, so the buffer's tile comes whole: 112 x 5120 = 573440. */
static void test_slide_timeloop_eyeriss_convlayer(void **state)
{
    (void)state;
    struct pesim_arch a = slide_arch(5, true);
    struct pesim_fanout_cfg *f = &a.level[1].fanout;
    f->rows = 12;
    f->cols = 14;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        f->net[ds] = (struct pesim_net_cfg){.width_words = 1, .multicast = true, .reduce = true};
    struct pesim_layer l = fx_layer(1, 256, 128, 56, 56, 3, 3);
    struct pesim_mapping m = slide_mapping(5);
    LT(&m, 0, Q, 4);
    LT(&m, 0, C, 4);
    LT(&m, 0, P, 7);
    LT(&m, 0, M, 4);
    LT(&m, 1, M, 2);
    LT(&m, 1, C, 4);
    LT(&m, 1, P, 8);
    pesim_mapping_add_spatial(&m, 1, PESIM_DIM_Q, 14, PESIM_AXIS_X);
    pesim_mapping_add_spatial(&m, 1, PESIM_DIM_M, 4, PESIM_AXIS_Y);
    pesim_mapping_add_spatial(&m, 1, PESIM_DIM_S, 3, PESIM_AXIS_Y);
    LT(&m, 3, R, 3);
    LT(&m, 3, C, 8);
    LT(&m, 4, M, 8);
    /* ifmap_spad keeps inputs, weights_spad weights, psum_spad outputs */
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        m.bypass[2][ds] = ds != PESIM_DS_INPUTS;
        m.bypass[3][ds] = ds != PESIM_DS_WEIGHTS;
        m.bypass[4][ds] = ds != PESIM_DS_OUTPUTS;
        m.bypass[1][ds] = ds == PESIM_DS_WEIGHTS;
    }
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].tile_words, 24);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].fills, 168 * 286720);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].reads, 168 * 5505024);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].tile_words, 5120);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 573440);
    assert_int_equal(r.acc[0][PESIM_DS_INPUTS].reads, 573440);
}

/* The key: `halo` of the YAML form defaults to true, and false turns the
 * rule off for that level alone. */
static void test_slide_key(void **state)
{
    (void)state;
    static const char yaml[] =
        "name: k\nclock_mhz: 1000\ndram: {bandwidth_gbps: 0, latency_cycles: 0}\n"
        "energy: {unit: pJ, mac: 1, leakage_per_cycle: 0}\nlevels:\n"
        "  - {name: main_memory, read_energy: 1, write_energy: 1}\n"
        "  - {name: gb, read_energy: 1, write_energy: 1}\n"
        "  - {name: rf, halo: false, read_energy: 1, write_energy: 1}\n";
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load_string(yaml, sizeof yaml - 1, "k.yaml", &a, d), 0);
    pesim_diags_destroy(d);
    assert_true(a.level[1].halo);
    assert_false(a.level[2].halo);
    /* P 16 at DRAM over gb's P 1 x R 3 tile; rf under gb, R 3 inside it:
     * gb slides (18), rf takes whole tiles of gb's loops: none here, the
     * rf's tile spans the same R, one per P step: 16 x 3 = 48. */
    struct pesim_layer l = fx_layer(1, 1, 1, 16, 1, 3, 1);
    struct pesim_mapping m = slide_mapping(3);
    LT(&m, 0, P, 16);
    LT(&m, 2, R, 3);
    struct pesim_analysis r = run(&a, &l, &m);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].fills, 18);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].fills, 48);
    a.level[2].halo = true;
    r = run(&a, &l, &m);
    assert_int_equal(r.acc[2][PESIM_DS_INPUTS].fills, 18);
    assert_int_equal(r.acc[1][PESIM_DS_INPUTS].reads, 18);
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
        cmocka_unit_test(test_exact_multicast),
        cmocka_unit_test(test_reload_all),
        cmocka_unit_test(test_reload_all_nested),
        cmocka_unit_test(test_glb_bypass_batch),
        cmocka_unit_test(test_no_local_reuse),
        cmocka_unit_test(test_capacity_messages),
        cmocka_unit_test(test_check_messages),
        cmocka_unit_test(test_slide_timeloop_conv1d),
        cmocka_unit_test(test_slide_timeloop_3level),
        cmocka_unit_test(test_slide_stride_dilation_partial),
        cmocka_unit_test(test_slide_innermost_only),
        cmocka_unit_test(test_slide_stationary_step_restarts),
        cmocka_unit_test(test_slide_timeloop_simba_like),
        cmocka_unit_test(test_slide_timeloop_eyeriss_convlayer),
        cmocka_unit_test(test_slide_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
