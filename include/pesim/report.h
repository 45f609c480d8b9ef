/* pesim — results as text, JSON and CSV (docs/cli.md lists every key).
 * Output is deterministic: fixed key order, fixed float formatting. */
#ifndef PESIM_REPORT_H
#define PESIM_REPORT_H

#include "pesim/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

enum pesim_format { PESIM_FORMAT_TEXT, PESIM_FORMAT_JSON, PESIM_FORMAT_CSV };

/* One run: `n` layer results plus their total, for one dataflow. */
struct pesim_run {
    const char *dataflow;                    /* "ws", "os", or "mapping" */
    const struct pesim_layer_result *layers; /* n of them */
    size_t n;
    struct pesim_layer_result total;
};

/* Context printed with the results. */
struct pesim_report_ctx {
    const struct pesim_arch *arch;
    const char *workload; /* name */
    const char *command;  /* the command line that made it (JSON "command"); may be NULL */
    /* What chose the mappings, stated by every format: the mapper's
     * objective, or, when explicit_mapping (run --mapping), a mapping the
     * user gave. */
    enum pesim_objective objective;
    bool explicit_mapping;
};

/* `pesim run` output. Returns 0 or PESIM_E_IO. */
int pesim_report_run(FILE *out, enum pesim_format fmt,
                     const struct pesim_report_ctx *ctx,
                     const struct pesim_run *run);
/* `pesim compare` output: one entry per dataflow. */
int pesim_report_compare(FILE *out, enum pesim_format fmt,
                         const struct pesim_report_ctx *ctx,
                         const struct pesim_run *runs, size_t n);

#ifdef __cplusplus
}
#endif
#endif
