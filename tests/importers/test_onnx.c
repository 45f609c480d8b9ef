/* pesim_import_onnx on real ONNX files written by the official onnx Python
 * package (tests/importers/make_onnx.py, run by the build into
 * $PESIM_BUILD_ROOT/importers/onnx/): ResNet-50 against the shipped
 * resnet50 workload, a small model with every mapping worked out by hand,
 * and malformed files with their exact messages. Skipped, with a message,
 * in a build without ONNX or when no Python with onnx was found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pesim.h"

/* Whether this build reads ONNX at all (onnx_off.c says "unsupported"). */
static bool have_onnx(void)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_workload wl = {0};
    int rc = pesim_import_onnx((const uint8_t *)"", 0, "empty.onnx", &wl, d);
    pesim_diags_destroy(d);
    return rc != PESIM_E_UNSUPPORTED;
}

/* The bytes of a generated model, or NULL (the caller skips). */
static uint8_t *read_model(const char *name, size_t *len)
{
    const char *root = getenv("PESIM_BUILD_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/importers/onnx/%s", root ? root : "build", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_message("%s missing: no Python with onnx at configure time "
                      "(Debian: apt install python3-onnx), skipping\n",
                      path);
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            uint8_t *grown = realloc(buf, cap);
            assert_non_null(grown);
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

#define NEED_ONNX()                                                            \
    do {                                                                       \
        if (!have_onnx()) {                                                    \
            print_message("pesim built without ONNX (-Donnx=disabled or "      \
                          "protobuf-c missing), skipping\n");                  \
            skip();                                                            \
        }                                                                      \
    } while (0)

/* Import a generated model; rc and every diag, one per line. */
static int import(const char *name, struct pesim_workload *wl, char **diag_text)
{
    size_t len = 0;
    uint8_t *data = read_model(name, &len);
    if (!data)
        skip();
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_import_onnx(data, len, name, wl, d);
    size_t tl = 0;
    FILE *f = open_memstream(diag_text, &tl);
    assert_non_null(f);
    pesim_diags_print(d, f);
    fclose(f);
    pesim_diags_destroy(d);
    free(data);
    return rc;
}

static uint64_t total_macs(const struct pesim_workload *wl)
{
    uint64_t m = 0;
    for (size_t i = 0; i < wl->count; i++)
        m += pesim_layer_macs(&wl->layers[i]);
    return m;
}

static void expect(const struct pesim_layer *l, const char *name, enum pesim_layer_kind kind,
                   const uint64_t dim[PESIM_DIM_COUNT], uint64_t macs)
{
    assert_string_equal(l->name, name);
    assert_int_equal(l->kind, kind);
    for (int d = 0; d < PESIM_DIM_COUNT; d++)
        assert_int_equal(l->dim[d], dim[d]);
    assert_int_equal(pesim_layer_macs(l), macs);
}

/* ---- ResNet-50 -------------------------------------------------------- */

static void test_resnet50(void **state)
{
    (void)state;
    NEED_ONNX();
    struct pesim_workload wl = {0};
    char *msg = NULL;
    int rc = import("resnet50.onnx", &wl, &msg);
    if (rc)
        fprintf(stderr, "%s", msg);
    assert_int_equal(rc, 0);
    assert_string_equal(msg, "");
    free(msg);
    assert_string_equal(wl.name, "resnet50");
    /* 53 convs (conv1, 16 blocks x 3, 4 projections) and fc1000. Conv
     * MACs 3,855,925,248 (conv1 118,013,952; each stage's blocks as in
     * He et al. table 1, with stride 2 on res3a/4a/5a branch2a), plus fc
     * 2048 x 1000 = 2,048,000. */
    assert_int_equal(wl.count, 54);
    assert_int_equal(total_macs(&wl), 3857973248ull);
    const uint64_t conv1[] = {1, 1, 64, 3, 112, 112, 7, 7};
    expect(&wl.layers[0], "conv1", PESIM_LAYER_CONV, conv1, 118013952ull);
    assert_int_equal(wl.layers[0].stride[0], 2);
    assert_int_equal(wl.layers[0].pad[1], 3);
    /* res3a_branch2a: 1x1 stride 2 from 56 to 28, 256 -> 128. */
    const struct pesim_layer *r3 = &wl.layers[1 + 3 * 3 + 1];
    const uint64_t r3a[] = {1, 1, 128, 256, 28, 28, 1, 1};
    expect(r3, "res3a_branch2a", PESIM_LAYER_CONV, r3a, 25690112ull);
    assert_int_equal(r3->stride[1], 2);
    assert_string_equal(wl.layers[4].name, "res2a_branch1");
    const uint64_t fc[] = {1, 1, 1000, 2048, 1, 1, 1, 1};
    expect(&wl.layers[53], "fc1000", PESIM_LAYER_FC, fc, 2048000ull);

    /* The same network as the shipped workloads/lib/resnet50.yaml. */
    bool shipped = false;
    for (const char *const *p = pesim_workload_presets(); *p; p++)
        shipped |= strcmp(*p, "resnet50") == 0;
    if (!shipped) {
        pesim_workload_free(&wl);
        print_message("no shipped workload 'resnet50' in this build yet, skipping the "
                      "comparison\n");
        skip();
    }
    struct pesim_workload ref = {0};
    pesim_diags *d = pesim_diags_create();
    rc = pesim_workload_load("resnet50", &ref, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    assert_int_equal(ref.count, wl.count);
    for (size_t i = 0; i < wl.count; i++) {
        const struct pesim_layer *a = &wl.layers[i], *b = &ref.layers[i];
        assert_string_equal(a->name, b->name);
        assert_int_equal(a->kind, b->kind);
        for (int k = 0; k < PESIM_DIM_COUNT; k++)
            assert_int_equal(a->dim[k], b->dim[k]);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(a->stride[k], b->stride[k]);
            assert_int_equal(a->pad[k], b->pad[k]);
            assert_int_equal(a->dilation[k], b->dilation[k]);
        }
    }
    assert_int_equal(total_macs(&ref), total_macs(&wl));
    pesim_workload_free(&ref);
    pesim_workload_free(&wl);
}

/* ---- the small model -------------------------------------------------- */

/* "attention_output_projection_" + 20 x U+00E9 (2 bytes each) is 68 bytes;
 * 63 fit, the 18th 'é' would straddle byte 63, so 17 are kept: 62 bytes. */
#define E_ACUTE "\xc3\xa9"
#define LONG_CUT                                                               \
    "attention_output_projection_" E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE     \
        E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE E_ACUTE        \
            E_ACUTE E_ACUTE E_ACUTE E_ACUTE

static void test_small(void **state)
{
    (void)state;
    NEED_ONNX();
    struct pesim_workload wl = {0};
    char *msg = NULL;
    int rc = import("small.onnx", &wl, &msg);
    if (rc)
        fprintf(stderr, "%s", msg);
    assert_int_equal(rc, 0);
    free(msg);
    assert_string_equal(wl.name, "small-net");
    /* Relu, MaxPool and Softmax are skipped: 7 layers. */
    assert_int_equal(wl.count, 7);
    const struct pesim_layer *l = wl.layers;

    /* gconv: x [2, 8, 32, 32], w [16, 4, 3, 3], group 2, stride 2,
     * dilation 2, pads 2: P = floor((32 + 2 + 2 - (2*(3-1)+1)) / 2) + 1 =
     * floor(31 / 2) + 1 = 16. N=2 G=2 M=16/2=8 C=8/2=4; MACs =
     * 2*2*8*4*16*16*3*3 = 294,912. */
    const uint64_t gconv[] = {2, 2, 8, 4, 16, 16, 3, 3};
    expect(&l[0], "gconv", PESIM_LAYER_CONV, gconv, 294912);
    assert_int_equal(l[0].stride[0], 2);
    assert_int_equal(l[0].stride[1], 2);
    assert_int_equal(l[0].dilation[0], 2);
    assert_int_equal(l[0].dilation[1], 2);
    assert_int_equal(l[0].pad[0], 2);
    assert_int_equal(l[0].pad[1], 2);

    /* asym: [2, 16, 16, 16], w [8, 16, 3, 2], pads top 1 left 0 bottom 2
     * right 1: P = 16 + 1 + 2 - 3 + 1 = 17, Q = 16 + 0 + 1 - 2 + 1 = 16.
     * pesim keeps the larger pad of each axis: [2, 1]. MACs =
     * 2*8*16*17*16*3*2 = 417,792. */
    const uint64_t asym[] = {2, 1, 8, 16, 17, 16, 3, 2};
    expect(&l[1], "asym", PESIM_LAYER_CONV, asym, 417792);
    assert_int_equal(l[1].pad[0], 2);
    assert_int_equal(l[1].pad[1], 1);
    assert_int_equal(l[1].stride[0], 1);

    /* fc: Gemm feat [4, 64] . fcw^T (fcw [32, 64], transB, an initializer):
     * fc N=4 C=64 M=32, MACs 8,192. */
    const uint64_t fc[] = {4, 1, 32, 64, 1, 1, 1, 1};
    expect(&l[2], "fc", PESIM_LAYER_FC, fc, 8192);
    assert_int_equal(pesim_layer_params(&l[2]), 2048);

    /* MatMul with no name, named by its output: q [8, 10, 16] .
     * kt [8, 16, 10], both activations: G=8 m=10 k=16 n=10, MACs 12,800,
     * no parameters. */
    const uint64_t scores[] = {10, 8, 10, 16, 1, 1, 1, 1};
    expect(&l[3], "scores", PESIM_LAYER_MATMUL, scores, 12800);
    assert_int_equal(pesim_layer_params(&l[3]), 0);

    /* attn: probs [8, 10, 10] . v [8, 10, 16]: G=8 m=10 k=10 n=16, 12,800. */
    const uint64_t attn[] = {10, 8, 16, 10, 1, 1, 1, 1};
    expect(&l[4], "attn", PESIM_LAYER_MATMUL, attn, 12800);

    /* The second node named attn: ctx [8, 10, 16] . pw [16, 32], a weight:
     * an fc over 8*10 = 80 rows, k=16, n=32, MACs 40,960. */
    const uint64_t proj[] = {80, 1, 32, 16, 1, 1, 1, 1};
    expect(&l[5], "attn_2", PESIM_LAYER_FC, proj, 40960);

    /* Gemm transA: featT [64, 4]^T . act2 [64, 8] (a graph input, so an
     * activation): matmul m=4 k=64 n=8, MACs 2,048; name cut at a UTF-8
     * boundary. */
    const uint64_t gm[] = {4, 1, 8, 64, 1, 1, 1, 1};
    expect(&l[6], LONG_CUT, PESIM_LAYER_MATMUL, gm, 2048);
    assert_int_equal(strlen(l[6].name), 62);

    /* 294,912 + 417,792 + 8,192 + 12,800 + 12,800 + 40,960 + 2,048. */
    assert_int_equal(total_macs(&wl), 789504);

    /* What pesim import writes reads back to the same layers. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(pesim_workload_write_yaml(&wl, f), 0);
    fclose(f);
    struct pesim_workload back = {0};
    pesim_diags *d = pesim_diags_create();
    rc = pesim_workload_load_string(buf, len, "small.yaml", &back, d);
    if (rc)
        pesim_diags_print(d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(back.count, wl.count);
    for (size_t i = 0; i < wl.count; i++)
        assert_memory_equal(&back.layers[i], &wl.layers[i], sizeof back.layers[i]);
    pesim_diags_destroy(d);
    pesim_workload_free(&back);
    free(buf);
    pesim_workload_free(&wl);
}

/* ---- a model as exported: symbolic batch, no value_info --------------- */

static int import_batch(const char *name, uint64_t batch, struct pesim_onnx_batch *b,
                        struct pesim_workload *wl)
{
    size_t len = 0;
    uint8_t *data = read_model(name, &len);
    if (!data)
        skip();
    pesim_diags *d = pesim_diags_create();
    *b = (struct pesim_onnx_batch){.batch = batch};
    int rc = pesim_import_onnx_batch(data, len, name, b, wl, d);
    if (rc)
        pesim_diags_print(d, stderr);
    pesim_diags_destroy(d);
    free(data);
    return rc;
}

/* exported.onnx as written (no value_info) and after
 * onnx.shape_inference.infer_shapes give the same layers, at batch 1 (no
 * batch given) and 4; every shape that follows from the batch does. */
static void test_exported(void **state)
{
    (void)state;
    NEED_ONNX();
    for (uint64_t batch = 0; batch <= 4; batch += 4) {
        struct pesim_workload a = {0}, b = {0};
        struct pesim_onnx_batch ba, bb;
        assert_int_equal(import_batch("exported.onnx", batch, &ba, &a), 0);
        assert_int_equal(import_batch("exported_vi.onnx", batch, &bb, &b), 0);
        assert_true(ba.symbolic);
        assert_true(bb.symbolic);
        assert_string_equal(ba.input, "input");
        assert_string_equal(ba.param, "batch_size");
        assert_int_equal(a.count, 7);
        assert_int_equal(b.count, a.count);
        assert_memory_equal(a.layers, b.layers, a.count * sizeof *a.layers);
        uint64_t n = batch ? batch : 1;
        /* N G M C P Q R S; the worked numbers are in make_onnx.py */
        const uint64_t conv1[] = {n, 1, 16, 3, 16, 16, 3, 3}, /* SAME_UPPER /2 */
            conv2[] = {n, 1, 16, 16, 6, 6, 3, 3},             /* ceil pool, VALID */
            conv3[] = {n, 1, 32, 16, 3, 3, 2, 2},             /* SAME_LOWER /2 */
            conv4[] = {n, 1, 32, 16, 3, 3, 1, 1},
            fc[] = {n, 1, 64, 64, 1, 1, 1, 1},       /* Gemm transB after Flatten */
            proj[] = {4 * n, 1, 8, 16, 1, 1, 1, 1},  /* view(b, 4, -1) . W */
            scores[] = {16, n, 16, 2, 1, 1, 1, 1};   /* [b, 16, 2] . [b, 2, 16] */
        expect(&a.layers[0], "conv1", PESIM_LAYER_CONV, conv1, n * 110592);
        expect(&a.layers[1], "conv2", PESIM_LAYER_CONV, conv2, n * 82944);
        expect(&a.layers[2], "conv3", PESIM_LAYER_CONV, conv3, n * 18432);
        expect(&a.layers[3], "conv4", PESIM_LAYER_CONV, conv4, n * 4608);
        expect(&a.layers[4], "fc", PESIM_LAYER_FC, fc, n * 4096);
        expect(&a.layers[5], "proj", PESIM_LAYER_FC, proj, n * 512);
        expect(&a.layers[6], "scores", PESIM_LAYER_MATMUL, scores, n * 512);
        assert_int_equal(a.layers[0].pad[0], 1);
        assert_int_equal(a.layers[0].stride[0], 2);
        pesim_workload_free(&a);
        pesim_workload_free(&b);
    }
    /* A model with a fixed batch says so. */
    struct pesim_workload w = {0};
    struct pesim_onnx_batch bw;
    assert_int_equal(import_batch("small.onnx", 4, &bw, &w), 0);
    assert_false(bw.symbolic);
    assert_int_equal(w.layers[0].dim[PESIM_DIM_N], 2);
    pesim_workload_free(&w);
}

/* stdout of a pesim run, without its "command" line (which names the
 * file). */
static char *run_json(const char *model)
{
    const char *root = getenv("PESIM_BUILD_ROOT");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "%s/cli/pesim run --arch eyeriss-v1 --workload %s/importers/onnx/%s --batch 4 "
             "--engine analysis --format json | grep -v '\"command\":'",
             root ? root : "build", root ? root : "build", model);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    for (int ch; (ch = fgetc(p)) != EOF;)
        fputc(ch, m);
    fclose(m);
    assert_int_equal(pclose(p), 0);
    return buf;
}

/* The whole run's JSON is the same with and without value_info. */
static void test_exported_run(void **state)
{
    (void)state;
    NEED_ONNX();
    size_t len;
    uint8_t *data = read_model("exported.onnx", &len);
    if (!data)
        skip();
    free(data);
    char *a = run_json("exported.onnx"), *b = run_json("exported_vi.onnx");
    assert_true(strlen(a) > 1000);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"name\": \"proj\""));
    free(a);
    free(b);
}

/* ---- malformed files: exact messages ---------------------------------- */

static void expect_error(const char *model, const char *golden)
{
    struct pesim_workload wl = {.name = "untouched"};
    char *msg = NULL;
    int rc = import(model, &wl, &msg);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_string_equal(msg, golden);
    assert_string_equal(wl.name, "untouched");
    assert_null(wl.layers);
    free(msg);
}

static void test_truncated(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("truncated.onnx",
                 "truncated.onnx: error: not a valid ONNX model: protobuf decoding failed, "
                 "expected a ModelProto as written by onnx.save\n");
}

static void test_garbage(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("garbage.onnx",
                 "garbage.onnx: error: not a valid ONNX model: protobuf decoding failed, "
                 "expected a ModelProto as written by onnx.save\n");
}

/* Two convs and no value_info: pesim infers the tensor between them. */
static void test_noshape(void **state)
{
    (void)state;
    NEED_ONNX();
    struct pesim_workload wl = {0};
    char *msg = NULL;
    assert_int_equal(import("noshape.onnx", &wl, &msg), 0);
    assert_string_equal(msg, "");
    assert_int_equal(wl.count, 2);
    /* N G M C P Q R S */
    static const uint64_t c1[] = {1, 1, 4, 3, 8, 8, 3, 3}, c2[] = {1, 1, 4, 4, 8, 8, 3, 3};
    expect(&wl.layers[0], "conv1", PESIM_LAYER_CONV, c1, 6912);
    expect(&wl.layers[1], "conv2", PESIM_LAYER_CONV, c2, 9216);
    pesim_workload_free(&wl);
    free(msg);
}

static void test_conv1d_weight(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("conv1d_weight.onnx",
                 "conv1d_weight.onnx: error: tensor 'w' (input 1 of node 'conv'): rank 1 "
                 "([16]), expected rank 4 (M, C/group, kH, kW) for a 2-D Conv\n");
}

static void test_badtype(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("badtype.onnx",
                 "badtype.onnx: error: tensor 'w' (input 1 of node 'conv'): unknown data "
                 "type 99, expected an ONNX TensorProto.DataType such as 1 (FLOAT)\n");
}

static void test_baddims(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("baddims.onnx",
                 "baddims.onnx: error: tensor 'x' (input 0 of node 'zero'): dimension 1 is "
                 "0, expected a size in [1, 1099511627776]\n"
                 "baddims.onnx: error: tensor 'b' (input 1 of node 'negative'): dimension "
                 "1 is -5, expected a size in [1, 1099511627776]\n");
}

static void test_deep(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("deep.onnx", "deep.onnx: error: messages nested more than 100 deep, "
                              "expected an ONNX model as written by onnx.save\n");
}

/* Models exported wrong or made to hurt (make_onnx.py's hostile()). */
static void test_bad_models(void **state)
{
    (void)state;
    NEED_ONNX();
    static const struct {
        const char *file, *msg;
    } cases[] = {
        {"bad_sym_dim.onnx", "tensor 'x' (input 0 of node 'conv'): dimension 2 is symbolic "
                             "('height'), expected a number (pesim binds only dim 0 of a "
                             "graph input, the batch, to --batch; fix the others, e.g. with "
                             "onnx.tools.update_model_dims)"},
        {"bad_neg_dim.onnx", "tensor 'x' (input 0 of node 'conv'): dimension 2 is -16, "
                             "expected a size in [1, 1099511627776]"},
        {"bad_reshape_two_neg.onnx",
         "node 'view' (Reshape): target dim 1 is -1, expected a size in [1, 1099511627776], "
         "0 (copy the input's, which has rank 4) or one -1"},
        {"bad_reshape_count.onnx",
         "node 'view' (Reshape): input [1, 8, 14, 14] has 1568 elements, the target "
         "[7, 100] 700, expected the same count"},
        {"bad_vi_mismatch.onnx",
         "node 'conv' (Conv): output 0 'y' is [1, 8, 14, 14] in the model's value_info, but "
         "its inputs give [1, 8, 16, 16], expected the shape the node computes"},
        {"bad_add_mismatch.onnx",
         "node 'add' (Add): input 1's shape [5, 1, 1] does not broadcast with [1, 8, 14, 14], "
         "expected equal sizes or 1 on each axis"},
        {"bad_unknown_op.onnx",
         "tensor 'u' (input 0 of node 'conv2'): no shape: it comes from node 'fancy' "
         "(FancyResample), whose outputs pesim cannot infer, expected a shape in value_info "
         "for what that node makes (onnx.shape_inference.infer_shapes writes it)"},
        {"bad_dynamic_reshape.onnx",
         "tensor 'r' (input 0 of node 'mm'): no shape: it comes from node 'view' (Reshape), "
         "whose outputs pesim cannot infer, expected a shape in value_info for what that "
         "node makes (onnx.shape_inference.infer_shapes writes it)"},
        {"bad_self_cycle.onnx", "node #0 (Add): input #1 is made by node #0, itself, expected "
                                "the nodes in topological order (no cycle)"},
        {"bad_absurd_flatten.onnx",
         "node 'flat' (Flatten): [1099511627776, 1099511627776, 1099511627776] has more than "
         "1099511627776 elements, expected fewer"},
        {"bad_absurd_concat.onnx",
         "node 'cat' (Concat): more than 1099511627776 along axis 1, expected fewer"},
        {"bad_absurd_conv.onnx",
         "node 'conv' (Conv): MACs or data sizes overflow 64 bits, expected a smaller layer"},
        {"bad_bad_perm.onnx",
         "node 'tr' (Transpose): perm names axis 0 twice, expected a permutation"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char golden[1024];
        snprintf(golden, sizeof golden, "%s: error: %s\n", cases[i].file, cases[i].msg);
        expect_error(cases[i].file, golden);
    }
}

static void test_cycle(void **state)
{
    (void)state;
    NEED_ONNX();
    expect_error("cycle.onnx", "cycle.onnx: error: node #1 (Add): input #1 is made by node #2, "
                               "later in the graph, expected the nodes in topological order "
                               "(no cycle)\n");
}

/* ---- hand-encoded protobuf: no Python needed --------------------------- */

static void expect_bytes(const uint8_t *data, size_t len, const char *golden)
{
    pesim_diags *d = pesim_diags_create();
    struct pesim_workload wl = {0};
    assert_int_equal(pesim_import_onnx(data, len, "m.onnx", &wl, d), PESIM_E_INVALID);
    assert_int_equal(pesim_diags_count(d), 1);
    assert_string_equal(pesim_diags_get(d, 0)->msg, golden);
    assert_null(wl.layers);
    pesim_diags_destroy(d);
}

static void test_encoded(void **state)
{
    (void)state;
    NEED_ONNX();
    /* Zero bytes decode to an empty ModelProto. */
    expect_bytes((const uint8_t *)"", 0,
                 "no graph in the model, expected a ModelProto with a graph");
    /* graph { node { op_type: "Relu" } }: field 7, field 1, field 4. */
    static const uint8_t relu[] = {0x3a, 0x08, 0x0a, 0x06, 0x22, 0x04, 'R', 'e', 'l', 'u'};
    expect_bytes(relu, sizeof relu,
                 "no Conv, Gemm or MatMul node in the graph, expected at least one "
                 "(pesim models only these)");
    /* graph { node { op_type: "Conv", input: "x" } }: no shapes, no
     * second input. */
    static const uint8_t conv[] = {0x3a, 0x0b, 0x0a, 0x09, 0x0a, 0x01, 'x',
                                   0x22, 0x04, 'C',  'o',  'n',  'v'};
    expect_bytes(conv, sizeof conv,
                 "tensor 'x' (input 0 of node #0 (Conv, no name)): no shape in the model, "
                 "expected an initializer, a graph input with a shape, or a shape in "
                 "value_info");
    /* A length running past the end. */
    static const uint8_t cut[] = {0x3a, 0x7f, 0x0a};
    expect_bytes(cut, sizeof cut,
                 "not a valid ONNX model: protobuf decoding failed, expected a ModelProto "
                 "as written by onnx.save");
}

/* Every prefix and many single-byte flips of small.onnx: an error or a
 * workload, never a crash or a leak (the sanitizer build runs this). */
static void test_mutations(void **state)
{
    (void)state;
    NEED_ONNX();
    size_t len = 0;
    uint8_t *data = read_model("small.onnx", &len);
    if (!data)
        skip();
    size_t ok = 0;
    for (size_t cut = 0; cut < len; cut += 7) {
        pesim_diags *d = pesim_diags_create();
        struct pesim_workload wl = {0};
        if (pesim_import_onnx(data, cut, "m.onnx", &wl, d) == 0)
            ok++;
        pesim_workload_free(&wl);
        pesim_diags_destroy(d);
    }
    uint32_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % len;
        uint8_t was = data[at];
        data[at] ^= (uint8_t)(1u << (seed >> 29));
        pesim_diags *d = pesim_diags_create();
        struct pesim_workload wl = {0};
        if (pesim_import_onnx(data, len, "m.onnx", &wl, d) == 0)
            ok++;
        pesim_workload_free(&wl);
        pesim_diags_destroy(d);
        data[at] = was;
    }
    assert_true(ok > 0); /* flips inside weight data change nothing */
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resnet50),     cmocka_unit_test(test_small),
        cmocka_unit_test(test_truncated),    cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_noshape),      cmocka_unit_test(test_conv1d_weight),
        cmocka_unit_test(test_badtype),      cmocka_unit_test(test_baddims),
        cmocka_unit_test(test_deep),         cmocka_unit_test(test_encoded),
        cmocka_unit_test(test_mutations),    cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_exported),     cmocka_unit_test(test_exported_run),
        cmocka_unit_test(test_bad_models),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
