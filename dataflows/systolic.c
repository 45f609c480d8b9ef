/* SCALE-Sim's three dataflows on a systolic array (docs/systolic.md): the
 * im2col view's operand matrices, one dimension on each array axis and the
 * third streamed through the PEs, folded over the array as SCALE-Sim v2
 * folds them (scalesim/compute/systolic_compute_{os,ws,is}.py of
 * scalesim-project/scale-sim-v2: the column folds outside the row folds).
 *
 *            rows (Y)        cols (X)       streamed in the PE (T)
 *   sa-os    pixels N*P*Q    filters M      window C*R*S   (keeps outputs)
 *   sa-ws    window C*R*S    filters M      pixels N*P*Q   (keeps weights)
 *   sa-is    window C*R*S    pixels N*P*Q   filters M      (keeps inputs)
 *
 * Groups (a depthwise layer, SCALE-Sim's per-channel layers) run one after
 * another, outermost. The mapping is fixed by the dataflow; the only
 * choice is where the two fold loops sit: at the level right above the
 * array when the whole layer fits there, else as far out as needed. */
#include <string.h>

#include "dataflows/template.h"
#include "pesim/analysis.h"

enum { ROW, COL, STREAM };

struct sa_shape {
    uint8_t dim[3];      /* ROW, COL, STREAM */
    enum pesim_ds keeps; /* the stationary data space, in the PE */
};

static const struct sa_shape shapes[] = {
    {{PESIM_DIM_N, PESIM_DIM_M, PESIM_DIM_C}, PESIM_DS_OUTPUTS},
    {{PESIM_DIM_C, PESIM_DIM_M, PESIM_DIM_N}, PESIM_DS_WEIGHTS},
    {{PESIM_DIM_C, PESIM_DIM_N, PESIM_DIM_M}, PESIM_DS_INPUTS},
};

static uint32_t min_u32(uint64_t a, uint32_t b) { return a < b ? (uint32_t)a : b; }
static uint32_t div_up(uint64_t a, uint32_t b) { return (uint32_t)((a + b - 1) / b); }

static void loop(struct pesim_loop *list, uint8_t *n, uint8_t dim, uint8_t axis, uint64_t bound)
{
    if (bound > 1)
        list[(*n)++] = (struct pesim_loop){dim, axis, (uint32_t)bound};
}

/* Where a mapping's loops go: the group and column-fold loops at level
 * `outer`, the row-fold loop at `inner` (outer <= inner <= the array's;
 * `swap`: the other way round),
 * the stream cut into `chunks` (its outer loop innermost at `inner`), and
 * the data spaces in `skip` streaming past every level but DRAM. */
struct place {
    unsigned outer, inner, skip;
    uint64_t chunks;
    bool swap; /* the row folds outside the column folds */
};

static void build(const struct sa_shape *sh, const struct pesim_arch *arch,
                  const struct pesim_layer *l, const struct place *pl, struct pesim_mapping *m)
{
    unsigned outer = pl->outer, inner = pl->inner, skip = pl->skip;
    unsigned in = arch->nlevels - 1, sa = in - 1;
    const struct pesim_fanout_cfg *f = &arch->level[sa].fanout;
    const uint64_t *d = l->dim;
    uint32_t rows = min_u32(d[sh->dim[ROW]], f->rows), cols = min_u32(d[sh->dim[COL]], f->cols);
    memset(m, 0, sizeof *m);
    m->nlevels = arch->nlevels;
    unsigned first = pl->swap ? ROW : COL, second = pl->swap ? COL : ROW;
    uint64_t fold[3] = {[ROW] = div_up(d[sh->dim[ROW]], rows), [COL] = div_up(d[sh->dim[COL]], cols)};
    loop(m->temporal[outer], &m->ntemporal[outer], PESIM_DIM_G, 0, d[PESIM_DIM_G]);
    loop(m->temporal[outer], &m->ntemporal[outer], sh->dim[first], 0, fold[first]);
    uint64_t t = d[sh->dim[STREAM]], per = (t + pl->chunks - 1) / pl->chunks;
    loop(m->temporal[inner], &m->ntemporal[inner], sh->dim[second], 0, fold[second]);
    loop(m->temporal[inner], &m->ntemporal[inner], sh->dim[STREAM], 0, (t + per - 1) / per);
    loop(m->spatial[sa], &m->nspatial[sa], sh->dim[COL], PESIM_AXIS_X, cols);
    loop(m->spatial[sa], &m->nspatial[sa], sh->dim[ROW], PESIM_AXIS_Y, rows);
    loop(m->temporal[in], &m->ntemporal[in], sh->dim[STREAM], 0, per);
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        m->bypass[in][ds] = ds != sh->keeps;
        for (unsigned lv = 1; lv < in; lv++)
            m->bypass[lv][ds] = !arch->level[lv].holds[ds] || (skip >> ds & 1);
    }
}

int df_map_systolic(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, struct pesim_mapping *out, pesim_diags *diags)
{
    if (!pesim_arch_systolic(arch)) {
        pesim_diags_add(diags, "", 0, 0, "%s: the architecture has no systolic fan-out above "
                        "its innermost level (fanout.systolic: true, docs/systolic.md)",
                        df->name);
        return PESIM_E_UNSUPPORTED;
    }
    if (!pesim_layer_is_gemm(l)) {
        pesim_diags_add(diags, "", 0, 0, "%s: maps the im2col view of a convolution, expected "
                        "im2col: true in the architecture (docs/systolic.md)", df->name);
        return PESIM_E_UNSUPPORTED;
    }
    const struct sa_shape *sh = &shapes[df->systolic - 1];
    if (!arch->level[arch->nlevels - 1].holds[sh->keeps]) {
        pesim_diags_add(diags, "", 0, 0, "%s: the innermost level does not hold %s, expected "
                        "it to keep the stationary data", df->name, pesim_ds_name(sh->keeps));
        return PESIM_E_UNSUPPORTED;
    }
    /* Every mapping of the dataflow has the same folds, so the same
     * cycles; what differs is where its loops sit, and so the traffic.
     * SCALE-Sim's SRAMs stream a fold through while the array computes;
     * pesim's levels must hold their tiles, so the candidates are: the
     * fold loops at any level above the array, in either order (SCALE-
     * Sim's, the column folds outside, first), the stream cut into 1, 2,
     * 4, ... chunks brought in one after another through the same
     * stationary tile (no new fold), and any data spaces streaming past
     * the levels from DRAM. The pick fits and moves the fewest DRAM
     * words; among those, it streams the fewest data spaces past the
     * levels (a stream from DRAM waits on DRAM during the folds, a tile
     * kept above the array comes in ahead), then makes the fewest on-chip
     * accesses, then comes first (fewer chunks, loops further in). */
    unsigned sa = arch->nlevels - 2;
    uint64_t t = l->dim[sh->dim[STREAM]];
    static const uint8_t skips[] = {0, 1, 2, 4, 3, 5, 6, 7};
    struct place best = {0};
    uint64_t best_dram = UINT64_MAX, best_chip = UINT64_MAX;
    int best_skips = 4;
    for (unsigned k = 0; k < sizeof skips; k++)
        for (uint64_t chunks = 1;; chunks = chunks * 2 < t ? chunks * 2 : t) {
            for (unsigned inner = sa + 1; inner-- > 0;)
                for (unsigned o = 2 * inner + 2; o-- > 0;) {
                    struct place pl = {o / 2, inner, skips[k], chunks, o % 2};
                    struct pesim_analysis a;
                    build(sh, arch, l, &pl, out);
                    if (pesim_map_analyze(arch, l, out, &a) || !a.fits)
                        continue;
                    uint64_t dram = pesim_analysis_level_accesses(&a, 0), chip = 0;
                    for (unsigned lv = 1; lv < arch->nlevels; lv++)
                        chip += pesim_analysis_level_accesses(&a, lv);
                    int nskip = __builtin_popcount(skips[k]);
                    if (dram < best_dram ||
                        (dram == best_dram &&
                         (nskip < best_skips || (nskip == best_skips && chip < best_chip)))) {
                        best = pl;
                        best_dram = dram;
                        best_chip = chip;
                        best_skips = nskip;
                    }
                }
            if (chunks >= t)
                break;
        }
    if (best_dram != UINT64_MAX) {
        build(sh, arch, l, &best, out);
        return 0;
    }
    pesim_diags_add(diags, "", 0, 0, "%s: no level above the array holds a fold's tiles",
                    df->name);
    return PESIM_E_NOMAP;
}

const struct pesim_dataflow df_sa_os = {
    .name = "sa-os",
    .title = "systolic output-stationary (SCALE-Sim os)",
    .systolic = 1,
};

const struct pesim_dataflow df_sa_ws = {
    .name = "sa-ws",
    .title = "systolic weight-stationary (SCALE-Sim ws)",
    .systolic = 2,
};

const struct pesim_dataflow df_sa_is = {
    .name = "sa-is",
    .title = "systolic input-stationary (SCALE-Sim is)",
    .systolic = 3,
};
