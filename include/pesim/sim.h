/* pesim — running layers and networks: mapping -> analysis, cycles,
 * energy. One layer pipeline (the analysis with a bandwidth roofline, the
 * cycle-level engines behind the same call; docs/model.md) and one
 * network runner on top of it. */
#ifndef PESIM_SIM_H
#define PESIM_SIM_H

#include "pesim/dataflow.h"
#include "pesim/energy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which engine computes the cycles (docs/model.md §6, §8). */
enum pesim_engine {
    PESIM_ENGINE_EVENT,    /* cycle-level, discrete-event (default) */
    PESIM_ENGINE_STEP,     /* cycle-level, advanced every cycle (reference) */
    PESIM_ENGINE_ANALYSIS, /* closed form: roofline of the analysis */
    PESIM_ENGINE_COUNT
};

/* Where the cycles went (docs/model.md §8.4); sums to `cycles`. */
enum pesim_stall {
    PESIM_STALL_COMPUTE,
    PESIM_STALL_FILL_DRAIN,
    PESIM_STALL_DRAM_BANDWIDTH,
    PESIM_STALL_DRAM_LATENCY,
    PESIM_STALL_GLB,
    PESIM_STALL_NOC,
    PESIM_STALL_COUNT
};

/* Which resource of a site a stall was charged to (a result's
 * role_stalls): the partition of a data space at a storage level, or its
 * bus below a fan-out, by the data space (DRAM's one channel counts as
 * weights'); a network's own bus for psums brought back down; a level's
 * read or write port pool; its read or write bandwidth (Timeloop's). */
enum pesim_stall_role {
    PESIM_ROLE_WEIGHTS,     /* = PESIM_DS_WEIGHTS, and the DRAM channel */
    PESIM_ROLE_INPUTS,      /* = PESIM_DS_INPUTS */
    PESIM_ROLE_OUTPUTS,     /* = PESIM_DS_OUTPUTS */
    PESIM_ROLE_RELOAD,
    PESIM_ROLE_READ_PORTS,
    PESIM_ROLE_WRITE_PORTS,
    PESIM_ROLE_READ_BANDWIDTH,
    PESIM_ROLE_WRITE_BANDWIDTH,
    PESIM_ROLE_COUNT
};

struct pesim_layer_result {
    struct pesim_layer layer;  /* as run: its im2col view on an im2col arch */
    struct pesim_layer source; /* as given */
    /* Whole-network runs simulate each distinct layer once: a layer that
     * is the same as an earlier one (pesim_sim_same_layer) copies that
     * result and names it here; "" otherwise. */
    char same_as[PESIM_NAME_MAX];
    struct pesim_mapping mapping;
    struct pesim_analysis analysis;
    struct pesim_energy energy;
    uint64_t cycles;                       /* max of the bounds below */
    uint64_t bound_cycles[PESIM_BOUND_COUNT];
    enum pesim_bound bound;                /* which one set `cycles` */
    double latency_us;                     /* cycles / clock */
    enum pesim_engine engine;
    uint64_t stalls[PESIM_STALL_COUNT];    /* cycle-level engines only */
    uint64_t events;                       /* events (or cycles) processed */
    /* Cycle-level engines: from the first step's compute start to the last
     * step's end, without the prologue (the first tiles coming in) and
     * the epilogue (the last psums draining), which Timeloop's cycles
     * leave out (docs/model.md §8.4); the analysis: its cycles. */
    uint64_t steady_cycles;
    /* Words the DRAM link moved per data space (16-bit words of a 16-bit
     * data space): the DRAM accesses, compressed by dram.compression
     * (pesim_analysis_dram_link_words); a total sums its layers'. */
    uint64_t dram_link_words[PESIM_DS_COUNT];
    /* Cycle-level engines: the stalls of dram_bandwidth, glb and noc by
     * the resource that caused them: [lv] a storage level's (DRAM's
     * channel is level 0), [PESIM_LEVELS_MAX + lv] the network below
     * level lv. */
    uint64_t site_stalls[2 * PESIM_LEVELS_MAX];
    /* The same cycles by the resource of the site (enum pesim_stall_role):
     * each row sums to its site_stalls. */
    uint64_t role_stalls[2 * PESIM_LEVELS_MAX][PESIM_ROLE_COUNT];
    /* Per level, Timeloop's "bandwidth throttling" of the analysis: ideal
     * cycles over the level's cycles at its read_bandwidth and
     * write_bandwidth (pesim_map_level_bw_cycles), at most 1; 1 where it
     * declares neither. A total holds the smallest over its layers. */
    double throttling[PESIM_LEVELS_MAX];
};
/* In a result, analysis.util_temporal is macs / (pes * cycles), over the
 * cycles above rather than the ideal ones. */

/* ---- Running one layer ----
 * Every pesim_sim_layer* call below is one pipeline (pipeline/layer.c),
 * in this order, stopping at the first failure:
 *   1. check the mapping against the layer and the array
 *      (PESIM_E_INVALID, diags with `file`);
 *   2. the closed-form analysis (docs/model.md §3-§5);
 *   3. check that every tile fits its buffer (PESIM_E_NOFIT);
 *   4. the roofline bounds: `cycles`, `bound_cycles`, `bound`
 *      (PESIM_E_RANGE when they overflow 64 bits);
 *   5. for a cycle-level engine, its limits (DRAM slower than 2^-20 byte
 *      per cycle, more than PESIM_ENGINE_MAX_STEPS steps above the RF:
 *      PESIM_E_RANGE; docs/cli.md, "Limits on inputs"), then the run,
 *      whose counts, cycles, stalls and events replace the analysis's
 *      (the step engine past PESIM_STEP_MAX_CYCLES: PESIM_E_RANGE; an
 *      engine or memory-model failure: PESIM_E_SIM);
 *   6. utilization over `cycles`, latency and energy.
 * `out` is the caller's and fully written (zeroed first) on success; on
 * failure it holds what the steps before the failure produced, and the
 * diags say which layer or mapping key failed and why.
 * Nothing is printed; nothing global is touched, so calls may run in
 * parallel threads, each with its own out and diags. The analysis keeps
 * large frames on the stack (up to about 205 KiB): a thread that calls
 * this needs a stack of a few hundred KiB at least (pipeline/pool.h gives
 * its workers 8 MiB). */

/* The pipeline with the analysis as the engine (no cycle-level run). */
int pesim_sim_layer(const struct pesim_arch *arch, const struct pesim_layer *l,
                    const struct pesim_mapping *m, const char *file,
                    struct pesim_layer_result *out, pesim_diags *diags);

/* The pipeline with a chosen engine. */
int pesim_sim_layer_engine(const struct pesim_arch *arch, const struct pesim_layer *l,
                           const struct pesim_mapping *m, enum pesim_engine engine,
                           const char *file, struct pesim_layer_result *out,
                           pesim_diags *diags);
/* Map and run a layer (docs/dataflows.md, "Ranked by the engine"): the
 * dataflow's mapper, then the pipeline above on `engine`. For the latency
 * and edp objectives on a cycle-level engine the mapper's best
 * PESIM_SIM_RANKED candidates (pesim_df_candidates) are each run on the
 * event engine and the fastest (edp: least energy x cycles) is taken,
 * ties to the mapper's order; for the energy objective, or the analysis
 * engine, the mapper's own pick. Deterministic. out->mapping is the pick.
 * Errors as pesim_df_map_for and pesim_sim_layer_engine. */
#define PESIM_SIM_RANKED 4
int pesim_sim_map_layer(const pesim_dataflow *df, const struct pesim_arch *arch,
                        const struct pesim_layer *l, enum pesim_objective objective,
                        enum pesim_engine engine, const char *file,
                        struct pesim_layer_result *out, pesim_diags *diags);
/* The same pick, for the mapping alone (pesim map); nothing is run on
 * `engine` itself, and when the engine runs no candidate (its limits) the
 * mapper's own pick is returned. */
int pesim_sim_map(const pesim_dataflow *df, const struct pesim_arch *arch,
                  const struct pesim_layer *l, enum pesim_objective objective,
                  enum pesim_engine engine, struct pesim_mapping *out, pesim_diags *diags);
/* The engines' names ("event", "step", "analysis"), indexed by enum
 * pesim_engine and NULL-terminated, as a schema's enum table wants them:
 * the one table that pesim_engine_name, pesim_engine_parse, the sweep
 * spec's `engine` key and the command line's messages all read. */
extern const char *const pesim_engine_names[PESIM_ENGINE_COUNT + 1];
const char *pesim_engine_name(enum pesim_engine e); /* NULL past the end */
int pesim_engine_parse(const char *name, enum pesim_engine *out); /* 0, PESIM_E_NOTFOUND */
const char *pesim_stall_name(enum pesim_stall s);

/* Timeline traces (docs/reports.md, "Timeline traces"): the event
 * engine's runs as Chrome trace-event JSON, layers one after another. */
typedef struct pesim_trace pesim_trace;
struct pesim_trace_opts {
    uint64_t from, to;  /* window in cycles of the whole trace; to = 0: no end */
    uint64_t max_bytes; /* size cap; 0: 256 MiB */
};
/* Start a trace written to a temporary file next to `path`. 0, or
 * PESIM_E_IO / PESIM_E_NOMEM with a diag. */
int pesim_trace_open(const char *path, const struct pesim_trace_opts *opts, pesim_trace **out,
                     pesim_diags *diags);
/* Finish: with keep, rename it to its path (0 or PESIM_E_IO); otherwise
 * remove it. Frees t. */
int pesim_trace_close(pesim_trace *t, bool keep, pesim_diags *diags);
/* Spans and counters written so far; whether the size cap cut it. */
uint64_t pesim_trace_events(const pesim_trace *t);
bool pesim_trace_truncated(const pesim_trace *t);
/* The pipeline with the event engine, appending the layer's run to t. */
int pesim_sim_layer_trace(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, pesim_trace *t, const char *file,
                          struct pesim_layer_result *out, pesim_diags *diags);

/* Another memory model in place of the built-in DRAM (docs/systemc.md,
 * docs/model.md §8.2). The event engine asks it, in program order, for the
 * timing of every transfer that reads or writes DRAM; the SystemC binding
 * answers with TLM-2.0 transactions. Starts are non-decreasing: the engine
 * never asks for a transfer that may start before the previous one.
 * This is the one way to replace DRAM. A second DRAM model (banks and row
 * buffers, a trace-driven memory) is written as one: a context holding
 * its state, and a `transfer` that answers each request with its start,
 * release and completion, as the built-in channel does with its rate and
 * latency (memory/dram.c); no change to the engine is needed. */
struct pesim_dram_request {
    enum pesim_ds ds;  /* data space moved */
    bool write;        /* to DRAM (outputs' write-back); else a read */
    uint64_t words;    /* words moved */
    uint64_t bytes;    /* words x pesim_arch_word_bytes(ds) */
    uint64_t earliest; /* first cycle the transfer can start: ready, the
                          rest of its path free, DRAM released by the
                          previous transfer */
};
/* The model's answer, in cycles of the architecture's clock:
 * earliest <= start <= release <= done. */
struct pesim_dram_timing {
    uint64_t start;   /* the data starts to move (later: queued in memory) */
    uint64_t release; /* the memory can take the next transfer */
    uint64_t done;    /* read data delivered / write acknowledged */
};
struct pesim_dram_model {
    /* 0, or a negative PESIM_E_... code: the run stops with PESIM_E_SIM. */
    int (*transfer)(void *ctx, const struct pesim_dram_request *rq,
                    struct pesim_dram_timing *out);
    void *ctx;
};

/* The pipeline with the event engine and `dram` in place of the built-in
 * DRAM (PESIM_E_INVALID when dram or its transfer is NULL). The transfer holds the rest of its path (GLB, NoC) for as
 * long as it holds DRAM — release - start, or longer if they are slower —
 * and its consumers wait for `done`. A model that answers as the built-in
 * channel does (docs/model.md §8.2) gives the result of
 * pesim_sim_layer_engine(..., PESIM_ENGINE_EVENT, ...) exactly. A model
 * that fails: PESIM_E_SIM, "the memory model failed". */
int pesim_sim_layer_model(const struct pesim_arch *arch, const struct pesim_layer *l,
                          const struct pesim_mapping *m, const struct pesim_dram_model *dram,
                          const char *file, struct pesim_layer_result *out,
                          pesim_diags *diags);

/* ---- The same layer ----
 * The one definition of "the same layer" in pesim: two layers are the
 * same when everything but their names is equal — kind, the eight dims,
 * stride, padding and dilation per axis, and the densities when given. Under the same architecture,
 * mapping (or dataflow and objective) and engine, the same layers give
 * the same result, so a network run simulates each once (same_as),
 * `pesim map` writes one mapping for them, and a sweep reuses their
 * results across points (keyed by pesim_sim_layer_key). */
#define PESIM_LAYER_KEY_MAX 352
/* Write l's key, a NUL-terminated string of printable ASCII, into key;
 * two layers have equal keys exactly when pesim_sim_same_layer holds.
 * Returns its length (always < PESIM_LAYER_KEY_MAX). */
size_t pesim_sim_layer_key(const struct pesim_layer *l, char key[PESIM_LAYER_KEY_MAX]);
bool pesim_sim_same_layer(const struct pesim_layer *a, const struct pesim_layer *b);

/* ---- Running a network ----
 * Map and simulate every layer of wl with the dataflow's mapper (by
 * objective) and the layer pipeline above into out[wl->count], plus their
 * sum in *total. Each distinct layer (pesim_sim_same_layer) is mapped and
 * simulated once; a repeat copies that result and names the first layer
 * in same_as. With threads > 1 distinct layers run concurrently on the
 * pool's workers (pipeline/pool.h; 0 is 1 here: the caller picks the
 * count); results do not depend on it. Once a layer fails no later one
 * starts. 0, or the first failing layer's error in layer order
 * (PESIM_E_NOMAP, ...) with diags prefixed by the layer. This is the one
 * network runner: pesim run, pesim compare and each sweep point use it. */
int pesim_sim_network(const struct pesim_arch *arch, const struct pesim_workload *wl,
                      const pesim_dataflow *df, enum pesim_engine engine,
                      enum pesim_objective objective, unsigned threads,
                      struct pesim_layer_result *out, struct pesim_layer_result *total,
                      pesim_diags *diags);

/* Where a network run stands, for a progress display: `done` of the
 * workload's `total` layers are finished (a repeated layer counts when the
 * layer it repeats finishes). */
struct pesim_sim_progress {
    size_t done, total;
};
/* Called on the thread that called pesim_sim_network_watched, never on a
 * worker: at least every 200 ms and whenever layers finish while they run,
 * then once with the final count. The library prints nothing itself. */
typedef void (*pesim_sim_progress_fn)(const struct pesim_sim_progress *p, void *ctx);

/* pesim_sim_network with progress reports to fn(…, ctx) (fn NULL: none, as
 * pesim_sim_network). With fn, the calling thread only watches and the
 * layers run on `threads` workers; the results are the same bytes. */
int pesim_sim_network_watched(const struct pesim_arch *arch, const struct pesim_workload *wl,
                              const pesim_dataflow *df, enum pesim_engine engine,
                              enum pesim_objective objective, unsigned threads,
                              pesim_sim_progress_fn fn, void *ctx,
                              struct pesim_layer_result *out, struct pesim_layer_result *total,
                              pesim_diags *diags);

/* Sum of per-layer results (counts, energy, cycles; utilization recomputed
 * from the sums). `n` may be 0. */
void pesim_sim_total(const struct pesim_arch *arch,
                     const struct pesim_layer_result *r, size_t n,
                     struct pesim_layer_result *total);

#ifdef __cplusplus
}
#endif
#endif
