/* DRAM as a component (arch/component.h): one channel shared by reads and
 * writes, its rate in fixed point (2^-PESIM_DRAM_FP byte per cycle) so
 * that the event engine's closed form and the step engine's per-cycle
 * credit agree exactly; reads complete latency_cycles after they leave the
 * channel. Its counters are level 0's ("dram.read.weights", ...). Also the
 * built-in port over the channel. Another memory model (a SystemC/TLM
 * target) replaces DRAM through struct pesim_dram_model, not here. */
#include <math.h>

#include "arch/component.h"

/* Eyeriss's RLC (JSSC 2017 §IV-C): each pair is a run of up to 31 zeros
 * (5 bits) and the word that ends it, as many pairs as fit to a 64-bit
 * word. With zeros independent at rate z, a pair covers sum_{k<32} z^k
 * values (a 32nd zero ends a run as a value of its own), so a value costs
 * (1 - z) / (1 - z^32) pairs. */
double pesim_dram_ratio(const struct pesim_arch *arch, const struct pesim_layer *l, unsigned ds)
{
    if (arch->dram.compression != PESIM_COMPRESS_RLC || ds == PESIM_DS_WEIGHTS ||
        ds >= PESIM_DS_COUNT)
        return 1.0;
    uint32_t wb = arch->level[PESIM_LEVEL_DRAM].word_bits[ds];
    if (wb == 0)
        wb = arch->word_bits[ds];
    uint32_t per_word = wb + 5 <= 64 ? 64 / (wb + 5) : 0;
    double d = pesim_layer_density(l, ds);
    if (per_word == 0 || d >= 1.0)
        return 1.0;
    double z = 1.0 - d;
    double pairs = (1.0 - z) / (1.0 - pow(z, 32));
    double r = pairs * 64.0 / per_word / wb;
    return r < 1.0 ? r : 1.0;
}

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
