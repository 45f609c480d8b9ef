/* SCALE-Sim topology CSV: SCALE-Sim's own AlexNet and ResNet-18 and a GEMM
 * topology against hand-checked shapes and MACs; the formats SCALE-Sim
 * files come in; golden error messages; every imported layer maps with rs
 * and ws on eyeriss-v1.
 *
 * tests/importers/data/ holds copies of scalesim-project/scale-sim-v2
 * files (CSV has no comments, so the sources are cited here):
 *   alexnet_scalesim.csv     topologies/conv_nets/alexnet.csv
 *   resnet18_scalesim.csv    topologies/sparsity/Resnet18.csv (as there:
 *                            a trailing space in the header and no newline
 *                            at the end)
 *   vit_s_gemm_scalesim.csv  topologies/GEMM_mnk/vit_s.csv
 * SCALE-Sim computes ofmap = ceil((ifmap - filter + stride) / stride)
 * (scalesim/topology_utils.py, topo_calc_hyperparams), which the hand
 * values below follow. */
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

static void import_file(const char *path, struct pesim_workload *wl)
{
    size_t len = 0;
    char *text = pesim_cfg_read_file(path, &len);
    assert_non_null(text);
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_import_scalesim(text, len, path, wl, d);
    if (rc) {
        char *s = diag_str(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
    free(text);
}

static void import_text(const char *text, struct pesim_workload *wl)
{
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_import_scalesim(text, strlen(text), "t.csv", wl, d);
    if (rc) {
        char *s = diag_str(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
}

/* Hand-checked shape of a conv layer: N = G = 1 unless stated. */
struct want {
    const char *name;
    uint64_t c, m, p, q, r, s;
    uint32_t u;
    uint64_t macs;
};

static void check_conv(const struct pesim_layer *l, const struct want *w)
{
    assert_string_equal(l->name, w->name);
    assert_int_equal(l->kind, PESIM_LAYER_CONV);
    assert_int_equal(l->dim[PESIM_DIM_N], 1);
    assert_int_equal(l->dim[PESIM_DIM_G], 1);
    assert_int_equal(l->dim[PESIM_DIM_C], w->c);
    assert_int_equal(l->dim[PESIM_DIM_M], w->m);
    assert_int_equal(l->dim[PESIM_DIM_P], w->p);
    assert_int_equal(l->dim[PESIM_DIM_Q], w->q);
    assert_int_equal(l->dim[PESIM_DIM_R], w->r);
    assert_int_equal(l->dim[PESIM_DIM_S], w->s);
    assert_int_equal(l->stride[0], w->u);
    assert_int_equal(l->stride[1], w->u);
    assert_int_equal(l->pad[0], 0);
    assert_int_equal(l->pad[1], 0);
    assert_int_equal(l->dilation[0], 1);
    assert_int_equal(l->dilation[1], 1);
    assert_int_equal(pesim_layer_macs(l), w->macs);
}

/* ---- SCALE-Sim's AlexNet ------------------------------------------------ */

static const struct want alexnet[] = {
    /* P = ceil((224-11)/4) + 1 = 55 (floor would give 54) */
    {"Conv1", 3, 96, 55, 55, 11, 11, 4, 105415200},
    {"Conv2", 96, 256, 23, 23, 5, 5, 1, 325017600},  /* 27-5+1 */
    {"Conv3", 256, 384, 11, 11, 3, 3, 1, 107053056}, /* 13-3+1 */
    {"Conv4", 384, 384, 11, 11, 3, 3, 1, 160579584},
    {"Conv5", 384, 256, 11, 11, 3, 3, 1, 107053056},
};

static void test_alexnet(void **state)
{
    (void)state;
    struct pesim_workload wl;
    import_file(DATA "alexnet_scalesim.csv", &wl);
    assert_string_equal(wl.name, "alexnet_scalesim");
    assert_int_equal(wl.count, 5);
    uint64_t total = 0;
    for (size_t i = 0; i < wl.count; i++) {
        check_conv(&wl.layers[i], &alexnet[i]);
        total += pesim_layer_macs(&wl.layers[i]);
    }
    assert_int_equal(total, 805118496);
    /* The rounded-up Conv1 reads 227 rows: 3 past SCALE-Sim's 224. */
    assert_int_equal(pesim_layer_h(&wl.layers[0]), 227);

    /* Against pesim's own alexnet (Krizhevsky et al.): CONV1 is the same
     * layer (SCALE-Sim's 224 with ceil gives the 55x55 of the 227 input).
     * SCALE-Sim has no groups, so CONV2, CONV4, CONV5 hold both groups in
     * one layer (C = G*C, M = G*M: twice the MACs), and its IFMAP sizes of
     * CONV2..CONV5 are the unpadded 27 and 13 although SCALE-Sim reads
     * them as padded: P = 23 and 11 instead of 27 and 13. */
    struct pesim_workload ref;
    assert_int_equal(pesim_workload_load("alexnet", &ref, NULL), 0);
    const struct pesim_layer *a = &wl.layers[0], *b = &ref.layers[0];
    assert_memory_equal(a->dim, b->dim, sizeof a->dim);
    assert_memory_equal(a->stride, b->stride, sizeof a->stride);
    assert_int_equal(pesim_layer_h(a), pesim_layer_h(b));
    for (size_t i = 1; i < 5; i++) {
        a = &wl.layers[i];
        b = &ref.layers[i];
        uint64_t g = b->dim[PESIM_DIM_G];
        assert_int_equal(a->dim[PESIM_DIM_C], g * b->dim[PESIM_DIM_C]);
        assert_int_equal(a->dim[PESIM_DIM_M], g * b->dim[PESIM_DIM_M]);
        assert_int_equal(a->dim[PESIM_DIM_R], b->dim[PESIM_DIM_R]);
        assert_int_equal(a->dim[PESIM_DIM_P] + 2 * b->pad[0], b->dim[PESIM_DIM_P]);
    }
    pesim_workload_free(&ref);
    pesim_workload_free(&wl);
}

/* ---- SCALE-Sim's ResNet-18 ---------------------------------------------- */

static const struct want resnet18[] = {
    {"Conv1", 3, 64, 110, 110, 7, 7, 2, 113836800}, /* ceil(217/2)+1 */
    {"Conv2_1a", 64, 64, 54, 54, 3, 3, 1, 107495424},
    {"Conv2_1b", 64, 64, 54, 54, 3, 3, 1, 107495424},
    {"Conv2_2a", 64, 64, 54, 54, 3, 3, 1, 107495424},
    {"Conv2_2b", 64, 64, 54, 54, 3, 3, 1, 107495424},
    {"Conv3_1a", 64, 128, 28, 28, 3, 3, 2, 57802752}, /* ceil(53/2)+1 */
    {"Conv3_1b", 128, 128, 26, 26, 3, 3, 1, 99680256},
    {"Conv3_s", 64, 128, 29, 29, 1, 1, 2, 6889472}, /* ceil(55/2)+1 */
    {"Conv3_2a", 128, 128, 26, 26, 3, 3, 1, 99680256},
    {"Conv3_2b", 128, 128, 26, 26, 3, 3, 1, 99680256},
    {"Conv4_1a", 128, 256, 14, 14, 3, 3, 2, 57802752},
    {"Conv4_1b", 256, 256, 12, 12, 3, 3, 1, 84934656},
    {"Conv4_s", 128, 256, 15, 15, 1, 1, 2, 7372800},
    {"Conv4_2a", 256, 256, 12, 12, 3, 3, 1, 84934656},
    {"Conv4_2b", 256, 256, 12, 12, 3, 3, 1, 84934656},
    {"Conv5_1a", 256, 512, 7, 7, 3, 3, 2, 57802752},
    {"Conv5_1b", 512, 512, 5, 5, 3, 3, 1, 58982400},
    {"Conv5_s", 256, 512, 8, 8, 1, 1, 2, 8388608},
    {"Conv5_2a", 512, 512, 5, 5, 3, 3, 1, 58982400},
    {"Conv5_2b", 512, 512, 5, 5, 3, 3, 1, 58982400},
    {"FC", 512, 1000, 1, 1, 1, 1, 1, 512000},
};

static void test_resnet18(void **state)
{
    (void)state;
    struct pesim_workload wl;
    import_file(DATA "resnet18_scalesim.csv", &wl);
    assert_int_equal(wl.count, 21);
    uint64_t total = 0;
    for (size_t i = 0; i < wl.count; i++) {
        check_conv(&wl.layers[i], &resnet18[i]);
        total += pesim_layer_macs(&wl.layers[i]);
    }
    assert_int_equal(total, 1471181568);
    pesim_workload_free(&wl);
}

/* ---- GEMM --------------------------------------------------------------- */

static void test_gemm(void **state)
{
    (void)state;
    static const uint64_t mnk[5][3] = {{196, 192, 384},  {196, 1176, 64},
                                       {196, 64, 1176},  {196, 1536, 384},
                                       {196, 384, 1536}};
    struct pesim_workload wl;
    import_file(DATA "vit_s_gemm_scalesim.csv", &wl);
    assert_int_equal(wl.count, 5);
    uint64_t total = 0;
    for (size_t i = 0; i < 5; i++) {
        const struct pesim_layer *l = &wl.layers[i];
        char name[8];
        snprintf(name, sizeof name, "L%zu", i);
        assert_string_equal(l->name, name);
        assert_int_equal(l->kind, PESIM_LAYER_GEMM);
        /* SCALE-Sim: M ofmap rows, N filters, K the window (reduction). */
        assert_int_equal(l->dim[PESIM_DIM_N], mnk[i][0]);
        assert_int_equal(l->dim[PESIM_DIM_M], mnk[i][1]);
        assert_int_equal(l->dim[PESIM_DIM_C], mnk[i][2]);
        assert_int_equal(l->dim[PESIM_DIM_G], 1);
        assert_int_equal(pesim_layer_params(l), mnk[i][1] * mnk[i][2]);
        total += pesim_layer_macs(l);
    }
    assert_int_equal(total, 275165184);
    pesim_workload_free(&wl);
}

/* ---- what real files look like ------------------------------------------ */

static void same_layers(const struct pesim_workload *a,
                        const struct pesim_workload *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        assert_memory_equal(&a->layers[i], &b->layers[i], sizeof a->layers[i]);
}

/* CRLF, blank lines, tabs and spaces, a BOM, no trailing commas, no final
 * newline, a lower-case header: all the same topology. */
static void test_tolerance(void **state)
{
    (void)state;
    static const char canon[] =
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
        "Channels, Num Filter, Strides,\n"
        "a,8,8,3,3,4,5,1,\n"
        "b,9,7,3,2,5,6,2,\n";
    static const char *const variants[] = {
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
        "Channels, Num Filter, Strides,\r\n"
        "\r\n a , 8 ,8, 3,3,4,5,1,\r\n\r\n\tb\t,9,7,3,2,5,6,2,",
        "\xEF\xBB\xBF\n\nlayer NAME,ifmap height,ifmap width,filter height,"
        "filter width,channels,num filter,strides\n"
        "a,8,8,3,3,4,5,1\n  \n"
        "b,9,7,3,2,5,6,2\n\n\n",
        /* SCALE-Sim's own writer: separate row and column strides. */
        "Layer name,IFMAP height,IFMAP width,Filter height,Filter width,"
        "Channels,Num filter,Stride height,Stride width,\n"
        "a,8,8,3,3,4,5,1,1,\n"
        "b,9,7,3,2,5,6,2,2,\n",
    };
    struct pesim_workload ref, wl;
    import_text(canon, &ref);
    assert_int_equal(ref.count, 2);
    /* b: P = ceil((9-3)/2)+1 = 4, Q = ceil((7-2)/2)+1 = 4 (floor: 3). */
    assert_int_equal(ref.layers[1].dim[PESIM_DIM_P], 4);
    assert_int_equal(ref.layers[1].dim[PESIM_DIM_Q], 4);
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
        import_text(variants[i], &wl);
        same_layers(&ref, &wl);
        pesim_workload_free(&wl);
    }
    pesim_workload_free(&ref);

    /* A rectangular stride, and a name with spaces (GEMM_mnk/
     * test_mnk_input.csv has "Test 1"). */
    import_text("Layer name,IFMAP height,IFMAP width,Filter height,Filter "
                "width,Channels,Num filter,Stride height,Stride width,\n"
                "x y,10,10,3,3,1,1,2,1,\n", &wl);
    assert_string_equal(wl.layers[0].name, "x y");
    assert_int_equal(wl.layers[0].stride[0], 2);
    assert_int_equal(wl.layers[0].stride[1], 1);
    assert_int_equal(wl.layers[0].dim[PESIM_DIM_P], 5);
    assert_int_equal(wl.layers[0].dim[PESIM_DIM_Q], 8);
    pesim_workload_free(&wl);
}

/* SCALE-Sim runs a layer whose name holds "DP" as one single-channel layer
 * per channel (topology_utils.py, load_arrays_conv): pesim's G. */
static void test_depthwise(void **state)
{
    (void)state;
    struct pesim_workload wl;
    import_text("Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                "Filter Width, Channels, Num Filter, Strides,\n"
                "Conv2_DP, 114, 114, 3, 3, 32, 1, 1,\n", &wl);
    const struct pesim_layer *l = &wl.layers[0];
    assert_int_equal(l->dim[PESIM_DIM_G], 32);
    assert_int_equal(l->dim[PESIM_DIM_C], 1);
    assert_int_equal(l->dim[PESIM_DIM_M], 1);
    assert_int_equal(pesim_layer_macs(l), 32ull * 112 * 112 * 9);
    pesim_workload_free(&wl);
}

/* ---- golden errors ------------------------------------------------------ */

#define HDR                                                                    \
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "    \
    "Channels, Num Filter, Strides,\n"

static const struct {
    const char *file, *text, *want;
} errors[] = {
    {"empty.csv", "", "empty.csv:1:1: error: got an empty file, expected a "
     "header row `Layer name, IFMAP Height, IFMAP Width, Filter Height, "
     "Filter Width, Channels, Num Filter, Strides,` (convolutions) or "
     "`Layer, M, N, K,` (GEMM)\n"},
    {"blank.csv", " \r\n\n\t\n", "blank.csv:1:1: error: got an empty file, "
     "expected a header row `Layer name, IFMAP Height, IFMAP Width, Filter "
     "Height, Filter Width, Channels, Num Filter, Strides,` (convolutions) "
     "or `Layer, M, N, K,` (GEMM)\n"},
    {"cols.csv", "Layer, M, N,\nx,1,2,\n", "cols.csv:1:1: error: header: got "
     "3 columns, expected `Layer name, IFMAP Height, IFMAP Width, Filter "
     "Height, Filter Width, Channels, Num Filter, Strides,` (convolutions) "
     "or `Layer, M, N, K,` (GEMM)\n"},
    {"header.csv",
     "Layer name, IFMAP Height, IFMAP Width, Filter Hieght, Filter Width, "
     "Channel, Num Filter, Strides,\nx,1,1,1,1,1,1,1,\n",
     "header.csv:1:40: error: header column 4: got 'Filter Hieght', expected "
     "'Filter Height' (a convolution topology of 8 columns)\n"
     "header.csv:1:69: error: header column 6: got 'Channel', expected "
     "'Channels' (a convolution topology of 8 columns)\n"},
    {"gemmhdr.csv", "Layer, M, K, N,\nx,1,2,3,\n",
     "gemmhdr.csv:1:11: error: header column 3: got 'K', expected 'N' (a "
     "GEMM topology of 4 columns)\n"
     "gemmhdr.csv:1:14: error: header column 4: got 'N', expected 'K' (a "
     "GEMM topology of 4 columns)\n"},
    {"noRows.csv", HDR "\n\n", "noRows.csv:1:1: error: got no layer rows "
     "after the header, expected at least one\n"},
    {"fields.csv", HDR "Conv1,224,224,11,11,3,96,\nConv2,27,27,5,5,96,256,1,1,9,\n",
     "fields.csv:2:26: error: got 7 fields, expected 8 (Layer name, IFMAP "
     "Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
     "Filter, Strides) and an optional trailing comma\n"
     "fields.csv:3:26: error: got 10 fields, expected 8 (Layer name, IFMAP "
     "Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
     "Filter, Strides) and an optional trailing comma\n"},
    {"values.csv", HDR "Conv1, 224, 22x, 11, 11, 3, 0, 4,\nConv2,27,27,5,5,-96,256,,\n",
     "values.csv:2:13: error: Conv1: IFMAP Width: got '22x', expected an "
     "integer in [1, 1099511627776]\n"
     "values.csv:2:29: error: Conv1: Num Filter: got '0', expected an "
     "integer in [1, 1099511627776]\n"
     "values.csv:3:17: error: Conv2: Channels: got '-96', expected an "
     "integer in [1, 1099511627776]\n"
     "values.csv:3:25: error: Conv2: Strides: got nothing, expected an "
     "integer in [1, 65535]\n"},
    {"big.csv", HDR "a,99999999999999999999,1,1,1,1,1,70000,\n",
     "big.csv:2:3: error: a: IFMAP Height: got '99999999999999999999', "
     "expected an integer in [1, 1099511627776]\n"
     "big.csv:2:34: error: a: Strides: got '70000', expected an integer in "
     "[1, 65535]\n"},
    {"filter.csv", HDR "Conv1,10,5,11,6,3,96,1,\n",
     "filter.csv:2:12: error: Conv1: Filter Height: got 11, expected at most "
     "the IFMAP Height 10\n"
     "filter.csv:2:15: error: Conv1: Filter Width: got 6, expected at most "
     "the IFMAP Width 5\n"},
    {"dup.csv", HDR "a,8,8,3,3,1,1,1,\nb,8,8,3,3,1,1,1,\n a ,8,8,3,3,1,1,1,\nb,8,8,3,3,1,1,1,\n",
     "dup.csv:4:2: error: a: duplicate layer name (first at line 2), "
     "expected unique names\n"
     "dup.csv:5:1: error: b: duplicate layer name (first at line 3), "
     "expected unique names\n"},
    {"name.csv", HDR " ,8,8,3,3,1,1,1,\n"
     "a_name_that_is_far_too_long_for_pesim_to_keep_in_its_layer_records_x,"
     "8,8,3,3,1,1,1,\n",
     "name.csv:2:2: error: Layer name: got nothing, expected a name\n"
     "name.csv:3:1: error: Layer name: got 'a_name_that_is_far_t...' (68 "
     "bytes), expected at most 63 bytes\n"},
    {"gemm.csv", "Layer, M, N, K,\nL0, 196, 0, 384,\nL1, 1, 2,\n",
     "gemm.csv:2:10: error: L0: N: got '0', expected an integer in [1, "
     "1099511627776]\n"
     "gemm.csv:3:10: error: got 3 fields, expected 4 (Layer, M, N, K) and "
     "an optional trailing comma\n"},
    {"overflow.csv", "Layer, M, N, K,\nbig, 1099511627776, 1099511627776, 1099511627776,\n",
     "overflow.csv:2:1: error: big: its MACs or data-space words overflow 64 "
     "bits, expected a layer whose counts fit in 64 bits\n"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
        pesim_diags *d = pesim_diags_create();
        struct pesim_workload wl = {.name = "untouched"};
        int rc = pesim_import_scalesim(errors[i].text, strlen(errors[i].text),
                                       errors[i].file, &wl, d);
        char *got = diag_str(d);
        if (strcmp(got, errors[i].want) != 0)
            print_error("case %s:\n got: %s\nwant: %s\n", errors[i].file, got,
                        errors[i].want);
        assert_int_equal(rc, PESIM_E_INVALID);
        assert_string_equal(got, errors[i].want);
        /* *out untouched on failure. */
        assert_string_equal(wl.name, "untouched");
        assert_null(wl.layers);
        free(got);
        pesim_diags_destroy(d);
    }
}

/* Every prefix and many one-byte changes of a real file: an error or a
 * workload, never a crash or a leak (the sanitizer build checks). */
static void test_robust(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = pesim_cfg_read_file(DATA "alexnet_scalesim.csv", &len);
    assert_non_null(text);
    char *buf = malloc(len);
    assert_non_null(buf);
    static const char bytes[] = {',', '\n', '\r', '\0', '0', '9', ' ', 'x',
                                 '\t', (char)0xff};
    for (size_t n = 0; n <= len; n++) {
        struct pesim_workload wl = {0};
        if (!pesim_import_scalesim(text, n, "p.csv", &wl, NULL))
            pesim_workload_free(&wl);
    }
    for (size_t i = 0; i < len; i += 3)
        for (size_t b = 0; b < sizeof bytes; b++) {
            memcpy(buf, text, len);
            buf[i] = bytes[b];
            struct pesim_workload wl = {0};
            pesim_diags *d = pesim_diags_create();
            int rc = pesim_import_scalesim(buf, len, "m.csv", &wl, d);
            if (rc == 0) {
                assert_true(wl.count >= 1);
                pesim_workload_free(&wl);
            } else {
                assert_int_equal(rc, PESIM_E_INVALID);
                assert_true(pesim_diags_count(d) >= 1);
            }
            pesim_diags_destroy(d);
        }
    free(buf);
    free(text);
}

/* ---- the imported workloads run ---------------------------------------- */

static void map_all(const char *path)
{
    struct pesim_workload wl = {0};
    pesim_diags *d = pesim_diags_create();
    /* --workload's path: the format is detected from the .csv name. */
    assert_int_equal(pesim_wl_detect(path), PESIM_WL_SCALESIM);
    assert_int_equal(pesim_wl_load_any(path, &wl, d), 0);
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    static const char *const dfs[] = {"rs", "ws"};
    for (size_t i = 0; i < wl.count; i++)
        for (size_t f = 0; f < 2; f++) {
            struct pesim_mapping m;
            int rc = pesim_df_map(pesim_df_find(dfs[f]), &a, &wl.layers[i], &m, d);
            if (rc) {
                char *s = diag_str(d);
                print_error("%s %s %s: %s", path, wl.layers[i].name, dfs[f], s);
                free(s);
            }
            assert_int_equal(rc, 0);
        }
    /* And one layer runs through the cycle-level simulator. */
    const struct pesim_layer *l = &wl.layers[wl.count - 1];
    struct pesim_mapping m;
    assert_int_equal(pesim_df_map(pesim_df_find("rs"), &a, l, &m, d), 0);
    struct pesim_layer_result *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(pesim_sim_layer(&a, l, &m, "m", r, d), 0);
    assert_int_equal(r->analysis.macs, pesim_layer_macs(l));
    assert_true(r->cycles > 0);
    free(r);
    pesim_diags_destroy(d);
    pesim_workload_free(&wl);
}

static void test_map_alexnet(void **state)
{
    (void)state;
    map_all(DATA "alexnet_scalesim.csv");
}

static void test_map_resnet18(void **state)
{
    (void)state;
    map_all(DATA "resnet18_scalesim.csv");
}

static void test_map_gemm(void **state)
{
    (void)state;
    map_all(DATA "vit_s_gemm_scalesim.csv");
}

/* pesim's YAML of an imported topology reads back to the same layers. */
static void test_round_trip(void **state)
{
    (void)state;
    struct pesim_workload wl, back;
    import_file(DATA "resnet18_scalesim.csv", &wl);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(pesim_workload_write_yaml(&wl, f), 0);
    fclose(f);
    assert_int_equal(pesim_workload_load_string(buf, len, "w.yaml", &back, NULL), 0);
    same_layers(&wl, &back);
    pesim_workload_free(&back);
    pesim_workload_free(&wl);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alexnet),     cmocka_unit_test(test_resnet18),
        cmocka_unit_test(test_gemm),        cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_depthwise),   cmocka_unit_test(test_errors),
        cmocka_unit_test(test_robust),      cmocka_unit_test(test_map_alexnet),
        cmocka_unit_test(test_map_resnet18), cmocka_unit_test(test_map_gemm),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
