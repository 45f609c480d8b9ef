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

#ifdef __cplusplus
}
#endif
#endif
