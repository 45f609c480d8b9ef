/* The event engine (docs/model.md §8): each node's start and end are
 * computed in closed form when it is issued (resources remember when they
 * free up), and the kernel jumps from one step's compute start to the
 * next, where the controller issues the following step. Nothing ticks. */
#include <stdlib.h>

#include "engine/engine.h"
#include "engine/trace.h"

struct event_engine {
    pesim_kernel *k;
    struct pesim_event wake; /* the controller's: at each compute start */
    struct run *r;
    uint32_t compute;        /* compute node of the step being started */
    uint64_t array_free;     /* end of the previous step (its join) */
};

static void place(struct run *r, struct node *n)
{
    pesim_node_ready(r, n);
    if (n->kind == NODE_JOIN) {
        n->start = n->release = n->done = n->ready;
        return;
    }
    const struct pesim_dram_port *port = &r->port;
    uint64_t start = pesim_node_start(r, n, port);
    n->start = start; /* a shared bandwidth's time is from the start */
    uint64_t d = pesim_node_duration(r, n, port);
    if (r->model.transfer)
        pesim_model_place(r, n, &start, &d);
    n->start = start;
    n->release = start + d;
    n->done = n->release + n->latency;
    for (unsigned i = 0; i < n->nres; i++) {
        struct res *x = &r->rs.r[n->res[i]];
        if (n->res[i] == r->rs.dram) {
            port->reserve(port->ctx, start, n->release);
            continue;
        }
        if (x->fluid) {
            if (n->work[i])
                pesim_fluid_take(x, start, n->work[i], &x->at, &x->frac);
            x->last_start = start;
            continue;
        }
        x->free_at[n->server[i]] = n->release;
        x->last_start = start;
    }
    if (r->trace)
        trace_node(r->trace, r, n);
}

static void issue(struct run *r, struct node *n)
{
    place(r, n);
    if (n->kind == NODE_COMPUTE)
        ((struct event_engine *)r->engine)->compute = n->id;
}

static const struct engine_ops ops = {issue};

/* Account the array's time up to this compute's start, and up to its
 * step's end (the join, issued right after the step's streams). */
static void charge_step(struct run *r, struct event_engine *e, uint32_t compute)
{
    const struct node *c = node_get(r, compute);
    if (!r->computed) {
        r->first_start = c->start;
        r->computed = true;
    }
    pesim_stalls_charge(r, compute, e->array_free, c->start);
    r->stalls[PESIM_STALL_COMPUTE] += c->work[0] - c->work[1];
    r->stalls[PESIM_STALL_FILL_DRAIN] += c->work[1]; /* systolic skew */
    e->array_free = c->done;
}

static void on_wake(pesim_kernel *k, struct pesim_event *ev)
{
    struct event_engine *e = (struct event_engine *)((char *)ev - offsetof(struct event_engine, wake));
    struct run *r = e->r;
    uint32_t compute = e->compute;
    uint32_t join = r->next_id; /* the step's join is its last node */
    charge_step(r, e, compute);
    const struct node *j = node_get(r, join);
    pesim_stalls_charge(r, join, e->array_free, j->done);
    e->array_free = j->done;
    e->compute = 0;
    if (pesim_plan_next(r, pesim_kernel_now(k)) && !r->error) {
        const struct node *c = node_get(r, e->compute);
        pesim_kernel_schedule(k, &e->wake, c->start);
    }
}

int pesim_engine_event(struct run *r)
{
    struct event_engine e = {0};
    e.k = pesim_kernel_create(4, NULL);
    if (!e.k)
        return PESIM_E_NOMEM;
    e.r = r;
    if (pesim_run_register(r, e.k)) {
        pesim_kernel_destroy(e.k);
        return PESIM_E_NOMEM;
    }
    r->engine = &e;
    r->ops = &ops;
    for (unsigned i = 0; i < r->rs.n; i++)
        r->rs.r[i].last_start = 0;
    pesim_event_init(&e.wake, on_wake);
    if (pesim_plan_next(r, 0))
        pesim_kernel_schedule(e.k, &e.wake, node_get(r, e.compute)->start);
    pesim_kernel_run(e.k, r->until ? r->until : UINT64_MAX);
    if (pesim_kernel_next_time(e.k) != UINT64_MAX) { /* cut at r->until */
        pesim_kernel_destroy(e.k);
        return PESIM_E_RANGE;
    }
    const struct node *end = node_get(r, r->end_node);
    pesim_stalls_charge(r, r->end_node, e.array_free, end->done);
    r->cycles = end->done;
    r->events = pesim_kernel_events(e.k);
    if (r->inspect)
        r->inspect(e.k, r->inspect_ctx);
    pesim_kernel_destroy(e.k);
    return r->error;
}
