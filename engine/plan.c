/* The controller shared by the cycle-level engines (docs/model.md §8): walk
 * the steps of a mapping in nest order, decide which tiles change, emit the
 * transfers, the compute and the joins of each step as nodes, and account
 * every access. Word counts come from the pair formulas applied to each
 * tile's own sub-nest (cached: periods of one shape share them), so the
 * sums over a run equal the analysis's.
 *
 * On N levels: a step is one combination of the temporal loops of every
 * level but the innermost. A data space's tile at chain level c changes
 * when c's refetch loops change; its words are those of the pair
 * (parent -> c) on c's sub-nest: the loops of level c inward and every
 * spatial loop, over a layer whose dimensions are the iterations of those
 * loops that the fixed digits of the outer temporal loops leave valid. The
 * shorthand is the case of three levels: the GLB's tiles (c = 1) and the
 * RF's and the MAC's (c = 2, the step), exactly as before. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

#define CACHE 64
#define MAXT PESIM_NEST_MAX

struct shape {
    bool valid;
    uint64_t ext[PESIM_DIM_COUNT];
    uint64_t cycles;                          /* compute cycles of a step */
    uint64_t macs;                            /* MACs of a step */
    /* [ds][0]: the pair into the shape's level; [ds][1]: into the MAC
     * (the step's shape only) */
    struct pesim_pair pair[PESIM_DS_COUNT][2];
};

/* The loops of one dimension that vary inside a sub-nest (spatial loops,
 * and temporal loops of the sub-nest's levels), most significant first,
 * with their strides in the whole nest. */
struct varying {
    uint8_t n;
    bool suffix;    /* no fixed loop of the dim below a varying one */
    uint64_t tile;  /* product of their bounds */
    uint32_t bound[MAXT];
    uint64_t stride[MAXT];
};

struct plan {
    int nl;                        /* storage levels; the MAC is index nl */
    int n;                         /* step loops: temporal, levels 0 .. nl-2 */
    int lstart[PESIM_LEVELS_MAX];  /* step loops of the levels above lv: [0, lstart[lv]) */
    uint8_t dim[MAXT];
    uint32_t bound[MAXT];
    uint64_t stride[MAXT];
    uint32_t digit[MAXT], prev[MAXT];
    bool started, done;
    /* sub-nests by level c = 1 .. nl-1 (nl-1: the step's) */
    struct pesim_mapping sub[PESIM_LEVELS_MAX];
    struct varying var[PESIM_LEVELS_MAX][PESIM_DIM_COUNT];
    int chain[PESIM_DS_COUNT][PESIM_LEVELS_MAX + 1], nchain[PESIM_DS_COUNT];
    int8_t at[PESIM_DS_COUNT][PESIM_LEVELS_MAX]; /* chain index of level c as a child
                                                    that is not the MAC, or -1 */
    /* refetch loop masks (over step positions) per data space and child */
    uint64_t refetch[PESIM_DS_COUNT][PESIM_LEVELS_MAX + 1];
    /* the step position of the loop whose steps slide ds's window into
     * child c (model.md, "Sliding windows"), or -1 */
    int slide[PESIM_DS_COUNT][PESIM_LEVELS_MAX];
    uint64_t out_irrelevant;       /* loops irrelevant to outputs */
    bool stream[PESIM_DS_COUNT];   /* the pair into the MAC is a transfer */
    bool overlap[PESIM_LEVELS_MAX]; /* double_buffer or stream: fills and drains
                                       overlap the compute of the current tile */
    bool streams_out[PESIM_LEVELS_MAX]; /* stream: a psum tile's reload follows the
                                           drain out of its buffer word for word */
    bool freed_by_drain[PESIM_LEVELS_MAX]; /* fill[outputs][c] is the drain that
                                              freed the next tile's buffer */
    /* The last two psum tiles drained out of each overlapping level, newest
     * first: the digits of their output-relevant refetch loops (which
     * identify the tile), the drain, and the node that last moved psums
     * into the parent before it. A reload waits for the drain of its own
     * psums, not for every drain before it (model.md §8.3). */
    uint32_t res_key[PESIM_LEVELS_MAX][MAXT];          /* the resident tile's */
    uint32_t dr_key[PESIM_LEVELS_MAX][2][MAXT];
    uint32_t dr_id[PESIM_LEVELS_MAX][2], dr_pre[PESIM_LEVELS_MAX][2];
    /* An overlapping level's next psum tile reloading in shares: the node
     * its first share waits for in the parent (psums_in), and whether on
     * its start (a drain of this level, which the reload follows) */
    uint32_t pf_psums[PESIM_LEVELS_MAX];
    bool pf_psums_start[PESIM_LEVELS_MAX];
    uint64_t mac_pipe;
    /* state of the tiles, by level */
    uint32_t fill[PESIM_DS_COUNT][PESIM_LEVELS_MAX]; /* node that brought the tile (or
                                                        took the psums out) */
    struct pesim_pair out[PESIM_LEVELS_MAX];          /* resident psum tile's pair */
    bool out_has[PESIM_LEVELS_MAX];
    uint32_t last_out[PESIM_LEVELS_MAX];              /* last node moving psums in */
    /* An overlapping level's next tile, counted at the first step of the
     * current one and streamed in over its steps: pf_m shares (the steps
     * of a whole tile), pf_i of them emitted, the last by node pf_last;
     * `follow`: the parent's tile moves at the same boundary and streams
     * in too, so each share waits for the parent's shares so far. */
    bool ahead[PESIM_DS_COUNT][PESIM_LEVELS_MAX];
    bool follow[PESIM_DS_COUNT][PESIM_LEVELS_MAX];
    struct pesim_pair pf[PESIM_DS_COUNT][PESIM_LEVELS_MAX];
    uint64_t pf_m[PESIM_DS_COUNT][PESIM_LEVELS_MAX], pf_i[PESIM_DS_COUNT][PESIM_LEVELS_MAX];
    uint32_t pf_last[PESIM_DS_COUNT][PESIM_LEVELS_MAX];
    uint64_t tile_steps[PESIM_DS_COUNT][PESIM_LEVELS_MAX]; /* steps of a whole tile */
    /* A Timeloop bandwidth is per instance the mapping uses: a transfer's
     * words (of all instances, lockstep) count instances / used times on
     * it, whose rate is per instance times all instances. */
    double bw_scale[PESIM_LEVELS_MAX + 1];
    uint32_t prev_drain[PESIM_LEVELS_MAX];            /* drain of the tile before the
                                                         last (its buffer is the next
                                                         tile's, overlapping outputs) */
    uint32_t nd[MAXT];                                /* scratch: the next tile's digits */
    uint32_t prev_join;
    /* A systolic fan-out above the innermost level (docs/systolic.md):
     * each fold's skew, the rows a new stationary operand tile shifts
     * through, and the step loops whose change brings one (sa_stationary:
     * the innermost level keeps an operand). */
    uint64_t sa_skew;
    uint32_t sa_rows;
    bool sa_stationary;
    uint64_t sa_shift;
    uint64_t sa_fold; /* the step loops whose change starts a fold */
    bool sa_hidden;   /* double-buffered PEs: only the first shift counts */
    struct shape *cache;                              /* 2 x nl x CACHE */
    struct shape *slid;                               /* nl x CACHE: slid tiles */
};

/* Positions [0, k) as a mask; k may be 64. */
static uint64_t below(int k) { return k >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << k) - 1; }

/* ---- nest ---- */

static void flatten(struct plan *p, const struct pesim_mapping *m)
{
    /* strides need every loop of a dim, spatial and innermost included */
    struct { uint8_t dim; uint32_t bound; int level; bool spatial; } all[2 * PESIM_LEVELS_MAX * PESIM_MAX_LOOPS];
    uint64_t strd[2 * PESIM_LEVELS_MAX * PESIM_MAX_LOOPS];
    int na = 0, nl = p->nl;
    for (int lv = 0; lv < nl; lv++) {
        p->lstart[lv] = p->n;
        for (int sp = 0; sp < 2; sp++) {
            unsigned cnt = sp ? m->nspatial[lv] : m->ntemporal[lv];
            const struct pesim_loop *lp = sp ? m->spatial[lv] : m->temporal[lv];
            for (unsigned i = 0; i < cnt && i < PESIM_MAX_LOOPS; i++) {
                if (lp[i].bound <= 1)
                    continue;
                all[na].dim = lp[i].dim;
                all[na].bound = lp[i].bound;
                all[na].level = lv;
                all[na++].spatial = sp;
                if (!sp && lv < nl - 1) {
                    p->dim[p->n] = lp[i].dim;
                    p->bound[p->n++] = lp[i].bound;
                }
            }
        }
    }
    uint64_t inner[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        inner[d] = 1;
    for (int i = na - 1; i >= 0; i--) {
        strd[i] = inner[all[i].dim];
        inner[all[i].dim] *= all[i].bound; /* <= 2^40 per dim: pesim_map_check */
    }
    for (int i = 0, s = 0; i < na; i++)
        if (!all[i].spatial && all[i].level < nl - 1)
            p->stride[s++] = strd[i];
    /* the varying loops of each sub-nest */
    for (int c = 1; c < nl; c++)
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
            struct varying *v = &p->var[c][d];
            v->n = 0;
            v->suffix = true;
            v->tile = 1;
            for (int i = 0; i < na; i++) {
                if (all[i].dim != d)
                    continue;
                if (!all[i].spatial && all[i].level < c) {
                    if (v->n)
                        v->suffix = false; /* a fixed loop below a varying one */
                    continue;
                }
                v->bound[v->n] = all[i].bound;
                v->stride[v->n++] = strd[i];
                v->tile *= all[i].bound;
            }
        }
}

/* The refetch loops of ds into a child (model.md §4): temporal loops above
 * the child from the innermost relevant one outward; all of them for the
 * MAC. */
static uint64_t refetch(const struct plan *p, enum pesim_ds ds, int child)
{
    if (child >= p->nl)
        return below(p->n);
    for (int i = p->lstart[child] - 1; i >= 0; i--)
        if (pesim_dim_relevant(ds, p->dim[i]))
            return below(i + 1);
    return 0;
}

/* ---- walking the steps ---- */

static bool step_empty(const struct plan *p, const struct pesim_layer *l)
{
    uint64_t o[PESIM_DIM_COUNT] = {0};
    for (int i = 0; i < p->n; i++)
        o[p->dim[i]] += p->digit[i] * p->stride[i];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if (o[d] >= l->dim[d])
            return true;
    return false;
}

/* Advance to the next non-empty step; false when there is none. */
static bool advance(struct plan *p, const struct pesim_layer *l)
{
    do {
        int i = p->n - 1;
        while (i >= 0 && ++p->digit[i] == p->bound[i])
            p->digit[i--] = 0;
        if (i < 0)
            return false;
    } while (step_empty(p, l));
    return true;
}

static bool changed(const struct plan *p, uint64_t mask)
{
    for (int i = 0; i < p->n; i++)
        if ((mask >> i & 1) && p->digit[i] != p->prev[i])
            return true;
    return !p->started;
}

static bool all_zero(const struct plan *p, uint64_t mask)
{
    for (int i = 0; i < p->n; i++)
        if ((mask >> i & 1) && p->digit[i])
            return false;
    return true;
}

/* Dimensions of the sub-layer of level c's sub-nest at the current digits:
 * per dim, the iterations of its varying loops whose index is valid with
 * the fixed loops (the step loops of the levels above c) at their digits.
 * Valid iterations are a prefix in the varying loops' order, so the
 * sub-nest over a layer of that size has the same ones. */
static void extents(const struct plan *p, const struct pesim_layer *l, int c, uint64_t *ext)
{
    uint64_t o[PESIM_DIM_COUNT] = {0};
    for (int i = 0; i < p->lstart[c]; i++)
        o[p->dim[i]] += p->digit[i] * p->stride[i];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        const struct varying *v = &p->var[c][d];
        uint64_t left = l->dim[d] - o[d]; /* > 0: the step is not empty */
        if (v->suffix) {
            ext[d] = v->tile < left ? v->tile : left;
            continue;
        }
        /* digit DP as analysis.c's count: the lower varying loops' largest
         * index stays below a loop's stride even with fixed loops removed */
        uint64_t rest[MAXT + 1], limit = left - 1, total = 0;
        rest[v->n] = 1;
        for (int j = v->n - 1; j >= 0; j--)
            rest[j] = rest[j + 1] * v->bound[j];
        int j = 0;
        for (; j < v->n; j++) {
            uint64_t top = limit / v->stride[j];
            if (top >= v->bound[j]) {
                total += rest[j];
                break;
            }
            total += top * rest[j + 1];
            limit -= top * v->stride[j];
        }
        ext[d] = j < v->n ? total : total + 1;
    }
}

/* Pair words of level c's sub-nest, cached by its extents; `bank` 1 is
 * the prefetches' own cache, so that a next tile's shape never evicts the
 * current step's, which the caller still reads. */
static const struct shape *shape_in(struct run *r, int c, int bank)
{
    struct plan *p = r->plan;
    uint64_t ext[PESIM_DIM_COUNT];
    extents(p, r->layer, c, ext);
    uint64_t h = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        h = h * 1000003u + ext[d];
    struct shape *s = &p->cache[((size_t)bank * (size_t)p->nl + (size_t)c) * CACHE + h % CACHE];
    if (s->valid && memcmp(s->ext, ext, sizeof s->ext) == 0)
        return s;
    memset(s, 0, sizeof *s);
    memcpy(s->ext, ext, sizeof s->ext);
    struct pesim_layer sub = *r->layer;
    memcpy(sub.dim, ext, sizeof sub.dim);
    const struct pesim_mapping *m = &p->sub[c];
    bool step = c == p->nl - 1;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        for (int k = 0; k + 1 < p->nchain[ds]; k++) {
            int parent = p->chain[ds][k], child = p->chain[ds][k + 1];
            int slot = child == c ? 0 : child == p->nl && step ? 1 : -1;
            if (slot < 0)
                continue;
            if (pesim_map_pair(r->arch, &sub, m, ds, parent, child, &s->pair[ds][slot]))
                r->error = PESIM_E_SIM;
        }
    if (step) {
        struct pesim_analysis a;
        if (pesim_map_analyze(r->arch, &sub, m, &a))
            r->error = PESIM_E_SIM;
        /* the systolic fill and drain are the step's own (plan_next) */
        s->cycles = a.ideal_cycles - a.systolic_cycles;
        s->macs = a.macs;
    }
    s->valid = true;
    return s;
}

static const struct shape *shape_of(struct run *r, int c)
{
    return shape_in(r, c, 0);
}

/* Pair words of ds into level c when its tile follows the previous one by
 * one step of the sliding loop: only the new rows (or columns), cached by
 * extents like shape_of. */
static const struct pesim_pair *slid_of(struct run *r, int c, enum pesim_ds ds, int parent)
{
    struct plan *p = r->plan;
    uint64_t ext[PESIM_DIM_COUNT];
    extents(p, r->layer, c, ext);
    uint64_t h = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        h = h * 1000003u + ext[d];
    /* only inputs slide (pesim_map_slides), so extents name an entry */
    struct shape *s = &p->slid[(size_t)c * CACHE + h % CACHE];
    if (s->valid && memcmp(s->ext, ext, sizeof s->ext) == 0)
        return &s->pair[ds][0];
    memset(s, 0, sizeof *s);
    memcpy(s->ext, ext, sizeof s->ext);
    struct pesim_layer sub = *r->layer;
    memcpy(sub.dim, ext, sizeof sub.dim);
    int L = p->slide[ds][c];
    if (pesim_map_pair_slid(r->arch, &sub, &p->sub[c], ds, parent, c, p->dim[L], p->stride[L],
                            &s->pair[ds][0]))
        r->error = PESIM_E_SIM;
    s->valid = true;
    return &s->pair[ds][0];
}

/* Whether this step brings ds's tile into c by one step of its sliding
 * loop alone: no refetch loop outside it changed. */
static bool slides(const struct plan *p, enum pesim_ds ds, int c)
{
    int L = p->slide[ds][c];
    if (L < 0 || !p->started || p->digit[L] == p->prev[L])
        return false;
    return !changed(p, p->refetch[ds][c] & below(L));
}

/* ---- emitting nodes ---- */

static struct node *new_node(struct run *r, uint8_t kind, uint64_t now)
{
    uint32_t id = ++r->next_id;
    struct node *n = node_get(r, id);
    /* Only what is read before it is written: the lists (res, work, deps,
     * server, left) are read up to their counts, and the engines set the
     * timeline. Clearing the whole node (over 300 bytes) cost a tenth of a
     * run's instructions. */
    n->id = id;
    n->kind = kind;
    n->nres = n->ndeps = 0;
    n->latency = 0;
    n->dram_write = false;
    n->ds = 0;
    n->from = n->to = 0;
    n->words = 0;
    n->issue = now;
    n->ready = n->start = n->release = n->done = 0;
    n->bound = n->queued_on = 0;
    n->blame = 0;
    n->state = 0;
    return n;
}

/* A dependency on node `id`. Nodes far back in program order (a GLB tile
 * brought in many steps ago) have completed before every step since read
 * them, so they no longer constrain anything and may have left the ring. */
static void dep(struct node *n, uint32_t id, uint32_t offset, bool on_start)
{
    if (id && id + NODE_RING / 2 > n->id) {
        assert(n->ndeps < NODE_DEPS);
        n->deps[n->ndeps++] = (struct dep){id, offset, on_start};
    }
}

static void path(struct node *n, uint8_t res, uint64_t work)
{
    if (res == RES_NONE)
        return;
    assert(n->nres < NODE_RES);
    n->res[n->nres] = res;
    n->work[n->nres++] = work;
}

static uint64_t dram_work(const struct run *r, enum pesim_ds ds, uint64_t words)
{
    uint64_t bytes = words * r->rs.bytes[ds];
    double ratio = r->rs.dram_ratio[ds];
    /* a compressed transfer moves its coded size, whole bytes */
    if (ratio < 1.0)
        bytes = (uint64_t)ceil((double)bytes * ratio);
    return bytes << PESIM_DRAM_FP;
}

/* One end of a transfer: a level's resources (DRAM's channel, or a
 * level's partition, its read or write port and bandwidth); the MAC has
 * none. `drain`: psums read out for the parent; `other`: into or out of
 * an overlapping level's other buffer. */
static inline void level_path(struct run *r, struct node *n, enum pesim_ds ds, int lv,
                              bool read, uint64_t words, bool drain, bool other)
{
    const struct resources *rs = &r->rs;
    if (lv == PESIM_LEVEL_DRAM) {
        if (!r->dram_untimed)
            path(n, rs->dram, dram_work(r, ds, words));
        return;
    }
    uint8_t part = rs->part[lv][ds]; /* RES_NONE for the MAC (index nl) */
    if (part != RES_NONE) {
        /* `other`: the transfer uses the buffer the compute does not (an
         * overlapping level's next tile, or its last tile draining), so it
         * does not conflict with the compute's accesses to the partition */
        if (!other)
            path(n, part, words);
        path(n, read ? rs->rport[lv] : rs->wport[lv], 1);
    }
    /* Timeloop's read bandwidth serves the child and the MAC: a drain's
     * words are the parent's update, on the parent's write bandwidth */
    uint8_t bw = read ? rs->rbw[lv] : rs->wbw[lv];
    if (!drain && bw != RES_NONE) {
        double sc = r->plan->bw_scale[lv];
        uint64_t w = sc == 1.0 ? words << PESIM_DRAM_FP
                               : (uint64_t)llround(ldexp((double)words * sc, PESIM_DRAM_FP));
        path(n, bw, w);
    }
}

/* How a transfer of a pair uses it: down (fill or reload, parent to child)
 * or up (psums drained, child to parent). */
enum move { FILL, RELOAD, UP };

/* A transfer of ds along pair pr (parent -> child), in the direction of
 * `mv`. Its path, in the order the words travel: the sending level, the
 * networks crossed, the receiving level. Each resource carries its own
 * side's words: the parent `sent` (a multicast or a reduced psum once),
 * each network the words on its parent side, the child its own words
 * (fills) — a reload moves `words` everywhere. */
static struct node *transfer(struct run *r, enum pesim_ds ds, const struct pesim_pair *pr,
                             enum move mv, uint64_t words, uint64_t now)
{
    struct node *n = new_node(r, NODE_XFER, now);
    /* an overlapping child: fills and drains use its other buffer */
    bool other = pr->child < r->plan->nl && r->plan->overlap[pr->child];
    int par = pr->parent, ch = pr->child;
    uint64_t child_words = mv == RELOAD ? words : pr->per_pe;
    uint64_t parent_words = mv == RELOAD ? words : pr->sent;
    if (mv == RELOAD && pr->reload_all) { /* fanned out to every child of a group */
        struct pesim_pair q = *pr;
        uint64_t up[PESIM_LEVELS_MAX], down[PESIM_LEVELS_MAX];
        q.first = q.sent - words;
        if (words == q.sent)
            memset(q.f_first, 0, sizeof q.f_first);
        child_words = pesim_pair_reloads(&q, up, down);
    }
    if (mv == UP) {
        parent_words = words;
        level_path(r, n, ds, ch, true, child_words, true, other);
        for (unsigned k = 0; k < pr->nf; k++)
            path(n, r->rs.net[pr->fanout[k]][ds], pr->f_sends[k]);
        level_path(r, n, ds, par, false, parent_words, false, false);
        n->from = (int8_t)ch;
        n->to = (int8_t)par;
    } else {
        level_path(r, n, ds, par, true, parent_words, false, false);
        for (unsigned k = pr->nf; k-- > 0;) {
            uint8_t bus = r->rs.net[pr->fanout[k]][ds];
            if (mv == RELOAD && r->rs.net_reload[pr->fanout[k]] != RES_NONE)
                bus = r->rs.net_reload[pr->fanout[k]];
            path(n, bus, mv == RELOAD ? words : pr->f_sends[k]);
        }
        level_path(r, n, ds, ch, false, child_words, false, other);
        n->from = (int8_t)par;
        n->to = (int8_t)ch;
    }
    if (n->from == PESIM_LEVEL_DRAM)
        n->latency = r->rs.dram_latency;
    n->dram_write = n->to == PESIM_LEVEL_DRAM;
    n->ds = (uint8_t)ds;
    n->words = parent_words;
    return n;
}

static uint32_t emit(struct run *r, struct node *n)
{
    r->ops->issue(r, n);
    return n->id;
}

/* Drain the resident psum tile of level c to its parent (a write-back when
 * the parent is DRAM). */
static void drain(struct run *r, int c, uint64_t now)
{
    struct plan *p = r->plan;
    const struct pesim_pair *pr = &p->out[c];
    if (!p->out_has[c] || pr->sent == 0)
        return;
    struct node *n = transfer(r, PESIM_DS_OUTPUTS, pr, UP, pr->sent, now);
    dep(n, p->prev_join, (uint32_t)p->mac_pipe, false);
    dep(n, p->last_out[c], 0, false);
    uint32_t pre = p->last_out[pr->parent];
    uint32_t id = emit(r, n);
    p->last_out[pr->parent] = id;
    memcpy(p->dr_key[c][1], p->dr_key[c][0], sizeof p->dr_key[c][0]);
    memcpy(p->dr_key[c][0], p->res_key[c], sizeof p->res_key[c]);
    p->dr_id[c][1] = p->dr_id[c][0];
    p->dr_pre[c][1] = p->dr_pre[c][0];
    p->dr_id[c][0] = id;
    p->dr_pre[c][0] = pre;
    /* An overlapping level drains the old tile from one buffer while the
     * new one starts in the other, which the drain before this one freed. */
    uint32_t held = p->overlap[c] ? p->prev_drain[c] : id;
    p->prev_drain[c] = id;
    p->fill[PESIM_DS_OUTPUTS][c] = held;
    p->freed_by_drain[c] = p->overlap[c] && held != 0;
    p->out_has[c] = false;
}

/* An overlapping level's new psum tile (its key resident now): the node
 * its reload must wait for in the parent. The drain of its own psums if it
 * was one of the last two tiles drained; otherwise they went up before
 * those, by the node before the older one (drains into a parent complete
 * in order). */
static uint32_t psums_of(const struct plan *p, int c, const uint32_t *key, bool *drain)
{
    *drain = false;
    for (int j = 0; j < 2; j++)
        if (p->dr_id[c][j] && memcmp(p->dr_key[c][j], key, sizeof p->res_key[c]) == 0) {
            *drain = true;
            return p->dr_id[c][j];
        }
    return p->dr_id[c][1] ? p->dr_pre[c][1] : p->dr_id[c][0] ? p->dr_pre[c][0] : 0;
}

static uint32_t psums_in(const struct plan *p, int c)
{
    bool drain;
    return psums_of(p, c, p->res_key[c], &drain);
}

static void account(struct run *r, enum pesim_ds ds, struct pesim_pair pr, bool first)
{
    if (ds == PESIM_DS_OUTPUTS && !first) {
        pr.first = 0;
        memset(pr.f_first, 0, sizeof pr.f_first);
    }
    pesim_map_account(ds, &pr, &r->counts);
}

/* The digits of the first step of the next tile of a data space whose
 * refetch loops into its level are `mask` (a prefix of the step loops)
 * into p->nd: the loops of the mask advanced as an odometer, every loop
 * below them at 0, empty steps skipped. False when the current tile is the
 * last. */
static bool next_tile(struct plan *p, const struct pesim_layer *l, uint64_t mask)
{
    int top = -1;
    for (int i = 0; i < p->n; i++)
        if (mask >> i & 1)
            top = i;
    if (top < 0)
        return false;
    memcpy(p->nd, p->digit, sizeof p->nd);
    for (int i = top + 1; i < p->n; i++)
        p->nd[i] = 0;
    for (;;) {
        int i = top;
        while (i >= 0 && ++p->nd[i] == p->bound[i])
            p->nd[i--] = 0;
        if (i < 0)
            return false;
        uint64_t o[PESIM_DIM_COUNT] = {0};
        for (int j = 0; j < p->n; j++)
            o[p->dim[j]] += p->nd[j] * p->stride[j];
        bool empty = false;
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            empty |= o[d] >= l->dim[d];
        if (!empty)
            return true;
    }
}

/* An overlapping level brings ds's next tile while the current one is in
 * use (model.md §8.3, 1): at the first step of tile k it counts tile k+1's
 * fill (once, as the fill at tile k+1 would be) and streams its words in
 * over tile k's steps, an equal share per step (shares()); whatever is left
 * when tile k+1 begins (a tile cut short by the layer's edge) comes in
 * then, and the compute waits for it. Not done (the fill comes at tile k+1
 * as usual, without waiting for the previous step) when the parent's tile
 * changes too and the parent does not stream its own next tile in. */
static void prefetch(struct run *r, enum pesim_ds ds, int c)
{
    struct plan *p = r->plan;
    int k = p->at[ds][c];
    int parent = p->chain[ds][k - 1];
    if (!next_tile(p, r->layer, p->refetch[ds][c]))
        return;
    uint32_t key[MAXT] = {0};
    if (ds == PESIM_DS_OUTPUTS) {
        /* psums: only a tile that reloads (not its first residency) */
        bool first = true;
        for (int i = 0; i < p->n; i++) {
            first &= !((p->refetch[ds][c] & p->out_irrelevant) >> i & 1) || p->nd[i] == 0;
            key[i] = (p->refetch[ds][c] & ~p->out_irrelevant) >> i & 1 ? p->nd[i] : 0;
        }
        if (first)
            return;
    }
    bool follow = false;
    if (parent != PESIM_LEVEL_DRAM) {
        for (int i = 0; i < p->n; i++)
            follow |= (p->refetch[ds][parent] >> i & 1) && p->nd[i] != p->digit[i];
        if (follow && !p->ahead[ds][parent])
            return;
    }
    /* tile k+1 slides from tile k (model.md, "Sliding windows") when only
     * the sliding loop moves among its refetch loops: its new part alone */
    int L = p->slide[ds][c];
    bool slid = L >= 0 && p->nd[L] != p->digit[L];
    for (int i = 0; slid && i < L; i++)
        slid = !((p->refetch[ds][c] >> i & 1) && p->nd[i] != p->digit[i]);
    uint32_t save[MAXT];
    memcpy(save, p->digit, sizeof save);
    memcpy(p->digit, p->nd, sizeof save);
    p->pf[ds][c] = slid ? *slid_of(r, c, ds, parent) : shape_in(r, c, 1)->pair[ds][0];
    memcpy(p->digit, save, sizeof save);
    account(r, ds, p->pf[ds][c], ds != PESIM_DS_OUTPUTS);
    if (ds == PESIM_DS_OUTPUTS)
        p->pf_psums[c] = psums_of(p, c, key, &p->pf_psums_start[c]);
    p->ahead[ds][c] = true;
    p->follow[ds][c] = follow;
    p->pf_m[ds][c] = p->pf[ds][c].sent ? p->tile_steps[ds][c] : 0;
    p->pf_i[ds][c] = 0;
    p->pf_last[ds][c] = p->fill[ds][c]; /* the first share follows tile k's fill
                                           (psums: the drain freeing its buffer) */
}

/* floor(x * j / m), exact: j <= m <= PESIM_ENGINE_MAX_STEPS (2^30), so
 * (x mod m) * j < 2^60. */
static uint64_t share_at(uint64_t x, uint64_t j, uint64_t m)
{
    return x / m * j + x % m * j / m;
}

/* Shares [from, to) of the next tile of ds at c as one transfer issued at
 * `now`: its words on every resource of the path are those shares' part of
 * the tile's (summed over all shares: the tile's exactly). */
static uint32_t share(struct run *r, enum pesim_ds ds, int c, uint64_t to, uint64_t now,
                      uint32_t compute)
{
    struct plan *p = r->plan;
    const struct pesim_pair *t = &p->pf[ds][c];
    uint64_t from = p->pf_i[ds][c], m = p->pf_m[ds][c];
    struct pesim_pair pr = *t;
    pr.sent = share_at(t->sent, to, m) - share_at(t->sent, from, m);
    pr.per_pe = share_at(t->per_pe, to, m) - share_at(t->per_pe, from, m);
    for (unsigned f = 0; f < t->nf; f++)
        pr.f_sends[f] = share_at(t->f_sends[f], to, m) - share_at(t->f_sends[f], from, m);
    p->pf_i[ds][c] = to;
    bool any = pr.sent || pr.per_pe;
    for (unsigned f = 0; f < t->nf; f++)
        any |= pr.f_sends[f] != 0;
    if (!any)
        return 0;
    bool psums = ds == PESIM_DS_OUTPUTS;
    struct node *n = transfer(r, ds, &pr, psums ? RELOAD : FILL, pr.sent, now);
    int parent = p->chain[ds][p->at[ds][c] - 1];
    dep(n, compute, 0, true); /* a share of a step flows during it */
    if (psums && from == 0) {
        /* the first share of a psum reload: behind the drain that frees
         * its buffer and the drain of its own psums into the parent,
         * following them word for word into a streaming level */
        bool f = p->streams_out[c] && p->freed_by_drain[c];
        dep(n, p->pf_last[ds][c], 0, f);
        dep(n, p->pf_psums[c], 0, p->streams_out[c] && p->pf_psums_start[c]);
    } else {
        dep(n, p->pf_last[ds][c], 0, false);
    }
    dep(n, p->follow[ds][c] ? p->pf_last[ds][parent] : p->fill[ds][parent], 0, false);
    p->pf_last[ds][c] = emit(r, n);
    return p->pf_last[ds][c];
}

/* This step's share of every next tile streaming in (§8.3, 3): part of the
 * step, which ends when they have arrived. Inner levels first, so that a
 * following level's share waits for what its parent had received by the
 * previous step (its share of this step is pipelined behind, not waited
 * for: a simplification, the words a child takes may come in the parent's
 * share of the same step). */
static int shares(struct run *r, uint32_t compute, uint64_t now, uint32_t *wait)
{
    struct plan *p = r->plan;
    int nwait = 0;
    for (int c = p->nl - 1; c >= 1; c--)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (p->at[ds][c] > 0 && p->ahead[ds][c] && p->pf_i[ds][c] < p->pf_m[ds][c]) {
                uint32_t id = share(r, ds, c, p->pf_i[ds][c] + 1, now, compute);
                if (id)
                    wait[nwait++] = id;
            }
    return nwait;
}

/* The tiles of chain level c that change at this step (model.md §8.3, 1-2):
 * psums drain first, then the new tile comes in (outputs: a reload unless
 * first). Fills into a level whose data the compute reads directly go to
 * `wait`. */
static void tiles(struct run *r, int c, const struct shape *s, uint64_t now, uint32_t *wait,
                  int *nwait)
{
    struct plan *p = r->plan;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        int k = p->at[ds][c];
        if (k < 0 || !changed(p, p->refetch[ds][c]))
            continue;
        if (!s)
            s = shape_of(r, c);
        int parent = p->chain[ds][k - 1];
        bool last = k == p->nchain[ds] - 2 && !p->stream[ds];
        if (p->ahead[ds][c]) { /* brought in while the last tile was in use */
            if (ds == PESIM_DS_OUTPUTS) {
                drain(r, c, now);
                p->out[c] = p->pf[ds][c];
                for (int i = 0; i < p->n; i++)
                    p->res_key[c][i] =
                        (p->refetch[ds][c] & ~p->out_irrelevant) >> i & 1 ? p->digit[i] : 0;
                p->out_has[c] = true;
            }
            if (p->pf_i[ds][c] < p->pf_m[ds][c]) /* its tile was cut short */
                share(r, ds, c, p->pf_m[ds][c], now, 0);
            p->ahead[ds][c] = false;
            if (p->pf_m[ds][c]) {
                p->fill[ds][c] = p->pf_last[ds][c];
                if (ds == PESIM_DS_OUTPUTS)
                    p->freed_by_drain[c] = false;
            }
            if (last)
                wait[(*nwait)++] = p->fill[ds][c];
            prefetch(r, ds, c);
            continue;
        }
        const struct pesim_pair *pr = slides(p, ds, c) ? slid_of(r, c, ds, parent)
                                                       : &s->pair[ds][0];
        bool first = all_zero(p, p->refetch[ds][c] & p->out_irrelevant);
        account(r, ds, *pr, first);
        enum move mv = FILL;
        if (ds == PESIM_DS_OUTPUTS) {
            drain(r, c, now);
            p->out[c] = *pr;
            for (int i = 0; i < p->n; i++)
                p->res_key[c][i] = (p->refetch[ds][c] & ~p->out_irrelevant) >> i & 1 ? p->digit[i]
                                                                                   : 0;
            p->out_has[c] = true;
            if (first)
                continue;
            mv = RELOAD;
        }
        if (pr->sent) {
            struct node *n = transfer(r, ds, pr, mv, pr->sent, now);
            if (!p->overlap[c])
                dep(n, p->prev_join, 0, false);
            dep(n, p->fill[ds][parent], 0, false); /* the parent's tile is in */
            /* the previous tile (or drain) is done; into a streaming
             * level the reload follows the drain that frees its buffer,
             * word for word (a register reads its old psum out as the new
             * one is written), so it waits only for that drain's start */
            bool follows = ds == PESIM_DS_OUTPUTS && p->streams_out[c] && p->freed_by_drain[c];
            dep(n, p->fill[ds][c], 0, follows);
            if (ds == PESIM_DS_OUTPUTS)
                dep(n, p->overlap[c] ? psums_in(p, c) : p->last_out[parent], 0, false);
            p->fill[ds][c] = emit(r, n);
            if (ds == PESIM_DS_OUTPUTS)
                p->freed_by_drain[c] = false;
            if (last)
                wait[(*nwait)++] = p->fill[ds][c];
        }
        if (p->overlap[c])
            prefetch(r, ds, c);
    }
}

/* The MAC's operands and psums (§8.3, 4): part of the compute from a level
 * right above it that no network and no bandwidth separate (the
 * shorthand's RF); otherwise streams during the compute. */
static int streams(struct run *r, const struct shape *s, uint32_t compute, uint64_t now,
                   uint32_t *wait)
{
    struct plan *p = r->plan;
    int nwait = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        int parent = p->chain[ds][p->nchain[ds] - 2];
        const struct pesim_pair *pr = &s->pair[ds][1];
        bool first = all_zero(p, p->refetch[ds][p->nl] & p->out_irrelevant);
        account(r, ds, *pr, first);
        if (!p->stream[ds])
            continue;
        uint64_t up = 0, down = pr->sent;
        if (ds == PESIM_DS_OUTPUTS) {
            up = pr->collapse || !pr->crossing ? pr->sent : pr->per_pe;
            down = pr->collapse || !pr->crossing ? pr->sent - (first ? pr->first : 0) : 0;
        }
        if (down) {
            struct node *n = transfer(r, ds, pr, ds == PESIM_DS_OUTPUTS ? RELOAD : FILL, down, now);
            dep(n, compute, 0, true);
            dep(n, p->fill[ds][parent], 0, false);
            wait[nwait++] = emit(r, n);
        }
        if (up) {
            struct node *n = transfer(r, ds, pr, UP, up, now);
            dep(n, compute, 0, true);
            dep(n, p->fill[ds][parent], 0, false);
            p->last_out[parent] = wait[nwait++] = emit(r, n);
        }
    }
    return nwait;
}

static uint32_t finish(struct run *r, uint64_t now)
{
    struct plan *p = r->plan;
    enum pesim_ds o = PESIM_DS_OUTPUTS;
    /* psums leave level by level, innermost first */
    for (int k = p->nchain[o] - 2; k >= 1; k--)
        drain(r, p->chain[o][k], now);
    r->last_join = p->prev_join;
    struct node *end = new_node(r, NODE_JOIN, now);
    dep(end, p->prev_join, (uint32_t)p->mac_pipe, false);
    for (int k = p->nchain[o] - 2; k >= 0; k--)
        dep(end, p->last_out[p->chain[o][k]], 0, false);
    r->end_node = emit(r, end);
    p->done = true;
    return 0;
}

uint32_t pesim_plan_next(struct run *r, uint64_t now)
{
    struct plan *p = r->plan;
    if (p->done)
        return 0;
    if (p->started && !advance(p, r->layer))
        return finish(r, now);
    if (!p->started && step_empty(p, r->layer) && !advance(p, r->layer))
        return finish(r, now);
    uint32_t wait[3 * PESIM_DS_COUNT + 2 * PESIM_LEVELS_MAX];
    int nwait = 0;
    const struct shape *s = shape_of(r, p->nl - 1);
    for (int c = 1; c < p->nl; c++)
        tiles(r, c, c == p->nl - 1 ? s : NULL, now, wait, &nwait);

    struct node *c = new_node(r, NODE_COMPUTE, now);
    c->work[1] = (changed(p, p->sa_fold) ? p->sa_skew : 0) +
                 (p->sa_stationary && changed(p, p->sa_shift) && (!p->sa_hidden || !p->started)
                      ? p->sa_rows
                      : 0);
    c->work[0] = s->cycles + c->work[1];
    r->counts.macs += s->macs;
    dep(c, p->prev_join, 0, false);
    for (int i = 0; i < nwait; i++)
        dep(c, wait[i], 0, false);
    /* operands streamed from a level need their tile there first */
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (p->stream[ds])
            dep(c, p->fill[ds][p->chain[ds][p->nchain[ds] - 2]], 0, false);
    uint32_t compute = emit(r, c);

    nwait = streams(r, s, compute, now, wait);
    nwait += shares(r, compute, now, wait + nwait);
    /* The step's end: a join of the compute and everything that flows
     * during it; past NODE_DEPS - 1 of them (shares of many levels), a
     * chain of joins, each waiting for the one before, so that a node
     * stays small (the ring of nodes is the engines' working set). */
    uint32_t last = compute;
    int i = 0;
    do {
        struct node *j = new_node(r, NODE_JOIN, now);
        dep(j, last, 0, false);
        for (int k = 0; k < NODE_DEPS - 1 && i < nwait; k++, i++)
            dep(j, wait[i], 0, false);
        last = emit(r, j);
    } while (i < nwait);
    p->prev_join = last;
    memcpy(p->prev, p->digit, sizeof p->prev);
    p->started = true;
    return compute;
}

/* Whether level lv has timing resources with a bandwidth limit. */
static bool limited(const struct pesim_arch *a, int lv)
{
    const struct pesim_level_cfg *g = &a->level[lv];
    return (uint64_t)g->banks * g->bank_words_per_cycle > 0 || g->read_bandwidth > 0 ||
           g->write_bandwidth > 0;
}

static void systolic_init(const struct run *r, struct plan *p)
{
    const struct pesim_fanout_cfg *f = pesim_arch_systolic(r->arch);
    if (!f)
        return;
    int in = p->nl - 1;
    p->sa_skew = (uint64_t)f->rows + f->cols - 2;
    /* a double-buffered PE shifts the next tile in behind the current
     * fold: only the first tile's shift is in the way */
    p->sa_rows = f->rows;
    p->sa_hidden = r->arch->level[in].double_buffer;
    bool kept = false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (p->at[ds][in] >= 0) {
            kept = true;
            p->sa_fold |= p->refetch[ds][in];
            if (ds != PESIM_DS_OUTPUTS) {
                p->sa_stationary = true;
                p->sa_shift |= p->refetch[ds][in];
            }
        }
    if (!kept) /* nothing stays in the PEs: every step restarts the stream */
        p->sa_fold = below(p->n);
}

int pesim_plan_init(struct run *r)
{
    struct plan *p = calloc(1, sizeof *p);
    if (!p)
        return PESIM_E_NOMEM;
    r->plan = p;
    p->nl = r->arch->nlevels;
    for (int c = 1; c < p->nl; c++) {
        p->overlap[c] = r->tarch.level[c].double_buffer || r->tarch.level[c].stream;
        p->streams_out[c] = r->tarch.level[c].stream;
        uint64_t used = pesim_map_used_instances(r->arch, r->map, (unsigned)c);
        uint64_t inst = pesim_arch_instances(r->arch, (unsigned)c);
        p->bw_scale[c] = used && used < inst ? (double)inst / (double)used : 1.0;
    }
    p->cache = calloc(2 * (size_t)p->nl * CACHE, sizeof *p->cache);
    p->slid = calloc((size_t)p->nl * CACHE, sizeof *p->slid);
    if (!p->cache || !p->slid)
        return PESIM_E_NOMEM;
    flatten(p, r->map);
    for (int c = 1; c < p->nl; c++) {
        p->sub[c] = *r->map;
        for (int lv = 0; lv < c; lv++)
            p->sub[c].ntemporal[lv] = 0;
    }
    uint32_t lat = r->tarch.mac_latency_cycles;
    p->mac_pipe = lat > 1 ? lat - 1 : 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        p->nchain[ds] = pesim_map_chain(r->arch, r->map, ds, p->chain[ds]);
        memset(p->at[ds], -1, sizeof p->at[ds]);
        for (int c = 0; c < PESIM_LEVELS_MAX; c++)
            p->slide[ds][c] = -1;
        for (int k = 1; k < p->nchain[ds]; k++) {
            int c = p->chain[ds][k];
            if (c < p->nl)
                p->at[ds][c] = (int8_t)k;
            p->refetch[ds][c] = refetch(p, ds, c);
            if (c < p->nl) {
                uint64_t f = p->refetch[ds][c];
                int L = f ? 63 - __builtin_clzll(f) : -1;
                /* L must be the innermost step loop above c (model.md) */
                p->slide[ds][c] = L >= 0 && L == p->lstart[c] - 1 &&
                                          pesim_map_slides(r->arch, r->map, ds,
                                                             p->chain[ds][k - 1], c, p->dim[L])
                                      ? L : -1;
            }
            /* a pair's path: two levels' partition and port, its networks */
            int nf = 0;
            for (int f = p->chain[ds][k - 1]; f < c; f++)
                nf += pesim_arch_has_fanout(r->arch, (unsigned)f);
            if (nf > NODE_RES - 6)
                return PESIM_E_UNSUPPORTED;
        }
        int par = p->chain[ds][p->nchain[ds] - 2];
        bool crossing = false;
        for (int f = par; f < p->nl; f++)
            crossing |= pesim_arch_has_fanout(r->arch, (unsigned)f);
        p->stream[ds] = par == PESIM_LEVEL_DRAM || crossing || limited(&r->tarch, par);
    }
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        for (int c = 1; c < p->nl; c++) {
            /* steps of a whole tile: those of the step loops below its
             * innermost refetch loop (at most the layer's, 2^30) */
            uint64_t n = 1;
            for (int i = p->n - 1; i >= 0 && !(p->refetch[ds][c] >> i & 1); i--)
                n = n * p->bound[i] > PESIM_ENGINE_MAX_STEPS ? PESIM_ENGINE_MAX_STEPS
                                                             : n * p->bound[i];
            p->tile_steps[ds][c] = n;
        }
    for (int i = 0; i < p->n; i++)
        if (!pesim_dim_relevant(PESIM_DS_OUTPUTS, p->dim[i]))
            p->out_irrelevant |= UINT64_C(1) << i;
    systolic_init(r, p);
    return pesim_map_steps_countable(r->arch, r->map) ? 0 : PESIM_E_UNSUPPORTED;
}

void pesim_plan_free(struct run *r)
{
    if (r->plan) {
        free(r->plan->cache);
        free(r->plan->slid);
    }
    free(r->plan);
    r->plan = NULL;
}
