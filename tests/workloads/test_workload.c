/* Workloads: AlexNet against the published counts; layer geometry; select
 * and batch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim.h"

static char *diags_str(const pesim_diags *d)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    pesim_diags_print(d, f);
    fclose(f);
    return buf;
}

static const struct {
    const char *name;
    uint64_t macs;
} alexnet_macs[] = {
    /* Published per-layer MACs at batch 1 (Eyeriss, JSSC 2017; Sze et al.,
     * Proc. IEEE 2017). */
    {"CONV1", 105415200}, {"CONV2", 223948800}, {"CONV3", 149520384},
    {"CONV4", 112140288}, {"CONV5", 74760192},  {"FC6", 37748736},
    {"FC7", 16777216},    {"FC8", 4096000},
};

static void test_alexnet(void **state)
{
    (void)state;
    struct pesim_workload w;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_workload_load("alexnet", &w, d);
    if (rc) {
        char *s = diags_str(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    assert_string_equal(w.name, "alexnet");
    assert_int_equal(w.count, 8);
    uint64_t total = 0, conv_w = 0, fc_w = 0;
    for (size_t i = 0; i < w.count; i++) {
        const struct pesim_layer *l = &w.layers[i];
        assert_string_equal(l->name, alexnet_macs[i].name);
        assert_int_equal(pesim_layer_macs(l), alexnet_macs[i].macs);
        assert_int_equal(l->dim[PESIM_DIM_N], 1);
        total += pesim_layer_macs(l);
        uint64_t wt = pesim_layer_ds_words(l, PESIM_DS_WEIGHTS);
        if (l->kind == PESIM_LAYER_CONV)
            conv_w += wt;
        else
            fc_w += wt;
    }
    assert_int_equal(total, 724406816); /* "724M MACs" */
    /* Weights: exact sums of the shapes, and the published 2.3M / 58.6M /
     * 61M rounding. */
    assert_int_equal(conv_w, 2332704);
    assert_int_equal(fc_w, 58621952);
    assert_int_equal((conv_w + 50000) / 100000, 23);
    assert_int_equal((fc_w + 50000) / 100000, 586);
    assert_int_equal((conv_w + fc_w + 500000) / 1000000, 61);

    /* Geometry: CONV1 reads the 227x227 image; CONV2 a padded 31x31. */
    assert_int_equal(pesim_layer_h(&w.layers[0]), 227);
    assert_int_equal(pesim_layer_w(&w.layers[0]), 227);
    assert_int_equal(pesim_layer_ds_words(&w.layers[0], PESIM_DS_INPUTS),
                     3ull * 227 * 227);
    assert_int_equal(pesim_layer_h(&w.layers[1]), 31);
    assert_int_equal(w.layers[1].dim[PESIM_DIM_G], 2);
    assert_int_equal(pesim_layer_ds_words(&w.layers[1], PESIM_DS_OUTPUTS),
                     256ull * 27 * 27);
    /* FC6: a 6x6x256 input, P = Q = 1. */
    assert_int_equal(w.layers[5].kind, PESIM_LAYER_FC);
    assert_int_equal(pesim_layer_h(&w.layers[5]), 6);
    assert_int_equal(w.layers[5].dim[PESIM_DIM_P], 1);
    assert_string_equal(pesim_layer_kind_name(w.layers[5].kind), "fc");
    assert_null(pesim_layer_kind_name(PESIM_LAYER_KIND_COUNT));
    pesim_workload_free(&w);
    assert_null(w.layers);
    pesim_diags_destroy(d);
}

static void test_presets(void **state)
{
    (void)state;
    const char *const *names = pesim_workload_presets();
    assert_string_equal(names[0], "alexnet");
    assert_non_null(names[1]); /* the rest: tests/workloads/test_networks.c */
    pesim_diags *d = pesim_diags_create();
    struct pesim_workload w;
    assert_int_equal(pesim_workload_load("nonet", &w, d), PESIM_E_NOTFOUND);
    char *s = diags_str(d);
    assert_string_equal(s, "nonet: error: no workload preset or readable "
                           "file of that name, expected a path or one of "
                           "alexnet, vgg16, resnet50, mobilenet_v1, "
                           "mobilenet_v2, bert_base_128, bert_base_512\n");
    free(s);
    pesim_diags_destroy(d);
    /* And by path. */
    assert_int_equal(pesim_workload_load("workloads/lib/alexnet.yaml", &w, NULL), 0);
    assert_int_equal(w.count, 8);
    pesim_workload_free(&w);
}

static void test_kinds(void **state)
{
    (void)state;
    static const char text[] =
        "name: k\n"
        "layers:\n"
        "  - {name: c, M: 8, C: 4, H: 9, W: 16, R: 3, S: 3, stride: [2, 1], "
        "padding: [1, 0], dilation: [1, 2]}\n"
        "  - {name: g, type: gemm, m: 3, n: 5, k: 7}\n"
        "  - {name: f, type: fc, M: 10, C: 4, H: 5, W: 6}\n";
    struct pesim_workload w;
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_workload_load_string(text, strlen(text), "k.yaml", &w, d);
    if (rc) {
        char *s = diags_str(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    const struct pesim_layer *c = &w.layers[0];
    /* P from H: (9 + 2 - 3) / 2 + 1 = 5; Q: (16 - 5) / 1 + 1 = 12. */
    assert_int_equal(c->dim[PESIM_DIM_P], 5);
    assert_int_equal(c->dim[PESIM_DIM_Q], 12);
    assert_int_equal(pesim_layer_h(c), 11); /* padded */
    assert_int_equal(pesim_layer_w(c), 16);
    assert_int_equal(c->stride[0], 2);
    assert_int_equal(c->pad[1], 0);
    assert_int_equal(c->dilation[1], 2);
    const struct pesim_layer *g = &w.layers[1];
    assert_int_equal(g->kind, PESIM_LAYER_GEMM);
    assert_int_equal(g->dim[PESIM_DIM_N], 3);
    assert_int_equal(g->dim[PESIM_DIM_M], 5);
    assert_int_equal(g->dim[PESIM_DIM_C], 7);
    assert_int_equal(pesim_layer_macs(g), 105);
    const struct pesim_layer *f = &w.layers[2];
    assert_int_equal(f->dim[PESIM_DIM_R], 5);
    assert_int_equal(f->dim[PESIM_DIM_S], 6);
    assert_int_equal(pesim_layer_macs(f), 10 * 4 * 30);
    pesim_workload_free(&w);
    pesim_diags_destroy(d);
}

/* A stride-2 "same" convolution: frameworks give P = 16 for H = 31 or 32
 * (P = floor((H + 2 - 3) / 2) + 1); both are accepted with P, H = 33 is
 * not, and the message gives the accepted range. */
static void test_strided_h_range(void **state)
{
    (void)state;
    const char *ok[] = {"31", "32"};
    for (int i = 0; i < 2; i++) {
        char text[200];
        snprintf(text, sizeof text,
                 "name: s\nlayers:\n  - {name: c, M: 8, C: 4, H: %s, W: 32, P: 16, Q: 16, "
                 "R: 3, S: 3, stride: 2, padding: 1}\n", ok[i]);
        struct pesim_workload w;
        pesim_diags *d = pesim_diags_create();
        assert_int_equal(pesim_workload_load_string(text, strlen(text), "s.yaml", &w, d), 0);
        assert_int_equal(pesim_layer_h(&w.layers[0]), 33);
        pesim_workload_free(&w);
        pesim_diags_destroy(d);
    }
    static const char bad[] = "name: s\nlayers:\n  - {name: c, M: 8, C: 4, H: 33, W: 32, "
                              "P: 16, Q: 16, R: 3, S: 3, stride: 2, padding: 1}\n";
    struct pesim_workload w;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_workload_load_string(bad, strlen(bad), "s.yaml", &w, d), PESIM_E_INVALID);
    char *msg = diags_str(d);
    assert_string_equal(msg, "s.yaml:3:30: error: layers[0].H: got 33, expected 31 to 32, from P = "
                             "floor((H + 2*padding - (R-1)*dilation - 1) / U) + 1 with P=16, U=2, "
                             "R=3, dilation=1, padding=1\n");
    free(msg);
    pesim_diags_destroy(d);
}

static void check_select(const char *sel, const char *want)
{
    struct pesim_workload w;
    assert_int_equal(pesim_workload_load("alexnet", &w, NULL), 0);
    assert_int_equal(pesim_workload_select(&w, sel, NULL), 0);
    char got[256] = "";
    for (size_t i = 0; i < w.count; i++) {
        strcat(got, i ? "," : "");
        strcat(got, w.layers[i].name);
    }
    assert_string_equal(got, want);
    pesim_workload_free(&w);
}

static void test_select(void **state)
{
    (void)state;
    check_select("CONV2", "CONV2");
    check_select("FC7,CONV1", "CONV1,FC7"); /* workload order */
    check_select("CONV2:CONV4", "CONV2,CONV3,CONV4");
    check_select("fc", "FC6,FC7,FC8");
    check_select("conv, FC8", "CONV1,CONV2,CONV3,CONV4,CONV5,FC8");
    check_select("CONV5:FC6,CONV1", "CONV1,CONV5,FC6");

    struct pesim_workload w;
    assert_int_equal(pesim_workload_load("alexnet", &w, NULL), 0);
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_workload_select(&w, "CONV1,CONV9", d), PESIM_E_NOTFOUND);
    assert_int_equal(w.count, 8); /* unchanged */
    assert_int_equal(pesim_workload_select(&w, "gemm", d), PESIM_E_NOTFOUND);
    assert_int_equal(pesim_workload_select(&w, "CONV3:CONV1", d), PESIM_E_NOTFOUND);
    /* no file: the library does not know where the selector came from */
    char *s = diags_str(d);
    assert_string_equal(
        s,
        "pesim: error: no layer 'CONV9' in alexnet, expected one of CONV1, "
        "CONV2, CONV3, CONV4, CONV5, FC6, FC7, FC8, a range FIRST:LAST, or a "
        "kind conv, fc, gemm, matmul\n"
        "pesim: error: no gemm layer in alexnet, expected a kind that the "
        "workload has\n"
        "pesim: error: range 'CONV3:CONV1' runs backwards, expected the "
        "first layer before the last in workload order\n");
    free(s);
    for (size_t i = 0; i < pesim_diags_count(d); i++)
        assert_int_equal(pesim_diags_get(d, i)->code, PESIM_DIAG_WL_SELECT);
    assert_int_equal(pesim_workload_select(&w, "", d), PESIM_E_INVALID);
    assert_int_equal(pesim_diags_get(d, 3)->code, PESIM_DIAG_WL_SELECT);
    pesim_diags_destroy(d);
    pesim_workload_free(&w);
}

static void test_batch(void **state)
{
    (void)state;
    static const char text[] =
        "name: b\nlayers:\n  - {name: c, M: 2, C: 2, P: 2, Q: 2}\n"
        "  - {name: g, type: gemm, m: 3, n: 5, k: 7}\n";
    struct pesim_workload w;
    assert_int_equal(pesim_workload_load_string(text, strlen(text), "b", &w, NULL), 0);
    assert_int_equal(pesim_workload_set_batch(&w, 4, NULL), 0);
    assert_int_equal(w.layers[0].dim[PESIM_DIM_N], 4);
    assert_int_equal(w.layers[1].dim[PESIM_DIM_N], 3); /* gemm untouched */
    assert_int_equal(pesim_layer_macs(&w.layers[0]), 4 * 2 * 2 * 2 * 2);
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_workload_set_batch(&w, 0, d), PESIM_E_RANGE);
    assert_int_equal(w.layers[0].dim[PESIM_DIM_N], 4);
    assert_int_equal(pesim_diags_count(d), 1);
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_WL_BATCH);
    pesim_diags_destroy(d);
    pesim_workload_free(&w);

    /* Overflow: nothing changes. */
    assert_int_equal(pesim_workload_load("alexnet", &w, NULL), 0);
    d = pesim_diags_create();
    assert_int_equal(pesim_workload_set_batch(&w, 1ull << 40, d), PESIM_E_RANGE);
    assert_true(pesim_diags_count(d) > 0);
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_WL_BATCH);
    for (size_t i = 0; i < w.count; i++)
        assert_int_equal(w.layers[i].dim[PESIM_DIM_N], 1);
    assert_int_equal(pesim_workload_set_batch(&w, 8, d), 0);
    assert_int_equal(pesim_layer_macs(&w.layers[0]), 8ull * 105415200);
    pesim_diags_destroy(d);
    pesim_workload_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alexnet),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_strided_h_range),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_batch),
    };
    return cmocka_run_group_tests_name("workloads", tests, NULL, NULL);
}
