/* Timeloop problem YAML: Timeloop's AlexNet CONV1..CONV5 and a grouped,
 * strided, dilated layer against hand-checked shapes and MACs; the layouts
 * Timeloop accepts (v0.4 with `instance`, the older bounds beside the
 * shape, a named or absent shape, grouped and depthwise shapes, gemm);
 * golden error messages; every layer maps with rs and ws on eyeriss-v1.
 *
 * Sources of tests/importers/data/ (cited in each file too):
 *   timeloop_alexnet_convN.yaml  NVlabs/timeloop workspace/example_designs/
 *                                layer_shapes/CONV/AlexNet/AlexNet_layerN.yaml
 *   timeloop_grouped_conv.yaml   Accelergy-Project/pytorch2timeloop-converter
 *                                pytorch2timeloop/utils/grouped_convolution.yaml
 * Timeloop's cnn-layer pairs R and P with Wstride (its inputs' third rank
 * is R*Wdilation + P*Wstride), so Timeloop's R, P are pesim's S, Q (columns)
 * and its S, Q are pesim's R, P (rows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/cfg.h"
#include "pesim.h"

#define DATA "tests/importers/data/" /* tests run in the source root */

static char *diag_str(const pesim_diags *d)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    pesim_diags_print(d, f);
    fclose(f);
    return buf;
}

static void import_text(const char *text, size_t len, const char *file,
                        struct pesim_workload *wl)
{
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_import_timeloop(text, len, file, wl, d);
    if (rc) {
        char *s = diag_str(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(wl->count, 1);
    pesim_diags_destroy(d);
}

static void import_file(const char *path, struct pesim_workload *wl)
{
    size_t len = 0;
    char *text = pesim_cfg_read_file(path, &len);
    assert_non_null(text);
    import_text(text, len, path, wl);
    free(text);
}

static void import_str(const char *text, struct pesim_workload *wl)
{
    import_text(text, strlen(text), "t.yaml", wl);
}

/* pesim's dims of one layer, in pesim's order N G M C P Q R S. */
static void check_dims(const struct pesim_layer *l, const uint64_t want[8])
{
    static const enum pesim_dim order[8] = {
        PESIM_DIM_N, PESIM_DIM_G, PESIM_DIM_M, PESIM_DIM_C,
        PESIM_DIM_P, PESIM_DIM_Q, PESIM_DIM_R, PESIM_DIM_S};
    for (int i = 0; i < 8; i++)
        assert_int_equal(l->dim[order[i]], want[i]);
    assert_int_equal(l->pad[0], 0);
    assert_int_equal(l->pad[1], 0);
}

/* ---- Timeloop's AlexNet ------------------------------------------------- */

static void test_alexnet(void **state)
{
    (void)state;
    static const struct {
        uint64_t dims[8]; /* N G M C P Q R S */
        uint32_t u;
        uint64_t macs;
    } want[5] = {
        {{1, 1, 96, 3, 55, 55, 11, 11}, 4, 105415200},
        {{1, 1, 256, 96, 27, 27, 5, 5}, 1, 447897600},
        {{1, 1, 384, 256, 13, 13, 3, 3}, 1, 149520384},
        {{1, 1, 384, 384, 13, 13, 3, 3}, 1, 224280576},
        {{1, 1, 256, 384, 13, 13, 3, 3}, 1, 149520384},
    };
    struct pesim_workload ref;
    assert_int_equal(pesim_workload_load("alexnet", &ref, NULL), 0);
    uint64_t total = 0;
    for (int i = 0; i < 5; i++) {
        char path[96];
        snprintf(path, sizeof path, DATA "timeloop_alexnet_conv%d.yaml", i + 1);
        struct pesim_workload wl;
        import_file(path, &wl);
        const struct pesim_layer *l = &wl.layers[0];
        char name[32];
        snprintf(name, sizeof name, "timeloop_alexnet_conv%d", i + 1);
        assert_string_equal(wl.name, name);
        assert_string_equal(l->name, "CNN_Layer");
        assert_int_equal(l->kind, PESIM_LAYER_CONV);
        check_dims(l, want[i].dims);
        assert_int_equal(l->stride[0], want[i].u);
        assert_int_equal(l->stride[1], want[i].u);
        assert_int_equal(l->dilation[0], 1);
        assert_int_equal(l->dilation[1], 1);
        assert_int_equal(pesim_layer_macs(l), want[i].macs);
        total += pesim_layer_macs(l);
        /* Against pesim's alexnet: the same padded planes, P, Q, R, S and
         * strides; Timeloop's layers have no groups, so C and M hold both
         * of pesim's groups (CONV2, 4, 5: twice the MACs). */
        const struct pesim_layer *b = &ref.layers[i];
        uint64_t g = b->dim[PESIM_DIM_G];
        assert_int_equal(l->dim[PESIM_DIM_C], g * b->dim[PESIM_DIM_C]);
        assert_int_equal(l->dim[PESIM_DIM_M], g * b->dim[PESIM_DIM_M]);
        assert_int_equal(pesim_layer_macs(l), g * pesim_layer_macs(b));
        assert_int_equal(pesim_layer_h(l), pesim_layer_h(b));
        assert_int_equal(pesim_layer_w(l), pesim_layer_w(b));
        assert_memory_equal(l->stride, b->stride, sizeof l->stride);
        pesim_workload_free(&wl);
    }
    assert_int_equal(total, 1076634144);
    pesim_workload_free(&ref);
}

/* G from the projections (undeclared, as pytorch2timeloop writes it); the
 * H coefficients go to pesim's rows, the W ones to its columns. */
static void test_grouped(void **state)
{
    (void)state;
    struct pesim_workload wl;
    import_file(DATA "timeloop_grouped_conv.yaml", &wl);
    const struct pesim_layer *l = &wl.layers[0];
    assert_string_equal(l->name, "CNN-Layer");
    static const uint64_t want[8] = {1, 2, 128, 48, 12, 27, 5, 5};
    check_dims(l, want);
    assert_int_equal(l->stride[0], 2);
    assert_int_equal(l->stride[1], 1);
    assert_int_equal(l->dilation[0], 2);
    assert_int_equal(l->dilation[1], 1);
    /* (12-1)*2 + (5-1)*2 + 1 = 31 rows; (27-1) + 5 = 31 columns. */
    assert_int_equal(pesim_layer_h(l), 31);
    assert_int_equal(pesim_layer_w(l), 31);
    assert_int_equal(pesim_layer_macs(l), 99532800);
    pesim_workload_free(&wl);
}

/* ---- the layouts Timeloop accepts --------------------------------------- */

/* Timeloop-accelergy-exercises' cnn-layer.prob.yaml: bounds beside the
 * shape (no `instance`), K for the output channels, flow lists. */
static const char legacy[] =
    "problem:\n"
    "  shape:\n"
    "    name: \"CNN-Layer\"\n"
    "    dimensions: [ C, K, R, S, N, P, Q ]\n"
    "    coefficients:\n"
    "    - name: Wstride\n"
    "      default: 1\n"
    "    - name: Hstride\n"
    "      default: 1\n"
    "    - name: Wdilation\n"
    "      default: 1\n"
    "    - name: Hdilation\n"
    "      default: 1\n"
    "    data-spaces:\n"
    "    - name: Weights\n"
    "      projection:\n"
    "      - [ [C] ]\n"
    "      - [ [K] ]\n"
    "      - [ [R] ]\n"
    "      - [ [S] ]\n"
    "    - name: Inputs\n"
    "      projection:\n"
    "      - [ [N] ]\n"
    "      - [ [C] ]\n"
    "      - [ [R, Wdilation], [P, Wstride] ]\n"
    "      - [ [S, Hdilation], [Q, Hstride] ]\n"
    "    - name: Outputs\n"
    "      projection:\n"
    "      - [ [N] ]\n"
    "      - [ [K] ]\n"
    "      - [ [Q] ]\n"
    "      - [ [P] ]\n"
    "      read-write: True\n"
    "\n"
    "  C: 256\n"
    "  K: 512\n"
    "  R: 3\n"
    "  S: 3\n"
    "  P: 56\n"
    "  Q: 56\n"
    "  N: 16\n";

static void test_layouts(void **state)
{
    (void)state;
    static const uint64_t want[8] = {16, 1, 512, 256, 56, 56, 3, 3};
    struct pesim_workload wl;
    import_str(legacy, &wl);
    check_dims(&wl.layers[0], want);
    assert_string_equal(wl.name, "t");
    pesim_workload_free(&wl);

    /* No shape: Timeloop assumes its cnn-layer (dims R S P Q C K N);
     * named: the same. Strides from the instance, W to pesim's columns. */
    static const char *const builtin[] = {
        "problem:\n  instance: {C: 3, K: 8, R: 3, S: 2, N: 1, P: 7, Q: 5,"
        " Wstride: 2, Hdilation: 3}\n",
        "problem:\n  version: 0.3\n  shape: cnn-layer\n  instance: {C: 3, K: 8,"
        " R: 3, S: 2, N: 1, P: 7, Q: 5, Wstride: 2, Hdilation: 3}\n",
        "problem:\n  shape: cnn-layer\n  C: 3\n  K: 8\n  R: 3\n  S: 2\n  N: 1\n"
        "  P: 7\n  Q: 5\n  Wstride: 2\n  Hdilation: 3\n",
    };
    static const uint64_t bwant[8] = {1, 1, 8, 3, 5, 7, 2, 3};
    for (size_t i = 0; i < 3; i++) {
        import_str(builtin[i], &wl);
        const struct pesim_layer *l = &wl.layers[0];
        check_dims(l, bwant);
        assert_string_equal(l->name, "CNN-Layer");
        assert_int_equal(l->stride[0], 1);
        assert_int_equal(l->stride[1], 2);
        assert_int_equal(l->dilation[0], 3);
        assert_int_equal(l->dilation[1], 1);
        pesim_workload_free(&wl);
    }
}

/* pytorch2timeloop's depthwise template: C is in all three data spaces,
 * so it is pesim's G (with C = M = 1). Flat projections; shape defaults
 * for coefficients the instance leaves out; Timeloop v0.4's informational
 * H, W, Hpad, Wpad. */
static void test_depthwise(void **state)
{
    (void)state;
    static const char text[] =
        "problem:\n"
        "  version: 0.4\n"
        "  shape:\n"
        "    name: dw\n"
        "    dimensions: [ C, R, S, N, P, Q ]\n"
        "    coefficients:\n"
        "      - {name: Wstride, default: 2}\n"
        "      - {name: Hstride, default: 2}\n"
        "      - {name: Wdilation, default: 1}\n"
        "      - {name: Hdilation, default: 1}\n"
        "    data_spaces:\n"
        "      - {name: Weights, projection: [C, R, S]}\n"
        "      - name: Inputs\n"
        "        projection:\n"
        "          - [ [N] ]\n"
        "          - [ [C] ]\n"
        "          - [ [R, Wdilation], [P, Wstride] ]\n"
        "          - [ [S, Hdilation], [Q, Hstride] ]\n"
        "      - {name: Outputs, projection: [N, C, Q, P], read_write: true}\n"
        "  instance: {C: 32, N: 1, P: 56, Q: 56, R: 3, S: 3, Hstride: 1,"
        " H: 56, W: 112, Hpad: 1, Wpad: 1}\n";
    struct pesim_workload wl;
    import_str(text, &wl);
    const struct pesim_layer *l = &wl.layers[0];
    static const uint64_t want[8] = {1, 32, 1, 1, 56, 56, 3, 3};
    check_dims(l, want);
    assert_int_equal(l->stride[0], 1); /* Hstride from the instance */
    assert_int_equal(l->stride[1], 2); /* Wstride's default */
    assert_string_equal(l->name, "dw");
    pesim_workload_free(&wl);
}

/* A shape without sliding windows is a matrix product: Timeloop's
 * gemm-ABZ shape (problem-shapes/gemm-ABZ.yaml), with names pesim does
 * not know: roles come from the projections (A: m x k, B: k x n, Z: m x n,
 * Z read-write). And a one-dimensional convolution (one window). */
static void test_gemm_and_conv1d(void **state)
{
    (void)state;
    static const char gemm[] =
        "problem:\n"
        "  shape:\n"
        "    name: GEMM\n"
        "    dimensions: [ M, N, K ]\n"
        "    data-spaces:\n"
        "      - {name: A, projection: [ [[M]], [[K]] ]}\n"
        "      - {name: B, projection: [ [[N]], [[K]] ]}\n"
        "      - {name: Z, projection: [ [[M]], [[N]] ], read-write: True}\n"
        "  instance: {M: 128, N: 768, K: 64}\n";
    struct pesim_workload wl;
    import_str(gemm, &wl);
    const struct pesim_layer *l = &wl.layers[0];
    assert_int_equal(l->kind, PESIM_LAYER_GEMM);
    static const uint64_t want[8] = {128, 1, 768, 64, 1, 1, 1, 1};
    check_dims(l, want);
    assert_int_equal(pesim_layer_params(l), 64 * 768);
    pesim_workload_free(&wl);

    static const char conv1d[] =
        "problem:\n"
        "  shape:\n"
        "    name: conv1d\n"
        "    dimensions: [ R, P ]\n"
        "    data-spaces:\n"
        "      - {name: Weights, projection: [ [[R]] ]}\n"
        "      - {name: Inputs, projection: [ [[R], [P]] ]}\n"
        "      - {name: Outputs, projection: [ [[P]] ], read-write: True}\n"
        "  instance: {R: 3, P: 16}\n";
    import_str(conv1d, &wl);
    l = &wl.layers[0];
    static const uint64_t want1[8] = {1, 1, 1, 1, 1, 16, 1, 3};
    check_dims(l, want1);
    assert_int_equal(pesim_layer_w(l), 18);
    pesim_workload_free(&wl);
}

/* ---- golden errors ------------------------------------------------------ */

#define SHAPE_HEAD                                                             \
    "problem:\n"                                                               \
    "  shape:\n"                                                               \
    "    name: L\n"                                                            \
    "    dimensions: [C, M, R, S, N, P, Q]\n"                                  \
    "    coefficients:\n"                                                      \
    "      - {name: Wstride, default: 1}\n"                                    \
    "      - {name: Hstride, default: 1}\n"                                    \
    "      - {name: Wdilation, default: 1}\n"                                  \
    "      - {name: Hdilation, default: 1}\n"                                  \
    "    data_spaces:\n"                                                       \
    "      - {name: Weights, projection: [[[C]], [[M]], [[R]], [[S]]]}\n"

#define INPUTS                                                                 \
    "      - {name: Inputs, projection: [[[N]], [[C]], [[R, Wdilation], [P, "   \
    "Wstride]], [[S, Hdilation], [Q, Hstride]]]}\n"

#define OUTPUTS                                                                \
    "      - {name: Outputs, projection: [[[N]], [[M]], [[Q]], [[P]]], "       \
    "read_write: true}\n"

static const struct {
    const char *file, *text, *want;
} errors[] = {
    {"syntax.yaml", "problem:\n  instance: {C: 3\n",
     "syntax.yaml:3:1: error: YAML syntax: did not find expected ',' or '}' "
     "while parsing a flow mapping, expected valid YAML\n"},
    {"empty.yaml", "# nothing\n",
     "empty.yaml:1:1: error: got an empty document, expected a mapping\n"},
    {"noproblem.yaml", "architecture:\n  name: x\n",
     "noproblem.yaml:1:1: error: problem: missing required key, expected "
     "problem: {shape: ..., instance: {...}}\n"},
    {"list.yaml", "problem: [C, M]\n",
     "list.yaml:1:10: error: problem: got a list, expected a mapping with "
     "shape and instance\n"},
    {"noinstance.yaml", SHAPE_HEAD INPUTS OUTPUTS,
     "noinstance.yaml:2:3: error: problem.instance: missing required key, "
     "expected a mapping of dimension bounds such as {C: 3, M: 96, R: 11, "
     "...}\n"},
    {"values.yaml", SHAPE_HEAD INPUTS OUTPUTS
     "  instance:\n    C: 0\n    M: ninety\n    R: -1\n    S: [3]\n"
     "    N: 1\n    P: 1.5\n    Q: 99999999999999999999999\n"
     "    Wstride: 0\n    Hdilation: 70000\n",
     "values.yaml:15:8: error: problem.instance.C: got 0, expected an "
     "integer in [1, 1099511627776]\n"
     "values.yaml:16:8: error: problem.instance.M: got 'ninety', expected an "
     "integer in [1, 1099511627776]\n"
     "values.yaml:17:8: error: problem.instance.R: got -1, expected an "
     "integer in [1, 1099511627776]\n"
     "values.yaml:18:8: error: problem.instance.S: got a list, expected an "
     "integer in [1, 1099511627776]\n"
     "values.yaml:20:8: error: problem.instance.P: got 1.5, expected an "
     "integer in [1, 1099511627776]\n"
     "values.yaml:21:8: error: problem.instance.Q: got "
     "99999999999999999999999, which overflows 64 bits, expected an integer "
     "in [1, 1099511627776]\n"
     "values.yaml:22:14: error: problem.instance.Wstride: got 0, expected "
     "an integer in [1, 65535]\n"
     "values.yaml:23:16: error: problem.instance.Hdilation: got 70000, "
     "expected an integer in [1, 65535]\n"},
    {"unknown.yaml", SHAPE_HEAD INPUTS OUTPUTS
     "  instance:\n    C: 3\n    K: 96\n    R: 11\n    S: 11\n    N: 1\n"
     "    P: 55\n    Q: 55\n    Wstrid: 4\n    X: 1\n",
     "unknown.yaml:15:5: error: problem.instance.M: missing dimension, "
     "expected an integer in [1, 1099511627776]\n"
     "unknown.yaml:16:5: error: problem.instance.K: unknown dimension, "
     "expected one of C, M, R, S, N, P, Q, Wstride, Hstride, Wdilation, "
     "Hdilation; did you mean 'M'?\n"
     "unknown.yaml:22:5: error: problem.instance.Wstrid: unknown dimension, "
     "expected one of C, M, R, S, N, P, Q, Wstride, Hstride, Wdilation, "
     "Hdilation; did you mean 'Wstride'?\n"
     "unknown.yaml:23:5: error: problem.instance.X: unknown dimension, "
     "expected one of C, M, R, S, N, P, Q, Wstride, Hstride, Wdilation, "
     "Hdilation\n"},
    {"shapefile.yaml", "problem:\n  shape: grouped-cnn-layer\n  instance: {C: 1}\n",
     "shapefile.yaml:2:10: error: problem.shape: unsupported: shape file "
     "'grouped-cnn-layer', expected the shape inline or cnn-layer\n"},
    {"outsum.yaml", SHAPE_HEAD INPUTS
     "      - {name: Outputs, projection: [[[N]], [[M]], [[Q], [P]]], "
     "read_write: true}\n"
     "  instance: {C: 1, M: 1, R: 1, S: 1, N: 1, P: 1, Q: 1}\n",
     "outsum.yaml:3:5: error: problem.shape: unsupported: Outputs projects a "
     "rank of a sum, expected a convolution: Weights [C][M][R][S], Inputs "
     "[N][C][R*Wdilation + P*Wstride][S*Hdilation + Q*Hstride], Outputs "
     "[N][M][Q][P], optionally with G in all three\n"},
    {"lonely.yaml",
     "problem:\n  shape:\n    name: L\n    dimensions: [C, M, N, X]\n"
     "    data-spaces:\n"
     "      - {name: Weights, projection: [C, M, X]}\n"
     "      - {name: Inputs, projection: [N, C]}\n"
     "      - {name: Outputs, projection: [N, M], read-write: true}\n"
     "  instance: {C: 1, M: 1, N: 1, X: 2}\n",
     "lonely.yaml:3:5: error: problem.shape: unsupported: dimension X is "
     "projected into only one data space, expected a convolution: Weights "
     "[C][M][R][S], Inputs [N][C][R*Wdilation + P*Wstride][S*Hdilation + "
     "Q*Hstride], Outputs [N][M][Q][P], optionally with G in all three\n"},
    {"spaces.yaml",
     "problem:\n  shape:\n    name: L\n    dimensions: [C]\n"
     "    data-spaces: [{name: A, projection: [C]}]\n"
     "  instance: {C: 1}\n",
     "spaces.yaml:5:18: error: problem.shape.data-spaces: unsupported: not "
     "three data spaces, expected three data spaces: a convolution: Weights "
     "[C][M][R][S], Inputs [N][C][R*Wdilation + P*Wstride][S*Hdilation + "
     "Q*Hstride], Outputs [N][M][Q][P], optionally with G in all three\n"},
    {"coef.yaml", SHAPE_HEAD
     "      - {name: Inputs, projection: [[[N]], [[C]], [[R, Wdil], [P, "
     "Wstride]], [[S, Hdilation], [Q, Hstride]]]}\n" OUTPUTS
     "  instance: {C: 1, M: 1, R: 1, S: 1, N: 1, P: 1, Q: 1}\n",
     "coef.yaml:12:56: error: problem.shape.data_spaces[1].projection[2]: "
     "got 'Wdil', expected one of the shape's coefficients\n"},
    {"sparse.yaml", SHAPE_HEAD INPUTS OUTPUTS
     "  instance: {C: 1, M: 1, R: 1, S: 1, N: 1, P: 1, Q: 1,"
     " densities: {Weights: 0.5}}\n",
     "sparse.yaml:14:56: error: problem.instance.densities: unsupported: "
     "sparse densities, expected a dense problem (pesim models dense "
     "tensors)\n"},
    {"twoaxes.yaml",
     "problem:\n  shape:\n    name: L\n    dimensions: [R, P, Q]\n"
     "    data-spaces:\n"
     "      - {name: Weights, projection: [R]}\n"
     "      - {name: Inputs, projection: [ [[R], [P]], [[R], [Q]] ]}\n"
     "      - {name: Outputs, projection: [P, Q], read-write: true}\n"
     "  instance: {R: 3, P: 4, Q: 4}\n",
     "twoaxes.yaml:3:5: error: problem.shape: unsupported: dimension R "
     "slides along two axes, expected a convolution: Weights [C][M][R][S], "
     "Inputs [N][C][R*Wdilation + P*Wstride][S*Hdilation + Q*Hstride], "
     "Outputs [N][M][Q][P], optionally with G in all three\n"},
    {"shapekey.yaml",
     "problem:\n  shape:\n    name: L\n    dimension: [C, M, R, S, N, P, Q]\n"
     "  instance: {C: 1}\n",
     "shapekey.yaml:3:5: error: problem.shape.dimensions: missing required "
     "key, expected a list of dimension names\n"
     "shapekey.yaml:4:5: error: problem.shape: unsupported key 'dimension', "
     "expected name, dimensions, coefficients, data-spaces\n"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
        pesim_diags *d = pesim_diags_create();
        struct pesim_workload wl = {.name = "untouched"};
        int rc = pesim_import_timeloop(errors[i].text, strlen(errors[i].text),
                                       errors[i].file, &wl, d);
        char *got = diag_str(d);
        if (strcmp(got, errors[i].want) != 0)
            print_error("case %s:\n got: %s\nwant: %s\n", errors[i].file, got,
                        errors[i].want);
        assert_int_equal(rc, PESIM_E_INVALID);
        assert_string_equal(got, errors[i].want);
        assert_string_equal(wl.name, "untouched");
        assert_null(wl.layers);
        free(got);
        pesim_diags_destroy(d);
    }
}

/* Every prefix and many one-byte changes of real files: an error or a
 * layer, never a crash or a leak (the sanitizer build checks). */
static void mutate(const char *path)
{
    size_t len = 0;
    char *text = pesim_cfg_read_file(path, &len);
    assert_non_null(text);
    char *buf = malloc(len);
    assert_non_null(buf);
    static const char bytes[] = {':', '\n', ' ', '-', '[', ']', '{', '0',
                                 'x', '&', '*', '!', '\0', (char)0xff};
    for (size_t n = 0; n <= len; n += 2) {
        struct pesim_workload wl = {0};
        if (!pesim_import_timeloop(text, n, "p.yaml", &wl, NULL))
            pesim_workload_free(&wl);
    }
    for (size_t i = 0; i < len; i += 2)
        for (size_t b = 0; b < sizeof bytes; b++) {
            memcpy(buf, text, len);
            buf[i] = bytes[b];
            struct pesim_workload wl = {0};
            pesim_diags *d = pesim_diags_create();
            int rc = pesim_import_timeloop(buf, len, "m.yaml", &wl, d);
            if (rc == 0) {
                assert_int_equal(wl.count, 1);
                pesim_workload_free(&wl);
            } else {
                assert_true(pesim_diags_count(d) >= 1);
            }
            pesim_diags_destroy(d);
        }
    free(buf);
    free(text);
}

static void test_robust(void **state)
{
    (void)state;
    mutate(DATA "timeloop_alexnet_conv1.yaml");
    mutate(DATA "timeloop_grouped_conv.yaml");
    struct pesim_workload wl = {0};
    assert_int_equal(pesim_import_timeloop(legacy, sizeof legacy - 1, "l.yaml", &wl, NULL), 0);
    pesim_workload_free(&wl);
}

/* ---- the imported layers run -------------------------------------------- */

static void test_map(void **state)
{
    (void)state;
    static const char *const files[] = {
        DATA "timeloop_alexnet_conv1.yaml", DATA "timeloop_alexnet_conv2.yaml",
        DATA "timeloop_alexnet_conv3.yaml", DATA "timeloop_alexnet_conv4.yaml",
        DATA "timeloop_alexnet_conv5.yaml", DATA "timeloop_grouped_conv.yaml"};
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    pesim_diags *d = pesim_diags_create();
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        struct pesim_workload wl = {0};
        /* --workload's path: a YAML with a top-level problem. */
        assert_int_equal(pesim_wl_detect(files[i]), PESIM_WL_TIMELOOP);
        assert_int_equal(pesim_wl_load_any(files[i], &wl, d), 0);
        static const char *const dfs[] = {"rs", "ws"};
        for (size_t f = 0; f < 2; f++) {
            struct pesim_mapping m;
            int rc = pesim_df_map(pesim_df_find(dfs[f]), &a, &wl.layers[0], &m, d);
            if (rc) {
                char *s = diag_str(d);
                print_error("%s %s: %s", files[i], dfs[f], s);
                free(s);
            }
            assert_int_equal(rc, 0);
        }
        pesim_workload_free(&wl);
    }
    /* The grouped layer runs through the cycle-level simulator. */
    struct pesim_workload wl;
    import_file(DATA "timeloop_grouped_conv.yaml", &wl);
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find("rs"), &a, &wl.layers[0], &m, d), 0);
    struct pesim_layer_result *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(pesim_sim_layer(&a, &wl.layers[0], &m, "m", r, d), 0);
    assert_int_equal(r->analysis.macs, 99532800);
    free(r);
    pesim_workload_free(&wl);
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alexnet),  cmocka_unit_test(test_grouped),
        cmocka_unit_test(test_layouts),  cmocka_unit_test(test_depthwise),
        cmocka_unit_test(test_gemm_and_conv1d),
        cmocka_unit_test(test_errors),   cmocka_unit_test(test_robust),
        cmocka_unit_test(test_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
