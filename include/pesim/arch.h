/* pesim — architecture description (PE array, NoC, GLB, DRAM, energy).
 * Loaded from YAML (docs/config.md lists every key); a plain value struct
 * that the analysis, the mapper and the engines read. */
#ifndef PESIM_ARCH_H
#define PESIM_ARCH_H

#include "pesim/error.h"
#include "pesim/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PESIM_NAME_MAX 64

struct pesim_rf_cfg {
    bool shared;                          /* one RF for all data spaces */
    uint64_t shared_words;                /* capacity when shared */
    uint64_t words[PESIM_DS_COUNT];       /* per data space otherwise */
};

struct pesim_pe_array_cfg {
    uint32_t rows; /* y */
    uint32_t cols; /* x */
    uint32_t mac_latency_cycles;
    struct pesim_rf_cfg rf;
    bool halo;   /* the scratchpads keep a sliding window's overlap (level halo) */
    bool stream; /* the scratchpads overlap fills and drains with compute */
};

struct pesim_noc_cfg {
    uint32_t width_words; /* words per cycle on the bus from the GLB */
    bool multicast;       /* one GLB read reaches every PE that needs it */
    uint32_t reload_width_words; /* outputs: psums sent back down take a bus
                                    of their own this wide (0: the same bus) */
    /* The file left width_words out: the loader derives it from the array
     * (the edge the bus feeds; docs/config.md, "Derived defaults") and
     * derives it again when a --set changes the array. False in an arch
     * built in C: its value stands. */
    bool width_derived;
};

struct pesim_glb_cfg {
    uint64_t capacity_bytes;
    uint32_t banks;
    uint32_t bank_words_per_cycle;
    uint32_t read_ports;
    uint32_t write_ports;
    bool holds[PESIM_DS_COUNT]; /* data spaces the GLB may store */
    uint64_t max_bytes[PESIM_DS_COUNT]; /* per data space cap; 0 = none */
    bool double_buffer;         /* tiles take twice their size */
    bool halo;                  /* keeps a sliding window's overlap (level halo) */
    bool interleaved;           /* transfers of a data space share its banks */
    /* Keys the file left out, derived by the loader from the NoC and what
     * the GLB holds (docs/config.md, "Derived defaults"), as width_derived
     * above. */
    bool banks_derived, bank_words_derived, read_ports_derived, write_ports_derived;
};

/* A codec on the DRAM link for feature maps (inputs, outputs). RLC is
 * Eyeriss's run-length code (Chen et al., JSSC 2017 §IV-C): a run of up to
 * 31 zeros (5 bits) and a value (a word), three pairs to a 64-bit word. */
enum pesim_dram_compression { PESIM_COMPRESS_NONE, PESIM_COMPRESS_RLC };

struct pesim_dram_cfg {
    double bandwidth_gbps;   /* GB/s = 1e9 bytes per second */
    uint32_t latency_cycles; /* core cycles (latency_ns is converted) */
    int compression;         /* enum pesim_dram_compression */
};

/* Energy per action, in `unit` (normalized to a MAC, or pJ). Costs are per
 * word access; the shipped defaults are the book's normalized costs for
 * 16-bit accesses (MAC 1, RF 1, NoC 2, GLB 6, DRAM 200). */
enum pesim_energy_unit { PESIM_ENERGY_NORMALIZED, PESIM_ENERGY_PJ };

struct pesim_energy_cfg {
    enum pesim_energy_unit unit;
    double mac;
    double rf_read, rf_write;
    double noc;          /* per word delivered to (or moved between) PEs */
    double glb_read, glb_write;
    double dram_read, dram_write;
    double leakage_per_cycle; /* whole accelerator, per cycle */
    double mac_leakage;       /* one MAC per cycle, charged on the MACs given
                                 work (idle ones power-gated, as Timeloop) */
    /* Accounting rules (docs/model.md §5); both false unless
     * the file says otherwise. free_fills: a word moved into a level from
     * the level above costs only the access at the source (ISCA 2016
     * §VI-C: a move between two levels is charged at the higher-cost one);
     * updates (psums written back) still cost a write. operands_from_rf:
     * every MAC reads its weight and its input from the PE's innermost
     * level, also when the mapping keeps the operand in no PE level (ISCA
     * 2016 Eq. 3, whose RF term abcd·EC(RF) has d >= 1); a PE with no
     * storage at all reads nothing. */
    bool free_fills;
    bool operands_from_rf;
};

/* Storage area for the iso-area model (docs/dataflows.md, "Iso-area"):
 * what one RF byte costs in GLB bytes. Default PESIM_ISO_RF_AREA (1.6); an
 * Accelergy ART sets it (docs/energy.md). */
struct pesim_area_cfg {
    double rf_per_glb_byte;
};

/* ---- The general form: a list of storage levels (docs/config.md,
 * "Levels"; docs/model.md §2) ---- */

#define PESIM_LEVEL_NAME_MAX 32
/* A capacity that is no limit. */
#define PESIM_UNLIMITED UINT64_MAX

/* The network of one data space below a fan-out. */
struct pesim_net_cfg {
    uint32_t width_words; /* words per cycle the parent sends on it */
    bool multicast;       /* weights, inputs: one read reaches every child
                             whose tile needs the word */
    bool reduce;          /* outputs: the children's partial sums of one
                             element are added on the way up, so the parent
                             receives one word (and sends one back down) */
    bool exact;           /* multicast: one send reaches only children whose
                             tiles are identical (Timeloop's multicast); else
                             every child whose tile holds the word, partly
                             overlapping tiles included (Eyeriss's diagonal
                             delivery by row and column IDs) */
    bool reload_all;      /* reduce: a partial sum brought back down goes to
                             every child of its reduction group (Timeloop);
                             else to one, the others starting from zero */
    uint32_t reload_width_words; /* outputs: psums brought back down travel on
                                    a bus of their own, this many words per
                                    cycle (Eyeriss's psum GIN beside its GON);
                                    0: on the same bus as the drains */
};

/* A spatial fan-out below a level: rows x cols children (cols span x,
 * rows y; a 1-D fan-out has rows = 1). rows = cols = 0: no fan-out (a
 * 1 x 1 fan-out is one child behind a network, as a 1 x 1 PE array). */
struct pesim_fanout_cfg {
    uint32_t rows, cols;
    /* A systolic array (docs/systolic.md): operands move between
     * neighbouring children one hop a cycle instead of on a bus, so a
     * word read once at the array's edge reaches every child of its row
     * or column (counted as an exact multicast), partial sums add up
     * along a column (reduce), and every step pays the skewed fill and
     * drain: (rows - 1) + (cols - 1) cycles, plus rows to shift a new
     * stationary operand tile into the level below (once, for the first
     * tile, when that level is double-buffered). Only directly above the
     * innermost level. */
    bool systolic;
    struct pesim_net_cfg net[PESIM_DS_COUNT];
    double energy; /* per word delivered to a child (or moved up) */
    char name[PESIM_LEVEL_NAME_MAX]; /* its energy row ("noc") */
};

/* Mapspace constraints on one level (docs/config.md, "Constraints";
 * Timeloop's `constraints`, read by its importer): what a mapper may
 * choose there. Zero is no constraint. Which data spaces a level may keep
 * is its `holds`; `keep` makes keeping one of them compulsory. */
struct pesim_level_rules {
    bool keep[PESIM_DS_COUNT];
    /* The bound of each dim's temporal loop at this level: 0 any, else
     * exactly that (1: no loop of the dim here). */
    uint32_t factor[PESIM_DIM_COUNT];
    /* The level's innermost temporal loops are these dims, in this order
     * (outermost first); the other dims' loops go outside them. */
    uint8_t order[PESIM_DIM_COUNT];
    uint8_t norder;
    /* Over the fan-out below: each dim's spatial bound (0 any, else
     * exactly, over both axes together) and the axes it may not take
     * (bit 1 << PESIM_AXIS_X, 1 << PESIM_AXIS_Y). */
    uint32_t spatial_factor[PESIM_DIM_COUNT];
    uint8_t no_axis[PESIM_DIM_COUNT];
};

/* One storage level. Capacities are limits that each must hold;
 * PESIM_UNLIMITED is none. Words of a data space take word_bits[ds] here (a psum level may
 * be wider than an operand level); bytes round each word up. */
struct pesim_level_cfg {
    char name[PESIM_LEVEL_NAME_MAX];
    bool holds[PESIM_DS_COUNT];   /* data spaces a mapping may keep here */
    uint64_t words;               /* all kept data spaces together, words */
    uint64_t ds_words[PESIM_DS_COUNT];
    uint64_t bytes;               /* all together, bytes */
    uint64_t ds_bytes[PESIM_DS_COUNT];
    uint32_t word_bits[PESIM_DS_COUNT];
    bool double_buffer;           /* a tile takes twice its size */
    bool stream;                  /* fills and drains overlap compute as if
                                     double-buffered, the tile taking its own
                                     size (Timeloop's assumption) */
    /* Inputs: keep the overlap of consecutive tiles of a sliding window
     * and fetch only the new rows or columns (docs/model.md, "Sliding
     * windows"). The YAML key defaults to true; an arch built in C (and
     * the shorthand's levels) starts false, the whole-tile refetch. */
    bool halo;
    /* Timing: banks * bank_words_per_cycle words per cycle (0: not a
     * limit), read and write ports (transfers at once). DRAM (level 0)
     * is timed by the arch's dram section instead. */
    uint32_t banks, bank_words_per_cycle;
    uint32_t read_ports, write_ports;
    /* Transfers of one data space share its banks' rate (each bank serves
     * the stream that addresses it: a psum read and a psum write at once)
     * instead of one transfer holding the partition. */
    bool interleaved;
    /* Timeloop-style bandwidths, words per cycle per instance (0: no
     * limit): reads (to the child or the MAC, and drains to the parent)
     * and writes (fills and updates) separately. */
    double read_bandwidth, write_bandwidth;
    /* Energy per word, in the arch's energy unit. A drain (a psum word
     * read out to be written back to the parent) costs drain_energy: a
     * read's unless the file says otherwise (Timeloop charges nothing). */
    double read_energy, write_energy, drain_energy;
    /* Words one access moves (0 or 1: one). A level accessed by blocks
     * charges an access per block: n words of one kind and data space in
     * each of its used instances cost ceil(n / block_words) accesses of
     * block_words words each (Timeloop's vector accesses). */
    uint32_t block_words;
    /* Instances that share one access (0 or 1: none): an access moves a
     * block for each of `cluster` instances at once, so when only u of
     * them are used each word costs cluster / u times its share
     * (Timeloop's cluster_size). */
    uint32_t cluster;
    /* Leakage per instance per cycle, charged on the used instances (idle
     * ones power-gated, as Timeloop assumes). */
    double leakage;
    struct pesim_fanout_cfg fanout; /* below this level */
    struct pesim_level_rules rules;
};

struct pesim_arch {
    char name[PESIM_NAME_MAX];
    double clock_mhz;
    uint32_t word_bits[PESIM_DS_COUNT];
    uint32_t mac_latency_cycles; /* the MAC pipeline */
    /* Every convolution is run as the GEMM of its im2col view (SCALE-Sim's
     * operand matrices): N*P*Q output pixels by C*R*S window by M, per
     * group (pesim_layer_im2col). Only in the general form. */
    bool im2col;
    /* The dataflow run and map use when none is given ("" : ws). */
    char dataflow[PESIM_NAME_MAX];
    /* The shorthand (the three-level form). Read by the loader only: it
     * expands them into `level`; a file with `levels:` leaves them zero. */
    struct pesim_pe_array_cfg pe_array;
    struct pesim_noc_cfg noc[PESIM_DS_COUNT];
    struct pesim_glb_cfg glb;
    /* DRAM timing (level 0). */
    struct pesim_dram_cfg dram;
    struct pesim_energy_cfg energy;
    struct pesim_area_cfg area;
    /* The hierarchy every model reads, outermost first: level[0] is DRAM,
     * level[nlevels-1] is next to the MAC. */
    uint8_t nlevels;
    bool general; /* given as `levels:`, not expanded from the shorthand */
    struct pesim_level_cfg level[PESIM_LEVELS_MAX];
};

/* Load an architecture from a YAML file, or from a shipped preset when
 * `name_or_path` names one ("eyeriss-v1"). Every problem is appended to
 * `diags` (file:line:col) and PESIM_E_INVALID returned; PESIM_E_NOTFOUND
 * when neither a preset nor a readable file; *out is complete on 0. */
int pesim_arch_load(const char *name_or_path, struct pesim_arch *out,
                    pesim_diags *diags);
/* Same, from YAML text in memory; `file` is the name used in messages. */
int pesim_arch_load_string(const char *text, size_t len, const char *file,
                           struct pesim_arch *out, pesim_diags *diags);
/* Apply one "dotted.key=value" override (value is YAML: a scalar or a flow
 * list), validated like the file; errors are reported at line 1, the
 * column in the assignment, with no file ("") for the caller to name
 * (pesim_diags_set_file; the CLI names them "--set"). On error *arch is
 * unchanged. */
int pesim_arch_set(struct pesim_arch *arch, const char *assignment,
                   pesim_diags *diags);
/* Cross-key checks after overrides (e.g. the GLB holds a data space that
 * has no word size). Appends to diags; 0 or PESIM_E_INVALID. */
int pesim_arch_validate(const struct pesim_arch *arch, const char *file,
                        pesim_diags *diags);

/* A numeric architecture key (integer, real or bool) by its dotted path,
 * as --set names it ("pe_array.rows"). 0 or PESIM_E_NOTFOUND. */
int pesim_arch_get_number(const struct pesim_arch *arch, const char *path, double *out);
/* Call each(path, ctx) for every numeric key path, in schema order. */
void pesim_arch_number_keys(void (*each)(const char *path, void *ctx), void *ctx);
/* Call each(path, value, ctx) for every key whose value the loader derived
 * because the file left it out (docs/config.md, "Derived defaults"), in
 * schema order, with the value used: what the reports list. None for an
 * arch in the general form or built in C. */
void pesim_arch_derived_keys(const struct pesim_arch *arch,
                             void (*each)(const char *path, double value, void *ctx), void *ctx);

/* Expand the shorthand keys (pe_array, noc, glb, dram, energy) into the
 * three-level list (DRAM, GLB with the array's fan-out below, RF). The
 * loaders and pesim_arch_set call it; a general arch is left as it is. */
void pesim_arch_expand(struct pesim_arch *arch);

/* A dataflow written as mapspace constraints (docs/dataflows.md, "A
 * dataflow of your own"): constraints by the role a level plays in any
 * architecture — level 0 (`dram`), the level the outermost fan-out hangs
 * from (`glb`), that fan-out (`array`: its spatial constraints), every level
 * below it (`pe`: the PE's storage, whose inner fan-outs take `array`'s
 * spatial constraints too). */
struct pesim_df_rules {
    char name[PESIM_NAME_MAX];
    char title[96];
    struct pesim_level_rules dram, glb, array, pe;
    /* The PE levels keep only pe.keep (the others pass by). */
    bool pe_keeps_only;
};
/* Load one (`dataflow: {name, title, dram, glb, array, pe}`); errors at
 * their position, 0 or PESIM_E_INVALID, PESIM_E_NOTFOUND when unreadable. */
int pesim_df_rules_load(const char *path, struct pesim_df_rules *out, pesim_diags *diags);
int pesim_df_rules_load_string(const char *text, size_t len, const char *file,
                               struct pesim_df_rules *out, pesim_diags *diags);
/* Add them to arch's levels by role: fixed factors and keeps join the
 * architecture's, an axis limit joins its limits, an order replaces none.
 * `pe_keeps_only` leaves a level what the architecture makes it keep.
 * PESIM_E_NOMAP when the two fix one factor differently, with the reason
 * in why (may be NULL); arch is then unchanged. */
int pesim_df_rules_apply(const struct pesim_df_rules *r, struct pesim_arch *arch, char *why,
                         size_t why_size);

/* Derived quantities. */
/* MACs: the product of every fan-out's rows x cols. */
uint32_t pesim_arch_pes(const struct pesim_arch *arch);
/* Whether level lv has a fan-out below it (rows and cols > 0). */
bool pesim_arch_has_fanout(const struct pesim_arch *arch, unsigned lv);
/* The systolic fan-out (docs/systolic.md): the one below the level above
 * the innermost, when it has systolic set; NULL otherwise. */
const struct pesim_fanout_cfg *pesim_arch_systolic(const struct pesim_arch *arch);
/* Instances of level lv: the product of the fan-outs above it (saturated
 * at UINT64_MAX; a loaded arch has at most 2^24 at the innermost). */
uint64_t pesim_arch_instances(const struct pesim_arch *arch, unsigned lv);
/* Bytes a word of ds occupies at level lv. */
uint32_t pesim_arch_level_word_bytes(const struct pesim_arch *arch, unsigned lv,
                                     enum pesim_ds ds);
/* Bytes a word of ds occupies in memory (word_bits rounded up). */
uint32_t pesim_arch_word_bytes(const struct pesim_arch *arch, enum pesim_ds ds);
/* Words the DRAM link moves per word of data space ds of layer l: with
 * dram.compression rlc, the expected size of the layer's run-length-coded
 * feature maps at their density (docs/model.md, "Compression"), when
 * smaller than the data; 1 otherwise (memory/dram.c). */
struct pesim_layer;
double pesim_dram_ratio(const struct pesim_arch *arch, const struct pesim_layer *l, unsigned ds);

/* DRAM bytes per core cycle (bandwidth / clock). */
double pesim_arch_dram_bytes_per_cycle(const struct pesim_arch *arch);

/* Names of the shipped presets (configs/NAME.yaml), NULL-terminated. */
const char *const *pesim_arch_presets(void);

#ifdef __cplusplus
}
#endif
#endif
