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

/* SCALE-Sim topology CSV: conv rows `Layer name, IFMAP Height, IFMAP
 * Width, Filter Height, Filter Width, Channels, Num Filter, Strides,` and
 * GEMM rows `Layer, M, N, K,` (trailing commas allowed). */
int pesim_import_scalesim(const char *text, size_t len, const char *file,
                          struct pesim_workload *out, pesim_diags *diags);
/* Timeloop problem YAML: `problem: {shape: ..., instance: {...}}`. */
int pesim_import_timeloop(const char *text, size_t len, const char *file,
                          struct pesim_workload *out, pesim_diags *diags);
/* ONNX ModelProto bytes: Conv, Gemm, MatMul nodes in graph order.
 * PESIM_E_UNSUPPORTED with a diag when pesim was built without ONNX. */
int pesim_import_onnx(const uint8_t *data, size_t len, const char *file,
                      struct pesim_workload *out, pesim_diags *diags);

/* Write wl as pesim's workload YAML, which pesim_workload_load reads back
 * to the same layers. 0 or PESIM_E_IO. */
int pesim_workload_write_yaml(const struct pesim_workload *wl, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
