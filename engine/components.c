/* The table of component kinds (arch/component.h) and the one place the
 * engine turns their declarations into its resources: a new kind of
 * storage level, network or DRAM is one file and one row here, before the
 * default row of its site if it models only some sites. */
#include <string.h>

#include "engine/engine.h"

static const struct pesim_component_kind *const kinds[] = {
    &pesim_comp_dram,    /* level 0 */
    &pesim_comp_storage, /* every other level */
    &pesim_comp_network, /* every fan-out */
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const struct pesim_component_kind *kind_of(const struct pesim_arch *a,
                                                  enum pesim_comp_site site, unsigned index)
{
    for (unsigned i = 0; i < NKINDS; i++)
        if (kinds[i]->site == site && kinds[i]->claims(a, index))
            return kinds[i];
    return NULL;
}

/* Whether a declaration is well formed: its roles name its resources,
 * its pools fit the engine's servers. */
static bool sane(const struct pesim_comp_timing *t)
{
    if (t->nres > PESIM_COMP_RES_MAX)
        return false;
    for (unsigned i = 0; i < t->nres; i++)
        if (t->res[i].pool < 1 || t->res[i].pool > 8 || t->res[i].rate == 0)
            return false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (t->data[ds] != PESIM_COMP_NONE && t->data[ds] >= t->nres)
            return false;
    return (t->rport == PESIM_COMP_NONE || t->rport < t->nres) &&
           (t->wport == PESIM_COMP_NONE || t->wport < t->nres) &&
           (t->rbw == PESIM_COMP_NONE || t->rbw < t->nres) &&
           (t->wbw == PESIM_COMP_NONE || t->wbw < t->nres) &&
           (t->reload == PESIM_COMP_NONE || t->reload < t->nres);
}

/* The site's declarations into the engine's table; returns the engine's
 * index of each of the component's resources through map[]. 0, or
 * PESIM_E_INVALID for a malformed declaration, PESIM_E_RANGE when the
 * table is full (the shipped rows need at most 1 + 7 x 5 + 8 x 4 = 68 of
 * RES_MAX). */
static int take(struct resources *rs, const struct pesim_comp_timing *t,
                uint8_t map[PESIM_COMP_RES_MAX], unsigned site)
{
    if (!sane(t))
        return PESIM_E_INVALID;
    if (t->nres > RES_MAX - rs->n)
        return PESIM_E_RANGE;
    for (unsigned i = 0; i < t->nres; i++) {
        struct res *x = &rs->r[rs->n];
        x->rate = t->res[i].rate;
        x->stall = t->res[i].stall;
        x->pool = t->res[i].pool;
        x->site = (uint8_t)site;
        x->role = PESIM_ROLE_WEIGHTS; /* until a role says otherwise (the DRAM channel) */
        map[i] = rs->n++;
    }
    return 0;
}

static uint8_t role(const uint8_t map[PESIM_COMP_RES_MAX], uint8_t local)
{
    return local < PESIM_COMP_RES_MAX ? map[local] : RES_NONE;
}

/* Mark the engine's resource `res` (RES_NONE: none) as playing `what` at
 * its site, for the stalls by role. */
static void mark(struct resources *rs, uint8_t res, enum pesim_stall_role what)
{
    if (res != RES_NONE)
        rs->r[res].role = (uint8_t)what;
}

static void timing(const struct pesim_component_kind *k, const struct pesim_arch *a,
                   unsigned index, struct pesim_comp_timing *t, uint8_t map[PESIM_COMP_RES_MAX])
{
    memset(t, 0, sizeof *t);
    memset(t->data, PESIM_COMP_NONE, sizeof t->data);
    t->rport = t->wport = t->rbw = t->wbw = t->reload = PESIM_COMP_NONE;
    memset(map, RES_NONE, PESIM_COMP_RES_MAX);
    k->timing(a, index, t);
}

int pesim_components_build(struct run *r)
{
    struct resources *rs = &r->rs;
    const struct pesim_arch *a = &r->tarch;
    memset(rs->part, RES_NONE, sizeof rs->part);
    memset(rs->rport, RES_NONE, sizeof rs->rport);
    memset(rs->wport, RES_NONE, sizeof rs->wport);
    memset(rs->rbw, RES_NONE, sizeof rs->rbw);
    memset(rs->wbw, RES_NONE, sizeof rs->wbw);
    memset(rs->net_reload, RES_NONE, sizeof rs->net_reload);
    memset(rs->net, RES_NONE, sizeof rs->net);
    rs->dram = RES_NONE;
    struct pesim_comp_timing t;
    uint8_t map[PESIM_COMP_RES_MAX];
    for (unsigned lv = 0; lv < r->arch->nlevels; lv++) {
        const struct pesim_component_kind *k = kind_of(a, PESIM_SITE_LEVEL, lv);
        if (!k)
            continue;
        timing(k, a, lv, &t, map);
        int rc = take(rs, &t, map, lv);
        if (rc)
            return rc;
        if (lv == PESIM_LEVEL_DRAM) {
            /* DRAM: one channel, work in bytes, behind the port */
            rs->dram = role(map, t.data[0]);
            rs->dram_latency = t.latency;
            memcpy(rs->bytes, t.bytes, sizeof rs->bytes);
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                rs->dram_ratio[ds] = r->layer ? pesim_dram_ratio(r->arch, r->layer, ds) : 1.0;
            continue;
        }
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            rs->part[lv][ds] = role(map, t.data[ds]);
            /* interleaved banks: a rate its transfers share, not a server */
            if (a->level[lv].interleaved && rs->part[lv][ds] != RES_NONE &&
                rs->r[rs->part[lv][ds]].rate != UINT64_MAX)
                rs->r[rs->part[lv][ds]].fluid = true;
        }
        rs->rport[lv] = role(map, t.rport);
        rs->wport[lv] = role(map, t.wport);
        rs->rbw[lv] = role(map, t.rbw);
        rs->wbw[lv] = role(map, t.wbw);
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            mark(rs, rs->part[lv][ds], (enum pesim_stall_role)ds);
        mark(rs, rs->rport[lv], PESIM_ROLE_READ_PORTS);
        mark(rs, rs->wport[lv], PESIM_ROLE_WRITE_PORTS);
        mark(rs, rs->rbw[lv], PESIM_ROLE_READ_BANDWIDTH);
        mark(rs, rs->wbw[lv], PESIM_ROLE_WRITE_BANDWIDTH);
        /* Timeloop's bandwidths are rates shared by every transfer on them
         * (docs/model.md §8.2), not servers a transfer holds */
        if (rs->rbw[lv] != RES_NONE && rs->r[rs->rbw[lv]].rate != UINT64_MAX)
            rs->r[rs->rbw[lv]].fluid = true;
        if (rs->wbw[lv] != RES_NONE && rs->r[rs->wbw[lv]].rate != UINT64_MAX)
            rs->r[rs->wbw[lv]].fluid = true;
    }
    for (unsigned f = 0; f < PESIM_LEVELS_MAX; f++) {
        const struct pesim_component_kind *k = kind_of(a, PESIM_SITE_FANOUT, f);
        if (!k)
            continue;
        timing(k, a, f, &t, map);
        int rc = take(rs, &t, map, PESIM_LEVELS_MAX + f);
        if (rc)
            return rc;
        rs->net_reload[f] = role(map, t.reload);
        mark(rs, rs->net_reload[f], PESIM_ROLE_RELOAD);
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            rs->net[f][ds] = role(map, t.data[ds]);
            mark(rs, rs->net[f][ds], (enum pesim_stall_role)ds);
            /* a bus of unlimited width carries any number of transfers at
             * once: held by one that a bandwidth elsewhere bounds, it made
             * the next one (a psum drain after a reload) wait */
            if (rs->net[f][ds] != RES_NONE && rs->r[rs->net[f][ds]].rate == UINT64_MAX)
                rs->r[rs->net[f][ds]].fluid = true;
        }
    }
    r->chan = (struct pesim_dram_channel){0};
    if (rs->dram != RES_NONE) {
        r->chan.rate = rs->r[rs->dram].rate;
        r->chan.latency = rs->dram_latency;
    }
    return 0;
}

int pesim_components_register(struct run *r, pesim_kernel *k)
{
    const struct pesim_arch *a = r->arch;
    int rc = 0;
    for (unsigned lv = 0; lv < a->nlevels; lv++) {
        const struct pesim_component_kind *c = kind_of(a, PESIM_SITE_LEVEL, lv);
        if (c && c->counters)
            rc |= c->counters(a, lv, &r->counts, k);
    }
    for (unsigned f = 0; f < a->nlevels; f++) {
        const struct pesim_component_kind *c = kind_of(a, PESIM_SITE_FANOUT, f);
        if (c && c->counters)
            rc |= c->counters(a, f, &r->counts, k);
    }
    return rc ? PESIM_E_NOMEM : 0;
}
