/* Random mappings over the levels and fan-outs of an N-level
 * architecture, shared by the N-level brute-force test (dataflows) and
 * the N-level engine test (sim). Each dimension is split into loops at
 * random places: a level's temporal loops, or a fan-out's spatial loops on
 * an axis with room for it; random orders; random bypass at levels
 * 1 .. n-1. `window_loops` gives P, Q, R, S 2-4 loops instead of 1-3, each
 * but the last at most half the size (strided windows: a multicast spatial
 * P over temporal P loops needs two of them); `shuffle_spatial` shuffles
 * the spatial loops too. The draws come from fx_rnd(rng), in a fixed
 * order, so a seed gives the same case. */
#ifndef PESIM_TESTS_NLEVEL_GEN_H
#define PESIM_TESTS_NLEVEL_GEN_H

#include "fixtures.h"

struct nl_gen {
    uint64_t *rng;
    bool window_loops;
    bool shuffle_spatial;
};

static inline bool nl_has_fanout(const struct pesim_arch *a, unsigned lv)
{
    return a->level[lv].fanout.rows > 0 && a->level[lv].fanout.cols > 0;
}

/* A general architecture with no levels yet: 100 MHz, 16-bit words,
 * 1 GB/s DRAM, the book's normalized energies. */
static inline struct pesim_arch nl_base_arch(void)
{
    struct pesim_arch a;
    memset(&a, 0, sizeof a);
    strcpy(a.name, "nlevel");
    a.clock_mhz = 100;
    a.mac_latency_cycles = 1;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        a.word_bits[ds] = 16;
    a.dram = (struct pesim_dram_cfg){.bandwidth_gbps = 1.0, .latency_cycles = 0};
    a.energy = (struct pesim_energy_cfg){PESIM_ENERGY_NORMALIZED, 1, 1, 1, 2, 6, 6, 200, 200, 0, 0, false, false};
    a.area.rf_per_glb_byte = 1.6;
    a.general = true;
    return a;
}

/* Level lv named "l<lv>", holding every data space in 16-bit words with
 * no capacity limit, energy 1 per word; untimed (no banks, no ports). */
static inline void nl_open_level(struct pesim_level_cfg *c, unsigned lv)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "l%u", lv);
    c->words = c->bytes = PESIM_UNLIMITED;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++) {
        c->ds_words[ds] = c->ds_bytes[ds] = PESIM_UNLIMITED;
        c->word_bits[ds] = 16;
        c->holds[ds] = true;
    }
    c->read_energy = c->write_energy = 1;
}

static inline void nl_shuffle(const struct nl_gen *g, struct pesim_loop *lp, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)fx_rnd(g->rng, (uint64_t)i + 1);
        struct pesim_loop t = lp[i];
        lp[i] = lp[j];
        lp[j] = t;
    }
}

/* Place one loop of dim d and bound b: on a fan-out with room (where >= nl
 * picks fans[where - nl]), else temporal at a random level. */
static inline void nl_place(const struct nl_gen *g, const struct pesim_arch *a,
                            const int *fans, uint64_t (*axis)[2], unsigned where, unsigned d,
                            uint32_t b, struct pesim_mapping *m)
{
    unsigned nl = a->nlevels;
    if (where >= nl) {
        int f = fans[where - nl];
        const uint32_t room[2] = {a->level[f].fanout.cols, a->level[f].fanout.rows};
        int ax = (int)fx_rnd(g->rng, 2);
        for (int t = 0; t < 2; t++, ax ^= 1)
            if (axis[f][ax] * b <= room[ax]) {
                axis[f][ax] *= b;
                pesim_mapping_add_spatial(m, (unsigned)f, (enum pesim_dim)d, b,
                                          (enum pesim_axis)ax);
                return;
            }
        where = (unsigned)fx_rnd(g->rng, nl);
    }
    pesim_mapping_add_temporal(m, where, (enum pesim_dim)d, b);
}

static inline void nl_random_mapping(const struct nl_gen *g, const struct pesim_arch *a,
                                     const struct pesim_layer *l, struct pesim_mapping *m)
{
    memset(m, 0, sizeof *m);
    unsigned nl = a->nlevels;
    m->nlevels = (uint8_t)nl;
    int fans[PESIM_LEVELS_MAX], nfan = 0;
    for (unsigned lv = 0; lv < nl; lv++)
        if (nl_has_fanout(a, lv))
            fans[nfan++] = (int)lv;
    uint64_t axis[PESIM_LEVELS_MAX][2];
    for (unsigned lv = 0; lv < nl; lv++)
        axis[lv][0] = axis[lv][1] = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        uint64_t size = l->dim[d], covered = 1;
        bool window = g->window_loops && d >= PESIM_DIM_P;
        int loops = (window ? 2 : 1) + (int)fx_rnd(g->rng, 3);
        for (int k = 0; k < loops; k++) {
            uint64_t most = window ? (size + 1) / 2 : size;
            uint32_t b = k == loops - 1 ? (uint32_t)((size + covered - 1) / covered)
                                        : (uint32_t)(1 + fx_rnd(g->rng, most));
            covered *= b;
            unsigned where = (unsigned)fx_rnd(g->rng, nl + (unsigned)nfan);
            nl_place(g, a, fans, axis, where, d, b, m);
            if (covered >= size && k < loops - 1)
                break;
        }
    }
    for (unsigned lv = 0; lv < nl; lv++) {
        nl_shuffle(g, m->temporal[lv], m->ntemporal[lv]);
        if (g->shuffle_spatial)
            nl_shuffle(g, m->spatial[lv], m->nspatial[lv]);
    }
    for (unsigned lv = 1; lv < nl; lv++)
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            m->bypass[lv][ds] = fx_rnd(g->rng, 3) == 0;
}

#endif
