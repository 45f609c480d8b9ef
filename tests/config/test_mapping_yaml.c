/* Mapping YAML: loads the documented shape; write -> load is the identity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag_text.h"

static void assert_same(const struct pesim_mapping *a,
                        const struct pesim_mapping *b)
{
    for (int lv = 0; lv < PESIM_LEVEL_COUNT; lv++) {
        assert_int_equal(a->ntemporal[lv], b->ntemporal[lv]);
        for (int i = 0; i < a->ntemporal[lv]; i++) {
            assert_int_equal(a->temporal[lv][i].dim, b->temporal[lv][i].dim);
            assert_int_equal(a->temporal[lv][i].bound, b->temporal[lv][i].bound);
        }
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            assert_int_equal(a->bypass[lv][ds], b->bypass[lv][ds]);
    }
    assert_int_equal(a->nspatial[PESIM_LEVEL_GLB], b->nspatial[PESIM_LEVEL_GLB]);
    for (int i = 0; i < a->nspatial[PESIM_LEVEL_GLB]; i++) {
        assert_int_equal(a->spatial[PESIM_LEVEL_GLB][i].dim, b->spatial[PESIM_LEVEL_GLB][i].dim);
        assert_int_equal(a->spatial[PESIM_LEVEL_GLB][i].axis, b->spatial[PESIM_LEVEL_GLB][i].axis);
        assert_int_equal(a->spatial[PESIM_LEVEL_GLB][i].bound, b->spatial[PESIM_LEVEL_GLB][i].bound);
    }
}

/* The shorthand's three levels, by name. */
static struct pesim_arch three_levels(void)
{
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    return a;
}

static char *write(const struct pesim_mapping *m)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    struct pesim_arch a = three_levels();
    assert_int_equal(pesim_mapping_write_yaml(&a, m, f), 0);
    fclose(f);
    return buf;
}

static void round_trip(const struct pesim_mapping *m)
{
    char *text = write(m);
    struct pesim_mapping back;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_mapping_load_string(text, strlen(text), "rt.yaml", &back, d);
    if (rc) {
        char *msg = diag_text(d);
        print_error("%s\n%s", text, msg);
        free(msg);
    }
    assert_int_equal(rc, 0);
    assert_same(m, &back);
    /* And the text is a fixed point. */
    char *again = write(&back);
    assert_string_equal(text, again);
    free(again);
    free(text);
    pesim_diags_destroy(d);
}

static void test_load_documented(void **state)
{
    (void)state;
    static const char text[] =
        "mapping:\n"
        "  dram:    {temporal: [{dim: M, bound: 2}, {dim: C, bound: 3}], "
        "bypass: []}\n"
        "  glb:     {temporal: [], bypass: [weights]}\n"
        "  spatial: [{dim: P, bound: 14, axis: x}, {dim: R, bound: 11, axis: "
        "y}]\n"
        "  rf:      {temporal: [{dim: S, bound: 11}], bypass: [inputs]}\n";
    struct pesim_mapping m;
    assert_int_equal(pesim_mapping_load_string(text, strlen(text), "m.yaml", &m, NULL), 0);
    assert_int_equal(m.ntemporal[PESIM_LEVEL_DRAM], 2);
    assert_int_equal(m.temporal[PESIM_LEVEL_DRAM][0].dim, PESIM_DIM_M);
    assert_int_equal(m.temporal[PESIM_LEVEL_DRAM][1].bound, 3);
    assert_int_equal(m.ntemporal[PESIM_LEVEL_GLB], 0);
    assert_true(m.bypass[PESIM_LEVEL_GLB][PESIM_DS_WEIGHTS]);
    assert_int_equal(m.nspatial[PESIM_LEVEL_GLB], 2);
    assert_int_equal(m.spatial[PESIM_LEVEL_GLB][1].dim, PESIM_DIM_R);
    assert_int_equal(m.spatial[PESIM_LEVEL_GLB][1].axis, PESIM_AXIS_Y);
    assert_int_equal(m.temporal[PESIM_LEVEL_RF][0].dim, PESIM_DIM_S);
    assert_true(m.bypass[PESIM_LEVEL_RF][PESIM_DS_INPUTS]);
    round_trip(&m);
}

static void test_round_trip_structs(void **state)
{
    (void)state;
    struct pesim_mapping m;
    memset(&m, 0, sizeof m);
    round_trip(&m); /* empty nest */
    /* Full lists everywhere, pseudo-random contents with a fixed seed. */
    unsigned seed = 12345;
    for (int rep = 0; rep < 50; rep++) {
        memset(&m, 0, sizeof m);
        for (int lv = 0; lv < PESIM_LEVEL_COUNT; lv++) {
            seed = seed * 1103515245u + 12345u;
            m.ntemporal[lv] = (uint8_t)((seed >> 8) % (PESIM_MAX_LOOPS + 1));
            for (int i = 0; i < m.ntemporal[lv]; i++) {
                seed = seed * 1103515245u + 12345u;
                m.temporal[lv][i].dim = (uint8_t)((seed >> 4) % PESIM_DIM_COUNT);
                m.temporal[lv][i].bound = 1 + (seed >> 9) % 100000;
            }
            for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
                m.bypass[lv][ds] = lv != PESIM_LEVEL_DRAM && ((seed >> (ds + 1)) & 1);
        }
        seed = seed * 1103515245u + 12345u;
        m.nspatial[PESIM_LEVEL_GLB] = (uint8_t)((seed >> 8) % (PESIM_MAX_LOOPS + 1));
        for (int i = 0; i < m.nspatial[PESIM_LEVEL_GLB]; i++) {
            seed = seed * 1103515245u + 12345u;
            m.spatial[PESIM_LEVEL_GLB][i].dim = (uint8_t)((seed >> 4) % PESIM_DIM_COUNT);
            m.spatial[PESIM_LEVEL_GLB][i].axis = (uint8_t)((seed >> 7) % PESIM_AXIS_COUNT);
            m.spatial[PESIM_LEVEL_GLB][i].bound = rep == 0 ? 4294967295u : 1 + (seed >> 9) % 4096;
        }
        round_trip(&m);
    }
}

static void test_too_many_loops(void **state)
{
    (void)state;
    char text[2048] = "mapping:\n  rf:\n    temporal: [";
    for (int i = 0; i < PESIM_MAX_LOOPS + 1; i++)
        strcat(text, i ? ", {dim: N, bound: 1}" : "{dim: N, bound: 1}");
    strcat(text, "]\n");
    pesim_diags *d = pesim_diags_create();
    struct pesim_mapping m;
    assert_int_equal(pesim_mapping_load_string(text, strlen(text), "big.yaml", &m, d),
                     PESIM_E_INVALID);
    char *got = diag_text(d);
    assert_string_equal(got, "big.yaml:3:15: error: mapping.rf.temporal: got "
                             "17 loops, expected at most 16\n");
    free(got);
    pesim_diags_destroy(d);
}

/* A mapping per layer: written and read back unchanged, names that need
 * quoting included; the errors of a malformed set, golden. */
static void test_mapping_sets(void **state)
{
    (void)state;
    struct pesim_named_mapping items[2];
    memset(items, 0, sizeof items);
    strcpy(items[0].layer, "res2a:branch\"2a");
    pesim_mapping_add_temporal(&items[0].mapping, PESIM_LEVEL_GLB, PESIM_DIM_P, 7);
    pesim_mapping_add_spatial(&items[0].mapping, PESIM_LEVEL_GLB, PESIM_DIM_M, 4, PESIM_AXIS_X);
    items[0].mapping.bypass[PESIM_LEVEL_RF][PESIM_DS_INPUTS] = true;
    strcpy(items[1].layer, "fc");
    pesim_mapping_add_temporal(&items[1].mapping, PESIM_LEVEL_DRAM, PESIM_DIM_C, 3);
    struct pesim_mapping_set set = {2, items}, back;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct pesim_arch a = three_levels();
    assert_int_equal(pesim_mapping_set_write_yaml(&a, &set, f), 0);
    fclose(f);
    assert_int_equal(pesim_mapping_set_load_string(buf, len, "set.yaml", &back, NULL), 0);
    assert_int_equal(back.count, 2);
    /* The loaded items also say where their bounds are (bound_at). */
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(back.items[i].layer, items[i].layer);
        items[i].mapping.nlevels = 3; /* written out in the general form */
        assert_memory_equal(&back.items[i].mapping, &items[i].mapping, sizeof items[i].mapping);
    }
    assert_int_not_equal(back.items[1].bound_at[PESIM_DIM_C].line, 0);
    assert_int_equal(back.items[1].bound_at[PESIM_DIM_P].line, 0);
    assert_non_null(pesim_mapping_set_find(&back, "fc"));
    assert_null(pesim_mapping_set_find(&back, "nope"));
    /* a single mapping is not a set */
    struct pesim_mapping one;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_mapping_load_string(buf, len, "set.yaml", &one, d), PESIM_E_INVALID);
    free(buf);
    pesim_mapping_set_free(&back);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"{}\n", "b.yaml: error: got neither, expected either `mapping` (one layer) or "
                 "`layers` (a mapping per layer)\n"},
        {"mapping: {}\nlayers: []\n",
         "b.yaml:2:9: error: layers: got an empty list, expected at least one "
         "{layer, mapping}\n"},
        {"layers:\n  - {layer: a, mapping: {}}\n  - {layer: a, mapping: {}}\n",
         "b.yaml:3:5: error: layers[1]: layer 'a' again, expected each layer once "
         "(first at layers[0])\n"},
        {"layers:\n  - {mapping: {}}\n",
         "b.yaml:2:5: error: layers[0].layer: missing required key, expected a string of 1 "
         "to 63 characters\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pesim_diags *e = pesim_diags_create();
        struct pesim_mapping_set x;
        assert_int_equal(pesim_mapping_set_load_string(bad[i].text, strlen(bad[i].text),
                                                       "b.yaml", &x, e),
                         PESIM_E_INVALID);
        char *got = diag_text(e);
        assert_string_equal(got, bad[i].want);
        free(got);
        pesim_diags_destroy(e);
    }
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_documented),
        cmocka_unit_test(test_round_trip_structs),
        cmocka_unit_test(test_too_many_loops),
        cmocka_unit_test(test_mapping_sets),
    };
    return cmocka_run_group_tests_name("mapping_yaml", tests, NULL, NULL);
}
