/* Row-stationary as Eyeriss runs it: the processing pass of Chen et al.,
 * JSSC 2017 §V, Table II (docs/dataflows.md, "Row-stationary passes").
 * A PE set is R filter rows x e output rows; r sets over channels and t
 * over filters (and f over more output rows) fill the array. Each PE
 * interleaves p filters and q channels around its filter row (spads of
 * p*q*S filter words, q*S ifmap words, p psums), a pass slides along the
 * output row (Q) for n images, and the GLB keeps n*m psum planes across the
 * passes over the channels (C innermost at DRAM), its ifmap tile being one
 * pass's n*q*r planes. The enumeration is of these parameters, each
 * candidate judged by the analysis and offered to the mapper's top beside
 * its own search's. Architectures of DRAM, the array's level and
 * one PE (one RF, or a chain of scratchpads) only. */
#include <string.h>

#include "dataflows/pairs.h"
#include "dataflows/search.h"

#define PASS_SPATIAL 40 /* spatial candidates kept, fewest folds first */
#define WASTE_PCT 5     /* padding a split of M may add, percent */

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

struct pass_sp {
    uint32_t e, xrep, f, r, t; /* x: P e, xdim xrep; y: R, P f, C r, M t */
    uint8_t xdim;
    uint64_t folds;
};

static uint64_t sp_folds(const struct pesim_layer *l, const struct pass_sp *s, uint32_t r0)
{
    uint64_t sp[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        sp[d] = 1;
    sp[PESIM_DIM_R] = r0;
    sp[PESIM_DIM_P] = (uint64_t)s->e * s->f;
    sp[PESIM_DIM_C] = s->r;
    sp[PESIM_DIM_M] = s->t;
    sp[s->xdim] *= s->xrep;
    uint64_t n = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        n *= div_up(l->dim[d], sp[d]);
    return n;
}

/* Insert s into the kept list (sorted by folds, stable). */
static void keep(struct pass_sp *kept, size_t *n, const struct pass_sp *s)
{
    size_t i = *n < PASS_SPATIAL ? (*n)++ : PASS_SPATIAL;
    if (i == PASS_SPATIAL && s->folds >= kept[PASS_SPATIAL - 1].folds)
        return;
    if (i == PASS_SPATIAL)
        i = PASS_SPATIAL - 1;
    while (i > 0 && kept[i - 1].folds > s->folds) {
        kept[i] = kept[i - 1];
        i--;
    }
    kept[i] = *s;
}

static size_t spatials(const struct pesim_layer *l, uint32_t rows, uint32_t cols, uint32_t r0,
                       struct pass_sp *kept)
{
    size_t n = 0;
    uint64_t P = l->dim[PESIM_DIM_P];
    uint32_t ky = rows / r0;
    /* across the columns after the output rows: nothing, or as many
     * filter (M) or image (N) sets as fit */
    static const uint8_t xdims[] = {PESIM_DIM_M, PESIM_DIM_M, PESIM_DIM_N};
    for (uint32_t e = 1; e <= cols && e <= P; e++)
        for (unsigned xi = 0; xi < 3; xi++) {
            uint32_t xmax = cols / e;
            uint64_t xd = l->dim[xdims[xi]];
            uint32_t xrep = xi == 0 ? 1 : xd < xmax ? (uint32_t)xd : xmax;
            if (xi > 0 && xrep < 2)
                continue;
            for (uint32_t f = 1; f <= ky && (uint64_t)e * f <= P; f++)
                for (uint32_t r = 1; f * r <= ky && r <= l->dim[PESIM_DIM_C]; r++)
                    for (uint32_t t = 1; f * r * t <= ky && t <= l->dim[PESIM_DIM_M]; t++) {
                        struct pass_sp s = {e, xrep, f, r, t, xdims[xi], 0};
                        if (s.xdim == PESIM_DIM_M && s.xrep * t > l->dim[PESIM_DIM_M])
                            continue;
                        s.folds = sp_folds(l, &s, r0);
                        keep(kept, &n, &s);
                    }
        }
    return n;
}

static bool small_waste(uint64_t whole, uint64_t part)
{
    return div_up(whole, part) * part * 100 <= whole * (100 + WASTE_PCT);
}

struct pass_ctx {
    const struct pesim_arch *arch;
    const struct pesim_layer *l;
    enum pesim_objective obj;
    struct df_top *top;
    bool found;
};

static void judge(struct pass_ctx *c, struct pesim_mapping *m)
{
    struct pesim_analysis a;
    df_tidy(m);
    if (c->arch->general && !pesim_map_steps_countable(c->arch, m))
        return;
    if (pesim_map_analyze(c->arch, c->l, m, &a) || !a.fits)
        return;
    df_top_offer(c->top, m, df_score_of(c->arch, &a, c->obj));
    c->found = true;
}

static void add(struct pesim_mapping *m, unsigned lv, unsigned dim, uint64_t b)
{
    if (b > 1)
        pesim_mapping_add_temporal(m, lv, dim, (uint32_t)b);
}

/* The words a PE holds of each data space: the smallest limit of the
 * levels below the array that keep it (a chain of scratchpads, or one RF
 * with one per data space); *tot the words of a level shared by all
 * three (PESIM_UNLIMITED: none). */
static void pe_caps(const struct pesim_arch *arch, uint64_t cap[PESIM_DS_COUNT], uint64_t *tot)
{
    *tot = PESIM_UNLIMITED;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        cap[ds] = PESIM_UNLIMITED;
    for (unsigned lv = 2; lv < arch->nlevels; lv++) {
        const struct pesim_level_cfg *g = &arch->level[lv];
        unsigned kept = 0;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            if (!g->holds[ds])
                continue;
            kept++;
            uint64_t w = g->ds_words[ds] < g->words ? g->ds_words[ds] : g->words;
            cap[ds] = w < cap[ds] ? w : cap[ds];
        }
        if (kept > 1 && g->words < *tot)
            *tot = g->words;
    }
}

/* The temporal loops of a pass around spatial candidate `base`: the PE's
 * at the innermost level (every scratchpad above it sees them as its
 * child's, so each holds its own data space's part). */
static void temporals(struct pass_ctx *c, const struct pesim_mapping *base,
                      const uint64_t rest[PESIM_DIM_COUNT])
{
    uint64_t S = rest[PESIM_DIM_S];
    uint64_t cap[PESIM_DS_COUNT], tot;
    pe_caps(c->arch, cap, &tot);
    uint64_t in_w = cap[PESIM_DS_INPUTS], w_w = cap[PESIM_DS_WEIGHTS];
    uint64_t out_w = cap[PESIM_DS_OUTPUTS];
    unsigned inner = c->arch->nlevels - 1u;
    bool glb_w = c->arch->level[1].holds[PESIM_DS_WEIGHTS];
    /* The GLB's psum tile is at least n x (mg p) x the array's M, P and N
     * x Q words: candidates it cannot hold are not worth an analysis */
    uint64_t sp[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        sp[d] = 1;
    for (unsigned k = 0; k < base->nspatial[1]; k++)
        sp[base->spatial[1][k].dim] *= base->spatial[1][k].bound;
    const struct pesim_level_cfg *glb = &c->arch->level[1];
    uint64_t out_bytes = (glb->word_bits[PESIM_DS_OUTPUTS] + 7) / 8;
    uint64_t glb_cap = glb->bytes < glb->ds_bytes[PESIM_DS_OUTPUTS] ? glb->bytes
                                                                    : glb->ds_bytes[PESIM_DS_OUTPUTS];
    uint64_t psum_plane = sp[PESIM_DIM_M] * sp[PESIM_DIM_P] * sp[PESIM_DIM_N] *
                          rest[PESIM_DIM_Q] * out_bytes;
    for (uint64_t q = 1; q <= rest[PESIM_DIM_C] && q * S <= in_w && q * S < tot; q++)
        for (uint64_t p = 1; p <= rest[PESIM_DIM_M] && p <= out_w && p * q * S <= w_w &&
                             q * S + p * q * S + p <= tot;
             p++) {
            if (!small_waste(rest[PESIM_DIM_M], p))
                continue;
            uint64_t mp = div_up(rest[PESIM_DIM_M], p);
            for (uint64_t mg = 1; mg <= mp; mg++) {
                if (!small_waste(mp, mg))
                    continue;
                for (uint64_t n = 1; n <= rest[PESIM_DIM_N]; n++) {
                    if (rest[PESIM_DIM_N] % n)
                        continue;
                    if (glb->holds[PESIM_DS_OUTPUTS] && glb_cap != PESIM_UNLIMITED &&
                        n * mg * p * psum_plane > glb_cap)
                        break; /* larger n only grow it */
                    for (int byp = 0; byp <= glb_w; byp++) {
                        struct pesim_mapping m = *base;
                        add(&m, 0, PESIM_DIM_G, rest[PESIM_DIM_G]);
                        add(&m, 0, PESIM_DIM_N, rest[PESIM_DIM_N] / n);
                        add(&m, 0, PESIM_DIM_M, div_up(mp, mg));
                        add(&m, 0, PESIM_DIM_P, rest[PESIM_DIM_P]);
                        add(&m, 0, PESIM_DIM_C, div_up(rest[PESIM_DIM_C], q));
                        add(&m, 0, PESIM_DIM_R, rest[PESIM_DIM_R]);
                        add(&m, 1, PESIM_DIM_M, mg);
                        add(&m, 1, PESIM_DIM_N, n);
                        add(&m, 1, PESIM_DIM_Q, rest[PESIM_DIM_Q]);
                        add(&m, inner, PESIM_DIM_C, q);
                        add(&m, inner, PESIM_DIM_S, S);
                        add(&m, inner, PESIM_DIM_M, p);
                        m.bypass[1][PESIM_DS_WEIGHTS] = byp;
                        judge(c, &m);
                    }
                }
            }
        }
}

int df_map_rs_passes(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                     const struct pesim_layer *l, enum pesim_objective obj,
                     struct df_top *top)
{
    (void)df;
    struct df_place pl = df_place_of(arch);
    if (arch->nlevels < 3 || pl.array != 1 || !pesim_arch_has_fanout(arch, 1))
        return PESIM_E_UNSUPPORTED; /* no array: no processing pass */
    for (unsigned lv = 2; lv < arch->nlevels; lv++)
        if (pesim_arch_has_fanout(arch, lv))
            return PESIM_E_UNSUPPORTED; /* a second fan-out: not Eyeriss's PE */
    const struct pesim_fanout_cfg *fo = &arch->level[1].fanout;
    uint64_t R = l->dim[PESIM_DIM_R];
    uint32_t r0 = R < fo->rows ? (uint32_t)R : fo->rows;
    struct pass_sp sp[PASS_SPATIAL];
    size_t nsp = spatials(l, fo->rows, fo->cols, r0, sp);
    struct pass_ctx c = {.arch = arch, .l = l, .obj = obj, .top = top};
    for (size_t i = 0; i < nsp; i++) {
        struct pesim_mapping m;
        memset(&m, 0, sizeof m);
        if (arch->general)
            m.nlevels = arch->nlevels;
        uint64_t rest[PESIM_DIM_COUNT];
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            rest[d] = l->dim[d];
        const struct pass_sp *s = &sp[i];
        pesim_mapping_add_spatial(&m, 1, PESIM_DIM_P, s->e, PESIM_AXIS_X);
        if (s->xrep > 1)
            pesim_mapping_add_spatial(&m, 1, s->xdim, s->xrep, PESIM_AXIS_X);
        pesim_mapping_add_spatial(&m, 1, PESIM_DIM_R, r0, PESIM_AXIS_Y);
        if (s->f > 1)
            pesim_mapping_add_spatial(&m, 1, PESIM_DIM_P, s->f, PESIM_AXIS_Y);
        if (s->r > 1)
            pesim_mapping_add_spatial(&m, 1, PESIM_DIM_C, s->r, PESIM_AXIS_Y);
        if (s->t > 1)
            pesim_mapping_add_spatial(&m, 1, PESIM_DIM_M, s->t, PESIM_AXIS_Y);
        for (unsigned k = 0; k < m.nspatial[1]; k++) {
            unsigned d = m.spatial[1][k].dim;
            rest[d] = div_up(rest[d], m.spatial[1][k].bound);
        }
        temporals(&c, &m, rest);
    }
    return c.found ? 0 : PESIM_E_NOMAP;
}
