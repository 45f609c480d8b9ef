/* Internal: a loaded sweep spec and the pieces of the runner
 * (docs/sweeps.md). Not installed. */
#ifndef PESIM_SWEEP_INTERNAL_H
#define PESIM_SWEEP_INTERNAL_H

#include "pesim.h"
#include "pesim/sweep.h"
#include "sweep/expr.h"

#define SWEEP_KEY_MAX 128
#define SWEEP_VALUE_MAX 256

enum axis_kind { AXIS_ARCH, AXIS_DATAFLOW, AXIS_BATCH, AXIS_WORKLOAD, AXIS_LAYERS };

struct axis {
    char key[SWEEP_KEY_MAX];
    enum axis_kind kind;
    size_t n;
    char (*value)[SWEEP_VALUE_MAX]; /* as written (ranges: %.15g) */
    double *num;                     /* numeric value, NAN when not a number */
    unsigned *line, *col;            /* each value's position in the spec */
    unsigned key_line, key_col;
};

/* One workload variant: a (workload, layers, batch) combination. */
struct variant {
    struct pesim_workload wl;
    uint64_t macs;
};

struct pesim_sweep {
    char name[64];
    char file[256];
    uint64_t hash;
    /* base */
    char arch_name[256], workload_name[256], layers[256], dataflow[16];
    unsigned arch_line, arch_col; /* where base.arch and base.workload are */
    unsigned wl_line, wl_col;
    uint64_t batch; /* 0: the workload's own */
    enum pesim_objective objective;
    enum pesim_engine engine;
    struct pesim_arch base;
    /* axes and constraints */
    struct axis *axes;
    size_t naxes;
    struct sweep_expr **cons;
    char **cons_text;            /* as written, with positions */
    unsigned *cons_line, *cons_col;
    size_t ncons;
    /* workload variants, indexed by (workload, layers, batch) axis digits */
    struct variant *variants;
    size_t nvariants;
    int wl_axis, layers_axis, batch_axis, df_axis; /* -1 when not an axis */
    /* points: npoints digit vectors of naxes each */
    uint32_t *digits;
    size_t npoints;
    /* Every file the load read (the spec, architecture, workloads, energy
     * tables), in the order read, paths owned here: what a resumed
     * journal must find unchanged (run.c). */
    struct pesim_input *inputs;
    size_t ninputs;
};

/* spec.c: parse and validate the YAML. */
int sweep_spec_parse(const char *text, size_t len, const char *file, pesim_sweep *s,
                     pesim_diags *diags);
/* points.c: variants, enumeration under constraints. */
int sweep_points_build(pesim_sweep *s, pesim_diags *diags);
const uint32_t *sweep_point(const pesim_sweep *s, size_t i);
const struct variant *sweep_point_variant(const pesim_sweep *s, size_t i);
const char *sweep_point_dataflow(const pesim_sweep *s, size_t i);
/* Apply the point's architecture axes to a copy of the base. */
int sweep_point_arch(const pesim_sweep *s, size_t i, struct pesim_arch *out, pesim_diags *d);
/* Storage area in GLB-byte equivalents (docs/sweeps.md, "Results"). */
double sweep_area(const struct pesim_arch *a);
/* Estimated cost (MACs per PE) for shard balancing. */
double sweep_point_cost(const pesim_sweep *s, size_t i);

/* row.c: the results header and a point's row (csv or jsonl). */
struct sweep_result {
    int status; /* 0 ok, PESIM_E_NOMAP nomap, other: error */
    char reason[512];
    struct pesim_layer_result total;
    double area;
};
char *sweep_header(const pesim_sweep *s, enum pesim_sweep_format f);
char *sweep_row(const pesim_sweep *s, size_t i, const struct sweep_result *r,
                enum pesim_sweep_format f);

/* output.c: write `out` atomically: preamble line (may be NULL), header
 * (csv; "" for none), then rows[0..n) that are not NULL, each prefixed by
 * its index when index_prefix (shard parts), then, when `trailer`, the
 * line SWEEP_TRAILER "rows=R fnv1a=H": R the rows written, H the FNV-1a
 * 64 of every byte before the trailer (docs/sweeps.md, "Shards"). */
#define SWEEP_TRAILER "# pesim sweep end: "
int sweep_write_rows(const char *out, const char *preamble, const char *header,
                     char *const *rows, size_t n, bool index_prefix, bool trailer,
                     pesim_diags *diags);
/* Check the trailer of `text` (len bytes, from `path`): the last line,
 * with the count of the other lines that are not comments (`#`) or the
 * header (the first line that is not a comment) and the checksum of what
 * precedes it. 0 with *body the length before the trailer; PESIM_E_INVALID
 * with a diagnostic at the line. `required`: a missing trailer is an error
 * (parts); otherwise *body = len. */
int sweep_check_trailer(const char *path, const char *text, size_t len, bool required,
                        size_t *body, pesim_diags *diags);

/* run.c: the journal's header for these options (docs/sweeps.md, "Nothing
 * lost"): its identity line and one line per input. Owned by the caller;
 * NULL when out of memory. Tests use it to write journals by hand. */
char *sweep_journal_header(const pesim_sweep *s, const struct pesim_sweep_opts *o);
/* FNV-1a of pesim's version and every file embedded in it (presets,
 * networks, Accelergy tables): the identity of inputs that are not files. */
uint64_t sweep_builtin_hash(void);


#endif
