/* pesim — error codes and diagnostics. */
#ifndef PESIM_ERROR_H
#define PESIM_ERROR_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every error code, once: name, value, message. Functions return 0 or one
 * of the negative PESIM_E_* values. */
#define PESIM_ERRNO_MAP(X)                                              \
    X(NOMEM, -1, "out of memory")                                      \
    X(IO, -2, "cannot read or write a file")                           \
    X(INVALID, -3, "invalid input")                                     \
    X(NOTFOUND, -4, "not found")                                        \
    X(NOFIT, -5, "mapping does not fit the buffers")                   \
    X(RANGE, -6, "value out of range")                                  \
    X(NOMAP, -7, "no valid mapping")                                    \
    X(SIM, -8, "simulation failure")                                    \
    X(UNSUPPORTED, -9, "not supported")

enum pesim_errno {
    PESIM_OK = 0,
#define PESIM_ERRNO_ENUM(name, value, msg) PESIM_E_##name = (value),
    PESIM_ERRNO_MAP(PESIM_ERRNO_ENUM)
#undef PESIM_ERRNO_ENUM
};

/* "PESIM_E_NOFIT" style name and a one-line message; "unknown error" for
 * values not in the map. Static strings. */
const char *pesim_err_name(int err);
const char *pesim_strerror(int err);

/* What a diagnostic is about, once: constant, name, meaning. A caller that
 * must tell diagnostics apart (relay one at another position, pick the
 * reason of a failed sweep point, add a hint) tests the code, never the
 * message: the message is for people and may be reworded. The names are
 * stable and documented (docs/cli.md, "Diagnostic codes"); the numbers are
 * not (a new kind of diagnostic gets a row in its group). PESIM_DIAG_ERROR
 * is what pesim_diags_add gives: a diagnostic no caller tells apart. */
#define PESIM_DIAG_MAP(X)                                                                        \
    X(ERROR, "error", "not given a code of its own yet")                                         \
    X(FILE_IO, "file.io", "a file cannot be opened, read, written, made or renamed")             \
    X(FILE_KIND, "file.kind", "an input is a folder, or larger than pesim reads")                \
    X(FILE_REFUSED, "file.refused",                                                              \
      "an output names a folder, a block device or one of the command's own inputs")             \
    X(NAME_UNKNOWN, "name.unknown",                                                              \
      "no preset, network, dataflow or readable file of that name")                              \
    X(YAML_SYNTAX, "yaml.syntax", "the text is not valid YAML (libyaml's problem)")              \
    X(YAML_LIMIT, "yaml.limit",                                                                  \
      "too deep, too many anchors, aliases or nodes, or a second document")                      \
    X(YAML_EMPTY, "yaml.empty", "an empty document or value")                                    \
    X(CFG_UNKNOWN_KEY, "cfg.unknown_key", "a key the section does not have")                     \
    X(CFG_MISSING, "cfg.missing", "a required key is not given")                                 \
    X(CFG_DUPLICATE, "cfg.duplicate", "a key, data space or layer given twice")                  \
    X(CFG_TYPE, "cfg.type",                                                                      \
      "a value of the wrong type: a list or mapping for a scalar, text for a number")            \
    X(CFG_RANGE, "cfg.range",                                                                    \
      "a number out of its bounds or beyond 64 bits, a text or list of the wrong length")        \
    X(CFG_ENUM, "cfg.enum", "a name that is not one of the key's choices")                       \
    X(CFG_VALUE, "cfg.value", "a value that the key's own check refuses")                        \
    X(CFG_CONFLICT, "cfg.conflict",                                                              \
      "keys given together that exclude each other, or a key the rest does not allow")           \
    X(CFG_ASSIGN, "cfg.assign", "an architecture key assignment not of the form KEY.PATH=VALUE") \
    X(WL_SELECT, "wl.select", "a layer selector that is empty or matches no layer")              \
    X(WL_BATCH, "wl.batch", "a batch size out of range, or one that overflows a layer")          \
    X(MAP_MISSING, "map.missing", "a mapping file without a mapping for a selected layer")       \
    X(MAP_LOOP, "map.loop", "a malformed loop, or more loops than a level takes")                \
    X(MAP_COVERAGE, "map.coverage",                                                              \
      "the loops over a dimension do not cover the layer, or exceed it too far")                 \
    X(MAP_ARRAY, "map.array", "spatial loops larger than the array")                             \
    X(MAP_BYPASS, "map.bypass", "a data space bypassed where it must be kept")                   \
    X(MAP_NOFIT, "map.nofit", "a tile larger than its buffer")                                   \
    X(MAP_NOMAP, "map.nomap",                                                                    \
      "no mapping of the dataflow fits; the map.nofit ones after it are the closest mapping's")  \
    X(SIM_LIMIT, "sim.limit", "a layer beyond what an engine can time or count")                 \
    X(SIM_FAIL, "sim.fail", "the analysis, an engine or the memory model failed")                \
    X(SWEEP_AXIS, "sweep.axis", "a sweep axis or value that the base cannot take")               \
    X(SWEEP_EXPR, "sweep.expr",                                                                  \
      "a constraint that does not parse or evaluate, or that no point satisfies")                \
    X(SWEEP_OUTPUT, "sweep.output",                                                              \
      "a results or part file that is torn, changed, or not pesim's")                            \
    X(SWEEP_JOURNAL, "sweep.journal",                                                            \
      "how a journal differs from this run, or why it cannot be used")                           \
    X(SWEEP_RESUME, "sweep.resume", "refusing to resume from a journal of another experiment")   \
    X(SWEEP_PART, "sweep.part",                                                                  \
      "a part file that is not a part of the same sweep, or given twice")                        \
    X(SWEEP_MISSING, "sweep.missing", "points or shards missing from a merge")                   \
    X(SWEEP_METRIC, "sweep.metric",                                                              \
      "a Pareto metric that is not a numeric column, or too few or many")                        \
    X(REPORT_INPUT, "report.input",                                                              \
      "a report input that is neither pesim's JSON nor a sweep's results")                       \
    X(REPORT_COLUMN, "report.column", "a chart axis or metric that the results do not have")     \
    X(REPORT_TOOL, "report.tool", "gnuplot is missing, failed, or its figure cannot be read")    \
    X(IMPORT_PARSE, "import.parse", "a foreign model or table that pesim cannot read")           \
    X(IMPORT_UNSUPPORTED, "import.unsupported",                                                  \
      "an operator or feature that pesim does not model")                                        \
    X(CLI_USAGE, "cli.usage",                                                                    \
      "an unknown command or option, a bad or missing value, options that exclude each other")

enum pesim_diag_code {
#define PESIM_DIAG_ENUM(name, str, what) PESIM_DIAG_##name,
    PESIM_DIAG_MAP(PESIM_DIAG_ENUM)
#undef PESIM_DIAG_ENUM
    PESIM_DIAG_COUNT
};

/* "cfg.unknown_key" style name; NULL for values not in the map. Static. */
const char *pesim_diag_code_name(enum pesim_diag_code code);
/* The one-line meaning of a code, as docs/cli.md lists it; NULL likewise. */
const char *pesim_diag_code_what(enum pesim_diag_code code);
/* The code of a name; 0 with *out set, or PESIM_E_NOTFOUND. */
int pesim_diag_code_parse(const char *name, enum pesim_diag_code *out);

/* A list of diagnostics, each "file:line:col: error: message".
 * Loaders append every error they find instead of stopping at the first, so
 * that a user sees all of them in one run. Positions are 1-based; line 0
 * means "no position" (printed as "file: error: ..."). */
typedef struct pesim_diags pesim_diags;

struct pesim_diag {
    const char *file; /* owned by the list */
    unsigned line;
    unsigned col;
    const char *msg; /* owned by the list */
    enum pesim_diag_code code; /* PESIM_DIAG_ERROR when not given */
};

/* Create an empty list; NULL when out of memory. */
pesim_diags *pesim_diags_create(void);
void pesim_diags_destroy(pesim_diags *d);
/* Append one error with its code; the message is printf-formatted.
 * Returns 0 or PESIM_E_NOMEM (the list then keeps what it had). */
int pesim_diags_addc(pesim_diags *d, enum pesim_diag_code code, const char *file,
                     unsigned line, unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
int pesim_diags_vaddc(pesim_diags *d, enum pesim_diag_code code, const char *file,
                      unsigned line, unsigned col, const char *fmt, va_list ap);
/* The same with code PESIM_DIAG_ERROR, for what no caller tells apart. */
int pesim_diags_add(pesim_diags *d, const char *file, unsigned line,
                    unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
int pesim_diags_vadd(pesim_diags *d, const char *file, unsigned line,
                     unsigned col, const char *fmt, va_list ap);
/* For a caller that knows what a callee's failure was: give `code` to the
 * diagnostics from index `from` on that have PESIM_DIAG_ERROR, and return
 * how many it changed. */
size_t pesim_diags_set_code(pesim_diags *d, size_t from, enum pesim_diag_code code);
/* For a caller that knows where an input came from: make `file` the file
 * of the diagnostics from index `from` on that have none (""). 0 or
 * PESIM_E_NOMEM (the list is then unchanged from the first it could not
 * change). */
int pesim_diags_set_file(pesim_diags *d, size_t from, const char *file);
size_t pesim_diags_count(const pesim_diags *d);
const struct pesim_diag *pesim_diags_get(const pesim_diags *d, size_t i);
/* Print every diagnostic, one per line, in the order they were added. */
void pesim_diags_print(const pesim_diags *d, FILE *out);

/* The files a command read. Every reader of an input file (architecture,
 * workload, mapping, energy table, sweep spec, report input, merge part)
 * goes through pesim_file_read, which notes the file here: its path, its
 * identity (device and inode) and the FNV-1a hash of the bytes read. A
 * command's list is what its outputs must never overwrite
 * (pesim_out_open) and what a resumed sweep must find unchanged. */
struct pesim_input {
    const char *path; /* owned by the list */
    unsigned long long dev, ino, size;
    unsigned long long hash; /* FNV-1a 64 of the content */
};
/* Note one input; a file already noted (same device and inode) is not
 * added again. 0 or PESIM_E_NOMEM. */
int pesim_diags_note_input(pesim_diags *d, const struct pesim_input *in);
size_t pesim_diags_ninputs(const pesim_diags *d);
const struct pesim_input *pesim_diags_input(const pesim_diags *d, size_t i);
/* Append every diagnostic and input of `src` to `dst` (a loader that
 * collects into a list of its own and then reports into the caller's).
 * 0 or PESIM_E_NOMEM. */
int pesim_diags_append(pesim_diags *dst, const pesim_diags *src);

#ifdef __cplusplus
}
#endif
#endif
