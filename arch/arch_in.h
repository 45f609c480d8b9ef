/* pesim — internal: what the architecture loader fills, and the schema
 * sections each component contributes (pe_array/, memory/, energy/). */
#ifndef PESIM_ARCH_ARCH_IN_H
#define PESIM_ARCH_ARCH_IN_H

#include "config/cfg.h"
#include "energy/accelergy.h"
#include "pesim/arch.h"

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
/* The general form (docs/config.md, "Levels"): a level (memory/level_cfg.c)
 * and the fan-out below it (pe_array/fanout_cfg.c); the list parser takes
 * the key's offset to a struct pesim_arch and fills nlevels, level[] and
 * general. */
extern const struct cfg_section pesim_level_section;
extern const struct cfg_section pesim_fanout_section;
int pesim_levels_parse(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                       const char *path, void *obj);

#endif
