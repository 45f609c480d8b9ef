/* pesim — the discrete-event kernel (docs/kernel.md).
 *
 * Time is an integer cycle count. Events are caller-owned structs embedded
 * in components (intrusive), ordered by (time, sequence number): events due
 * at the same cycle fire in the order they were scheduled, so every run is
 * deterministic. All events due at cycle t are taken off the heap before
 * any of them fires; an event scheduled for t while t's batch fires goes
 * into a later batch at the same t. No global state: kernels in different
 * threads never interfere. The heap is sized at creation; scheduling and
 * running never allocate. */
#ifndef PESIM_KERNEL_H
#define PESIM_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pesim_kernel pesim_kernel;
struct pesim_event;

/* Called when the event fires; `now` == the event's time. The callback may
 * schedule (or reschedule) any event, including itself. */
typedef void (*pesim_event_fn)(pesim_kernel *k, struct pesim_event *ev);

/* Embed in a component; initialize with pesim_event_init. Fields are the
 * kernel's while the event is scheduled. */
struct pesim_event {
    uint64_t time;
    uint64_t seq;
    uint32_t slot; /* heap index + 1; 0 when not scheduled */
    pesim_event_fn fn;
};

/* Allocation hook for the kernel (tests count calls through it). NULL
 * fields mean malloc/free. */
struct pesim_allocator {
    void *(*alloc)(size_t size, void *ctx);
    void (*release)(void *ptr, void *ctx);
    void *ctx;
};

/* A kernel able to hold `max_events` scheduled events at once. NULL when
 * out of memory. `a` may be NULL. */
pesim_kernel *pesim_kernel_create(size_t max_events, const struct pesim_allocator *a);
void pesim_kernel_destroy(pesim_kernel *k);

void pesim_event_init(struct pesim_event *ev, pesim_event_fn fn);
/* Schedule ev at absolute cycle `time` (>= now). Rescheduling a scheduled
 * event moves it (new sequence number). PESIM_E_RANGE if time < now or the
 * heap is full. */
int pesim_kernel_schedule(pesim_kernel *k, struct pesim_event *ev, uint64_t time);
/* Remove ev if scheduled; no-op otherwise. */
void pesim_kernel_cancel(pesim_kernel *k, struct pesim_event *ev);
int pesim_event_pending(const struct pesim_event *ev);

uint64_t pesim_kernel_now(const pesim_kernel *k);
/* Fire events in order until none is left or the next one is after
 * `until` (inclusive bound; UINT64_MAX for all). Returns the number of
 * events fired. */
uint64_t pesim_kernel_run(pesim_kernel *k, uint64_t until);
/* Events fired since creation. */
uint64_t pesim_kernel_events(const pesim_kernel *k);
/* Time of the next scheduled event, or UINT64_MAX when none. */
uint64_t pesim_kernel_next_time(const pesim_kernel *k);

/* Statistics: plain uint64_t counters owned by components, registered once
 * by pointer under a hierarchical dotted name ("glb.read.inputs"); the
 * kernel never looks one up on the hot path. Names are copied. Registering
 * a name twice is PESIM_E_INVALID; capacity grows only at registration. */
int pesim_kernel_counter(pesim_kernel *k, const char *name, uint64_t *value);
size_t pesim_kernel_counter_count(const pesim_kernel *k);
/* The i-th counter in name order (deterministic dumps). */
const char *pesim_kernel_counter_name(const pesim_kernel *k, size_t i);
uint64_t pesim_kernel_counter_value(const pesim_kernel *k, size_t i);

#ifdef __cplusplus
}
#endif
#endif
