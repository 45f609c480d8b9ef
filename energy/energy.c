/* Energy = actions x energy per action (docs/model.md, "Energy"). */
#include "pesim/energy.h"

const char *pesim_energy_unit_name(enum pesim_energy_unit unit)
{
    return unit == PESIM_ENERGY_PJ ? "pJ" : "normalized";
}

void pesim_energy_compute(const struct pesim_energy_cfg *cfg,
                          const struct pesim_analysis *a, uint64_t cycles,
                          struct pesim_energy *out)
{
    *out = (struct pesim_energy){0};
    static const int lvl[PESIM_LEVEL_COUNT] = {PESIM_EL_DRAM, PESIM_EL_GLB, PESIM_EL_RF};
    const double rd[PESIM_LEVEL_COUNT] = {cfg->dram_read, cfg->glb_read, cfg->rf_read};
    const double wr[PESIM_LEVEL_COUNT] = {cfg->dram_write, cfg->glb_write, cfg->rf_write};
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        for (unsigned lv = 0; lv < PESIM_LEVEL_COUNT; lv++) {
            const struct pesim_access *x = &a->acc[lv][ds];
            out->by[lvl[lv]][ds] = (double)x->reads * rd[lv] +
                                   (double)(x->fills + x->updates) * wr[lv];
        }
        out->by[PESIM_EL_NOC][ds] = (double)a->noc_words[ds] * cfg->noc;
    }
    out->mac = (double)a->macs * cfg->mac;
    out->leakage = (double)cycles * cfg->leakage_per_cycle;
    for (unsigned el = 0; el < PESIM_EL_COUNT; el++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            out->by_level[el] += out->by[el][ds];
            out->by_data[ds] += out->by[el][ds];
        }
    out->by_level[PESIM_EL_MAC] = out->mac;
    out->total = out->leakage;
    for (unsigned el = 0; el < PESIM_EL_COUNT; el++)
        out->total += out->by_level[el];
    out->per_mac = a->macs ? out->total / (double)a->macs : 0;
}
