/* pesim — energy: actions x energy per action (docs/model.md, "Energy"). */
#ifndef PESIM_ENERGY_H
#define PESIM_ENERGY_H

#include "pesim/analysis.h"
#include "pesim/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows of the energy breakdown, outermost first: each storage level,
 * followed by the network of its fan-out if it has one, then the MAC.
 * The shorthand's rows are dram, glb, noc, rf, mac: the PESIM_EL_*
 * indices. */
#define PESIM_ENERGY_ROWS_MAX (2 * PESIM_LEVELS_MAX + 1)

struct pesim_energy {
    unsigned nrows;
    /* by[row][ds]; MAC energy is in by_level[nrows - 1] only. */
    double by[PESIM_ENERGY_ROWS_MAX][PESIM_DS_COUNT];
    double by_level[PESIM_ENERGY_ROWS_MAX];
    /* The rows gathered into the shorthand's five (PESIM_EL_*): DRAM; the
     * on-chip levels down to the first fan-out ("glb"); every network
     * ("noc"); the levels below the first fan-out ("rf"); the MAC. Equal
     * to by_level in the shorthand; what sweeps' energy_<level> columns
     * report for any architecture. */
    double by_class[PESIM_EL_COUNT];
    double by_data[PESIM_DS_COUNT]; /* excludes MAC and leakage */
    double mac;
    double leakage;
    double total;   /* sum of by_level + leakage */
    double per_mac; /* total / macs */
};

/* Energy of an analysis on arch over `cycles` cycles (leakage uses
 * them): each level's per-word read and write energies, each network's
 * per-word energy, the MAC's and the leakage of arch->energy. */
void pesim_energy_compute(const struct pesim_arch *arch, const struct pesim_analysis *a,
                          uint64_t cycles, struct pesim_energy *out);
/* How many rows arch's breakdowns have. */
unsigned pesim_energy_rows(const struct pesim_arch *arch);
/* The name of an energy row of arch: a level's, a network's or "mac".
 * Points into arch (or is static); NULL past the last row. */
const char *pesim_energy_row_name(const struct pesim_arch *arch, unsigned row);
const char *pesim_energy_unit_name(enum pesim_energy_unit unit);

/* Names that price an architecture from an Accelergy ERT (--ert,
 * docs/timeloop.md): level[i] names the component of level i (NULL: the
 * level's own name), block_words[i] the words one of its actions moves
 * (Timeloop's width / datawidth; 0 or 1: one), mac the compute component
 * (NULL: the one component with a compute action). */
struct pesim_ert_names {
    const char *level[PESIM_LEVELS_MAX];
    double block_words[PESIM_LEVELS_MAX];
    const char *mac;
};
/* Price arch from an ERT or ERT_summary text (energy/accelergy.h lists
 * the forms): each level's read_energy and write_energy are its
 * component's read and write action energies over block_words (Timeloop
 * prices a fill and an update alike: write), energy.mac the MAC's compute
 * action, drain_energy 0 (Timeloop has no drain action: a psum read out
 * to the parent is the parent's update), energy.leakage_per_cycle every
 * component's leak times its
 * instances; the unit becomes pJ. Component names match as a dotted
 * suffix, index ranges ignored ("shared_glb" names
 * "system_top_level.shared_glb[1..1]"). Problems go to diags at the ERT;
 * 0 or PESIM_E_INVALID, *arch unchanged unless 0. */
int pesim_energy_price_ert(const char *text, size_t len, const char *file,
                           const struct pesim_ert_names *names, struct pesim_arch *arch,
                           pesim_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
