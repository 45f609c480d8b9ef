/* pesim — dataflow templates and their mappers (docs/dataflows.md).
 * A dataflow is a set of constraints and a template over the one mapping
 * model; its mapper picks a valid mapping of the template for a layer. */
#ifndef PESIM_DATAFLOW_H
#define PESIM_DATAFLOW_H

#include "pesim/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pesim_dataflow pesim_dataflow;

/* Registered dataflows in a fixed order (the order `compare` prints). */
size_t pesim_df_count(void);
const pesim_dataflow *pesim_df_get(size_t i);
/* The dataflows `compare` compares on arch, in order: on an architecture
 * with a systolic fan-out those of SCALE-Sim's three (sa-os, sa-ws, sa-is:
 * docs/systolic.md) whose stationary data its PEs hold, else the
 * registered ones above. */
size_t pesim_df_compared_count(const struct pesim_arch *arch);
const pesim_dataflow *pesim_df_compared(const struct pesim_arch *arch, size_t i);
/* By short name ("ws", "os"); NULL if none. */
const pesim_dataflow *pesim_df_find(const char *name);
const char *pesim_df_name(const pesim_dataflow *df);        /* "ws" */
const char *pesim_df_title(const pesim_dataflow *df);       /* "weight-stationary" */

/* What the mapper minimizes. Latency is judged by the analysis's roofline
 * cycles (docs/model.md §6); energy by the analysis's energy over them. */
enum pesim_objective {
    PESIM_OBJECTIVE_LATENCY, /* cycles, then energy */
    PESIM_OBJECTIVE_ENERGY,  /* energy, then cycles */
    PESIM_OBJECTIVE_EDP,     /* energy x cycles, then cycles */
    PESIM_OBJECTIVE_COUNT
};
const char *pesim_objective_name(enum pesim_objective o);
/* The same names as a NULL-terminated table (for schema enums). */
extern const char *const pesim_objective_names[PESIM_OBJECTIVE_COUNT + 1];
int pesim_objective_parse(const char *name, enum pesim_objective *out);

/* Find the best mapping of the template for the layer on the arch among
 * those whose tiles fit every buffer, by `objective`, ties broken
 * deterministically. Returns 0, or PESIM_E_NOMAP (with a diag saying why)
 * when nothing fits. */
int pesim_df_map_for(const pesim_dataflow *df, const struct pesim_arch *arch,
                     const struct pesim_layer *l, enum pesim_objective objective,
                     struct pesim_mapping *out, pesim_diags *diags);
/* The mapper's best candidates, best first by `objective` as judged by
 * the analysis, at most one per spatial mapping: out[0] is what
 * pesim_df_map_for picks. cap is at most PESIM_DF_CANDIDATES_MAX; *n gets
 * how many were written. pesim_sim_map (sim.h) re-ranks them by the event
 * engine. Returns 0, or PESIM_E_NOMAP (with a diag) when nothing fits. */
#define PESIM_DF_CANDIDATES_MAX 8
int pesim_df_candidates(const pesim_dataflow *df, const struct pesim_arch *arch,
                        const struct pesim_layer *l, enum pesim_objective objective,
                        struct pesim_mapping *out, size_t cap, size_t *n,
                        pesim_diags *diags);
/* The same for the latency objective. */
int pesim_df_map(const pesim_dataflow *df, const struct pesim_arch *arch,
                 const struct pesim_layer *l, struct pesim_mapping *out,
                 pesim_diags *diags);

/* A dataflow written as constraints (docs/dataflows.md, "A dataflow of
 * your own"): the file's constraints by role (struct pesim_df_rules,
 * pesim_df_rules_load) added to each architecture's, its mapper the
 * whole-mapspace search below. *out is the caller's, freed with
 * pesim_df_free; 0 or the loader's error. */
int pesim_df_load(const char *path, pesim_dataflow **out, pesim_diags *diags);
int pesim_df_from_rules(const struct pesim_df_rules *rules, pesim_dataflow **out);
void pesim_df_free(pesim_dataflow *df);

/* The whole-mapspace search (`--dataflow mapspace`; docs/dataflows.md,
 * "The whole mapspace") with what it did: the best mapping under the
 * architecture's constraints by `objective` as the analysis judges it,
 * searched with `threads` workers (the same answer for any count). */
struct pesim_search_report {
    bool exhaustive;       /* every mapping of the space was evaluated */
    double space;          /* mappings in the space (exhaustive: exactly;
                              else an upper bound) */
    uint64_t evaluated;    /* mappings the analysis evaluated */
    uint64_t legal;        /* of those, within every buffer */
    unsigned starts;       /* local-search starts (heuristic) */
    double bound_energy;   /* no mapping spends less: every weight read and
                              every output written once at level 0, and the
                              MACs */
    uint64_t bound_cycles; /* nor takes fewer cycles: MACs / PEs */
    double energy;         /* the best's energy and roofline cycles */
    uint64_t cycles;
};
int pesim_df_search(const pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, enum pesim_objective objective,
                    unsigned threads, struct pesim_mapping *best,
                    struct pesim_search_report *rep, pesim_diags *diags);
/* Which constraints shaped the best (pesim map --explain; df's own
 * constraints, a dataflow file's, added to arch's first): for each level
 * and each kind of its constraints (keep, factors, order,
 * spatial_factors, axes, and the data spaces it may not keep), the best
 * with that one lifted alone. out[0..*n) in level order; cap entries at
 * most. */
struct pesim_constraint_effect {
    unsigned level;
    const char *kind;   /* "keep", "factors", "order", "spatial_factors",
                           "axes", "holds" */
    bool found;         /* a mapping was found without it */
    double energy;      /* its best's energy and cycles */
    uint64_t cycles;
};
int pesim_df_constraint_effects(const pesim_dataflow *df, const struct pesim_arch *arch,
                                const struct pesim_layer *l,
                                enum pesim_objective objective, unsigned threads,
                                struct pesim_constraint_effect *out, size_t cap, size_t *n);

/* Iso-area (docs/dataflows.md, "Iso-area"): the storage area of `base` —
 * its GLB bytes plus base->area.rf_per_glb_byte (PESIM_ISO_RF_AREA unless
 * an Accelergy ART or the arch file says otherwise) times the RF bytes of
 * all its PEs (a shared RF: its words at the widest word size) —
 * re-split for the dataflow: each PE gets the RF the ISCA 2016 study gives
 * the dataflow (weight-stationary one weight, the output-stationary
 * variants one psum, no-local-reuse none), or, for a dataflow the study
 * does not size, the base RF's bytes for the data spaces it keeps;
 * row-stationary keeps the base RF, shared or split. The rest of the area
 * goes to the GLB. *out is base with the new RF and GLB sizes. 0, or
 * PESIM_E_UNSUPPORTED for an architecture in the general form. */
#define PESIM_ISO_RF_AREA 1.6 /* RF area per byte, in GLB bytes */
/* The dataflow as the ISCA 2016 study modelled it, which --iso-area runs
 * under the same name: weight-stationary with the filter taps (R x S) as
 * regions on one axis (§IV-A); every other dataflow is itself. */
const pesim_dataflow *pesim_df_iso(const pesim_dataflow *df);
int pesim_df_iso_area(const pesim_dataflow *df, const struct pesim_arch *base,
                      struct pesim_arch *out);

#ifdef __cplusplus
}
#endif
#endif
