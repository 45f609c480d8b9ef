/* Internal: the Chrome trace-event writer behind `pesim run --trace`
 * (docs/reports.md, "Timeline traces"); the event engine calls it as node
 * timelines are fixed. Not installed. */
#ifndef PESIM_SIM_TRACE_H
#define PESIM_SIM_TRACE_H

#include "engine/engine.h"

/* A layer begins at the trace's current end; tracks are named from the
 * run's resources; `tile` gives the GLB tile words per data space (the
 * occupancy counters). */
void trace_layer_begin(pesim_trace *t, const struct run *r,
                       const uint64_t tile[PESIM_DS_COUNT]);
/* A node's timeline is final (event engine). */
void trace_node(pesim_trace *t, const struct run *r, const struct node *n);
/* The array waited [a, b) for reason `cat` (enum pesim_stall). */
void trace_stall(pesim_trace *t, unsigned cat, uint64_t a, uint64_t b);
/* The layer took `cycles`: the next starts after it. */
void trace_layer_end(pesim_trace *t, const struct run *r, uint64_t cycles);

#endif
