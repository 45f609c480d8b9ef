/* The shipped templates written as constraint sets (configs/dataflows/
 * NAME.yaml; docs/dataflows.md, "A dataflow of your own").
 *
 * For each template, on AlexNet's CONV1, CONV3 and FC6 and two
 * architectures: the
 * template mapper's pick lies in the space its file describes (it keeps
 * every constraint the file adds, pesim_map_check_rules on the
 * architecture with the file applied), and the whole-mapspace search
 * under the file finds a legal mapping of that space. Plus the loader's
 * errors and the role rules on an N-level architecture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dataflows/mapspace.h"
#include "pesim.h"

static const char *const names[] = {"ws", "os", "os_a", "os_c", "is", "nlr", "rs"};
static const char *const archs[] = {"eyeriss-v1", "generic-16x16"};
/* AlexNet's layers of three kinds: 11x11 stride 4, 3x3, fully connected
 * (the others repeat their shapes' kinds; the sanitizer suite's time) */
static const char *const layers = "CONV1,CONV3,FC6";

static void test_templates_in_their_space(void **state)
{
    (void)state;
    struct pesim_workload wl;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_wl_load_any("alexnet", &wl, d), 0);
    assert_int_equal(pesim_workload_select(&wl, layers, d), 0);
    for (size_t t = 0; t < sizeof names / sizeof names[0]; t++) {
        char path[128];
        snprintf(path, sizeof path, "configs/dataflows/%s.yaml", names[t]);
        struct pesim_df_rules rules;
        int rc = pesim_df_rules_load(path, &rules, d);
        if (rc)
            pesim_diags_print(d, stderr);
        assert_int_equal(rc, 0);
        pesim_dataflow *file_df;
        assert_int_equal(pesim_df_from_rules(&rules, &file_df), 0);
        const pesim_dataflow *tpl = pesim_df_find(names[t]);
        assert_non_null(tpl);
        for (size_t a = 0; a < sizeof archs / sizeof archs[0]; a++) {
            struct pesim_arch arch, ruled;
            assert_int_equal(pesim_arch_load(archs[a], &arch, d), 0);
            ruled = arch;
            assert_int_equal(pesim_df_rules_apply(&rules, &ruled, NULL, 0), 0);
            for (size_t i = 0; i < wl.count; i++) {
                const struct pesim_layer *l = &wl.layers[i];
                struct pesim_mapping m;
                if (pesim_df_map_for(tpl, &arch, l, PESIM_OBJECTIVE_ENERGY, &m, d))
                    continue; /* the template has no mapping here: nothing to compare */
                pesim_diags *why = pesim_diags_create();
                rc = pesim_map_check_rules(&ruled, l, &m, names[t], why);
                if (rc) {
                    fprintf(stderr, "%s on %s, layer %s:\n", names[t], archs[a], l->name);
                    pesim_diags_print(why, stderr);
                }
                pesim_diags_destroy(why);
                assert_int_equal(rc, 0);
                struct pesim_mapping f;
                assert_int_equal(pesim_df_map_for(file_df, &arch, l, PESIM_OBJECTIVE_ENERGY, &f,
                                                  d),
                                 0);
                assert_int_equal(pesim_map_check_rules(&ruled, l, &f, "f", NULL), 0);
            }
        }
        pesim_df_free(file_df);
    }
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

/* Each file says what its template's C row says: df_template_rules, what
 * a template on a constrained architecture (a Timeloop design) searches
 * under, is the file's constraints. */
static void test_files_are_the_templates(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    for (size_t t = 0; t < sizeof names / sizeof names[0]; t++) {
        char path[128];
        snprintf(path, sizeof path, "configs/dataflows/%s.yaml", names[t]);
        struct pesim_df_rules file, row;
        assert_int_equal(pesim_df_rules_load(path, &file, d), 0);
        df_template_rules(pesim_df_find(names[t]), &row);
        assert_memory_equal(&file.dram, &row.dram, sizeof file.dram);
        assert_memory_equal(&file.glb, &row.glb, sizeof file.glb);
        assert_memory_equal(&file.array, &row.array, sizeof file.array);
        assert_memory_equal(&file.pe, &row.pe, sizeof file.pe);
        assert_int_equal(file.pe_keeps_only, row.pe_keeps_only);
    }
    pesim_diags_destroy(d);
}

/* On a preset (no constraints) the whole-mapspace pick is never worse
 * than any template's: their picks join its candidates. */
static void test_mapspace_beats_templates(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    struct pesim_workload wl;
    struct pesim_arch arch;
    assert_int_equal(pesim_wl_load_any("alexnet", &wl, d), 0);
    assert_int_equal(pesim_workload_select(&wl, "CONV1,CONV3", d), 0);
    assert_int_equal(pesim_arch_load("eyeriss-v1", &arch, d), 0);
    const pesim_dataflow *ms = pesim_df_find("mapspace");
    assert_non_null(ms);
    for (size_t i = 0; i < wl.count; i++) {
        struct pesim_mapping m;
        struct pesim_analysis a;
        struct pesim_energy e;
        assert_int_equal(pesim_df_map_for(ms, &arch, &wl.layers[i], PESIM_OBJECTIVE_ENERGY, &m,
                                          d),
                         0);
        assert_int_equal(pesim_map_analyze(&arch, &wl.layers[i], &m, &a), 0);
        uint64_t b[PESIM_BOUND_COUNT];
        pesim_energy_compute(&arch, &a, pesim_map_bounds(&arch, &a, b, NULL), &e);
        for (size_t t = 0; t < sizeof names / sizeof names[0]; t++) {
            struct pesim_mapping tm;
            struct pesim_analysis ta;
            struct pesim_energy te;
            if (pesim_df_map_for(pesim_df_find(names[t]), &arch, &wl.layers[i],
                                 PESIM_OBJECTIVE_ENERGY, &tm, d))
                continue;
            assert_int_equal(pesim_map_analyze(&arch, &wl.layers[i], &tm, &ta), 0);
            pesim_energy_compute(&arch, &ta, pesim_map_bounds(&arch, &ta, b, NULL), &te);
            assert_true(e.total <= te.total);
        }
    }
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

static void test_bad_file(void **state)
{
    (void)state;
    static const char text[] = "dataflow:\n  name: x\n  pe: {keep: [wieghts], factors: {Z: 1}}\n";
    pesim_diags *d = pesim_diags_create();
    struct pesim_df_rules r;
    assert_int_equal(pesim_df_rules_load_string(text, sizeof text - 1, "bad.yaml", &r, d),
                     PESIM_E_INVALID);
    assert_true(pesim_diags_count(d) >= 2);
    char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    pesim_diags_print(d, f);
    fclose(f);
    assert_non_null(strstr(buf, "bad.yaml:3:"));
    pesim_diags_destroy(d);
}

/* On a general architecture the roles find their levels: the outermost
 * fan-out's level gets glb and array, every level below it pe. */
static void test_roles(void **state)
{
    (void)state;
    pesim_diags *d = pesim_diags_create();
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1-spads", &a, d), 0);
    static const char text[] = "dataflow:\n  name: r\n  glb: {factors: {N: 1}}\n"
                               "  array: {x: [M]}\n  pe: {keep: [weights]}\n";
    struct pesim_df_rules r;
    assert_int_equal(pesim_df_rules_load_string(text, sizeof text - 1, "r.yaml", &r, d), 0);
    struct pesim_arch b = a;
    assert_int_equal(pesim_df_rules_apply(&r, &b, NULL, 0), 0);
    unsigned array = 0;
    while (!pesim_arch_has_fanout(&a, array))
        array++;
    assert_int_equal(b.level[array].rules.factor[PESIM_DIM_N], 1);
    assert_true(b.level[array].rules.no_axis[PESIM_DIM_C] & (1u << PESIM_AXIS_X));
    assert_false(b.level[array].rules.no_axis[PESIM_DIM_M] & (1u << PESIM_AXIS_X));
    for (unsigned lv = array + 1; lv < b.nlevels; lv++) {
        assert_false(b.level[lv].holds[PESIM_DS_INPUTS]);
        assert_int_equal(b.level[lv].rules.keep[PESIM_DS_WEIGHTS],
                         a.level[lv].holds[PESIM_DS_WEIGHTS]);
    }
    /* a factor fixed two ways contradicts */
    b.level[array].rules.factor[PESIM_DIM_N] = 2;
    struct pesim_arch c = b;
    assert_int_equal(pesim_df_rules_apply(&r, &c, NULL, 0), PESIM_E_NOMAP);
    assert_memory_equal(&c, &b, sizeof c);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_in_their_space),
        cmocka_unit_test(test_files_are_the_templates),
        cmocka_unit_test(test_mapspace_beats_templates),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
