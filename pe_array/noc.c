/* The NoC as timing resources: one bus per data space between the GLB (or
 * DRAM) and the array, width_words words per cycle. A multicast occupies
 * the bus once whatever its fan-out; psums reduced in the array occupy
 * their bus once per reduced word. A width of 0 is unlimited. */
#include "engine/engine.h"

void pesim_noc_res(const struct pesim_arch *arch, struct resources *rs)
{
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        struct res *r = &rs->r[rs->n];
        r->rate = arch->noc[ds].width_words ? arch->noc[ds].width_words : UINT64_MAX;
        r->stall = PESIM_STALL_NOC;
        r->pool = 1;
        rs->noc[ds] = rs->n++;
    }
}
