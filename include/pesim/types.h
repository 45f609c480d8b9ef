/* pesim — shared vocabulary: data spaces, loop dimensions, levels.
 * The book's 2020 notation (Sze, Chen, Yang, Emer, "Efficient Processing of
 * Deep Neural Networks"); see docs/model.md. */
#ifndef PESIM_TYPES_H
#define PESIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The three data spaces. Order is fixed: it is the order of every table,
 * JSON object and CSV column that lists them. */
enum pesim_ds {
    PESIM_DS_WEIGHTS,
    PESIM_DS_INPUTS,
    PESIM_DS_OUTPUTS,
    PESIM_DS_COUNT
};

/* Loop dimensions of a layer. M and C count channels per group. */
enum pesim_dim {
    PESIM_DIM_N, /* batch */
    PESIM_DIM_G, /* groups */
    PESIM_DIM_M, /* output channels per group */
    PESIM_DIM_C, /* input channels per group */
    PESIM_DIM_P, /* output rows */
    PESIM_DIM_Q, /* output columns */
    PESIM_DIM_R, /* filter rows */
    PESIM_DIM_S, /* filter columns */
    PESIM_DIM_COUNT
};

/* An architecture is a list of storage levels, outermost (DRAM, always
 * level 0) first, at most PESIM_LEVELS_MAX of them, with an optional
 * spatial fan-out below any level (include/pesim/arch.h). The shorthand
 * keys pe_array/noc/glb/dram expand to three levels, whose indices these
 * constants name: DRAM, the GLB (with the PE array's fan-out below it) and
 * the PEs' register files. The MAC is below the innermost level. */
enum pesim_level {
    PESIM_LEVEL_DRAM,
    PESIM_LEVEL_GLB,
    PESIM_LEVEL_RF,
    PESIM_LEVEL_COUNT /* levels of the shorthand */
};
#define PESIM_LEVELS_MAX 8

/* Levels that cost energy, outermost first (energy breakdown rows). */
enum pesim_elevel {
    PESIM_EL_DRAM,
    PESIM_EL_GLB,
    PESIM_EL_NOC,
    PESIM_EL_RF,
    PESIM_EL_MAC,
    PESIM_EL_COUNT
};

/* Array axes for spatial loops: x spans columns, y spans rows. */
enum pesim_axis { PESIM_AXIS_X, PESIM_AXIS_Y, PESIM_AXIS_COUNT };

/* Lower-case names ("weights", "glb", "x"); upper-case for dims ("M").
 * Return NULL for out-of-range values. */
const char *pesim_ds_name(enum pesim_ds ds);
const char *pesim_dim_name(enum pesim_dim dim);
const char *pesim_level_name(enum pesim_level level);
const char *pesim_elevel_name(enum pesim_elevel level);
const char *pesim_axis_name(enum pesim_axis axis);
/* The same names as NULL-terminated tables (for schema enums). */
extern const char *const pesim_dim_names[PESIM_DIM_COUNT + 1];
extern const char *const pesim_axis_names[PESIM_AXIS_COUNT + 1];

/* Reverse lookups: 0 and *out set on success, PESIM_E_NOTFOUND otherwise. */
int pesim_ds_parse(const char *name, enum pesim_ds *out);
int pesim_dim_parse(const char *name, enum pesim_dim *out);
int pesim_level_parse(const char *name, enum pesim_level *out);

/* Whether a dimension indexes a data space: weights W[g][m][c][r][s],
 * inputs I[n][g][c][h][w] (h from p and r, w from q and s),
 * outputs O[n][g][m][p][q]. */
bool pesim_dim_relevant(enum pesim_ds ds, enum pesim_dim dim);

#ifdef __cplusplus
}
#endif
#endif
