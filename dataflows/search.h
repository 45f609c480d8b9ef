/* Internal: the pieces the mappers share (docs/dataflows.md, "The
 * mapper"): the template's spatial candidates, the score a mapper
 * minimizes, and the two searches over the template's space. Not
 * installed; the tests read it to check the searches. */
#ifndef PESIM_DATAFLOWS_SEARCH_H
#define PESIM_DATAFLOWS_SEARCH_H

#include "dataflows/template.h"

/* Zero, one or two template dims on one array axis, with their bounds. */
struct df_axis_opt {
    uint8_t n;
    uint8_t dim[2];
    uint32_t bound[2];
};

/* One spatial candidate: an option per axis, and the temporal folds
 * prod_d ceil(D_d / spatial bound_d) it leaves. */
struct df_spatial {
    struct df_axis_opt ax[PESIM_AXIS_COUNT];
    uint64_t folds;
};

/* Where a template's pieces go on an architecture (docs/dataflows.md,
 * "On the general form"): its array is the outermost fan-out, below level
 * `array` (the shorthand's GLB); its "GLB" loops iterate at that level; its
 * RF is every level below it, whose innermost (`inner`) gets the RF loops
 * first; further fan-outs below take the template's spatial dims again. */
struct df_place {
    unsigned array, inner;
};
struct df_place df_place_of(const struct pesim_arch *arch);

/* Every spatial candidate of the template for the layer on the fan-out
 * below level lv, fewest folds first (stable: generation order among
 * equals). Writes at most cap; returns how many there are. */
size_t df_spatial_all(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                      unsigned lv, const struct pesim_layer *l, struct df_spatial *out,
                      size_t cap);

/* A mapping for arch holding the candidate's spatial loops on the array's
 * fan-out and the template's RF bypass (at every level below the array
 * that holds a data space the template's RF does not keep), and no
 * temporal loops; rest[d] gets what each dim has left to iterate,
 * ceil(D_d / spatial bound_d). */
void df_spatial_apply(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                      const struct pesim_layer *l, const struct df_spatial *s,
                      struct pesim_mapping *m, uint64_t rest[PESIM_DIM_COUNT]);
/* Add the candidate's loops over the fan-out below level lv to m and
 * divide rest by them. */
void df_spatial_add(const struct df_spatial *s, unsigned lv, struct pesim_mapping *m,
                    uint64_t rest[PESIM_DIM_COUNT]);

/* What a mapper minimizes for an objective (include/pesim/dataflow.h). */
struct df_score {
    uint64_t cycles; /* the analysis's roofline cycles */
    double energy;
    enum pesim_objective objective;
};
struct df_score df_score_of(const struct pesim_arch *arch, const struct pesim_analysis *a,
                            enum pesim_objective objective);
/* x strictly better than y under x's objective (ties: not better). */
bool df_better(struct df_score x, struct df_score y);

/* The best candidates a search has seen (docs/dataflows.md, "The
 * mapper"), best first by df_better, at most one per spatial mapping (the
 * engine's ranking needs candidates that differ where stalls come from:
 * which PEs hold what). An equal score keeps the earlier candidate, so
 * m[0] is what the search alone would pick. cap <= PESIM_DF_CANDIDATES_MAX. */
struct df_top {
    size_t cap, n;
    struct pesim_mapping m[PESIM_DF_CANDIDATES_MAX];
    struct df_score s[PESIM_DF_CANDIDATES_MAX];
};
/* Offer a mapping (tidied) with its score; kept if among the best cap. */
void df_top_offer(struct df_top *t, const struct pesim_mapping *m, struct df_score s);

/* The exhaustive search's space (docs/dataflows.md, "Exhaustive search")
 * and how many mappings it holds, counted up to `cap` (returns cap + 1
 * when larger). */
uint64_t df_space_size(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                       const struct pesim_layer *l, uint64_t cap);
/* Spaces up to this many mappings are searched exhaustively. */
#define DF_EXHAUSTIVE_LIMIT 200000u

/* Each search below offers every fitting mapping it finds to `top`, which
 * then holds the best candidates it has seen (with cap 1: the search's
 * best, m[0] and s[0]). Searches may share one top. 0 when the search
 * found a mapping that fits, PESIM_E_NOMAP when it found none. */
/* The exhaustive search, pruned by capacity and a cycle bound. */
int df_map_exhaustive(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                      const struct pesim_layer *l, enum pesim_objective obj,
                      struct df_top *top);
/* The heuristic search (greedy fit and local search over loop placement);
 * on failure *closest is the closest candidate, for the message. */
int df_map_heuristic(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                     const struct pesim_layer *l, enum pesim_objective obj,
                     struct df_top *top, struct pesim_mapping *closest);

/* Row-stationary's processing passes (rs_pass.c): the candidates of
 * Eyeriss's pass parameters. PESIM_E_UNSUPPORTED beyond three levels. */
int df_map_rs_passes(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                     const struct pesim_layer *l, enum pesim_objective obj,
                     struct df_top *top);

/* Drop loops of bound 1 (they change nothing); unused slots stay zero so
 * that equal mappings are equal structs. */
void df_tidy(struct pesim_mapping *m);

#endif
