/* A storage level as a component (arch/component.h): the GLB of the
 * shorthand, or any on-chip level of the general form. One partition per
 * data space it holds (its banks serve one access per cycle each, so two
 * transfers of one data space conflict and serialize), and pools of read
 * and write ports. Banks are split evenly; the first data spaces take the
 * rest. A level below a fan-out has one copy per instance, all doing the
 * same thing at once (the engine runs instances in lockstep), so a
 * partition's rate is one instance's times the instances and its work is
 * the words of all of them; ports are per instance. A level of 0 banks
 * (the shorthand's RF) is untimed. Counters "<level>.read|fill|update.<ds>"
 * of every level, DRAM's too. */
#include <math.h>
#include <stdio.h>

#include "arch/component.h"

static uint8_t add(struct pesim_comp_timing *t, uint64_t rate, uint8_t pool)
{
    t->res[t->nres] = (struct pesim_comp_res){rate, PESIM_STALL_GLB, pool};
    return t->nres++;
}

static bool storage_claims(const struct pesim_arch *arch, unsigned lv)
{
    (void)arch;
    return lv != PESIM_LEVEL_DRAM;
}

/* A Timeloop bandwidth (words per cycle per instance) as a rate in
 * 2^-PESIM_DRAM_FP words per cycle over all instances; 0 when unlimited. */
static uint64_t bw_rate(double per_instance, uint64_t inst)
{
    if (!(per_instance > 0))
        return 0;
    double fp = ldexp(per_instance * (double)inst, PESIM_DRAM_FP);
    return fp >= 0x1p62 ? UINT64_MAX : fp >= 1 ? (uint64_t)llround(fp) : 1;
}

static void storage_timing(const struct pesim_arch *arch, unsigned lv,
                           struct pesim_comp_timing *out)
{
    const struct pesim_level_cfg *g = &arch->level[lv];
    uint64_t inst = pesim_arch_instances(arch, lv);
    /* Timeloop's bandwidths, each shared by the level's data spaces; they
     * time a level even without banks */
    uint64_t rr = bw_rate(g->read_bandwidth, inst), wr = bw_rate(g->write_bandwidth, inst);
    if (rr)
        out->rbw = add(out, rr, 1);
    if (wr)
        out->wbw = add(out, wr, 1);
    /* A level timed the way Timeloop times it — bandwidths and no bank
     * rate — has no partitions and no ports: its reads and its writes flow
     * at once, each at its own bandwidth (a partition or a port held by one
     * transfer would make the other wait). */
    if (g->banks == 0 || ((rr || wr) && g->bank_words_per_cycle == 0))
        return;
    unsigned held = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        held += g->holds[ds];
    unsigned k = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        if (!g->holds[ds])
            continue;
        uint64_t banks = g->banks / held + (k++ < g->banks % held);
        if (banks == 0)
            banks = 1;
        /* 0 words per cycle: unlimited */
        uint64_t rate = g->bank_words_per_cycle ? banks * g->bank_words_per_cycle * inst
                                                : UINT64_MAX;
        out->data[ds] = add(out, rate, 1);
    }
    /* Ports move no words of their own: they only limit how many transfers
     * use the level at once. A rate of UINT64_MAX makes their time 0. */
    uint8_t rp = g->read_ports ? (uint8_t)g->read_ports : 1; /* schema: <= 8 */
    uint8_t wp = g->write_ports ? (uint8_t)g->write_ports : 1;
    out->rport = add(out, UINT64_MAX, rp);
    out->wport = add(out, UINT64_MAX, wp);
}

int pesim_level_counters(const struct pesim_arch *arch, unsigned lv,
                         struct pesim_analysis *counts, pesim_kernel *k)
{
    static const char *const what[4] = {"read", "fill", "update", "drain"};
    char name[128];
    int rc = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        struct pesim_access *x = &counts->acc[lv][ds];
        uint64_t *field[4] = {&x->reads, &x->fills, &x->updates, &x->drains};
        for (unsigned w = 0; w < (ds == PESIM_DS_OUTPUTS ? 4u : 3u); w++) { /* only psums drain */
            snprintf(name, sizeof name, "%s.%s.%s", arch->level[lv].name, what[w],
                     pesim_ds_name(ds));
            rc |= pesim_kernel_counter(k, name, field[w]);
        }
    }
    return rc ? PESIM_E_NOMEM : 0;
}

const struct pesim_component_kind pesim_comp_storage = {
    "storage", PESIM_SITE_LEVEL, storage_claims, storage_timing, pesim_level_counters};
