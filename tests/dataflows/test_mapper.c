/* The WS and OS templates and the simple mapper on the shipped presets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pesim/energy.h"

#include "dataflows/template.h"
#include "fixtures.h"

static void load(const char *arch_name, struct pesim_arch *a, struct pesim_workload *wl,
                 uint64_t batch)
{
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load(arch_name, a, d), 0);
    assert_int_equal(pesim_workload_load("alexnet", wl, d), 0);
    assert_int_equal(pesim_workload_set_batch(wl, batch, d), 0);
    pesim_diags_destroy(d);
}

/* The template's constraints hold: the RF keeps exactly its stationary
 * data spaces, and the array spreads only the dims it allows per axis. */
static void check_template(const pesim_dataflow *df, const struct pesim_mapping *m)
{
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        assert_int_equal(m->bypass[PESIM_LEVEL_RF][ds], !df->rf_keeps[ds]);
    for (unsigned i = 0; i < m->nspatial[PESIM_LEVEL_GLB]; i++) {
        unsigned a = m->spatial[PESIM_LEVEL_GLB][i].axis;
        bool ok = false;
        for (unsigned k = 0; k < df->naxis_dims[a]; k++)
            ok |= df->axis_dims[a][k] == m->spatial[PESIM_LEVEL_GLB][i].dim;
        assert_true(ok);
    }
}

/* Every AlexNet layer maps with every template on both presets; the result
 * passes the checks, fits, keeps the template's constraints and is
 * reproducible bit for bit. */
static void test_alexnet_all_layers(void **state)
{
    (void)state;
    const char *archs[] = {"eyeriss-v1", "generic-16x16"};
    for (int k = 0; k < 2; k++) {
        struct pesim_arch a;
        struct pesim_workload wl;
        load(archs[k], &a, &wl, 4);
        assert_int_equal(wl.count, 8);
        for (size_t i = 0; i < wl.count; i++)
            for (size_t f = 0; f < pesim_df_count(); f++) {
                const pesim_dataflow *df = pesim_df_get(f);
                struct pesim_mapping m, again;
                struct pesim_analysis r;
                assert_int_equal(pesim_df_map(df, &a, &wl.layers[i], &m, NULL), 0);
                assert_int_equal(pesim_df_map(df, &a, &wl.layers[i], &again, NULL), 0);
                assert_memory_equal(&m, &again, sizeof m);
                assert_int_equal(pesim_map_check(&a, &wl.layers[i], &m, "t", NULL), 0);
                assert_int_equal(pesim_map_analyze(&a, &wl.layers[i], &m, &r), 0);
                assert_true(r.fits);
                assert_int_equal(r.macs, pesim_layer_macs(&wl.layers[i]));
                check_template(df, &m);
                if (!strcmp(pesim_df_name(df), "nlr")) /* no scratchpad accesses */
                    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
                        assert_int_equal(pesim_analysis_level_accesses(&r, PESIM_LEVEL_RF), 0);
            }
        pesim_workload_free(&wl);
    }
}

/* Utilization is what the spatial choice maximizes: CONV3 (M 384, C 256)
 * fills the 16x16 array with WS (M on x, C on y: 256 active PEs, 24 x 16
 * folds); CONV1's 3 input channels cannot fill 16 rows alone: the fewest
 * folds come from filter rows and columns (R 4 x S 4 on y: 3 x 3 folds of
 * the 11x11 filter, times C = 3 and 6 folds of M = 96 over 16 columns,
 * 162 folds against 198 for C 3 x R 5). */
static void test_spatial_choice(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("generic-16x16", &a, &wl, 1);
    const pesim_dataflow *ws = pesim_df_find("ws");
    struct pesim_mapping m;
    struct pesim_analysis r;
    assert_int_equal(pesim_df_map(ws, &a, &wl.layers[2], &m, NULL), 0);
    assert_int_equal(pesim_map_analyze(&a, &wl.layers[2], &m, &r), 0);
    assert_int_equal(r.active_pes, 256);
    assert_int_equal(r.ideal_cycles, 24 * 16 * 13 * 13 * 9);

    assert_int_equal(pesim_df_map(ws, &a, &wl.layers[0], &m, NULL), 0);
    assert_int_equal(pesim_map_analyze(&a, &wl.layers[0], &m, &r), 0);
    assert_int_equal(r.active_pes, 256);
    assert_int_equal(r.ideal_cycles, 6 * 3 * 3 * 3 * 55 * 55);
    pesim_workload_free(&wl);
}

/* Nothing fits a GLB of 64 bytes: PESIM_E_NOMAP, with the reason. */
static void test_no_mapping(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("eyeriss-v1", &a, &wl, 1);
    a.glb.capacity_bytes = 64;
    pesim_arch_expand(&a);
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_df_map(pesim_df_find("os"), &a, &wl.layers[0], &(struct pesim_mapping){0}, d),
                     PESIM_E_NOMAP);
    assert_true(pesim_diags_count(d) >= 2);
    assert_string_equal(pesim_diags_get(d, 0)->msg,
                        "layer CONV1: no output-stationary mapping fits the buffers; the closest one overflows:");
    assert_non_null(strstr(pesim_diags_get(d, 1)->msg, "capacity 64 bytes"));
    /* what a caller tests (a sweep's reason joins the two): the codes */
    assert_int_equal(pesim_diags_get(d, 0)->code, PESIM_DIAG_MAP_NOMAP);
    for (size_t i = 1; i < pesim_diags_count(d); i++)
        assert_int_equal(pesim_diags_get(d, i)->code, PESIM_DIAG_MAP_NOFIT);
    pesim_diags_destroy(d);
    pesim_workload_free(&wl);
}

/* The mapper's choice written as YAML loads back to the same mapping. */
static void test_yaml_round_trip(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("eyeriss-v1", &a, &wl, 4);
    for (size_t f = 0; f < pesim_df_count(); f++) {
        struct pesim_mapping m, back;
        assert_int_equal(pesim_df_map(pesim_df_get(f), &a, &wl.layers[1], &m, NULL), 0);
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        assert_int_equal(pesim_mapping_write_yaml(&a, &m, out), 0);
        fclose(out);
        pesim_diags *d = pesim_diags_create();
        int rc = pesim_mapping_load_string(buf, len, "m.yaml", &back, d);
        pesim_diags_print(d, stderr);
        assert_int_equal(rc, 0);
        m.nlevels = (uint8_t)pesim_mapping_levels(&m); /* written out explicitly */
        assert_memory_equal(&m, &back, sizeof m);
        pesim_diags_destroy(d);
        free(buf);
    }
    pesim_workload_free(&wl);
}

/* Objectives: the energy objective never picks more energy than the
 * latency objective, which never picks more roofline cycles; EDP's product
 * is the smallest of the three. */
static void test_objectives(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("eyeriss-v1", &a, &wl, 4);
    for (size_t i = 0; i < wl.count; i++)
        for (size_t f = 0; f < pesim_df_count(); f++) {
            double e[PESIM_OBJECTIVE_COUNT];
            uint64_t c[PESIM_OBJECTIVE_COUNT];
            for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++) {
                struct pesim_mapping m;
                struct pesim_analysis an;
                struct pesim_energy en;
                uint64_t b[PESIM_BOUND_COUNT];
                assert_int_equal(pesim_df_map_for(pesim_df_get(f), &a, &wl.layers[i], o, &m, NULL), 0);
                assert_int_equal(pesim_map_analyze(&a, &wl.layers[i], &m, &an), 0);
                c[o] = pesim_map_bounds(&a, &an, b, NULL);
                pesim_energy_compute(&a, &an, c[o], &en);
                e[o] = en.total;
            }
            assert_true(e[PESIM_OBJECTIVE_ENERGY] <= e[PESIM_OBJECTIVE_LATENCY]);
            assert_true(c[PESIM_OBJECTIVE_LATENCY] <= c[PESIM_OBJECTIVE_ENERGY]);
            for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++)
                assert_true(e[PESIM_OBJECTIVE_EDP] * (double)c[PESIM_OBJECTIVE_EDP] <=
                            e[o] * (double)c[o]);
        }
    enum pesim_objective o;
    assert_int_equal(pesim_objective_parse("edp", &o), 0);
    assert_int_equal(o, PESIM_OBJECTIVE_EDP);
    assert_int_equal(pesim_objective_parse("speed", &o), PESIM_E_NOTFOUND);
    assert_string_equal(pesim_objective_name(PESIM_OBJECTIVE_ENERGY), "energy");
    pesim_workload_free(&wl);
}

/* Every template on random layers and arrays: the mapper either finds a
 * mapping that passes the checks, fits and keeps the template's
 * constraints, or says PESIM_E_NOMAP with a reason; it is deterministic. */
static void test_random_layers(void **state)
{
    (void)state;
    uint64_t rs = 0x1234567887654321u;
    int mapped = 0, nomap = 0;
    for (int iter = 0; iter < 60; iter++) {
        struct pesim_arch a = fx_arch(1 + (uint32_t)fx_rnd(&rs, 16), 1 + (uint32_t)fx_rnd(&rs, 16));
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            a.pe_array.rf.words[ds] = 1 + fx_rnd(&rs, 64);
        pesim_arch_expand(&a);
        a.glb.holds[PESIM_DS_WEIGHTS] = fx_rnd(&rs, 3) != 0;
        a.glb.capacity_bytes = 256 + fx_rnd(&rs, 65536);
        pesim_arch_expand(&a);
        struct pesim_layer l = fx_layer(1 + fx_rnd(&rs, 4), 1 + fx_rnd(&rs, 64), 1 + fx_rnd(&rs, 64),
                                        1 + fx_rnd(&rs, 30), 1 + fx_rnd(&rs, 30), 1 + fx_rnd(&rs, 5),
                                        1 + fx_rnd(&rs, 5));
        l.dim[PESIM_DIM_G] = 1 + fx_rnd(&rs, 2);
        l.stride[0] = l.stride[1] = 1 + (uint32_t)fx_rnd(&rs, 2);
        for (size_t f = 0; f < pesim_df_count(); f++) {
            const pesim_dataflow *df = pesim_df_get(f);
            struct pesim_mapping m, again;
            pesim_diags *d = pesim_diags_create();
            int rc = pesim_df_map(df, &a, &l, &m, d);
            if (rc) {
                assert_int_equal(rc, PESIM_E_NOMAP);
                assert_true(pesim_diags_count(d) >= 1);
                nomap++;
            } else {
                struct pesim_analysis r;
                assert_int_equal(pesim_map_check(&a, &l, &m, "t", NULL), 0);
                assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
                assert_true(r.fits);
                check_template(df, &m);
                assert_int_equal(pesim_df_map(df, &a, &l, &again, NULL), 0);
                assert_memory_equal(&m, &again, sizeof m);
                mapped++;
            }
            pesim_diags_destroy(d);
        }
    }
    assert_true(mapped > 200); /* most fit; small RFs and GLBs make some not */
    print_message("random layers: %d mapped, %d without a fitting mapping\n", mapped, nomap);
}

/* One use of a weight by a PE in a period (one iteration of the loops
 * above the RF), the period numbered among that PE's busy ones. */
struct use {
    uint64_t pe, weight, period;
};

static int cmp_use(const void *a, const void *b)
{
    const struct use *x = a, *y = b;
    if (x->pe != y->pe)
        return (x->pe > y->pe) - (x->pe < y->pe);
    if (x->weight != y->weight)
        return (x->weight > y->weight) - (x->weight < y->weight);
    return (x->period > y->period) - (x->period < y->period);
}

/* GLB reads of weights into PEs if a weight stays in a PE for as long as
 * the PE keeps using it: per (PE, weight), the number of runs of
 * consecutive busy periods of that PE in which it uses the weight. Found
 * by walking the whole nest, MAC by MAC. */
static uint64_t weight_runs(const struct pesim_layer *l, const struct pesim_mapping *m)
{
    /* nest order: DRAM, GLB (the period), spatial (the PE), RF */
    const struct pesim_loop *loop[3 * PESIM_MAX_LOOPS];
    int kind[3 * PESIM_MAX_LOOPS], n = 0; /* 0 period, 1 PE, 2 RF */
    for (int lv = PESIM_LEVEL_DRAM; lv <= PESIM_LEVEL_GLB; lv++)
        for (unsigned i = 0; i < m->ntemporal[lv]; i++)
            loop[n] = &m->temporal[lv][i], kind[n++] = 0;
    for (unsigned i = 0; i < m->nspatial[PESIM_LEVEL_GLB]; i++)
        loop[n] = &m->spatial[PESIM_LEVEL_GLB][i], kind[n++] = 1;
    for (unsigned i = 0; i < m->ntemporal[PESIM_LEVEL_RF]; i++)
        loop[n] = &m->temporal[PESIM_LEVEL_RF][i], kind[n++] = 2;
    uint64_t total = 1, pes = 1;
    for (int i = 0; i < n; i++) {
        total *= loop[i]->bound;
        pes *= kind[i] == 1 ? loop[i]->bound : 1;
    }
    struct use *u = malloc(total * sizeof *u);
    uint64_t *busy = calloc(pes, sizeof *busy);     /* busy periods so far */
    uint64_t *last = malloc(pes * sizeof *last);    /* last busy period seen */
    assert_non_null(u);
    assert_non_null(busy);
    assert_non_null(last);
    for (uint64_t p = 0; p < pes; p++)
        last[p] = UINT64_MAX;
    uint64_t nu = 0;
    uint32_t digit[3 * PESIM_MAX_LOOPS] = {0};
    for (uint64_t it = 0; it < total; it++) {
        uint64_t ix[PESIM_DIM_COUNT] = {0}, pe = 0, period = 0;
        for (int i = 0; i < n; i++) {
            ix[loop[i]->dim] = ix[loop[i]->dim] * loop[i]->bound + digit[i];
            if (kind[i] == 0)
                period = period * loop[i]->bound + digit[i];
            if (kind[i] == 1)
                pe = pe * loop[i]->bound + digit[i];
        }
        bool valid = true;
        for (int d = 0; d < PESIM_DIM_COUNT; d++)
            valid &= ix[d] < l->dim[d];
        if (valid) {
            if (last[pe] != period) {
                last[pe] = period;
                busy[pe]++;
            }
            uint64_t w = (((ix[PESIM_DIM_G] * 64 + ix[PESIM_DIM_M]) * 64 + ix[PESIM_DIM_C]) * 64 +
                          ix[PESIM_DIM_R]) * 64 + ix[PESIM_DIM_S];
            u[nu++] = (struct use){pe, w, busy[pe]};
        }
        for (int i = n - 1; i >= 0; i--) {
            if (++digit[i] < loop[i]->bound)
                break;
            digit[i] = 0;
        }
    }
    qsort(u, nu, sizeof *u, cmp_use);
    uint64_t runs = 0;
    for (uint64_t i = 0; i < nu; i++) {
        bool same = i > 0 && u[i].pe == u[i - 1].pe && u[i].weight == u[i - 1].weight;
        if (!same || u[i].period > u[i - 1].period + 1)
            runs++;
    }
    free(u);
    free(busy);
    free(last);
    return runs;
}

/* Weight-stationary never re-reads a weight from the GLB while it stays in
 * a PE: on random small layers, the weights the WS mapping's PEs read from
 * the GLB (the RF's weight fills) are exactly one per run of consecutive
 * periods in which a PE uses a weight, counted by walking the nest. And
 * the RF serves every weight operand: MACs = RF weight reads. */
static void test_ws_weights_stay(void **state)
{
    (void)state;
    uint64_t rs = 0xC0FFEE1234567u;
    int checked = 0;
    for (int iter = 0; iter < 40; iter++) {
        struct pesim_arch a = fx_arch(1 + (uint32_t)fx_rnd(&rs, 4), 1 + (uint32_t)fx_rnd(&rs, 4));
        a.pe_array.rf.words[PESIM_DS_WEIGHTS] = 1 + fx_rnd(&rs, 16);
        a.glb.capacity_bytes = 64 + fx_rnd(&rs, 512);
        pesim_arch_expand(&a);
        struct pesim_layer l = fx_layer(1 + fx_rnd(&rs, 2), 1 + fx_rnd(&rs, 6), 1 + fx_rnd(&rs, 6),
                                        1 + fx_rnd(&rs, 5), 1 + fx_rnd(&rs, 4), 1 + fx_rnd(&rs, 3),
                                        1 + fx_rnd(&rs, 3));
        for (int o = 0; o < PESIM_OBJECTIVE_COUNT; o++) {
            struct pesim_mapping m;
            struct pesim_analysis r;
            if (pesim_df_map_for(pesim_df_find("ws"), &a, &l, o, &m, NULL))
                continue;
            assert_int_equal(pesim_map_analyze(&a, &l, &m, &r), 0);
            assert_int_equal(r.acc[PESIM_LEVEL_RF][PESIM_DS_WEIGHTS].fills, weight_runs(&l, &m));
            assert_int_equal(r.acc[PESIM_LEVEL_RF][PESIM_DS_WEIGHTS].reads, r.macs);
            checked++;
        }
    }
    assert_true(checked >= 100);
}

/* Row-stationary folds and replicates Eyeriss's logical PE sets onto the
 * 12x14 array as the chip does (Chen et al., JSSC 2017, Tables III and V):
 * CONV1's 11x55 set as two 11x7 sets side by side (154 active PEs),
 * CONV3-5's 3x13 sets four times down the rows (156). CONV2 differs: the
 * chip splits its 5x27 set into 5x14 and 5x13 stacked (135 PEs); pesim's
 * pass search finds two 5x14 sets over two channels (r = 2, 140 PEs) 1.7%
 * cheaper (docs/validation.md §1). */
static void test_rs_eyeriss_pe_sets(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("eyeriss-v1", &a, &wl, 4);
    static const uint32_t published[5] = {154, 140, 156, 156, 156};
    for (size_t i = 0; i < 5; i++) {
        struct pesim_mapping m;
        struct pesim_analysis r;
        assert_int_equal(pesim_df_map(pesim_df_find("rs"), &a, &wl.layers[i], &m, NULL), 0);
        assert_int_equal(pesim_map_analyze(&a, &wl.layers[i], &m, &r), 0);
        assert_int_equal(r.active_pes, published[i]);
        /* R leads the rows with its whole extent, P the columns */
        uint64_t r_rows = 1, p_sp = 1;
        for (unsigned k = 0; k < m.nspatial[PESIM_LEVEL_GLB]; k++) {
            if (m.spatial[PESIM_LEVEL_GLB][k].dim == PESIM_DIM_R && m.spatial[PESIM_LEVEL_GLB][k].axis == PESIM_AXIS_Y)
                r_rows *= m.spatial[PESIM_LEVEL_GLB][k].bound;
            if (m.spatial[PESIM_LEVEL_GLB][k].dim == PESIM_DIM_P)
                p_sp *= m.spatial[PESIM_LEVEL_GLB][k].bound;
        }
        assert_int_equal(r_rows, wl.layers[i].dim[PESIM_DIM_R]);
        assert_true(p_sp >= 7); /* CONV1: e = 7, as the chip */
    }
    pesim_workload_free(&wl);
}

/* The pass search finds the chip's own mapping or a cheaper one on every
 * AlexNet layer (JSSC 2017 Table III, tests/dataflows/data/): CONV1 is the
 * chip's mapping exactly; the others keep fewer psums moving (r = 2) or
 * more filters per pass. */
static void test_rs_passes_vs_table3(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("eyeriss-v1", &a, &wl, 4);
    struct pesim_mapping_set t3;
    assert_int_equal(pesim_mapping_set_load("tests/dataflows/data/eyeriss-table3.map.yaml", &t3,
                                            NULL), 0);
    for (size_t i = 0; i < 5; i++) {
        const struct pesim_layer *l = &wl.layers[i];
        const struct pesim_named_mapping *chip = pesim_mapping_set_find(&t3, l->name);
        assert_non_null(chip);
        struct pesim_mapping m;
        struct pesim_analysis got, ref;
        assert_int_equal(pesim_df_map(pesim_df_find("rs"), &a, l, &m, NULL), 0);
        assert_int_equal(pesim_map_analyze(&a, l, &m, &got), 0);
        assert_int_equal(pesim_map_analyze(&a, l, &chip->mapping, &ref), 0);
        assert_true(ref.fits);
        struct pesim_energy xg, xr;
        pesim_energy_compute(&a, &got, 0, &xg); /* the preset has no leakage */
        pesim_energy_compute(&a, &ref, 0, &xr);
        double eg = xg.total, er = xr.total;
        if (i == 0)
            assert_true(eg == er);
        else
            assert_true(eg < er);
    }
    pesim_mapping_set_free(&t3);
    pesim_workload_free(&wl);
}

/* The book's central result on its own chip: with the energy objective,
 * row-stationary spends the least energy per MAC of every dataflow on
 * AlexNet's CONV layers (batch 4) on eyeriss-v1. */
static void test_rs_lowest_energy(void **state)
{
    (void)state;
    struct pesim_arch a;
    struct pesim_workload wl;
    load("eyeriss-v1", &a, &wl, 4);
    double rs = 0, best_other = 0;
    for (size_t f = 0; f < pesim_df_count(); f++) {
        const pesim_dataflow *df = pesim_df_get(f);
        double e = 0;
        for (size_t i = 0; i < 5; i++) {
            struct pesim_mapping m;
            struct pesim_analysis r;
            assert_int_equal(pesim_df_map_for(df, &a, &wl.layers[i], PESIM_OBJECTIVE_ENERGY, &m,
                                              NULL), 0);
            assert_int_equal(pesim_map_analyze(&a, &wl.layers[i], &m, &r), 0);
            struct pesim_energy x;
            pesim_energy_compute(&a, &r, 0, &x);
            e += x.total;
        }
        if (strcmp(pesim_df_name(df), "rs") == 0)
            rs = e;
        else if (best_other == 0 || e < best_other)
            best_other = e;
    }
    printf("energy objective: rs %.4g, the next dataflow %.4g (%.2fx)\n", rs, best_other,
           best_other / rs);
    assert_true(rs > 0 && rs < best_other);
    pesim_workload_free(&wl);
}

/* Iso-area on the ISCA 2016 budget (256 PEs x 512 B RF + 128 kB GLB, RF
 * area 1.6 per byte): NLR keeps no RF and gets 131072 + 1.6 x 256 x 512 =
 * 340787 bytes of GLB; WS one weight and OS one psum per PE (§VI-A), the
 * rest of the area as GLB: floor(340787.2 - 1.6 x 256 x 2) = 339968 (or
 * one less, as the double rounds); IS puts its 512 B into 256 input words;
 * RS keeps the base RF, shared or split; every dataflow's area equals the
 * base's. */
static uint64_t rf_bytes(const struct pesim_arch *a)
{
    const struct pesim_rf_cfg *rf = &a->pe_array.rf;
    if (rf->shared)
        return rf->shared_words * 2;
    return (rf->words[0] + rf->words[1] + rf->words[2]) * 2;
}

static void test_iso_area(void **state)
{
    (void)state;
    struct pesim_arch base, a;
    pesim_diags *d = pesim_diags_create();
    assert_int_equal(pesim_arch_load("iso-256", &base, d), 0);
    assert_true(base.pe_array.rf.shared);
    assert_int_equal(base.pe_array.rf.shared_words, 256);
    double area = 131072 + 1.6 * 256 * 512;
    for (int split = 0; split < 2; split++) {
        if (split) { /* the same 512 B, one scratchpad per data space */
            base.pe_array.rf = (struct pesim_rf_cfg){.words = {192, 32, 32}};
            pesim_arch_expand(&base);
        }
        for (size_t f = 0; f < pesim_df_count(); f++) {
            const pesim_dataflow *df = pesim_df_iso(pesim_df_get(f));
            assert_string_equal(pesim_df_name(df), pesim_df_name(pesim_df_get(f)));
            assert_int_equal(pesim_df_iso_area(df, &base, &a), 0);
            double got = (double)a.glb.capacity_bytes + 1.6 * 256 * (double)rf_bytes(&a);
            assert_true(got <= area && got > area - 1);
        }
        assert_int_equal(pesim_df_iso_area(pesim_df_find("nlr"), &base, &a), 0);
        assert_int_equal(a.glb.capacity_bytes, 340787);
        assert_int_equal(rf_bytes(&a), 0);
        static const char *const one[] = {"ws", "os", "os_a", "os_c"};
        for (int k = 0; k < 4; k++) {
            const pesim_dataflow *df = pesim_df_iso(pesim_df_find(one[k]));
            assert_int_equal(pesim_df_iso_area(df, &base, &a), 0);
            assert_false(a.pe_array.rf.shared);
            int ds = k == 0 ? PESIM_DS_WEIGHTS : PESIM_DS_OUTPUTS;
            assert_int_equal(a.pe_array.rf.words[ds], 1);
            assert_int_equal(rf_bytes(&a), 2);
            assert_true(a.glb.capacity_bytes >= 339967 && a.glb.capacity_bytes <= 339968);
        }
        assert_int_equal(pesim_df_iso_area(pesim_df_find("is"), &base, &a), 0);
        assert_int_equal(a.pe_array.rf.words[PESIM_DS_INPUTS], 256);
        assert_int_equal(rf_bytes(&a), 512);
        assert_int_equal(pesim_df_iso_area(pesim_df_find("rs"), &base, &a), 0);
        assert_memory_equal(&a.pe_array, &base.pe_array, sizeof a.pe_array);
        assert_true(a.glb.capacity_bytes >= 131071 && a.glb.capacity_bytes <= 131072);
    }
    /* Only weight-stationary has a study version of its own. */
    assert_true(pesim_df_iso(pesim_df_find("ws")) != pesim_df_find("ws"));
    for (size_t f = 1; f < pesim_df_count(); f++)
        assert_ptr_equal(pesim_df_iso(pesim_df_get(f)), pesim_df_get(f));
    pesim_diags_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alexnet_all_layers),
        cmocka_unit_test(test_spatial_choice),
        cmocka_unit_test(test_no_mapping),
        cmocka_unit_test(test_yaml_round_trip),
        cmocka_unit_test(test_objectives),
        cmocka_unit_test(test_random_layers),
        cmocka_unit_test(test_ws_weights_stay),
        cmocka_unit_test(test_rs_eyeriss_pe_sets),
        cmocka_unit_test(test_rs_passes_vs_table3),
        cmocka_unit_test(test_rs_lowest_energy),
        cmocka_unit_test(test_iso_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
