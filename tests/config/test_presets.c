/* Shipped architecture presets have their documented values; --set and
 * validate behave as documented. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "diag_text.h"

static void test_preset_names(void **state)
{
    (void)state;
    const char *const *names = pesim_arch_presets();
    assert_string_equal(names[0], "eyeriss-v1");
    assert_string_equal(names[1], "generic-16x16");
    assert_string_equal(names[2], "iso-256");
    assert_string_equal(names[3], "eyeriss-v1-45nm");
    assert_string_equal(names[4], "eyeriss-v1-spads");
    assert_string_equal(names[5], "simba-like");
    assert_string_equal(names[6], "tpu-v1-like");
    assert_string_equal(names[7], "gemmini-like");
    assert_null(names[8]);
    for (size_t i = 0; names[i]; i++) {
        struct pesim_arch a;
        pesim_diags *d = pesim_diags_create();
        assert_int_equal(pesim_arch_load(names[i], &a, d), 0);
        assert_int_equal(pesim_diags_count(d), 0);
        assert_string_equal(a.name, names[i]);
        assert_int_equal(pesim_arch_validate(&a, names[i], d), 0);
        pesim_diags_destroy(d);
    }
}

static void test_eyeriss(void **state)
{
    (void)state;
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    assert_int_equal(pesim_arch_pes(&a), 168);
    assert_int_equal(a.pe_array.rows, 12);
    assert_int_equal(a.pe_array.cols, 14);
    assert_false(a.pe_array.rf.shared);
    assert_int_equal(a.pe_array.rf.words[PESIM_DS_WEIGHTS], 224);
    assert_int_equal(a.pe_array.rf.words[PESIM_DS_INPUTS], 12);
    assert_int_equal(a.pe_array.rf.words[PESIM_DS_OUTPUTS], 24);
    assert_int_equal(a.glb.capacity_bytes, 102400);
    assert_false(a.glb.holds[PESIM_DS_WEIGHTS]);
    assert_true(a.glb.holds[PESIM_DS_INPUTS]);
    assert_true(a.glb.holds[PESIM_DS_OUTPUTS]);
    assert_true(fabs(a.clock_mhz - 200) < 1e-12);
    assert_true(fabs(a.dram.bandwidth_gbps - 0.48) < 1e-12);
    assert_true(fabs(pesim_arch_dram_bytes_per_cycle(&a) - 2.4) < 1e-9);
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        assert_int_equal(a.word_bits[ds], 16);
    assert_int_equal(a.energy.unit, PESIM_ENERGY_NORMALIZED);
    assert_true(a.energy.mac == 1 && a.energy.rf_read == 1 &&
                a.energy.rf_write == 1 && a.energy.noc == 2 &&
                a.energy.glb_read == 6 && a.energy.glb_write == 6 &&
                a.energy.dram_read == 200 && a.energy.dram_write == 200 &&
                a.energy.leakage_per_cycle == 0);
}

static void test_generic(void **state)
{
    (void)state;
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("generic-16x16", &a, NULL), 0);
    assert_int_equal(pesim_arch_pes(&a), 256);
    assert_int_equal(a.glb.capacity_bytes, 131072);
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        assert_true(a.glb.holds[ds]);
    assert_true(fabs(pesim_arch_dram_bytes_per_cycle(&a) - 16) < 1e-9);
    /* Energy left out: the book's defaults. */
    assert_true(a.energy.mac == 1 && a.energy.noc == 2 &&
                a.energy.glb_read == 6 && a.energy.dram_write == 200);
}

static void test_load_path_matches_preset(void **state)
{
    (void)state;
    struct pesim_arch a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    assert_int_equal(pesim_arch_load("configs/eyeriss-v1.yaml", &b, NULL), 0);
    assert_memory_equal(&a, &b, sizeof a);
}

static void test_defaults(void **state)
{
    (void)state;
    static const char text[] =
        "name: min\nclock_mhz: 100\n"
        "pe_array: {rows: 2, cols: 3, scratchpad: {shared: 64}}\n"
        "glb: {capacity_bytes: 4096}\ndram: {bandwidth_gbps: 2, "
        "latency_ns: 25}\n";
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load_string(text, strlen(text), "min.yaml", &a, d), 0);
    assert_true(a.pe_array.rf.shared);
    assert_int_equal(a.pe_array.rf.shared_words, 64);
    assert_int_equal(a.pe_array.mac_latency_cycles, 1);
    assert_int_equal(a.noc[PESIM_DS_INPUTS].width_words, 1);
    assert_true(a.noc[PESIM_DS_INPUTS].multicast);
    assert_int_equal(a.glb.banks, 1);
    assert_true(a.glb.holds[0] && a.glb.holds[1] && a.glb.holds[2]);
    assert_false(a.glb.double_buffer);
    /* 25 ns at 100 MHz = 2.5 cycles, rounded up. */
    assert_int_equal(a.dram.latency_cycles, 3);
    assert_int_equal(a.word_bits[PESIM_DS_OUTPUTS], 16);
    pesim_diags_destroy(d);
}

static void test_set(void **state)
{
    (void)state;
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    assert_int_equal(pesim_arch_set(&a, "pe_array.rows=16", d), 0);
    assert_int_equal(a.pe_array.rows, 16);
    assert_int_equal(pesim_arch_set(&a, "glb.holds=[weights,outputs]", d), 0);
    assert_true(a.glb.holds[PESIM_DS_WEIGHTS]);
    assert_false(a.glb.holds[PESIM_DS_INPUTS]);
    assert_true(a.glb.holds[PESIM_DS_OUTPUTS]);
    assert_int_equal(pesim_arch_set(&a, "dram.latency_ns=52", d), 0);
    assert_int_equal(a.dram.latency_cycles, 11); /* 10.4 -> 11 */
    assert_int_equal(pesim_arch_set(&a, "energy.unit=pJ", d), 0);
    assert_int_equal(a.energy.unit, PESIM_ENERGY_PJ);
    assert_int_equal(pesim_arch_set(&a, "name=mine", d), 0);
    assert_string_equal(a.name, "mine");
    /* A whole section replaces the old one. */
    assert_int_equal(pesim_arch_set(&a, "pe_array.scratchpad={shared: 512}", d), 0);
    assert_true(a.pe_array.rf.shared);
    assert_int_equal(a.pe_array.rf.shared_words, 512);
    assert_int_equal(a.pe_array.rf.words[PESIM_DS_WEIGHTS], 0);
    assert_int_equal(pesim_arch_set(&a, "noc.inputs={width_words: 8}", d), 0);
    assert_int_equal(a.noc[PESIM_DS_INPUTS].width_words, 8);
    assert_true(a.noc[PESIM_DS_INPUTS].multicast); /* default again */
    assert_int_equal(pesim_diags_count(d), 0);
    assert_int_equal(pesim_arch_validate(&a, "--set", d), 0);

    /* Round trip: set to a value and back restores the struct. */
    struct pesim_arch b, orig;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &orig, NULL), 0);
    memcpy(&b, &orig, sizeof b);
    assert_int_equal(pesim_arch_set(&b, "glb.capacity_bytes=4096", d), 0);
    assert_int_equal(pesim_arch_set(&b, "glb.capacity_bytes=102400", d), 0);
    assert_int_equal(pesim_arch_set(&b, "dram.bandwidth_gbps=2", d), 0);
    assert_int_equal(pesim_arch_set(&b, "dram.bandwidth_gbps=0.48", d), 0);
    assert_memory_equal(&b, &orig, sizeof b);
    pesim_diags_destroy(d);
}

static void test_validate(void **state)
{
    (void)state;
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    a.glb.capacity_bytes = 0;
    pesim_arch_expand(&a);
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_validate(&a, "x.yaml", d), PESIM_E_INVALID);
    char *got = diag_text(d);
    assert_string_equal(got, "x.yaml: error: glb.holds: holds inputs but "
                             "capacity_bytes is 0, expected [] for a GLB "
                             "without capacity\n");
    free(got);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_preset_names),
        cmocka_unit_test(test_eyeriss),
        cmocka_unit_test(test_generic),
        cmocka_unit_test(test_load_path_matches_preset),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests_name("config_presets", tests, NULL, NULL);
}
