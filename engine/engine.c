/* Running a layer on a cycle-level engine: set up the resources (from the
 * components, engine/components.c), run the
 * controller under the chosen engine, and turn the run into a result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/trace.h"

int pesim_engine_event(struct run *r);
int pesim_engine_step(struct run *r);

const char *const pesim_engine_names[PESIM_ENGINE_COUNT + 1] = {"event", "step", "analysis",
                                                                 NULL};
static const char *const stall_names[PESIM_STALL_COUNT] = {
    "compute", "fill_drain", "dram_bandwidth", "dram_latency", "glb", "noc"};

const char *pesim_engine_name(enum pesim_engine e)
{
    return (unsigned)e < PESIM_ENGINE_COUNT ? pesim_engine_names[e] : NULL;
}

int pesim_engine_parse(const char *name, enum pesim_engine *out)
{
    for (unsigned i = 0; name && i < PESIM_ENGINE_COUNT; i++)
        if (strcmp(name, pesim_engine_names[i]) == 0) {
            *out = (enum pesim_engine)i;
            return 0;
        }
    return PESIM_E_NOTFOUND;
}

const char *pesim_stall_name(enum pesim_stall s)
{
    return (unsigned)s < PESIM_STALL_COUNT ? stall_names[s] : NULL;
}

int pesim_run_register(struct run *r, pesim_kernel *k)
{
    char name[128];
    /* the components' counters: every level's accesses, every network's words */
    int rc = pesim_components_register(r, k);
    rc |= pesim_kernel_counter(k, "noc.reductions", &r->counts.spatial_reductions);
    rc |= pesim_kernel_counter(k, "pe.mac", &r->counts.macs);
    for (unsigned s = 0; s < PESIM_STALL_COUNT; s++) {
        snprintf(name, sizeof name, "stall.%s", pesim_stall_name(s));
        rc |= pesim_kernel_counter(k, name, &r->stalls[s]);
    }
    return rc ? PESIM_E_NOMEM : 0;
}

/* Copy the engine's counts and timing into the result (tile sizes stay the
 * analysis's: the engine moves data, it does not size tiles). */
static void report(const struct run *r, struct pesim_layer_result *out)
{
    struct pesim_analysis *a = &out->analysis;
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            a->acc[lv][ds].reads = r->counts.acc[lv][ds].reads;
            a->acc[lv][ds].fills = r->counts.acc[lv][ds].fills;
            a->acc[lv][ds].updates = r->counts.acc[lv][ds].updates;
            a->acc[lv][ds].drains = r->counts.acc[lv][ds].drains;
        }
    memcpy(a->noc_words, r->counts.noc_words, sizeof a->noc_words);
    memcpy(a->noc_sends, r->counts.noc_sends, sizeof a->noc_sends);
    a->spatial_reductions = r->counts.spatial_reductions;
    out->cycles = r->cycles;
    /* no step at all (an empty layer): no steady state */
    out->steady_cycles = r->computed && r->last_join
                             ? node_get((struct run *)r, r->last_join)->done - r->first_start
                             : 0;
    memcpy(out->stalls, r->stalls, sizeof out->stalls);
    memcpy(out->site_stalls, r->site_stalls, sizeof out->site_stalls);
    memcpy(out->role_stalls, r->role_stalls, sizeof out->role_stalls);
    out->events = r->events;
}

int pesim_engine_run(const struct pesim_arch *arch, const struct pesim_layer *l,
                     const struct pesim_mapping *m, enum pesim_engine engine,
                     struct pesim_layer_result *out, const struct engine_hooks *hooks)
{
    if (hooks && (hooks->port || hooks->trace || hooks->model) && engine == PESIM_ENGINE_STEP)
        return PESIM_E_INVALID; /* the step engine advances the built-in channel */
    struct run *r = calloc(1, sizeof *r); /* the node ring is large */
    if (!r)
        return PESIM_E_NOMEM;
    r->arch = arch;
    r->layer = l;
    r->map = m;
    if (hooks) {
        r->inspect = hooks->inspect;
        r->inspect_ctx = hooks->ctx;
        r->until = hooks->until;
    }
    r->tarch = *arch;
    pesim_arch_expand(&r->tarch); /* a general arch stays as it is */
    int rc = pesim_components_build(r);
    if (rc) {
        free(r);
        return rc;
    }
    pesim_dram_port_builtin(&r->chan, &r->port);
    if (hooks && hooks->port)
        r->port = *hooks->port;
    if (hooks && hooks->model)
        r->model = *hooks->model;
    r->dram_untimed = !(hooks && (hooks->port || hooks->model)) && r->rs.dram != RES_NONE &&
                      r->rs.r[r->rs.dram].rate == UINT64_MAX;
    if (hooks && hooks->trace) {
        uint64_t tile[PESIM_DS_COUNT];
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            tile[ds] = arch->nlevels > 1 ? out->analysis.acc[PESIM_LEVEL_GLB][ds].tile_words : 0;
        r->trace = hooks->trace;
        trace_layer_begin(r->trace, r, tile);
    }
    rc = pesim_plan_init(r);
    if (!rc)
        rc = engine == PESIM_ENGINE_STEP ? pesim_engine_step(r) : pesim_engine_event(r);
    if (!rc && r->trace)
        trace_layer_end(r->trace, r, r->cycles);
    pesim_plan_free(r);
    if (!rc)
        report(r, out);
    free(r);
    return rc;
}
