/* The network runner (pipeline/pipeline.h, include/pesim/sim.h
 * pesim_sim_network): each distinct layer mapped and simulated once,
 * layers as jobs of the pool, the output independent of the thread
 * count. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pesim/dataflow.h"
#include "pipeline/pipeline.h"
#include "pipeline/pool.h"

/* Whether a diagnostic of this code is about a whole layer and so begins
 * "layer NAME: " (the mapper's failure, the engines' limits and failures).
 * Every other diagnostic gets the layer's name in front. */
static bool names_layer(enum pesim_diag_code code)
{
    return code == PESIM_DIAG_MAP_NOMAP || code == PESIM_DIAG_SIM_LIMIT ||
           code == PESIM_DIAG_SIM_FAIL;
}

/* Move the diags of one layer into the caller's list. Messages that do
 * not say which layer they are about get "layer NAME: " in front, so that
 * a whole-network run says where it failed. */
static void move_diags(pesim_diags *to, pesim_diags *from, const char *df,
                       const char *layer)
{
    for (size_t i = 0; i < pesim_diags_count(from); i++) {
        const struct pesim_diag *g = pesim_diags_get(from, i);
        bool named = names_layer(g->code);
        pesim_diags_addc(to, g->code, g->file[0] ? g->file : df, g->line, g->col,
                         "%s%s%s%s", named ? "" : "layer ", named ? "" : layer,
                         named ? "" : ": ", g->msg);
    }
}

/* For each layer, the first earlier layer that is the same, or i itself.
 * Keys once per layer, then quadratic in layers, which is nothing beside
 * one mapping search. */
static int find_repeats(const struct pesim_workload *wl, size_t *first)
{
    char (*key)[PESIM_LAYER_KEY_MAX] = malloc((wl->count ? wl->count : 1) * sizeof *key);
    if (!key)
        return PESIM_E_NOMEM;
    for (size_t i = 0; i < wl->count; i++) {
        pesim_sim_layer_key(&wl->layers[i], key[i]);
        first[i] = i;
        for (size_t j = 0; j < i; j++)
            if (first[j] == j && strcmp(key[i], key[j]) == 0) {
                first[i] = j;
                break;
            }
    }
    free(key);
    return 0;
}

struct layer_job {
    const struct pesim_layer *layer;
    struct pesim_layer_result *out;
    pesim_diags *diags; /* the layer's own */
    int rc;
    size_t layers; /* of the workload: this one and its repeats (progress) */
};

struct network {
    const struct pesim_arch *arch;
    const pesim_dataflow *df;
    const struct pesim_network_opts *o;
    struct layer_job *jobs;
    atomic_bool failed; /* a job failed: start no more (pool stop) */
    atomic_size_t done; /* layers finished, repeats included (progress) */
    size_t total;
};

/* The pool's watch, on the calling thread: the count so far. */
static void report(void *ctx)
{
    struct network *net = ctx;
    struct pesim_sim_progress p = {atomic_load(&net->done), net->total};
    net->o->progress(&p, net->o->progress_ctx);
}

static void run_job(void *ctx, size_t i)
{
    struct network *net = ctx;
    struct layer_job *j = &net->jobs[i];
    const struct pesim_layer_cache *cache = net->o->cache;
    if (cache && cache->get(cache->ctx, j->layer, j->out)) {
        struct pesim_layer view;
        j->out->layer = *pesim_layer_as_run(net->arch, j->layer, &view);
        j->out->source = *j->layer;
        j->out->same_as[0] = '\0';
        atomic_fetch_add(&net->done, j->layers);
        return;
    }
    j->rc = pesim_sim_map_layer(net->df, net->arch, j->layer, net->o->objective, net->o->engine,
                                pesim_df_name(net->df), j->out, j->diags);
    if (j->rc)
        atomic_store(&net->failed, true);
    else if (cache)
        cache->put(cache->ctx, j->layer, j->out);
    atomic_fetch_add(&net->done, j->layers);
}

/* A later layer cannot change which one fails first (jobs are handed out
 * in layer order), so after a failure the rest is not worth starting. */
static bool stop_jobs(void *ctx)
{
    struct network *net = ctx;
    return atomic_load(&net->failed);
}

int pesim_network_run(const struct pesim_arch *arch, const struct pesim_workload *wl,
                      const pesim_dataflow *df, const struct pesim_network_opts *o,
                      struct pesim_layer_result *out, struct pesim_layer_result *total,
                      size_t *failed, pesim_diags *diags)
{
    const char *name = pesim_df_name(df);
    size_t n = wl->count ? wl->count : 1, bad = wl->count;
    struct layer_job *jobs = calloc(n, sizeof *jobs);
    size_t *first = calloc(n, sizeof *first), *job_of = calloc(n, sizeof *job_of);
    int rc = jobs && first && job_of ? 0 : PESIM_E_NOMEM;
    size_t njobs = 0;
    if (!rc)
        rc = find_repeats(wl, first);
    for (size_t i = 0; i < wl->count && !rc; i++) {
        if (first[i] != i) {
            job_of[i] = job_of[first[i]];
            jobs[job_of[i]].layers++;
            continue;
        }
        job_of[i] = njobs;
        jobs[njobs] = (struct layer_job){&wl->layers[i], &out[i], pesim_diags_create(), 0, 1};
        if (!jobs[njobs++].diags)
            rc = PESIM_E_NOMEM;
    }
    if (rc) {
        bad = 0; /* nothing ran */
    } else {
        struct network net = {arch, df, o, jobs, false, 0, wl->count};
        struct pesim_pool pool = {.n = njobs, .job = run_job, .ctx = &net, .stop = stop_jobs,
                                  .watch = o->progress ? report : NULL};
        pesim_pool_run(&pool, o->threads);
        if (o->progress)
            report(&net);
    }
    /* Report the first failing layer, in layer order, as a serial run would
     * (a repeated layer fails first at its first occurrence). */
    for (size_t i = 0; i < wl->count && !rc; i++) {
        const struct layer_job *j = &jobs[job_of[i]];
        if ((rc = j->rc) == 0)
            continue;
        bad = i;
        if (o->plain_diags) {
            for (size_t k = 0; k < pesim_diags_count(j->diags); k++) {
                const struct pesim_diag *g = pesim_diags_get(j->diags, k);
                pesim_diags_addc(diags, g->code, g->file, g->line, g->col, "%s", g->msg);
            }
            if (pesim_diags_count(j->diags) == 0)
                pesim_diags_addc(diags, PESIM_DIAG_SIM_FAIL, "", 0, 0, "layer %s: %s",
                                 wl->layers[i].name, pesim_strerror(rc));
        } else {
            move_diags(diags, j->diags, name, wl->layers[i].name);
            pesim_diags_addc(diags, PESIM_DIAG_SIM_FAIL, name, 0, 0, "layer %s: %s (%s)",
                             wl->layers[i].name, pesim_strerror(rc), pesim_err_name(rc));
        }
    }
    for (size_t i = 0; jobs && first && i < bad; i++)
        if (first[i] != i) {
            out[i] = out[first[i]];
            struct pesim_layer view;
            out[i].source = wl->layers[i];
            out[i].layer = *pesim_layer_as_run(arch, &wl->layers[i], &view);
            snprintf(out[i].same_as, sizeof out[i].same_as, "%s", wl->layers[first[i]].name);
        }
    for (size_t k = 0; jobs && k < njobs; k++)
        pesim_diags_destroy(jobs[k].diags);
    free(jobs);
    free(first);
    free(job_of);
    if (!rc)
        pesim_sim_total(arch, out, wl->count, total);
    if (failed)
        *failed = bad;
    return rc;
}

int pesim_sim_network_watched(const struct pesim_arch *arch, const struct pesim_workload *wl,
                              const pesim_dataflow *df, enum pesim_engine engine,
                              enum pesim_objective objective, unsigned threads,
                              pesim_sim_progress_fn fn, void *ctx,
                              struct pesim_layer_result *out, struct pesim_layer_result *total,
                              pesim_diags *diags)
{
    struct pesim_network_opts o = {.engine = engine, .objective = objective, .threads = threads,
                                   .progress = fn, .progress_ctx = ctx};
    return pesim_network_run(arch, wl, df, &o, out, total, NULL, diags);
}

int pesim_sim_network(const struct pesim_arch *arch, const struct pesim_workload *wl,
                      const pesim_dataflow *df, enum pesim_engine engine,
                      enum pesim_objective objective, unsigned threads,
                      struct pesim_layer_result *out, struct pesim_layer_result *total,
                      pesim_diags *diags)
{
    return pesim_sim_network_watched(arch, wl, df, engine, objective, threads, NULL, NULL, out,
                                     total, diags);
}
