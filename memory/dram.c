/* DRAM as a component (arch/component.h): one channel shared by reads and
 * writes, its rate in fixed point (2^-PESIM_DRAM_FP byte per cycle) so
 * that the event engine's closed form and the step engine's per-cycle
 * credit agree exactly; reads complete latency_cycles after they leave the
 * channel. Its counters are level 0's ("dram.read.weights", ...). Also the
 * built-in port over the channel. Another memory model (a SystemC/TLM
 * target) replaces DRAM through struct pesim_dram_model, not here. */
#include <math.h>

#include "arch/component.h"

static bool dram_claims(const struct pesim_arch *arch, unsigned lv)
{
    (void)arch;
    return lv == PESIM_LEVEL_DRAM;
}

static void dram_timing(const struct pesim_arch *arch, unsigned lv, struct pesim_comp_timing *out)
{
    (void)lv;
    double per_cycle = pesim_arch_dram_bytes_per_cycle(arch);
    double fp = ldexp(per_cycle, PESIM_DRAM_FP);
    /* bandwidth 0 means unlimited: transfers take no time */
    out->res[0] = (struct pesim_comp_res){
        .rate = per_cycle <= 0 ? UINT64_MAX : fp >= 1 ? (uint64_t)llround(fp) : 1,
        .stall = PESIM_STALL_DRAM_BANDWIDTH,
        .pool = 1};
    out->nres = 1;
    out->latency = arch->dram.latency_cycles;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        out->data[ds] = 0;
        out->bytes[ds] = pesim_arch_level_word_bytes(arch, PESIM_LEVEL_DRAM, ds);
    }
}

const struct pesim_component_kind pesim_comp_dram = {
    "dram", PESIM_SITE_LEVEL, dram_claims, dram_timing, pesim_level_counters};

/* The built-in channel as a port: FIFO, one transfer at a time. */
static uint64_t builtin_available(void *ctx, uint64_t t)
{
    const struct pesim_dram_channel *ch = ctx;
    uint64_t a = ch->free_at > ch->last_start ? ch->free_at : ch->last_start;
    return a > t ? a : t;
}

static uint64_t builtin_cycles(void *ctx, uint64_t bytes, bool write)
{
    (void)write;
    const struct pesim_dram_channel *ch = ctx;
    return pesim_work_cycles(bytes << PESIM_DRAM_FP, ch->rate);
}

static uint32_t builtin_latency(void *ctx, bool write)
{
    return write ? 0 : ((const struct pesim_dram_channel *)ctx)->latency;
}

static void builtin_reserve(void *ctx, uint64_t start, uint64_t until)
{
    struct pesim_dram_channel *ch = ctx;
    ch->free_at = until;
    ch->last_start = start;
}

void pesim_dram_port_builtin(struct pesim_dram_channel *ch, struct pesim_dram_port *port)
{
    *port = (struct pesim_dram_port){builtin_available, builtin_cycles, builtin_latency,
                                     builtin_reserve, ch};
}
