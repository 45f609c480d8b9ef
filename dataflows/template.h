/* Internal: a dataflow template = constraints over the one mapping model
 * plus preferences the mapper follows (docs/dataflows.md). */
#ifndef PESIM_DATAFLOWS_TEMPLATE_H
#define PESIM_DATAFLOWS_TEMPLATE_H

#include "pesim/dataflow.h"

#define TEMPLATE_DIMS 4

struct df_score;
struct df_top;

struct pesim_dataflow {
    const char *name;  /* "ws" */
    const char *title; /* "weight-stationary" */
    /* Dims the array may spread, per axis (x, y), in preference order; the
     * mapper puts one or two of them on each axis. */
    uint8_t axis_dims[PESIM_AXIS_COUNT][TEMPLATE_DIMS];
    uint8_t naxis_dims[PESIM_AXIS_COUNT];
    /* lead[a]: the axis' first dim always comes first on it, with its whole
     * extent (folded only when larger than the axis): RS's filter rows. */
    bool lead[PESIM_AXIS_COUNT];
    /* One dim may spread over both axes (RS replicates P down the rows). */
    bool share_dims;
    /* The RF keeps these data spaces; the others bypass it. */
    bool rf_keeps[PESIM_DS_COUNT];
    /* Under --iso-area (iso.c): the RF words per data space the ISCA 2016
     * study gives this dataflow (§VI-A: WS one weight, OS one psum); all
     * zero: the base RF's bytes go to the kept data spaces. */
    uint32_t iso_rf_words[PESIM_DS_COUNT];
    /* Under --iso-area: the dataflow as the study modelled it where pesim's
     * template differs (pesim_df_iso); NULL: this one. */
    const struct pesim_dataflow *iso_variant;
    /* RF temporal loops, outermost first: the stationary data's reuse. */
    uint8_t rf_dims[PESIM_DIM_COUNT];
    uint8_t nrf_dims;
    /* Candidates of the template's own structure, beside the mapper's
     * search (RS: Eyeriss's processing passes, rs_pass.c), offered to
     * the search's top as df_map_exhaustive does; NULL: none. */
    int (*passes)(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                  const struct pesim_layer *l, enum pesim_objective objective,
                  struct df_top *top);
    /* No template: the mapper searches the whole mapspace under the
     * architecture's constraints (mapspace.c); the fields above are unused. */
    bool whole_space;
    /* With whole_space: a dataflow written as constraints (a file given to
     * --dataflow, pesim_df_load), added to the architecture's by role
     * before the search; NULL: the architecture's alone. */
    const struct pesim_df_rules *rules;
    /* SCALE-Sim's dataflows on a systolic array (systolic.c): 1 os, 2 ws,
     * 3 is, whose mapping the dataflow fixes; 0: none. */
    uint8_t systolic;
};

/* The one mapping of a systolic dataflow (systolic.c) into *out. */
int df_map_systolic(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, struct pesim_mapping *out, pesim_diags *diags);

/* The shared mapper (mapper.c): spatial choice, greedy fit, loop order.
 * Its best `cap` candidates, best first, go to out[0..*n). */
int df_map_template(const struct pesim_dataflow *df,
                    const struct pesim_arch *arch, const struct pesim_layer *l,
                    enum pesim_objective objective, struct pesim_mapping *out, size_t cap,
                    size_t *n, pesim_diags *diags);

#endif
