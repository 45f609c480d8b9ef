/* The controller shared by the cycle-level engines (docs/model.md §8): walk
 * the steps of a mapping in nest order, decide which tiles change, emit the
 * transfers, the compute and the joins of each step as nodes, and account
 * every access. Word counts come from the pair formulas applied to each
 * step's own sub-nest (cached: steps of one shape share them), so the sums
 * over a run equal the analysis's. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

#define CACHE 64
#define MAXT (2 * PESIM_MAX_LOOPS)

struct shape {
    bool valid;
    uint64_t ext[PESIM_DIM_COUNT];
    uint64_t cycles;                          /* compute cycles of a step */
    uint64_t macs;                            /* MACs of a step */
    struct pesim_pair pair[PESIM_DS_COUNT][4]; /* by child level (GLB, RF, MAC) */
};

struct plan {
    int n, ndram;                  /* temporal loops above the RF; DRAM first */
    uint8_t dim[MAXT];
    uint32_t bound[MAXT];
    uint64_t stride[MAXT];
    uint32_t digit[MAXT], prev[MAXT];
    bool started, done;
    uint64_t tile_step[PESIM_DIM_COUNT], tile_glb[PESIM_DIM_COUNT];
    struct pesim_mapping step_map, glb_map;
    int chain[PESIM_DS_COUNT][4], nchain[PESIM_DS_COUNT];
    /* refetch loop masks (over positions) per data space and child level */
    uint64_t refetch[PESIM_DS_COUNT][PESIM_LEVEL_COUNT + 1];
    uint64_t out_irrelevant;       /* loops irrelevant to outputs */
    /* state of the tiles */
    uint32_t glb_fill[PESIM_DS_COUNT];  /* node that brought the GLB tile */
    uint64_t glb_words[PESIM_DS_COUNT]; /* words of the current GLB tile */
    bool glb_has[PESIM_DS_COUNT];
    struct pesim_pair rf_out;           /* the resident RF psum tile */
    bool rf_out_has;
    uint32_t last_out;                  /* last node that moved psums into the GLB */
    uint32_t prev_join;
    struct shape cache_step[CACHE], cache_glb[CACHE];
};

/* ---- nest ---- */

static void flatten(struct plan *p, const struct pesim_mapping *m)
{
    /* strides need every loop of a dim, spatial and RF included */
    struct { uint8_t dim; uint32_t bound; int pos; } all[4 * PESIM_MAX_LOOPS];
    int na = 0;
    for (unsigned lv = 0; lv < 2; lv++)
        for (unsigned i = 0; i < m->ntemporal[lv]; i++)
            if (m->temporal[lv][i].bound > 1) {
                all[na].dim = m->temporal[lv][i].dim;
                all[na].bound = m->temporal[lv][i].bound;
                all[na++].pos = p->n;
                p->dim[p->n] = m->temporal[lv][i].dim;
                p->bound[p->n++] = m->temporal[lv][i].bound;
                if (lv == PESIM_LEVEL_DRAM)
                    p->ndram = p->n;
            }
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        p->tile_step[d] = 1;
    for (unsigned i = 0; i < m->nspatial[PESIM_LEVEL_GLB]; i++)
        p->tile_step[m->spatial[PESIM_LEVEL_GLB][i].dim] *= m->spatial[PESIM_LEVEL_GLB][i].bound;
    for (unsigned i = 0; i < m->ntemporal[PESIM_LEVEL_RF]; i++)
        p->tile_step[m->temporal[PESIM_LEVEL_RF][i].dim] *= m->temporal[PESIM_LEVEL_RF][i].bound;
    uint64_t inner[PESIM_DIM_COUNT];
    memcpy(inner, p->tile_step, sizeof inner);
    for (int i = na - 1; i >= 0; i--) {
        p->stride[all[i].pos] = inner[all[i].dim];
        inner[all[i].dim] *= all[i].bound;
    }
    memcpy(p->tile_glb, p->tile_step, sizeof p->tile_glb);
    for (unsigned i = 0; i < m->ntemporal[PESIM_LEVEL_GLB]; i++)
        p->tile_glb[m->temporal[PESIM_LEVEL_GLB][i].dim] *= m->temporal[PESIM_LEVEL_GLB][i].bound;
}

/* The refetch loops of ds into a child (model.md §4): temporal loops above
 * the child from the innermost relevant one outward; all of them for the
 * MAC. */
static uint64_t refetch(const struct plan *p, enum pesim_ds ds, int child)
{
    int above = child == PESIM_LEVEL_GLB ? p->ndram : p->n;
    if (child == PESIM_LEVEL_MAC)
        return above ? (UINT64_C(1) << above) - 1 : 0;
    for (int i = above - 1; i >= 0; i--)
        if (pesim_dim_relevant(ds, p->dim[i]))
            return (UINT64_C(2) << i) - 1;
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

/* Extents of the current step's tile (upto = n) or GLB period (upto = ndram). */
static void extents(const struct plan *p, const struct pesim_layer *l, int upto,
                    const uint64_t *tile, uint64_t *ext)
{
    uint64_t o[PESIM_DIM_COUNT] = {0};
    for (int i = 0; i < upto; i++)
        o[p->dim[i]] += p->digit[i] * p->stride[i];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        uint64_t left = l->dim[d] - o[d];
        ext[d] = tile[d] < left ? tile[d] : left;
    }
}

/* Pair words of a sub-nest shape, cached by its extents. */
static const struct shape *shape_of(struct run *r, struct shape *cache,
                                    const struct pesim_mapping *m, const uint64_t *ext,
                                    bool glb)
{
    uint64_t h = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        h = h * 1000003u + ext[d];
    struct shape *s = &cache[h % CACHE];
    if (s->valid && memcmp(s->ext, ext, sizeof s->ext) == 0)
        return s;
    memset(s, 0, sizeof *s);
    memcpy(s->ext, ext, sizeof s->ext);
    struct pesim_layer sub = *r->layer;
    memcpy(sub.dim, ext, sizeof sub.dim);
    struct plan *p = r->plan;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        for (int k = 0; k + 1 < p->nchain[ds]; k++) {
            int parent = p->chain[ds][k], child = p->chain[ds][k + 1];
            if ((child == PESIM_LEVEL_GLB) != glb)
                continue;
            if (pesim_map_pair(r->arch, &sub, m, ds, parent, child, &s->pair[ds][child]))
                r->error = PESIM_E_SIM;
        }
    if (!glb) {
        struct pesim_analysis a;
        if (pesim_map_analyze(r->arch, &sub, m, &a))
            r->error = PESIM_E_SIM;
        s->cycles = a.ideal_cycles;
        s->macs = a.macs;
    }
    s->valid = true;
    return s;
}

/* ---- emitting nodes ---- */

static struct node *new_node(struct run *r, uint8_t kind, uint64_t now)
{
    uint32_t id = ++r->next_id;
    struct node *n = node_get(r, id);
    memset(n, 0, sizeof *n);
    n->id = id;
    n->kind = kind;
    n->issue = now;
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
    n->res[n->nres] = res;
    n->work[n->nres++] = work;
}

static uint64_t dram_work(const struct run *r, enum pesim_ds ds, uint64_t words)
{
    return (words * r->rs.bytes[ds]) << PESIM_DRAM_FP;
}

/* A transfer of `words` of ds from level `from` to level `to` (a level, or
 * the array side: RF or PESIM_LEVEL_MAC, reached over the NoC). The words
 * are the parent-side count: a multicast or a reduced psum occupies each
 * resource once. */
static struct node *transfer(struct run *r, enum pesim_ds ds, int from, int to,
                             uint64_t words, uint64_t now)
{
    struct node *n = new_node(r, NODE_XFER, now);
    const struct resources *rs = &r->rs;
    int ends[2] = {from, to};
    for (int k = 0; k < 2; k++) {
        int lv = ends[k];
        if (lv == PESIM_LEVEL_DRAM)
            path(n, rs->dram, dram_work(r, ds, words));
        else if (lv == PESIM_LEVEL_GLB) {
            path(n, rs->glb[ds], words);
            path(n, k == 0 ? rs->glb_read : rs->glb_write, 1);
        } else /* RF or MAC: the array side, over the NoC */
            path(n, rs->noc[ds], words);
    }
    if (from == PESIM_LEVEL_DRAM)
        n->latency = rs->dram_latency;
    n->dram_write = to == PESIM_LEVEL_DRAM;
    n->ds = (uint8_t)ds;
    n->from = (int8_t)from;
    n->to = (int8_t)to;
    n->words = words;
    return n;
}

static uint32_t emit(struct run *r, struct node *n)
{
    r->ops->issue(r, n);
    return n->id;
}

static uint64_t mac_pipe(const struct run *r)
{
    uint32_t lat = r->arch->pe_array.mac_latency_cycles;
    return lat > 1 ? lat - 1 : 0;
}

/* Drain the resident RF psums to their parent. */
static void drain_rf(struct run *r, uint64_t now)
{
    struct plan *p = r->plan;
    if (!p->rf_out_has || p->rf_out.sent == 0)
        return;
    struct node *n = transfer(r, PESIM_DS_OUTPUTS, PESIM_LEVEL_RF, p->rf_out.parent,
                              p->rf_out.sent, now);
    dep(n, p->prev_join, (uint32_t)mac_pipe(r), false);
    p->last_out = emit(r, n);
    p->rf_out_has = false;
}

/* Write the GLB psum tile back to DRAM. */
static void writeback(struct run *r, uint64_t now)
{
    struct plan *p = r->plan;
    enum pesim_ds o = PESIM_DS_OUTPUTS;
    if (!p->glb_has[o] || p->glb_words[o] == 0)
        return;
    struct node *n = transfer(r, o, PESIM_LEVEL_GLB, PESIM_LEVEL_DRAM, p->glb_words[o], now);
    dep(n, p->prev_join, (uint32_t)mac_pipe(r), false);
    dep(n, p->last_out, 0, false);
    p->glb_fill[o] = emit(r, n);
    p->glb_has[o] = false;
}

static void account(struct run *r, enum pesim_ds ds, struct pesim_pair pr, bool first)
{
    if (ds == PESIM_DS_OUTPUTS && !first)
        pr.first = 0;
    pesim_map_account(ds, &pr, &r->counts);
}

/* GLB tiles of the step (model.md §8.3, 1). */
static void glb_tiles(struct run *r, const struct shape *g, uint64_t now)
{
    struct plan *p = r->plan;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        if (p->nchain[ds] < 2 || p->chain[ds][1] != PESIM_LEVEL_GLB ||
            !changed(p, p->refetch[ds][PESIM_LEVEL_GLB]))
            continue;
        struct pesim_pair pr = g->pair[ds][PESIM_LEVEL_GLB];
        bool first = all_zero(p, p->refetch[ds][PESIM_LEVEL_GLB] & p->out_irrelevant);
        account(r, ds, pr, first);
        if (ds == PESIM_DS_OUTPUTS)
            writeback(r, now);
        uint64_t words = ds == PESIM_DS_OUTPUTS && first ? 0 : pr.per_pe;
        p->glb_words[ds] = pr.per_pe;
        p->glb_has[ds] = true;
        if (!words)
            continue;
        struct node *n = transfer(r, ds, PESIM_LEVEL_DRAM, PESIM_LEVEL_GLB, words, now);
        if (!r->arch->glb.double_buffer)
            dep(n, p->prev_join, 0, false);
        dep(n, p->glb_fill[ds], 0, false); /* the write-back, for outputs */
        p->glb_fill[ds] = emit(r, n);
    }
}

/* RF tiles of the step (§8.3, 2); returns the nodes compute waits for. */
static int rf_tiles(struct run *r, const struct shape *s, uint64_t now, uint32_t *wait)
{
    struct plan *p = r->plan;
    int nwait = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        int k = p->nchain[ds] - 2; /* the pair into the RF, if the RF keeps ds */
        if (p->chain[ds][k + 1] != PESIM_LEVEL_MAC || p->chain[ds][k] != PESIM_LEVEL_RF)
            continue;
        int parent = p->chain[ds][k - 1];
        if (!changed(p, p->refetch[ds][PESIM_LEVEL_RF]))
            continue;
        struct pesim_pair pr = s->pair[ds][PESIM_LEVEL_RF];
        bool first = all_zero(p, p->refetch[ds][PESIM_LEVEL_RF] & p->out_irrelevant);
        account(r, ds, pr, first);
        uint64_t words = pr.sent;
        if (ds == PESIM_DS_OUTPUTS) {
            drain_rf(r, now);
            p->rf_out = pr;
            p->rf_out_has = true;
            if (first)
                continue;
        }
        if (!words)
            continue;
        struct node *n = transfer(r, ds, parent, PESIM_LEVEL_RF, words, now);
        dep(n, p->prev_join, 0, false);
        if (parent == PESIM_LEVEL_GLB)
            dep(n, p->glb_fill[ds], 0, false);
        if (ds == PESIM_DS_OUTPUTS)
            dep(n, p->last_out, 0, false);
        wait[nwait++] = emit(r, n);
    }
    return nwait;
}

/* Data spaces the RF bypasses stream during the compute (§8.3, 4). */
static int streams(struct run *r, const struct shape *s, uint32_t compute, uint64_t now,
                   uint32_t *wait)
{
    struct plan *p = r->plan;
    int nwait = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        int k = p->nchain[ds] - 2;
        int parent = p->chain[ds][k];
        struct pesim_pair pr = s->pair[ds][PESIM_LEVEL_MAC];
        bool first = all_zero(p, p->refetch[ds][PESIM_LEVEL_MAC] & p->out_irrelevant);
        account(r, ds, pr, first);
        if (parent == PESIM_LEVEL_RF)
            continue; /* RF -> MAC is part of the compute */
        uint64_t up = 0, down = pr.sent;
        if (ds == PESIM_DS_OUTPUTS) {
            up = pr.collapse || !pr.crossing ? pr.sent : pr.per_pe;
            down = pr.collapse || !pr.crossing ? pr.sent - (first ? pr.first : 0) : 0;
        }
        if (down) {
            struct node *n = transfer(r, ds, parent, PESIM_LEVEL_MAC, down, now);
            dep(n, compute, 0, true);
            if (parent == PESIM_LEVEL_GLB)
                dep(n, p->glb_fill[ds], 0, false);
            wait[nwait++] = emit(r, n);
        }
        if (up) {
            struct node *n = transfer(r, ds, PESIM_LEVEL_MAC, parent, up, now);
            dep(n, compute, 0, true);
            if (parent == PESIM_LEVEL_GLB)
                dep(n, p->glb_fill[ds], 0, false);
            p->last_out = wait[nwait++] = emit(r, n);
        }
    }
    return nwait;
}

static uint32_t finish(struct run *r, uint64_t now)
{
    struct plan *p = r->plan;
    drain_rf(r, now);
    writeback(r, now);
    struct node *end = new_node(r, NODE_JOIN, now);
    dep(end, p->prev_join, (uint32_t)mac_pipe(r), false);
    dep(end, p->last_out, 0, false);
    dep(end, p->glb_fill[PESIM_DS_OUTPUTS], 0, false);
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
    uint64_t ext[PESIM_DIM_COUNT];
    extents(p, r->layer, p->ndram, p->tile_glb, ext);
    const struct shape *g = shape_of(r, p->cache_glb, &p->glb_map, ext, true);
    glb_tiles(r, g, now);
    extents(p, r->layer, p->n, p->tile_step, ext);
    const struct shape *s = shape_of(r, p->cache_step, &p->step_map, ext, false);
    uint32_t wait[8];
    int nwait = rf_tiles(r, s, now, wait);

    struct node *c = new_node(r, NODE_COMPUTE, now);
    c->work[0] = s->cycles;
    r->counts.macs += s->macs;
    dep(c, p->prev_join, 0, false);
    for (int i = 0; i < nwait; i++)
        dep(c, wait[i], 0, false);
    /* operands streamed from the GLB need their tile there first */
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (p->chain[ds][p->nchain[ds] - 2] == PESIM_LEVEL_GLB)
            dep(c, p->glb_fill[ds], 0, false);
    uint32_t compute = emit(r, c);

    nwait = streams(r, s, compute, now, wait);
    struct node *j = new_node(r, NODE_JOIN, now);
    dep(j, compute, 0, false);
    for (int i = 0; i < nwait; i++)
        dep(j, wait[i], 0, false);
    p->prev_join = emit(r, j);
    memcpy(p->prev, p->digit, sizeof p->prev);
    p->started = true;
    return compute;
}

int pesim_plan_init(struct run *r)
{
    struct plan *p = calloc(1, sizeof *p);
    if (!p)
        return PESIM_E_NOMEM;
    r->plan = p;
    flatten(p, r->map);
    p->step_map = *r->map;
    p->step_map.ntemporal[PESIM_LEVEL_DRAM] = p->step_map.ntemporal[PESIM_LEVEL_GLB] = 0;
    p->glb_map = *r->map;
    p->glb_map.ntemporal[PESIM_LEVEL_DRAM] = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        p->nchain[ds] = pesim_map_chain(r->arch, r->map, ds, p->chain[ds]);
        for (int c = PESIM_LEVEL_GLB; c <= PESIM_LEVEL_MAC; c++)
            p->refetch[ds][c] = refetch(p, ds, c);
    }
    for (int i = 0; i < p->n; i++)
        if (!pesim_dim_relevant(PESIM_DS_OUTPUTS, p->dim[i]))
            p->out_irrelevant |= UINT64_C(1) << i;
    return 0;
}

void pesim_plan_free(struct run *r)
{
    free(r->plan);
    r->plan = NULL;
}
