/* Mapping and simulating the layers of a workload with one dataflow. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Move the diags of one layer into the caller's list. Messages that do
 * not say which layer they are about get "layer NAME: " in front, so that
 * a whole-network run says where it failed. */
static void move_diags(pesim_diags *to, pesim_diags *from, const char *df,
                       const char *layer)
{
    for (size_t i = 0; i < pesim_diags_count(from); i++) {
        const struct pesim_diag *g = pesim_diags_get(from, i);
        bool named = strncmp(g->msg, "layer ", 6) == 0;
        pesim_diags_add(to, g->file[0] ? g->file : df, g->line, g->col,
                        "%s%s%s%s", named ? "" : "layer ", named ? "" : layer,
                        named ? "" : ": ", g->msg);
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

int pesim_cli_simulate(const struct pesim_arch *arch, const struct pesim_workload *wl,
                       const pesim_dataflow *df, enum pesim_engine engine,
                       enum pesim_objective objective, unsigned threads,
                       struct pesim_layer_result *out, struct pesim_layer_result *total,
                       pesim_diags *diags)
{
    const char *name = pesim_df_name(df);
    struct layer_job *jobs = calloc(wl->count ? wl->count : 1, sizeof *jobs);
    if (!jobs)
        return PESIM_E_NOMEM;
    int rc = 0;
    for (size_t i = 0; i < wl->count; i++) {
        jobs[i] = (struct layer_job){arch, &wl->layers[i], df, engine, objective, &out[i],
                                     pesim_diags_create(), 0};
        if (!jobs[i].diags)
            rc = PESIM_E_NOMEM;
    }
    if (!rc)
        run_jobs(jobs, wl->count, threads);
    /* Report the first failing layer, in layer order, as a serial run would. */
    for (size_t i = 0; i < wl->count && !rc; i++) {
        rc = jobs[i].rc;
        if (rc) {
            move_diags(diags, jobs[i].diags, name, wl->layers[i].name);
            pesim_diags_add(diags, name, 0, 0, "layer %s: %s (%s)", wl->layers[i].name,
                            pesim_strerror(rc), pesim_err_name(rc));
        }
    }
    for (size_t i = 0; i < wl->count; i++)
        pesim_diags_destroy(jobs[i].diags);
    free(jobs);
    if (!rc)
        pesim_sim_total(arch, out, wl->count, total);
    return rc;
}
