/* Internal: the one network runner (not installed). pesim_sim_network
 * (include/pesim/sim.h: pesim run, pesim compare) is this runner with its
 * defaults; the sweep (sweep/run.c) runs each point's layers through it
 * too, with a cache shared by its points and its reasons taken from the
 * failing layer's own messages. */
#ifndef PESIM_PIPELINE_PIPELINE_H
#define PESIM_PIPELINE_PIPELINE_H

#include "pesim/sim.h"

/* The layer pipeline on the event engine, stopped with PESIM_E_RANGE
 * once the run would end after cycle `until` (0: never); the mapper's
 * ranking (pipeline/rank.c) runs its candidates so. */
int pipeline_layer_until(const struct pesim_arch *arch, const struct pesim_layer *l,
                         const struct pesim_mapping *m, uint64_t until, const char *file,
                         struct pesim_layer_result *out, pesim_diags *diags);

/* Results of layers computed outside this run (a sweep's other points).
 * Called from the runner's threads: both must be thread-safe. */
struct pesim_layer_cache {
    /* Fill *out with the result this run would compute for l; false when
     * there is none. */
    bool (*get)(void *ctx, const struct pesim_layer *l, struct pesim_layer_result *out);
    /* A result this run has just computed for l. */
    void (*put)(void *ctx, const struct pesim_layer *l, const struct pesim_layer_result *r);
    void *ctx;
};

struct pesim_network_opts {
    enum pesim_engine engine;
    enum pesim_objective objective;
    unsigned threads;                      /* layers at once (pipeline/pool.h) */
    const struct pesim_layer_cache *cache; /* NULL: none */
    /* false (pesim_sim_network): the failing layer's diags each say
     * "layer NAME: ", an empty file becomes the dataflow's name, and a
     * summary "layer NAME: strerror (E_NAME)" follows. true (the sweep's
     * reasons): its diags as the pipeline gave them, and only when it
     * gave none, "layer NAME: strerror". */
    bool plain_diags;
    /* Progress reports on the calling thread (NULL: none). */
    pesim_sim_progress_fn progress;
    void *progress_ctx;
};

/* Run every layer of wl with df's mapper and the layer pipeline into
 * out[wl->count], and their sum into *total, as pesim_sim_network
 * documents: each distinct layer (pesim_sim_same_layer) is computed once,
 * or taken from the cache; its repeats copy it and name it in same_as.
 * Once a layer fails, no further layer is started. Returns 0, or the
 * first failing layer's error in layer order, with *failed (may be NULL)
 * its index (wl->count on success); out[0 .. *failed) are then complete,
 * repeats included, and *total is not written. */
int pesim_network_run(const struct pesim_arch *arch, const struct pesim_workload *wl,
                      const pesim_dataflow *df, const struct pesim_network_opts *o,
                      struct pesim_layer_result *out, struct pesim_layer_result *total,
                      size_t *failed, pesim_diags *diags);

#endif
