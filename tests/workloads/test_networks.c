/* The network library (workloads/lib): every shipped network loads by name,
 * its MACs and weights equal exact sums derived by hand below and round to
 * the published figures, a few layer shapes are right, and every layer of
 * every network maps with the row- and weight-stationary dataflows on
 * Eyeriss v1 (mapping only, no simulation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

static void load(const char *name, struct pesim_workload *w)
{
    pesim_diags *d = pesim_diags_create();
    int rc = pesim_workload_load(name, w, d);
    if (rc) {
        char *s = diags_str(d);
        print_error("%s", s);
        free(s);
    }
    assert_int_equal(rc, 0);
    pesim_diags_destroy(d);
}

static const struct pesim_layer *find(const struct pesim_workload *w, const char *name)
{
    for (size_t i = 0; i < w->count; i++)
        if (!strcmp(w->layers[i].name, name))
            return &w->layers[i];
    fail_msg("no layer %s in %s", name, w->name);
    return NULL;
}

/* Exact totals at batch 1 (MACs = sum of pesim_layer_macs, weights = sum
 * of pesim_layer_params: conv and fc filters, gemm matrices; no biases, no
 * batch norm, nothing for matmul). Derivations:
 *
 * vgg16 (3x3 convs, padding 1; MACs = 9 x C x M x P x Q per layer):
 *   conv1_x  224^2 x 9 x (3x64 + 64x64)             =  1,936,392,192
 *   conv2_x  112^2 x 9 x (64x128 + 128x128)         =  2,774,532,096
 *   conv3_x   56^2 x 9 x (128x256 + 2 x 256x256)    =  4,624,220,160
 *   conv4_x   28^2 x 9 x (256x512 + 2 x 512x512)    =  4,624,220,160
 *   conv5_x   14^2 x 9 x (3 x 512x512)              =  1,387,266,048
 *   fc6-8     7x7x512x4096 + 4096^2 + 4096x1000     =    123,633,664
 *   MACs 15,470,264,320; weights: conv 9 x 1,634,496 = 14,710,464, plus
 *   fc 123,633,664 = 138,344,128. Published: 138M parameters (Simonyan &
 *   Zisserman, Table 2) and 15.5G MACs, 138M weights (Sze et al., Proc.
 *   IEEE 2017, Table IV).
 *
 * resnet50 (v1, stride 2 on branch2a and branch1 of res3a, res4a, res5a, so
 * every conv of a stage runs at the stage's P x Q; MACs = weights x P x Q):
 *   conv1     7x7x3x64 = 9,408 weights x 112^2         =    118,013,952
 *   stage 2   res2a 73,728 + res2b, c 2 x 69,632 = 212,992 weights
 *             x 56^2                                    =    667,942,912
 *   stage 3   res3a 376,832 + res3b-d 3 x 278,528 = 1,212,416 x 28^2
 *                                                       =    950,534,144
 *   stage 4   res4a 1,507,328 + res4b-f 5 x 1,114,112 = 7,077,888 x 14^2
 *                                                       =  1,387,266,048
 *   stage 5   res5a 6,029,312 + res5b, c 2 x 4,456,448 = 14,942,208 x 7^2
 *                                                       =    732,168,192
 *   fc1000    2048 x 1000                               =      2,048,000
 *   MACs 3,857,973,248 (He et al. Table 1: "3.8 x 10^9 FLOPs", counted as
 *   multiply-adds; Sze et al. Table IV: 3.9G MACs); weights
 *   9,408 + 212,992 + 1,212,416 + 7,077,888 + 14,942,208 + 2,048,000
 *   = 25,502,912 (25.5M in Sze et al. Table IV).
 *
 * mobilenet_v1 (Howard et al. Table 1; a depthwise layer has 9 weights per
 * channel):
 *   MACs 568,740,352 = conv1 10,838,016 + depthwise 17,385,984
 *   + pointwise 539,492,352 + fc 1,024,000 (569M mult-adds, Tables 2 and 8;
 *   Table 2's shares check too: 1x1 convs 94.86%, depthwise 3.06%);
 *   weights 4,209,088 = conv1 864 + depthwise 9 x 4,960 = 44,640
 *   + pointwise 3,139,584 + fc 1,024,000 (4.2M, Table 8; fc 24.33%).
 *
 * mobilenet_v2 (Sandler et al. Table 2; 17 blocks):
 *   MACs 300,774,272 = conv1 10,838,016 + blocks 268,585,856 + conv2
 *   (320 -> 1280) 20,070,400 + fc 1,280,000 (Table 4: 300M mult-adds);
 *   weights 3,469,760 = conv1 864 + blocks 1,779,296 + conv2 409,600
 *   + fc 1,280,000. The paper prints
 *   3.4M parameters (Table 4), the first two digits of 3.47M; public
 *   implementations count 3.5M with batch norm and biases (3,504,872 in
 *   torchvision), so the check is the truncation to 0.1M, not rounding.
 *
 * bert_base_128, bert_base_512 (Devlin et al. 2019, BERT-base):
 *   weights 12 x (4 x 768^2 + 2 x 768 x 3072) = 12 x 7,077,888
 *   = 84,934,656. The published 110M adds what is not an encoder gemm:
 *     token embeddings 30522 x 768                   23,440,896
 *     position embeddings 512 x 768                     393,216
 *     segment embeddings 2 x 768                          1,536
 *     embedding LayerNorm 2 x 768                         1,536
 *     per layer biases (4 x 768 + 3072 + 768) and
 *       2 LayerNorms (4 x 768): 12 x 9,984              119,808
 *     pooler 768 x 768 + 768                            590,592
 *   84,934,656 + 24,547,584 = 109,482,240 ("110M").
 *   MACs per encoder layer: seq x 7,077,888 + 2 x 12 x seq^2 x 64:
 *   seq 128: 905,969,664 + 25,165,824 = 931,135,488, x 12 = 11,173,625,856;
 *   seq 512: 3,623,878,656 + 402,653,184 = 4,026,531,840, x 12
 *   = 48,318,382,080.
 */
static const struct {
    const char *name;
    size_t layers;
    uint64_t macs, weights;
} nets[] = {
    {"alexnet", 8, 724406816, 60954656},
    {"vgg16", 16, 15470264320ull, 138344128},
    {"resnet50", 54, 3857973248ull, 25502912},
    {"mobilenet_v1", 28, 568740352, 4209088},
    {"mobilenet_v2", 53, 300774272, 3469760},
    {"bert_base_128", 96, 11173625856ull, 84934656},
    {"bert_base_512", 96, 48318382080ull, 84934656},
};
#define NNETS (sizeof nets / sizeof *nets)

/* Round x to the nearest multiple of unit. */
static uint64_t round_to(uint64_t x, uint64_t unit)
{
    return (x + unit / 2) / unit;
}

static void test_presets_listed(void **state)
{
    (void)state;
    const char *const *names = pesim_workload_presets();
    size_t n = 0;
    while (names[n])
        n++;
    assert_int_equal(n, NNETS);
    for (size_t i = 0; i < NNETS; i++)
        assert_string_equal(names[i], nets[i].name);
}

static void test_totals(void **state)
{
    (void)state;
    for (size_t k = 0; k < NNETS; k++) {
        struct pesim_workload w;
        load(nets[k].name, &w);
        assert_string_equal(w.name, nets[k].name);
        assert_int_equal(w.count, nets[k].layers);
        uint64_t macs = 0, weights = 0;
        for (size_t i = 0; i < w.count; i++) {
            for (size_t j = 0; j < i; j++)
                assert_string_not_equal(w.layers[i].name, w.layers[j].name);
            macs += pesim_layer_macs(&w.layers[i]);
            weights += pesim_layer_params(&w.layers[i]);
        }
        if (macs != nets[k].macs || weights != nets[k].weights)
            print_error("%s: %llu MACs, %llu weights\n", w.name,
                        (unsigned long long)macs, (unsigned long long)weights);
        assert_int_equal(macs, nets[k].macs);
        assert_int_equal(weights, nets[k].weights);
        pesim_workload_free(&w);
    }
    /* Beside the published figures, at the precision they are printed. */
    assert_int_equal(round_to(nets[1].macs, 100000000), 155);  /* 15.5G */
    assert_int_equal(round_to(nets[1].weights, 1000000), 138); /* 138M */
    assert_int_equal(round_to(nets[2].macs, 10000000), 386);   /* 3.86G */
    assert_int_equal(nets[2].macs / 100000000, 38);            /* "3.8 x 10^9" */
    assert_int_equal(round_to(nets[2].weights, 100000), 255);  /* 25.5M */
    assert_int_equal(round_to(nets[3].macs, 1000000), 569);    /* 569M */
    assert_int_equal(round_to(nets[3].weights, 100000), 42);   /* 4.2M */
    assert_int_equal(round_to(nets[4].macs, 10000000), 30);    /* 300M */
    assert_int_equal(nets[4].weights / 100000, 34);            /* 3.4M, truncated */
    /* BERT-base: the encoder's gemm weights plus the rest listed above. */
    uint64_t encoder = 12ull * (4 * 768 * 768 + 2 * 768 * 3072);
    assert_int_equal(encoder, nets[5].weights);
    uint64_t rest = 30522ull * 768 + 512 * 768 + 2 * 768 + 2 * 768 +
                    12ull * (4 * 768 + 3072 + 768 + 4 * 768) + 768 * 768 + 768;
    assert_int_equal(encoder + rest, 109482240);
    assert_int_equal(round_to(encoder + rest, 10000000), 11); /* 110M */
}

/* ResNet-50 v1 in the Caffe release's names and order: the ONNX importer
 * must produce this identical list. */
static void test_resnet50(void **state)
{
    (void)state;
    struct pesim_workload w;
    load("resnet50", &w);
    static const int blocks[] = {3, 4, 6, 3};
    char want[64][PESIM_NAME_MAX];
    size_t n = 0;
    snprintf(want[n++], PESIM_NAME_MAX, "conv1");
    for (int s = 0; s < 4; s++)
        for (int b = 0; b < blocks[s]; b++) {
            static const char *const br[] = {"branch2a", "branch2b", "branch2c", "branch1"};
            for (int k = 0; k < (b == 0 ? 4 : 3); k++)
                snprintf(want[n++], PESIM_NAME_MAX, "res%d%c_%s", s + 2, 'a' + b, br[k]);
        }
    snprintf(want[n++], PESIM_NAME_MAX, "fc1000");
    assert_int_equal(w.count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(w.layers[i].name, want[i]);

    const struct pesim_layer *l = find(&w, "conv1");
    assert_int_equal(l->dim[PESIM_DIM_R], 7);
    assert_int_equal(l->stride[0], 2);
    assert_int_equal(l->pad[0], 3);
    assert_int_equal(l->dim[PESIM_DIM_P], 112);
    assert_int_equal(pesim_layer_h(l), 229); /* 224 + 2 x 3, last row unread */
    /* The stride of res3a is on its first 1x1 conv and its projection. */
    l = find(&w, "res3a_branch2a");
    assert_int_equal(l->stride[0], 2);
    assert_int_equal(l->stride[1], 2);
    assert_int_equal(l->dim[PESIM_DIM_C], 256);
    assert_int_equal(l->dim[PESIM_DIM_M], 128);
    assert_int_equal(l->dim[PESIM_DIM_P], 28);
    assert_int_equal(l->dim[PESIM_DIM_Q], 28);
    l = find(&w, "res3a_branch2b");
    assert_int_equal(l->stride[0], 1);
    assert_int_equal(l->dim[PESIM_DIM_R], 3);
    assert_int_equal(l->pad[0], 1);
    assert_int_equal(l->dim[PESIM_DIM_P], 28);
    l = find(&w, "res3a_branch1");
    assert_int_equal(l->stride[0], 2);
    assert_int_equal(l->dim[PESIM_DIM_M], 512);
    assert_int_equal(l->dim[PESIM_DIM_P], 28);
    l = find(&w, "res2a_branch1");
    assert_int_equal(l->stride[0], 1);
    assert_int_equal(l->dim[PESIM_DIM_C], 64);
    assert_int_equal(l->dim[PESIM_DIM_M], 256);
    assert_int_equal(l->dim[PESIM_DIM_P], 56);
    l = find(&w, "res5c_branch2c");
    assert_int_equal(l->dim[PESIM_DIM_M], 2048);
    assert_int_equal(l->dim[PESIM_DIM_P], 7);
    l = find(&w, "fc1000");
    assert_int_equal(l->kind, PESIM_LAYER_FC);
    assert_int_equal(l->dim[PESIM_DIM_C], 2048);
    assert_int_equal(l->dim[PESIM_DIM_M], 1000);
    assert_int_equal(l->dim[PESIM_DIM_R], 1);
    for (size_t i = 0; i < w.count; i++)
        assert_int_equal(w.layers[i].dim[PESIM_DIM_N], 1);
    pesim_workload_free(&w);
}

static void test_vgg16(void **state)
{
    (void)state;
    struct pesim_workload w;
    load("vgg16", &w);
    const struct pesim_layer *l = find(&w, "conv1_1");
    assert_int_equal(l->dim[PESIM_DIM_C], 3);
    assert_int_equal(l->dim[PESIM_DIM_P], 224);
    assert_int_equal(pesim_layer_h(l), 226);
    l = find(&w, "conv5_3");
    assert_int_equal(l->dim[PESIM_DIM_P], 14);
    l = find(&w, "fc6"); /* the 7x7x512 map after the fifth pool */
    assert_int_equal(l->kind, PESIM_LAYER_FC);
    assert_int_equal(l->dim[PESIM_DIM_R], 7);
    assert_int_equal(l->dim[PESIM_DIM_S], 7);
    assert_int_equal(pesim_layer_params(l), 102760448);
    pesim_workload_free(&w);
}

static void test_mobilenets(void **state)
{
    (void)state;
    struct pesim_workload w;
    load("mobilenet_v1", &w);
    /* The first depthwise layer: 32 channels, one 3x3 filter each. */
    const struct pesim_layer *l = find(&w, "dw1");
    assert_int_equal(l->dim[PESIM_DIM_G], 32);
    assert_int_equal(l->dim[PESIM_DIM_M], 1);
    assert_int_equal(l->dim[PESIM_DIM_C], 1);
    assert_int_equal(l->dim[PESIM_DIM_R], 3);
    assert_int_equal(l->dim[PESIM_DIM_P], 112);
    assert_int_equal(pesim_layer_params(l), 32 * 9);
    assert_int_equal(pesim_layer_macs(l), 32ull * 9 * 112 * 112);
    l = find(&w, "dw2");
    assert_int_equal(l->stride[0], 2);
    assert_int_equal(l->dim[PESIM_DIM_P], 56);
    l = find(&w, "dw13"); /* Table 1's "s2" here is a misprint: 7 -> 7 */
    assert_int_equal(l->stride[0], 1);
    assert_int_equal(l->dim[PESIM_DIM_G], 1024);
    assert_int_equal(l->dim[PESIM_DIM_P], 7);
    l = find(&w, "pw13");
    assert_int_equal(l->dim[PESIM_DIM_C], 1024);
    assert_int_equal(l->dim[PESIM_DIM_M], 1024);
    pesim_workload_free(&w);

    load("mobilenet_v2", &w);
    /* Block 1 has expansion 1: no expansion conv. */
    assert_string_equal(w.layers[1].name, "block1_dw");
    assert_int_equal(w.layers[1].dim[PESIM_DIM_G], 32);
    assert_string_equal(w.layers[2].name, "block1_project");
    assert_int_equal(w.layers[2].dim[PESIM_DIM_M], 16);
    l = find(&w, "block2_expand");
    assert_int_equal(l->dim[PESIM_DIM_C], 16);
    assert_int_equal(l->dim[PESIM_DIM_M], 96);
    l = find(&w, "block2_dw");
    assert_int_equal(l->dim[PESIM_DIM_G], 96);
    assert_int_equal(l->stride[0], 2);
    assert_int_equal(l->dim[PESIM_DIM_P], 56);
    l = find(&w, "block17_project");
    assert_int_equal(l->dim[PESIM_DIM_C], 960);
    assert_int_equal(l->dim[PESIM_DIM_M], 320);
    l = find(&w, "conv2");
    assert_int_equal(l->dim[PESIM_DIM_M], 1280);
    assert_int_equal(l->dim[PESIM_DIM_P], 7);
    l = find(&w, "fc");
    assert_int_equal(l->dim[PESIM_DIM_C], 1280);
    assert_int_equal(l->dim[PESIM_DIM_M], 1000);
    pesim_workload_free(&w);
}

static void test_bert(void **state)
{
    (void)state;
    static const char *const nets_b[] = {"bert_base_128", "bert_base_512"};
    static const uint64_t seqs[] = {128, 512};
    static const char *const parts[] = {"q", "k", "v", "scores", "context", "out", "ffn1", "ffn2"};
    for (int k = 0; k < 2; k++) {
        uint64_t seq = seqs[k];
        struct pesim_workload w;
        load(nets_b[k], &w);
        assert_int_equal(w.count, 12 * 8);
        for (size_t i = 0; i < w.count; i++) {
            char want[PESIM_NAME_MAX];
            snprintf(want, sizeof want, "enc%zu_%s", i / 8, parts[i % 8]);
            assert_string_equal(w.layers[i].name, want);
            assert_true(pesim_layer_is_gemm(&w.layers[i]));
        }
        const struct pesim_layer *l = find(&w, "enc0_q");
        assert_int_equal(l->kind, PESIM_LAYER_GEMM);
        assert_int_equal(l->dim[PESIM_DIM_N], seq);
        assert_int_equal(l->dim[PESIM_DIM_C], 768);
        assert_int_equal(l->dim[PESIM_DIM_M], 768);
        l = find(&w, "enc11_scores"); /* Q.K^T per head */
        assert_int_equal(l->kind, PESIM_LAYER_MATMUL);
        assert_int_equal(l->dim[PESIM_DIM_G], 12);
        assert_int_equal(l->dim[PESIM_DIM_N], seq);
        assert_int_equal(l->dim[PESIM_DIM_C], 64);
        assert_int_equal(l->dim[PESIM_DIM_M], seq);
        assert_int_equal(pesim_layer_params(l), 0);
        assert_int_equal(pesim_layer_macs(l), 12 * seq * seq * 64);
        l = find(&w, "enc11_context"); /* scores.V per head */
        assert_int_equal(l->kind, PESIM_LAYER_MATMUL);
        assert_int_equal(l->dim[PESIM_DIM_G], 12);
        assert_int_equal(l->dim[PESIM_DIM_C], seq);
        assert_int_equal(l->dim[PESIM_DIM_M], 64);
        assert_int_equal(pesim_layer_params(l), 0);
        l = find(&w, "enc5_ffn1");
        assert_int_equal(l->dim[PESIM_DIM_C], 768);
        assert_int_equal(l->dim[PESIM_DIM_M], 3072);
        l = find(&w, "enc5_ffn2");
        assert_int_equal(l->dim[PESIM_DIM_C], 3072);
        assert_int_equal(l->dim[PESIM_DIM_M], 768);
        pesim_workload_free(&w);
    }
}

/* Whether layer i repeats the shape of an earlier layer of w (same kind,
 * dims, strides, padding and dilation): the mapper sees only the shape, so
 * a repeat (BERT's 12 encoder layers, ResNet's identical blocks) needs no
 * second mapping. */
static bool repeats(const struct pesim_workload *w, size_t i)
{
    const struct pesim_layer *l = &w->layers[i];
    for (size_t j = 0; j < i; j++) {
        const struct pesim_layer *e = &w->layers[j];
        if (e->kind == l->kind && !memcmp(e->dim, l->dim, sizeof l->dim) &&
            !memcmp(e->stride, l->stride, sizeof l->stride) &&
            !memcmp(e->pad, l->pad, sizeof l->pad) &&
            !memcmp(e->dilation, l->dilation, sizeof l->dilation))
            return true;
    }
    return false;
}

/* Every layer of every shipped network maps with RS and WS on Eyeriss v1,
 * and the mapping passes the checks, fits and covers the layer's MACs. */
static void test_all_map(void **state)
{
    (void)state;
    struct pesim_arch a;
    assert_int_equal(pesim_arch_load("eyeriss-v1", &a, NULL), 0);
    static const char *const dfs[] = {"rs", "ws"};
    for (size_t k = 0; k < NNETS; k++) {
        struct pesim_workload w;
        load(nets[k].name, &w);
        for (size_t i = 0; i < w.count; i++)
            for (int f = 0; f < 2 && !repeats(&w, i); f++) {
                const pesim_dataflow *df = pesim_df_find(dfs[f]);
                assert_non_null(df);
                const struct pesim_layer *l = &w.layers[i];
                struct pesim_mapping m;
                struct pesim_analysis r;
                pesim_diags *d = pesim_diags_create();
                int rc = pesim_df_map(df, &a, l, &m, d);
                if (rc) {
                    char *s = diags_str(d);
                    print_error("%s %s %s: %s", w.name, l->name, dfs[f], s);
                    free(s);
                }
                assert_int_equal(rc, 0);
                assert_int_equal(pesim_map_check(&a, l, &m, "t", d), 0);
                assert_int_equal(pesim_map_analyze(&a, l, &m, &r), 0);
                assert_true(r.fits);
                assert_int_equal(r.macs, pesim_layer_macs(l));
                pesim_diags_destroy(d);
            }
        pesim_workload_free(&w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets_listed),
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_resnet50),
        cmocka_unit_test(test_vgg16),
        cmocka_unit_test(test_mobilenets),
        cmocka_unit_test(test_bert),
        cmocka_unit_test(test_all_map),
    };
    return cmocka_run_group_tests_name("networks", tests, NULL, NULL);
}
