/* Internal: the whole mapspace of a layer on an architecture under its
 * constraints (docs/dataflows.md, "The whole mapspace"): every
 * factorization of every dim over every level's temporal loops and every
 * fan-out's axes, every loop order, every bypass choice, as far as each
 * level's `constraints` (struct pesim_level_rules) and `holds` allow.
 *
 * A point of the space is a factor of each dim in each slot (a level's
 * temporal loop, or an axis of the fan-out below a level), an order of the
 * dims per level, and a bypass choice per level and data space. Factors
 * are exact: a dim's free factors multiply to ceil(D / its fixed factors)
 * (Timeloop's perfect factorization). */
#ifndef PESIM_DATAFLOWS_MAPSPACE_H
#define PESIM_DATAFLOWS_MAPSPACE_H

#include "dataflows/search.h"

#define MS_SLOTS (PESIM_LEVELS_MAX * 3)

enum ms_kind { MS_TEMPORAL, MS_X, MS_Y };

struct ms_slot {
    uint8_t lv;
    uint8_t kind; /* enum ms_kind */
};

struct ms_point {
    uint32_t f[PESIM_DIM_COUNT][MS_SLOTS];
    /* per level: every dim once, outermost first; the loops of the dims
     * with a factor > 1 there follow it (those the level's `order` names
     * go innermost, in its order) */
    uint8_t perm[PESIM_LEVELS_MAX][PESIM_DIM_COUNT];
    bool bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
};

/* The space: its slots and what the constraints fix. */
struct ms_space {
    const struct pesim_arch *arch;
    const struct pesim_layer *l;
    unsigned nslots;
    struct ms_slot slot[MS_SLOTS];
    uint32_t fixed[PESIM_DIM_COUNT][MS_SLOTS]; /* 0: free */
    bool open[PESIM_DIM_COUNT][MS_SLOTS];      /* may take free factors */
    uint32_t cap[MS_SLOTS];                    /* spatial slots: the axis' size */
    uint32_t q[PESIM_DIM_COUNT];               /* product of a dim's free factors */
    uint32_t prime[PESIM_DIM_COUNT][32];       /* q's prime factors, ascending */
    unsigned nprime[PESIM_DIM_COUNT];
    int home[PESIM_DIM_COUNT]; /* the slot of the start point: outermost open temporal */
    bool free_bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
};

/* What a search did (pesim map --explain prints it). */
struct ms_report {
    bool exhaustive;      /* the whole space was enumerated */
    double space;         /* mappings in the space (an upper bound unless
                             exhaustive: spatial sizes and capacity not
                             applied) */
    uint64_t evaluated;   /* mappings the analysis evaluated */
    uint64_t legal;       /* of those, within every buffer */
    double bound_energy;  /* no mapping can spend less (compulsory DRAM
                             traffic and the MACs) */
    uint64_t bound_cycles; /* nor take fewer cycles (MACs / PEs) */
    unsigned restarts;
    char why[160];        /* PESIM_E_NOMAP from the constraints alone: why */
};

/* Build the space; PESIM_E_NOMAP when the constraints leave no mapping
 * (a fixed factor larger than a fan-out, a dim with no slot), with why
 * (a sentence) in why. */
int ms_space_init(struct ms_space *sp, const struct pesim_arch *arch,
                  const struct pesim_layer *l, char *why, size_t why_size);
/* The mapping of a point; false when it breaks a spatial size. */
bool ms_point_mapping(const struct ms_space *sp, const struct ms_point *p,
                      struct pesim_mapping *m);

/* Search the space (exhaustively when small, else by the heuristic of
 * docs/dataflows.md) with `threads` workers (0: one), offering every
 * legal mapping evaluated to top. Deterministic for any thread count.
 * 0, or PESIM_E_NOMAP when no legal mapping was found. */
int df_map_mapspace(const struct pesim_arch *arch, const struct pesim_layer *l,
                    enum pesim_objective obj, unsigned threads, struct df_top *top,
                    struct ms_report *rep);

/* The whole-space dataflow's mapper (whole.c): the best cap candidates
 * into out[0..*n), what the search did into rep (may be NULL); a diag
 * saying why when nothing is found. */
int df_map_whole(const struct pesim_arch *arch, const struct pesim_layer *l,
                 enum pesim_objective obj, unsigned threads, struct pesim_mapping *out,
                 size_t cap, size_t *n, struct ms_report *rep, pesim_diags *diags);

/* The same with the choice made: MS_AUTO as above, MS_ENUMERATE the
 * whole space whatever its size, MS_HEURISTIC the local search always
 * (the tests compare the two). */
enum ms_mode { MS_AUTO, MS_ENUMERATE, MS_HEURISTIC };
int df_map_mapspace_mode(const struct pesim_arch *arch, const struct pesim_layer *l,
                         enum pesim_objective obj, enum ms_mode mode, unsigned threads,
                         struct df_top *top, struct ms_report *rep);

/* The same for a whole-space dataflow, with its own constraints (a
 * dataflow file's) added to arch's first. */
int df_map_whole_df(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                    const struct pesim_layer *l, enum pesim_objective obj, unsigned threads,
                    struct pesim_mapping *out, size_t cap, size_t *n, struct ms_report *rep,
                    pesim_diags *diags);

/* A template's constraints (docs/dataflows.md, "A dataflow of your own";
 * configs/dataflows/NAME.yaml says the same): the dims its axis lists
 * allow on each axis of every fan-out, the data spaces its PE keeps (and
 * only those). */
void df_template_rules(const struct pesim_dataflow *df, struct pesim_df_rules *r);
/* Whether any level of arch has mapspace constraints. */
bool df_arch_constrained(const struct pesim_arch *arch);
/* A template on a constrained architecture (an imported Timeloop design):
 * the whole-mapspace search under its constraints and the template's, so
 * that its pick is legal on the design. */
int df_map_constrained_template(const struct pesim_dataflow *df, const struct pesim_arch *arch,
                                const struct pesim_layer *l, enum pesim_objective obj,
                                struct pesim_mapping *out, size_t cap, size_t *n,
                                pesim_diags *diags);

/* Spaces up to this many mappings are enumerated whole. */
#define MS_EXHAUSTIVE_LIMIT 50000.0

#endif
