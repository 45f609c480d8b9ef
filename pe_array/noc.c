/* A network as a component (arch/component.h): below a fan-out, one bus
 * per data space between the level above it and its children,
 * width_words words per cycle per instance of that level (each instance
 * has its own bus; the engine runs instances in lockstep, so the bus
 * resource carries all of them at width x instances). A multicast
 * occupies the bus once whatever its fan-out; psums reduced on the way up
 * occupy it once per reduced word. A width of 0 is unlimited. Psums
 * brought back down take a bus of their own when the outputs' network
 * gives reload_width_words (Eyeriss's psum GIN beside its GON). The
 * shorthand's NoC is the fan-out below the GLB. Counters
 * "<fanout>.words.<ds>" and "<fanout>.multicast.<ds>" (the engine keeps
 * "noc.reductions", one count over every network). */
#include <stdio.h>

#include "arch/component.h"

static bool net_claims(const struct pesim_arch *arch, unsigned f)
{
    return pesim_arch_has_fanout(arch, f);
}

static void net_timing(const struct pesim_arch *arch, unsigned f, struct pesim_comp_timing *out)
{
    uint64_t inst = pesim_arch_instances(arch, f);
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        uint32_t w = arch->level[f].fanout.net[ds].width_words;
        out->res[out->nres] =
            (struct pesim_comp_res){w ? w * inst : UINT64_MAX, PESIM_STALL_NOC, 1};
        out->data[ds] = out->nres++;
    }
    uint32_t rw = arch->level[f].fanout.net[PESIM_DS_OUTPUTS].reload_width_words;
    if (rw) { /* psums brought back down on a bus of their own */
        out->res[out->nres] = (struct pesim_comp_res){rw * inst, PESIM_STALL_NOC, 1};
        out->reload = out->nres++;
    }
}

static int net_counters(const struct pesim_arch *arch, unsigned f,
                        struct pesim_analysis *counts, pesim_kernel *k)
{
    char name[128];
    int rc = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        snprintf(name, sizeof name, "%s.words.%s", arch->level[f].fanout.name,
                 pesim_ds_name(ds));
        rc |= pesim_kernel_counter(k, name, &counts->noc_words[f][ds]);
        snprintf(name, sizeof name, "%s.multicast.%s", arch->level[f].fanout.name,
                 pesim_ds_name(ds));
        rc |= pesim_kernel_counter(k, name, &counts->noc_sends[f][ds]);
    }
    return rc ? PESIM_E_NOMEM : 0;
}

const struct pesim_component_kind pesim_comp_network = {
    "network", PESIM_SITE_FANOUT, net_claims, net_timing, net_counters};
