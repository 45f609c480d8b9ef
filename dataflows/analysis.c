/* Closed-form analysis of a mapping. docs/model.md derives every formula;
 * the comments here say which rule a function implements. */
#include <math.h>
#include <string.h>

#include "common/dims.h"
#include "dataflows/pairs.h"
#include "pesim/analysis.h"

/* Loops of bound > 1 in the whole nest: positions are bits of a mask
 * (pesim_map_check refuses more). */
#define NEST_MAX PESIM_NEST_MAX

struct nest {
    uint8_t n;
    uint8_t nlevels;
    uint8_t dim[NEST_MAX];
    uint32_t bound[NEST_MAX];
    uint64_t stride[NEST_MAX]; /* product of the inner bounds of the same dim,
                                  saturated at UINT64_MAX */
    /* First position of each level's temporal loops (tstart[nlevels] = n:
     * the MAC) and of the spatial loops below it. */
    uint8_t tstart[PESIM_LEVELS_MAX + 1], sstart[PESIM_LEVELS_MAX];
    uint64_t spatial_mask;  /* positions of spatial loops */
    uint64_t temporal_mask; /* positions of temporal loops */
    uint64_t dim_mask[PESIM_DIM_COUNT];
    uint8_t dn[PESIM_DIM_COUNT];                 /* loops per dim */
    uint8_t dpos[PESIM_DIM_COUNT][NEST_MAX];     /* their positions, outer first */
};

/* Positions [0, k) as a mask; k may be 64. */
static uint64_t below(unsigned k) { return k >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << k) - 1; }

/* ---- Flattening: the nest and its per-dimension digits ---- */

static bool push(struct nest *nt, const struct pesim_loop *lp, bool spatial)
{
    if (lp->bound <= 1)
        return true;
    if (nt->n >= NEST_MAX)
        return false;
    uint8_t i = nt->n++;
    nt->dim[i] = lp->dim;
    nt->bound[i] = lp->bound;
    uint64_t bit = UINT64_C(1) << i;
    if (spatial)
        nt->spatial_mask |= bit;
    else
        nt->temporal_mask |= bit;
    nt->dim_mask[lp->dim] |= bit;
    nt->dpos[lp->dim][nt->dn[lp->dim]++] = i;
    return true;
}

static bool loops_valid(const struct pesim_loop *lp, unsigned n)
{
    for (unsigned i = 0; i < n && i < PESIM_MAX_LOOPS; i++)
        if (lp[i].bound == 0 || lp[i].dim >= PESIM_DIM_COUNT)
            return false;
    return true;
}

static int nest_build(const struct pesim_mapping *m, struct nest *nt)
{
    /* Only the counters and masks need clearing: the per-loop arrays are
     * written before they are read (the nest is rebuilt on every call, so
     * zeroing its 2 KB would dominate the analysis). */
    nt->n = 0;
    nt->spatial_mask = nt->temporal_mask = 0;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        nt->dim_mask[d] = 0;
        nt->dn[d] = 0;
    }
    unsigned nl = pesim_mapping_levels(m);
    if (nl > PESIM_LEVELS_MAX)
        return PESIM_E_INVALID;
    nt->nlevels = (uint8_t)nl;
    for (unsigned lv = 0; lv < nl; lv++) {
        if (!loops_valid(m->temporal[lv], m->ntemporal[lv]) ||
            !loops_valid(m->spatial[lv], m->nspatial[lv]))
            return PESIM_E_INVALID;
        nt->tstart[lv] = nt->n;
        for (unsigned i = 0; i < m->ntemporal[lv] && i < PESIM_MAX_LOOPS; i++)
            if (!push(nt, &m->temporal[lv][i], false))
                return PESIM_E_INVALID;
        nt->sstart[lv] = nt->n;
        for (unsigned i = 0; i < m->nspatial[lv] && i < PESIM_MAX_LOOPS; i++)
            if (!push(nt, &m->spatial[lv][i], true))
                return PESIM_E_INVALID;
    }
    nt->tstart[nl] = nt->n;

    /* Strides: a loop's weight within its dimension's mixed-radix index. */
    uint64_t inner[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        inner[d] = 1;
    for (int i = nt->n - 1; i >= 0; i--) {
        unsigned d = nt->dim[i];
        nt->stride[i] = inner[d];
        inner[d] = inner[d] > UINT64_MAX / nt->bound[i] ? UINT64_MAX
                                                          : inner[d] * nt->bound[i];
    }
    return 0;
}

/* Digit DP over the dim's masked loops, most significant first. `limit` is
 * the largest index still allowed. Once a digit is strictly below its top
 * value, every combination of the lower masked digits fits: their largest
 * index is below the digit's stride. */
static uint64_t nest_count(const struct nest *nt, unsigned dim, uint64_t mask,
                    uint64_t size)
{
    if (size == 0)
        return 0;
    uint64_t loops = nt->dim_mask[dim] & mask;
    if (loops == 0)
        return 1;
    if (loops == nt->dim_mask[dim]) /* all of them: every index, as they cover it */
        return size;
    uint32_t bound[NEST_MAX];
    uint64_t stride[NEST_MAX], rest[NEST_MAX + 1];
    int k = 0;
    for (int j = 0; j < nt->dn[dim]; j++) {
        int i = nt->dpos[dim][j];
        if (mask >> i & 1) {
            bound[k] = nt->bound[i];
            stride[k++] = nt->stride[i];
        }
    }
    rest[k] = 1;
    for (int j = k - 1; j >= 0; j--)
        rest[j] = rest[j + 1] * bound[j];
    uint64_t limit = size - 1, total = 0;
    for (int j = 0; j < k; j++) {
        uint64_t top = limit / stride[j];
        if (top >= bound[j]) /* every digit value fits, with any rest */
            return total + rest[j];
        total += top * rest[j + 1];
        limit -= top * stride[j];
    }
    return total + 1; /* the path that took the top digit throughout */
}

/* ---- Transfer counts ---- */

/* Where the tile of a transfer sits in the nest. The loops in `above`
 * iterate outside the tile; the rest span it. */
struct view {
    uint64_t above;   /* positions iterating over tiles */
    uint64_t refetch; /* temporal positions whose iterations bring a new tile */
};

/* A sliding window (model.md, "Sliding windows"): a tile of inputs brought
 * by one step of the loop `dim` (P, R, Q or S), `shift` indices of that dim
 * on from the previous tile of the same instance, moves only the rows (or
 * columns) that the previous tile did not hold. In the whole nest the loop
 * is there, with weight w (in tiles of dim) and bound b, and only tiles
 * whose digit of it is not 0 follow a previous one; in a step's sub-nest
 * (pesim_map_pair_slid) every tile does. */
struct slide {
    unsigned dim;
    uint64_t shift;
    uint64_t w, b;
    bool every;
};

/* Both stride and dilation above 1: rare, so count on a bitmap of the span
 * (kept off the fast path's stack frame). */
static __attribute__((noinline)) uint64_t proj_strided(uint64_t ep, uint64_t er,
                                                       uint64_t u, uint64_t dil)
{
    unsigned char seen[1u << 16];
    uint64_t span = (ep - 1) * u + (er - 1) * dil + 1;
    if (span > sizeof seen * 8)
        return ep * er < span ? ep * er : span; /* see model.md, "Limits" */
    memset(seen, 0, (size_t)(span + 7) / 8);
    uint64_t n = 0;
    for (uint64_t p = 0; p < ep; p++)
        for (uint64_t r = 0; r < er; r++) {
            uint64_t h = p * u + r * dil;
            if (!(seen[h >> 3] & (1u << (h & 7)))) {
                seen[h >> 3] |= (unsigned char)(1u << (h & 7));
                n++;
            }
        }
    return n;
}

/* |{p*u + r*dil : 0 <= p < ep, 0 <= r < er}|: distinct input rows touched by
 * ep output rows and er filter rows. */
static uint64_t proj(uint64_t ep, uint64_t er, uint64_t u, uint64_t dil)
{
    if (ep == 0 || er == 0)
        return 0;
    if (ep == 1)
        return er;
    if (er == 1)
        return ep;
    if (dil == 1)
        return er >= u ? (ep - 1) * u + er : ep * er;
    if (u == 1)
        return ep >= dil ? (er - 1) * dil + ep : ep * er;
    return proj_strided(ep, er, u, dil);
}

/* Product of a dim's bounds at positions in `mask`. */
static uint64_t mask_product(const struct nest *nt, unsigned d, uint64_t mask)
{
    uint64_t p = 1;
    for (int j = 0; j < nt->dn[d]; j++)
        if (mask >> nt->dpos[d][j] & 1)
            p *= nt->bound[nt->dpos[d][j]];
    return p;
}

/* A dim's tile digits are its least significant ones: true whenever the
 * tile is a suffix of the nest. */
static bool tile_is_suffix(const struct nest *nt, unsigned d, uint64_t above)
{
    bool in_tile = false;
    for (int j = 0; j < nt->dn[d]; j++) {
        bool a = above >> nt->dpos[d][j] & 1;
        if (in_tile && a)
            return false;
        in_tile = !a;
    }
    return true;
}

/* Tiles of one dim as (size, multiplicity) classes: full tiles and the
 * partial last one. */
struct classes {
    uint64_t size[2], mult[2];
};

static struct classes tile_classes(uint64_t dim_size, uint64_t tile)
{
    struct classes c = {{0, 0}, {0, 0}};
    if (tile >= dim_size) {
        c.size[0] = dim_size;
        c.mult[0] = 1;
        return c;
    }
    c.size[0] = tile;
    c.mult[0] = dim_size / tile;
    c.size[1] = dim_size % tile;
    c.mult[1] = c.size[1] ? 1 : 0;
    return c;
}

/* Enumerate the index sets of dim d's tiles (one per combination of its
 * loops in `above`), calling back with the sorted valid indices. Used only
 * for input rows whose tiles are not contiguous (see model.md). */
#define ENUM_MAX 4096
struct tile_list {
    uint32_t count;            /* tiles */
    uint32_t len[ENUM_MAX];    /* valid indices per tile */
    uint32_t start[ENUM_MAX];  /* offset into idx */
    uint32_t idx[ENUM_MAX * 4];
    uint32_t nidx;
};

static bool enum_tiles(const struct nest *nt, unsigned d, uint64_t above,
                       uint64_t size, struct tile_list *tl)
{
    int pos[NEST_MAX], np = 0;
    for (int i = 0; i < nt->n; i++)
        if (nt->dim_mask[d] >> i & 1)
            pos[np++] = i;
    uint64_t combos = mask_product(nt, d, above);
    uint64_t inner = mask_product(nt, d, ~above);
    if (combos > ENUM_MAX || combos * inner > ENUM_MAX * 4)
        return false;
    tl->count = 0;
    tl->nidx = 0;
    for (uint64_t a = 0; a < combos; a++) {
        uint32_t first = tl->nidx;
        for (uint64_t t = 0; t < inner; t++) {
            /* decode (a, t) into digits of the above and tile loops */
            uint64_t ra = a, rt = t, index = 0;
            for (int k = np - 1; k >= 0; k--) {
                int i = pos[k];
                uint64_t digit;
                if (above >> i & 1) {
                    digit = ra % nt->bound[i];
                    ra /= nt->bound[i];
                } else {
                    digit = rt % nt->bound[i];
                    rt /= nt->bound[i];
                }
                index += digit * nt->stride[i];
            }
            if (index < size)
                tl->idx[tl->nidx++] = (uint32_t)index;
        }
        if (tl->nidx > first) {
            tl->start[tl->count] = first;
            tl->len[tl->count++] = tl->nidx - first;
        }
    }
    return true;
}

/* Sum over tile pairs of distinct input rows, general (slow) case. */
static __attribute__((noinline)) uint64_t rows_enumerated(const struct nest *nt, uint64_t above,
                                unsigned dp, unsigned dr, uint64_t sp,
                                uint64_t sr, uint64_t u, uint64_t dil,
                                bool *ok)
{
    struct tile_list tp, tr;
    unsigned char seen[1u << 13];
    if (!enum_tiles(nt, dp, above, sp, &tp) || !enum_tiles(nt, dr, above, sr, &tr)) {
        *ok = false;
        return 0;
    }
    uint64_t span = (sp - 1) * u + (sr - 1) * dil + 1;
    if (span > sizeof seen * 8) {
        *ok = false;
        return 0;
    }
    uint64_t total = 0;
    for (uint32_t a = 0; a < tp.count; a++)
        for (uint32_t b = 0; b < tr.count; b++) {
            memset(seen, 0, (size_t)(span + 7) / 8);
            for (uint32_t i = 0; i < tp.len[a]; i++)
                for (uint32_t j = 0; j < tr.len[b]; j++) {
                    uint64_t h = tp.idx[tp.start[a] + i] * u + tr.idx[tr.start[b] + j] * dil;
                    if (!(seen[h >> 3] & (1u << (h & 7)))) {
                        seen[h >> 3] |= (unsigned char)(1u << (h & 7));
                        total++;
                    }
                }
        }
    return total;
}

/* How many tiles of a dim hold how many indices, with the stride between
 * a tile's indices: contiguous tiles (stride 1: full ones and a partial
 * one), or the strided tiles of a single tile loop t that has loops of the
 * same dim below it (a spatial P over RF P loops, seen from the MAC). */
#define HIST 4
struct hist {
    uint64_t size[HIST], mult[HIST];
    int n;
    uint64_t stride;
};

static void hist_add(struct hist *h, uint64_t size, uint64_t mult)
{
    h->size[h->n] = size;
    h->mult[h->n++] = mult;
}

static bool tile_hist(const struct nest *nt, unsigned d, uint64_t above, uint64_t size,
                      struct hist *h)
{
    h->n = 0;
    h->stride = 1;
    if (tile_is_suffix(nt, d, above)) {
        struct classes c = tile_classes(size, mask_product(nt, d, ~above));
        for (int i = 0; i < 2; i++)
            if (c.mult[i])
                hist_add(h, c.size[i], c.mult[i]);
        return true;
    }
    /* With bound b and stride s of t, the loops below t enumerate every
     * offset l < s and those above it every block k*s*b. Full blocks give s
     * tiles of b indices; in a partial block of rem = q*s + r indices, r
     * tiles hold q + 1 and s - r hold q. */
    int tile = -1;
    for (int j = 0; j < nt->dn[d]; j++) {
        int i = nt->dpos[d][j];
        if (above >> i & 1)
            continue;
        if (tile >= 0)
            return false; /* two tile loops: enumerate instead */
        tile = i;
    }
    uint64_t s = nt->stride[tile], b = nt->bound[tile];
    if (s == UINT64_MAX || b > UINT64_MAX / s)
        return false;
    h->stride = s;
    uint64_t block = s * b, full = size / block, rem = size % block;
    uint64_t q = rem / s, r = rem % s;
    if (full)
        hist_add(h, b, full * s);
    if (r)
        hist_add(h, q + 1, r);
    if (rem && q)
        hist_add(h, q, s - r);
    return true;
}

/* Span of the rows of e_p output rows and e_r filter rows, gaps included. */
static uint64_t span_of(uint64_t ep, uint64_t er, uint64_t u, uint64_t dil)
{
    return (ep - 1) * u + (er - 1) * dil + 1;
}

/* Rows shared by a tile of (epc, erc) rows whose first p and r are offp,
 * offr on from those of a tile of (epp, erp): |cur ∩ prev| of model.md's
 * "Sliding windows". Both are intervals in the common cases (no gaps:
 * proj = span); otherwise counted on a bitmap of the previous tile. */
static __attribute__((noinline)) uint64_t overlap_gappy(uint64_t epc, uint64_t erc,
                                                        uint64_t epp, uint64_t erp,
                                                        uint64_t o, uint64_t u, uint64_t dil)
{
    unsigned char seen[1u << 13];
    uint64_t sp = span_of(epp, erp, u, dil);
    if (sp > sizeof seen * 8)
        return 0; /* see model.md, "Limits": the tile is fetched whole */
    memset(seen, 0, (size_t)(sp + 7) / 8);
    for (uint64_t p = 0; p < epp; p++)
        for (uint64_t r = 0; r < erp; r++) {
            uint64_t h = p * u + r * dil;
            seen[h >> 3] |= (unsigned char)(1u << (h & 7));
        }
    /* distinct rows of cur that prev holds: mark them off as counted */
    uint64_t n = 0;
    for (uint64_t p = 0; p < epc; p++)
        for (uint64_t r = 0; r < erc; r++) {
            uint64_t h = o + p * u + r * dil;
            if (h < sp && (seen[h >> 3] & (1u << (h & 7)))) {
                seen[h >> 3] &= (unsigned char)~(1u << (h & 7));
                n++;
            }
        }
    return n;
}

static uint64_t overlap(uint64_t epc, uint64_t erc, uint64_t epp, uint64_t erp,
                        uint64_t offp, uint64_t offr, uint64_t u, uint64_t dil)
{
    if (epc == 0 || erc == 0 || epp == 0 || erp == 0)
        return 0;
    uint64_t o = offp * u + offr * dil;
    uint64_t sc = span_of(epc, erc, u, dil), sp = span_of(epp, erp, u, dil);
    if (o >= sp)
        return 0; /* cur starts past prev's last row */
    if (proj(epc, erc, u, dil) == sc && proj(epp, erp, u, dil) == sp)
        return (o + sc < sp ? o + sc : sp) - o;
    return overlap_gappy(epc, erc, epp, erp, o, u, dil);
}

/* Tiles k in [0, K) whose digit (k / w) mod b of the sliding loop is 0. */
static uint64_t zeros(uint64_t K, uint64_t w, uint64_t b)
{
    uint64_t blk = w * b, r = K % blk;
    return K / blk * w + (r < w ? r : w);
}

/* Sum over the tiles that follow a previous one of the rows they share
 * with it (model.md, "Sliding windows"): what the window keeps. The
 * sliding dim's tiles are contiguous (a child's own view, or a NoC view
 * whose collapsed loops leave this axis alone: pesim_map_slides). */
static uint64_t rows_kept(const struct nest *nt, const struct pesim_layer *l, uint64_t above,
                          unsigned dp, unsigned dr, int axis, const struct slide *sl)
{
    uint64_t u = l->stride[axis], dil = l->dilation[axis];
    bool along_p = sl->dim == dp;
    unsigned ds_ = along_p ? dp : dr, other = along_p ? dr : dp;
    uint64_t size = l->dim[ds_], T = mask_product(nt, ds_, ~above);
    struct hist ho;
    if (!tile_is_suffix(nt, ds_, above) || !tile_hist(nt, other, above, l->dim[other], &ho) ||
        ho.stride != 1)
        return 0;
    uint64_t kf = size / T, rem = size % T, nfull, npart;
    if (sl->every) {
        nfull = kf;
        npart = rem ? 1 : 0;
    } else {
        nfull = kf - zeros(kf, sl->w, sl->b);
        npart = rem && (kf / sl->w) % sl->b ? 1 : 0;
    }
    uint64_t kept = 0;
    for (int a = 0; a < ho.n; a++) {
        uint64_t e = ho.size[a], f, pt;
        if (along_p) {
            f = overlap(T, e, T, e, sl->shift, 0, u, dil);
            pt = npart ? overlap(rem, e, T, e, sl->shift, 0, u, dil) : 0;
        } else {
            f = overlap(e, T, e, T, 0, sl->shift, u, dil);
            pt = npart ? overlap(e, rem, e, T, 0, sl->shift, u, dil) : 0;
        }
        kept += ho.mult[a] * (nfull * f + npart * pt);
    }
    return kept;
}

/* Sum over all tiles (combinations of `above` loops) of the distinct input
 * rows (or columns) the tile touches. */
static uint64_t rows_sum(const struct nest *nt, const struct pesim_layer *l,
                         uint64_t above, unsigned dp, unsigned dr, int axis,
                         bool *ok)
{
    uint64_t sp = l->dim[dp], sr = l->dim[dr];
    uint64_t u = l->stride[axis], dil = l->dilation[axis];
    struct hist hp, hr;
    if (!tile_hist(nt, dp, above, sp, &hp) || !tile_hist(nt, dr, above, sr, &hr))
        return rows_enumerated(nt, above, dp, dr, sp, sr, u, dil, ok);
    uint64_t total = 0;
    for (int a = 0; a < hp.n; a++)
        for (int b = 0; b < hr.n; b++)
            total += hp.mult[a] * hr.mult[b] *
                     proj(hp.size[a], hr.size[b], u * hp.stride, dil * hr.stride);
    return total;
}

/* Words moved into (or out of) all tiles of `ds` over the run, counting
 * irrelevant dims over the loops in `count_mask` (see model.md, "Transfer
 * count"). Relevant dims contribute their whole size: the tiles of a dim
 * partition it, partial last tiles included. */
static uint64_t words(const struct nest *nt, const struct pesim_layer *l,
                      enum pesim_ds ds, uint64_t above, uint64_t count_mask,
                      const struct slide *sl, bool *ok)
{
    uint64_t w = 1;
    unsigned rel = pesim_ds_dims(ds);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        if (!(rel >> d & 1))
            w *= nest_count(nt, d, count_mask, l->dim[d]);
        else if (ds != PESIM_DS_INPUTS || d < PESIM_DIM_P)
            w *= l->dim[d];
    }
    if (ds == PESIM_DS_INPUTS) {
        uint64_t rows = rows_sum(nt, l, above, PESIM_DIM_P, PESIM_DIM_R, 0, ok);
        uint64_t cols = rows_sum(nt, l, above, PESIM_DIM_Q, PESIM_DIM_S, 1, ok);
        /* a window slides along one axis: the other's factor is unchanged */
        if (sl && (sl->dim == PESIM_DIM_P || sl->dim == PESIM_DIM_R))
            rows -= rows_kept(nt, l, above, PESIM_DIM_P, PESIM_DIM_R, 0, sl);
        else if (sl)
            cols -= rows_kept(nt, l, above, PESIM_DIM_Q, PESIM_DIM_S, 1, sl);
        w *= rows * cols;
    }
    return w;
}

/* Temporal loops in `temporal` (a mask) from the innermost one relevant to
 * ds outward: iterating them brings a new tile. Irrelevant loops inside the
 * innermost relevant one reuse the resident tile. */
static uint64_t refetch_loops(const struct nest *nt, enum pesim_ds ds,
                              uint64_t temporal)
{
    unsigned rel = pesim_ds_dims(ds);
    for (int i = nt->n - 1; i >= 0; i--)
        if ((temporal >> i & 1) && (rel >> nt->dim[i] & 1))
            return temporal & below((unsigned)i + 1);
    return 0;
}

/* Largest tile of ds spanned by the loops not in `above`. */
static uint64_t tile_words(const struct nest *nt, const struct pesim_layer *l,
                           enum pesim_ds ds, uint64_t above)
{
    uint64_t ext[PESIM_DIM_COUNT];
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        uint64_t t = mask_product(nt, d, ~above);
        ext[d] = t < l->dim[d] ? t : l->dim[d];
    }
    uint64_t w = 1;
    unsigned rel = pesim_ds_dims(ds);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if ((rel >> d & 1) && !(ds == PESIM_DS_INPUTS && d >= PESIM_DIM_P))
            w *= ext[d];
    if (ds == PESIM_DS_INPUTS)
        w *= proj(ext[PESIM_DIM_P], ext[PESIM_DIM_R], l->stride[0], l->dilation[0]) *
             proj(ext[PESIM_DIM_Q], ext[PESIM_DIM_S], l->stride[1], l->dilation[1]);
    return w;
}

/* docs/systolic.md, "The im2col view": a level above the array (at or
 * above the innermost fan-out's) holds the feature map of an im2col
 * view, not its lowered matrix. `lowered` words of a tile spanning tn of
 * the view's N (pixels) and tc of its C (window) over a layer of those
 * dims stand for whole images and channels of the feature map when tn and
 * tc are multiples of P*Q and R*S (their tiles then start at multiples of
 * them too): each (image, channel) then holds its touched words, hw.
 * Otherwise the lowered count stands, an upper bound. n and c are the
 * view's dims the count is over (the layer's, or one tile's). */
static uint64_t feature_map(const struct pesim_layer *l, uint64_t n, uint64_t c, uint64_t tn,
                            uint64_t tc, uint64_t lowered)
{
    uint64_t pq = l->im2col.pq, rs = l->im2col.rs;
    if (!pq || !rs || n % pq || c % rs || (tn < n && tn % pq) || (tc < c && tc % rs))
        return lowered;
    uint64_t per = n * c; /* lowered is a multiple: relevant dims whole */
    if (!per || lowered % per)
        return lowered;
    uint64_t conv = (n / pq) * (c / rs) * l->im2col.hw;
    return conv < per ? lowered / per * conv : lowered;
}

/* The innermost level with a fan-out below it: where an im2col view is
 * lowered (-1: none). */
static int lowering_level(const struct pesim_arch *arch)
{
    for (int lv = arch->nlevels - 1; lv >= 0; lv--)
        if (pesim_arch_has_fanout(arch, (unsigned)lv))
            return lv;
    return -1;
}

/* Levels that keep a copy of ds, outermost first, ending with the MAC
 * (index nlevels). */
int pesim_map_chain(const struct pesim_arch *arch, const struct pesim_mapping *m,
                    enum pesim_ds ds, int *lv)
{
    int n = 0;
    unsigned nl = arch->nlevels;
    lv[n++] = PESIM_LEVEL_DRAM;
    for (unsigned k = 1; k < nl; k++)
        if (arch->level[k].holds[ds] && !m->bypass[k][ds])
            lv[n++] = (int)k;
    lv[n++] = (int)nl;
    return n;
}

/* Positions of the spatial loops below level f. */
static uint64_t fanout_mask(const struct nest *nt, unsigned f)
{
    return below(nt->tstart[f + 1]) & ~below(nt->sstart[f]);
}

/* Whether the network of fan-out f collapses ds: one send reaches every
 * child (multicast), or the children's psums are added on the way up. */
static bool collapses(const struct pesim_arch *arch, unsigned f, enum pesim_ds ds)
{
    const struct pesim_net_cfg *net = &arch->level[f].fanout.net[ds];
    return ds == PESIM_DS_OUTPUTS ? net->reduce : net->multicast;
}

/* The tile-side view of a transfer into `child` (a level, or nlevels for
 * the MAC). The MAC keeps nothing: every temporal loop brings new data. */
static void child_view(const struct nest *nt, int child, enum pesim_ds ds, struct view *in)
{
    if (child >= nt->nlevels) {
        in->above = below(nt->n);
        in->refetch = in->above & nt->temporal_mask;
        return;
    }
    in->above = below(nt->tstart[child]);
    in->refetch = refetch_loops(nt, ds, in->above & nt->temporal_mask);
}

static void add_sat(uint64_t *acc, uint64_t v) { *acc = *acc > UINT64_MAX - v ? UINT64_MAX : *acc + v; }

/* The spatial loops of fan-out f (positions sp) whose children receive
 * one send on an exact-match network (model.md, "Exact and overlapping
 * multicast"): a child's tile is spanned by `sub`. Loops over N, C, G and
 * irrelevant dims give identical or disjoint tiles, as do window loops
 * when a child's tile is one row (column) of the window axis; window loops
 * over children whose tiles span several rows give shifted, partly
 * overlapping tiles, which an exact network sends to each child. */
static uint64_t exact_collapse(const struct nest *nt, uint64_t sp, uint64_t sub)
{
    static const unsigned axis[2][2] = {{PESIM_DIM_P, PESIM_DIM_R}, {PESIM_DIM_Q, PESIM_DIM_S}};
    for (unsigned a = 0; a < 2; a++) {
        uint64_t win = nt->dim_mask[axis[a][0]] | nt->dim_mask[axis[a][1]];
        if (!(sp & win))
            continue;
        if (mask_product(nt, axis[a][0], sub) > 1 || mask_product(nt, axis[a][1], sub) > 1)
            sp &= ~win;
    }
    return sp;
}

/* Words of ds seen from above the tile with the spatial loops of `gone`
 * collapsed (one word for all of them): the loops in above and not in
 * gone iterate separately, spatial ones as copies. */
static uint64_t seen_words(const struct nest *nt, const struct pesim_layer *l,
                           enum pesim_ds ds, const struct view *in, uint64_t gone,
                           const struct slide *sl, bool *ok)
{
    uint64_t above = in->above & ~gone;
    return words(nt, l, ds, above, in->refetch | (above & nt->spatial_mask), sl, ok);
}

/* The window axis of a dim: 0 for P and R, 1 for Q and S, -1 otherwise. */
static int window_axis(unsigned d)
{
    return d == PESIM_DIM_P || d == PESIM_DIM_R ? 0 : d == PESIM_DIM_Q || d == PESIM_DIM_S ? 1 : -1;
}

bool pesim_map_slides(const struct pesim_arch *arch, const struct pesim_mapping *m,
                      enum pesim_ds ds, int parent, int child, unsigned dim)
{
    if (ds != PESIM_DS_INPUTS || child <= 0 || (unsigned)child >= arch->nlevels ||
        !arch->level[child].halo || dim >= PESIM_DIM_COUNT || window_axis(dim) < 0)
        return false;
    int axis = window_axis(dim);
    for (int f = child - 1; f >= parent && f >= 0; f--) {
        if (!pesim_arch_has_fanout(arch, (unsigned)f) || !arch->level[f].fanout.net[ds].multicast)
            continue;
        for (unsigned i = 0; i < m->nspatial[f] && i < PESIM_MAX_LOOPS; i++)
            if (m->spatial[f][i].bound > 1 && window_axis(m->spatial[f][i].dim) == axis)
                return false;
    }
    return true;
}

/* Words of one transfer pair over the whole nest (model.md, "Transfer
 * count"). The pair crosses the fan-outs of the levels from the child's
 * parent up to `parent`; going up through them, a collapsing network
 * (multicast, or reduction for outputs) makes one word of all the copies
 * its spatial loops would otherwise make. */
static void pair_words(const struct pesim_arch *arch, const struct pesim_mapping *m,
                       const struct nest *nt, const struct pesim_layer *l, enum pesim_ds ds,
                       int parent, int child, struct slide *forced, struct pesim_pair *p,
                       bool *ok)
{
    struct view in;
    child_view(nt, child, ds, &in);
    struct slide sl_whole, *sl = NULL;
    if (forced) {
        sl = forced;
    } else if (child < nt->nlevels && in.refetch) {
        int L = 63 - __builtin_clzll(in.refetch); /* the innermost refetch loop */
        /* and the innermost temporal loop above the child: an irrelevant
         * one inside it (a stationary step between two slides) restarts
         * the window, as in the Timeloop that made the exercises' outputs */
        bool innermost = !(in.above & nt->temporal_mask & ~below((unsigned)L + 1));
        if (innermost && pesim_map_slides(arch, m, ds, parent, child, nt->dim[L])) {
            uint64_t t = mask_product(nt, nt->dim[L], ~in.above);
            sl_whole = (struct slide){.dim = nt->dim[L], .shift = nt->stride[L],
                                      .w = nt->stride[L] / t, .b = nt->bound[L]};
            sl = &sl_whole;
        }
    }
    p->parent = (int8_t)parent;
    p->child = (int8_t)child;
    p->to_mac = child >= nt->nlevels;
    p->nf = 0;
    uint64_t gone = 0; /* spatial positions collapsed so far */
    uint64_t gone_at[PESIM_LEVELS_MAX]; /* ... below fanout[k] */
    bool all_collapse = true;
    uint64_t seen = seen_words(nt, l, ds, &in, 0, sl, ok);
    if (ds == PESIM_DS_INPUTS && l->im2col.pq && child <= lowering_level(arch)) {
        bool crosses = false;
        for (int f = parent; f < child; f++)
            crosses |= pesim_arch_has_fanout(arch, (unsigned)f);
        if (!crosses)
            seen = feature_map(l, l->dim[PESIM_DIM_N], l->dim[PESIM_DIM_C],
                               mask_product(nt, PESIM_DIM_N, ~in.above),
                               mask_product(nt, PESIM_DIM_C, ~in.above), seen);
    }
    p->per_pe = seen;
    p->reload_all = 0;
    for (int f = child - 1; f >= parent; f--) {
        if (!pesim_arch_has_fanout(arch, (unsigned)f))
            continue;
        const struct pesim_net_cfg *net = &arch->level[f].fanout.net[ds];
        int k = p->nf++;
        p->fanout[k] = (uint8_t)f;
        p->f_words[k] = seen;
        p->f_first[k] = p->f_reload[k] = 0;
        gone_at[k] = gone;
        if (ds == PESIM_DS_OUTPUTS && net->reduce && net->reload_all)
            p->reload_all |= (uint8_t)(1u << k);
        if (collapses(arch, (unsigned)f, ds)) {
            uint64_t sp = fanout_mask(nt, (unsigned)f);
            if (ds == PESIM_DS_INPUTS && net->exact) {
                uint64_t inner = nt->spatial_mask & below(nt->tstart[child]) &
                                 ~below(nt->tstart[f + 1]);
                sp = exact_collapse(nt, sp, ~in.above | inner);
            }
            gone |= sp;
            if (sp)
                seen = seen_words(nt, l, ds, &in, gone, sl, ok);
        } else {
            all_collapse = false;
        }
        p->f_sends[k] = seen;
    }
    /* A reload_all network's reloads reach, below each outer network
     * without it, only the child that network gives them to: the union
     * over that network's loops (its lowest child holds every element a
     * child over C, R or S holds; loops over output dims part the
     * elements). */
    uint64_t plain = 0; /* spatial positions of the outer networks without reload_all */
    for (int k = p->nf - 1; k >= 0; k--) {
        if (p->reload_all >> k & 1) {
            uint64_t a = in.above & ~gone_at[k] & ~plain;
            p->f_reload[k] = words(nt, l, ds, a, in.refetch | (a & nt->spatial_mask), NULL, ok);
            p->f_first[k] = words(nt, l, ds, a, a & nt->spatial_mask, NULL, ok);
        } else {
            plain |= fanout_mask(nt, p->fanout[k]);
        }
    }
    p->crossing = p->nf > 0;
    p->collapse = p->crossing && all_collapse;
    p->sent = seen;
    p->first = 0;
    if (ds == PESIM_DS_OUTPUTS) {
        /* An element's first residency in each instance of the parent. */
        uint64_t inst = nt->spatial_mask & below(nt->tstart[parent]);
        p->first = words(nt, l, ds, in.above & ~gone, inst, NULL, ok);
    }
}

uint64_t pesim_pair_reloads(const struct pesim_pair *p, uint64_t at_parent[PESIM_LEVELS_MAX],
                            uint64_t at_children[PESIM_LEVELS_MAX])
{
    uint64_t r = p->sent - p->first;
    for (int k = p->nf - 1; k >= 0; k--) {
        at_parent[k] = r;
        if (p->reload_all >> k & 1)
            r = p->f_reload[k] - p->f_first[k];
        at_children[k] = r;
    }
    return r;
}

/* Add to one network's counters. */
static void add_net(struct pesim_analysis *out, unsigned f, enum pesim_ds ds,
                    uint64_t words_at_children, uint64_t sends)
{
    add_sat(&out->noc_words[f][ds], words_at_children);
    add_sat(&out->noc_sends[f][ds], sends);
}

void pesim_map_account(enum pesim_ds ds, const struct pesim_pair *p,
                       struct pesim_analysis *out)
{
    int parent = p->parent, child = p->child;
    bool storage = !p->to_mac;
    if (ds != PESIM_DS_OUTPUTS) {
        add_sat(&out->acc[parent][ds].reads, p->sent);
        if (storage)
            add_sat(&out->acc[child][ds].fills, p->per_pe);
        for (unsigned k = 0; k < p->nf; k++)
            add_net(out, p->fanout[k], ds, p->f_words[k], p->f_sends[k]);
        return;
    }
    if (p->crossing && !p->collapse) {
        /* A network without reduction on the way: the partial sums that
         * reach the parent are added there (read-modify-write, but for an
         * element's first); the child starts each residency from zero. */
        if (storage)
            add_sat(&out->acc[child][ds].drains, p->per_pe);
        add_sat(&out->acc[parent][ds].updates, p->sent);
        add_sat(&out->acc[parent][ds].reads, p->sent - p->first);
        for (unsigned k = 0; k < p->nf; k++) {
            add_net(out, p->fanout[k], ds, p->f_words[k], p->f_sends[k]);
            add_sat(&out->spatial_reductions, p->f_words[k] - p->f_sends[k]);
        }
        return;
    }
    /* Outputs: every residency ends with a drain up (the child's drains, the
     * parent's updates); every residency but an element's first brings the
     * partial sum back down (the parent's reads, the child's fills). Spatial
     * copies over reduction dims are summed in the networks on the way up. */
    uint64_t up[PESIM_LEVELS_MAX], down[PESIM_LEVELS_MAX];
    uint64_t into = pesim_pair_reloads(p, up, down);
    if (storage) {
        add_sat(&out->acc[child][ds].drains, p->per_pe);
        add_sat(&out->acc[child][ds].fills, into);
    }
    add_sat(&out->acc[parent][ds].updates, p->sent);
    add_sat(&out->acc[parent][ds].reads, p->sent - p->first);
    for (unsigned k = 0; k < p->nf; k++) {
        add_net(out, p->fanout[k], ds, p->f_words[k] + down[k], p->f_sends[k] + up[k]);
        add_sat(&out->spatial_reductions, p->f_words[k] - p->f_sends[k]);
    }
}

/* Tile sizes of every keeping level but DRAM: one instance's tile spans
 * the loops from the level's own temporal ones inward. */
static void capacity(const struct pesim_arch *arch, const struct nest *nt,
                     const struct pesim_layer *l, const struct pesim_mapping *m,
                     struct pesim_analysis *out)
{
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        int lv[PESIM_LEVELS_MAX + 1];
        int n = pesim_map_chain(arch, m, ds, lv);
        for (int i = 1; i < n - 1; i++) {
            uint64_t above = below(nt->tstart[lv[i]]);
            uint64_t t = tile_words(nt, l, ds, above);
            if (ds == PESIM_DS_INPUTS && l->im2col.pq && lv[i] <= lowering_level(arch)) {
                uint64_t tn = mask_product(nt, PESIM_DIM_N, ~above),
                         tc = mask_product(nt, PESIM_DIM_C, ~above);
                tn = tn < l->dim[PESIM_DIM_N] ? tn : l->dim[PESIM_DIM_N];
                tc = tc < l->dim[PESIM_DIM_C] ? tc : l->dim[PESIM_DIM_C];
                t = feature_map(l, tn, tc, tn, tc, t);
            }
            out->acc[lv[i]][ds].tile_words = t;
            out->need_words[lv[i]][ds] = arch->level[lv[i]].double_buffer ? 2 * t : t;
        }
    }
    struct pesim_overage o;
    pesim_map_overage(arch, out, &o);
    out->fits = o.worst == 0;
}

/* Whether the mapping keeps ds at level lv (its chain passes there). */
static bool keeps_at(const struct pesim_arch *arch, const struct pesim_mapping *m,
                     enum pesim_ds ds, int lv)
{
    int chain[PESIM_LEVELS_MAX + 1];
    int n = pesim_map_chain(arch, m, ds, chain);
    for (int i = 0; i < n; i++)
        if (chain[i] == lv)
            return true;
    return false;
}

/* docs/systolic.md: below a systolic fan-out every fold (a new tile of
 * what the innermost level keeps: the stationary data) pays the skew of
 * the operands' wavefront across the array, and a new operand tile is
 * shifted in down the rows first; steps that only continue the stream
 * through the same stationary tile pay nothing. Physical rows and cols:
 * the skew does not shrink with a partly used array. */
static void systolic(const struct pesim_arch *arch, const struct nest *nt,
                     const struct pesim_layer *l, const struct pesim_mapping *m,
                     struct pesim_analysis *out)
{
    const struct pesim_fanout_cfg *f = pesim_arch_systolic(arch);
    if (!f)
        return;
    int in = arch->nlevels - 1;
    uint64_t outer = nt->temporal_mask & below(nt->tstart[in]), shift = 0, fold = 0;
    bool stationary = false, kept = false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (keeps_at(arch, m, (enum pesim_ds)ds, in)) {
            uint64_t rf = refetch_loops(nt, (enum pesim_ds)ds, outer);
            kept = true;
            fold |= rf;
            if (ds != PESIM_DS_OUTPUTS) {
                stationary = true;
                shift |= rf;
            }
        }
    if (!kept) /* nothing stays in the PEs: every step restarts the stream */
        fold = outer;
    uint64_t folds = 1, loads = 1, pes = 1, used = fold | fanout_mask(nt, (unsigned)in - 1);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        folds *= nest_count(nt, d, fold, l->dim[d]);
        loads *= nest_count(nt, d, shift, l->dim[d]);
        pes *= nest_count(nt, d, used, l->dim[d]);
    }
    out->folds = folds;
    out->fold_pes = pes;
    /* a double-buffered PE shifts the next tile in behind the current
     * fold: only the first tile's shift is in the way */
    if (arch->level[in].double_buffer && loads > 1)
        loads = 1;
    out->systolic_cycles = folds * ((uint64_t)f->rows + f->cols - 2) + (stationary ? loads * f->rows : 0);
}

int pesim_map_analyze(const struct pesim_arch *arch, const struct pesim_layer *l,
                      const struct pesim_mapping *m, struct pesim_analysis *out)
{
    struct nest nt;
    memset(out, 0, sizeof *out);
    if (pesim_mapping_levels(m) != arch->nlevels)
        return PESIM_E_INVALID;
    int rc = nest_build(m, &nt);
    if (rc)
        return rc;
    bool ok = true;
    out->nlevels = arch->nlevels;
    out->macs = pesim_layer_macs(l);
    out->pes = pesim_arch_pes(arch);
    uint64_t cycles = 1, active = 1;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        cycles *= nest_count(&nt, d, nt.temporal_mask, l->dim[d]);
        active *= nest_count(&nt, d, nt.spatial_mask, l->dim[d]);
    }
    systolic(arch, &nt, l, m, out);
    cycles += out->systolic_cycles;
    out->ideal_cycles = cycles;
    out->active_pes = (uint32_t)active;
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        uint64_t used = 1, above = nt.spatial_mask & below(nt.tstart[lv]);
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
            used *= nest_count(&nt, d, above, l->dim[d]);
        out->used_instances[lv] = used;
    }
    out->util_spatial = out->pes ? (double)active / out->pes : 0;
    out->util_temporal = out->pes && cycles ? (double)out->macs / ((double)out->pes * (double)cycles) : 0;

    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        int lv[PESIM_LEVELS_MAX + 1];
        int n = pesim_map_chain(arch, m, ds, lv);
        for (int i = 0; i + 1 < n; i++) {
            struct pesim_pair p;
            pair_words(arch, m, &nt, l, ds, lv[i], lv[i + 1], NULL, &p, &ok);
            pesim_map_account(ds, &p, out);
        }
    }
    capacity(arch, &nt, l, m, out);
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        out->dram_ratio[ds] = pesim_dram_ratio(arch, l, ds);
    return ok ? 0 : PESIM_E_RANGE;
}

static double ratio_of(const struct pesim_analysis *a, unsigned ds)
{
    return a->dram_ratio[ds] > 0 ? a->dram_ratio[ds] : 1.0;
}

uint64_t pesim_analysis_dram_link_words(const struct pesim_analysis *a, enum pesim_ds ds)
{
    uint64_t w = pesim_access_total(&a->acc[PESIM_LEVEL_DRAM][ds]);
    double r = ratio_of(a, ds);
    return r == 1.0 ? w : (uint64_t)llround((double)w * r);
}

uint64_t pesim_analysis_level_accesses(const struct pesim_analysis *a,
                                       unsigned lv)
{
    uint64_t n = 0;
    if (lv >= PESIM_LEVELS_MAX)
        return 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        n += pesim_access_total(&a->acc[lv][ds]);
    return n;
}

static uint64_t net_sum(const uint64_t (*v)[PESIM_DS_COUNT], enum pesim_ds ds)
{
    uint64_t n = 0;
    for (unsigned f = 0; f < PESIM_LEVELS_MAX; f++)
        add_sat(&n, v[f][ds]);
    return n;
}

uint64_t pesim_analysis_noc_words(const struct pesim_analysis *a, enum pesim_ds ds)
{
    return net_sum(a->noc_words, ds);
}

uint64_t pesim_analysis_noc_sends(const struct pesim_analysis *a, enum pesim_ds ds)
{
    return net_sum(a->noc_sends, ds);
}

/* ---- Roofline cycles ---- */

static const char *const bound_names[PESIM_BOUND_COUNT] = {"compute", "dram",
                                                           "glb", "noc"};

const char *pesim_bound_name(enum pesim_bound b)
{
    return (unsigned)b < PESIM_BOUND_COUNT ? bound_names[b] : NULL;
}

static uint64_t div_up(uint64_t a, uint64_t b) { return b ? a / b + (a % b != 0) : 0; }

uint64_t pesim_map_bounds(const struct pesim_arch *arch, const struct pesim_analysis *a,
                          uint64_t cycles[PESIM_BOUND_COUNT], enum pesim_bound *which)
{
    cycles[PESIM_BOUND_COMPUTE] = a->ideal_cycles;
    /* DRAM in bits so that odd word sizes stay exact; the link moves
     * bandwidth/clock bytes per cycle. */
    double bits = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        const struct pesim_access *x = &a->acc[PESIM_LEVEL_DRAM][ds];
        bits += (double)pesim_access_total(x) * arch->level[0].word_bits[ds] * ratio_of(a, ds);
    }
    double per_cycle = pesim_arch_dram_bytes_per_cycle(arch) * 8;
    /* Saturated, never converted out of range (undefined behaviour, which
     * made 1e-300 GB/s look unlimited): UINT64_MAX means "does not fit",
     * and the simulation refuses it (pipeline/layer.c). */
    double dram = per_cycle > 0 ? ceil(bits / per_cycle) : 0;
    cycles[PESIM_BOUND_DRAM] = dram >= 0x1p64 ? UINT64_MAX : (uint64_t)dram;
    /* On-chip storage: the busiest level, its accesses spread over its
     * instances' banks. */
    uint64_t glb = 0, noc = 0;
    for (unsigned lv = 1; lv < arch->nlevels; lv++) {
        const struct pesim_level_cfg *c = &arch->level[lv];
        uint64_t rate = (uint64_t)c->banks * c->bank_words_per_cycle;
        uint64_t inst = pesim_arch_instances(arch, lv);
        uint64_t g = div_up(pesim_analysis_level_accesses(a, lv), rate * inst);
        glb = g > glb ? g : glb;
    }
    /* Networks: the busiest one, its sends spread over the parent's
     * instances (each has its own bus). */
    for (unsigned f = 0; f < arch->nlevels; f++) {
        if (!pesim_arch_has_fanout(arch, f))
            continue;
        uint64_t inst = pesim_arch_instances(arch, f);
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            uint64_t sends = a->noc_sends[f][ds];
            uint32_t rw = arch->level[f].fanout.net[ds].reload_width_words;
            if (ds == PESIM_DS_OUTPUTS && rw) { /* reloads down a bus of their own */
                uint64_t down = a->acc[f][ds].reads < sends ? a->acc[f][ds].reads : sends;
                uint64_t c = div_up(down, (uint64_t)rw * inst);
                noc = c > noc ? c : noc;
                sends -= down;
            }
            uint64_t c = div_up(sends,
                                (uint64_t)arch->level[f].fanout.net[ds].width_words * inst);
            noc = c > noc ? c : noc;
        }
    }
    cycles[PESIM_BOUND_GLB] = glb;
    cycles[PESIM_BOUND_NOC] = noc;
    enum pesim_bound b = PESIM_BOUND_COMPUTE;
    for (unsigned k = 1; k < PESIM_BOUND_COUNT; k++)
        if (cycles[k] > cycles[b])
            b = k;
    if (which)
        *which = b;
    return cycles[b];
}

uint64_t pesim_map_used_instances(const struct pesim_arch *arch, const struct pesim_mapping *m,
                                  unsigned lv)
{
    uint64_t used = 1;
    for (unsigned f = 0; f < lv && f < arch->nlevels; f++) {
        if (!pesim_arch_has_fanout(arch, f))
            continue;
        for (unsigned i = 0; i < m->nspatial[f] && i < PESIM_MAX_LOOPS; i++)
            used *= m->spatial[f][i].bound ? m->spatial[f][i].bound : 1;
    }
    return used;
}

void pesim_map_level_bw_cycles(const struct pesim_arch *arch, const struct pesim_mapping *m,
                               const struct pesim_analysis *a, uint64_t out[PESIM_LEVELS_MAX])
{
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        out[lv] = 0;
    for (unsigned lv = 1; lv < arch->nlevels; lv++) {
        const struct pesim_level_cfg *c = &arch->level[lv];
        double reads = 0, writes = 0;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            reads += (double)a->acc[lv][ds].reads;
            writes += (double)(a->acc[lv][ds].fills + a->acc[lv][ds].updates);
        }
        double used = (double)pesim_map_used_instances(arch, m, lv), t = 0;
        if (c->read_bandwidth > 0)
            t = ceil(reads / used / c->read_bandwidth);
        if (c->write_bandwidth > 0) {
            double w = ceil(writes / used / c->write_bandwidth);
            t = w > t ? w : t;
        }
        out[lv] = t >= 0x1p64 ? UINT64_MAX : (uint64_t)t;
    }
}

int pesim_map_pair(const struct pesim_arch *arch, const struct pesim_layer *l,
                   const struct pesim_mapping *m, enum pesim_ds ds, int parent,
                   int child, struct pesim_pair *out)
{
    struct nest nt;
    int rc = nest_build(m, &nt);
    if (rc)
        return rc;
    bool ok = true;
    pair_words(arch, m, &nt, l, ds, parent, child, NULL, out, &ok);
    return ok ? 0 : PESIM_E_RANGE;
}

int pesim_map_pair_slid(const struct pesim_arch *arch, const struct pesim_layer *l,
                        const struct pesim_mapping *m, enum pesim_ds ds, int parent,
                        int child, unsigned dim, uint64_t shift, struct pesim_pair *out)
{
    struct nest nt;
    int rc = nest_build(m, &nt);
    if (rc)
        return rc;
    if (!pesim_map_slides(arch, m, ds, parent, child, dim) || shift == 0)
        return PESIM_E_INVALID;
    bool ok = true;
    struct slide sl = {.dim = dim, .shift = shift, .w = 1, .b = 1, .every = true};
    pair_words(arch, m, &nt, l, ds, parent, child, &sl, out, &ok);
    return ok ? 0 : PESIM_E_RANGE;
}
