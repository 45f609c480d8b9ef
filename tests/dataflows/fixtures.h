/* Small hand-built architectures and layers for the dataflows tests (no
 * YAML: these tests pin the analysis, not the loaders). */
#ifndef PESIM_TESTS_DATAFLOWS_FIXTURES_H
#define PESIM_TESTS_DATAFLOWS_FIXTURES_H

#include <string.h>

#include "pesim.h"

/* rows x cols array, large per-data-space RFs, a GLB holding everything,
 * multicast everywhere, the book's normalized energy. */
static inline struct pesim_arch fx_arch(uint32_t rows, uint32_t cols)
{
    struct pesim_arch a;
    memset(&a, 0, sizeof a);
    strcpy(a.name, "test");
    a.clock_mhz = 100;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        a.word_bits[ds] = 16;
        a.pe_array.rf.words[ds] = 1024;
        a.noc[ds] = (struct pesim_noc_cfg){.width_words = 1, .multicast = true};
        a.glb.holds[ds] = true;
    }
    a.pe_array.rows = rows;
    a.pe_array.cols = cols;
    a.pe_array.mac_latency_cycles = 1;
    a.glb = (struct pesim_glb_cfg){.capacity_bytes = 1 << 20, .banks = 1,
                                   .bank_words_per_cycle = 1, .read_ports = 1,
                                   .write_ports = 1, .holds = {true, true, true}};
    a.dram = (struct pesim_dram_cfg){.bandwidth_gbps = 1.0, .latency_cycles = 0};
    a.energy = (struct pesim_energy_cfg){PESIM_ENERGY_NORMALIZED, 1, 1, 1, 2, 6, 6, 200, 200, 0, 0, false, false};
    pesim_arch_expand(&a);
    return a;
}

/* A conv layer from its dims; stride/dilation 1, no padding. */
static inline struct pesim_layer fx_layer(uint64_t n, uint64_t m, uint64_t c,
                                          uint64_t p, uint64_t q, uint64_t r,
                                          uint64_t s)
{
    struct pesim_layer l;
    memset(&l, 0, sizeof l);
    strcpy(l.name, "t");
    l.kind = PESIM_LAYER_CONV;
    uint64_t d[PESIM_DIM_COUNT] = {n, 1, m, c, p, q, r, s};
    memcpy(l.dim, d, sizeof d);
    l.stride[0] = l.stride[1] = 1;
    l.dilation[0] = l.dilation[1] = 1;
    return l;
}

/* The 1-D example used across the tests and docs/model.md §8.5: one PE
 * convolves P = 4 outputs with an R = 3 filter, every loop in its RF. */
static inline struct pesim_layer fx_1d_layer(void) { return fx_layer(1, 1, 1, 4, 1, 3, 1); }

static inline struct pesim_mapping fx_1d_mapping(void)
{
    struct pesim_mapping m;
    memset(&m, 0, sizeof m);
    pesim_mapping_add_temporal(&m, PESIM_LEVEL_RF, PESIM_DIM_P, 4);
    pesim_mapping_add_temporal(&m, PESIM_LEVEL_RF, PESIM_DIM_R, 3);
    return m;
}

/* xorshift64: a fixed-seed stream of pseudo-random numbers in [0, n). */
static inline uint64_t fx_rnd(uint64_t *state, uint64_t n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state % n;
}

/* A random mapping of l: each dim split into up to three loops at random
 * levels (DRAM, GLB, RF or spatial on a random axis) with random bounds
 * whose product covers it (often with a partial last tile); random loop
 * orders; random GLB and RF bypass. It may not fit an array: callers
 * check it with pesim_map_check. */
static inline void fx_random_mapping(uint64_t *rs, const struct pesim_layer *l,
                                     struct pesim_mapping *m)
{
    memset(m, 0, sizeof *m);
    for (int d = 0; d < PESIM_DIM_COUNT; d++) {
        uint64_t size = l->dim[d], covered = 1;
        int loops = 1 + (int)fx_rnd(rs, 3);
        for (int k = 0; k < loops; k++) {
            uint32_t b = k == loops - 1 ? (uint32_t)((size + covered - 1) / covered)
                                        : (uint32_t)(1 + fx_rnd(rs, size));
            covered *= b;
            int where = (int)fx_rnd(rs, 5);
            if (where == 4)
                pesim_mapping_add_spatial(m, PESIM_LEVEL_GLB, (enum pesim_dim)d, b,
                                          fx_rnd(rs, 2) ? PESIM_AXIS_X : PESIM_AXIS_Y);
            else
                pesim_mapping_add_temporal(m, where > 2 ? PESIM_LEVEL_RF : (enum pesim_level)where,
                                           (enum pesim_dim)d, b);
            if (covered >= size && k < loops - 1)
                break;
        }
    }
    for (int lv = 0; lv < PESIM_LEVEL_COUNT; lv++)
        for (int i = m->ntemporal[lv] - 1; i > 0; i--) {
            int j = (int)fx_rnd(rs, (uint64_t)i + 1);
            struct pesim_loop t = m->temporal[lv][i];
            m->temporal[lv][i] = m->temporal[lv][j];
            m->temporal[lv][j] = t;
        }
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        m->bypass[PESIM_LEVEL_GLB][ds] = fx_rnd(rs, 4) == 0;
        m->bypass[PESIM_LEVEL_RF][ds] = fx_rnd(rs, 3) == 0;
    }
}

#define T(m, lv, d, b) pesim_mapping_add_temporal((m), PESIM_LEVEL_##lv, PESIM_DIM_##d, (b))
#define SP(m, d, b, ax) pesim_mapping_add_spatial((m), PESIM_LEVEL_GLB, PESIM_DIM_##d, (b), PESIM_AXIS_##ax)
#define ACC(a, lv, ds) ((a)->acc[PESIM_LEVEL_##lv][PESIM_DS_##ds])

#endif
