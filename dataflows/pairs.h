/* Internal: the analysis one transfer pair at a time, for the engines in
 * sim/ that replay a mapping step by step (docs/model.md, "Transfer count"
 * and "Timing"). Not installed. */
#ifndef PESIM_DATAFLOWS_PAIRS_H
#define PESIM_DATAFLOWS_PAIRS_H

#include "pesim/analysis.h"

/* Level index standing for the MAC in a chain. */
#define PESIM_LEVEL_MAC PESIM_LEVEL_COUNT

/* Words of the transfers from `parent` into `child` for one data space. */
struct pesim_pair {
    int8_t parent, child;
    bool crossing; /* passes the NoC */
    bool collapse; /* multicast (weights, inputs) or reduction (outputs) */
    uint64_t per_pe; /* words at the child, summed over PEs */
    uint64_t sent;   /* words at the parent (one per multicast / reduced) */
    uint64_t first;  /* outputs: parent-side words of first residencies */
};

/* The levels that keep ds, outermost first, ending with PESIM_LEVEL_MAC;
 * returns how many (3 or 4). */
int pesim_map_chain(const struct pesim_arch *arch, const struct pesim_mapping *m,
                    enum pesim_ds ds, int *lv);
/* One pair's words over the whole nest of (l, m). */
int pesim_map_pair(const struct pesim_arch *arch, const struct pesim_layer *l,
                   const struct pesim_mapping *m, enum pesim_ds ds, int parent,
                   int child, struct pesim_pair *out);
/* Add one pair's reads, fills, updates, NoC words and reductions to out,
 * as the analysis does (reloads = sent - first). */
void pesim_map_account(enum pesim_ds ds, const struct pesim_pair *p,
                       struct pesim_analysis *out);

#endif
