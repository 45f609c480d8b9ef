/* The networks as timing resources: below each fan-out, one bus per data
 * space between the level above it and its children, width_words words
 * per cycle per instance of that level (each instance has its own bus; the
 * engine runs instances in lockstep, so the bus resource carries all of
 * them at width x instances). A multicast occupies the bus once whatever
 * its fan-out; psums reduced on the way up occupy it once per reduced
 * word. A width of 0 is unlimited. The shorthand's NoC is the fan-out
 * below the GLB. */
#include "engine/engine.h"

void pesim_net_res(const struct pesim_arch *arch, struct resources *rs)
{
    for (unsigned f = 0; f < PESIM_LEVELS_MAX; f++) {
        bool has = pesim_arch_has_fanout(arch, f);
        uint64_t inst = has ? pesim_arch_instances(arch, f) : 0;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            rs->net[f][ds] = RES_NONE;
            if (!has)
                continue;
            uint32_t w = arch->level[f].fanout.net[ds].width_words;
            struct res *r = &rs->r[rs->n];
            r->rate = w ? w * inst : UINT64_MAX;
            r->stall = PESIM_STALL_NOC;
            r->pool = 1;
            rs->net[f][ds] = rs->n++;
        }
    }
}
