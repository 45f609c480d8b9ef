/* A storage level as timing resources (the GLB of the shorthand, or any
 * on-chip level of the general form): one partition per data space it
 * holds (its banks serve one access per cycle each, so two transfers of
 * one data space conflict and serialize), and pools of read and write
 * ports. Banks are split evenly; the first data spaces take the rest. A
 * level below a fan-out has one copy per instance, all doing the same
 * thing at once (the engine runs instances in lockstep), so a partition's
 * rate is one instance's times the instances and its work is the words of
 * all of them; ports are per instance. A level of 0 banks (the
 * shorthand's RF) is untimed. */
#include "engine/engine.h"

static uint8_t add(struct resources *rs, uint64_t rate, uint8_t pool)
{
    struct res *r = &rs->r[rs->n];
    r->rate = rate;
    r->stall = PESIM_STALL_GLB;
    r->pool = pool;
    return rs->n++;
}

void pesim_level_res(const struct pesim_arch *arch, unsigned lv, struct resources *rs)
{
    const struct pesim_level_cfg *g = &arch->level[lv];
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        rs->part[lv][ds] = RES_NONE;
    rs->rport[lv] = rs->wport[lv] = RES_NONE;
    if (g->banks == 0)
        return;
    unsigned held = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        held += g->holds[ds];
    uint64_t inst = pesim_arch_instances(arch, lv);
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
        rs->part[lv][ds] = add(rs, rate, 1);
    }
    /* Ports move no words of their own: they only limit how many transfers
     * use the level at once. A rate of UINT64_MAX makes their time 0. */
    uint8_t rp = g->read_ports ? (uint8_t)g->read_ports : 1; /* schema: <= 8 */
    uint8_t wp = g->write_ports ? (uint8_t)g->write_ports : 1;
    rs->rport[lv] = add(rs, UINT64_MAX, rp);
    rs->wport[lv] = add(rs, UINT64_MAX, wp);
}
