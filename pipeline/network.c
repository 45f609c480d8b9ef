/* A whole workload with one dataflow (include/pesim/sim.h,
 * pesim_sim_network): each distinct layer shape mapped and simulated once,
 * layers in parallel threads, the output independent of the thread count. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pesim/dataflow.h"
#include "pesim/sim.h"

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

/* Two layers simulate alike when everything but their names is equal. */
static bool same_shape(const struct pesim_layer *a, const struct pesim_layer *b)
{
    return a->kind == b->kind && memcmp(a->dim, b->dim, sizeof a->dim) == 0 &&
           memcmp(a->stride, b->stride, sizeof a->stride) == 0 &&
           memcmp(a->pad, b->pad, sizeof a->pad) == 0 &&
           memcmp(a->dilation, b->dilation, sizeof a->dilation) == 0;
}

/* For each layer, the first earlier layer of the same shape, or i itself.
 * Quadratic in layers, which is nothing beside one mapping search. */
static void find_repeats(const struct pesim_workload *wl, size_t *first)
{
    for (size_t i = 0; i < wl->count; i++) {
        first[i] = i;
        for (size_t j = 0; j < i; j++)
            if (first[j] == j && same_shape(&wl->layers[i], &wl->layers[j])) {
                first[i] = j;
                break;
            }
    }
}

struct layer_job {
    const struct pesim_arch *arch;
    const struct pesim_layer *layer;
    const pesim_dataflow *df;
    enum pesim_engine engine;
    enum pesim_objective objective;
    struct pesim_layer_result *out;
    pesim_diags *diags; /* the layer's own */
    int rc;
};

static void simulate_layer(struct layer_job *j)
{
    struct pesim_mapping m;
    memset(&m, 0, sizeof m);
    j->rc = pesim_df_map_for(j->df, j->arch, j->layer, j->objective, &m, j->diags);
    if (!j->rc)
        j->rc = pesim_sim_layer_engine(j->arch, j->layer, &m, j->engine, pesim_df_name(j->df),
                                       j->out, j->diags);
}

struct pool {
    struct layer_job *jobs;
    size_t n, next;
    pthread_mutex_t lock;
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        simulate_layer(&p->jobs[i]);
    }
}

/* Layers are independent: with threads > 1 they run concurrently (the
 * library keeps no global state), each into its own result and diags, so
 * the output is the same whatever the thread count. */
static void run_jobs(struct layer_job *jobs, size_t n, unsigned threads)
{
    if (threads > n)
        threads = (unsigned)n;
    if (threads <= 1) {
        for (size_t i = 0; i < n; i++)
            simulate_layer(&jobs[i]);
        return;
    }
    struct pool p = {jobs, n, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t tid[64];
    unsigned started = 0;
    for (; started < threads && started < 64; started++)
        if (pthread_create(&tid[started], NULL, worker, &p))
            break;
    worker(&p); /* the calling thread works too */
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

int pesim_sim_network(const struct pesim_arch *arch, const struct pesim_workload *wl,
                       const pesim_dataflow *df, enum pesim_engine engine,
                       enum pesim_objective objective, unsigned threads,
                       struct pesim_layer_result *out, struct pesim_layer_result *total,
                      pesim_diags *diags)
{
    const char *name = pesim_df_name(df);
    size_t n = wl->count ? wl->count : 1;
    struct layer_job *jobs = calloc(n, sizeof *jobs);
    size_t *first = calloc(n, sizeof *first), *job_of = calloc(n, sizeof *job_of);
    int rc = jobs && first && job_of ? 0 : PESIM_E_NOMEM;
    size_t njobs = 0;
    if (!rc)
        find_repeats(wl, first);
    for (size_t i = 0; i < wl->count && !rc; i++) {
        if (first[i] != i) {
            job_of[i] = job_of[first[i]];
            continue;
        }
        job_of[i] = njobs;
        jobs[njobs] = (struct layer_job){arch, &wl->layers[i], df, engine, objective, &out[i],
                                         pesim_diags_create(), 0};
        if (!jobs[njobs++].diags)
            rc = PESIM_E_NOMEM;
    }
    if (!rc)
        run_jobs(jobs, njobs, threads);
    /* Report the first failing layer, in layer order, as a serial run would
     * (a repeated shape fails first at its first occurrence). */
    for (size_t i = 0; i < wl->count && !rc; i++) {
        rc = jobs[job_of[i]].rc;
        if (rc) {
            move_diags(diags, jobs[job_of[i]].diags, name, wl->layers[i].name);
            pesim_diags_add(diags, name, 0, 0, "layer %s: %s (%s)", wl->layers[i].name,
                            pesim_strerror(rc), pesim_err_name(rc));
        }
    }
    for (size_t i = 0; i < wl->count && !rc; i++)
        if (first[i] != i) {
            out[i] = out[first[i]];
            out[i].layer = wl->layers[i];
            snprintf(out[i].same_as, sizeof out[i].same_as, "%s", wl->layers[first[i]].name);
        }
    for (size_t k = 0; jobs && k < njobs; k++)
        pesim_diags_destroy(jobs[k].diags);
    free(jobs);
    free(first);
    free(job_of);
    if (!rc)
        pesim_sim_total(arch, out, wl->count, total);
    return rc;
}
