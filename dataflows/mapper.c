/* The simple mapper shared by the templates (docs/dataflows.md):
 *  1. spatial: the template's dims on each axis with bounds that minimize
 *     the temporal folds (maximum utilization);
 *  2. temporal: the template's RF loops hold the stationary data, every
 *     other dim iterates at the GLB; while a tile does not fit, halve the
 *     loop whose move outward helps most (judged by the analysis);
 *  3. placement: local search moving one whole loop to another position or
 *     level while that lowers (roofline cycles, energy).
 * Deterministic: candidates are generated and compared in a fixed order. */
#include <inttypes.h>
#include <string.h>

#include "dataflows/pairs.h"
#include "dataflows/template.h"
#include "pesim/energy.h"

#define TOP_SPATIAL 6
#define MAX_FIT_STEPS 256
#define MAX_SEARCH_ROUNDS 64

struct axis_opt {
    uint8_t n;
    uint8_t dim[2];
    uint32_t bound[2];
};

struct spatial_opt {
    struct axis_opt ax[PESIM_AXIS_COUNT];
    uint64_t folds;
};

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/* Smallest bound with the fewest folds of `size` over `room` PEs. */
static uint32_t balanced(uint64_t size, uint64_t room)
{
    if (size <= room)
        return (uint32_t)size;
    return (uint32_t)div_up(size, div_up(size, room));
}

/* Every way to put zero, one or two template dims on an axis. */
static size_t axis_options(const struct pesim_dataflow *df, unsigned a,
                           const struct pesim_layer *l, uint32_t room,
                           struct axis_opt *out, size_t cap)
{
    size_t n = 0;
    bool lead = df->lead[a] && l->dim[df->axis_dims[a][0]] >= 2;
    if (!lead)
        out[n++] = (struct axis_opt){0};
    for (unsigned i = 0; i < (lead ? 1u : df->naxis_dims[a]); i++) {
        unsigned d1 = df->axis_dims[a][i];
        if (l->dim[d1] < 2)
            continue;
        if (n < cap)
            out[n++] = (struct axis_opt){1, {(uint8_t)d1, 0}, {balanced(l->dim[d1], room), 0}};
        for (unsigned j = 0; j < df->naxis_dims[a]; j++) {
            unsigned d2 = df->axis_dims[a][j];
            if (j == i || l->dim[d2] < 2)
                continue;
            uint64_t top = l->dim[d1] < room ? l->dim[d1] : room;
            uint64_t from = lead ? balanced(l->dim[d1], room) : 2;
            if (lead)
                top = from;
            for (uint64_t b1 = from; b1 <= top && b1 * 2 <= room && n < cap; b1++)
                out[n++] = (struct axis_opt){2, {(uint8_t)d1, (uint8_t)d2},
                                             {(uint32_t)b1, balanced(l->dim[d2], room / b1)}};
        }
    }
    return n;
}

static uint64_t folds(const struct pesim_layer *l, const struct spatial_opt *s)
{
    uint64_t b[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        b[d] = 1;
    for (unsigned a = 0; a < PESIM_AXIS_COUNT; a++)
        for (unsigned k = 0; k < s->ax[a].n; k++)
            b[s->ax[a].dim[k]] *= s->ax[a].bound[k];
    uint64_t f = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        f *= div_up(l->dim[d], b[d]);
    return f;
}

static bool shares_dim(const struct axis_opt *x, const struct axis_opt *y)
{
    for (unsigned i = 0; i < x->n; i++)
        for (unsigned j = 0; j < y->n; j++)
            if (x->dim[i] == y->dim[j])
                return true;
    return false;
}

/* Keep the TOP_SPATIAL options with the fewest folds (stable order). */
static size_t best_spatial(const struct pesim_dataflow *df,
                           const struct pesim_arch *arch,
                           const struct pesim_layer *l, struct spatial_opt *top)
{
    static const size_t cap = 512;
    struct axis_opt xo[512], yo[512];
    size_t nx = axis_options(df, PESIM_AXIS_X, l, arch->pe_array.cols, xo, cap);
    size_t ny = axis_options(df, PESIM_AXIS_Y, l, arch->pe_array.rows, yo, cap);
    size_t n = 0;
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ny; j++) {
            if (!df->share_dims && shares_dim(&xo[i], &yo[j]))
                continue;
            struct spatial_opt s = {{xo[i], yo[j]}, 0};
            s.folds = folds(l, &s);
            size_t k = n < TOP_SPATIAL ? n++ : TOP_SPATIAL;
            while (k > 0 && top[k - 1].folds > s.folds) {
                if (k < TOP_SPATIAL)
                    top[k] = top[k - 1];
                k--;
            }
            if (k < TOP_SPATIAL)
                top[k] = s;
        }
    return n;
}

/* Merge a factor into `level`: into an existing loop of the dim, or as a
 * new innermost loop. Coverage is kept: products only grow. */
static int put(struct pesim_mapping *m, unsigned lv, unsigned dim, uint32_t f)
{
    for (unsigned i = 0; i < m->ntemporal[lv]; i++)
        if (m->temporal[lv][i].dim == dim) {
            m->temporal[lv][i].bound *= f;
            return 0;
        }
    return pesim_mapping_add_temporal(m, lv, dim, f);
}

static void initial(const struct pesim_dataflow *df, const struct pesim_layer *l,
                    const struct spatial_opt *s, struct pesim_mapping *m)
{
    memset(m, 0, sizeof *m);
    uint64_t rest[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        rest[d] = l->dim[d];
    for (unsigned a = 0; a < PESIM_AXIS_COUNT; a++)
        for (unsigned k = 0; k < s->ax[a].n; k++) {
            unsigned d = s->ax[a].dim[k];
            pesim_mapping_add_spatial(m, d, s->ax[a].bound[k], a);
            rest[d] = div_up(rest[d], s->ax[a].bound[k]);
        }
    for (unsigned i = 0; i < df->nrf_dims; i++) {
        unsigned d = df->rf_dims[i];
        if (rest[d] > 1)
            pesim_mapping_add_temporal(m, PESIM_LEVEL_RF, d, (uint32_t)rest[d]);
        rest[d] = 1;
    }
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if (rest[d] > 1)
            pesim_mapping_add_temporal(m, PESIM_LEVEL_GLB, d, (uint32_t)rest[d]);
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        m->bypass[PESIM_LEVEL_RF][ds] = !df->rf_keeps[ds];
}

/* How far a mapping is from fitting: words over in the RF (per PE), then
 * bytes over in the GLB. Zero when it fits. */
static uint64_t overflow(const struct pesim_arch *arch, const struct pesim_analysis *a,
                         unsigned *level)
{
    struct pesim_overage o;
    pesim_map_overage(arch, a, &o);
    *level = o.rf ? PESIM_LEVEL_RF : PESIM_LEVEL_GLB;
    return o.rf ? o.rf : o.glb;
}

/* What the mapper minimizes: roofline cycles (so maximum utilization),
 * then energy. */
struct score {
    uint64_t cycles;
    double energy;
    enum pesim_objective objective;
};

static struct score score_of(const struct pesim_arch *arch, const struct pesim_analysis *a,
                             enum pesim_objective objective)
{
    uint64_t b[PESIM_BOUND_COUNT];
    struct score s;
    s.objective = objective;
    s.cycles = pesim_map_bounds(arch, a, b, NULL);
    struct pesim_energy e;
    pesim_energy_compute(&arch->energy, a, s.cycles, &e);
    s.energy = e.total;
    return s;
}

static bool better(struct score x, struct score y)
{
    switch (x.objective) {
    case PESIM_OBJECTIVE_ENERGY:
        return x.energy < y.energy || (x.energy == y.energy && x.cycles < y.cycles);
    case PESIM_OBJECTIVE_EDP: {
        double ex = x.energy * (double)x.cycles, ey = y.energy * (double)y.cycles;
        return ex < ey || (ex == ey && x.cycles < y.cycles);
    }
    default:
        return x.cycles < y.cycles || (x.cycles == y.cycles && x.energy < y.energy);
    }
}

/* Halve loop i of level lv and move the factor one level out (RF -> GLB
 * when the RF overflows; anything -> DRAM when the GLB does). */
static bool halve(struct pesim_mapping *m, unsigned lv, unsigned i, unsigned dest)
{
    struct pesim_loop *lp = &m->temporal[lv][i];
    if (lp->bound < 2)
        return false;
    uint32_t b = (lp->bound + 1) / 2;
    uint32_t f = (uint32_t)div_up(lp->bound, b);
    unsigned dim = lp->dim;
    lp->bound = b;
    return put(m, dest, dim, f) == 0;
}

/* Greedy fit: try every single halving move, keep the one that leaves the
 * least overflow (then the least energy). */
static int fit(const struct pesim_arch *arch, const struct pesim_layer *l,
               enum pesim_objective obj, struct pesim_mapping *m, struct pesim_analysis *a)
{
    for (int step = 0; step < MAX_FIT_STEPS; step++) {
        if (pesim_map_analyze(arch, l, m, a))
            return PESIM_E_RANGE;
        unsigned level;
        if (!overflow(arch, a, &level))
            return 0;
        struct pesim_mapping best = *m;
        uint64_t best_over = UINT64_MAX;
        struct score best_s = {0, 0, obj};
        unsigned lo = level == PESIM_LEVEL_RF ? PESIM_LEVEL_RF : PESIM_LEVEL_GLB;
        unsigned dest = level == PESIM_LEVEL_RF ? PESIM_LEVEL_GLB : PESIM_LEVEL_DRAM;
        for (unsigned lv = lo; lv < PESIM_LEVEL_COUNT; lv++)
            for (unsigned i = 0; i < m->ntemporal[lv]; i++) {
                struct pesim_mapping c = *m;
                struct pesim_analysis ca;
                unsigned cl;
                if (!halve(&c, lv, i, dest) || pesim_map_analyze(arch, l, &c, &ca))
                    continue;
                uint64_t o = overflow(arch, &ca, &cl);
                if (cl < level) /* moved the problem inward: no better */
                    o = UINT64_MAX - 1;
                struct score sc = score_of(arch, &ca, obj);
                if (o < best_over || (o == best_over && better(sc, best_s))) {
                    best = c;
                    best_over = o;
                    best_s = sc;
                }
            }
        if (best_over == UINT64_MAX)
            return PESIM_E_NOFIT;
        *m = best;
    }
    return PESIM_E_NOFIT;
}

/* Move loop i of level `from` to position `pos` of level `to`. */
static bool relocate(struct pesim_mapping *m, unsigned from, unsigned i, unsigned to,
                     unsigned pos)
{
    if (from != to && m->ntemporal[to] >= PESIM_MAX_LOOPS)
        return false;
    struct pesim_loop lp = m->temporal[from][i];
    for (unsigned k = i; k + 1 < m->ntemporal[from]; k++)
        m->temporal[from][k] = m->temporal[from][k + 1];
    m->ntemporal[from]--;
    /* unused slots stay zero: equal mappings are equal structs */
    memset(&m->temporal[from][m->ntemporal[from]], 0, sizeof(struct pesim_loop));
    if (pos > m->ntemporal[to])
        return false;
    for (unsigned k = m->ntemporal[to]; k > pos; k--)
        m->temporal[to][k] = m->temporal[to][k - 1];
    m->temporal[to][pos] = lp;
    m->ntemporal[to]++;
    return true;
}

/* Local search over loop placement: each round tries moving every temporal
 * loop to every position of every level and keeps the best move that fits
 * and improves the score; stops when no move improves it. */
static void place(const struct pesim_arch *arch, const struct pesim_layer *l,
                  enum pesim_objective obj, struct pesim_mapping *m)
{
    struct pesim_analysis a;
    if (pesim_map_analyze(arch, l, m, &a) || !a.fits)
        return;
    struct score cur = score_of(arch, &a, obj);
    for (int round = 0; round < MAX_SEARCH_ROUNDS; round++) {
        struct pesim_mapping best = *m;
        struct score best_s = cur;
        for (unsigned from = 0; from < PESIM_LEVEL_COUNT; from++)
            for (unsigned i = 0; i < m->ntemporal[from]; i++)
                for (unsigned to = 0; to < PESIM_LEVEL_COUNT; to++) {
                    unsigned npos = m->ntemporal[to] + (from != to);
                    for (unsigned pos = 0; pos < npos; pos++) {
                        if (from == to && pos == i)
                            continue;
                        struct pesim_mapping c = *m;
                        if (!relocate(&c, from, i, to, from == to ? pos : pos) ||
                            pesim_map_analyze(arch, l, &c, &a) || !a.fits)
                            continue;
                        struct score sc = score_of(arch, &a, obj);
                        if (better(sc, best_s)) {
                            best = c;
                            best_s = sc;
                        }
                    }
                }
        if (!better(best_s, cur))
            return;
        *m = best;
        cur = best_s;
    }
}

/* Drop loops of bound 1 (they change nothing) so that the mapping reads
 * as what it does; unused slots stay zero. */
static void tidy(struct pesim_mapping *m)
{
    for (unsigned lv = 0; lv < PESIM_LEVEL_COUNT; lv++) {
        unsigned k = 0;
        for (unsigned i = 0; i < m->ntemporal[lv]; i++)
            if (m->temporal[lv][i].bound > 1)
                m->temporal[lv][k++] = m->temporal[lv][i];
        for (unsigned i = k; i < m->ntemporal[lv]; i++)
            memset(&m->temporal[lv][i], 0, sizeof m->temporal[lv][i]);
        m->ntemporal[lv] = (uint8_t)k;
    }
}

int df_map_template(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, enum pesim_objective obj,
                    struct pesim_mapping *out,
                    pesim_diags *diags)
{
    struct spatial_opt top[TOP_SPATIAL];
    size_t n = best_spatial(df, arch, l, top);
    if (n > TOP_SPATIAL)
        n = TOP_SPATIAL;
    bool found = false;
    struct score best_s = {0, 0, obj};
    struct pesim_mapping m, last_failed;
    memset(&last_failed, 0, sizeof last_failed);
    /* Each spatial candidate is searched under every objective's ordering:
     * the candidate set is then the same whatever the objective, so the
     * energy objective can never pick more energy than the latency one. */
    for (size_t i = 0; i < n; i++)
        for (int guide = 0; guide < PESIM_OBJECTIVE_COUNT; guide++) {
            struct pesim_analysis a;
            initial(df, l, &top[i], &m);
            if (fit(arch, l, (enum pesim_objective)guide, &m, &a)) {
                last_failed = m;
                continue;
            }
            place(arch, l, (enum pesim_objective)guide, &m);
            if (pesim_map_analyze(arch, l, &m, &a) || !a.fits)
                continue;
            struct score sc = score_of(arch, &a, obj);
            if (!found || better(sc, best_s)) {
                *out = m;
                best_s = sc;
                found = true;
            }
        }
    if (found) {
        tidy(out);
        return 0;
    }
    pesim_diags_add(diags, df->name, 0, 0,
                    "layer %s: no %s mapping fits the buffers; the closest one overflows:",
                    l->name, df->title);
    struct pesim_analysis a;
    if (n && !pesim_map_analyze(arch, l, &last_failed, &a))
        pesim_map_check_fit(arch, &a, df->name, diags);
    return PESIM_E_NOMAP;
}
