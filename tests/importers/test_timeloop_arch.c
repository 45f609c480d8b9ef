/* Timeloop architecture specs, mappings and ERT pricing on Timeloop's own
 * files (tests/timeloop/cases/, copied unchanged from
 * Accelergy-Project/timeloop-accelergy-exercises at commit
 * 2d5510807128e9bd5f1cad0705cdf2ec4612fd4e, MIT; each folder's SOURCE.md
 * names the paths). Expected values are the specs' own numbers (depth x
 * width / datawidth, meshX, meshY) and the reference outputs' energies
 * (ref_outputs/default_problem/timeloop-mapper.stats.txt of
 * example_designs/eyeriss_like): DRAM Weights 13824 reads -> 884736.00 pJ,
 * shared_glb Outputs 401408 updates -> 709384.73 pJ, mac 10838016
 * computes -> 2250969.22 pJ, and three levels' totals at Timeloop's own
 * counts. Then the round trips (the pesim YAML of an
 * import loads back to the same struct; map.txt gives the mapping
 * map.yaml gives) and golden errors for what pesim cannot model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../config/diag_text.h"
#include "config/cfg.h"
#include "pesim.h"

#define CASES "tests/timeloop/cases/" /* tests run in the source root */


static char *slurp(const char *path, size_t *len)
{
    char *t = pesim_cfg_read_file(path, len);
    assert_non_null(t);
    return t;
}

static void load_arch(const char *cs, struct pesim_arch *a, struct pesim_tl_arch *tl,
                      char **yaml)
{
    char path[256];
    snprintf(path, sizeof path, CASES "%s/arch.yaml", cs);
    size_t len;
    char *text = slurp(path, &len);
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_import_tl_arch(text, len, path, a, tl, yaml, d);
    if (rc) {
        char *s = diag_text(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    free(text);
}

static void load_map(const char *cs, const char *file, const struct pesim_arch *a,
                     const struct pesim_tl_arch *tl, struct pesim_mapping_set *set, char **yaml)
{
    char path[256];
    size_t len, plen;
    snprintf(path, sizeof path, CASES "%s/prob.yaml", cs);
    char *prob = slurp(path, &plen);
    pesim_diags *d = pesim_diags_create();
    struct pesim_tl_dims dims;
    assert_int_equal(pesim_import_tl_dims(prob, plen, path, &dims, d), 0);
    free(prob);
    snprintf(path, sizeof path, CASES "%s/%s", cs, file);
    char *text = slurp(path, &len);
    int rc = pesim_import_tl_mapping(text, len, path, a, tl, &dims, set, yaml, d);
    if (rc) {
        char *s = diag_text(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(set->count, 1);
    pesim_diags_destroy(d);
    free(text);
}

/* ---- architectures ----------------------------------------------------- */

static void test_eyeriss_like_arch(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    load_arch("eyeriss-like", &a, &tl, NULL);
    /* the container PE (meshY 12, nested in PE_column's meshX 14) is a
     * level that keeps nothing, between shared_glb and the spads */
    assert_int_equal(a.nlevels, 6);
    const char *names[] = {"DRAM", "shared_glb", "PE", "ifmap_spad", "weights_spad", "psum_spad"};
    /* depth x width / datawidth: 16384 x 64/8, 12 x 16/8, 192 x 16/8, 16 x 16/16 */
    const uint64_t words[] = {PESIM_UNLIMITED, 131072, PESIM_UNLIMITED, 24, 384, 16};
    const double block[] = {8, 8, 1, 2, 2, 1};
    for (unsigned lv = 0; lv < 6; lv++) {
        assert_string_equal(a.level[lv].name, names[lv]);
        assert_string_equal(tl.component[lv], names[lv]);
        assert_int_equal(a.level[lv].words, words[lv]);
        assert_true(tl.block_words[lv] == block[lv]);
    }
    assert_string_equal(tl.mac, "mac");
    assert_true(a.clock_mhz == 1000); /* no global_cycle_seconds: Timeloop's 1 ns */
    /* constraints.dataspace: the GLB bypasses Weights */
    assert_false(a.level[1].holds[PESIM_DS_WEIGHTS]);
    assert_true(a.level[1].holds[PESIM_DS_INPUTS]);
    assert_true(a.level[1].holds[PESIM_DS_OUTPUTS]);
    assert_int_equal(a.level[1].banks, 32);
    assert_true(a.level[1].read_bandwidth == 16 && a.level[1].write_bandwidth == 16);
    assert_true(a.level[3].read_bandwidth == 2 && a.level[5].write_bandwidth == 2);
    assert_true(a.level[0].read_bandwidth == 0); /* DRAM: no limit given */
    /* PE_column's meshX 14 below shared_glb, PE's meshY 12 below PE */
    assert_int_equal(a.level[1].fanout.cols, 14);
    assert_int_equal(a.level[1].fanout.rows, 1);
    assert_false(a.level[2].holds[0] || a.level[2].holds[1] || a.level[2].holds[2]);
    assert_true(tl.container[2] && !tl.container[1] && !tl.container[3]);
    assert_int_equal(a.level[2].fanout.rows, 12);
    assert_int_equal(a.level[2].fanout.cols, 1);
    for (unsigned lv = 3; lv < 6; lv++)
        assert_false(pesim_arch_has_fanout(&a, lv));
    assert_true(a.level[3].stream && a.level[5].stream); /* Timeloop overlaps every transfer */
    assert_int_equal(pesim_arch_pes(&a), 168);
    assert_true(a.level[1].fanout.net[PESIM_DS_INPUTS].multicast);
    assert_true(a.level[1].fanout.net[PESIM_DS_OUTPUTS].reduce);
    /* Timeloop's network: exact multicast, psums reloaded into all */
    assert_true(a.level[1].fanout.net[PESIM_DS_WEIGHTS].exact);
    assert_true(a.level[1].fanout.net[PESIM_DS_INPUTS].exact);
    assert_true(a.level[1].fanout.net[PESIM_DS_OUTPUTS].reload_all);
    assert_true(a.level[2].fanout.net[PESIM_DS_INPUTS].exact);
    assert_true(a.level[5].drain_energy == 0);
    assert_true(a.level[1].fanout.energy == 0);
    assert_int_equal(tl.nspatial, 2);
    assert_string_equal(tl.spatial[0].name, "PE_column");
    assert_string_equal(tl.spatial[0].alias, "inter_PE_column_spatial");
    assert_int_equal(tl.spatial[0].level, 1);
    assert_int_equal(tl.spatial[1].level, 2);
    assert_int_equal(tl.spatial[0].x, 14);
    assert_int_equal(tl.spatial[1].y, 12);
    /* datawidth is the word: psum_spad 16 bits, the rest 8 */
    assert_int_equal(a.level[5].word_bits[PESIM_DS_OUTPUTS], 16);
    assert_int_equal(a.level[1].word_bits[PESIM_DS_OUTPUTS], 8);
}

static void test_simba_like_arch(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    load_arch("simba-like", &a, &tl, NULL);
    assert_int_equal(a.nlevels, 6);
    assert_string_equal(a.level[3].name, "PEWeightBuffer");
    assert_string_equal(a.level[4].name, "PEAccuBuffer"); /* !Parallel, in order */
    /* PE meshX 16 below GlobalBuffer; distributed_buffers meshY 4 below
     * PEInputBuffer; reg_mac meshY 4 below the !Parallel group's last */
    assert_int_equal(a.level[1].fanout.cols, 16);
    assert_int_equal(a.level[1].fanout.rows, 1);
    assert_int_equal(a.level[2].fanout.rows, 4);
    assert_false(pesim_arch_has_fanout(&a, 3));
    assert_int_equal(a.level[4].fanout.rows, 4);
    assert_int_equal(pesim_arch_pes(&a), 256);
    assert_int_equal(pesim_arch_instances(&a, 3), 64);
    assert_int_equal(pesim_arch_instances(&a, 5), 256);
    /* 128 x 24 / 24; PEWeightRegs 1 x 512 / (64 x 8): a cluster of 64
     * instances shares the 512 bits (Timeloop: size 1, block 1); datawidth
     * 8 from System */
    assert_int_equal(a.level[4].words, 128);
    assert_int_equal(a.level[5].words, 1);
    assert_int_equal(a.level[2].word_bits[PESIM_DS_INPUTS], 8);
    assert_int_equal(a.level[4].word_bits[PESIM_DS_OUTPUTS], 24);
    assert_true(a.level[4].holds[PESIM_DS_OUTPUTS] && !a.level[4].holds[PESIM_DS_WEIGHTS]);
}

/* The front end's own dump (v0.3-style subtree, absolute meshes, dummy
 * storage levels) flattens to what the v0.4 nodes give. */
static void test_dump_form(void **state)
{
    (void)state;
    struct pesim_arch a, b;
    struct pesim_tl_arch ta, tb;
    load_arch("intmac", &a, &ta, NULL);
    load_arch("tl06-eyeriss", &b, &tb, NULL);
    assert_int_equal(a.nlevels, 6);
    assert_int_equal(a.level[1].fanout.cols, 14);
    assert_int_equal(a.level[2].fanout.rows, 12);
    assert_int_equal(ta.nspatial, 2);
    assert_string_equal(ta.spatial[0].alias, "inter_PE_column_spatial");
    assert_string_equal(ta.spatial[1].name, "PE");
    assert_int_equal(ta.spatial[1].y, 12);
    for (unsigned lv = 0; lv < 6; lv++) {
        assert_string_equal(a.level[lv].name, b.level[lv].name);
        assert_int_equal(a.level[lv].words, b.level[lv].words);
        assert_true(ta.block_words[lv] == tb.block_words[lv]);
    }
    assert_int_equal(a.level[5].word_bits[PESIM_DS_OUTPUTS], 16); /* PSUM_DATAWIDTH */
}

static void test_small_archs(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    /* One storage level: a second that keeps nothing, as Timeloop's dummy */
    load_arch("tl00-1level", &a, &tl, NULL);
    assert_int_equal(a.nlevels, 2);
    assert_string_equal(a.level[0].name, "Buffer");
    assert_false(a.level[1].holds[0] || a.level[1].holds[1] || a.level[1].holds[2]);
    assert_true(a.clock_mhz == 1000);
    /* The outermost level keeps everything, whatever its class (SRAM) */
    load_arch("tl03-bypass", &a, &tl, NULL);
    assert_int_equal(a.nlevels, 3);
    assert_int_equal(a.level[1].words, 32768 * 8);
    assert_int_equal(a.level[2].words, 64);
    /* the arch its reference outputs came from: 16 GlobalBuffers */
    load_arch("tl04-cp", &a, &tl, NULL);
    assert_int_equal(a.level[0].fanout.cols, 16);
    assert_int_equal(tl.spatial[0].level, 0);
    assert_int_equal(pesim_arch_instances(&a, 1), 16);
}


/* Timeloop v0.3's own form: a subtree with an instance range and meshX
 * on the components (no dummy levels), and a mapping whose spatial
 * directive targets the storage level above the fan-out, as v0.3
 * mappings do. */
static void test_v03_form(void **state)
{
    (void)state;
    static const char arch[] =
        "architecture:\n"
        "  version: 0.3\n"
        "  subtree:\n"
        "    - name: system\n"
        "      attributes: {technology: 45nm}\n"
        "      local:\n"
        "        - {name: DRAM, class: DRAM, attributes: {width: 64, word-bits: 16}}\n"
        "      subtree:\n"
        "        - name: eyeriss\n"
        "          attributes: {global_cycle_seconds: 5e-9}\n"
        "          local:\n"
        "            - name: shared_glb\n"
        "              class: smartbuffer_SRAM\n"
        "              attributes: {memory_depth: 16384, memory_width: 64, n_banks: 32,\n"
        "                           word-bits: 16, read_bandwidth: 16}\n"
        "          subtree:\n"
        "            - name: PE[0..167]\n"
        "              local:\n"
        "                - name: ifmap_spad\n"
        "                  class: smartbuffer_RF\n"
        "                  attributes: {memory_depth: 12, block-size: 1, word-bits: 16,\n"
        "                               meshX: 14}\n"
        "                - {name: mac, class: intmac, attributes: {meshX: 14}}\n";
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    int rc = pesim_import_tl_arch(arch, sizeof arch - 1, "v03.yaml", &a, &tl, NULL, d);
    if (rc) {
        char *str = diag_text(d);
        print_error("%s", str);
        free(str);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(a.nlevels, 3);
    assert_true(a.clock_mhz == 200);
    assert_int_equal(a.level[1].words, 16384 * 4);
    assert_int_equal(a.level[1].fanout.cols, 14);
    assert_int_equal(a.level[1].fanout.rows, 12);
    assert_int_equal(a.level[2].words, 12);
    assert_int_equal(a.level[2].word_bits[PESIM_DS_INPUTS], 16);
    assert_int_equal(tl.nspatial, 1);
    assert_string_equal(tl.spatial[0].name, "PE");
    assert_string_equal(tl.spatial[0].alias, "inter_PE_spatial");
    static const char map[] =
        "mapping:\n"
        "  - {target: shared_glb, type: spatial, factors: C3 M14 P4, permutation: MCP, split: 1}\n"
        "  - {target: ifmap_spad, type: temporal, factors: R3, permutation: R}\n";
    struct pesim_tl_dims dims;
    assert_int_equal(pesim_import_tl_dims(NULL, 0, NULL, &dims, d), 0);
    struct pesim_mapping_set s = {0};
    rc = pesim_import_tl_mapping(map, sizeof map - 1, "m.yaml", &a, &tl, &dims, &s, NULL, d);
    if (rc) {
        char *str = diag_text(d);
        print_error("%s", str);
        free(str);
    }
    assert_int_equal(rc, 0);
    const struct pesim_mapping *m = &s.items[0].mapping;
    /* permutation MCP innermost first: P4 (y), C3 (y), M14 (x) outermost first */
    assert_int_equal(m->nspatial[1], 3);
    assert_int_equal(m->spatial[1][0].dim, PESIM_DIM_Q);
    assert_int_equal(m->spatial[1][0].axis, PESIM_AXIS_Y);
    assert_int_equal(m->spatial[1][1].dim, PESIM_DIM_C);
    assert_int_equal(m->spatial[1][2].dim, PESIM_DIM_M);
    assert_int_equal(m->spatial[1][2].axis, PESIM_AXIS_X);
    assert_int_equal(m->temporal[2][0].dim, PESIM_DIM_S);
    pesim_mapping_set_free(&s);
    pesim_diags_destroy(d);
}

/* ---- mappings ---------------------------------------------------------- */

static void test_eyeriss_like_mapping(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    load_arch("eyeriss-like", &a, &tl, NULL);
    struct pesim_mapping_set s = {0}, t = {0};
    char *yaml = NULL;
    load_map("eyeriss-like", "map.yaml", &a, &tl, &s, &yaml);
    const struct pesim_mapping *m = &s.items[0].mapping;
    assert_int_equal(m->nlevels, 6);
    /* DRAM: permutation MQPCRSN innermost first, so P8 Q2 M4 outermost
     * first; Timeloop's P and Q are pesim's Q and P */
    assert_int_equal(m->ntemporal[0], 3);
    assert_int_equal(m->temporal[0][0].dim, PESIM_DIM_Q);
    assert_int_equal(m->temporal[0][0].bound, 8);
    assert_int_equal(m->temporal[0][1].dim, PESIM_DIM_P);
    assert_int_equal(m->temporal[0][2].dim, PESIM_DIM_M);
    assert_int_equal(m->temporal[0][2].bound, 4);
    /* Q14 on X (PE_column, split 1) below shared_glb; C3 S3 on Y (PE,
     * split 0) below the level PE */
    assert_int_equal(m->nspatial[1], 1);
    assert_int_equal(m->spatial[1][0].dim, PESIM_DIM_P);
    assert_int_equal(m->spatial[1][0].bound, 14);
    assert_int_equal(m->spatial[1][0].axis, PESIM_AXIS_X);
    assert_int_equal(m->nspatial[2], 2);
    assert_int_equal(m->spatial[2][0].dim, PESIM_DIM_C);
    assert_int_equal(m->spatial[2][0].axis, PESIM_AXIS_Y);
    assert_int_equal(m->spatial[2][1].dim, PESIM_DIM_R);
    assert_int_equal(m->spatial[2][1].axis, PESIM_AXIS_Y);
    assert_true(m->bypass[1][PESIM_DS_WEIGHTS] && !m->bypass[1][PESIM_DS_INPUTS]);
    assert_true(m->bypass[3][PESIM_DS_WEIGHTS] && m->bypass[3][PESIM_DS_OUTPUTS]);
    assert_false(m->bypass[5][PESIM_DS_OUTPUTS]);
    assert_int_equal(m->temporal[5][0].dim, PESIM_DIM_M);
    assert_int_equal(m->temporal[5][0].bound, 8);
    /* the pesim YAML loads back to the same mapping */
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_mapping_set_load_string(yaml, strlen(yaml), "x.yaml", &t, d), 0);
    assert_memory_equal(&t.items[0].mapping, m, sizeof *m);
    pesim_mapping_set_free(&t);
    /* the map.txt printout gives the same mapping */
    load_map("eyeriss-like", "map.txt", &a, &tl, &t, NULL);
    assert_memory_equal(&t.items[0].mapping, m, sizeof *m);
    pesim_mapping_set_free(&t);
    pesim_mapping_set_free(&s);
    pesim_diags_destroy(d);
    free(yaml);
}

static void test_small_mappings(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "tl00-1level", "tl01-os", "tl01-ws", "tl02-no-tiling", "tl02-tiling", "tl03-bypass",
        "tl03-no-bypass", "tl04-cp", "tl04-kp", "tl05-baked", "tl05-freebypass", "tl05-null",
        "tl06-eyeriss", "intmac", "fpmac", "simba-like", "simple-os", "simple-ws"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pesim_arch a;
        struct pesim_tl_arch tl;
        load_arch(cases[i], &a, &tl, NULL);
        struct pesim_mapping_set s = {0}, t = {0};
        load_map(cases[i], "map.yaml", &a, &tl, &s, NULL);
        load_map(cases[i], "map.txt", &a, &tl, &t, NULL);
        assert_memory_equal(&s.items[0].mapping, &t.items[0].mapping, sizeof(struct pesim_mapping));
        pesim_mapping_set_free(&s);
        pesim_mapping_set_free(&t);
    }
    /* tl04-cp: C=16 on the PE container (no split: its one axis, X) */
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    struct pesim_mapping_set s = {0};
    load_arch("tl04-cp", &a, &tl, NULL);
    load_map("tl04-cp", "map.yaml", &a, &tl, &s, NULL);
    const struct pesim_mapping *m = &s.items[0].mapping;
    assert_int_equal(m->nspatial[0], 1);
    assert_int_equal(m->spatial[0][0].dim, PESIM_DIM_C);
    assert_int_equal(m->spatial[0][0].bound, 16);
    assert_int_equal(m->spatial[1][0].axis, PESIM_AXIS_X);
    /* GlobalBuffer temporal R=3 P=1 K=32 C=2, permutation PRKC: C2 K32 R3
     * outermost first; Timeloop's R is pesim's S */
    assert_int_equal(m->ntemporal[1], 3);
    assert_int_equal(m->temporal[1][0].dim, PESIM_DIM_C);
    assert_int_equal(m->temporal[1][1].dim, PESIM_DIM_M);
    assert_int_equal(m->temporal[1][1].bound, 32);
    assert_int_equal(m->temporal[1][2].dim, PESIM_DIM_S);
    pesim_mapping_set_free(&s);
    /* tl03-bypass: GlobalBuffer bypasses Outputs, RegisterFile W and I */
    load_arch("tl03-bypass", &a, &tl, NULL);
    load_map("tl03-bypass", "map.yaml", &a, &tl, &s, NULL);
    m = &s.items[0].mapping;
    assert_true(m->bypass[1][PESIM_DS_OUTPUTS] && !m->bypass[1][PESIM_DS_WEIGHTS]);
    assert_true(m->bypass[2][PESIM_DS_WEIGHTS] && m->bypass[2][PESIM_DS_INPUTS]);
    assert_false(m->bypass[2][PESIM_DS_OUTPUTS]);
    pesim_mapping_set_free(&s);
}

/* ---- the round trip of an arch ------------------------------------------ */

static void test_arch_round_trip(void **state)
{
    (void)state;
    static const char *const cases[] = {"eyeriss-like", "simba-like", "intmac", "tl00-1level",
                                        "simple-ws", "tl04-kp"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pesim_arch a, b;
        struct pesim_tl_arch tl;
        char *yaml = NULL;
        load_arch(cases[i], &a, &tl, &yaml);
        pesim_diags *d = pesim_diags_create();
        memset(&b, 0, sizeof b);
        assert_int_equal(pesim_arch_load_string(yaml, strlen(yaml), "x.yaml", &b, d), 0);
        assert_int_equal(a.nlevels, b.nlevels);
        assert_memory_equal(a.level, b.level, sizeof a.level);
        assert_true(a.clock_mhz == b.clock_mhz);
        pesim_diags_destroy(d);
        free(yaml);
    }
}

/* ---- ERT pricing ------------------------------------------------------- */

static void test_ert_pricing(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    load_arch("eyeriss-like", &a, &tl, NULL);
    size_t len;
    char *ert = slurp(CASES "eyeriss-like/ERT.yaml", &len);
    struct pesim_ert_names n;
    memset(&n, 0, sizeof n);
    for (unsigned lv = 0; lv < tl.nlevels; lv++) {
        n.level[lv] = tl.component[lv];
        n.block_words[lv] = tl.block_words[lv];
    }
    n.mac = tl.mac;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_energy_price_ert(ert, len, "ERT.yaml", &n, &a, d), 0);
    assert_int_equal(a.energy.unit, PESIM_ENERGY_PJ);
    /* 512 pJ / (64/8) */
    assert_true(a.level[0].read_energy == 64);
    assert_float_equal(13824 * a.level[0].read_energy, 884736.00, 0.005);
    /* shared_glb Outputs: 401408 updates at write 14.137929 / 8 */
    assert_float_equal(401408 * a.level[1].write_energy, 709384.73, 0.005);
    assert_float_equal(10838016 * a.energy.mac, 2250969.22, 0.005);
    /* Timeloop's counts at these prices give its energies: weights_spad
     * 10838016 reads + 193536 fills -> 10893306.24 pJ, ifmap_spad 10838016
     * + 1354752 -> 1216735.96 pJ, shared_glb Inputs 1354752 + 157296 ->
     * 3357302.30 pJ (the reference stats' "Energy (total)") */
    assert_float_equal(10838016 * a.level[4].read_energy + 193536 * a.level[4].write_energy,
                       10893306.24, 0.005);
    assert_float_equal(10838016 * a.level[3].read_energy + 1354752 * a.level[3].write_energy,
                       1216735.96, 0.005);
    assert_float_equal(1354752 * a.level[1].read_energy + 157296 * a.level[1].write_energy,
                       3357302.30, 0.005);
    assert_true(a.level[5].drain_energy == 0); /* no drain action in Timeloop */
    /* psum_spad: one word per access; shared_glb: 8 words per access */
    assert_float_equal(a.level[5].read_energy, 0.2513, 1e-12);
    assert_int_equal(a.level[1].block_words, 8);
    /* leakage: each component's per instance (energy.c charges it on the
     * used instances), the MAC's over every PE */
    assert_float_equal(a.level[1].leakage, 0.005652, 1e-12);
    assert_float_equal(a.level[5].leakage, 0.000134, 1e-12);
    assert_float_equal(a.energy.mac_leakage, 0, 1e-12); /* as Timeloop: not charged */
    assert_float_equal(a.energy.leakage_per_cycle, 0, 1e-12);
    pesim_diags_destroy(d);
    free(ert);
}

static void test_ert_errors(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    load_arch("eyeriss-like", &a, &tl, NULL);
    static const char ert[] = "ERT:\n  version: 0.4\n  tables:\n"
                              "  - name: sys.DRAM[1..1]\n    actions:\n"
                              "    - {name: read, arguments: null, energy: 512}\n"
                              "    - {name: write, arguments: null, energy: 512}\n";
    struct pesim_ert_names n;
    memset(&n, 0, sizeof n);
    n.level[0] = "DRAM";
    n.level[1] = "shared_glb";
    n.mac = "mac";
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_energy_price_ert(ert, sizeof ert - 1, "e.yaml", &n, &a, d),
                     PESIM_E_INVALID);
    char *s = diag_text(d);
    assert_non_null(strstr(s, "e.yaml: error: level shared_glb.component: 'shared_glb' is "
                              "not a component of e.yaml"));
    free(s);
    pesim_diags_destroy(d);
}

/* ---- errors ------------------------------------------------------------ */

static void expect_arch_error(const char *text, const char *want)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    int rc = pesim_import_tl_arch(text, strlen(text), "a.yaml", &a, NULL, NULL, d);
    char *s = diag_text(d);
    if (!strstr(s, want))
        print_error("got:\n%s\nwanted: %s\n", s, want);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_non_null(strstr(s, want));
    free(s);
    pesim_diags_destroy(d);
}

#define HEAD "architecture:\n  version: 0.4\n  nodes:\n" \
             "  - !Component {name: DRAM, class: DRAM, attributes: {width: 64, datawidth: 8}}\n"

static void test_arch_errors(void **state)
{
    (void)state;
    expect_arch_error(HEAD "  - !Component {name: X, class: crossbar}\n"
                      "  - !Component {name: m, class: intmac}\n",
                      "a.yaml:5:33: error: X: class 'crossbar' is not supported: neither "
                      "storage nor compute");
    expect_arch_error(HEAD "  - !Container {name: PE, spatial: {meshX: 4}}\n"
                      "  - !Component {name: m, class: intmac}\n",
                      "error: PE: a fan-out below the innermost storage level 'DRAM' (to 1x4 "
                      "compute units) is not supported");
    expect_arch_error(HEAD "  - !Component {name: B, class: SRAM, attributes: {depth: 2x, "
                      "width: 8, datawidth: 8}}\n  - !Component {name: m, class: intmac}\n",
                      "a.yaml:5:59: error: B.attributes.depth: got '2x', expected a number");
    expect_arch_error(HEAD "  - !Component {name: B, class: SRAM, attributes: "
                      "{metadata_storage_depth: 8}}\n  - !Component {name: m, class: intmac}\n",
                      "error: B.attributes.metadata_storage_depth: sparse storage");
    expect_arch_error(HEAD "  - !Tree {name: B}\n  - !Component {name: m, class: intmac}\n",
                      "error: architecture.nodes: node tagged '!Tree' is not supported");
    expect_arch_error(HEAD "  - !Component {name: B, class: SRAM, attributes: {depth: 8, "
                      "width: 12, datawidth: 8}}\n  - !Component {name: m, class: intmac}\n",
                      "width 12 is not a multiple of datawidth 8 x cluster_size 1: not supported");
    expect_arch_error(HEAD "  - !Component {name: m, class: intmac}\n"
                      "  - !Component {name: B, class: SRAM}\n",
                      "B: after the compute component 'm': not supported");
    expect_arch_error(HEAD "  - !Component {name: B, class: SRAM}\n",
                      "no compute component, expected one");
    expect_arch_error(HEAD "  - !Component {name: B, class: SRAM, spatial: {meshX: 4}}\n"
                      "  - !Component {name: m, class: intmac}\n",
                      "error: B: spatial on a component is not supported, expected the mesh "
                      "on a !Container around it");
    expect_arch_error(HEAD "  - !Container {name: PE, spatial: {meshX: 2.5}}\n"
                      "  - !Component {name: B, class: SRAM}\n"
                      "  - !Component {name: m, class: intmac}\n",
                      "error: spatial: got a fractional mesh, expected whole numbers");
    /* nine storage levels */
    char big[4096];
    size_t n = (size_t)snprintf(big, sizeof big, "%s", HEAD);
    for (int i = 0; i < 8; i++)
        n += (size_t)snprintf(big + n, sizeof big - n,
                              "  - !Component {name: L%d, class: regfile}\n", i);
    snprintf(big + n, sizeof big - n, "  - !Component {name: m, class: intmac}\n");
    expect_arch_error(big, "L7: storage level 9: more than 8 storage levels are not "
                           "supported, expected at most 8");
    expect_arch_error("architecture:\n  version: 0.4\n", "no nodes or subtree");
}

static void expect_map_error(const char *cs, const char *text, const char *want)
{
    struct pesim_arch a;
    struct pesim_tl_arch tl;
    load_arch(cs, &a, &tl, NULL);
    struct pesim_tl_dims dims;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_import_tl_dims(NULL, 0, NULL, &dims, d), 0);
    struct pesim_mapping_set s = {0};
    int rc = pesim_import_tl_mapping(text, strlen(text), "m.yaml", &a, &tl, &dims, &s, NULL, d);
    char *str = diag_text(d);
    if (!strstr(str, want))
        print_error("got:\n%s\nwanted: %s\n", str, want);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_non_null(strstr(str, want));
    free(str);
    pesim_diags_destroy(d);
}

static void test_mapping_errors(void **state)
{
    (void)state;
    expect_map_error("eyeriss-like", "mapping:\n- {target: GLB, type: temporal, factors: P2}\n",
                     "m.yaml:2:12: error: target: 'GLB' is not a storage level or spatial "
                     "container of the architecture, expected one of DRAM, shared_glb, "
                     "ifmap_spad, weights_spad, psum_spad, PE_column, PE");
    expect_map_error("eyeriss-like", "mapping:\n- {target: DRAM, type: temporal, factors: Z2}\n",
                     "error: factors: 'Z' is not a dimension of the problem");
    expect_map_error("eyeriss-like", "mapping:\n- {target: PE, type: temporal, factors: M2}\n",
                     "error: factors: temporal factor M2 at the container 'PE' is not supported");
    expect_map_error("eyeriss-like", "mapping:\n- {target: DRAM, type: temporal, factors: M0}\n",
                     "error: factors: got 'M0', expected factors such as");
    expect_map_error("eyeriss-like", "mapping:\n- {target: DRAM, type: loop}\n",
                     "error: type: got 'loop', expected temporal, spatial, datatype or bypass");
    expect_map_error("eyeriss-like",
                     "mapping:\n- {target: shared_glb, type: datatype, keep: [Weights]}\n",
                     "m.yaml: error: shared_glb: keeps Weights, which the architecture's "
                     "constraints bypass there, expected it in bypass");
    expect_map_error("eyeriss-like", "DRAM [ Weights:1 ]\n| for Z in [0:4)\n",
                     "m.yaml:2:1: error: map.txt: 'Z' is not a dimension of the problem");
}

/* Detection: what --arch and --mapping take as Timeloop. */
static void test_detect(void **state)
{
    (void)state;
    static const char arch[] = "architecture:\n  version: 0.4\n";
    static const char tlmap[] = "mapping:\n- {target: DRAM, type: temporal}\n";
    static const char pmap[] = "mapping:\n  levels:\n  - {level: dram, temporal: []}\n";
    static const char shmap[] = "mapping:\n  dram: {temporal: []}\n";
    assert_true(pesim_tl_is_arch(arch, sizeof arch - 1));
    assert_false(pesim_tl_is_arch(tlmap, sizeof tlmap - 1));
    assert_true(pesim_tl_is_mapping(tlmap, sizeof tlmap - 1));
    assert_false(pesim_tl_is_mapping(pmap, sizeof pmap - 1));
    assert_false(pesim_tl_is_mapping(shmap, sizeof shmap - 1));
    size_t len;
    char *txt = slurp(CASES "simba-like/map.txt", &len);
    assert_true(pesim_tl_is_map_txt(txt, len));
    assert_false(pesim_tl_is_map_txt(pmap, sizeof pmap - 1));
    free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eyeriss_like_arch),
        cmocka_unit_test(test_simba_like_arch),
        cmocka_unit_test(test_dump_form),
        cmocka_unit_test(test_small_archs),
        cmocka_unit_test(test_v03_form),
        cmocka_unit_test(test_eyeriss_like_mapping),
        cmocka_unit_test(test_small_mappings),
        cmocka_unit_test(test_arch_round_trip),
        cmocka_unit_test(test_ert_pricing),
        cmocka_unit_test(test_ert_errors),
        cmocka_unit_test(test_arch_errors),
        cmocka_unit_test(test_mapping_errors),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
