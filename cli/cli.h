/* cli/ internal: options shared by the subcommands, loading, simulation
 * and atomic output. Not a public header. */
#ifndef PESIM_CLI_H
#define PESIM_CLI_H

#include "pesim.h"

/* Exit codes (docs/cli.md). */
enum { PESIM_EXIT_OK = 0, PESIM_EXIT_SIM = 1, PESIM_EXIT_INPUT = 2 };

/* Which options a subcommand accepts. */
enum {
    PESIM_CLI_OPT_DATAFLOW = 1u << 0,
    PESIM_CLI_OPT_MAPPING = 1u << 1,
    PESIM_CLI_OPT_ISO = 1u << 2,
    PESIM_CLI_OPT_TRACE = 1u << 3,
    PESIM_CLI_OPT_EXPLAIN = 1u << 4,
    PESIM_CLI_OPT_PROGRESS = 1u << 5,
    PESIM_CLI_OPT_DATAFLOWS = 1u << 6,
};

/* Whether to show progress on stderr: when it is a terminal (default),
 * never (--quiet) or always (--progress). */
enum pesim_cli_progress_mode {
    PESIM_CLI_PROGRESS_AUTO, PESIM_CLI_PROGRESS_OFF, PESIM_CLI_PROGRESS_ON,
};

struct pesim_cli_opts {
    const char *cmd; /* "pesim run": prefix of messages */
    const char *arch;
    const char *workload;
    char *layers; /* joined selectors of every --layer/--layers; owned */
    const char *dataflow;
    const char *dataflows; /* compare --dataflows LIST: comma-separated names, or NULL */
    const char *mapping;
    const char *ert;    /* --ert FILE: price the levels from an Accelergy ERT */
    const char *constraints; /* --constraints FILE: Timeloop mapspace constraints */
    pesim_dataflow *df_file; /* --dataflow FILE: the dataflow it writes (owned) */
    const char *output; /* -o; NULL or "-" is stdout */
    bool have_batch;
    uint64_t batch;
    const char **sets; /* owned array of borrowed argv strings */
    size_t nsets;
    enum pesim_format format;
    enum pesim_engine engine; /* --engine; default event */
    enum pesim_objective objective; /* --objective; default latency */
    bool iso_area;                  /* --iso-area (compare) */
    bool explain;                   /* --explain (map) */
    unsigned threads;               /* --threads; layers simulated at once
                                       (default: one per core) */
    enum pesim_cli_progress_mode progress; /* --quiet, --progress */
    const char *trace;              /* --trace FILE (run) */
    uint64_t trace_from, trace_to;  /* --trace-window FROM:TO; to 0: none */
    uint64_t trace_max_bytes;       /* --trace-max-mb; 0: the default */
    bool help;
};

/* Parse argv (after the subcommand). Every problem goes to diags; returns
 * 0 or PESIM_E_INVALID (PESIM_E_NOMEM when out of memory). Free with
 * pesim_cli_opts_free in every case. */
int pesim_cli_parse(struct pesim_cli_opts *o, const char *cmd, unsigned allowed,
                    int argc, char **argv, pesim_diags *diags);
void pesim_cli_opts_free(struct pesim_cli_opts *o);

/* Load the architecture (with every --set) and the workload (selected,
 * batched). 0, or an error with diags (bad input: exit 2). On error the
 * workload is freed. */
int pesim_cli_load(const struct pesim_cli_opts *o, struct pesim_arch *arch,
                   struct pesim_workload *wl, pesim_diags *diags);

/* Timeloop inputs (cli/timeloop.c, docs/timeloop.md). Load --arch: a
 * Timeloop spec (top-level `architecture:`) through the importer, with
 * its names in *tl (may be NULL; nlevels 0 for a pesim arch) and its
 * pesim YAML in *yaml (may be NULL; malloc'ed), else pesim_arch_load. */
int pesim_cli_load_arch(const char *path, struct pesim_arch *arch, struct pesim_tl_arch *tl,
                        char **yaml, pesim_diags *d);
/* Price arch from the ERT file `ert` by component name (tl: the Timeloop
 * names and block sizes, or NULL / empty for a pesim arch). */
/* Add a Timeloop mapspace-constraints file to a Timeloop arch's levels
 * (docs/timeloop.md, "Constraints"), in the dimension names of the
 * workload when it is a Timeloop problem. */
int pesim_cli_apply_constraints(const char *path, const char *workload,
                                const struct pesim_tl_arch *tl, struct pesim_arch *arch,
                                pesim_diags *d);
/* The dataflow --dataflow names (a registered one, default ws, or the
 * file's); NULL when none. */
/* The dataflow --dataflow names, else the architecture's own (its
 * `dataflow` key), else ws; NULL when that names none. */
const pesim_dataflow *pesim_cli_dataflow(const struct pesim_cli_opts *o,
                                         const struct pesim_arch *arch);
int pesim_cli_apply_ert(const char *ert, const struct pesim_tl_arch *tl,
                        struct pesim_arch *arch, pesim_diags *d);
/* Load --mapping: a Timeloop mapping (YAML list or map.txt, read against
 * the Timeloop arch at arch_path and the dimension names of `workload`)
 * or pesim's own; *yaml (may be NULL) the pesim YAML of a Timeloop one. */
int pesim_cli_load_mappings(const char *path, const char *arch_path, const char *workload,
                            struct pesim_mapping_set *set, char **yaml, pesim_diags *d);

/* The YAML of an imported Timeloop arch with arch's (ERT) energies
 * written in; malloc'ed, NULL when out of memory. */
char *pesim_cli_yaml_with_energies(const char *yaml, const struct pesim_arch *a);

/* Write through `write` to o->output atomically: into a temporary file in
 * the same directory, renamed over the target only when `write` returned
 * 0 and the file closed cleanly; to stdout when no -o. Returns write's
 * error, PESIM_E_IO (diag added) on file errors, or 0. */
typedef int (*pesim_cli_writer)(FILE *out, const void *data);
int pesim_cli_output(const char *path, pesim_cli_writer write,
                     const void *data, pesim_diags *diags);

/* Print every diagnostic as pesim_diags_print does, with the option that
 * helps added to the message where its code has one: the library names no
 * command-line option, the CLI does (docs/cli.md, "Diagnostic codes"). */
void pesim_cli_print_diags(const pesim_diags *d, FILE *out);

/* On stderr: an ONNX model's symbolic batch ran as 1, since no --batch was
 * given (docs/workloads.md, "Batch"). */
void pesim_cli_note_batch(const char *file, const struct pesim_onnx_batch *b);

/* "pesim CMD ARGS..." as a shell would take it back (arguments quoted
 * where needed), for the reports' provenance; malloc'ed, NULL when out of
 * memory. */
char *pesim_cli_command_line(const char *cmd, int argc, char **argv);

/* The names of an enum, "a, b, c" (last_sep ", ") or "a, b or c" (" or "),
 * from its one name table through name(0 .. n-1), for messages that list
 * what is accepted. Returns buf. */
const char *pesim_cli_names(char *buf, size_t size, const char *(*name)(unsigned),
                            unsigned n, const char *last_sep);

/* "; did you mean 'X'?" with X the nearest of names[0 .. n) to
 * name[0 .. len) (common/text.h's rule), or "" when none is near: the
 * tail of every message about an unknown option or command. *meant (may
 * be NULL): X or NULL. Returns buf. */
const char *pesim_cli_suggest(char *buf, size_t size, const char *name, size_t len,
                              const char *const *names, size_t n, const char **meant);
/* Report the unknown option `arg` of `cmd` (its name: the part before any
 * '='): "unknown option '--dataflw'; did you mean '--dataflow'?", or with
 * "(see 'CMD --help')" when no accepted option is near. *meant (may be
 * NULL): the suggested name, or NULL. Returns PESIM_E_INVALID
 * (PESIM_E_NOMEM when the diagnostic cannot be added). */
int pesim_cli_unknown_option(pesim_diags *d, const char *cmd, const char *arg,
                             const char *const *names, size_t n, const char **meant);

/* The threads of --threads N (also sweep's): N, or one per core for 0
 * (at most max). */
unsigned pesim_cli_threads(unsigned n, unsigned max);

/* A progress line on stderr, rewritten in place with \r and cleared at
 * the end: shown when forced (--progress, from the start) or when stderr
 * is a terminal and the run has taken more than a second; never with
 * --quiet, so that a pipe or a test gets the same bytes as without it. */
struct pesim_cli_progress {
    const char *what;        /* "run", "compare": the line's prefix */
    bool on, forced;
    double t0_s;             /* monotonic start */
    const char *df;          /* compare: the dataflow running, its place */
    size_t df_i, df_n;
    int shown;               /* width of the line on stderr; 0: none */
};
void pesim_cli_progress_start(struct pesim_cli_progress *p, const char *what,
                              enum pesim_cli_progress_mode mode);
/* The pesim_sim_progress_fn of a network run; ctx is the progress. */
void pesim_cli_progress_show(const struct pesim_sim_progress *s, void *ctx);
/* Clear the line, if one was shown. */
void pesim_cli_progress_end(struct pesim_cli_progress *p);

/* Help lines shared by the subcommands. */
#define PESIM_CLI_HELP_THREADS                                                       \
    "  --threads N          layers mapped and simulated at once (default 0:\n"      \
    "                       one per core); the output does not depend on N\n"
#define PESIM_CLI_HELP_INPUTS                                                        \
    "  --arch ARCH          architecture: a preset (eyeriss-v1, generic-16x16,\n"     \
    "                       iso-256), a YAML file or a Timeloop spec\n"             \
    "  --ert FILE           price the levels from an Accelergy ERT by\n"             \
    "                       component name (docs/timeloop.md)\n"                     \
    "  --constraints FILE   Timeloop mapspace constraints for a Timeloop spec\n"     \
    "                       (what --dataflow mapspace may choose)\n"                 \
    "  --workload W         workload: a shipped network (alexnet, resnet50, ...),\n"  \
    "                       a pesim or Timeloop YAML, SCALE-Sim .csv or .onnx file\n" \
    "  --layer SEL          layers to run (same as --layers); SEL is a comma-\n"      \
    "  --layers SEL         separated list of names, first:last ranges and the\n"    \
    "                       kinds conv, fc, gemm, matmul; default: every layer\n"     \
    "  --batch N            batch size N of every conv and fc layer\n"                \
    "                       (default: the workload's own)\n"
#define PESIM_CLI_HELP_OUTPUTS                                                       \
    "  --engine E           event (default: cycle-level, discrete-event),\n"         \
    "                       step (the same, cycle by cycle; slow) or\n"              \
    "                       analysis (closed-form roofline)\n"                       \
    "  --objective OBJ      what the mapper minimizes: latency (default),\n"         \
    "                       energy or edp\n"                                         \
    PESIM_CLI_HELP_THREADS                                                           \
    "  --format FMT         text (default), json or csv\n"                           \
    "  -o, --output FILE    write there instead of stdout (only on success)\n"       \
    "  -h, --help           show this help\n"

#define PESIM_CLI_HELP_PROGRESS                                                      \
    "  --progress           show progress on stderr even when it is not a\n"        \
    "                       terminal (default: on a terminal, after 1 s)\n"         \
    "  --quiet              never show progress\n"

int pesim_cli_run(int argc, char **argv);
int pesim_cli_map(int argc, char **argv);
void pesim_cli_map_help(FILE *out);
int pesim_cli_compare(int argc, char **argv);
int pesim_cli_import(int argc, char **argv);
int pesim_cli_sweep(int argc, char **argv);
int pesim_cli_report(int argc, char **argv);
void pesim_cli_report_help(FILE *out);
void pesim_cli_sweep_help(FILE *out);
void pesim_cli_import_help(FILE *out);
void pesim_cli_run_help(FILE *out);
void pesim_cli_compare_help(FILE *out);

#endif
