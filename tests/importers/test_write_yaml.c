/* pesim_workload_write_yaml: what it writes reads back to the same
 * layers, for every kind and for names that need quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim.h"

static void round_trip(const struct pesim_workload *wl)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(pesim_workload_write_yaml(wl, f), 0);
    fclose(f);
    struct pesim_workload back = {0};
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_workload_load_string(buf, len, "written.yaml", &back, d);
    if (rc) {
        pesim_diags_print(d, stderr);
        fprintf(stderr, "%s", buf);
    }
    assert_int_equal(rc, 0);
    assert_string_equal(back.name, wl->name);
    assert_int_equal(back.count, wl->count);
    for (size_t i = 0; i < wl->count; i++)
        assert_memory_equal(&back.layers[i], &wl->layers[i], sizeof back.layers[i]);
    pesim_workload_free(&back);
    pesim_diags_destroy(d);
    free(buf);
}

/* Every shipped network. */
static void test_shipped(void **state)
{
    (void)state;
    for (const char *const *p = pesim_workload_presets(); *p; p++) {
        struct pesim_workload wl = {0};
        assert_int_equal(pesim_workload_load(*p, &wl, NULL), 0);
        round_trip(&wl);
        pesim_workload_free(&wl);
    }
}

/* Every kind, rectangular strides and padding, and names with quotes,
 * backslashes, colons and slashes. */
static void test_kinds_and_names(void **state)
{
    (void)state;
    static const char text[] =
        "name: \"odd: net\"\n"
        "layers:\n"
        "  - {name: \"/a/conv:0\", type: conv, N: 2, G: 4, M: 3, C: 5, P: 7, Q: 6, R: 3, S: 2,"
        " stride: [2, 1], padding: [1, 0], dilation: [1, 2]}\n"
        "  - {name: \"q\\\"uote\\\\\", type: fc, N: 3, M: 10, C: 4, R: 2, S: 2}\n"
        "  - {name: g, type: gemm, m: 128, n: 768, k: 64}\n"
        "  - {name: h, type: matmul, G: 12, m: 128, n: 128, k: 64}\n";
    struct pesim_workload wl = {0};
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_workload_load_string(text, sizeof text - 1, "t.yaml", &wl, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    assert_string_equal(wl.layers[0].name, "/a/conv:0");
    assert_string_equal(wl.layers[1].name, "q\"uote\\");
    assert_int_equal(wl.layers[3].dim[PESIM_DIM_G], 12);
    assert_int_equal(pesim_layer_params(&wl.layers[3]), 0);
    assert_int_equal(pesim_layer_params(&wl.layers[2]), 64 * 768);
    round_trip(&wl);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_kinds_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
