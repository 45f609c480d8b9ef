/* Energy = actions x cost, on the hand-counted 1-D case of
 * tests/dataflows/test_analysis.c (P=4, R=3 in one PE's RF). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../dataflows/fixtures.h"

/* Accesses (from test_single_pe_1d):
 *   DRAM  reads W 3 + I 6 = 9, O updates 4            -> 9*200 + 4*200 = 2600
 *   GLB   reads W3 I6 O4 = 13, writes W3 I6 O4 = 13   -> 13*6 + 13*6   =  156
 *   NoC   W 3 + I 6 + O 4 = 13 words                  -> 13*2          =   26
 *   RF    reads W12 I12 O12 = 36, writes W3 I6 O12 = 21 -> 36 + 21     =   57
 *   MAC   12                                           ->                  12
 *   total 2851; by data: W 600+36+6+15 = 657, I 1200+72+12+18 = 1302,
 *   O 800+48+8+24 = 880. */
static void test_book_costs(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping m = fx_1d_mapping();
    struct pesim_analysis r;
    assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
    struct pesim_energy e;
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.by_level[PESIM_EL_DRAM], 2600, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_GLB], 156, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_NOC], 26, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_RF], 57, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_MAC], 12, 1e-9);
    assert_float_equal(e.total, 2851, 1e-9);
    assert_float_equal(e.per_mac, 2851.0 / 12, 1e-9);
    assert_float_equal(e.by_data[PESIM_DS_WEIGHTS], 657, 1e-9);
    assert_float_equal(e.by_data[PESIM_DS_INPUTS], 1302, 1e-9);
    assert_float_equal(e.by_data[PESIM_DS_OUTPUTS], 880, 1e-9);
    assert_float_equal(e.by[PESIM_EL_RF][PESIM_DS_OUTPUTS], 24, 1e-9);
    assert_float_equal(e.leakage, 0, 0);

    /* leakage is per cycle; read and write costs are separate */
    a.energy.leakage_per_cycle = 0.5;
    a.energy.dram_write = 100;
    pesim_arch_expand(&a);
    pesim_energy_compute(&a, &r, 20, &e);
    assert_float_equal(e.leakage, 10, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_DRAM], 1800 + 400, 1e-9);
    assert_float_equal(e.total, 2851 - 400 + 10, 1e-9);
}

/* The roofline: DRAM 1.0 GB/s at 100 MHz moves 10 bytes (5 words) per
 * cycle: 13 DRAM words take 3 cycles; 26 GLB accesses over 1 bank of 1
 * word take 26; the NoC's busiest bus (inputs, 6 words, 1 per cycle) 6;
 * compute 12. The GLB bounds the layer at 26 cycles. */
static void test_roofline(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping m = fx_1d_mapping();
    struct pesim_layer_result res;
    assert_int_equal(pesim_sim_layer(&a, &l, &m, "t", &res, NULL), 0);
    assert_int_equal(res.bound_cycles[PESIM_BOUND_COMPUTE], 12);
    assert_int_equal(res.bound_cycles[PESIM_BOUND_DRAM], 3);
    assert_int_equal(res.bound_cycles[PESIM_BOUND_GLB], 26);
    assert_int_equal(res.bound_cycles[PESIM_BOUND_NOC], 6);
    assert_int_equal(res.cycles, 26);
    assert_int_equal(res.bound, PESIM_BOUND_GLB);
    assert_float_equal(res.latency_us, 0.26, 1e-12);
    assert_float_equal(res.analysis.util_temporal, 12.0 / (16 * 26), 1e-12);

    /* Four banks of 2 words: GLB 4 cycles; now compute-bound. */
    a.glb.banks = 4;
    a.glb.bank_words_per_cycle = 2;
    pesim_arch_expand(&a);
    assert_int_equal(pesim_sim_layer(&a, &l, &m, "t", &res, NULL), 0);
    assert_int_equal(res.bound_cycles[PESIM_BOUND_GLB], 4);
    assert_int_equal(res.cycles, 12);
    assert_int_equal(res.bound, PESIM_BOUND_COMPUTE);

    /* The total of two layers sums cycles and energy. */
    struct pesim_layer_result two[2] = {res, res}, tot;
    pesim_sim_total(&a, two, 2, &tot);
    assert_int_equal(tot.cycles, 24);
    assert_int_equal(tot.analysis.macs, 24);
    assert_float_equal(tot.energy.total, 2 * res.energy.total, 1e-9);
    assert_float_equal(tot.analysis.util_spatial, 1.0 / 16, 1e-12);
}

/* Vector accesses, clusters and leakage on used instances (docs/model.md,
 * "Energy"), on the 1-D case in one PE (1 used instance of 1) and on a
 * 4-PE spread of it. */
static void test_blocks_clusters_leakage(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping m = fx_1d_mapping();
    struct pesim_analysis r;
    assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
    assert_int_equal(r.used_instances[PESIM_LEVEL_RF], 1);
    struct pesim_energy e;
    /* DRAM by blocks of 8 words: W 3 reads -> 1 block = 8 words, I 6 -> 8,
     * O 4 updates -> 8: (8 + 8) x 200 + 8 x 200 = 4800, not 2600 */
    a.level[PESIM_LEVEL_DRAM].block_words = 8;
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.by_level[PESIM_EL_DRAM], 4800, 1e-9);
    assert_float_equal(e.by[PESIM_EL_DRAM][PESIM_DS_WEIGHTS], 1600, 1e-9);
    a.level[PESIM_LEVEL_DRAM].block_words = 1;
    /* leakage of the RF level 0.25 per instance per cycle: 1 used of 16 PEs
     * -> 12 cycles x 0.25 x 1 = 3; of the MACs 0.5 on the 1 used: 6 */
    a.level[PESIM_LEVEL_RF].leakage = 0.25;
    a.energy.mac_leakage = 0.5;
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.leakage, 3 + 6, 1e-9);
    assert_float_equal(e.total, 2851 + 9, 1e-9);
    a.level[PESIM_LEVEL_RF].leakage = 0;
    a.energy.mac_leakage = 0;
    /* a cluster of 16 RFs sharing an access, 1 used: the RF's 57 cost 16x */
    a.level[PESIM_LEVEL_RF].cluster = 16;
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.by_level[PESIM_EL_RF], 57 * 16, 1e-9);
    /* P = 4 over 4 PEs (x): 4 used of a cluster of 16 -> 4x */
    struct pesim_mapping m4;
    memset(&m4, 0, sizeof m4);
    pesim_mapping_add_spatial(&m4, PESIM_LEVEL_GLB, PESIM_DIM_P, 4, PESIM_AXIS_X);
    pesim_mapping_add_temporal(&m4, PESIM_LEVEL_RF, PESIM_DIM_R, 3);
    assert_int_equal(pesim_map_analyze(&a, &l, &m4, &r), 0);
    assert_int_equal(r.used_instances[PESIM_LEVEL_RF], 4);
    pesim_energy_compute(&a, &r, 3, &e);
    struct pesim_energy plain;
    a.level[PESIM_LEVEL_RF].cluster = 1;
    pesim_energy_compute(&a, &r, 3, &plain);
    assert_float_equal(e.by_level[PESIM_EL_RF], 4 * plain.by_level[PESIM_EL_RF], 1e-9);
}

/* The ISCA 2016 accounting rules (docs/model.md §5) on the same 1-D case.
 * free_fills: the fills are free at the level they enter, the source's
 * read pays: GLB fills W 3 + I 6 = 9 (x 6 = 54) and RF fills W 3 + I 6 = 9
 * (x 1 = 9) drop; the psum updates (GLB 4, RF 12) stay:
 *   GLB 156 - 54 = 102, RF 57 - 9 = 48, total 2851 - 63 = 2788.
 * operands_from_rf: this RF reads both operands itself, nothing changes;
 * with the inputs bypassing the RF, each of the 12 MACs reads its input
 * from the RF anyway: +12 on the RF's input row. A PE with no storage at
 * all (every scratchpad 0 words, everything bypassed) reads nothing. */
static void test_isca16_rules(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer l = fx_1d_layer();
    struct pesim_mapping m = fx_1d_mapping();
    struct pesim_analysis r;
    struct pesim_energy e, off;
    assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
    a.energy.free_fills = true;
    pesim_arch_expand(&a);
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.by_level[PESIM_EL_DRAM], 2600, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_GLB], 102, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_NOC], 26, 1e-9);
    assert_float_equal(e.by_level[PESIM_EL_RF], 48, 1e-9);
    assert_float_equal(e.total, 2788, 1e-9);
    assert_float_equal(e.by[PESIM_EL_RF][PESIM_DS_OUTPUTS], 24, 1e-9);

    a.energy.free_fills = false;
    a.energy.operands_from_rf = true;
    pesim_arch_expand(&a);
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.total, 2851, 1e-9);

    m.bypass[PESIM_LEVEL_RF][PESIM_DS_INPUTS] = true;
    assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
    assert_int_equal(r.acc[PESIM_LEVEL_RF][PESIM_DS_INPUTS].reads, 0);
    pesim_energy_compute(&a, &r, 12, &e);
    a.energy.operands_from_rf = false;
    pesim_arch_expand(&a);
    pesim_energy_compute(&a, &r, 12, &off);
    assert_float_equal(e.by[PESIM_EL_RF][PESIM_DS_INPUTS] - off.by[PESIM_EL_RF][PESIM_DS_INPUTS],
                       12, 1e-9);
    assert_float_equal(e.by[PESIM_EL_RF][PESIM_DS_WEIGHTS], off.by[PESIM_EL_RF][PESIM_DS_WEIGHTS],
                       1e-9);
    assert_float_equal(e.total - off.total, 12, 1e-9);

    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        a.pe_array.rf.words[ds] = 0;
        m.bypass[PESIM_LEVEL_RF][ds] = true;
    }
    a.energy.operands_from_rf = true;
    pesim_arch_expand(&a);
    assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
    pesim_energy_compute(&a, &r, 12, &e);
    assert_float_equal(e.by_level[PESIM_EL_RF], 0, 0);
}

/* In the general form an operand kept in any PE level is read from there:
 * on eyeriss-v1-spads (ifmap, filter and psum scratchpads chained below the
 * array, psum innermost) row-stationary keeps both operands in PE levels,
 * so operands_from_rf charges nothing more. */
static void test_operands_chained_spads(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("eyeriss-v1-spads", &a, d), 0);
    assert_int_equal(pesim_workload_load("alexnet", &wl, d), 0);
    assert_int_equal(pesim_workload_select(&wl, "CONV3", d), 0);
    struct pesim_mapping m;
    struct pesim_analysis r;
    assert_int_equal(pesim_df_map_for(pesim_df_find("rs"), &a, &wl.layers[0],
                                      PESIM_OBJECTIVE_ENERGY, &m, d), 0);
    assert_int_equal(pesim_map_analyze(&a, &wl.layers[0], &m, &r), 0);
    /* the innermost (psum) scratchpad reads no weight or input itself */
    assert_int_equal(r.acc[a.nlevels - 1][PESIM_DS_WEIGHTS].reads, 0);
    assert_int_equal(r.acc[a.nlevels - 1][PESIM_DS_INPUTS].reads, 0);
    struct pesim_energy on, off;
    pesim_energy_compute(&a, &r, 1, &off);
    a.energy.operands_from_rf = true;
    pesim_energy_compute(&a, &r, 1, &on);
    assert_float_equal(on.total, off.total, 0);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_book_costs),
        cmocka_unit_test(test_blocks_clusters_leakage),
        cmocka_unit_test(test_roofline),
        cmocka_unit_test(test_isca16_rules),
        cmocka_unit_test(test_operands_chained_spads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
