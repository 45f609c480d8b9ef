/* The search over the whole mapspace (dataflows/mapspace.h;
 * docs/dataflows.md, "The whole mapspace").
 *
 * Small spaces are enumerated whole: every factorization of every dim
 * over its open slots (spatial ones within their axis' size), every
 * bypass choice, and, for each that fits the buffers (capacity does not
 * depend on the loop order), every order of each level's loops.
 *
 * Larger ones are searched by local search from several start points,
 * deterministic: the first start keeps every free factor at its home slot
 * (the outermost level that may iterate the dim: tiles of one element fit
 * anything); the others put each prime factor in a random open slot
 * (a fixed-seed generator per start) and move factors home until it fits.
 * From each start, every round tries every move — a prime factor of a dim
 * from one slot to another, two loops of a level swapped, one bypass
 * choice flipped — and takes the best that improves the objective, until
 * none does. Every legal mapping evaluated is offered to the caller's top.
 * Starts run on worker threads; their tops are merged in start order, so
 * the result does not depend on the thread count. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dataflows/mapspace.h"
#include "dataflows/pairs.h"

#define MS_STARTS 8
#define MS_PAD_STARTS 4
#define MS_MAX_STEPS 4096
#define MS_REPAIR_STEPS 256

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

static bool dim_ordered(const struct pesim_level_rules *r, unsigned d)
{
    for (unsigned i = 0; i < r->norder; i++)
        if (r->order[i] == d)
            return true;
    return false;
}

/* ---- the space ---------------------------------------------------------- */

static void add_slot(struct ms_space *sp, unsigned lv, enum ms_kind k)
{
    const struct pesim_arch *a = sp->arch;
    const struct pesim_level_rules *r = &a->level[lv].rules;
    unsigned s = sp->nslots++;
    sp->slot[s] = (struct ms_slot){(uint8_t)lv, (uint8_t)k};
    sp->cap[s] = k == MS_X ? a->level[lv].fanout.cols : k == MS_Y ? a->level[lv].fanout.rows : 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        if (k == MS_TEMPORAL) {
            sp->fixed[d][s] = r->factor[d];
        } else {
            unsigned axis = k == MS_X ? PESIM_AXIS_X : PESIM_AXIS_Y;
            unsigned other = axis == PESIM_AXIS_X ? PESIM_AXIS_Y : PESIM_AXIS_X;
            bool here = !(r->no_axis[d] & (1u << axis));
            bool there = !(r->no_axis[d] & (1u << other));
            if (!here || sp->cap[s] < 2)
                sp->fixed[d][s] = 1;
            else if (r->spatial_factor[d] && !there)
                sp->fixed[d][s] = r->spatial_factor[d];
            else if (r->spatial_factor[d] == 1)
                sp->fixed[d][s] = 1;
        }
        sp->open[d][s] = sp->fixed[d][s] == 0;
    }
}

static unsigned factorize(uint32_t q, uint32_t *p)
{
    unsigned n = 0;
    for (uint32_t f = 2; (uint64_t)f * f <= q; f++)
        while (q % f == 0) {
            p[n++] = f;
            q /= f;
        }
    if (q > 1)
        p[n++] = q;
    return n;
}

int ms_space_init(struct ms_space *sp, const struct pesim_arch *arch,
                  const struct pesim_layer *l, char *why, size_t why_size)
{
    memset(sp, 0, sizeof *sp);
    sp->arch = arch;
    sp->l = l;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        add_slot(sp, lv, MS_TEMPORAL);
        if (pesim_arch_has_fanout(arch, lv)) {
            add_slot(sp, lv, MS_X);
            add_slot(sp, lv, MS_Y);
        }
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            sp->free_bypass[lv][ds] = lv > 0 && arch->level[lv].holds[ds] &&
                                      !arch->level[lv].rules.keep[ds];
    }
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        uint64_t fixed = 1;
        sp->home[d] = -1;
        for (unsigned s = 0; s < sp->nslots; s++) {
            if (sp->fixed[d][s] > 1)
                fixed *= sp->fixed[d][s];
            if (sp->open[d][s] && sp->home[d] < 0 && sp->slot[s].kind == MS_TEMPORAL)
                sp->home[d] = (int)s;
            if (sp->cap[s] && sp->fixed[d][s] > sp->cap[s]) {
                snprintf(why, why_size, "the constraints fix %s to %u over a fan-out of %u "
                         "along that axis", pesim_dim_name((enum pesim_dim)d),
                         sp->fixed[d][s], sp->cap[s]);
                return PESIM_E_NOMAP;
            }
            if (fixed > UINT32_MAX)
                fixed = UINT32_MAX;
        }
        uint64_t q = div_up(l->dim[d], fixed);
        if (q > UINT32_MAX) {
            snprintf(why, why_size, "%s is too large", pesim_dim_name((enum pesim_dim)d));
            return PESIM_E_NOMAP;
        }
        sp->q[d] = (uint32_t)q;
        sp->nprime[d] = factorize(sp->q[d], sp->prime[d]);
        if (sp->home[d] < 0)
            for (unsigned s = 0; s < sp->nslots && sp->home[d] < 0; s++)
                if (sp->open[d][s])
                    sp->home[d] = (int)s;
        if (sp->q[d] > 1 && sp->home[d] < 0) {
            snprintf(why, why_size, "the constraints fix every factor of %s, to %llu of its "
                     "%llu", pesim_dim_name((enum pesim_dim)d), (unsigned long long)fixed,
                     (unsigned long long)l->dim[d]);
            return PESIM_E_NOMAP;
        }
    }
    return 0;
}

/* The point with every free factor at home, dims in enum order, each
 * level keeping only what it must (the smallest tiles there are). */
static void home_point(const struct ms_space *sp, struct ms_point *p)
{
    memset(p, 0, sizeof *p);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        for (unsigned s = 0; s < sp->nslots; s++)
            p->f[d][s] = sp->open[d][s] ? 1 : sp->fixed[d][s];
        if (sp->home[d] >= 0)
            p->f[d][sp->home[d]] = sp->q[d];
    }
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++) {
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            p->perm[lv][d] = (uint8_t)d;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            p->bypass[lv][ds] = sp->free_bypass[lv][ds];
    }
}

bool ms_point_mapping(const struct ms_space *sp, const struct ms_point *p,
                      struct pesim_mapping *m)
{
    const struct pesim_arch *a = sp->arch;
    memset(m, 0, sizeof *m);
    if (a->general)
        m->nlevels = a->nlevels;
    for (unsigned s = 0; s < sp->nslots; s++) {
        const struct ms_slot *sl = &sp->slot[s];
        if (sl->kind == MS_TEMPORAL) {
            const struct pesim_level_rules *r = &a->level[sl->lv].rules;
            for (unsigned i = 0; i < PESIM_DIM_COUNT; i++) {
                unsigned d = p->perm[sl->lv][i];
                if (p->f[d][s] > 1 && !dim_ordered(r, d))
                    pesim_mapping_add_temporal(m, sl->lv, d, p->f[d][s]);
            }
            for (unsigned i = 0; i < r->norder; i++) {
                unsigned d = r->order[i];
                if (p->f[d][s] > 1)
                    pesim_mapping_add_temporal(m, sl->lv, d, p->f[d][s]);
            }
            continue;
        }
        uint64_t prod = 1;
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            if (p->f[d][s] > 1) {
                prod *= p->f[d][s];
                pesim_mapping_add_spatial(m, sl->lv, d, p->f[d][s],
                                          sl->kind == MS_X ? PESIM_AXIS_X : PESIM_AXIS_Y);
            }
        if (prod > sp->cap[s])
            return false;
    }
    /* a fixed spatial factor over two open axes: their product */
    for (unsigned lv = 0; lv < a->nlevels; lv++) {
        const struct pesim_level_rules *r = &a->level[lv].rules;
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
            if (!r->spatial_factor[d] || !a->level[lv].fanout.rows || !a->level[lv].fanout.cols)
                continue;
            uint64_t prod = 1;
            for (unsigned s = 0; s < sp->nslots; s++)
                if (sp->slot[s].lv == lv && sp->slot[s].kind != MS_TEMPORAL)
                    prod *= p->f[d][s];
            if (prod != r->spatial_factor[d])
                return false;
        }
    }
    for (unsigned lv = 1; lv < a->nlevels; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            m->bypass[lv][ds] = !a->level[lv].holds[ds] ||
                                (sp->free_bypass[lv][ds] && p->bypass[lv][ds]);
    return true;
}

/* ---- evaluation --------------------------------------------------------- */

struct worker {
    const struct ms_space *sp;
    enum pesim_objective obj;
    struct df_top *top; /* the current start's */
    uint64_t evaluated, legal;
    uint64_t rng;
    unsigned first, step, nstarts; /* starts first, first + step, ... */
    unsigned base;                 /* the number of its start 0 */
    struct df_top *tops;           /* one per start */
    struct move *moves;            /* the scan's, MS_MOVES_MAX */
    unsigned nmoves;
};

/* Score a point; false when it is not a legal mapping. */
static bool eval(struct worker *w, const struct ms_point *p, struct df_score *s)
{
    struct pesim_mapping m;
    if (!ms_point_mapping(w->sp, p, &m))
        return false;
    const struct pesim_arch *a = w->sp->arch;
    if (a->general && !pesim_map_steps_countable(a, &m))
        return false;
    struct pesim_analysis an;
    w->evaluated++;
    if (pesim_map_analyze(a, w->sp->l, &m, &an) || !an.fits)
        return false;
    w->legal++;
    *s = df_score_of(a, &an, w->obj);
    df_top_offer(w->top, &m, *s);
    return true;
}

/* How far a point is from fitting: the worst level over a limit, or -1. */
static int overflow_level(const struct worker *w, const struct ms_point *p)
{
    struct pesim_mapping m;
    struct pesim_analysis an;
    if (!ms_point_mapping(w->sp, p, &m) || pesim_map_analyze(w->sp->arch, w->sp->l, &m, &an))
        return 0;
    if (an.fits)
        return -1;
    struct pesim_overage o;
    pesim_map_overage(w->sp->arch, &an, &o);
    return (int)o.worst;
}

/* ---- the heuristic ------------------------------------------------------ */

static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Move one prime p of dim d from slot a to slot b. */
static bool move_prime(const struct ms_space *sp, struct ms_point *pt, unsigned d, unsigned a,
                       unsigned b, uint32_t p)
{
    if (a == b || !sp->open[d][a] || !sp->open[d][b] || pt->f[d][a] % p)
        return false;
    pt->f[d][a] /= p;
    pt->f[d][b] *= p;
    return true;
}

/* The slot's loops span part of level lv's tile: its own temporal loops,
 * its fan-out's and everything below. */
static bool inside(const struct ms_space *sp, unsigned s, unsigned lv)
{
    return sp->slot[s].lv >= lv;
}

static void random_point(struct worker *w, struct ms_point *p)
{
    const struct ms_space *sp = w->sp;
    home_point(sp, p);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        if (sp->home[d] < 0)
            continue;
        unsigned open[MS_SLOTS], n = 0;
        for (unsigned s = 0; s < sp->nslots; s++)
            if (sp->open[d][s])
                open[n++] = s;
        for (unsigned i = 0; i < sp->nprime[d]; i++)
            move_prime(sp, p, d, (unsigned)sp->home[d], open[next_rand(&w->rng) % n],
                       sp->prime[d][i]);
    }
    for (unsigned lv = 0; lv < sp->arch->nlevels; lv++) {
        for (unsigned i = PESIM_DIM_COUNT - 1; i > 0; i--) {
            unsigned j = (unsigned)(next_rand(&w->rng) % (i + 1));
            uint8_t t = p->perm[lv][i];
            p->perm[lv][i] = p->perm[lv][j];
            p->perm[lv][j] = t;
        }
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            p->bypass[lv][ds] = sp->free_bypass[lv][ds] && (next_rand(&w->rng) & 1);
    }
    /* spatial sizes, then buffers: move factors home until legal */
    struct pesim_mapping m;
    for (unsigned step = 0; step < MS_REPAIR_STEPS; step++) {
        bool spatial = !ms_point_mapping(sp, p, &m);
        int lv = spatial ? 0 : overflow_level(w, p);
        if (lv < 0)
            return;
        /* the first slot (innermost first) holding a movable prime */
        bool moved = false;
        for (int s = (int)sp->nslots - 1; s >= 0 && !moved; s--) {
            bool want = spatial ? sp->cap[s] > 0 : inside(sp, (unsigned)s, (unsigned)lv);
            for (unsigned d = 0; d < PESIM_DIM_COUNT && want && !moved; d++)
                for (unsigned i = 0; i < sp->nprime[d] && !moved; i++)
                    if (sp->home[d] != s)
                        moved = move_prime(sp, p, d, (unsigned)s, (unsigned)sp->home[d],
                                           sp->prime[d][i]);
        }
        if (!moved && !spatial)
            /* every factor home and still over: keep less there */
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                if (sp->free_bypass[lv][ds] && !p->bypass[lv][ds]) {
                    p->bypass[lv][ds] = true;
                    moved = true;
                }
        if (!moved)
            return;
    }
}

/* Local search from p: each round scans the moves in a fixed order and
 * takes the first that improves the score (from where the last round's
 * move was, so that every move gets its turn); it ends when a whole scan
 * finds none. */

/* The moves of the scan, in a fixed order: a distinct prime of a dim from
 * one open slot to another, two loops of a level swapped, a bypass
 * flipped. */
struct move {
    uint8_t kind, d, a, b; /* factor: dim, from, to; swap: slot, i, j; bypass: lv, ds */
    uint32_t prime;
};
enum { MOVE_FACTOR, MOVE_SWAP, MOVE_BYPASS };
/* at most 9 distinct primes divide a 32-bit number */
#define MS_MOVES_MAX                                                                \
    (PESIM_DIM_COUNT * 9 * MS_SLOTS * MS_SLOTS + MS_SLOTS * PESIM_DIM_COUNT * PESIM_DIM_COUNT + \
     PESIM_LEVELS_MAX * PESIM_DS_COUNT)

static unsigned moves_of(const struct ms_space *sp, struct move *mv)
{
    unsigned n = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        for (unsigned i = 0; i < sp->nprime[d]; i++) {
            if (i > 0 && sp->prime[d][i] == sp->prime[d][i - 1])
                continue;
            for (unsigned a = 0; a < sp->nslots; a++)
                for (unsigned b = 0; b < sp->nslots; b++)
                    if (a != b && sp->open[d][a] && sp->open[d][b])
                        mv[n++] = (struct move){MOVE_FACTOR, (uint8_t)d, (uint8_t)a,
                                                (uint8_t)b, sp->prime[d][i]};
        }
    for (unsigned sl = 0; sl < sp->nslots; sl++)
        if (sp->slot[sl].kind == MS_TEMPORAL)
            for (unsigned i = 0; i < PESIM_DIM_COUNT; i++)
                for (unsigned j = i + 1; j < PESIM_DIM_COUNT; j++)
                    mv[n++] = (struct move){MOVE_SWAP, (uint8_t)sl, (uint8_t)i, (uint8_t)j, 0};
    for (unsigned lv = 0; lv < sp->arch->nlevels; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (sp->free_bypass[lv][ds])
                mv[n++] = (struct move){MOVE_BYPASS, (uint8_t)lv, (uint8_t)ds, 0, 0};
    return n;
}

/* Apply a move to a copy of p; false (c untouched) when it is no move of
 * p (the prime does not divide the factor, a loop is not there). */
static bool apply(const struct ms_space *sp, const struct ms_point *p, const struct move *mv,
                  struct ms_point *c)
{
    switch (mv->kind) {
    case MOVE_FACTOR:
        if (p->f[mv->d][mv->a] % mv->prime)
            return false;
        *c = *p;
        return move_prime(sp, c, mv->d, mv->a, mv->b, mv->prime);
    case MOVE_SWAP: {
        unsigned lv = sp->slot[mv->d].lv;
        if (p->f[p->perm[lv][mv->a]][mv->d] < 2 || p->f[p->perm[lv][mv->b]][mv->d] < 2)
            return false;
        *c = *p;
        uint8_t t = c->perm[lv][mv->a];
        c->perm[lv][mv->a] = c->perm[lv][mv->b];
        c->perm[lv][mv->b] = t;
        return true;
    }
    default:
        *c = *p;
        c->bypass[mv->d][mv->a] = !c->bypass[mv->d][mv->a];
        return true;
    }
}

/* Local search from p: the moves are scanned round and round, the first
 * that improves the score is taken, from where the scan stands (so every
 * move gets its turn); it ends when a whole turn finds none. */
static void climb(struct worker *w, struct ms_point *p)
{
    const struct ms_space *sp = w->sp;
    struct df_score cur;
    if (!eval(w, p, &cur))
        return;
    unsigned nmoves = w->nmoves;
    unsigned k = 0, since = 0, steps = 0;
    while (nmoves && since < nmoves && steps < MS_MAX_STEPS) {
        struct ms_point c;
        struct df_score s;
        if (apply(sp, p, &w->moves[k], &c) && eval(w, &c, &s) && df_better(s, cur)) {
            *p = c;
            cur = s;
            since = 0;
            steps++;
        } else {
            since++;
        }
        k = (k + 1) % nmoves;
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    w->moves = malloc(MS_MOVES_MAX * sizeof *w->moves);
    w->nmoves = w->moves ? moves_of(w->sp, w->moves) : 0;
    for (unsigned k = w->first; k < w->nstarts; k += w->step) {
        struct ms_point p;
        w->rng = 0x5eed0000u + w->base + k;
        w->top = &w->tops[w->base + k];
        if (k == 0)
            home_point(w->sp, &p);
        else
            random_point(w, &p);
        climb(w, &p);
    }
    free(w->moves);
    w->moves = NULL;
    return NULL;
}

/* ---- exhaustive --------------------------------------------------------- */

/* Every factorization of q over a dim's open slots (each a divisor of what
 * is left, the last taking the rest), spatial ones within their axis. */
struct factorings {
    size_t n, cap;
    uint32_t (*f)[MS_SLOTS];
};

static void factorings_gen(const struct ms_space *sp, unsigned d, unsigned s, uint32_t left,
                           uint32_t *cur, struct factorings *out, size_t limit)
{
    if (out->n > limit)
        return;
    unsigned next = s;
    while (next < sp->nslots && !sp->open[d][next])
        next++;
    if (next == sp->nslots) {
        if (left != 1)
            return;
        if (out->n < out->cap)
            memcpy(out->f[out->n], cur, sizeof out->f[0]);
        out->n++;
        return;
    }
    for (uint32_t v = 1; v <= left; v++) {
        if (left % v)
            continue;
        if (sp->cap[next] && v > sp->cap[next])
            break;
        cur[next] = v;
        factorings_gen(sp, d, next + 1, left / v, cur, out, limit);
        cur[next] = 1;
    }
}

static double factorial(unsigned k)
{
    double f = 1;
    for (unsigned i = 2; i <= k; i++)
        f *= i;
    return f;
}

/* The loops of a level the order leaves free to permute. */
static unsigned free_loops(const struct ms_space *sp, const struct ms_point *p, unsigned s,
                           uint8_t *dims)
{
    const struct pesim_level_rules *r = &sp->arch->level[sp->slot[s].lv].rules;
    unsigned n = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if (p->f[d][s] > 1 && !dim_ordered(r, d))
            dims[n++] = (uint8_t)d;
    return n;
}

static bool next_perm(uint8_t *a, unsigned n)
{
    if (n < 2)
        return false;
    unsigned i = n - 1;
    while (i > 0 && a[i - 1] >= a[i])
        i--;
    if (i == 0) {
        for (unsigned lo = 0, hi = n - 1; lo < hi; lo++, hi--) {
            uint8_t t = a[lo];
            a[lo] = a[hi];
            a[hi] = t;
        }
        return false;
    }
    unsigned j = n - 1;
    while (a[j] <= a[i - 1])
        j--;
    uint8_t t = a[i - 1];
    a[i - 1] = a[j];
    a[j] = t;
    for (unsigned lo = i, hi = n - 1; lo < hi; lo++, hi--) {
        t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
    }
    return true;
}

/* Every order of every level's free loops of p's factors and bypass. */
static void all_orders(struct worker *w, struct ms_point *p)
{
    const struct ms_space *sp = w->sp;
    uint8_t dims[PESIM_LEVELS_MAX][PESIM_DIM_COUNT];
    unsigned n[PESIM_LEVELS_MAX] = {0}, lvs[PESIM_LEVELS_MAX], nl = 0;
    for (unsigned s = 0; s < sp->nslots; s++)
        if (sp->slot[s].kind == MS_TEMPORAL) {
            unsigned lv = sp->slot[s].lv;
            n[lv] = free_loops(sp, p, s, dims[lv]);
            lvs[nl++] = lv;
        }
    for (;;) {
        for (unsigned i = 0; i < nl; i++) {
            unsigned lv = lvs[i];
            memcpy(p->perm[lv], dims[lv], n[lv]);
            /* the rest after them, in enum order (no loop there) */
            unsigned k = n[lv];
            for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
                bool in = false;
                for (unsigned j = 0; j < n[lv]; j++)
                    in |= dims[lv][j] == d;
                if (!in)
                    p->perm[lv][k++] = (uint8_t)d;
            }
        }
        struct df_score s;
        (void)eval(w, p, &s);
        unsigned i = 0;
        while (i < nl && !next_perm(dims[lvs[i]], n[lvs[i]]))
            i++;
        if (i == nl)
            return;
    }
}

/* The whole space: its exact size into *size; false when it has more
 * than MS_EXHAUSTIVE_LIMIT mappings (then nothing was evaluated). */
static bool exhaustive(struct worker *w, double *size, bool whatever_size)
{
    const struct ms_space *sp = w->sp;
    const size_t limit = whatever_size ? SIZE_MAX / 2 : (size_t)MS_EXHAUSTIVE_LIMIT;
    struct factorings fs[PESIM_DIM_COUNT];
    bool ok = true;
    double upper = 1;
    unsigned nbyp = 0;
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            nbyp += sp->free_bypass[lv][ds];
    memset(fs, 0, sizeof fs);
    for (unsigned d = 0; d < PESIM_DIM_COUNT && ok; d++) {
        uint32_t cur[MS_SLOTS];
        for (unsigned s = 0; s < MS_SLOTS; s++)
            cur[s] = 1;
        factorings_gen(sp, d, 0, sp->q[d], cur, &fs[d], limit);
        if (fs[d].n > limit)
            ok = false;
        upper *= (double)fs[d].n;
        if (upper * ldexp(1, (int)nbyp) > MS_EXHAUSTIVE_LIMIT * 64 && !whatever_size)
            ok = false;
        if (ok) {
            fs[d].cap = fs[d].n;
            fs[d].f = malloc((fs[d].n ? fs[d].n : 1) * sizeof fs[d].f[0]);
            ok = fs[d].f != NULL;
            fs[d].n = 0;
            if (ok)
                factorings_gen(sp, d, 0, sp->q[d], cur, &fs[d], limit);
        }
    }
    /* count first, then evaluate only when small enough */
    size_t at[PESIM_DIM_COUNT] = {0};
    double total = 0;
    for (int pass = 0; pass < 2 && ok; pass++) {
        memset(at, 0, sizeof at);
        for (;;) {
            struct ms_point p;
            home_point(sp, &p);
            for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
                for (unsigned s = 0; s < sp->nslots; s++)
                    if (sp->open[d][s])
                        p.f[d][s] = fs[d].f[at[d]][s];
            struct pesim_mapping m;
            if (ms_point_mapping(sp, &p, &m)) {
                double orders = 1;
                for (unsigned s = 0; s < sp->nslots; s++)
                    if (sp->slot[s].kind == MS_TEMPORAL) {
                        uint8_t dims[PESIM_DIM_COUNT];
                        orders *= factorial(free_loops(sp, &p, s, dims));
                    }
                if (pass == 0) {
                    total += orders * ldexp(1, (int)nbyp);
                } else {
                    /* every bypass choice of the free bits */
                    for (uint64_t mask = 0; mask < (1ull << nbyp); mask++) {
                        unsigned bit = 0;
                        for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
                            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                                if (sp->free_bypass[lv][ds])
                                    p.bypass[lv][ds] = (mask >> bit++) & 1;
                        if (overflow_level(w, &p) >= 0) {
                            w->evaluated++;
                            continue;
                        }
                        all_orders(w, &p);
                    }
                }
            }
            int d = PESIM_DIM_COUNT - 1;
            while (d >= 0 && ++at[d] == fs[d].n)
                at[d--] = 0;
            if (d < 0)
                break;
        }
        if (pass == 0 && total > MS_EXHAUSTIVE_LIMIT && !whatever_size)
            ok = false;
    }
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        free(fs[d].f);
    *size = ok ? total : upper * ldexp(1, (int)nbyp);
    return ok;
}

/* ---- bounds and the entry point ----------------------------------------- */

static void bounds(const struct pesim_arch *a, const struct pesim_layer *l,
                   struct ms_report *rep)
{
    uint64_t macs = pesim_layer_macs(l), pes = pesim_arch_pes(a);
    rep->bound_cycles = div_up(macs, pes ? pes : 1);
    const struct pesim_level_cfg *dram = &a->level[0];
    rep->bound_energy =
        (double)macs * a->energy.mac +
        (double)pesim_layer_ds_words(l, PESIM_DS_WEIGHTS) * dram->read_energy *
            pesim_dram_ratio(a, l, PESIM_DS_WEIGHTS) +
        (double)pesim_layer_ds_words(l, PESIM_DS_OUTPUTS) * dram->write_energy *
            pesim_dram_ratio(a, l, PESIM_DS_OUTPUTS);
}

/* A heuristic space's size: every factorization count times every order
 * and bypass choice, without the spatial sizes (an upper bound). */
static double space_upper(const struct ms_space *sp)
{
    double total = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        unsigned open = 0;
        for (unsigned s = 0; s < sp->nslots; s++)
            open += sp->open[d][s];
        /* ordered factorizations of q into `open` factors: per distinct
         * prime of multiplicity e, C(e + open - 1, open - 1) */
        for (unsigned i = 0; i < sp->nprime[d];) {
            unsigned e = 1;
            while (i + e < sp->nprime[d] && sp->prime[d][i + e] == sp->prime[d][i])
                e++;
            double c = 1;
            for (unsigned k = 1; k <= e; k++)
                c = c * (open - 1 + k) / k;
            total *= c;
            i += e;
        }
    }
    for (unsigned s = 0; s < sp->nslots; s++)
        if (sp->slot[s].kind == MS_TEMPORAL) {
            unsigned k = 0;
            for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
                k += sp->open[d][s] && sp->q[d] > 1 &&
                     !dim_ordered(&sp->arch->level[sp->slot[s].lv].rules, d);
            total *= factorial(k);
        }
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            total *= sp->free_bypass[lv][ds] ? 2 : 1;
    return total;
}

/* Starts base .. base + n - 1 of the heuristic on `threads` workers
 * (start base + k into tops[base + k]). */
static void run_starts(const struct ms_space *sp, enum pesim_objective obj, unsigned base,
                       unsigned n, unsigned threads, struct df_top *tops, struct ms_report *rep)
{
    unsigned nt = threads ? threads : 1;
    if (nt > n)
        nt = n;
    struct worker w[MS_STARTS];
    pthread_t tid[MS_STARTS];
    bool started[MS_STARTS] = {false};
    if (nt > MS_STARTS)
        nt = MS_STARTS;
    for (unsigned t = 0; t < nt; t++) {
        w[t] = (struct worker){.sp = sp, .obj = obj, .first = t, .step = nt, .nstarts = n,
                               .base = base, .tops = tops};
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, work, &w[t]) == 0;
    }
    work(&w[0]);
    for (unsigned t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            work(&w[t]);
    }
    for (unsigned t = 0; t < nt; t++) {
        rep->evaluated += w[t].evaluated;
        rep->legal += w[t].legal;
    }
}

static uint32_t largest_prime(uint32_t q)
{
    uint32_t p[32];
    unsigned n = factorize(q, p);
    return n ? p[n - 1] : 1;
}

/* sp with every dim whose free part has a prime factor above 7 padded to
 * the next 7-smooth number within an eighth more (false when none is):
 * its loops then cover the dim with a partial last tile. */
static bool pad_space(const struct ms_space *sp, struct ms_space *out)
{
    *out = *sp;
    bool any = false;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        uint32_t q = sp->q[d];
        if (q < 2 || sp->home[d] < 0 || largest_prime(q) <= 7)
            continue;
        for (uint64_t v = q + 1; v <= q + q / 8 && v <= UINT32_MAX; v++)
            if (largest_prime((uint32_t)v) <= 7) {
                out->q[d] = (uint32_t)v;
                out->nprime[d] = factorize(out->q[d], out->prime[d]);
                any = true;
                break;
            }
    }
    return any;
}

int df_map_mapspace(const struct pesim_arch *arch, const struct pesim_layer *l,
                    enum pesim_objective obj, unsigned threads, struct df_top *top,
                    struct ms_report *rep)
{
    return df_map_mapspace_mode(arch, l, obj, MS_AUTO, threads, top, rep);
}

int df_map_mapspace_mode(const struct pesim_arch *arch, const struct pesim_layer *l,
                         enum pesim_objective obj, enum ms_mode mode, unsigned threads,
                         struct df_top *top, struct ms_report *rep)
{
    struct ms_report r0;
    if (!rep)
        rep = &r0;
    memset(rep, 0, sizeof *rep);
    bounds(arch, l, rep);
    struct ms_space *sp = malloc(sizeof *sp);
    if (!sp)
        return PESIM_E_NOMEM;
    int rc = ms_space_init(sp, arch, l, rep->why, sizeof rep->why);
    if (rc) {
        free(sp);
        return rc;
    }
    struct df_top *tops = calloc(MS_STARTS + MS_PAD_STARTS, sizeof *tops);
    if (!tops) {
        free(sp);
        return PESIM_E_NOMEM;
    }
    for (unsigned k = 0; k < MS_STARTS + MS_PAD_STARTS; k++)
        tops[k].cap = top->cap;
    struct worker one = {.sp = sp, .obj = obj, .top = &tops[0], .tops = tops};
    double size;
    unsigned nmerge = 1;
    if (mode != MS_HEURISTIC && exhaustive(&one, &size, mode == MS_ENUMERATE)) {
        rep->exhaustive = true;
        rep->space = size;
        rep->evaluated = one.evaluated;
        rep->legal = one.legal;
    } else {
        rep->space = space_upper(sp);
        run_starts(sp, obj, 0, MS_STARTS, threads, tops, rep);
        nmerge = MS_STARTS;
        /* partial tiles: the same search with the dims that factor badly
         * padded up to a nearby 7-smooth number (55 -> 56) */
        struct ms_space *padded = malloc(sizeof *padded);
        if (padded && pad_space(sp, padded)) {
            run_starts(padded, obj, MS_STARTS, MS_PAD_STARTS, threads, tops, rep);
            nmerge += MS_PAD_STARTS;
        }
        free(padded);
        rep->restarts = nmerge;
    }
    /* merged in start order, whatever thread ran which start: the tops'
     * tie rule (the earlier stays) then gives one answer */
    bool any = false;
    for (unsigned k = 0; k < nmerge; k++)
        for (size_t i = 0; i < tops[k].n; i++) {
            df_top_offer(top, &tops[k].m[i], tops[k].s[i]);
            any = true;
        }
    free(tops);
    free(sp);
    return any ? 0 : PESIM_E_NOMAP;
}
