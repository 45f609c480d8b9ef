/* The one definition of "the same layer" (include/pesim/sim.h,
 * pesim_sim_same_layer and pesim_sim_layer_key): names never matter,
 * every other field does; the key agrees with the comparison and fits its
 * buffer at the largest values; the network runner marks as repeats
 * exactly the layers the definition calls the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../dataflows/fixtures.h"
#include "pesim.h"

/* Key equality and the comparison say the same, both ways round. */
static bool same(const struct pesim_layer *a, const struct pesim_layer *b)
{
    char ka[PESIM_LAYER_KEY_MAX], kb[PESIM_LAYER_KEY_MAX];
    size_t na = pesim_sim_layer_key(a, ka), nb = pesim_sim_layer_key(b, kb);
    assert_int_equal(na, strlen(ka));
    assert_int_equal(nb, strlen(kb));
    bool s = pesim_sim_same_layer(a, b);
    assert_true(s == pesim_sim_same_layer(b, a));
    assert_true(s == (strcmp(ka, kb) == 0));
    return s;
}

static void test_names_do_not_matter(void **state)
{
    (void)state;
    struct pesim_layer a = fx_layer(4, 16, 8, 7, 7, 3, 3), b = a;
    strcpy(b.name, "another name");
    assert_true(same(&a, &a));
    assert_true(same(&a, &b));
}

/* Each field but the name, changed alone, makes another layer. */
static void test_every_other_field_matters(void **state)
{
    (void)state;
    struct pesim_layer a = fx_layer(4, 16, 8, 7, 7, 3, 3);
    a.pad[0] = a.pad[1] = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        struct pesim_layer b = a;
        b.dim[d]++;
        assert_false(same(&a, &b));
    }
    for (unsigned ax = 0; ax < 2; ax++) {
        struct pesim_layer b = a, c = a, e = a;
        b.stride[ax]++;
        c.pad[ax]++;
        e.dilation[ax]++;
        assert_false(same(&a, &b));
        assert_false(same(&a, &c));
        assert_false(same(&a, &e));
        assert_false(same(&b, &c)); /* two fields changed apart */
    }
    struct pesim_layer k = a;
    k.kind = PESIM_LAYER_GEMM;
    assert_false(same(&a, &k));
    /* digits that could run together: dims 1,12 vs 11,2 */
    struct pesim_layer x = a, y = a;
    x.dim[PESIM_DIM_P] = 1, x.dim[PESIM_DIM_Q] = 12;
    y.dim[PESIM_DIM_P] = 11, y.dim[PESIM_DIM_Q] = 2;
    assert_false(same(&x, &y));
}

/* The largest values fit PESIM_LAYER_KEY_MAX with room to spare, and the
 * key is printable (it is hashed and compared, never parsed). */
static void test_key_fits(void **state)
{
    (void)state;
    struct pesim_layer l;
    memset(&l, 0xff, sizeof l);
    l.name[0] = '\0';
    l.kind = PESIM_LAYER_KIND_COUNT - 1;
    char key[PESIM_LAYER_KEY_MAX];
    size_t n = pesim_sim_layer_key(&l, key);
    assert_int_equal(n, strlen(key));
    assert_true(n < PESIM_LAYER_KEY_MAX - 1);
    for (size_t i = 0; i < n; i++)
        assert_true(key[i] > ' ' && key[i] < 127);
    struct pesim_layer m = l;
    m.dim[PESIM_DIM_S]--;
    assert_false(same(&l, &m));
}

/* A whole-network run: same_as names the first earlier layer that is the
 * same, for exactly those layers, and a repeat's numbers are its first's. */
static void test_network_repeats(void **state)
{
    (void)state;
    struct pesim_arch a = fx_arch(4, 4);
    struct pesim_layer ls[6] = {
        fx_layer(1, 8, 4, 6, 6, 3, 3), fx_layer(1, 8, 4, 6, 6, 3, 3),
        fx_layer(1, 8, 4, 6, 6, 1, 1), fx_layer(1, 8, 4, 6, 6, 3, 3),
        fx_layer(1, 8, 4, 6, 6, 3, 3), fx_layer(1, 8, 4, 6, 6, 1, 1),
    };
    ls[4].pad[1] = 1; /* differs only in padding: not a repeat */
    for (unsigned i = 0; i < 6; i++)
        ls[i].name[0] = (char)('a' + i), ls[i].name[1] = '\0';
    struct pesim_workload wl = {"w", 6, ls};
    struct pesim_layer_result out[6], total;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_sim_network(&a, &wl, pesim_df_find("ws"), PESIM_ENGINE_ANALYSIS,
                                       PESIM_OBJECTIVE_LATENCY, 1, out, &total, d),
                     0);
    for (size_t i = 0; i < 6; i++) {
        size_t first = i;
        for (size_t j = 0; j < i && first == i; j++)
            if (pesim_sim_same_layer(&ls[i], &ls[j]))
                first = j;
        assert_string_equal(out[i].layer.name, ls[i].name);
        if (first == i) {
            assert_string_equal(out[i].same_as, "");
        } else {
            assert_string_equal(out[i].same_as, ls[first].name);
            assert_int_equal(out[i].cycles, out[first].cycles);
            assert_memory_equal(&out[i].analysis, &out[first].analysis, sizeof out[i].analysis);
        }
    }
    assert_string_equal(out[1].same_as, "a");
    assert_string_equal(out[3].same_as, "a");
    assert_string_equal(out[4].same_as, "");
    assert_string_equal(out[5].same_as, "c");
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_do_not_matter),
        cmocka_unit_test(test_every_other_field_matters),
        cmocka_unit_test(test_key_fits),
        cmocka_unit_test(test_network_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
