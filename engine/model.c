/* Another memory model in place of the built-in DRAM (include/pesim/sim.h,
 * docs/systemc.md): the engine's side of it. pesim_sim_layer_model is the
 * layer pipeline (pipeline/layer.c) with the model as an engine hook; here
 * the event engine re-times each DRAM transfer by the model's answer.
 *
 * The event engine first times a DRAM transfer with the built-in port,
 * whose channel then only remembers how long earlier transfers held DRAM
 * (the circuit of model.md §8.2), so `start` is the earliest cycle the
 * rest of the path allows. The model answers when the data really moves,
 * when DRAM frees and when the transfer completes; the node keeps the
 * engine's semantics around that answer: it holds its whole path for the
 * longest resource, queueing in memory is charged to DRAM, the time from
 * release to done is DRAM latency. */
#include "engine/engine.h"

struct answer {
    uint64_t cycles; /* release - start of the model's answer */
};

static uint64_t answer_available(void *ctx, uint64_t t)
{
    (void)ctx;
    return t;
}

static uint64_t answer_cycles(void *ctx, uint64_t bytes, bool write)
{
    (void)bytes;
    (void)write;
    return ((const struct answer *)ctx)->cycles;
}

static uint32_t answer_latency(void *ctx, bool write)
{
    (void)ctx;
    (void)write;
    return 0;
}

static void answer_reserve(void *ctx, uint64_t start, uint64_t until)
{
    (void)ctx;
    (void)start;
    (void)until;
}

void pesim_model_place(struct run *r, struct node *n, uint64_t *start, uint64_t *d)
{
    unsigned i = 0;
    while (i < n->nres && n->res[i] != r->rs.dram)
        i++;
    if (i == n->nres || n->kind != NODE_XFER)
        return;
    /* the link's bytes (fewer than the words' under compression), rounded up */
    uint64_t bytes = (n->work[i] + (UINT64_C(1) << PESIM_DRAM_FP) - 1) >> PESIM_DRAM_FP;
    struct pesim_dram_request rq = {(enum pesim_ds)n->ds, n->dram_write, n->words, bytes,
                                    *start};
    struct pesim_dram_timing t = {*start, *start, *start};
    int rc = r->model.transfer(r->model.ctx, &rq, &t);
    if (rc || t.start < *start || t.release < t.start || t.done < t.release) {
        /* a broken answer is the model's error; keep the timeline sane */
        if (!r->error)
            r->error = rc ? rc : PESIM_E_SIM;
        t.start = t.release = t.done = *start;
    }
    if (t.start > *start)
        n->queued_on = r->rs.dram; /* queued in memory */
    struct answer a = {t.release - t.start};
    struct pesim_dram_port port = {answer_available, answer_cycles, answer_latency,
                                   answer_reserve, &a};
    *start = t.start;
    n->start = t.start;
    *d = pesim_node_duration(r, n, &port);
    uint64_t lat = t.done - t.release;
    n->latency = lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
}
