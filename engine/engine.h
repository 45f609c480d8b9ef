/* Internal: what the cycle-level engines share (docs/model.md §8).
 *
 * The controller (engine/plan.c) walks the steps of a mapping and emits, in
 * program order, nodes: transfers over resources, the array's compute of a
 * step, and joins. Each node waits for its dependencies, then for its
 * resources (FIFO in program order), then holds them for its duration.
 * The event engine (engine/event.c) computes start and end of each node when
 * it is issued and jumps between them; the step engine (engine/step.c)
 * advances every resource one cycle at a time. Both fill the same node
 * timelines, from which the stall attribution (engine/stalls.c) is derived. */
#ifndef PESIM_SIM_ENGINE_H
#define PESIM_SIM_ENGINE_H

#include "arch/component.h"
#include "dataflows/pairs.h"
#include "pesim/kernel.h"
#include "pesim/sim.h"

/* ---- resources ---- */

/* The components' timing resources (arch/component.h), built by
 * engine/components.c from the table of component kinds, in site order:
 * DRAM, then per on-chip level its partitions and two port pools, then per
 * fan-out one bus per data space. */
#define RES_MAX 72

struct res {
    /* as the component declared it (struct pesim_comp_res) */
    uint64_t rate;      /* work units per cycle (DRAM: 2^-20 byte units) */
    uint8_t stall;      /* enum pesim_stall charged while it bounds a wait */
    uint8_t pool;       /* servers taking the same queue (ports) */
    uint8_t site;       /* whose: a level's index, or PESIM_LEVELS_MAX + the
                           index of the level above a fan-out */
    uint8_t role;       /* what it is there (enum pesim_stall_role) */
    /* the engine's state */
    uint64_t free_at[8];/* per server: cycle it is released (event engine) */
    uint64_t last_start;/* FIFO: nobody starts before an earlier user */
    /* step engine */
    uint32_t holder[8]; /* node holding each server, or 0 */
    /* A shared bandwidth (a level's read_bandwidth, write_bandwidth;
     * docs/model.md §8.2): no transfer holds it; its words per cycle are
     * shared, in issue order, by every transfer on it, several in one cycle
     * when their words fit. `at` + `frac`/rate is the instant (cycles) its
     * queued work ends: the next transfer's words begin there, and a
     * transfer's words end at that instant after adding its work, rounded up
     * to a cycle. Both engines keep it (pesim_fluid_take); the step engine
     * also moves `backlog`, the work of its active transfers not yet
     * moved, `rate` per cycle. */
    bool fluid;
    uint64_t at, frac;  /* frac < rate */
    uint64_t backlog;   /* step engine */
};

#define RES_NONE UINT8_MAX

struct resources {
    struct res r[RES_MAX];
    uint8_t n;
    uint8_t dram;                 /* channel */
    /* Per on-chip level (index 0 unused: DRAM is `dram`): a partition per
     * data space and the read and write port pools; RES_NONE where the
     * level is untimed (banks 0, as the shorthand's RF) or holds no ds.
     * The shorthand's GLB is level PESIM_LEVEL_GLB. */
    uint8_t part[PESIM_LEVELS_MAX + 1][PESIM_DS_COUNT]; /* [nl]: the MAC, none */
    uint8_t rport[PESIM_LEVELS_MAX + 1], wport[PESIM_LEVELS_MAX + 1];
    /* Per on-chip level its read and write bandwidth (Timeloop's), shared by
     * its data spaces, work in 2^-PESIM_DRAM_FP words; RES_NONE: unlimited. */
    uint8_t rbw[PESIM_LEVELS_MAX + 1], wbw[PESIM_LEVELS_MAX + 1];
    /* Per fan-out (by the level above it) a bus per data space; RES_NONE
     * where the level has no fan-out. The shorthand's NoC is
     * net[PESIM_LEVEL_GLB]. */
    uint8_t net[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    uint8_t net_reload[PESIM_LEVELS_MAX]; /* psums sent back down, when apart */
    uint32_t dram_latency;
    uint32_t bytes[PESIM_DS_COUNT]; /* per DRAM word, rounded up */
    /* The link's compression of the layer's ds (pesim_dram_ratio; 1: none) */
    double dram_ratio[PESIM_DS_COUNT];
};

/* The step engine advances every cycle (~10^7 a second); it is the
 * reference for small cases, so a layer that needs more cycles than this
 * stops it with PESIM_E_RANGE instead of running for hours. */
#define PESIM_STEP_MAX_CYCLES (UINT64_C(1) << 24)
/* The cycle-level engines walk every step of the nest above the innermost
 * level (the shorthand's DRAM and GLB loops), about 3 million a second: a layer of more steps
 * than this (minutes of work; at batch 1 on eyeriss-v1 the largest layer
 * of ResNet-50 has 262,144, of VGG-16 2.1 million) is refused with
 * PESIM_E_RANGE, so that no workload, however large its dimensions, runs
 * for hours. The analysis has no such limit. */
#define PESIM_ENGINE_MAX_STEPS (UINT64_C(1) << 30)

struct run;

/* Build r->rs (and the built-in DRAM channel r->chan) from the component
 * kinds of engine/components.c: each level of r->arch, then each fan-out,
 * on the timing view r->tarch. 0, or PESIM_E_INVALID when a component
 * declares something malformed (a role naming no resource of its own, a
 * pool of 0 or more than 8 servers, a rate of 0), PESIM_E_RANGE when the
 * resources exceed RES_MAX. */
int pesim_components_build(struct run *r);
/* Register every site's counters (the components') with k, on r->arch. */
int pesim_components_register(struct run *r, pesim_kernel *k);

/* ---- nodes ---- */

enum node_kind { NODE_XFER, NODE_COMPUTE, NODE_JOIN };

/* Resources on a transfer's path: the two levels' partition and port, and
 * the networks between them (engine/plan.c refuses a pair that crosses
 * more than NODE_RES - 6 fan-outs). */
#define NODE_RES 10
/* The most dependencies a node takes (engine/plan.c): a compute node waits on
 * the previous step's join, a fill per data space and a parent tile per
 * streamed data space (7); a join on its compute and up to two streams per
 * data space (7), and the shares of next tiles streaming in (one per data
 * space and overlapping level: past NODE_DEPS - 1 in all, the step's end
 * is a chain of joins); the end on the last step and the last psums moved
 * into each level (1 + PESIM_LEVELS_MAX). dep() asserts it: a dropped
 * dependency would be a wrong time. */
#define NODE_DEPS (1 + PESIM_LEVELS_MAX)

struct dep {
    uint32_t node;   /* id */
    uint32_t offset; /* ready this many cycles after it */
    bool on_start;   /* after its start instead of its completion */
};

struct node {
    uint32_t id;     /* program order, from 1 */
    uint8_t kind;
    uint8_t nres;
    uint8_t res[NODE_RES];
    uint64_t work[NODE_RES];
    uint32_t latency; /* cycles from release to completion (DRAM reads) */
    bool dram_write;  /* DRAM is the destination */
    /* what a transfer moves, for traces */
    uint8_t ds;
    int8_t from, to;  /* levels; the arch's nlevels for the MAC */
    uint64_t words;
    uint8_t ndeps;
    struct dep deps[NODE_DEPS];
    /* timeline */
    uint64_t issue;   /* when the controller emitted it */
    uint64_t ready, start, release, done;
    uint8_t bound;    /* stall category of its longest resource */
    uint8_t bound_res;/* that resource */
    uint8_t queued_on;/* resource whose availability set `start` (if > ready) */
    uint32_t blame;   /* dep that set `ready` (0: issue time) */
    uint8_t server[NODE_RES];
    /* step engine */
    uint8_t state;
    uint64_t left[NODE_RES];
};

#define NODE_RING 1024 /* live nodes: one step of look-ahead is far less */

/* ---- the run ---- */

struct run;

/* Each engine provides: */
struct engine_ops {
    /* A node was emitted (program order). */
    void (*issue)(struct run *r, struct node *n);
};

struct plan;

struct run {
    const struct pesim_arch *arch;
    /* The timing view: arch with the shorthand keys expanded again, so
     * that the engine times what the shorthand says even when a caller
     * changed a shorthand key without pesim_arch_expand (the three-level
     * engine read the shorthand keys directly). Counts come from `arch`. */
    struct pesim_arch tarch;
    const struct pesim_layer *layer;
    const struct pesim_mapping *map;
    struct resources rs;
    struct node ring[NODE_RING];
    uint32_t next_id;
    const struct engine_ops *ops;
    void *engine;
    struct plan *plan;
    uint32_t end_node; /* set once the last step has been emitted */
    pesim_trace *trace; /* NULL: none (event engine only) */
    /* results */
    struct pesim_dram_channel chan; /* the built-in channel's state */
    struct pesim_dram_port port; /* the event engine's DRAM */
    struct pesim_dram_model model; /* transfer NULL: none (event engine only) */
    /* The built-in channel at an unlimited rate (bandwidth_gbps 0) and
     * nothing replacing it: DRAM takes no time, so it is on no transfer's
     * path (a transfer holds its whole path for its duration, and an
     * unlimited channel held by a long GLB fill made the next DRAM
     * transfer queue, charged to dram_bandwidth). Its latency still applies. */
    bool dram_untimed;
    struct pesim_analysis counts;
    uint64_t stalls[PESIM_STALL_COUNT];
    /* the same cycles (but compute, fill_drain and dram_latency) by the
     * site of the resource charged: levels, then fan-outs */
    uint64_t site_stalls[2 * PESIM_LEVELS_MAX];
    uint64_t role_stalls[2 * PESIM_LEVELS_MAX][PESIM_ROLE_COUNT]; /* and by role */
    uint64_t cycles;
    uint64_t events;
    /* steady state (docs/model.md §8.4): the first compute's start, the
     * last step's join (its end) */
    uint64_t first_start;
    bool computed;
    uint32_t last_join;
    int error;
    /* Called with the event engine's kernel after the run, while its
     * counter registry is alive (tests read the counters by name). */
    void (*inspect)(pesim_kernel *k, void *ctx);
    void *inspect_ctx;
    uint64_t until; /* engine_hooks.until */
};

static inline struct node *node_get(struct run *r, uint32_t id)
{
    return &r->ring[id % NODE_RING];
}

/* The controller (plan.c). init allocates (before the run loop); next
 * emits the nodes of the next step, issued at `now`, and returns its
 * compute node's id, or 0 once the steps are exhausted: the final drains
 * and the end node (r->end_node) have then been emitted. */
int pesim_plan_init(struct run *r);
/* Register the run's counters with a kernel under hierarchical names
 * ("dram.read.weights", "glb.update.outputs", "noc.multicast.inputs",
 * "stall.noc", ...): plain fields of the run, registered once by pointer. */
int pesim_run_register(struct run *r, pesim_kernel *k);
uint32_t pesim_plan_next(struct run *r, uint64_t now);
void pesim_plan_free(struct run *r);

/* A node's readiness from its dependencies: sets n->ready and n->blame.
 * Every dependency must have its timeline. */
void pesim_node_ready(struct run *r, struct node *n);
/* Cycles `work` takes at `rate` per cycle; 0 at an unlimited rate. */
uint64_t pesim_res_cycles(uint64_t work, uint64_t rate);
/* The earliest cycle a ready node can start (model.md §8.2): each resource
 * on its path is available from its last start (FIFO) and the release of
 * its server (of a pool, the free one released earliest; servers still
 * held, which only the step engine sees, do not count). DRAM goes through
 * `port` when given. Sets n->server[] and n->queued_on. */
uint64_t pesim_node_start(struct run *r, struct node *n, const struct pesim_dram_port *port);

/* Duration of a transfer on each resource of its path, from n->start,
 * and the bounding one (its stall category into n->bound). With a port,
 * its DRAM time comes from the port. A shared bandwidth's is from n->start
 * to the end of the transfer's words after the work queued on it. */
uint64_t pesim_node_duration(const struct run *r, struct node *n,
                             const struct pesim_dram_port *port);

/* A transfer starting at `start` (not before x->at) puts `work` on the
 * shared bandwidth x: returns the cycle its words end (rounded up) and,
 * in *at and *frac, x's queue end after it (the caller keeps them when
 * the transfer is placed). */
uint64_t pesim_fluid_take(const struct res *x, uint64_t start, uint64_t work, uint64_t *at,
                          uint64_t *frac);

/* Simulate a layer whose result already holds its closed-form analysis:
 * replaces the access counters by the engine's, sets cycles, stalls and
 * events. `inspect` (may be NULL) sees the event engine's kernel after the
 * run. */
struct engine_hooks {
    void (*inspect)(pesim_kernel *k, void *ctx); /* NULL: none */
    void *ctx;
    const struct pesim_dram_port *port;          /* NULL: the built-in DRAM */
    pesim_trace *trace;                          /* NULL: no trace (event engine) */
    const struct pesim_dram_model *model;        /* NULL: none (engine/model.c) */
    /* Event engine: a run that would end after this cycle stops there
     * with PESIM_E_RANGE (the mapper's ranking needs no more of it);
     * 0: none. */
    uint64_t until;
};
int pesim_engine_run(const struct pesim_arch *arch, const struct pesim_layer *l,
                     const struct pesim_mapping *m, enum pesim_engine engine,
                     struct pesim_layer_result *out, const struct engine_hooks *hooks);

/* With r->model: re-time a transfer that uses DRAM by the model's answer
 * (engine/model.c). Called by the event engine between computing a node's
 * start and duration with the built-in port and placing it; a no-op for
 * other nodes. Sets r->error if the model fails. */
void pesim_model_place(struct run *r, struct node *n, uint64_t *start, uint64_t *d);

/* Stall attribution of a wait [from, to) of the array on node id. */
void pesim_stalls_charge(struct run *r, uint32_t id, uint64_t from, uint64_t to);

#endif
