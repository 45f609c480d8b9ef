/* Readiness, durations and stall attribution of nodes (docs/model.md
 * §8.2, §8.4), shared by both engines so that equal timelines give equal
 * answers. */
#include "engine/engine.h"
#include "engine/trace.h"

void pesim_node_ready(struct run *r, struct node *n)
{
    n->ready = n->issue;
    n->blame = 0;
    for (unsigned i = 0; i < n->ndeps; i++) {
        const struct node *d = node_get(r, n->deps[i].node);
        uint64_t t = (n->deps[i].on_start ? d->start : d->done) + n->deps[i].offset;
        if (t > n->ready) {
            n->ready = t;
            n->blame = i + 1;
        }
    }
}

uint64_t pesim_res_cycles(uint64_t work, uint64_t rate)
{
    return pesim_work_cycles(work, rate);
}

uint64_t pesim_fluid_take(const struct res *x, uint64_t start, uint64_t work, uint64_t *at_out,
                          uint64_t *frac_out)
{
    uint64_t at = x->at, frac = x->frac;
    if (x->rate == UINT64_MAX) { /* unlimited: no time, no queue */
        *at_out = at;
        *frac_out = frac;
        return start;
    }
    if (start > at || (start == at && frac == 0)) {
        at = start;
        frac = 0;
    }
    at += work / x->rate;
    uint64_t f = work % x->rate; /* frac + f < 2 rate: no overflow below 2^63 */
    if (f >= x->rate - frac) {
        at++;
        frac = f - (x->rate - frac);
    } else {
        frac += f;
    }
    *at_out = at;
    *frac_out = frac;
    return at + (frac != 0);
}

uint64_t pesim_node_start(struct run *r, struct node *n, const struct pesim_dram_port *port)
{
    uint64_t start = n->ready;
    n->queued_on = n->nres ? n->res[0] : 0;
    for (unsigned i = 0; i < n->nres; i++) {
        const struct res *x = &r->rs.r[n->res[i]];
        uint64_t t;
        if (port && n->res[i] == r->rs.dram) {
            t = port->available(port->ctx, n->ready);
            n->latency = port->latency(port->ctx, n->dram_write);
        } else if (x->fluid) {
            /* its words may begin in the cycle the queued work ends in */
            n->server[i] = 0;
            t = x->rate == UINT64_MAX ? 0 /* no queue at all */
                : x->at > x->last_start ? x->at : x->last_start;
        } else {
            unsigned best = x->pool; /* free server released earliest */
            for (unsigned s = 0; s < x->pool; s++)
                if (!x->holder[s] && (best == x->pool || x->free_at[s] < x->free_at[best]))
                    best = s;
            if (best == x->pool) /* all held: callers ask only when one is free */
                best = 0;
            n->server[i] = (uint8_t)best;
            t = x->free_at[best] > x->last_start ? x->free_at[best] : x->last_start;
        }
        if (t > start) {
            start = t;
            n->queued_on = n->res[i];
        }
    }
    return start;
}

uint64_t pesim_node_duration(const struct run *r, struct node *n,
                             const struct pesim_dram_port *port)
{
    if (n->kind == NODE_COMPUTE)
        return n->work[0];
    uint64_t d = 0;
    uint64_t at, frac;
    n->bound = PESIM_STALL_COMPUTE;
    n->bound_res = RES_NONE;
    for (unsigned i = 0; i < n->nres; i++) {
        const struct res *x = &r->rs.r[n->res[i]];
        uint64_t t = port && n->res[i] == r->rs.dram
                         ? port->cycles(port->ctx, n->work[i] >> PESIM_DRAM_FP, n->dram_write)
                     : x->fluid && n->work[i]
                         ? pesim_fluid_take(x, n->start, n->work[i], &at, &frac) - n->start
                         : pesim_res_cycles(n->work[i], x->rate);
        /* ties: the lower stall category (DRAM, then GLB, then NoC) */
        if (t > d || (t == d && t > 0 && x->stall < n->bound)) {
            d = t;
            n->bound = x->stall;
            n->bound_res = n->res[i];
        }
    }
    return d;
}

static void add(struct run *r, unsigned cat, uint64_t a, uint64_t b)
{
    if (b > a) {
        r->stalls[cat] += b - a;
        if (r->trace)
            trace_stall(r->trace, cat, a, b);
    }
}

/* A wait charged to resource res: its category and its site. */
static void add_res(struct run *r, uint8_t res, uint64_t a, uint64_t b)
{
    if (b > a) {
        const struct res *x = &r->rs.r[res];
        r->stalls[x->stall] += b - a;
        r->site_stalls[x->site % (2 * PESIM_LEVELS_MAX)] += b - a;
        r->role_stalls[x->site % (2 * PESIM_LEVELS_MAX)][x->role % PESIM_ROLE_COUNT] += b - a;
        if (r->trace)
            trace_stall(r->trace, x->stall, a, b);
    }
}

/* Charge [a, b) (the array idle, waiting for node id) by the node's
 * phases; recursive through the dependency that made it ready last. */
void pesim_stalls_charge(struct run *r, uint32_t id, uint64_t a, uint64_t b)
{
    for (int depth = 0; id && a < b && depth < 64; depth++) {
        const struct node *n = node_get(r, id);
        uint64_t lat_from = n->release > a ? n->release : a;
        if (n->kind == NODE_XFER) {
            if (b > lat_from)
                add(r, PESIM_STALL_DRAM_LATENCY, lat_from, b);
            uint64_t act_from = n->start > a ? n->start : a;
            uint64_t act_to = n->release < b ? n->release : b;
            if (n->bound_res != RES_NONE)
                add_res(r, n->bound_res, act_from, act_to);
            uint64_t q_from = n->ready > a ? n->ready : a;
            uint64_t q_to = n->start < b ? n->start : b;
            if (q_to > q_from)
                add_res(r, n->queued_on, q_from, q_to);
        } else if (n->kind == NODE_COMPUTE) {
            /* waiting on a compute: the MAC pipeline (drains after it) */
            uint64_t from = n->ready > a ? n->ready : a;
            add(r, PESIM_STALL_FILL_DRAIN, from, b);
        }
        if (n->ready <= a || !n->blame)
            return;
        /* before it was ready: what it waited for */
        const struct dep *d = &n->deps[n->blame - 1];
        const struct node *w = node_get(r, d->node);
        uint64_t w_end = d->on_start ? w->start : w->done;
        uint64_t to = n->ready < b ? n->ready : b;
        if (d->offset) /* the MAC pipeline's latency */
            add(r, PESIM_STALL_FILL_DRAIN, w_end > a ? w_end : a, to);
        b = w_end < to ? w_end : to;
        id = d->node;
    }
}
