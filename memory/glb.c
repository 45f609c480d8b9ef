/* The global buffer as timing resources: one partition per data space it
 * holds (its banks serve one access per cycle each, so two transfers of
 * one data space conflict and serialize), and pools of read and write
 * ports. Banks are split evenly; the first data spaces take the rest. */
#include "engine/engine.h"

static uint8_t add(struct resources *rs, uint64_t rate, uint8_t pool)
{
    struct res *r = &rs->r[rs->n];
    r->rate = rate;
    r->stall = PESIM_STALL_GLB;
    r->pool = pool;
    return rs->n++;
}

void pesim_glb_res(const struct pesim_arch *arch, struct resources *rs)
{
    const struct pesim_glb_cfg *g = &arch->glb;
    unsigned held = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        held += g->holds[ds];
    unsigned k = 0;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
        rs->glb[ds] = UINT8_MAX;
        if (!g->holds[ds])
            continue;
        uint64_t banks = g->banks / held + (k++ < g->banks % held);
        if (banks == 0)
            banks = 1;
        uint64_t rate = g->bank_words_per_cycle ? banks * g->bank_words_per_cycle : UINT64_MAX;
        rs->glb[ds] = add(rs, rate, 1); /* 0 words per cycle: unlimited */
    }
    /* Ports move no words of their own: they only limit how many transfers
     * use the GLB at once. A rate of UINT64_MAX makes their time 0. */
    uint8_t rp = g->read_ports ? (uint8_t)g->read_ports : 1; /* schema: <= 8 */
    uint8_t wp = g->write_ports ? (uint8_t)g->write_ports : 1;
    rs->glb_read = add(rs, UINT64_MAX, rp);
    rs->glb_write = add(rs, UINT64_MAX, wp);
}
