/* DRAM as a timing resource: one channel shared by reads and writes, its
 * rate in fixed point (2^-PESIM_DRAM_FP byte per cycle) so that the event
 * engine's closed form and the step engine's per-cycle credit agree
 * exactly; reads complete latency_cycles after they leave the channel.
 * Another memory model (a SystemC/TLM target) replaces this resource. */
#include <math.h>

#include "sim/engine.h"

void pesim_dram_res(const struct pesim_arch *arch, struct resources *rs)
{
    struct res *r = &rs->r[rs->n];
    rs->dram = rs->n++;
    double per_cycle = pesim_arch_dram_bytes_per_cycle(arch);
    double fp = ldexp(per_cycle, PESIM_DRAM_FP);
    /* bandwidth 0 means unlimited: transfers take no time */
    r->rate = per_cycle <= 0 ? UINT64_MAX : fp >= 1 ? (uint64_t)llround(fp) : 1;
    r->stall = PESIM_STALL_DRAM_BANDWIDTH;
    r->pool = 1;
    rs->dram_latency = arch->dram.latency_cycles;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        rs->bytes[ds] = (arch->word_bits[ds] + 7) / 8;
}
