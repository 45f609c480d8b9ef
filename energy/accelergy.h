/* pesim — internal: energy and area tables from Accelergy (docs/energy.md).
 *
 * An architecture's `energy.accelergy: {ert, art, map}` names an Accelergy
 * energy reference table (ERT), optionally an area reference table (ART),
 * and a map file (schema: pesim_accelergy_map_schema) that says which
 * component/action of the ERT prices each pesim action. After loading, the
 * arch's energy costs are absolute pJ per word (`energy.unit: pJ`) and, with
 * an ART, `area.rf_per_glb_byte` is the ART's RF area per byte over its GLB
 * area per byte.
 *
 * Accepted files (Accelergy writes all of them):
 *   ERT: {version: 0.3 | 0.4, tables: [{name, actions: [{name, arguments,
 *        energy}]}]}; version 0.2's mapping form {tables: {NAME: {ACTION:
 *        {arguments, energy} | [{arguments, energy}]}}}; and ERT_summary:
 *        {table_summary: [{name, actions: [{name, energy | average_energy}]}]}
 *   ART: {version, tables: [{name, area}]}; ART_summary: {table_summary:
 *        [{name, area}]}
 * Energies are pJ per action, areas um^2 per instance (Accelergy's units).
 * An action listed several times with different `arguments` counts as the
 * mean of its variants (ERT_summary's average_energy), unless the map picks
 * variants with `arguments`. Component names match ignoring index ranges
 * ("PE[0..167]"), and a map name may be a dotted suffix of the full name. */
#ifndef PESIM_ENERGY_ACCELERGY_H
#define PESIM_ENERGY_ACCELERGY_H

#include <stdbool.h>

#include "config/cfg.h"
#include "pesim/arch.h"

#define PESIM_ACC_PATH_MAX 512

/* Energy costs a map names, in struct pesim_energy_cfg order. */
#define PESIM_ACC_COSTS 9

/* A file named in the architecture, with the position of its value. */
struct pesim_acc_file {
    char path[PESIM_ACC_PATH_MAX]; /* as written; "" when not given */
    unsigned line, col;
};

/* What an architecture file says about Accelergy (part of
 * struct pesim_arch_in; filled while the arch is walked). */
struct pesim_acc_ref {
    struct pesim_acc_file ert, art, map;
    bool given;                        /* energy.accelergy was given */
    bool cost_given[PESIM_ACC_COSTS];  /* energy.<cost> given beside it */
    bool area_given;                   /* area.rf_per_glb_byte given */
};

/* energy.accelergy (object: struct pesim_acc_ref) and area (object:
 * struct pesim_area_cfg), for the arch schema. */
extern const struct cfg_section pesim_accelergy_section;
extern const struct cfg_section pesim_area_section;
/* The map file's root schema (docs/config.md, "Accelergy map"). */
const struct cfg_section *pesim_accelergy_map_schema(void);

/* Name of cost i (0 <= i < PESIM_ACC_COSTS) as the energy section spells
 * it, and its field. */
const char *pesim_accelergy_cost_name(unsigned i);
double *pesim_accelergy_cost(struct pesim_energy_cfg *e, unsigned i);

/* Called from the arch's root check while a file is loaded: records which
 * costs and area keys were given beside energy.accelergy (they override the
 * table) and rejects `energy.unit: normalized` next to a table. */
void pesim_accelergy_note(struct cfg_ctx *ctx, struct pesim_acc_ref *ref,
                          enum pesim_energy_unit unit);

/* Import the tables `ref` names into *arch. Relative paths are relative to
 * the directory of `arch_file`; for a shipped preset (`preset`) they name
 * files shipped in configs/accelergy/. Problems are appended to diags as
 * FILE:line:col (the arch file for unreadable files, else the table or map
 * file); returns 0, PESIM_E_INVALID or PESIM_E_NOMEM, *arch unchanged
 * unless 0. */
int pesim_accelergy_apply(const struct pesim_acc_ref *ref, const char *arch_file,
                          bool preset, struct pesim_arch *arch, pesim_diags *diags);

/* The same from texts in memory (tests, tools): `art` may be NULL. Names
 * are those used in messages. Costs not in the map are left as they are. */
struct pesim_acc_text {
    const char *text;
    size_t len;
    const char *file;
};
int pesim_accelergy_import(const struct pesim_acc_text *ert,
                           const struct pesim_acc_text *art,
                           const struct pesim_acc_text *map,
                           const struct pesim_arch *arch,
                           struct pesim_energy_cfg *energy_out,
                           double *rf_per_glb_byte_out, pesim_diags *diags);

#endif
