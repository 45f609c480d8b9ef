/* Internal: the analysis one transfer pair at a time, for the engines in
 * engine/ that replay a mapping step by step (docs/model.md, "Transfer count"
 * and "Timing"). Not installed. */
#ifndef PESIM_DATAFLOWS_PAIRS_H
#define PESIM_DATAFLOWS_PAIRS_H

#include "pesim/analysis.h"

/* Loops of bound > 1 in a whole nest: positions are bits of a 64-bit mask,
 * and pesim_map_check refuses more. */
#define PESIM_NEST_MAX 64

/* Words of the transfers from `parent` into `child` for one data space.
 * The pair crosses the fan-outs below the levels parent .. child-1 that
 * have one; fanout[0] is the innermost of them. */
struct pesim_pair {
    int8_t parent, child;
    bool to_mac;   /* the child is the MAC, which keeps nothing */
    bool crossing; /* passes at least one fan-out's network */
    bool collapse; /* every crossed network collapses the data space (read
                      for outputs: all of them reduce) */
    uint8_t nf;    /* fan-outs crossed */
    uint8_t fanout[PESIM_LEVELS_MAX];   /* their levels, innermost first */
    uint64_t f_words[PESIM_LEVELS_MAX]; /* words at the fan-out's children */
    uint64_t f_sends[PESIM_LEVELS_MAX]; /* words on its parent side */
    uint64_t per_pe; /* words at the child, summed over its instances */
    uint64_t sent;   /* words at the parent (one per multicast / reduced) */
    uint64_t first;  /* outputs: parent-side words of first residencies */
    /* Outputs, fan-outs whose network reloads into every child of a
     * reduction group (bit k for fanout[k]): the first residencies at
     * their children, which no reload brings, and the words at their
     * children a reload can reach: f_words but in the one child an outer
     * network without reload_all gives each reload to (its group's lowest;
     * the others start from zero). */
    uint8_t reload_all;
    uint64_t f_first[PESIM_LEVELS_MAX];
    uint64_t f_reload[PESIM_LEVELS_MAX];
};

/* Words a pair's reloads move (outputs: every residency but an element's
 * first comes back down): at the parent side and at the children of each
 * crossed fan-out (k as in fanout[k]); returns the words into the child. */
uint64_t pesim_pair_reloads(const struct pesim_pair *p, uint64_t at_parent[PESIM_LEVELS_MAX],
                            uint64_t at_children[PESIM_LEVELS_MAX]);

/* The levels that keep ds, outermost first, ending with the MAC (index
 * arch->nlevels); returns how many (at most PESIM_LEVELS_MAX + 1). */
int pesim_map_chain(const struct pesim_arch *arch, const struct pesim_mapping *m,
                    enum pesim_ds ds, int *lv);
/* One pair's words over the whole nest of (l, m). */
int pesim_map_pair(const struct pesim_arch *arch, const struct pesim_layer *l,
                   const struct pesim_mapping *m, enum pesim_ds ds, int parent,
                   int child, struct pesim_pair *out);
/* Whether the pair parent -> child keeps the overlap of consecutive input
 * tiles when its tiles slide along `dim` (docs/model.md, "Sliding
 * windows"): inputs, a child level with `halo`, dim one of P, R, Q, S, and
 * no multicast network crossed on the way with a spatial loop of the same
 * window axis (its children's windows differ along it). */
bool pesim_map_slides(const struct pesim_arch *arch, const struct pesim_mapping *m,
                      enum pesim_ds ds, int parent, int child, unsigned dim);
/* One pair's words on the tile of a step's sub-nest (l, m) when that tile
 * follows the same instances' previous one, `shift` indices of `dim` back
 * (a step of the sliding loop): only what the previous tile did not hold.
 * PESIM_E_INVALID when the pair does not slide along dim. */
int pesim_map_pair_slid(const struct pesim_arch *arch, const struct pesim_layer *l,
                        const struct pesim_mapping *m, enum pesim_ds ds, int parent,
                        int child, unsigned dim, uint64_t shift, struct pesim_pair *out);
/* Add one pair's reads, fills, updates, NoC words and reductions to out,
 * as the analysis does (reloads = sent - first). */
void pesim_map_account(enum pesim_ds ds, const struct pesim_pair *p,
                       struct pesim_analysis *out);

/* Whether the cycle-level engines can count every step of m on arch from
 * sub-nests (docs/model.md §8.1): false when an input pair's multicast over
 * a fan-out spans a window dimension (P, Q, R, S) that a temporal loop of a
 * level between the fan-out and the child also iterates — the union of the
 * children's windows then has gaps a sub-layer closes. The engines refuse
 * such a mapping and the mapper does not pick one. */
bool pesim_map_steps_countable(const struct pesim_arch *arch, const struct pesim_mapping *m);

/* How far an analysis's tiles are from fitting (docs/model.md, "Tile sizes
 * and capacity"): the one capacity rule that the analysis (fits), the
 * messages (pesim_map_check_fit) and the mapper (its fit) all read. */
struct pesim_level_overage {
    uint64_t ds_words[PESIM_DS_COUNT]; /* over ds_words[ds] */
    uint64_t words;                    /* all kept data spaces over `words` */
    uint64_t need_bytes[PESIM_DS_COUNT]; /* bytes each data space needs */
    uint64_t ds_bytes[PESIM_DS_COUNT];   /* over ds_bytes[ds] */
    uint64_t total_words, total_bytes;   /* sums of the needs */
    uint64_t bytes;                      /* over `bytes` */
    uint64_t over;                       /* sum of the overs above */
};
struct pesim_overage {
    struct pesim_level_overage level[PESIM_LEVELS_MAX];
    /* The innermost level over a limit (0: none) and by how much. */
    unsigned worst;
    uint64_t amount;
};
void pesim_map_overage(const struct pesim_arch *arch, const struct pesim_analysis *a,
                       struct pesim_overage *o);

#endif
