/* The mapper shared by the templates (docs/dataflows.md, "The mapper").
 * A layer whose template space is small (df_space_size) is searched
 * exhaustively (exhaustive.c); otherwise heuristically:
 *  1. spatial: the TOP_SPATIAL candidates with the fewest folds;
 *  2. temporal: the template's RF loops hold the stationary data, every
 *     other dim iterates at the GLB; while a tile does not fit, halve the
 *     loop whose move outward helps most (judged by the analysis);
 *  3. placement: local search moving one whole loop to another position or
 *     level while that lowers the score.
 * Deterministic: candidates are generated and compared in a fixed order. */
#include <inttypes.h>
#include <string.h>

#include "dataflows/pairs.h"
#include "dataflows/mapspace.h"
#include "dataflows/search.h"

#define TOP_SPATIAL 6
#define MAX_FIT_STEPS 256
#define MAX_SEARCH_ROUNDS 64

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/* Mappings the cycle-level engines refuse are not candidates (the
 * shorthand has none). */
static bool engine_ok(const struct pesim_arch *arch, const struct pesim_mapping *m)
{
    return !arch->general || pesim_map_steps_countable(arch, m);
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

/* Fan-outs below the array take the template's spatial dims again: the
 * candidate with the fewest folds of what the array left. */
static void inner_fanouts(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                          const struct pesim_layer *l, unsigned from, struct pesim_mapping *m,
                          uint64_t rest[PESIM_DIM_COUNT])
{
    for (unsigned lv = from; lv < arch->nlevels; lv++) {
        if (!pesim_arch_has_fanout(arch, lv))
            continue;
        struct pesim_layer sub = *l;
        memcpy(sub.dim, rest, sizeof sub.dim);
        struct df_spatial best;
        if (df_spatial_all(df, arch, lv, &sub, &best, 1) > 0)
            df_spatial_add(&best, lv, m, rest);
    }
}

static void initial(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, const struct df_spatial *s,
                    struct pesim_mapping *m)
{
    uint64_t rest[PESIM_DIM_COUNT];
    struct df_place p = df_place_of(arch);
    df_spatial_apply(df, arch, l, s, m, rest);
    inner_fanouts(df, arch, l, p.array + 1, m, rest);
    for (unsigned i = 0; i < df->nrf_dims; i++) {
        unsigned d = df->rf_dims[i];
        if (rest[d] > 1)
            pesim_mapping_add_temporal(m, p.inner, d, (uint32_t)rest[d]);
        rest[d] = 1;
    }
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if (rest[d] > 1)
            pesim_mapping_add_temporal(m, p.array, d, (uint32_t)rest[d]);
}

/* How far a mapping is from fitting: the innermost level over a limit and
 * by how much (words or bytes, as its limits are). Zero when it fits, with
 * level 1 (the comparison in fit() treats a fit as that level's). */
static uint64_t overflow(const struct pesim_arch *arch, const struct pesim_analysis *a,
                         unsigned *level)
{
    struct pesim_overage o;
    pesim_map_overage(arch, a, &o);
    *level = o.worst ? o.worst : 1;
    return o.amount;
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
        struct df_score best_s = {0, 0, obj};
        /* Loops of the level over its limit and of those inside it move
         * one level out of it; in the general form to any level out of it
         * (the next one out may be as small, or a level the engines cannot
         * have the loop at). dest counts down to `last`; dest + 1 > last
         * also ends the loop when dest wraps below 0. */
        unsigned last = arch->general ? 0 : level - 1;
        for (unsigned lv = level; lv < arch->nlevels; lv++)
            for (unsigned i = 0; i < m->ntemporal[lv]; i++)
                for (unsigned dest = level - 1; dest + 1 > last; dest--) {
                    struct pesim_mapping c = *m;
                    struct pesim_analysis ca;
                    unsigned cl;
                    if (!halve(&c, lv, i, dest) || !engine_ok(arch, &c) ||
                        pesim_map_analyze(arch, l, &c, &ca))
                        continue;
                    uint64_t o = overflow(arch, &ca, &cl);
                    if (cl < level) /* moved the problem inward: no better */
                        o = UINT64_MAX - 1;
                    struct df_score sc = df_score_of(arch, &ca, obj);
                    if (o < best_over || (o == best_over && df_better(sc, best_s))) {
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
    struct df_score cur = df_score_of(arch, &a, obj);
    for (int round = 0; round < MAX_SEARCH_ROUNDS; round++) {
        struct pesim_mapping best = *m;
        struct df_score best_s = cur;
        for (unsigned from = 0; from < arch->nlevels; from++)
            for (unsigned i = 0; i < m->ntemporal[from]; i++)
                for (unsigned to = 0; to < arch->nlevels; to++) {
                    unsigned npos = m->ntemporal[to] + (from != to);
                    for (unsigned pos = 0; pos < npos; pos++) {
                        if (from == to && pos == i)
                            continue;
                        struct pesim_mapping c = *m;
                        if (!relocate(&c, from, i, to, from == to ? pos : pos) ||
                            !engine_ok(arch, &c) || pesim_map_analyze(arch, l, &c, &a) ||
                            !a.fits)
                            continue;
                        struct df_score sc = df_score_of(arch, &a, obj);
                        if (df_better(sc, best_s)) {
                            best = c;
                            best_s = sc;
                        }
                    }
                }
        if (!df_better(best_s, cur))
            return;
        *m = best;
        cur = best_s;
    }
}

int df_map_heuristic(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                     const struct pesim_layer *l, enum pesim_objective obj,
                     struct df_top *top, struct pesim_mapping *closest)
{
    struct df_spatial sp[TOP_SPATIAL];
    size_t n = df_spatial_all(df, arch, df_place_of(arch).array, l, sp, TOP_SPATIAL);
    if (n > TOP_SPATIAL)
        n = TOP_SPATIAL;
    bool found = false;
    struct pesim_mapping m;
    memset(closest, 0, sizeof *closest);
    /* Each spatial candidate is searched under every objective's ordering:
     * the candidate set is then the same whatever the objective, so the
     * energy objective can never pick more energy than the latency one. */
    for (size_t i = 0; i < n; i++)
        for (int guide = 0; guide < PESIM_OBJECTIVE_COUNT; guide++) {
            struct pesim_analysis a;
            initial(df, arch, l, &sp[i], &m);
            if (fit(arch, l, (enum pesim_objective)guide, &m, &a)) {
                *closest = m;
                continue;
            }
            place(arch, l, (enum pesim_objective)guide, &m);
            if (!engine_ok(arch, &m) || pesim_map_analyze(arch, l, &m, &a) || !a.fits)
                continue;
            df_tidy(&m);
            df_top_offer(top, &m, df_score_of(arch, &a, obj));
            found = true;
        }
    return found ? 0 : PESIM_E_NOMAP;
}

/* Copy the candidates out, best first. */
static int emit(const struct df_top *top, struct pesim_mapping *out, size_t *n)
{
    for (size_t i = 0; i < top->n; i++)
        out[i] = top->m[i];
    *n = top->n;
    return top->n ? 0 : PESIM_E_NOMAP;
}

int df_map_template(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, enum pesim_objective obj,
                    struct pesim_mapping *out, size_t cap, size_t *n, pesim_diags *diags)
{
    /* the searches share one top; what they return is only whether they
     * found one (and, failing, the heuristic's closest) */
    struct df_top top = {.cap = cap};
    if (df->whole_space)
        return df_map_whole_df(df, arch, l, obj, 1, out, cap, n, NULL, diags);
    if (df_arch_constrained(arch))
        return df_map_constrained_template(df, arch, l, obj, out, cap, n, diags);
    struct pesim_mapping closest;
    bool done = df_space_size(df, arch, l, DF_EXHAUSTIVE_LIMIT) <= DF_EXHAUSTIVE_LIMIT &&
                df_map_exhaustive(df, arch, l, obj, &top) == 0;
    if (!done)
        done = df_map_heuristic(df, arch, l, obj, &top, &closest) == 0;
    if (df->passes)
        df->passes(df, arch, l, obj, &top);
    if (emit(&top, out, n) == 0)
        return 0;
    if (done) /* a search found what the top does not hold: a defect */
        return PESIM_E_NOMAP;
    pesim_diags_addc(diags, PESIM_DIAG_MAP_NOMAP, df->name, 0, 0,
                    "layer %s: no %s mapping fits the buffers; the closest one overflows:",
                    l->name, df->title);
    struct pesim_analysis a;
    if (!pesim_map_analyze(arch, l, &closest, &a))
        pesim_map_check_fit(arch, &a, df->name, diags);
    return PESIM_E_NOMAP;
}
