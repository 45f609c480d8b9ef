/* A systolic fan-out's timing (docs/systolic.md, "The model"), by hand on a
 * 4x4 array: each fold pays (rows - 1) + (cols - 1) cycles of skew and,
 * when the PE keeps an operand, rows cycles to shift a new tile in (only
 * the first when the PE is double-buffered); a step that continues the
 * same stationary tile pays nothing; the extra cycles are fill_drain; the
 * analysis, the event engine and the step engine agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../config/diag_text.h"
#include "pesim.h"

static const char arch_text[] =
    "name: sa4\n"
    "clock_mhz: 1000\n"
    "word_bits: {weights: 8, inputs: 8, outputs: 8}\n"
    "im2col: true\n"
    "dram: {bandwidth_gbps: 0, latency_cycles: 0}\n"
    "levels:\n"
    "  - {name: dram, read_energy: 200, write_energy: 200}\n"
    "  - name: sram\n"
    "    holds: [weights, inputs, outputs]\n"
    "    double_buffer: true\n"
    "    bank_words_per_cycle: 0\n"
    "    read_energy: 6\n"
    "    write_energy: 6\n"
    "    fanout:\n"
    "      rows: 4\n"
    "      cols: 4\n"
    "      systolic: true\n"
    "      energy: 2\n"
    "      network: {weights: {width_words: 0}, inputs: {width_words: 0}, "
    "outputs: {width_words: 0}}\n"
    "  - name: pe\n"
    "    holds: [weights, inputs, outputs]\n"
    "    ds_words: {weights: 2, inputs: 2, outputs: 2}\n"
    "    read_energy: 1\n"
    "    write_energy: 1\n";

static void load(struct pesim_arch *a, bool pe_double)
{
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load_string(arch_text, sizeof arch_text - 1, "sa4.yaml", a, d),
                     0);
    if (pe_double)
        assert_int_equal(pesim_arch_set(a, "levels.pe.double_buffer=true", d), 0);
    pesim_diags_destroy(d);
}

/* A GEMM: 10 pixels (N), a window of 6 (C), 5 filters (M). */
static struct pesim_layer gemm(void)
{
    struct pesim_layer l = {.name = "g", .kind = PESIM_LAYER_GEMM,
                            .dim = {[PESIM_DIM_N] = 10, [PESIM_DIM_G] = 1, [PESIM_DIM_M] = 5,
                                    [PESIM_DIM_C] = 6, [PESIM_DIM_P] = 1, [PESIM_DIM_Q] = 1,
                                    [PESIM_DIM_R] = 1, [PESIM_DIM_S] = 1},
                            .stride = {1, 1}, .dilation = {1, 1}};
    return l;
}

/* Run m on every engine; the analysis's ideal, the event and step engines'
 * steady state and stalls agree; returns the event engine's result. */
static struct pesim_layer_result run_all(const struct pesim_arch *a, const struct pesim_layer *l,
                                         const struct pesim_mapping *m)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_layer_result an, ev, st;
    assert_int_equal(pesim_sim_layer_engine(a, l, m, PESIM_ENGINE_ANALYSIS, "t", &an, d), 0);
    assert_int_equal(pesim_sim_layer_engine(a, l, m, PESIM_ENGINE_EVENT, "t", &ev, d), 0);
    assert_int_equal(pesim_sim_layer_engine(a, l, m, PESIM_ENGINE_STEP, "t", &st, d), 0);
    assert_int_equal(ev.steady_cycles, an.analysis.ideal_cycles);
    assert_int_equal(st.cycles, ev.cycles);
    assert_memory_equal(st.stalls, ev.stalls, sizeof ev.stalls);
    pesim_diags_destroy(d);
    return ev;
}

/* sa-ws: C on the 4 rows (2 folds), M on the 4 columns (2 folds), the 10
 * pixels streamed: 4 folds of 10 + 3 + 3 + 4 (the shift) = 20 cycles. */
static void test_ws_folds(void **state)
{
    (void)state;
    struct pesim_arch a;
    load(&a, false);
    struct pesim_layer l = gemm();
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find("sa-ws"), &a, &l, &m, NULL), 0);
    struct pesim_layer_result r = run_all(&a, &l, &m);
    assert_int_equal(r.analysis.folds, 4);
    assert_int_equal(r.analysis.systolic_cycles, 4 * (3 + 3 + 4));
    assert_int_equal(r.steady_cycles, 4 * 20);
    assert_int_equal(r.stalls[PESIM_STALL_COMPUTE], 4 * 10);
    assert_int_equal(r.stalls[PESIM_STALL_FILL_DRAIN], 4 * 10);
    /* mapping efficiency: PEs used per fold 4x4, 4x1, 2x4, 2x1 of 16 */
    assert_int_equal(r.analysis.fold_pes, 16 + 4 + 8 + 2);
}

/* A double-buffered PE shifts the next weight tile in behind the current
 * fold: only the first shift (4 cycles) is in the way. */
static void test_double_buffered_pe(void **state)
{
    (void)state;
    struct pesim_arch a;
    load(&a, true);
    struct pesim_layer l = gemm();
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find("sa-ws"), &a, &l, &m, NULL), 0);
    struct pesim_layer_result r = run_all(&a, &l, &m);
    assert_int_equal(r.analysis.systolic_cycles, 4 * (3 + 3) + 4);
    assert_int_equal(r.steady_cycles, 4 * 16 + 4);
}

/* sa-os keeps outputs: no shift; the window (6) streams: folds of the 10
 * pixels over 4 rows (3) and the 5 filters over 4 columns (2), each
 * 6 + 3 + 3 = 12 cycles. */
static void test_os_no_shift(void **state)
{
    (void)state;
    struct pesim_arch a;
    load(&a, false);
    struct pesim_layer l = gemm();
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find("sa-os"), &a, &l, &m, NULL), 0);
    struct pesim_layer_result r = run_all(&a, &l, &m);
    assert_int_equal(r.analysis.folds, 6);
    assert_int_equal(r.steady_cycles, 6 * 12);
}

/* sa-ws's loops by hand with the pixel stream cut into two chunks of 5:
 * the chunk loop inside the two folds loops (the same weights through
 * both chunks) or outside them. */
static void chunked(struct pesim_mapping *m, bool chunks_outside)
{
    memset(m, 0, sizeof *m);
    m->nlevels = 3;
    if (chunks_outside)
        assert_int_equal(pesim_mapping_add_temporal(m, 1, PESIM_DIM_N, 2), 0);
    assert_int_equal(pesim_mapping_add_temporal(m, 1, PESIM_DIM_M, 2), 0);
    assert_int_equal(pesim_mapping_add_temporal(m, 1, PESIM_DIM_C, 2), 0);
    if (!chunks_outside)
        assert_int_equal(pesim_mapping_add_temporal(m, 1, PESIM_DIM_N, 2), 0);
    assert_int_equal(pesim_mapping_add_spatial(m, 1, PESIM_DIM_M, 4, PESIM_AXIS_X), 0);
    assert_int_equal(pesim_mapping_add_spatial(m, 1, PESIM_DIM_C, 4, PESIM_AXIS_Y), 0);
    assert_int_equal(pesim_mapping_add_temporal(m, 2, PESIM_DIM_N, 5), 0);
    m->bypass[2][PESIM_DS_INPUTS] = m->bypass[2][PESIM_DS_OUTPUTS] = true;
}

/* Two chunks through the same weights: eight steps, still four folds and
 * the same cycles; with the chunk loop outside, every step is a new
 * weight tile: eight folds of 5 + 10. */
static void test_chunks_continue_the_fold(void **state)
{
    (void)state;
    struct pesim_arch a;
    load(&a, false);
    struct pesim_layer l = gemm();
    struct pesim_mapping m;
    chunked(&m, false);
    struct pesim_layer_result r = run_all(&a, &l, &m);
    assert_int_equal(r.analysis.folds, 4);
    assert_int_equal(r.steady_cycles, 4 * 20);
    chunked(&m, true);
    r = run_all(&a, &l, &m);
    assert_int_equal(r.analysis.folds, 8);
    assert_int_equal(r.steady_cycles, 8 * (5 + 10));
}

/* Pixels on x and the window on y while the PEs keep weights: the inputs
 * would differ along both axes, which forwarding cannot deliver. */
static void test_forwarding_axes(void **state)
{
    (void)state;
    struct pesim_arch a;
    load(&a, false);
    struct pesim_layer l = gemm();
    struct pesim_mapping m;
    memset(&m, 0, sizeof m);
    m.nlevels = 3;
    assert_int_equal(pesim_mapping_add_temporal(&m, 1, PESIM_DIM_M, 5), 0);
    assert_int_equal(pesim_mapping_add_temporal(&m, 1, PESIM_DIM_C, 2), 0);
    assert_int_equal(pesim_mapping_add_temporal(&m, 1, PESIM_DIM_N, 3), 0);
    assert_int_equal(pesim_mapping_add_spatial(&m, 1, PESIM_DIM_N, 4, PESIM_AXIS_X), 0);
    assert_int_equal(pesim_mapping_add_spatial(&m, 1, PESIM_DIM_C, 4, PESIM_AXIS_Y), 0);
    m.bypass[2][PESIM_DS_INPUTS] = m.bypass[2][PESIM_DS_OUTPUTS] = true;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_map_check(&a, &l, &m, "m.yaml", d), PESIM_E_INVALID);
    char *buf = diag_text(d);
    assert_string_equal(buf, "m.yaml: error: mapping.sram.spatial: inputs vary along both axes "
                             "of the systolic array (x: N, y: C), expected one axis of dims they "
                             "do not index (the array forwards them along it; "
                             "docs/systolic.md)\n");
    free(buf);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ws_folds),
        cmocka_unit_test(test_double_buffered_pe),
        cmocka_unit_test(test_os_no_shift),
        cmocka_unit_test(test_chunks_continue_the_fold),
        cmocka_unit_test(test_forwarding_axes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
