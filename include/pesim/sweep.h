/* pesim — design-space sweeps (docs/sweeps.md): a spec of axes and
 * constraints over an architecture and workload, its points in a fixed
 * order with stable ids, run in threads, resumable, in shards. */
#ifndef PESIM_SWEEP_H
#define PESIM_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "pesim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pesim_sweep pesim_sweep;

/* Load and validate a spec: every error as file:line:col in diags,
 * PESIM_E_INVALID (PESIM_E_NOMEM, PESIM_E_IO); *out owned by the caller. */
int pesim_sweep_load(const char *path, pesim_sweep **out, pesim_diags *diags);
int pesim_sweep_load_string(const char *text, size_t len, const char *file,
                            pesim_sweep **out, pesim_diags *diags);
void pesim_sweep_free(pesim_sweep *s);

/* Points after the constraints, and the spec's hash (FNV-1a of its text). */
size_t pesim_sweep_count(const pesim_sweep *s);
uint64_t pesim_sweep_hash(const pesim_sweep *s);
/* The files the load read (the spec, architecture, workloads, mapping,
 * energy tables), in the order read: path, device, inode, size and
 * content hash as pesim_file_read noted them. Owned by the sweep; NULL
 * past the end. A resumed run must find each unchanged. */
size_t pesim_sweep_ninputs(const pesim_sweep *s);
const struct pesim_input *pesim_sweep_input(const pesim_sweep *s, size_t i);
/* Point i's id (16 hex digits) and its key=value description. */
void pesim_sweep_point_id(const pesim_sweep *s, size_t i, char id[17]);
void pesim_sweep_point_desc(const pesim_sweep *s, size_t i, char *buf, size_t size);

enum pesim_sweep_format { PESIM_SWEEP_CSV, PESIM_SWEEP_JSONL, PESIM_SWEEP_FORMAT_COUNT };
/* "csv", "jsonl" (NULL past the end); by name: 0 or PESIM_E_NOTFOUND. */
const char *pesim_sweep_format_name(enum pesim_sweep_format f);
int pesim_sweep_format_parse(const char *name, enum pesim_sweep_format *out);

/* Where a running sweep stands, as its progress callback sees it. */
struct pesim_sweep_progress {
    const char *name;  /* the spec's `sweep:` name */
    size_t done;       /* points with a row: run by this call, plus resumed */
    size_t total;      /* points of this run (its shard) */
    size_t failed;     /* points run by this call whose status is not ok */
    size_t resumed;    /* rows kept from the journal */
    double rate;       /* points run by this call per second so far */
    double eta_s;      /* seconds left at that rate; 0 while it is 0 */
    size_t reused;     /* layer results taken from an earlier one ... */
    size_t lookups;    /* ... of this many layers looked up so far */
    bool last;         /* the final report: every point has run (or the run
                          stopped on an I/O error) */
};
/* Called on the thread that called pesim_sweep_run, never on two threads
 * at once, while no lock of the sweep is held; p is valid during the call
 * only. It must not call back into the sweep. */
typedef void (*pesim_sweep_progress_fn)(const struct pesim_sweep_progress *p, void *ctx);

struct pesim_sweep_opts {
    const char *output;       /* results (or part) file; required */
    const char *spec_path;    /* recorded in parts, for merge's hints */
    enum pesim_sweep_format format;
    unsigned jobs;            /* threads; 0: one per core */
    unsigned shard_k, shard_n; /* 1-based shard of n; n = 0: the whole sweep */
    bool fresh;               /* discard an existing journal instead of resuming */
    /* Progress reports (the library prints nothing): while points run, at
     * most one every progress_every_s seconds (0: whenever a point
     * finishes, and every 0.2 s), then one with `last` set once they have
     * run. NULL: none. */
    pesim_sweep_progress_fn progress;
    void *progress_ctx;
    double progress_every_s;
};

/* Run the sweep (or one shard) into opts->output, resuming from its
 * journal (docs/sweeps.md, "Nothing lost"), reporting progress through
 * opts->progress. 0; PESIM_E_INVALID, before any
 * point runs, for bad options, an output pesim cannot write (a folder, a
 * block device, one of the inputs, a folder it cannot make) and a journal
 * that is not of this sweep with these inputs (diags name each changed
 * input and how to start afresh); PESIM_E_IO when writing fails later.
 * Points that fail are rows with a status, not errors. */
int pesim_sweep_run(pesim_sweep *s, const struct pesim_sweep_opts *opts, pesim_diags *diags);

/* Which shard (1-based) of n point i belongs to. */
unsigned pesim_sweep_shard_of(const pesim_sweep *s, size_t i, unsigned n);

/* Merge shard parts into the single-run output. 0, or PESIM_E_INVALID
 * (parts of different specs, duplicates, missing points: diags say which
 * and how to run them) or PESIM_E_IO. */
int pesim_sweep_merge(const char *const *parts, size_t nparts, const char *output,
                      pesim_diags *diags);

/* Print the header and the non-dominated rows of a results CSV; metric i
 * is a column name (or "latency", "energy"), maximized when max[i]. */
int pesim_sweep_pareto(const char *path, const char *const *metrics, const bool *max,
                       size_t nmetrics, FILE *out, pesim_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
