/* pesim — energy: actions x energy per action (docs/model.md, "Energy"). */
#ifndef PESIM_ENERGY_H
#define PESIM_ENERGY_H

#include "pesim/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pesim_energy {
    /* by[level][ds]; MAC energy is in by_level[PESIM_EL_MAC] only. */
    double by[PESIM_EL_COUNT][PESIM_DS_COUNT];
    double by_level[PESIM_EL_COUNT];
    double by_data[PESIM_DS_COUNT]; /* excludes MAC and leakage */
    double mac;
    double leakage;
    double total;   /* sum of by_level + leakage */
    double per_mac; /* total / macs */
};

/* Energy of an analysis over `cycles` cycles (leakage uses them). */
void pesim_energy_compute(const struct pesim_energy_cfg *cfg,
                          const struct pesim_analysis *a, uint64_t cycles,
                          struct pesim_energy *out);
const char *pesim_energy_unit_name(enum pesim_energy_unit unit);

#ifdef __cplusplus
}
#endif
#endif
