/* Schema of the energy table (energy: cost per action). Defaults are the
 * book's normalized costs per 16-bit access (Sze et al., Efficient
 * Processing of Deep Neural Networks, 2020, ch. 5: MAC 1, RF 1, NoC 2,
 * GLB 6, DRAM 200). The section's object is struct pesim_arch_in, so that
 * energy.accelergy can keep its file names beside the costs. */
#include <stddef.h>

#include "arch/arch_in.h"
#include "energy/accelergy.h"

static const char *const unit_names[] = {"normalized", "pJ", NULL};

_Static_assert(sizeof(enum pesim_energy_unit) == sizeof(int),
               "CFG_ENUM stores an int");

#define COST(NAME, FIELD, DEF, DESC)                                           \
    {.name = NAME, .type = CFG_DOUBLE, .dmin = 0, .dmax = 1e9, .def = DEF,    \
     .unit = "(unit)", .desc = DESC,                                           \
     .offset = offsetof(struct pesim_arch_in, a.energy.FIELD)}

static const struct cfg_key energy_keys[] = {
    {.name = "unit", .type = CFG_ENUM, .names = unit_names,
     .def = "normalized", .unit = "",
     .desc = "Unit of every cost below: normalized to a MAC, or pJ",
     .offset = offsetof(struct pesim_arch_in, a.energy.unit)},
    COST("mac", mac, "1", "One multiply-accumulate"),
    COST("rf_read", rf_read, "1", "One word read from a PE scratchpad"),
    COST("rf_write", rf_write, "1", "One word written to a PE scratchpad"),
    COST("noc", noc, "2", "One word delivered to or moved between PEs"),
    COST("glb_read", glb_read, "6", "One word read from the GLB"),
    COST("glb_write", glb_write, "6", "One word written to the GLB"),
    COST("dram_read", dram_read, "200", "One word read from DRAM"),
    COST("dram_write", dram_write, "200", "One word written to DRAM"),
    COST("leakage_per_cycle", leakage_per_cycle, "0",
         "Static energy of the whole accelerator per cycle"),
    COST("mac_leakage", mac_leakage, "0",
         "Static energy of one MAC per cycle, charged on the MACs given work"),
    {.name = "free_fills", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "A word filled into a level from above costs no write there: "
             "a move costs only the source's access (ISCA 2016)",
     .offset = offsetof(struct pesim_arch_in, a.energy.free_fills)},
    {.name = "operands_from_rf", .type = CFG_BOOL, .def = "false", .unit = "",
     .desc = "Every MAC reads its weight and input from the PE's RF, also "
             "operands the mapping keeps in no PE level (ISCA 2016 Eq. 3)",
     .offset = offsetof(struct pesim_arch_in, a.energy.operands_from_rf)},
    {.name = "accelergy", .type = CFG_SECTION, .unit = "",
     .desc = "Costs in pJ from Accelergy tables (docs/energy.md); keys "
             "above override them",
     .offset = offsetof(struct pesim_arch_in, acc),
     .sub = &pesim_accelergy_section},
};

const struct cfg_section pesim_energy_section = {
    energy_keys, sizeof energy_keys / sizeof energy_keys[0], NULL};
