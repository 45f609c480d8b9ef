/* pesim — the one mapping model: a loop nest over storage levels.
 *
 * Nest order, outermost first, for levels 0 (DRAM) .. n-1 of the
 * architecture:
 *   level 0 temporal loops, level 0 spatial loops (its fan-out),
 *   level 1 temporal loops, level 1 spatial loops, ...,
 *   level n-1 temporal loops, MAC.
 * In the three-level shorthand that is DRAM temporal, GLB temporal, the
 * spatial loops over the PE array, RF temporal. Each loop is (dim, bound);
 * spatial loops also have an axis of their level's fan-out. The tile a
 * level holds is spanned by the loops below it (its own temporal loops
 * and everything inside them). Bounds need not divide the dimension: the
 * product of a dimension's bounds must be >= the dimension, and
 * out-of-range indices are skipped (partial last tiles, idle PEs).
 * docs/model.md gives the exact semantics. */
#ifndef PESIM_MAPPING_H
#define PESIM_MAPPING_H

#include "pesim/arch.h"
#include "pesim/workload.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PESIM_MAX_LOOPS 16 /* per level, and for the spatial list */

struct pesim_loop {
    uint8_t dim;  /* enum pesim_dim */
    uint8_t axis; /* enum pesim_axis; spatial loops only */
    uint32_t bound;
};

struct pesim_mapping {
    /* Levels of the architecture it is for (0 stands for the shorthand's
     * three, so that a zeroed mapping is a three-level one). */
    uint8_t nlevels;
    /* temporal[level], outermost first */
    uint8_t ntemporal[PESIM_LEVELS_MAX];
    struct pesim_loop temporal[PESIM_LEVELS_MAX][PESIM_MAX_LOOPS];
    /* spatial[level]: loops over the fan-out below the level, outermost
     * first (the shorthand's array loops are spatial[PESIM_LEVEL_GLB]) */
    uint8_t nspatial[PESIM_LEVELS_MAX];
    struct pesim_loop spatial[PESIM_LEVELS_MAX][PESIM_MAX_LOOPS];
    /* bypass[level][ds]: the level keeps no copy of ds. DRAM never bypasses. */
    bool bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
};

/* Levels of a mapping (m->nlevels, or 3 when 0). */
static inline unsigned pesim_mapping_levels(const struct pesim_mapping *m)
{
    return m->nlevels ? m->nlevels : (unsigned)PESIM_LEVEL_COUNT;
}

/* Load an explicit mapping from YAML (docs/config.md, "Mapping"). The
 * mapping is checked against the layer (coverage, dimension names) by
 * pesim_map_check, not here. Errors as pesim_arch_load. */
int pesim_mapping_load(const char *path, struct pesim_mapping *out,
                       pesim_diags *diags);
int pesim_mapping_load_string(const char *text, size_t len, const char *file,
                              struct pesim_mapping *out, pesim_diags *diags);

/* A mapping per layer, for whole networks: a file with `layers:`, a list
 * of {layer: NAME, mapping: {...}} (docs/config.md, "Mapping"). A file
 * with a single `mapping:` loads as a set of one with layer "" (it then
 * stands for whichever one layer is selected). */
struct pesim_named_mapping {
    char layer[PESIM_NAME_MAX];
    struct pesim_mapping mapping;
    /* Read-only, set by the loaders: where the largest bound over each
     * dimension is in the file (1-based; line 0 when none or not from a
     * file), for messages about the bounds (pesim_map_check_at). */
    struct {
        unsigned line, col;
    } bound_at[PESIM_DIM_COUNT];
    /* The general form's level names, as given (checked against the
     * architecture by pesim_map_check_at); empty in the shorthand form. */
    char level[PESIM_LEVELS_MAX][PESIM_LEVEL_NAME_MAX];
};
struct pesim_mapping_set {
    size_t count;
    struct pesim_named_mapping *items; /* owned */
};
int pesim_mapping_set_load(const char *path, struct pesim_mapping_set *out,
                           pesim_diags *diags);
int pesim_mapping_set_load_string(const char *text, size_t len, const char *file,
                                  struct pesim_mapping_set *out, pesim_diags *diags);
void pesim_mapping_set_free(struct pesim_mapping_set *s);
/* The mapping of a layer (with where its bounds were in the file), or
 * NULL. */
const struct pesim_named_mapping *pesim_mapping_set_find(const struct pesim_mapping_set *s,
                                                         const char *layer);
/* Write a set as `layers:` YAML, each nest in the general form with the
 * level names of arch, that pesim_mapping_set_load reads back unchanged.
 * PESIM_E_INVALID when a mapping is not for arch's levels. */
int pesim_mapping_set_write_yaml(const struct pesim_arch *arch, const struct pesim_mapping_set *s,
                                 FILE *out);

/* Append loops; PESIM_E_RANGE when a list is full or bound is 0. */
int pesim_mapping_add_temporal(struct pesim_mapping *m, unsigned lv,
                               enum pesim_dim dim, uint32_t bound);
/* A loop over the fan-out below level lv. */
int pesim_mapping_add_spatial(struct pesim_mapping *m, unsigned lv, enum pesim_dim dim,
                              uint32_t bound, enum pesim_axis axis);

/* Check a mapping against a layer and architecture: each dimension's
 * bounds cover it; spatial products fit the array per axis; bypass only
 * where allowed (the GLB bypasses what it cannot hold). Every problem goes
 * to diags with `file` (no position). 0 or PESIM_E_INVALID. Capacity is
 * checked separately (pesim_map_check_fit). */
int pesim_map_check(const struct pesim_arch *arch, const struct pesim_layer *l,
                    const struct pesim_mapping *m, const char *file,
                    pesim_diags *diags);
/* The same, with the problems of a dimension's bounds at the position of
 * its largest bound in the file (nm->bound_at). */
int pesim_map_check_at(const struct pesim_arch *arch, const struct pesim_layer *l,
                       const struct pesim_named_mapping *nm, const char *file,
                       pesim_diags *diags);

/* Check a mapping against the architecture's mapspace constraints (each
 * level's `constraints`: keep, factors, order, spatial_factors, axes;
 * docs/config.md). Every broken one goes to diags. 0 or
 * PESIM_E_INVALID. pesim_map_check and pesim_map_check_at check them too. */
int pesim_map_check_rules(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, const char *file, pesim_diags *diags);

/* Write the mapping as YAML in the general form (`levels:`, with arch's
 * level names) that pesim_mapping_load reads back unchanged. */
int pesim_mapping_write_yaml(const struct pesim_arch *arch, const struct pesim_mapping *m,
                             FILE *out);

#ifdef __cplusplus
}
#endif
#endif
