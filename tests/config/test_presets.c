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
    /* Derived from the 2 x 3 array (docs/config.md, "Derived defaults"):
     * inputs enter along the 2 rows, weights and psums along the 3 columns;
     * a 3-word bank and a read and a write port per data space held. */
    assert_int_equal(a.noc[PESIM_DS_INPUTS].width_words, 2);
    assert_int_equal(a.noc[PESIM_DS_WEIGHTS].width_words, 3);
    assert_int_equal(a.noc[PESIM_DS_OUTPUTS].width_words, 3);
    assert_true(a.noc[PESIM_DS_INPUTS].width_derived);
    assert_true(a.noc[PESIM_DS_INPUTS].multicast);
    assert_int_equal(a.glb.banks, 3);
    assert_int_equal(a.glb.bank_words_per_cycle, 3);
    assert_int_equal(a.glb.read_ports, 3);
    assert_int_equal(a.glb.write_ports, 3);
    /* the levels every model reads have them too */
    assert_int_equal(a.level[PESIM_LEVEL_GLB].fanout.net[PESIM_DS_INPUTS].width_words, 2);
    assert_int_equal(a.level[PESIM_LEVEL_GLB].banks, 3);
    assert_true(a.glb.holds[0] && a.glb.holds[1] && a.glb.holds[2]);
    assert_false(a.glb.double_buffer);
    /* 25 ns at 100 MHz = 2.5 cycles, rounded up. */
    assert_int_equal(a.dram.latency_cycles, 3);
    assert_int_equal(a.word_bits[PESIM_DS_OUTPUTS], 16);
    pesim_diags_destroy(d);
}

/* The derived defaults on a few arrays, by hand: widths from the edges,
 * the GLB from the widths of what it holds. */
static void load_min(const char *array, const char *glb, struct pesim_arch *a)
{
    char text[512];
    snprintf(text, sizeof text,
             "name: min\nclock_mhz: 100\npe_array: {%s, scratchpad: {shared: 64}}\n"
             "glb: {capacity_bytes: 4096%s\ndram: {bandwidth_gbps: 2}\n",
             array, *glb ? glb : "}");
    assert_int_equal(pesim_arch_load_string(text, strlen(text), "min.yaml", a, NULL), 0);
}

static void assert_derived(const struct pesim_arch *a, uint32_t w, uint32_t in, uint32_t out,
                           uint32_t banks, uint32_t bank_words, uint32_t ports)
{
    assert_int_equal(a->noc[PESIM_DS_WEIGHTS].width_words, w);
    assert_int_equal(a->noc[PESIM_DS_INPUTS].width_words, in);
    assert_int_equal(a->noc[PESIM_DS_OUTPUTS].width_words, out);
    assert_int_equal(a->glb.banks, banks);
    assert_int_equal(a->glb.bank_words_per_cycle, bank_words);
    assert_int_equal(a->glb.read_ports, ports);
    assert_int_equal(a->glb.write_ports, ports);
}

static void test_derived_defaults(void **state)
{
    (void)state;
    struct pesim_arch a;
    load_min("rows: 32, cols: 32", "", &a);
    assert_derived(&a, 32, 32, 32, 3, 32, 3);
    /* non-square: the widest bus sets the bank width */
    load_min("rows: 16, cols: 64", "", &a);
    assert_derived(&a, 64, 16, 64, 3, 64, 3);
    load_min("rows: 64, cols: 16", "", &a);
    assert_derived(&a, 16, 64, 16, 3, 64, 3);
    /* one row: a single input word feeds the whole row */
    load_min("rows: 1, cols: 8", "", &a);
    assert_derived(&a, 8, 1, 8, 3, 8, 3);
    /* a GLB holding two data spaces: two banks, two ports each way, as
     * wide as the widest of their buses (the weights' is not fed from it) */
    load_min("rows: 8, cols: 4", ", holds: [inputs, outputs]}", &a);
    assert_derived(&a, 4, 8, 4, 2, 8, 2);
    /* more banks given: the bank width splits the bus over a partition's
     * banks (6 banks, 2 per data space, 32 / 2) */
    load_min("rows: 32, cols: 32", ", banks: 6}", &a);
    assert_derived(&a, 32, 32, 32, 6, 16, 3);
    assert_false(a.glb.banks_derived);
    /* an unlimited bus given: banks without a limit feed it */
    load_min("rows: 4, cols: 4", "}\nnoc: {inputs: {width_words: 0}}", &a);
    assert_derived(&a, 4, 0, 4, 3, 0, 3);
    assert_false(a.noc[PESIM_DS_INPUTS].width_derived);
}

/* --set: a key set is the user's from then on; a change of the array
 * derives the others again; a section replaced derives what it leaves out. */
static void test_derived_set(void **state)
{
    (void)state;
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    load_min("rows: 32, cols: 32", "", &a);
    assert_int_equal(pesim_arch_set(&a, "noc.inputs.width_words=1", d), 0);
    assert_derived(&a, 32, 1, 32, 3, 32, 3);
    assert_int_equal(pesim_arch_set(&a, "pe_array.rows=16", d), 0);
    assert_int_equal(pesim_arch_set(&a, "pe_array.cols=8", d), 0);
    assert_derived(&a, 8, 1, 8, 3, 8, 3);
    assert_int_equal(a.level[PESIM_LEVEL_GLB].fanout.net[PESIM_DS_WEIGHTS].width_words, 8);
    assert_int_equal(pesim_arch_set(&a, "noc={outputs: {multicast: false}}", d), 0);
    assert_derived(&a, 8, 16, 8, 3, 16, 3);
    assert_int_equal(pesim_arch_set(&a, "glb.read_ports=1", d), 0);
    assert_int_equal(pesim_arch_set(&a, "glb.holds=[outputs]", d), 0);
    assert_int_equal(a.glb.read_ports, 1);
    assert_int_equal(a.glb.write_ports, 1);
    assert_int_equal(a.glb.banks, 1);
    assert_int_equal(a.glb.bank_words_per_cycle, 8);
    double v = 0;
    assert_int_equal(pesim_arch_get_number(&a, "glb.bank_words_per_cycle", &v), 0);
    assert_true(v == 8);
    /* the presets state every one of these keys: nothing derived */
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    assert_false(a.noc[PESIM_DS_INPUTS].width_derived || a.glb.banks_derived ||
                 a.glb.bank_words_derived || a.glb.read_ports_derived ||
                 a.glb.write_ports_derived);
    assert_int_equal(pesim_arch_set(&a, "pe_array.rows=4", d), 0);
    assert_int_equal(a.noc[PESIM_DS_INPUTS].width_words, 1);
    assert_int_equal(pesim_diags_count(d), 0);
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
        cmocka_unit_test(test_derived_defaults),
        cmocka_unit_test(test_derived_set),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests_name("config_presets", tests, NULL, NULL);
}
