/* Validity of a mapping for a layer and architecture, and capacity. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/dims.h"
#include "dataflows/pairs.h"

/* Products above this are rejected: they mean a typo, and they keep every
 * count of the analysis far from 64-bit overflow. */
#define BOUND_PRODUCT_MAX (UINT64_C(1) << 40)
/* The loops over a dimension multiply to at most this times the layer's
 * size (prod <= 2^40 and prod >= dim keep the product exact). */
#define BOUND_OVER_MAX 8

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* Products per dimension over every loop, and per fan-out and axis over
 * its spatial loops. */
static void dim_products(const struct pesim_mapping *m, uint64_t *prod,
                         uint64_t (*axis)[PESIM_AXIS_COUNT])
{
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        prod[d] = 1;
    unsigned nl = pesim_mapping_levels(m);
    for (unsigned lv = 0; lv < nl; lv++) {
        axis[lv][0] = axis[lv][1] = 1;
        for (unsigned i = 0; i < m->ntemporal[lv] && i < PESIM_MAX_LOOPS; i++) {
            const struct pesim_loop *lp = &m->temporal[lv][i];
            if (lp->dim < PESIM_DIM_COUNT)
                prod[lp->dim] = mul_sat(prod[lp->dim], lp->bound);
        }
        for (unsigned i = 0; i < m->nspatial[lv] && i < PESIM_MAX_LOOPS; i++) {
            const struct pesim_loop *lp = &m->spatial[lv][i];
            if (lp->dim < PESIM_DIM_COUNT)
                prod[lp->dim] = mul_sat(prod[lp->dim], lp->bound);
            if (lp->axis < PESIM_AXIS_COUNT)
                axis[lv][lp->axis] = mul_sat(axis[lv][lp->axis], lp->bound);
        }
    }
}

/* "mapping.spatial" for the shorthand's one fan-out, else
 * "mapping.<level>.spatial". */
static const char *spatial_key(const struct pesim_arch *arch, unsigned lv, char *buf,
                               size_t size)
{
    if (!arch->general)
        return "mapping.spatial";
    snprintf(buf, size, "mapping.%s.spatial", arch->level[lv].name);
    return buf;
}

static int check_temporal(const struct pesim_arch *arch, const struct pesim_mapping *m,
                          unsigned lv, const char *file, pesim_diags *diags)
{
    const char *name = arch->level[lv].name;
    if (m->ntemporal[lv] > PESIM_MAX_LOOPS) {
        pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "mapping.%s.temporal: %u loops, expected at most %d",
                        name, m->ntemporal[lv], PESIM_MAX_LOOPS);
        return 1;
    }
    int bad = 0;
    for (unsigned i = 0; i < m->ntemporal[lv]; i++) {
        const struct pesim_loop *lp = &m->temporal[lv][i];
        if (lp->dim >= PESIM_DIM_COUNT || lp->bound == 0) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "mapping.%s.temporal[%u]: invalid loop, expected a dim of N G M C P Q R S and a bound >= 1",
                            name, i);
            bad = 1;
        }
    }
    return bad;
}

static int check_spatial(const struct pesim_arch *arch, const struct pesim_mapping *m,
                         unsigned lv, const char *file, pesim_diags *diags)
{
    char buf[PESIM_LEVEL_NAME_MAX + 32];
    const char *key = spatial_key(arch, lv, buf, sizeof buf);
    if (m->nspatial[lv] > PESIM_MAX_LOOPS) {
        pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "%s: %u loops, expected at most %d", key,
                        m->nspatial[lv], PESIM_MAX_LOOPS);
        return 1;
    }
    if (m->nspatial[lv] && !pesim_arch_has_fanout(arch, lv)) {
        pesim_diags_addc(diags, PESIM_DIAG_MAP_ARRAY, file, 0, 0, "%s: %u loops, expected none (level %s has no fan-out below it)",
                        key, m->nspatial[lv], arch->level[lv].name);
        return 1;
    }
    int bad = 0;
    for (unsigned i = 0; i < m->nspatial[lv]; i++) {
        const struct pesim_loop *lp = &m->spatial[lv][i];
        if (lp->dim >= PESIM_DIM_COUNT || lp->bound == 0 || lp->axis >= PESIM_AXIS_COUNT) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "%s[%u]: invalid loop, expected a dim of N G M C P Q R S, a bound >= 1 and axis x or y",
                            key, i);
            bad = 1;
        }
    }
    return bad;
}

/* Loops of bound > 1 over the whole nest: the analysis keeps their
 * positions in 64-bit masks. */
static unsigned nest_loops(const struct pesim_mapping *m)
{
    unsigned n = 0, nl = pesim_mapping_levels(m);
    for (unsigned lv = 0; lv < nl; lv++) {
        for (unsigned i = 0; i < m->ntemporal[lv]; i++)
            n += m->temporal[lv][i].bound > 1;
        for (unsigned i = 0; i < m->nspatial[lv]; i++)
            n += m->spatial[lv][i].bound > 1;
    }
    return n;
}

static int check_loops(const struct pesim_arch *arch, const struct pesim_mapping *m,
                       const char *file, pesim_diags *diags)
{
    unsigned nl = pesim_mapping_levels(m);
    if (nl != arch->nlevels) {
        pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "mapping: %u levels, expected %u (the levels of architecture %s)",
                        nl, arch->nlevels, arch->name);
        return 1;
    }
    int bad = 0;
    for (unsigned lv = 0; lv < nl; lv++)
        bad |= check_temporal(arch, m, lv, file, diags);
    for (unsigned lv = 0; lv < nl; lv++)
        bad |= check_spatial(arch, m, lv, file, diags);
    if (!bad && nest_loops(m) > PESIM_NEST_MAX) {
        pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "mapping: %u loops of bound > 1, expected at most %d",
                        nest_loops(m), PESIM_NEST_MAX);
        bad = 1;
    }
    return bad;
}

/* Each fan-out's axes against its columns (x) and rows (y). */
static int check_axes(const struct pesim_arch *arch, uint64_t (*axis)[PESIM_AXIS_COUNT],
                      const char *file, pesim_diags *diags)
{
    int bad = 0;
    char buf[PESIM_LEVEL_NAME_MAX + 32];
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        const struct pesim_fanout_cfg *f = &arch->level[lv].fanout;
        const uint32_t size[2] = {f->cols, f->rows};
        for (unsigned a = 0; a < 2; a++) {
            if (axis[lv][a] <= size[a] || !pesim_arch_has_fanout(arch, lv))
                continue;
            const char *key = spatial_key(arch, lv, buf, sizeof buf);
            if (!arch->general)
                pesim_diags_addc(diags, PESIM_DIAG_MAP_ARRAY, file, 0, 0,
                                "%s: loops on axis %s multiply to %" PRIu64 ", expected at most %" PRIu32 " (the array's %s)",
                                key, pesim_axis_name(a), axis[lv][a], size[a], a ? "rows" : "columns");
            else
                pesim_diags_addc(diags, PESIM_DIAG_MAP_ARRAY, file, 0, 0,
                                "%s: loops on axis %s multiply to %" PRIu64 ", expected at most %" PRIu32 " (the %s of the fan-out below %s)",
                                key, pesim_axis_name(a), axis[lv][a], size[a], a ? "rows" : "columns",
                                arch->level[lv].name);
            bad = 1;
        }
    }
    return bad;
}

/* docs/systolic.md: a systolic array forwards every data space the PEs do
 * not keep along one axis (operands from the edge, partial sums down to
 * be added), so along that axis the data space must be the same: no loop
 * of the fan-out there may run over a dim it depends on. */
static int check_systolic(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, const char *file, pesim_diags *diags)
{
    if (!pesim_arch_systolic(arch) || pesim_mapping_levels(m) != arch->nlevels)
        return 0;
    unsigned in = arch->nlevels - 1;
    unsigned on[PESIM_AXIS_COUNT] = {0};
    for (unsigned i = 0; i < m->nspatial[in - 1]; i++) {
        const struct pesim_loop *lp = &m->spatial[in - 1][i];
        if (lp->bound > 1 && l->dim[lp->dim] > 1 && lp->axis < PESIM_AXIS_COUNT)
            on[lp->axis] |= 1u << lp->dim;
    }
    int bad = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        if (arch->level[in].holds[ds] && !m->bypass[in][ds])
            continue; /* stationary in the PEs */
        unsigned rel = pesim_ds_dims((enum pesim_ds)ds);
        if (!(on[PESIM_AXIS_X] & rel) || !(on[PESIM_AXIS_Y] & rel))
            continue;
        char dims[2][64] = {"", ""};
        for (unsigned a = 0; a < 2; a++)
            for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
                if (on[a] >> d & 1 & rel >> d)
                    snprintf(dims[a] + strlen(dims[a]), sizeof dims[a] - strlen(dims[a]), "%s%s",
                             dims[a][0] ? " " : "", pesim_dim_name((enum pesim_dim)d));
        pesim_diags_addc(diags, PESIM_DIAG_MAP_ARRAY, file, 0, 0,
                         "mapping.%s.spatial: %s vary along both axes of the systolic array "
                         "(x: %s, y: %s), expected one axis of dims they do not index (the array "
                         "forwards them along it; docs/systolic.md)",
                         arch->level[in - 1].name, pesim_ds_name((enum pesim_ds)ds), dims[0],
                         dims[1]);
        bad = 1;
    }
    return bad;
}

static int check(const struct pesim_arch *arch, const struct pesim_layer *l,
                 const struct pesim_mapping *m, const struct pesim_named_mapping *nm,
                 const char *file, pesim_diags *diags)
{
    if (check_loops(arch, m, file, diags))
        return PESIM_E_INVALID;
    int bad = 0;
    uint64_t prod[PESIM_DIM_COUNT], axis[PESIM_LEVELS_MAX][PESIM_AXIS_COUNT];
    dim_products(m, prod, axis);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
        unsigned line = nm ? nm->bound_at[d].line : 0, col = nm ? nm->bound_at[d].col : 0;
        if (prod[d] < l->dim[d]) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_COVERAGE, file, line, col,
                            "mapping: loops over %s multiply to %" PRIu64 ", expected at least %s = %" PRIu64 " of layer %s (the loop bounds must cover the layer)",
                            pesim_dim_name(d), prod[d], pesim_dim_name(d), l->dim[d], l->name);
            bad = 1;
        } else if (prod[d] > BOUND_PRODUCT_MAX) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_COVERAGE, file, line, col,
                            "mapping: loops over %s multiply to %" PRIu64 ", expected at most %" PRIu64,
                            pesim_dim_name(d), prod[d], BOUND_PRODUCT_MAX);
            bad = 1;
        } else if (prod[d] > BOUND_OVER_MAX * l->dim[d]) {
            /* Loops past the layer's end are padding, which the mapper
             * uses (13 x 11 over M = 64); far more is only iterations the
             * engine would run (a bound of 4294967295 on P ran for hours). */
            pesim_diags_addc(diags, PESIM_DIAG_MAP_COVERAGE, file, line, col,
                            "mapping: loops over %s multiply to %" PRIu64 ", expected at most "
                            "%d times %s = %" PRIu64 " of layer %s, %" PRIu64,
                            pesim_dim_name(d), prod[d], BOUND_OVER_MAX, pesim_dim_name(d),
                            l->dim[d], l->name, BOUND_OVER_MAX * l->dim[d]);
            bad = 1;
        }
    }
    bad |= check_axes(arch, axis, file, diags);
    bad |= check_systolic(arch, l, m, file, diags);
    if (!bad && pesim_mapping_levels(m) == arch->nlevels)
        bad |= pesim_map_check_rules(arch, l, m, file, diags) != 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (m->bypass[PESIM_LEVEL_DRAM][ds]) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_BYPASS, file, 0, 0,
                            "mapping.dram.bypass: %s, expected nothing (DRAM holds every data space)",
                            pesim_ds_name(ds));
            bad = 1;
        }
    return bad ? PESIM_E_INVALID : 0;
}

int pesim_map_check(const struct pesim_arch *arch, const struct pesim_layer *l,
                    const struct pesim_mapping *m, const char *file,
                    pesim_diags *diags)
{
    return check(arch, l, m, NULL, file, diags);
}

/* The general form names each level: they must be the architecture's. */
static int check_names(const struct pesim_arch *arch, const struct pesim_named_mapping *nm,
                       const char *file, pesim_diags *diags)
{
    int bad = 0;
    for (unsigned lv = 0; lv < arch->nlevels && lv < pesim_mapping_levels(&nm->mapping); lv++)
        if (nm->level[lv][0] && strcmp(nm->level[lv], arch->level[lv].name) != 0) {
            pesim_diags_addc(diags, PESIM_DIAG_MAP_LOOP, file, 0, 0, "mapping.levels[%u].level: got '%s', expected "
                            "'%s' (level %u of architecture %s)", lv, nm->level[lv],
                            arch->level[lv].name, lv, arch->name);
            bad = 1;
        }
    return bad;
}

int pesim_map_check_at(const struct pesim_arch *arch, const struct pesim_layer *l,
                       const struct pesim_named_mapping *nm, const char *file,
                       pesim_diags *diags)
{
    int rc = check(arch, l, &nm->mapping, nm, file, diags);
    if (rc == 0 && pesim_mapping_levels(&nm->mapping) == arch->nlevels &&
        check_names(arch, nm, file, diags))
        rc = PESIM_E_INVALID;
    return rc;
}

static void over(pesim_diags *diags, const char *file, const char *what,
                 uint64_t need, uint64_t cap, const char *unit)
{
    pesim_diags_addc(diags, PESIM_DIAG_MAP_NOFIT, file, 0, 0,
                    "%s: tile needs %" PRIu64 " %s, capacity %" PRIu64 " %s (over by %" PRIu64 ")",
                    what, need, unit, cap, unit, need - cap);
}

/* Over a limit by how much (0 when within it). */
static uint64_t excess(uint64_t need, uint64_t cap) { return need > cap ? need - cap : 0; }

static void level_overage(const struct pesim_arch *arch, const struct pesim_analysis *a,
                          unsigned lv, struct pesim_level_overage *o)
{
    const struct pesim_level_cfg *c = &arch->level[lv];
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        uint64_t need = a->need_words[lv][ds];
        uint64_t bytes = need * pesim_arch_level_word_bytes(arch, lv, ds);
        o->total_words += need;
        o->need_bytes[ds] = bytes;
        o->total_bytes += bytes;
        o->ds_words[ds] = excess(need, c->ds_words[ds]);
        o->ds_bytes[ds] = excess(bytes, c->ds_bytes[ds]);
        o->over += o->ds_words[ds] + o->ds_bytes[ds];
    }
    o->words = excess(o->total_words, c->words);
    o->bytes = excess(o->total_bytes, c->bytes);
    o->over += o->words + o->bytes;
}

void pesim_map_overage(const struct pesim_arch *arch, const struct pesim_analysis *a,
                       struct pesim_overage *o)
{
    *o = (struct pesim_overage){0};
    for (unsigned lv = 1; lv < arch->nlevels; lv++) {
        level_overage(arch, a, lv, &o->level[lv]);
        if (o->level[lv].over) {
            o->worst = lv;
            o->amount = o->level[lv].over;
        }
    }
}

/* "glb (inputs+outputs)": a level and the data spaces it keeps. */
static void kept_list(const struct pesim_analysis *a, unsigned lv, const char *name,
                      char *what, size_t size)
{
    int n = snprintf(what, size, "%s", name);
    const char *sep = " (";
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (a->need_words[lv][ds] && n > 0 && (size_t)n < size) {
            n += snprintf(what + n, size - (size_t)n, "%s%s", sep, pesim_ds_name(ds));
            sep = "+";
        }
    if (n > 0 && (size_t)n < size - 1 && sep[0] == '+')
        snprintf(what + n, size - (size_t)n, ")");
}

/* One level's messages: per data space, then all together; words, then
 * bytes. */
static void level_fit(const struct pesim_arch *arch, const struct pesim_analysis *a,
                      unsigned lv, const struct pesim_level_overage *o, const char *file,
                      pesim_diags *diags)
{
    const struct pesim_level_cfg *c = &arch->level[lv];
    char what[PESIM_LEVEL_NAME_MAX + 64];
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (o->ds_words[ds]) {
            snprintf(what, sizeof what, "%s.%s", c->name, pesim_ds_name(ds));
            over(diags, file, what, a->need_words[lv][ds], c->ds_words[ds], "words");
        }
    if (o->words) {
        /* the shorthand's RF: "rf (shared)"; a level: the data spaces */
        if (arch->general)
            kept_list(a, lv, c->name, what, sizeof what);
        else
            snprintf(what, sizeof what, "%s (shared)", c->name);
        over(diags, file, what, o->total_words, c->words, "words");
    }
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (o->ds_bytes[ds]) {
            snprintf(what, sizeof what, "%s.%s", c->name, pesim_ds_name(ds));
            over(diags, file, what, o->need_bytes[ds], c->ds_bytes[ds], "bytes");
        }
    if (o->bytes) {
        kept_list(a, lv, c->name, what, sizeof what);
        over(diags, file, what, o->total_bytes, c->bytes, "bytes");
    }
}

int pesim_map_check_fit(const struct pesim_arch *arch,
                        const struct pesim_analysis *a, const char *file,
                        pesim_diags *diags)
{
    struct pesim_overage o;
    pesim_map_overage(arch, a, &o);
    for (unsigned lv = arch->nlevels; lv-- > 1;)
        level_fit(arch, a, lv, &o.level[lv], file, diags);
    return o.worst ? PESIM_E_NOFIT : 0;
}

/* A loop of bound > 1 on dim d among the temporal loops of levels
 * [from, to), or the spatial loops of fan-out `from` (spatial). */
static bool has_loop(const struct pesim_mapping *m, unsigned from, unsigned to, unsigned d,
                     bool spatial)
{
    for (unsigned lv = from; lv < to; lv++) {
        unsigned cnt = spatial ? m->nspatial[lv] : m->ntemporal[lv];
        const struct pesim_loop *lp = spatial ? m->spatial[lv] : m->temporal[lv];
        for (unsigned i = 0; i < cnt && i < PESIM_MAX_LOOPS; i++)
            if (lp[i].dim == d && lp[i].bound > 1)
                return true;
    }
    return false;
}

bool pesim_map_steps_countable(const struct pesim_arch *arch, const struct pesim_mapping *m)
{
    enum pesim_ds in = PESIM_DS_INPUTS;
    int chain[PESIM_LEVELS_MAX + 1];
    int n = pesim_map_chain(arch, m, in, chain);
    unsigned nl = arch->nlevels;
    for (int k = 0; k + 1 < n; k++) {
        unsigned par = (unsigned)chain[k], ch = (unsigned)chain[k + 1];
        unsigned pin = ch < nl - 1 ? ch : nl - 1; /* the steps' levels: [0, pin) */
        for (unsigned f = par; f < ch; f++) {
            if (!pesim_arch_has_fanout(arch, f) || !arch->level[f].fanout.net[in].multicast)
                continue;
            for (unsigned d = PESIM_DIM_P; d < PESIM_DIM_COUNT; d++)
                if (has_loop(m, f, f + 1, d, true) && has_loop(m, f + 1, pin, d, false))
                    return false;
        }
    }
    return true;
}
