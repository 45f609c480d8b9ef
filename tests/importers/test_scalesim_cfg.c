/* SCALE-Sim .cfg files as architectures (importers/scalesim_cfg.c,
 * docs/systolic.md "SCALE-Sim's files"): what a file becomes, the ways
 * SCALE-Sim's configparser accepts keys, golden error messages with their
 * positions, nothing written on error, and hostile names. The keys are
 * those scalesim/scale_config.py of scalesim-project/scale-sim-v2 reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../config/diag_text.h"
#include "pesim.h"

static const char base_cfg[] = "[general]\n"
                               "run_name = scale_example_run_32x32_os\n"
                               "\n"
                               "[architecture_presets]\n"
                               "ArrayHeight:    32\n"
                               "ArrayWidth:     16\n"
                               "IfmapSramSzkB:   64\n"
                               "FilterSramSzkB:  32\n"
                               "OfmapSramSzkB:  16\n"
                               "IfmapOffset:    0\n"
                               "FilterOffset:   10000000\n"
                               "OfmapOffset:    20000000\n"
                               "Bandwidth : 10\n"
                               "Dataflow : os\n"
                               "MemoryBanks:   1\n"
                               "\n"
                               "[run_presets]\n"
                               "InterfaceBandwidth: CALC\n";

/* text with its first `from` replaced by `to` (which must occur). */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return s;
}

/* base_cfg edited so. */
static char *edited(const char *from, const char *to) { return edit(base_cfg, from, to); }

static void test_reads_the_array(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    char *yaml = NULL;
    assert_int_equal(pesim_import_scalesim_cfg(base_cfg, strlen(base_cfg), "s.cfg", &a, &yaml, d),
                     0);
    assert_int_equal(pesim_diags_count(d), 0);
    assert_string_equal(a.name, "scale_example_run_32x32_os");
    assert_string_equal(a.dataflow, "sa-os");
    assert_true(a.im2col);
    assert_int_equal(a.nlevels, 3);
    assert_true(a.level[1].fanout.systolic);
    assert_int_equal(a.level[1].fanout.rows, 32); /* ArrayHeight */
    assert_int_equal(a.level[1].fanout.cols, 16); /* ArrayWidth */
    assert_int_equal(a.level[1].ds_bytes[PESIM_DS_INPUTS], 64 * 1024);
    assert_int_equal(a.level[1].ds_bytes[PESIM_DS_WEIGHTS], 32 * 1024);
    assert_int_equal(a.level[1].ds_bytes[PESIM_DS_OUTPUTS], 16 * 1024);
    assert_true(a.level[1].double_buffer);
    assert_true(a.dram.bandwidth_gbps == 0); /* CALC: unlimited */
    /* the YAML it writes loads to the same architecture */
    struct pesim_arch b;
    assert_int_equal(pesim_arch_load_string(yaml, strlen(yaml), "s.yaml", &b, d), 0);
    assert_memory_equal(&a, &b, sizeof a);
    free(yaml);
    pesim_diags_destroy(d);
}

static void test_user_bandwidth_and_case(void **state)
{
    (void)state;
    char *t = edited("InterfaceBandwidth: CALC", "interfacebandwidth = user");
    char *u = edit(t, "ArrayHeight:", "ARRAYHEIGHT:");
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    assert_int_equal(pesim_import_scalesim_cfg(u, strlen(u), "s.cfg", &a, NULL, d), 0);
    assert_true(a.dram.bandwidth_gbps == 10); /* 10 words of 1 byte at 1 GHz */
    assert_int_equal(a.level[1].fanout.rows, 32);
    free(t);
    free(u);
    pesim_diags_destroy(d);
}

struct bad {
    const char *from, *to, *msg;
};

static const struct bad bad_cases[] = {
    {"ArrayHeight:    32", "ArrayHeight:    0",
     "s.cfg:5:17: error: [architecture_presets] ArrayHeight: got '0', expected an integer in "
     "[1, 65536]\n"},
    {"ArrayWidth:     16", "ArrayWidth:     16x",
     "s.cfg:6:17: error: [architecture_presets] ArrayWidth: got '16x', expected an integer in "
     "[1, 65536]\n"},
    {"Dataflow : os", "Dataflow : rs",
     "s.cfg:14:12: error: [architecture_presets] Dataflow: got 'rs', expected os, ws or is\n"},
    {"Dataflow : os", "Dataflw : os",
     "s.cfg:14:1: error: [architecture_presets] unknown key 'Dataflw', expected one of "
     "ArrayHeight, ArrayWidth, IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, IfmapOffset, "
     "FilterOffset, OfmapOffset, Dataflow, Bandwidth, MemoryBanks\n"
     "s.cfg:1:1: error: [architecture_presets] Dataflow: missing, expected it\n"},
    {"MemoryBanks:   1", "MemoryBanks:   1\nArrayWidth: 8",
     "s.cfg:16:13: error: [architecture_presets] ArrayWidth again (first at line 6), expected "
     "it once\n"},
    {"[run_presets]", "[run_preset]",
     "s.cfg:17:1: error: unknown section [run_preset], expected [general], "
     "[architecture_presets], [run_presets] or [network_presets]\n"},
    {"InterfaceBandwidth: CALC", "InterfaceBandwidth: SOME",
     "s.cfg:18:21: error: [run_presets] InterfaceBandwidth: got 'SOME', expected CALC or USER\n"},
    {"Bandwidth : 10\n", "", ""},
    {"OfmapSramSzkB:  16\n", "OfmapSramSzkB  16\n",
     "s.cfg:9:1: error: 'OfmapSramSzkB  16': expected 'key: value'\n"
     "s.cfg:1:1: error: [architecture_presets] OfmapSramSzkB: missing, expected it\n"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad *b = &bad_cases[i];
        char *t = edited(b->from, b->to);
        pesim_diags *d = pesim_diags_create();
        struct pesim_arch a;
        memset(&a, 0x5a, sizeof a);
        char *yaml = (char *)"untouched";
        int rc = pesim_import_scalesim_cfg(t, strlen(t), "s.cfg", &a, &yaml, d);
        char *got = diag_text(d);
        if (!b->msg[0]) { /* CALC needs no Bandwidth */
            assert_int_equal(rc, 0);
            free(yaml);
        } else {
            assert_int_equal(rc, PESIM_E_INVALID);
            assert_string_equal(got, b->msg);
            assert_string_equal(yaml, "untouched");
            unsigned char *p = (unsigned char *)&a;
            for (size_t k = 0; k < sizeof a; k++)
                assert_int_equal(p[k], 0x5a);
        }
        free(got);
        free(t);
        pesim_diags_destroy(d);
    }
}

static void test_user_needs_bandwidth(void **state)
{
    (void)state;
    char *t = edited("Bandwidth : 10\n", "");
    char *u = edit(t, "CALC", "USER");
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    assert_int_equal(pesim_import_scalesim_cfg(u, strlen(u), "s.cfg", &a, NULL, d),
                     PESIM_E_INVALID);
    char *got = diag_text(d);
    assert_string_equal(got, "s.cfg:1:1: error: [architecture_presets] Bandwidth: got 'nothing', "
                             "expected words per cycle, an integer in [1, 999999] "
                             "(InterfaceBandwidth is USER)\n");
    free(got);
    free(t);
    free(u);
    pesim_diags_destroy(d);
}

static void test_hostile(void **state)
{
    (void)state;
    /* a name that would be YAML if written as is */
    char *t = edited("run_name = scale_example_run_32x32_os", "run_name = a\": {x: [1]} # b");
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    assert_int_equal(pesim_import_scalesim_cfg(t, strlen(t), "s.cfg", &a, NULL, d), 0);
    assert_string_equal(a.name, "a____x___1_____b");
    free(t);
    /* a NUL byte and an overlong line */
    static const char nul[] = "[general]\nrun_name = a\0b\n";
    pesim_diags_destroy(d);
    d = pesim_diags_create();
    assert_int_equal(pesim_import_scalesim_cfg(nul, sizeof nul - 1, "s.cfg", &a, NULL, d),
                     PESIM_E_INVALID);
    char *got = diag_text(d);
    assert_non_null(strstr(got, "s.cfg:2:1: error: a NUL byte, expected text\n"));
    free(got);
    size_t n = 10000;
    char *longl = malloc(n + 1);
    memset(longl, 'a', n);
    longl[n] = '\0';
    pesim_diags_destroy(d);
    d = pesim_diags_create();
    assert_int_equal(pesim_import_scalesim_cfg(longl, n, "s.cfg", &a, NULL, d), PESIM_E_INVALID);
    got = diag_text(d);
    assert_non_null(strstr(got, "s.cfg:1:1: error: a line of 10000 characters, expected at most "
                                "4096\n"));
    free(got);
    free(longl);
    pesim_diags_destroy(d);
}

static void test_detect(void **state)
{
    (void)state;
    assert_true(pesim_sc_is_cfg(base_cfg, strlen(base_cfg)));
    static const char yaml[] = "name: x\nlevels: []\n";
    assert_false(pesim_sc_is_cfg(yaml, sizeof yaml - 1));
}

/* The systolic dataflows on the .cfg: SCALE-Sim's 4x4 os run of a 3x3
 * conv (tests/scalesim/data/cases.csv, first row: 11,699 cycles). */
static void test_runs_sa(void **state)
{
    (void)state;
    char *t = edited("ArrayHeight:    32\nArrayWidth:     16", "ArrayHeight: 4\nArrayWidth: 4");
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    assert_int_equal(pesim_import_scalesim_cfg(t, strlen(t), "s.cfg", &a, NULL, d), 0);
    struct pesim_layer l = {.name = "c3x3", .kind = PESIM_LAYER_CONV,
                            .dim = {[PESIM_DIM_N] = 1, [PESIM_DIM_G] = 1, [PESIM_DIM_M] = 24,
                                    [PESIM_DIM_C] = 16, [PESIM_DIM_P] = 7, [PESIM_DIM_Q] = 7,
                                    [PESIM_DIM_R] = 3, [PESIM_DIM_S] = 3},
                            .stride = {1, 1}, .dilation = {1, 1}};
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find(a.dataflow), &a, &l, &m, d), 0);
    struct pesim_layer_result r;
    assert_int_equal(pesim_sim_layer_engine(&a, &l, &m, PESIM_ENGINE_EVENT, "s", &r, d), 0);
    assert_int_equal(r.steady_cycles - 1, 11699);
    /* folds: ceil(49 / 4) pixel folds x 24 / 4 filter folds, each
     * 144 + 4 + 4 - 2 cycles (docs/systolic.md) */
    assert_int_equal(r.analysis.folds, 13 * 6);
    assert_int_equal(r.analysis.ideal_cycles, 13 * 6 * (144 + 4 + 4 - 2));
    assert_int_equal(r.layer.dim[PESIM_DIM_N], 49); /* the im2col view */
    assert_int_equal(r.source.dim[PESIM_DIM_P], 7);
    free(t);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_the_array),
        cmocka_unit_test(test_user_bandwidth_and_case),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_user_needs_bandwidth),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_runs_sa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
