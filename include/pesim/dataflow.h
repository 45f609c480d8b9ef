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
/* The same for the latency objective. */
int pesim_df_map(const pesim_dataflow *df, const struct pesim_arch *arch,
                 const struct pesim_layer *l, struct pesim_mapping *out,
                 pesim_diags *diags);

/* Iso-area (docs/dataflows.md, "Iso-area"): the storage area of `base` —
 * its GLB bytes plus base->area.rf_per_glb_byte (PESIM_ISO_RF_AREA unless
 * an Accelergy ART or the arch file says otherwise) times the RF bytes of
 * all its PEs —
 * re-split for the dataflow: the RF bytes of a PE go to the data spaces
 * the dataflow keeps there (row-stationary keeps the base's split; a
 * dataflow that keeps none gets no RF), the rest of the area to the GLB.
 * *out is base with the new RF and GLB sizes. 0, or PESIM_E_INVALID if the
 * base has a shared RF. */
#define PESIM_ISO_RF_AREA 1.6 /* RF area per byte, in GLB bytes */
int pesim_df_iso_area(const pesim_dataflow *df, const struct pesim_arch *base,
                      struct pesim_arch *out);

#ifdef __cplusplus
}
#endif
#endif
