/* Internal: results of (architecture, dataflow, layer shape) combinations
 * already simulated in a sweep, shared by its threads (docs/sweeps.md:
 * repeated pairs are mapped once). */
#ifndef PESIM_SWEEP_CACHE_H
#define PESIM_SWEEP_CACHE_H

#include "sweep/internal.h"

struct sweep_cache;
struct sweep_cache *sweep_cache_create(void);
void sweep_cache_destroy(struct sweep_cache *c);
/* The key of a layer at point i with dataflow df: the dataflow, the
 * layer's identity (pesim_sim_layer_key: all but its name) and the point's
 * architecture axis values. */
void sweep_cache_key(const pesim_sweep *s, size_t i, const pesim_dataflow *df,
                     const struct pesim_layer *l, char *buf, size_t size);
/* Copy a stored result into *out (it names the layer first simulated
 * with that shape: rows use only totals); false when absent. */
bool sweep_cache_get(struct sweep_cache *c, const char *key, struct pesim_layer_result *out);
/* Store a copy (first one wins; out of memory just skips caching). */
void sweep_cache_put(struct sweep_cache *c, const char *key, const struct pesim_layer_result *r);
/* Count n layers that reused an earlier layer's result of their own point
 * (a network's repeats, pesim_sim_same_layer) as lookups that hit, as if
 * each had been looked up. */
void sweep_cache_reused(struct sweep_cache *c, size_t n);
/* Lookups that found a result, and all lookups, so far. */
void sweep_cache_stats(struct sweep_cache *c, size_t *hits, size_t *lookups);

#endif
