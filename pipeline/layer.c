/* Running a layer (include/pesim/sim.h, "Running one layer"): check and
 * analyse the mapping, then take its cycles from the analysis's roofline
 * or a cycle-level engine (model.md §6, §8); utilization, latency and
 * energy follow from them. Every pesim_sim_layer* entry point is this one
 * pipeline with other engine hooks, so a limit or a check added here holds
 * for all of them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "pipeline/pipeline.h"

static void finish(const struct pesim_arch *arch, struct pesim_layer_result *r)
{
    struct pesim_analysis *a = &r->analysis;
    a->util_temporal = a->pes && r->cycles
                           ? (double)a->macs / ((double)a->pes * (double)r->cycles)
                           : 0;
    r->latency_us = arch->clock_mhz > 0 ? (double)r->cycles / arch->clock_mhz : 0;
    pesim_energy_compute(arch, a, r->cycles, &r->energy);
}

/* A network's energy is the sum of its layers' (not the energy of the
 * summed counts: block rounding and leakage on used instances are per
 * layer). */
static void energy_sum(struct pesim_energy *t, const struct pesim_layer_result *r, size_t n,
                       uint64_t macs)
{
    unsigned rows = t->nrows;
    memset(t, 0, sizeof *t);
    t->nrows = rows;
    for (size_t i = 0; i < n; i++) {
        const struct pesim_energy *e = &r[i].energy;
        for (unsigned row = 0; row < PESIM_ENERGY_ROWS_MAX; row++) {
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                t->by[row][ds] += e->by[row][ds];
            t->by_level[row] += e->by_level[row];
        }
        for (unsigned c = 0; c < PESIM_EL_COUNT; c++)
            t->by_class[c] += e->by_class[c];
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            t->by_data[ds] += e->by_data[ds];
        t->mac += e->mac;
        t->leakage += e->leakage;
        t->total += e->total;
    }
    t->per_mac = macs ? t->total / (double)macs : 0;
}

/* Steps the engines walk: the product of the temporal loops of every level
 * but the innermost (the shorthand's DRAM and GLB loops; each at most 2^40
 * over a dimension, so saturating is only a guard). */
static uint64_t nest_steps(const struct pesim_mapping *m)
{
    uint64_t n = 1;
    for (unsigned lv = 0; lv + 1 < pesim_mapping_levels(m); lv++)
        for (uint8_t i = 0; i < m->ntemporal[lv]; i++) {
            uint64_t b = m->temporal[lv][i].bound;
            n = b && n > UINT64_MAX / b ? UINT64_MAX : n * b;
        }
    return n;
}

/* The one pipeline every entry point below goes through (sim.h, "Running
 * one layer"). `hooks` reach the cycle-level engine: a trace or another
 * memory model (NULL: neither); with a model, a failure is the model's. */
static int run_layer(const struct pesim_arch *arch, const struct pesim_layer *l,
                     const struct pesim_mapping *m, enum pesim_engine engine,
                     const struct engine_hooks *hooks, const char *file,
                     struct pesim_layer_result *out, pesim_diags *diags)
{
    struct pesim_layer view;
    const struct pesim_layer *given = l;
    l = pesim_layer_as_run(arch, l, &view);
    memset(out, 0, sizeof *out);
    out->layer = *l;
    out->source = *given;
    out->mapping = *m;
    int rc = pesim_map_check(arch, l, m, file, diags);
    if (rc)
        return rc;
    rc = pesim_map_analyze(arch, l, m, &out->analysis);
    if (rc) {
        pesim_diags_addc(diags, PESIM_DIAG_SIM_FAIL, file, 0, 0, "layer %s: %s", l->name,
                         pesim_strerror(rc));
        return rc;
    }
    rc = pesim_map_check_fit(arch, &out->analysis, file, diags);
    if (rc)
        return rc;
    out->engine = engine;
    out->cycles = pesim_map_bounds(arch, &out->analysis, out->bound_cycles, &out->bound);
    /* Timeloop's bandwidths bound the on-chip levels too */
    uint64_t bw[PESIM_LEVELS_MAX];
    pesim_map_level_bw_cycles(arch, m, &out->analysis, bw);
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++) {
        uint64_t ideal = out->analysis.ideal_cycles;
        out->throttling[lv] = bw[lv] > ideal ? (double)ideal / (double)bw[lv] : 1.0;
        if (bw[lv] > out->bound_cycles[PESIM_BOUND_GLB])
            out->bound_cycles[PESIM_BOUND_GLB] = bw[lv];
        if (bw[lv] > out->cycles) {
            out->cycles = bw[lv];
            out->bound = PESIM_BOUND_GLB;
        }
    }
    out->steady_cycles = out->cycles;
    if (out->cycles == UINT64_MAX) {
        pesim_diags_addc(diags, PESIM_DIAG_SIM_LIMIT, file, 0, 0,
                         "layer %s: its %s cycles overflow 64 bits (DRAM at %g bytes per cycle), "
                         "expected a count that fits", l->name, pesim_bound_name(out->bound),
                         pesim_arch_dram_bytes_per_cycle(arch));
        return PESIM_E_RANGE;
    }
    /* The engines time DRAM in units of 2^-PESIM_DRAM_FP byte (memory/
     * dram.c): a slower channel would be timed as that rate, a wrong
     * answer, so it is refused rather than rounded. */
    double per_cycle = pesim_arch_dram_bytes_per_cycle(arch);
    if (engine != PESIM_ENGINE_ANALYSIS && per_cycle > 0 &&
        ldexp(per_cycle, PESIM_DRAM_FP) < 0.5) {
        pesim_diags_addc(diags, PESIM_DIAG_SIM_LIMIT, file, 0, 0,
                         "layer %s: DRAM at %g bytes per cycle is slower than the %s engine can "
                         "time, expected at least 2^-%d byte per cycle (or the analysis engine)",
                         l->name, per_cycle, pesim_engine_name(engine), PESIM_DRAM_FP);
        return PESIM_E_RANGE;
    }
    uint64_t steps = nest_steps(m);
    if (engine != PESIM_ENGINE_ANALYSIS && steps > PESIM_ENGINE_MAX_STEPS) {
        pesim_diags_addc(diags, PESIM_DIAG_SIM_LIMIT, file, 0, 0,
                         "layer %s: its mapping has %llu steps above the %s, more than the %s "
                         "engine walks (%llu), expected a smaller layer (or the analysis engine)",
                         l->name, (unsigned long long)steps,
                         arch->general ? arch->level[arch->nlevels - 1].name : "RF",
                         pesim_engine_name(engine), (unsigned long long)PESIM_ENGINE_MAX_STEPS);
        return PESIM_E_RANGE;
    }
    if (engine != PESIM_ENGINE_ANALYSIS) {
        rc = pesim_engine_run(arch, l, m, engine, out, hooks);
        if (rc == PESIM_E_RANGE && engine == PESIM_ENGINE_STEP) {
            pesim_diags_addc(diags, PESIM_DIAG_SIM_LIMIT, file, 0, 0,
                             "layer %s: the step engine stopped at %llu cycles, expected a layer "
                             "that runs in fewer (it advances one cycle at a time; the event "
                             "engine runs any length)", l->name,
                             (unsigned long long)PESIM_STEP_MAX_CYCLES);
            return PESIM_E_RANGE;
        }
        if (rc == PESIM_E_UNSUPPORTED) {
            pesim_diags_addc(diags, PESIM_DIAG_SIM_LIMIT, file, 0, 0,
                             "layer %s: the %s engine cannot count this mapping per step (an "
                             "input multicast spans a window loop of a level that the inputs "
                             "bypass, or a transfer crosses more than %d fan-outs), expected "
                             "another mapping (or the analysis engine)",
                             l->name, pesim_engine_name(engine), NODE_RES - 4);
            return PESIM_E_UNSUPPORTED;
        }
        if (rc && hooks && hooks->model) {
            pesim_diags_addc(diags, PESIM_DIAG_SIM_FAIL, file, 0, 0,
                             "layer %s: the memory model failed: %s", l->name,
                             pesim_strerror(rc));
            return PESIM_E_SIM;
        }
        if (rc) {
            pesim_diags_addc(diags, PESIM_DIAG_SIM_FAIL, file, 0, 0,
                             "layer %s: the %s engine failed: %s", l->name,
                             pesim_engine_name(engine), pesim_strerror(rc));
            return PESIM_E_SIM;
        }
    }
    finish(arch, out);
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) /* a total sums its layers' */
        out->dram_link_words[ds] = pesim_analysis_dram_link_words(&out->analysis,
                                                                  (enum pesim_ds)ds);
    return 0;
}

int pesim_sim_layer(const struct pesim_arch *arch, const struct pesim_layer *l,
                    const struct pesim_mapping *m, const char *file,
                    struct pesim_layer_result *out, pesim_diags *diags)
{
    return run_layer(arch, l, m, PESIM_ENGINE_ANALYSIS, NULL, file, out, diags);
}

int pesim_sim_layer_engine(const struct pesim_arch *arch, const struct pesim_layer *l,
                           const struct pesim_mapping *m, enum pesim_engine engine,
                           const char *file, struct pesim_layer_result *out,
                           pesim_diags *diags)
{
    return run_layer(arch, l, m, engine, NULL, file, out, diags);
}

int pipeline_layer_until(const struct pesim_arch *arch, const struct pesim_layer *l,
                         const struct pesim_mapping *m, uint64_t until, const char *file,
                         struct pesim_layer_result *out, pesim_diags *diags)
{
    struct engine_hooks hooks = {.until = until};
    return run_layer(arch, l, m, PESIM_ENGINE_EVENT, &hooks, file, out, diags);
}

int pesim_sim_layer_trace(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, pesim_trace *trace, const char *file,
                          struct pesim_layer_result *out, pesim_diags *diags)
{
    struct engine_hooks hooks = {.trace = trace};
    return run_layer(arch, l, m, PESIM_ENGINE_EVENT, trace ? &hooks : NULL, file, out, diags);
}

int pesim_sim_layer_model(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, const struct pesim_dram_model *dram,
                          const char *file, struct pesim_layer_result *out,
                          pesim_diags *diags)
{
    if (!dram || !dram->transfer)
        return PESIM_E_INVALID;
    struct engine_hooks hooks = {.model = dram};
    return run_layer(arch, l, m, PESIM_ENGINE_EVENT, &hooks, file, out, diags);
}

/* The key is the definition (sim.h): every field of the layer but its
 * name, in decimal (densities only when one is given, so that dense layers
 * keep their keys). Its longest form is 11 + 8 x 21 + 2 x 33 + 2 + 3 x 25
 * = 322 characters, within PESIM_LAYER_KEY_MAX. */
size_t pesim_sim_layer_key(const struct pesim_layer *l, char key[PESIM_LAYER_KEY_MAX])
{
    size_t size = PESIM_LAYER_KEY_MAX;
    size_t n = (size_t)snprintf(key, size, "%d", (int)l->kind);
    for (unsigned d = 0; d < PESIM_DIM_COUNT && n < size; d++)
        n += (size_t)snprintf(key + n, size - n, ",%llu", (unsigned long long)l->dim[d]);
    for (unsigned a = 0; a < 2 && n < size; a++)
        n += (size_t)snprintf(key + n, size - n, ",%u/%u/%u", l->stride[a], l->pad[a],
                              l->dilation[a]);
    bool sparse = false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        sparse |= l->density[ds] > 0;
    for (unsigned ds = 0; sparse && ds < PESIM_DS_COUNT && n < size; ds++)
        n += (size_t)snprintf(key + n, size - n, "%s%.17g", ds ? "/" : ",d",
                              pesim_layer_density(l, ds));
    return n < size ? n : size - 1;
}

bool pesim_sim_same_layer(const struct pesim_layer *a, const struct pesim_layer *b)
{
    char ka[PESIM_LAYER_KEY_MAX], kb[PESIM_LAYER_KEY_MAX];
    pesim_sim_layer_key(a, ka);
    pesim_sim_layer_key(b, kb);
    return strcmp(ka, kb) == 0;
}

void pesim_sim_total(const struct pesim_arch *arch,
                     const struct pesim_layer_result *r, size_t n,
                     struct pesim_layer_result *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->layer.name, sizeof t->layer.name, "total");
    struct pesim_analysis *a = &t->analysis;
    a->pes = pesim_arch_pes(arch);
    double busy = 0; /* PE-cycles with a PE assigned, for spatial utilization */
    for (size_t i = 0; i < n; i++) {
        const struct pesim_analysis *x = &r[i].analysis;
        a->macs += x->macs;
        a->ideal_cycles += x->ideal_cycles;
        a->active_pes = x->active_pes > a->active_pes ? x->active_pes : a->active_pes;
        busy += (double)x->active_pes * (double)r[i].cycles;
        a->nlevels = x->nlevels;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            t->dram_link_words[ds] += r[i].dram_link_words[ds];
        for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                struct pesim_access *s = &a->acc[lv][ds];
                const struct pesim_access *y = &x->acc[lv][ds];
                s->reads += y->reads;
                s->fills += y->fills;
                s->updates += y->updates;
                s->drains += y->drains;
                s->tile_words = y->tile_words > s->tile_words ? y->tile_words : s->tile_words;
                uint64_t nw = x->need_words[lv][ds];
                a->need_words[lv][ds] = nw > a->need_words[lv][ds] ? nw : a->need_words[lv][ds];
            }
        for (unsigned f = 0; f < PESIM_LEVELS_MAX; f++)
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                a->noc_words[f][ds] += x->noc_words[f][ds];
                a->noc_sends[f][ds] += x->noc_sends[f][ds];
            }
        a->spatial_reductions += x->spatial_reductions;
        for (unsigned b = 0; b < PESIM_BOUND_COUNT; b++)
            t->bound_cycles[b] += r[i].bound_cycles[b];
        for (unsigned k = 0; k < PESIM_STALL_COUNT; k++)
            t->stalls[k] += r[i].stalls[k];
        t->events += r[i].events;
        t->engine = r[i].engine;
        t->cycles += r[i].cycles;
        t->steady_cycles += r[i].steady_cycles;
        for (unsigned k = 0; k < 2 * PESIM_LEVELS_MAX; k++) {
            t->site_stalls[k] += r[i].site_stalls[k];
            for (unsigned w = 0; w < PESIM_ROLE_COUNT; w++)
                t->role_stalls[k][w] += r[i].role_stalls[k][w];
        }
        for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
            t->throttling[lv] = i == 0 || r[i].throttling[lv] < t->throttling[lv]
                                    ? r[i].throttling[lv] : t->throttling[lv];
    }
    a->fits = true;
    a->util_spatial = t->cycles && a->pes ? busy / ((double)a->pes * (double)t->cycles) : 0;
    /* Per layer the largest bound sets the cycles; the total's bound is the
     * one that set the most cycles summed over layers. */
    uint64_t by[PESIM_BOUND_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        by[r[i].bound] += r[i].cycles;
    t->bound = PESIM_BOUND_COMPUTE;
    for (unsigned b = 1; b < PESIM_BOUND_COUNT; b++)
        if (by[b] > by[t->bound])
            t->bound = b;
    finish(arch, t);
    energy_sum(&t->energy, r, n, a->macs);
}
