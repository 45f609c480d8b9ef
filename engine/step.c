/* The step engine: the reference the event engine is checked against
 * (docs/model.md §8). Every cycle, every resource moves its share of its
 * transfers' work (the DRAM channel its fixed-point bytes, a GLB partition
 * its bank words, a NoC bus its width) and the array one compute cycle;
 * nodes start when their dependencies are met and their resources free, in
 * program order. Nothing is computed in closed form. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

enum { ST_PENDING, ST_ACTIVE, ST_FINISHING, ST_RELEASED, ST_DONE };

#define LIVE 256

struct step_engine {
    uint32_t live[LIVE]; /* issued and not done, program order */
    uint32_t nlive;
    uint64_t now;
    uint64_t array_free;
    uint32_t compute;     /* compute node of the step whose join is awaited */
    uint32_t join;
    bool overflow;
};

static void issue(struct run *r, struct node *n)
{
    struct step_engine *e = r->engine;
    n->state = ST_PENDING;
    if (e->nlive == LIVE) {
        e->overflow = true;
        return;
    }
    e->live[e->nlive++] = n->id;
}

static const struct engine_ops ops = {issue};

static bool deps_met(struct run *r, const struct node *n, uint64_t t)
{
    for (unsigned i = 0; i < n->ndeps; i++) {
        const struct node *d = node_get(r, n->deps[i].node);
        if (n->deps[i].on_start) {
            if (d->state == ST_PENDING || d->start + n->deps[i].offset > t)
                return false;
        } else if (d->state != ST_DONE || d->done + n->deps[i].offset > t) {
            return false;
        }
    }
    return true;
}

/* The event engine's start rule (pesim_node_start) must give the cycle the
 * step engine found by stepping: a check of the closed form. It also picks
 * the servers and the resource a queue stall is charged to. */
static void note_start(struct run *r, struct node *n, uint64_t t)
{
    pesim_node_ready(r, n);
    if (pesim_node_start(r, n, NULL) != t)
        r->error = PESIM_E_SIM; /* the engines disagree: a bug */
    n->start = t;
    pesim_node_duration(r, n, NULL); /* sets n->bound */
}

static void complete(struct run *r, struct step_engine *e, struct node *n);

/* The node's work is over: free its servers now; it completes after its
 * latency. */
static void release_node(struct run *r, struct step_engine *e, struct node *n)
{
    n->state = ST_RELEASED;
    n->release = e->now;
    n->done = n->release + n->latency;
    for (unsigned k = 0; k < n->nres; k++) {
        struct res *x = &r->rs.r[n->res[k]];
        if (x->fluid)
            continue; /* nobody holds a shared bandwidth */
        x->holder[n->server[k]] = 0;
        x->free_at[n->server[k]] = e->now;
    }
    if (n->done <= e->now)
        complete(r, e, n);
}

static bool try_start(struct run *r, struct step_engine *e, struct node *n,
                      uint64_t blocked[])
{
    bool free_all = true;
    for (unsigned i = 0; i < n->nres; i++) {
        const struct res *x = &r->rs.r[n->res[i]];
        bool any = false;
        for (unsigned s = 0; s < x->pool; s++)
            any |= x->holder[s] == 0;
        if (x->fluid) /* a shared bandwidth: room left in this cycle */
            any = x->backlog < x->rate;
        if (x->fluid && x->rate == UINT64_MAX) /* unlimited: no queue */
            continue;
        if ((blocked[n->res[i] / 64] >> (n->res[i] % 64) & 1) || !any)
            free_all = false;
    }
    if (!free_all || !deps_met(r, n, e->now)) {
        for (unsigned i = 0; i < n->nres; i++) /* FIFO: later users wait */
            blocked[n->res[i] / 64] |= UINT64_C(1) << (n->res[i] % 64);
        return false;
    }
    note_start(r, n, e->now); /* also picks the servers */
    for (unsigned i = 0; i < n->nres; i++) {
        struct res *x = &r->rs.r[n->res[i]];
        x->last_start = e->now;
        n->left[i] = n->work[i];
        if (x->fluid) {
            /* the closed form's queue, which pesim_node_start checks */
            if (n->work[i])
                pesim_fluid_take(x, e->now, n->work[i], &x->at, &x->frac);
            if (x->rate != UINT64_MAX) /* unlimited: moves at once */
                x->backlog += n->work[i];
            else
                n->left[i] = 0;
            continue;
        }
        x->holder[n->server[i]] = n->id;
    }
    if (n->kind == NODE_COMPUTE)
        n->left[0] = n->work[0];
    n->state = ST_ACTIVE;
    bool work = false;
    for (unsigned k = 0; k < (n->kind == NODE_COMPUTE ? 1u : n->nres); k++)
        work |= n->left[k] != 0 && (n->kind == NODE_COMPUTE || r->rs.r[n->res[k]].rate != UINT64_MAX);
    if (!work) /* unlimited rates: no time at all */
        release_node(r, e, n);
    return true;
}

static void complete(struct run *r, struct step_engine *e, struct node *n)
{
    n->state = ST_DONE;
    n->done = e->now;
    if (n->id == e->join) {
        pesim_stalls_charge(r, n->id, e->array_free, n->done);
        e->array_free = n->done;
        e->join = 0;
    }
}

/* Start whatever can start now, in program order, until nothing changes
 * (a start may issue a new step, a join may complete at once). */
static void starts(struct run *r, struct step_engine *e)
{
    bool again = true;
    while (again && !r->error) {
        again = false;
        uint64_t blocked[(RES_MAX + 63) / 64] = {0};
        for (uint32_t i = 0; i < e->nlive; i++) {
            struct node *n = node_get(r, e->live[i]);
            if (n->state != ST_PENDING)
                continue;
            if (n->kind == NODE_JOIN) {
                if (deps_met(r, n, e->now)) {
                    pesim_node_ready(r, n);
                    n->start = n->release = e->now;
                    complete(r, e, n);
                    again = true;
                }
                continue;
            }
            if (!try_start(r, e, n, blocked))
                continue;
            again = true;
            if (n->kind == NODE_COMPUTE) {
                if (!r->computed) {
                    r->first_start = e->now;
                    r->computed = true;
                }
                pesim_stalls_charge(r, n->id, e->array_free, e->now);
                r->stalls[PESIM_STALL_COMPUTE] += n->work[0] - n->work[1];
                r->stalls[PESIM_STALL_FILL_DRAIN] += n->work[1]; /* systolic skew */
                e->array_free = e->now + n->work[0];
                e->compute = n->id;
                /* this step's join was the last node issued so far */
                e->join = r->next_id;
                pesim_plan_next(r, e->now);
            }
        }
    }
}

/* One cycle of work on every active node; releases at the next cycle. */
static void progress(struct run *r, struct step_engine *e)
{
    /* a shared bandwidth's words this cycle, to its transfers in order */
    uint64_t room[RES_MAX];
    for (unsigned x = 0; x < r->rs.n; x++)
        room[x] = r->rs.r[x].rate;
    for (uint32_t i = 0; i < e->nlive; i++) {
        struct node *n = node_get(r, e->live[i]);
        if (n->state != ST_ACTIVE)
            continue;
        bool left = false;
        for (unsigned k = 0; k < (n->kind == NODE_COMPUTE ? 1u : n->nres); k++) {
            uint64_t rate = n->kind == NODE_COMPUTE ? 1 : r->rs.r[n->res[k]].rate;
            if (n->kind != NODE_COMPUTE && r->rs.r[n->res[k]].fluid) {
                struct res *x = &r->rs.r[n->res[k]];
                uint64_t take = n->left[k] < room[n->res[k]] ? n->left[k] : room[n->res[k]];
                n->left[k] -= take;
                room[n->res[k]] -= take;
                x->backlog -= take;
                left |= n->left[k] != 0;
                continue;
            }
            n->left[k] = n->left[k] > rate ? n->left[k] - rate : 0;
            left |= n->left[k] != 0;
        }
        if (!left)
            n->state = ST_FINISHING; /* its work ended with this cycle */
    }
}

/* Release resources of nodes whose work ended, complete those whose
 * latency has passed, and drop done nodes from the live list. */
static void completions(struct run *r, struct step_engine *e)
{
    uint32_t keep = 0;
    for (uint32_t i = 0; i < e->nlive; i++) {
        struct node *n = node_get(r, e->live[i]);
        if (n->state == ST_FINISHING)
            release_node(r, e, n);
        else if (n->state == ST_RELEASED && n->done <= e->now)
            complete(r, e, n);
        if (n->state != ST_DONE)
            e->live[keep++] = e->live[i];
    }
    e->nlive = keep;
}

int pesim_engine_step(struct run *r)
{
    struct step_engine *e = calloc(1, sizeof *e);
    if (!e)
        return PESIM_E_NOMEM;
    r->engine = e;
    r->ops = &ops;
    pesim_plan_next(r, 0);
    for (e->now = 0; !r->error && !e->overflow; e->now++) {
        completions(r, e);
        starts(r, e);
        if (r->end_node && node_get(r, r->end_node)->state == ST_DONE)
            break;
        progress(r, e);
        r->events++;
        if (e->now == PESIM_STEP_MAX_CYCLES) {
            r->error = PESIM_E_RANGE;
            break;
        }
    }
    if (e->overflow)
        r->error = PESIM_E_SIM;
    if (!r->error) {
        const struct node *end = node_get(r, r->end_node);
        pesim_stalls_charge(r, r->end_node, e->array_free, end->done);
        r->cycles = end->done;
    }
    free(e);
    return r->error;
}
