/* The discrete-event kernel (docs/kernel.md).
 *
 * Scheduled events live in a binary min-heap of pointers keyed by
 * (time, seq); each event keeps its heap index + 1 in `slot`, so cancel and
 * reschedule find it in O(1) and repair the heap in O(log n). The heap and
 * the batch array are sized once at creation for max_events, so the run loop
 * never allocates; only counter registration does.
 *
 * A run takes every event due at the earliest time t off the heap into the
 * batch array before any of them fires (as libuv collects due timers). Batch
 * members are marked with slot == IN_BATCH: they are still pending to the
 * user, and cancel/schedule on one of them clears the mark, which tells the
 * batch loop to skip it. */
#include <stdlib.h>
#include <string.h>

#include "pesim/error.h"
#include "pesim/kernel.h"

/* slot of an event taken off the heap into the current batch, not yet
 * fired. Heap slots are 1..max_events, so max_events stays below it. */
#define IN_BATCH UINT32_MAX

struct counter {
    char *name; /* owned copy */
    uint64_t *value;
};

struct pesim_kernel {
    struct pesim_allocator mem;
    uint64_t now;
    uint64_t seq;   /* next sequence number */
    uint64_t fired; /* events fired since creation */
    size_t max_events;
    size_t pending; /* heap members + live batch members */
    struct pesim_event **heap;
    size_t heap_n;
    struct pesim_event **batch;
    int running; /* run() is not re-entrant: it owns the batch array */
    struct counter *counters; /* sorted by name */
    size_t counter_n, counter_cap;
};

static void *mem_alloc(const struct pesim_allocator *m, size_t size)
{
    return m->alloc ? m->alloc(size, m->ctx) : malloc(size);
}

static void mem_release(const struct pesim_allocator *m, void *p)
{
    if (!p)
        return;
    if (m->release)
        m->release(p, m->ctx);
    else
        free(p);
}

static int before(const struct pesim_event *a, const struct pesim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void place(pesim_kernel *k, size_t i, struct pesim_event *ev)
{
    k->heap[i] = ev;
    ev->slot = (uint32_t)(i + 1);
}

static void sift_up(pesim_kernel *k, size_t i)
{
    struct pesim_event *ev = k->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(ev, k->heap[parent]))
            break;
        place(k, i, k->heap[parent]);
        i = parent;
    }
    place(k, i, ev);
}

static void sift_down(pesim_kernel *k, size_t i)
{
    struct pesim_event *ev = k->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= k->heap_n)
            break;
        if (child + 1 < k->heap_n && before(k->heap[child + 1], k->heap[child]))
            child++;
        if (!before(k->heap[child], ev))
            break;
        place(k, i, k->heap[child]);
        i = child;
    }
    place(k, i, ev);
}

/* Take the event at heap index i out of the heap; its slot is left for the
 * caller to set. */
static void heap_remove(pesim_kernel *k, size_t i)
{
    struct pesim_event *last = k->heap[--k->heap_n];
    if (i == k->heap_n)
        return;
    place(k, i, last);
    if (i > 0 && before(last, k->heap[(i - 1) / 2]))
        sift_up(k, i);
    else
        sift_down(k, i);
}

/* ev->slot names a heap position of this kernel (not merely of some
 * kernel): a cheap guard against an event scheduled on another kernel. */
static int in_heap(const pesim_kernel *k, const struct pesim_event *ev)
{
    return ev->slot != 0 && ev->slot != IN_BATCH && ev->slot <= k->heap_n &&
           k->heap[ev->slot - 1] == ev;
}

pesim_kernel *pesim_kernel_create(size_t max_events, const struct pesim_allocator *a)
{
    struct pesim_allocator mem = {0};
    if (a)
        mem = *a;
    /* Slots are uint32_t with IN_BATCH reserved; two arrays of pointers
     * must not overflow size_t. */
    if (max_events >= IN_BATCH || max_events > SIZE_MAX / (2 * sizeof(void *)))
        return NULL;
    pesim_kernel *k = mem_alloc(&mem, sizeof *k);
    if (!k)
        return NULL;
    memset(k, 0, sizeof *k);
    k->mem = mem;
    k->max_events = max_events;
    /* At least one element each, so that no allocator sees a zero size. */
    size_t cap = max_events ? max_events : 1;
    k->heap = mem_alloc(&mem, cap * sizeof *k->heap);
    k->batch = mem_alloc(&mem, cap * sizeof *k->batch);
    if (!k->heap || !k->batch) {
        pesim_kernel_destroy(k);
        return NULL;
    }
    return k;
}

void pesim_kernel_destroy(pesim_kernel *k)
{
    if (!k)
        return;
    struct pesim_allocator mem = k->mem;
    /* Leave the caller-owned events unscheduled, so that they can be
     * reused or freed without a dangling slot. */
    for (size_t i = 0; i < k->heap_n; i++)
        k->heap[i]->slot = 0;
    for (size_t i = 0; i < k->counter_n; i++)
        mem_release(&mem, k->counters[i].name);
    mem_release(&mem, k->counters);
    mem_release(&mem, k->heap);
    mem_release(&mem, k->batch);
    mem_release(&mem, k);
}

void pesim_event_init(struct pesim_event *ev, pesim_event_fn fn)
{
    ev->time = 0;
    ev->seq = 0;
    ev->slot = 0;
    ev->fn = fn;
}

int pesim_kernel_schedule(pesim_kernel *k, struct pesim_event *ev, uint64_t time)
{
    if (!k || !ev || !ev->fn)
        return PESIM_E_INVALID;
    if (time < k->now)
        return PESIM_E_RANGE;
    if (ev->slot != 0 && ev->slot != IN_BATCH && !in_heap(k, ev))
        return PESIM_E_INVALID; /* scheduled on another kernel */
    if (ev->slot == 0 && k->pending == k->max_events)
        return PESIM_E_RANGE;

    ev->time = time;
    ev->seq = k->seq++;
    if (in_heap(k, ev)) {
        /* A new (time, seq) can move either way. */
        size_t i = ev->slot - 1;
        if (i > 0 && before(ev, k->heap[(i - 1) / 2]))
            sift_up(k, i);
        else
            sift_down(k, i);
        return 0;
    }
    /* A batch member being moved stays pending and leaves the batch by
     * taking a heap slot; a new event adds to pending. */
    if (ev->slot == 0)
        k->pending++;
    k->heap[k->heap_n] = ev;
    k->heap_n++;
    sift_up(k, k->heap_n - 1);
    return 0;
}

void pesim_kernel_cancel(pesim_kernel *k, struct pesim_event *ev)
{
    if (!k || !ev || ev->slot == 0)
        return;
    if (ev->slot == IN_BATCH) {
        ev->slot = 0; /* the batch loop skips it */
        k->pending--;
        return;
    }
    if (!in_heap(k, ev))
        return;
    heap_remove(k, ev->slot - 1);
    ev->slot = 0;
    k->pending--;
}

int pesim_event_pending(const struct pesim_event *ev)
{
    return ev && ev->slot != 0;
}

uint64_t pesim_kernel_now(const pesim_kernel *k)
{
    return k->now;
}

uint64_t pesim_kernel_run(pesim_kernel *k, uint64_t until)
{
    if (!k || k->running)
        return 0;
    k->running = 1;
    uint64_t fired = 0;
    while (k->heap_n > 0 && k->heap[0]->time <= until) {
        uint64_t t = k->heap[0]->time;
        /* Collect the whole batch first: events scheduled for t by its
         * callbacks land in the heap and form the next batch at t. Pops
         * come out in seq order since all share the time. */
        size_t nb = 0;
        while (k->heap_n > 0 && k->heap[0]->time == t) {
            struct pesim_event *ev = k->heap[0];
            heap_remove(k, 0);
            ev->slot = IN_BATCH;
            k->batch[nb++] = ev;
        }
        k->now = t;
        for (size_t i = 0; i < nb; i++) {
            struct pesim_event *ev = k->batch[i];
            if (ev->slot != IN_BATCH)
                continue; /* cancelled or moved by an earlier callback */
            ev->slot = 0;
            k->pending--;
            k->fired++;
            fired++;
            ev->fn(k, ev);
        }
    }
    k->running = 0;
    return fired;
}

uint64_t pesim_kernel_events(const pesim_kernel *k)
{
    return k->fired;
}

uint64_t pesim_kernel_next_time(const pesim_kernel *k)
{
    return k->heap_n ? k->heap[0]->time : UINT64_MAX;
}

/* Index of the first counter whose name is >= name. */
static size_t counter_lower_bound(const pesim_kernel *k, const char *name)
{
    size_t lo = 0, hi = k->counter_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(k->counters[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int pesim_kernel_counter(pesim_kernel *k, const char *name, uint64_t *value)
{
    if (!k || !name || !*name || !value)
        return PESIM_E_INVALID;
    /* Kept sorted here, at registration, so that dumps read in name order
     * with no sort and the duplicate check is a binary search. */
    size_t at = counter_lower_bound(k, name);
    if (at < k->counter_n && strcmp(k->counters[at].name, name) == 0)
        return PESIM_E_INVALID;
    if (k->counter_n == k->counter_cap) {
        size_t cap = k->counter_cap ? 2 * k->counter_cap : 16;
        if (cap > SIZE_MAX / sizeof *k->counters)
            return PESIM_E_NOMEM;
        struct counter *grown = mem_alloc(&k->mem, cap * sizeof *grown);
        if (!grown)
            return PESIM_E_NOMEM;
        if (k->counter_n)
            memcpy(grown, k->counters, k->counter_n * sizeof *grown);
        mem_release(&k->mem, k->counters);
        k->counters = grown;
        k->counter_cap = cap;
    }
    size_t len = strlen(name) + 1;
    char *copy = mem_alloc(&k->mem, len);
    if (!copy)
        return PESIM_E_NOMEM;
    memcpy(copy, name, len);
    memmove(&k->counters[at + 1], &k->counters[at],
            (k->counter_n - at) * sizeof *k->counters);
    k->counters[at].name = copy;
    k->counters[at].value = value;
    k->counter_n++;
    return 0;
}

size_t pesim_kernel_counter_count(const pesim_kernel *k)
{
    return k->counter_n;
}

const char *pesim_kernel_counter_name(const pesim_kernel *k, size_t i)
{
    return i < k->counter_n ? k->counters[i].name : NULL;
}

uint64_t pesim_kernel_counter_value(const pesim_kernel *k, size_t i)
{
    return i < k->counter_n ? *k->counters[i].value : 0;
}
