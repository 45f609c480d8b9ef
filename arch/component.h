/* Internal: the timing interface of a component (docs/architecture.md,
 * "A component"; docs/model.md §8.2).
 *
 * A component is one file behind this header: a storage level
 * (memory/glb.c), a network (pe_array/noc.c), DRAM (memory/dram.c). It
 * is one `const struct pesim_component_kind` row; the engine keeps the
 * table of rows (engine/components.c) and builds every timing resource of
 * a run through it, and nothing else: it never reads a component's keys.
 * A component sees the architecture and this header, never the engine's
 * nodes, runs or resource state (the rules table of docs/architecture.md).
 *
 * Sites. A row serves a kind of site: a storage level (by its index in
 * arch->level[], outermost 0) or a fan-out (by the index of the level
 * above it). For each site the engine asks the rows of that site in table
 * order and takes the first whose `claims` says yes, so a new model of a
 * storage level or a network is one new file and one row before the
 * default one, claiming the sites it models (by a key of its level, say).
 * Level 0 is DRAM: its component's work is counted in bytes (below) and
 * its one channel is what a `struct pesim_dram_port` stands in for.
 *
 * Units. Time is in cycles. A resource serves `rate` work units per cycle
 * (UINT64_MAX: unlimited, it takes no time): words for storage levels and
 * networks, 2^-PESIM_DRAM_FP bytes for DRAM, so that the event engine's
 * closed form and the step engine's per-cycle credit agree exactly. A
 * resource with `pool` > 1 is that many servers taking one FIFO queue
 * (ports). A resource's `stall` is the category charged while it bounds a
 * wait.
 *
 * Ownership. `timing` fills a caller-owned struct and keeps nothing;
 * `counters` registers fields of the caller's `counts` by pointer with the
 * caller's kernel (the run owns both; they outlive the kernel's use). No
 * call allocates, prints or keeps state. */
#ifndef PESIM_ARCH_COMPONENT_H
#define PESIM_ARCH_COMPONENT_H

#include <stdbool.h>
#include <stdint.h>

#include "pesim/kernel.h"
#include "pesim/sim.h"

#define PESIM_DRAM_FP 20 /* DRAM work unit: 2^-20 byte */

/* Resources one component contributes (a level: a partition per data
 * space and two port pools). */
#define PESIM_COMP_RES_MAX 8
#define PESIM_COMP_NONE UINT8_MAX

/* One timing resource as its component declares it. The engine adds the
 * state (when each server frees up, who holds it). */
struct pesim_comp_res {
    uint64_t rate;  /* work units per cycle; UINT64_MAX: unlimited */
    uint8_t stall;  /* enum pesim_stall charged while it bounds a wait */
    uint8_t pool;   /* servers taking the same queue, 1 to 8 */
};

/* What a component contributes to a run's timing: written by the
 * component's `timing` call, then read by the engine only (it copies what
 * it needs; the struct is the caller's scratch). Roles name resources by
 * their index in res[] (PESIM_COMP_NONE: none): the engine puts them on
 * the paths of the transfers that touch the site. */
struct pesim_comp_timing {
    struct pesim_comp_res res[PESIM_COMP_RES_MAX];
    uint8_t nres;
    /* The resource a transfer of data space ds through this site occupies
     * for its words (a level's partition, a network's bus; DRAM: its one
     * channel for every ds). NONE: untimed for ds. */
    uint8_t data[PESIM_DS_COUNT];
    /* Networks: the bus psums sent back down (reloads) take when it is not
     * the outputs' own (reload_width_words); NONE: the same bus. */
    uint8_t reload;
    /* Storage levels: the pools a read out of and a write into the level
     * take for one unit of work each (they bound concurrency, not words). */
    uint8_t rport, wport;
    /* Storage levels: Timeloop-style bandwidths (read_bandwidth,
     * write_bandwidth), each one resource shared by every data space of the
     * level, its work the words read (written) in 2^-PESIM_DRAM_FP word
     * units, so that a fractional words-per-cycle rate times exactly in both
     * engines. NONE: no such limit. */
    uint8_t rbw, wbw;
    /* DRAM: cycles from a read's release of the channel to its data
     * arriving; and bytes per word of each data space (rounded up). */
    uint32_t latency;
    uint32_t bytes[PESIM_DS_COUNT];
};

enum pesim_comp_site { PESIM_SITE_LEVEL, PESIM_SITE_FANOUT };

struct pesim_component_kind {
    const char *name; /* "dram", "storage", "network": for docs and tests */
    enum pesim_comp_site site;
    /* Whether this row models site `index` of arch. Called by the engine
     * once per site and run, for resources (on its timing view of the
     * architecture) and for counters (on the architecture). */
    bool (*claims)(const struct pesim_arch *arch, unsigned index);
    /* The site's resources and roles. Called once per run, before the
     * first node, in site order (levels outermost first, then fan-outs):
     * the order of the engine's resource table. `out` arrives zeroed with
     * every role NONE. The engine refuses the run (PESIM_E_INVALID) if a
     * role names no resource of out->res[], a pool is outside 1 to 8 or a
     * rate is 0, and (PESIM_E_RANGE) if all sites together declare more
     * resources than it holds (64). */
    void (*timing)(const struct pesim_arch *arch, unsigned index, struct pesim_comp_timing *out);
    /* Register the site's counters with k under hierarchical names
     * ("glb.read.inputs", "noc.words.weights"): fields of `counts`, the
     * run's access counts (struct pesim_analysis of include/pesim/sim.h's
     * result), which the engine fills as it executes the nest. Called once
     * per event-engine run. Returns 0 or PESIM_E_NOMEM. */
    int (*counters)(const struct pesim_arch *arch, unsigned index,
                    struct pesim_analysis *counts, pesim_kernel *k);
};

/* The rows this tree ships (engine/components.c lists them). */
extern const struct pesim_component_kind pesim_comp_dram;    /* memory/dram.c */
extern const struct pesim_component_kind pesim_comp_storage; /* memory/glb.c */
extern const struct pesim_component_kind pesim_comp_network; /* pe_array/noc.c */

/* A storage level's counters "<level>.read|fill|update.<ds>", for any
 * level, DRAM's included (memory/glb.c). */
int pesim_level_counters(const struct pesim_arch *arch, unsigned lv,
                         struct pesim_analysis *counts, pesim_kernel *k);

/* Cycles `work` takes at `rate` per cycle: ceil(work / rate); 0 at an
 * unlimited rate. The one rounding every engine and port uses. */
static inline uint64_t pesim_work_cycles(uint64_t work, uint64_t rate)
{
    if (rate == UINT64_MAX)
        return 0;
    return work / rate + (work % rate != 0);
}

/* ---- DRAM behind a port ----
 *
 * For each transfer that uses DRAM the event engine asks the port when it
 * can start, how many cycles the data needs and the latency after it, then
 * reserves the port until the transfer releases its resources. This is
 * the engine's internal seam: memory/dram.c implements it for the built-in
 * channel (the rate and latency of the architecture), and tests time
 * hand-written ones. The step engine always advances the built-in channel,
 * cycle by cycle.
 *
 * The one public way to replace DRAM is not this port but
 * `struct pesim_dram_model` (include/pesim/sim.h), which the SystemC
 * binding implements with TLM transactions: engine/model.c asks it for the
 * start, release and completion of every DRAM transfer. A second DRAM
 * model — a bank and row-buffer model, a trace-driven memory — is written
 * as such a model (its `transfer` answers a request with its timing, its
 * ctx holds the banks' state) and run with pesim_sim_layer_model; it needs
 * no row here and no change to the engine. A new row of site level 0 is
 * only for a change of the built-in channel that the step engine must
 * also run cycle by cycle. */
struct pesim_dram_port {
    uint64_t (*available)(void *ctx, uint64_t t);              /* first cycle >= t */
    uint64_t (*cycles)(void *ctx, uint64_t bytes, bool write); /* channel time */
    uint32_t (*latency)(void *ctx, bool write);                /* after the data */
    void (*reserve)(void *ctx, uint64_t start, uint64_t until);
    void *ctx;
};

/* The built-in channel's state behind its port, in the engine's run. */
struct pesim_dram_channel {
    /* set by the engine from DRAM's timing before the run; read-only after */
    uint64_t rate;       /* 2^-PESIM_DRAM_FP bytes per cycle */
    uint32_t latency;    /* read latency, cycles */
    /* private to the port's calls (zero at the start of a run) */
    uint64_t free_at;    /* the channel is released */
    uint64_t last_start; /* FIFO: nobody starts before an earlier user */
};

/* The built-in channel as a port over ch (which must outlive the port). */
void pesim_dram_port_builtin(struct pesim_dram_channel *ch, struct pesim_dram_port *port);

#endif
