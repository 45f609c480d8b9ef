/* The general form of the architecture (levels:) and of the mapping: the
 * shipped general presets as their sources give them, the shorthand's
 * expansion, golden messages for bad files, and agreement between the
 * shorthand and the same hierarchy written as a list. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag_text.h"
#include "pesim.h"

static struct pesim_arch load(const char *name)
{
    struct pesim_arch a;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_arch_load(name, &a, d);
    if (rc) {
        char *t = diag_text(d);
        print_error("%s", t);
        free(t);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    return a;
}

static void test_shorthand_expands(void **state)
{
    (void)state;
    struct pesim_arch a = load("eyeriss-v1");
    assert_false(a.general);
    assert_int_equal(a.nlevels, 3);
    const struct pesim_level_cfg *g = &a.level[PESIM_LEVEL_GLB], *r = &a.level[PESIM_LEVEL_RF];
    assert_string_equal(a.level[0].name, "dram");
    assert_string_equal(g->name, "glb");
    assert_string_equal(r->name, "rf");
    assert_int_equal(g->bytes, 102400);
    assert_true(g->ds_bytes[PESIM_DS_INPUTS] == PESIM_UNLIMITED);
    assert_false(g->holds[PESIM_DS_WEIGHTS]);
    assert_int_equal(g->banks, 25);
    assert_true(r->halo && r->stream && !g->halo && !g->stream);
    assert_int_equal(g->fanout.net[PESIM_DS_INPUTS].width_words, 1);
    assert_int_equal(g->fanout.net[PESIM_DS_OUTPUTS].reload_width_words, 4);
    assert_int_equal(g->bank_words_per_cycle, 4);
    assert_int_equal(g->fanout.rows, 12);
    assert_int_equal(g->fanout.cols, 14);
    assert_string_equal(g->fanout.name, "noc");
    assert_true(g->fanout.net[PESIM_DS_INPUTS].multicast);
    assert_true(g->fanout.net[PESIM_DS_OUTPUTS].reduce);
    assert_false(g->fanout.net[PESIM_DS_OUTPUTS].multicast);
    assert_int_equal(g->fanout.net[PESIM_DS_WEIGHTS].width_words, 4);
    assert_int_equal(r->ds_words[PESIM_DS_WEIGHTS], 224);
    assert_int_equal(r->ds_words[PESIM_DS_INPUTS], 12);
    assert_int_equal(r->ds_words[PESIM_DS_OUTPUTS], 24);
    assert_true(r->words == PESIM_UNLIMITED);
    assert_false(pesim_arch_has_fanout(&a, PESIM_LEVEL_RF));
    assert_int_equal(pesim_arch_instances(&a, PESIM_LEVEL_RF), 168);
    assert_true(a.level[0].read_energy == 200 && g->read_energy == 6 && r->read_energy == 1 &&
                g->fanout.energy == 2);
    /* --set re-expands: the levels follow the shorthand keys. */
    assert_int_equal(pesim_arch_set(&a, "pe_array.rows=6", NULL), 0);
    assert_int_equal(a.level[PESIM_LEVEL_GLB].fanout.rows, 6);
    assert_int_equal(pesim_arch_pes(&a), 84);
}

static void test_eyeriss_spads(void **state)
{
    (void)state;
    struct pesim_arch a = load("eyeriss-v1-spads");
    assert_true(a.general);
    assert_int_equal(a.nlevels, 5);
    static const char *const names[] = {"dram", "glb", "ifmap_spad", "weights_spad",
                                        "psum_spad"};
    static const uint64_t words[] = {0, 0, 12, 224, 24};
    for (unsigned lv = 0; lv < 5; lv++) {
        assert_string_equal(a.level[lv].name, names[lv]);
        if (lv >= 2)
            assert_int_equal(a.level[lv].words, words[lv]);
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            assert_int_equal(a.level[lv].word_bits[ds], 16);
    }
    assert_true(a.level[0].words == PESIM_UNLIMITED);
    assert_int_equal(a.level[1].bytes, 102400);
    assert_true(a.level[2].holds[PESIM_DS_INPUTS] && !a.level[2].holds[PESIM_DS_WEIGHTS]);
    assert_int_equal(pesim_arch_pes(&a), 168);
    assert_int_equal(a.mac_latency_cycles, 2);
    assert_int_equal(pesim_energy_rows(&a), 7); /* five levels, the NoC, the MAC */
    assert_string_equal(pesim_energy_row_name(&a, 2), "noc");
    assert_string_equal(pesim_energy_row_name(&a, 6), "mac");
    assert_null(pesim_energy_row_name(&a, 7));
}

static void test_simba_like(void **state)
{
    (void)state;
    struct pesim_arch a = load("simba-like");
    assert_int_equal(a.nlevels, 6);
    /* instances per level: 1 DRAM, 1 global buffer, 16 PEs, 64 vector
     * units (weight and accumulation buffers), 256 lanes */
    static const uint64_t inst[] = {1, 1, 16, 64, 64, 256};
    for (unsigned lv = 0; lv < 6; lv++)
        assert_int_equal(pesim_arch_instances(&a, lv), inst[lv]);
    assert_int_equal(pesim_arch_pes(&a), 256);
    assert_int_equal(a.level[4].word_bits[PESIM_DS_OUTPUTS], 24);
    assert_int_equal(pesim_arch_level_word_bytes(&a, 4, PESIM_DS_OUTPUTS), 3);
    assert_int_equal(a.level[3].words, 32768);
    assert_int_equal(a.level[1].bytes, 65536);
    assert_int_equal(a.energy.unit, PESIM_ENERGY_PJ);
    assert_string_equal(a.level[2].fanout.name, "vector_noc");
    assert_int_equal(a.level[2].fanout.rows, 4);
}

struct golden {
    const char *levels; /* the YAML after "levels:" */
    const char *want;
};

static const char *const head = "name: t\nclock_mhz: 100\ndram: {bandwidth_gbps: 1}\nlevels:\n";
#define D "  - {name: dram, read_energy: 1, write_energy: 1}\n"
#define R "  - {name: rf, read_energy: 1, write_energy: 1}\n"

static const struct golden goldens[] = {
    {D, "a.yaml:5:3: error: levels: got 1 level, expected 2 to 8 (DRAM and at least one on "
        "chip)\n"},
    {"  - {name: dram, holds: [inputs], read_energy: 1, write_energy: 1}\n" R,
     "a.yaml:5:25: error: levels[0].holds: lacks weights, expected every data space (level 0 "
     "is DRAM, which keeps the whole layer)\n"},
    {"  - {name: dram, words: 5, read_energy: 1, write_energy: 1}\n" R,
     "a.yaml:5:25: error: levels[0].words: given, expected no capacity for level 0 (DRAM keeps "
     "the whole layer)\n"},
    {D D, "a.yaml:6:12: error: levels[1].name: 'dram' again, expected a name no other level or "
          "network has\n"},
    {D "  - {name: \"a b\", read_energy: 1, write_energy: 1}\n",
     "a.yaml:6:12: error: levels[1].name: got 'a b', expected letters, digits, _ and - (and not "
     "'mac')\n"},
    {"  - {name: dram, read_energy: 1, write_energy: 1, fanout: {cols: 4, energy: 1, network: "
     "{outputs: {multicast: false}}}}\n" R,
     "a.yaml:5:111: error: levels[0].fanout.network.outputs.multicast: given for outputs, "
     "expected only width_words, reduce, reload_all and reload_width_words here (multicast "
     "and exact apply to weights and inputs, reduce, reload_all and reload_width_words to "
     "outputs)\n"},
    {"  - {name: dram, read_energy: 1, write_energy: 1, fanout: {cols: 4, energy: 1, network: "
     "{inputs: {reload_all: true}}}}\n" R,
     "a.yaml:5:111: error: levels[0].fanout.network.inputs.reload_all: given for an operand, "
     "expected only width_words, multicast and exact here (multicast and exact apply to "
     "weights and inputs, reduce, reload_all and reload_width_words to outputs)\n"},
    {D "  - {name: rf, read_energy: 1, write_energy: 1, wrds: 3}\n",
     "a.yaml:6:49: error: levels[1].wrds: unknown key, expected one of name, holds, words, "
     "ds_words, bytes, ds_bytes, word_bits, double_buffer, interleaved, stream, halo, banks, bank_words_per_cycle, "
     "read_ports, write_ports, read_bandwidth, write_bandwidth, read_energy, write_energy, "
     "drain_energy, block_words, cluster, leakage, fanout, constraints; did you mean 'words'?\n"},
    {D "  - {name: rf}\n",
     "a.yaml:6:5: error: levels[1].read_energy: missing required key, expected a number in "
     "[0, 1e+09]\n"
     "a.yaml:6:5: error: levels[1].write_energy: missing required key, expected a number in "
     "[0, 1e+09]\n"},
    {D "  - {name: noc, read_energy: 1, write_energy: 1, fanout: {cols: 2, energy: 0, name: noc}}\n",
     "a.yaml:6:85: error: levels[1].fanout.name: 'noc' again, expected a name no other level or "
     "network has\n"},
};

static void test_golden_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s", head, goldens[i].levels);
        struct pesim_arch a;
        pesim_diags *d = pesim_diags_create();
        assert_int_equal(pesim_arch_load_string(text, strlen(text), "a.yaml", &a, d),
                         PESIM_E_INVALID);
        char *got = diag_text(d);
        assert_string_equal(got, goldens[i].want);
        free(got);
        pesim_diags_destroy(d);
    }
}

/* A general-form mapping names the levels it is for. */
static void test_mapping_names(void **state)
{
    (void)state;
    struct pesim_arch a = load("eyeriss-v1-spads");
    const char *text = "mapping:\n  levels:\n"
                       "    - {level: dram, temporal: [{dim: M, bound: 4}]}\n"
                       "    - {level: glb, spatial: [{dim: M, bound: 2, axis: x}]}\n"
                       "    - {level: ifmap_spad}\n"
                       "    - {level: psum_spad}\n"
                       "    - {level: weights_spad}\n";
    struct pesim_mapping_set set;
    assert_int_equal(pesim_mapping_set_load_string(text, strlen(text), "m.yaml", &set, NULL), 0);
    assert_int_equal(set.items[0].mapping.nlevels, 5);
    assert_int_equal(set.items[0].mapping.nspatial[1], 1);
    struct pesim_layer l;
    memset(&l, 0, sizeof l);
    snprintf(l.name, sizeof l.name, "fc");
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        l.dim[d] = 1;
    l.dim[PESIM_DIM_M] = 8;
    l.stride[0] = l.stride[1] = l.dilation[0] = l.dilation[1] = 1;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_map_check_at(&a, &l, &set.items[0], "m.yaml", d), PESIM_E_INVALID);
    char *got = diag_text(d);
    assert_string_equal(got,
                        "m.yaml: error: mapping.levels[3].level: got 'psum_spad', expected "
                        "'weights_spad' (level 3 of architecture eyeriss-v1-spads)\n"
                        "m.yaml: error: mapping.levels[4].level: got 'weights_spad', expected "
                        "'psum_spad' (level 4 of architecture eyeriss-v1-spads)\n");
    free(got);
    pesim_diags_destroy(d);
    /* A three-level mapping on a five-level architecture. */
    struct pesim_mapping three;
    memset(&three, 0, sizeof three);
    three.temporal[0][0] = (struct pesim_loop){PESIM_DIM_M, 0, 8};
    three.ntemporal[0] = 1;
    d = pesim_diags_create();
    assert_int_equal(pesim_map_check(&a, &l, &three, "m.yaml", d), PESIM_E_INVALID);
    got = diag_text(d);
    assert_string_equal(got, "m.yaml: error: mapping: 3 levels, expected 5 (the levels of "
                             "architecture eyeriss-v1-spads)\n");
    free(got);
    pesim_diags_destroy(d);
    pesim_mapping_set_free(&set);
}

/* Dataflows that keep one data space per PE (all but rs) see the same
 * hierarchy on eyeriss-v1 and on eyeriss-v1-spads: the other spads are
 * bypassed, and the kept one has the RF scratchpad's size. The mapper must
 * find the same numbers on both. */
/* --set levels.NAME.KEY=VALUE (docs/config.md, "Overrides"): a level's key
 * by the level's name; the level's and the architecture's checks run
 * again; errors point into the assignment and leave the arch unchanged. */
static void test_set_level_keys(void **state)
{
    (void)state;
    struct pesim_arch a, before;
    assert_int_equal(pesim_arch_load("simba-like", &a, NULL), 0);
    assert_int_equal(pesim_arch_set(&a, "levels.global_buffer.fanout.cols=8", NULL), 0);
    assert_int_equal(a.level[1].fanout.cols, 8);
    assert_int_equal(pesim_arch_set(&a, "levels.weight_regs.words=4", NULL), 0);
    assert_int_equal(a.level[a.nlevels - 1].words, 4);
    double v = 0;
    assert_int_equal(pesim_arch_get_number(&a, "levels.global_buffer.fanout.cols", &v), 0);
    assert_true(v == 8);
    assert_int_equal(pesim_arch_get_number(&a, "levels.nope.words", &v), PESIM_E_NOTFOUND);
    static const struct {
        const char *set, *want;
    } bad[] = {
        {"levels.glb.words=4",
         "--set:1:8: error: levels.glb: no item of levels has that name, expected the name of "
         "one\n"},
        {"levels.weight_regs=4",
         "--set:1:8: error: levels.weight_regs: names an item, expected one of its keys after "
         "it (levels.weight_regs.KEY=VALUE)\n"},
        {"levels.global_buffer.fanout.cols=0",
         "--set:1:34: error: levels.global_buffer.fanout.cols: got 0, expected an integer in "
         "[1, 65536]\n"},
        {"levels.global_buffer.fanout.systolic=true",
         "--set:1:1: error: levels[1].fanout.systolic: true below level 1 of 6, expected it only "
         "right above the innermost level\n"},
    };
    memcpy(&before, &a, sizeof a);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pesim_diags *d = pesim_diags_create();
        assert_int_equal(pesim_arch_set(&a, bad[i].set, d), PESIM_E_INVALID);
        pesim_diags_set_file(d, 0, "--set");
        char *got = diag_text(d);
        assert_string_equal(got, bad[i].want);
        free(got);
        assert_memory_equal(&a, &before, sizeof a);
        pesim_diags_destroy(d);
    }
}

static void test_spads_agree_with_shorthand(void **state)
{
    (void)state;
    struct pesim_arch one = load("eyeriss-v1"), three = load("eyeriss-v1-spads");
    /* compare like with like: the spads slide and stream as the shorthand's
     * RF does, the GLB keeps whole tiles as the shorthand's */
    for (unsigned lv = 0; lv < three.nlevels; lv++)
        three.level[lv].halo = lv >= 2 ? one.level[PESIM_LEVEL_RF].halo
                                       : one.level[PESIM_LEVEL_GLB].halo;
    struct pesim_workload wl;
    assert_int_equal(pesim_workload_load("alexnet", &wl, NULL), 0);
    static const char *const dfs[] = {"ws", "os", "is", "nlr"};
    for (size_t f = 0; f < sizeof dfs / sizeof dfs[0]; f++)
        for (size_t i = 0; i < wl.count; i++) {
            if (wl.layers[i].kind != PESIM_LAYER_CONV)
                continue;
            const pesim_dataflow *df = pesim_df_find(dfs[f]);
            struct pesim_mapping m1, m3;
            assert_int_equal(pesim_df_map(df, &one, &wl.layers[i], &m1, NULL), 0);
            assert_int_equal(pesim_df_map(df, &three, &wl.layers[i], &m3, NULL), 0);
            struct pesim_layer_result r1, r3;
            assert_int_equal(pesim_sim_layer(&one, &wl.layers[i], &m1, "1", &r1, NULL), 0);
            assert_int_equal(pesim_sim_layer(&three, &wl.layers[i], &m3, "3", &r3, NULL), 0);
            assert_int_equal(r1.cycles, r3.cycles);
            assert_true(r1.energy.total == r3.energy.total);
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                assert_int_equal(r1.analysis.acc[0][ds].reads, r3.analysis.acc[0][ds].reads);
        }
    pesim_workload_free(&wl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shorthand_expands),
        cmocka_unit_test(test_eyeriss_spads),
        cmocka_unit_test(test_simba_like),
        cmocka_unit_test(test_golden_errors),
        cmocka_unit_test(test_mapping_names),
        cmocka_unit_test(test_spads_agree_with_shorthand),
        cmocka_unit_test(test_set_level_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
