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
        a.noc[ds] = (struct pesim_noc_cfg){1, true};
        a.glb.holds[ds] = true;
    }
    a.pe_array.rows = rows;
    a.pe_array.cols = cols;
    a.pe_array.mac_latency_cycles = 1;
    a.glb = (struct pesim_glb_cfg){1 << 20, 1, 1, 1, 1, {true, true, true}, false};
    a.dram = (struct pesim_dram_cfg){1.0, 0};
    a.energy = (struct pesim_energy_cfg){PESIM_ENERGY_NORMALIZED, 1, 1, 1, 2, 6, 6, 200, 200, 0};
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

#define T(m, lv, d, b) pesim_mapping_add_temporal((m), PESIM_LEVEL_##lv, PESIM_DIM_##d, (b))
#define SP(m, d, b, ax) pesim_mapping_add_spatial((m), PESIM_DIM_##d, (b), PESIM_AXIS_##ax)
#define ACC(a, lv, ds) ((a)->acc[PESIM_LEVEL_##lv][PESIM_DS_##ds])

#endif
