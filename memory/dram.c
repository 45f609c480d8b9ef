/* DRAM as a timing resource: one channel shared by reads and writes, its
 * rate in fixed point (2^-PESIM_DRAM_FP byte per cycle) so that the event
 * engine's closed form and the step engine's per-cycle credit agree
 * exactly; reads complete latency_cycles after they leave the channel.
 * Another memory model (a SystemC/TLM target) replaces this resource. */
#include <math.h>

#include "engine/engine.h"

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
        rs->bytes[ds] = pesim_arch_level_word_bytes(arch, PESIM_LEVEL_DRAM, ds);
}

/* The built-in channel as a port: FIFO, one transfer at a time. */
static uint64_t builtin_available(void *ctx, uint64_t t)
{
    const struct res *x = &((struct resources *)ctx)->r[((struct resources *)ctx)->dram];
    uint64_t a = x->free_at[0] > x->last_start ? x->free_at[0] : x->last_start;
    return a > t ? a : t;
}

static uint64_t builtin_cycles(void *ctx, uint64_t bytes, bool write)
{
    (void)write;
    const struct resources *rs = ctx;
    return pesim_res_cycles(bytes << PESIM_DRAM_FP, rs->r[rs->dram].rate);
}

static uint32_t builtin_latency(void *ctx, bool write)
{
    return write ? 0 : ((struct resources *)ctx)->dram_latency;
}

static void builtin_reserve(void *ctx, uint64_t start, uint64_t until)
{
    struct resources *rs = ctx;
    rs->r[rs->dram].free_at[0] = until;
    rs->r[rs->dram].last_start = start;
}

void pesim_dram_port_builtin(struct resources *rs, struct pesim_dram_port *port)
{
    *port = (struct pesim_dram_port){builtin_available, builtin_cycles, builtin_latency,
                                     builtin_reserve, rs};
}
