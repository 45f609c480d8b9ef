/* pesim — internal: what the architecture loader fills, and the schema
 * sections each component contributes (pe_array/, memory/, energy/). */
#ifndef PESIM_ARCH_ARCH_IN_H
#define PESIM_ARCH_ARCH_IN_H

#include <stdbool.h>

#include "config/cfg.h"
#include "pesim/arch.h"

/* What an architecture file says about Accelergy tables
 * (energy.accelergy: docs/energy.md), kept for energy/ to import after
 * the walk. Declared here, with the loader's object that embeds it, so
 * that the loader knows no component's internals: energy/ includes this
 * header, never the other way round. */
#define PESIM_ACC_PATH_MAX 512

/* Energy costs a map names, in struct pesim_energy_cfg order. */
#define PESIM_ACC_COSTS 9

/* A file named in the architecture, with the position of its value. */
struct pesim_acc_file {
    char path[PESIM_ACC_PATH_MAX]; /* as written; "" when not given */
    unsigned line, col;
};

struct pesim_acc_ref {
    struct pesim_acc_file ert, art, map;
    bool given;                        /* energy.accelergy was given */
    bool cost_given[PESIM_ACC_COSTS];  /* energy.<cost> given beside it */
    bool area_given;                   /* area.rf_per_glb_byte given */
};

/* The public struct plus inputs that are converted on load: DRAM latency
 * may be given in ns and becomes core cycles once the clock is known. */
struct pesim_arch_in {
    struct pesim_arch a;
    double dram_latency_ns;
    struct pesim_acc_ref acc; /* energy.accelergy, imported after the walk */
};

/* Object of each section, relative to its key's offset:
 *   pe_array: struct pesim_pe_array_cfg     noc: struct pesim_noc_cfg[3]
 *   glb:      struct pesim_glb_cfg          area:   struct pesim_area_cfg
 *   dram, energy: struct pesim_arch_in (dram's check needs the clock;
 *             energy holds the Accelergy file names beside the costs) */
extern const struct cfg_section pesim_pe_array_section;
extern const struct cfg_section pesim_noc_section;
extern const struct cfg_section pesim_glb_section;
extern const struct cfg_section pesim_dram_section;
extern const struct cfg_section pesim_energy_section;
/* The shorthand's derived defaults (docs/config.md, "Derived defaults"),
 * called by the root check after every section's: for each key whose
 * default is derived, whether it takes it now (pesim_cfg_defaulted, kept in
 * its *_derived flag), and its value from the array (pe_array/: the NoC's
 * widths) and from those widths (memory/: the GLB's banks, bank width,
 * ports), in that order. */
void pesim_noc_derive(struct cfg_ctx *ctx, struct pesim_arch *a);
void pesim_glb_derive(struct cfg_ctx *ctx, struct pesim_arch *a);
/* The general form (docs/config.md, "Levels"): a level (memory/level_cfg.c)
 * and the fan-out below it (pe_array/fanout_cfg.c); the list parser takes
 * the key's offset to a struct pesim_arch and fills nlevels, level[] and
 * general. */
extern const struct cfg_section pesim_level_section;
extern const struct cfg_section pesim_fanout_section;
extern const struct cfg_section pesim_rules_section;
int pesim_levels_parse(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                       const char *path, void *obj);

/* What energy/ contributes to the loader (energy/accelergy.c): the area
 * section (object: struct pesim_area_cfg); the root check's note of
 * which costs and area keys were given beside energy.accelergy (they
 * override the table; `energy.unit: normalized` next to a table is
 * rejected); and the import of the tables `ref` names into *arch once the
 * walk is done. Relative paths are relative to the directory of
 * `arch_file`; for a shipped preset (`preset`) they name files shipped in
 * configs/accelergy/. Problems go to diags as FILE:line:col (the arch
 * file for unreadable files, else the table or map file); 0,
 * PESIM_E_INVALID or PESIM_E_NOMEM, *arch unchanged unless 0. */
extern const struct cfg_section pesim_area_section;
void pesim_accelergy_note(struct cfg_ctx *ctx, struct pesim_acc_ref *ref,
                          enum pesim_energy_unit unit);
int pesim_accelergy_apply(const struct pesim_acc_ref *ref, const char *arch_file,
                          bool preset, struct pesim_arch *arch, pesim_diags *diags);

#endif
