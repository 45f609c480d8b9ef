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

#include "arch/arch_in.h"
#include "config/cfg.h"
#include "pesim/arch.h"

/* PESIM_ACC_PATH_MAX, PESIM_ACC_COSTS, struct pesim_acc_file and
 * struct pesim_acc_ref, pesim_accelergy_note, pesim_accelergy_apply and
 * pesim_area_section are declared in arch/arch_in.h: the loader embeds
 * and calls them. */

/* energy.accelergy (object: struct pesim_acc_ref), for the energy
 * section of the arch schema. */
extern const struct cfg_section pesim_accelergy_section;
/* The map file's root schema (docs/config.md, "Accelergy map"). */
const struct cfg_section *pesim_accelergy_map_schema(void);

/* Name of cost i (0 <= i < PESIM_ACC_COSTS) as the energy section spells
 * it, and its field. */
const char *pesim_accelergy_cost_name(unsigned i);
double *pesim_accelergy_cost(struct pesim_energy_cfg *e, unsigned i);

/* pesim_accelergy_apply from texts in memory (tests, tools): `art` may be NULL. Names
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
