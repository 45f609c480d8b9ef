/* pesim — workloads from the formats users already have (docs/workloads.md):
 * SCALE-Sim topology CSV, Timeloop problem YAML, ONNX models. Each importer
 * turns its input into pesim's own workload (include/pesim/workload.h);
 * pesim_workload_write_yaml writes that as pesim's YAML.
 *
 * Every importer takes the whole input in memory plus the file name used in
 * messages. Errors go to diags as `file:line:col: error: ...` (CSV, YAML)
 * or `file: error: tensor 'x': ...` (ONNX); the return is 0 or a negative
 * PESIM_E_... code (PESIM_E_INVALID for bad input), and *out is untouched
 * on failure. On success *out owns its layers (pesim_workload_free). */
#ifndef PESIM_IMPORT_H
#define PESIM_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "pesim/mapping.h"
#include "pesim/workload.h"

#ifdef __cplusplus
extern "C" {
#endif

enum pesim_wl_format {
    PESIM_WL_PESIM,    /* pesim's own YAML, or a shipped name */
    PESIM_WL_SCALESIM, /* SCALE-Sim topology CSV */
    PESIM_WL_TIMELOOP, /* Timeloop problem YAML (problem: shape/instance) */
    PESIM_WL_ONNX,     /* ONNX model (protobuf) */
    PESIM_WL_FORMAT_COUNT
};
const char *pesim_wl_format_name(enum pesim_wl_format f); /* "scalesim" */

/* The format of `name_or_path`: a shipped name is PESIM_WL_PESIM; a file
 * ending in .csv is SCALE-Sim, .onnx ONNX; a YAML file whose top level has
 * a `problem` key is Timeloop; any other file pesim's YAML. */
enum pesim_wl_format pesim_wl_detect(const char *name_or_path);

/* Load a workload in any format (detected as above): what --workload
 * takes. Errors as the importer's. */
int pesim_wl_load_any(const char *name_or_path, struct pesim_workload *out,
                      pesim_diags *diags);

/* The batch of an ONNX model exported with a symbolic one: dim 0 of a
 * graph input that is a dim_param ("batch_size", "N") or has no value
 * (docs/workloads.md, "Batch"). */
struct pesim_onnx_batch {
    /* in: the batch a symbolic dim 0 takes; 0: 1 */
    uint64_t batch;
    /* out: whether the model's batch was symbolic (then every shape that
     * follows from it, Reshape targets and MatMul batches included, was
     * inferred with it, and pesim_workload_set_batch must not run again) */
    bool symbolic;
    char input[PESIM_NAME_MAX]; /* out: the first graph input with it */
    char param[PESIM_NAME_MAX]; /* out: its dim_param; "" when unnamed */
};
/* pesim_wl_load_any with a batch for a symbolic ONNX batch (`batch` may
 * be NULL: 1; other formats leave it untouched but symbolic = false). */
int pesim_wl_load_any_batch(const char *name_or_path, struct pesim_onnx_batch *batch,
                            struct pesim_workload *out, pesim_diags *diags);

/* SCALE-Sim topology CSV: conv rows `Layer name, IFMAP Height, IFMAP
 * Width, Filter Height, Filter Width, Channels, Num Filter, Strides,` and
 * GEMM rows `Layer, M, N, K,` (trailing commas allowed). */
int pesim_import_scalesim(const char *text, size_t len, const char *file,
                          struct pesim_workload *out, pesim_diags *diags);
/* Whether a text is a SCALE-Sim configuration (.cfg): it has a line
 * [architecture_presets]. */
bool pesim_sc_is_cfg(const char *text, size_t len);
/* Read a SCALE-Sim configuration (docs/systolic.md, "SCALE-Sim's files")
 * as the pesim architecture of the same array: its YAML into `yaml_out`
 * (may be NULL; malloc'ed, NUL-terminated, the caller frees it), which
 * pesim_arch_load_string reads to *arch. Errors at their line and column;
 * 0, PESIM_E_INVALID or PESIM_E_NOMEM; outputs untouched unless 0. */
int pesim_import_scalesim_cfg(const char *text, size_t len, const char *file,
                              struct pesim_arch *arch, char **yaml_out, pesim_diags *diags);
/* Timeloop problem YAML: `problem: {shape: ..., instance: {...}}`. */
int pesim_import_timeloop(const char *text, size_t len, const char *file,
                          struct pesim_workload *out, pesim_diags *diags);
/* ONNX ModelProto bytes: Conv, Gemm, MatMul nodes in graph order, every
 * shape inferred by pesim (value_info only checked, or used after ops it
 * does not infer). PESIM_E_UNSUPPORTED with a diag when pesim was built
 * without ONNX. pesim_import_onnx binds a symbolic batch to 1. */
int pesim_import_onnx(const uint8_t *data, size_t len, const char *file,
                      struct pesim_workload *out, pesim_diags *diags);
/* The same with the batch for a symbolic one (may be NULL: 1); batch's
 * out fields are set on success and failure alike. */
int pesim_import_onnx_batch(const uint8_t *data, size_t len, const char *file,
                            struct pesim_onnx_batch *batch, struct pesim_workload *out,
                            pesim_diags *diags);

/* Write wl as pesim's workload YAML, which pesim_workload_load reads back
 * to the same layers. 0 or PESIM_E_IO. */
int pesim_workload_write_yaml(const struct pesim_workload *wl, FILE *out);

/* ---- Timeloop architecture and mapping files (docs/timeloop.md) ---- */

#define PESIM_TL_SPATIAL_MAX 16
#define PESIM_TL_NAME_MAX 64

/* One spatial fan-out of a Timeloop spec: a container with `spatial:
 * {meshX, meshY}` (v0.4), the dummy storage Timeloop makes of it
 * (`inter_NAME_spatial`), or an instance range of a v0.3 subtree. Its
 * children become part of the fan-out below pesim level `level`. */
struct pesim_tl_spatial {
    char name[PESIM_TL_NAME_MAX];  /* the container's name ("PE") */
    char alias[PESIM_TL_NAME_MAX]; /* Timeloop's dummy level ("inter_PE_spatial") */
    uint8_t level;                 /* the pesim level whose fan-out it is part of */
    uint32_t x, y;                 /* its meshX (cols) and meshY (rows) */
};

/* What a Timeloop architecture says beyond struct pesim_arch: the names
 * its mappings and ERTs use. Level i is the Timeloop storage component
 * component[i] (also the pesim level's name). */
struct pesim_tl_arch {
    unsigned nlevels;
    char component[PESIM_LEVELS_MAX][PESIM_TL_NAME_MAX];
    /* Words one vector access moves (width / datawidth, at least 1):
     * Timeloop's energy per word is the ERT's action energy over it. */
    double block_words[PESIM_LEVELS_MAX];
    /* Level i stands for a spatial container nested in the fan-out of the
     * one above (Timeloop's spatial levels nest; each compares its own
     * children's subtrees): it keeps nothing and has the fan-out. */
    bool container[PESIM_LEVELS_MAX];
    char mac[PESIM_TL_NAME_MAX]; /* the compute component */
    unsigned nspatial;           /* outermost first */
    struct pesim_tl_spatial spatial[PESIM_TL_SPATIAL_MAX];
};

/* Whether a YAML text's top level has `architecture:` (a Timeloop arch)
 * or a `mapping:` that is a Timeloop list (or a map of lists). Without
 * parsing errors: a text that is not YAML is neither. */
bool pesim_tl_is_arch(const char *text, size_t len);
bool pesim_tl_is_mapping(const char *text, size_t len);
/* Whether a text is a Timeloop map printout (timeloop-*.map.txt). */
bool pesim_tl_is_map_txt(const char *text, size_t len);

/* Read a Timeloop architecture (v0.4 `nodes:` with !Container,
 * !Component, !Parallel, !Nothing; v0.3 `subtree:`/`local:` with
 * `name[a..b]` ranges; the front end's dumps of either) as pesim's
 * general form, written as pesim YAML to `yaml_out` (malloc'ed text,
 * NUL-terminated, the caller frees it) and loaded into *arch (which
 * pesim_arch_load_string of that text gives). `info` (may be NULL) gets
 * the Timeloop names. What pesim cannot model is an error naming it, at
 * its position. 0, PESIM_E_INVALID or PESIM_E_NOMEM; outputs untouched
 * unless 0. */
int pesim_import_tl_arch(const char *text, size_t len, const char *file,
                         struct pesim_arch *arch, struct pesim_tl_arch *info,
                         char **yaml_out, pesim_diags *diags);

/* A Timeloop problem's dimension names and the pesim dimension each is
 * (as pesim_import_timeloop maps them: K is M, R and P are S and Q...). */
struct pesim_tl_dims {
    unsigned n;
    char name[16][16];
    uint8_t dim[16]; /* enum pesim_dim */
};
/* The dimensions of a problem file; with text NULL, Timeloop's cnn-layer
 * shape (R S P Q C K N, also M for K). Errors as pesim_import_timeloop. */
int pesim_import_tl_dims(const char *text, size_t len, const char *file,
                         struct pesim_tl_dims *out, pesim_diags *diags);

/* Read a Timeloop mapping (the YAML `mapping:` list of {target, type,
 * factors, permutation, split, keep, bypass}, or a map.txt printout) for
 * the architecture `tl`/`arch` and the problem dimensions `dims`, as a
 * set of one mapping (layer ""). `yaml_out` (may be NULL) gets the pesim
 * general-form YAML of it (malloc'ed), which pesim_mapping_set_load_string
 * reads back to the same set. Errors at their position; 0,
 * PESIM_E_INVALID or PESIM_E_NOMEM. */
int pesim_import_tl_mapping(const char *text, size_t len, const char *file,
                            const struct pesim_arch *arch, const struct pesim_tl_arch *tl,
                            const struct pesim_tl_dims *dims, struct pesim_mapping_set *out,
                            char **yaml_out, pesim_diags *diags);

/* Read Timeloop's mapspace constraints — a file's `mapspace_constraints`
 * (or `architecture_constraints`, `constraints`, `mapspace.constraints`):
 * {targets: [{target, type, factors, permutation, split, keep, bypass}]},
 * and a v0.4 architecture's `constraints` on its nodes — into per-level
 * rules (docs/timeloop.md, "Constraints"); `bypass` gets what they make a
 * level bypass. Adds to what rules and bypass hold. arch may be NULL
 * when reading the architecture itself (its fan-outs are then tl's).
 * Errors at their position; 0, PESIM_E_INVALID or PESIM_E_NOMEM. */
int pesim_import_tl_rules(const char *text, size_t len, const char *file,
                          const struct pesim_arch *arch, const struct pesim_tl_arch *tl,
                          const struct pesim_tl_dims *dims,
                          struct pesim_level_rules rules[PESIM_LEVELS_MAX],
                          bool bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT], pesim_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
