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

/* How far an analysis's tiles are from fitting (docs/model.md, "Tile sizes
 * and capacity"): the one capacity rule that the analysis (fits), the
 * messages (pesim_map_check_fit) and the mapper (its fit) all read. */
struct pesim_overage {
    uint64_t rf_words[PESIM_DS_COUNT]; /* per-data-space scratchpad overflow */
    uint64_t rf_shared_words;          /* shared RF overflow */
    uint64_t glb_bytes[PESIM_DS_COUNT]; /* bytes each data space needs */
    uint64_t glb_cap[PESIM_DS_COUNT];   /* over glb.max_bytes.<ds> */
    uint64_t glb_total_bytes;           /* sum of glb_bytes */
    uint64_t glb_over;                  /* over glb.capacity_bytes */
    uint64_t rf, glb;                   /* totals: words over, bytes over */
};
void pesim_map_overage(const struct pesim_arch *arch, const struct pesim_analysis *a,
                       struct pesim_overage *o);

#endif
