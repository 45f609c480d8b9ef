/* report/ internal: one walk over the fields of a layer result, shared by
 * the JSON and CSV writers so that both list the same fields in the same
 * order (docs/cli.md documents that order). Not a public header. */
#ifndef PESIM_REPORT_WALK_H
#define PESIM_REPORT_WALK_H

#include <stdbool.h>
#include <stdio.h>

#include "pesim.h"

/* A receiver of fields. The walk calls begin/end around nested objects and
 * one leaf call per value. While `hidden` > 0 the walk is inside a field
 * that a total row does not have (dims, mapping ...): the JSON writer
 * leaves it out, the CSV writer writes an empty cell so that every row has
 * the same columns. */
struct pesim_report_sink {
    void (*begin)(struct pesim_report_sink *s, const char *key);
    void (*end)(struct pesim_report_sink *s);
    void (*u64)(struct pesim_report_sink *s, const char *key, uint64_t v);
    void (*f64)(struct pesim_report_sink *s, const char *key, double v);
    void (*str)(struct pesim_report_sink *s, const char *key, const char *v);
    void (*mapping)(struct pesim_report_sink *s, const char *key,
                    const struct pesim_arch *arch, const struct pesim_mapping *m);
    int hidden;
};

/* Walk one result on arch (its level, network and energy row names).
 * `total` marks the aggregate row (no kind, dims, stride, padding,
 * dilation or mapping). `unit` is the energy unit's name. */
void pesim_report_walk(struct pesim_report_sink *s, const struct pesim_arch *arch,
                       const struct pesim_layer_result *r, bool total,
                       const char *unit);
/* ctx's architecture, or one with the shorthand's level names when ctx
 * has none. */
const struct pesim_arch *pesim_report_arch(const struct pesim_report_ctx *ctx);

/* Doubles everywhere in JSON/CSV: "%.15g" in the C locale (pesim never
 * calls setlocale), so the same value prints the same bytes. Returns false
 * for NaN and infinities, which the callers print as null / empty. */
bool pesim_report_fmt_double(char *buf, size_t size, double v);

/* A mapping in one line, e.g. "dram[M4 C2] glb[P55 Q55] spatial[M14x C3y]
 * rf[R11 S11] bypass[glb:weights]" (the shorthand), or with each level's
 * name and "<level>.spatial[...]" after a level with a fan-out (the
 * general form); the CSV and text forms. */
void pesim_report_fmt_mapping(char *buf, size_t size, const struct pesim_arch *arch,
                              const struct pesim_mapping *m);

/* Names with a fallback, so a bad enum never prints "(null)". */
const char *pesim_report_bound_name(enum pesim_bound b);
const char *pesim_report_kind_name(enum pesim_layer_kind k);

/* The writers behind pesim_report_run / pesim_report_compare (report.c).
 * Each returns 0 or PESIM_E_IO when the stream reports an error. */
int pesim_report_json_run(FILE *out, const struct pesim_report_ctx *ctx,
                          const struct pesim_run *run);
int pesim_report_json_compare(FILE *out, const struct pesim_report_ctx *ctx,
                              const struct pesim_run *runs, size_t n);
int pesim_report_csv_run(FILE *out, const struct pesim_report_ctx *ctx,
                         const struct pesim_run *run);
int pesim_report_csv_compare(FILE *out, const struct pesim_report_ctx *ctx,
                             const struct pesim_run *runs, size_t n);
int pesim_report_text_run(FILE *out, const struct pesim_report_ctx *ctx,
                          const struct pesim_run *run);
int pesim_report_text_compare(FILE *out, const struct pesim_report_ctx *ctx,
                              const struct pesim_run *runs, size_t n);
const char *pesim_report_unit(const struct pesim_report_ctx *ctx);

/* ---- notes (notes.c; docs/cli.md, "Notes") ---- */

/* One resource charged more than half of a result's cycles. */
struct pesim_report_note {
    char cause[80];   /* the resource: "noc.inputs", "glb.read_ports",
                         "dram.bandwidth", "dram.latency", "NET.outputs.reload" */
    char what[128];   /* it in words, with its size: "the NoC inputs bus (1 word/cycle)" */
    char key[112];    /* the key that sizes it: "noc.inputs.width_words",
                         "levels.NAME.fanout.network.inputs.width_words" */
    const char *verb; /* what to do with the key: "raise", "lower", "set" (to true) */
    double share;     /* of the cycles, in (0.5, 1] */
    double value;     /* the key's value in the run */
};
/* The bound note of r on arch: true with *n filled when one resource (a
 * site and role of r->role_stalls, or DRAM latency) was charged more than
 * half of r's cycles; false otherwise, and always for the analysis engine
 * (no stalls). */
bool pesim_report_bound_note(const struct pesim_arch *arch, const struct pesim_layer_result *r,
                             struct pesim_report_note *n);
/* "note: [prefix]52% of the cycles wait on WHAT: raise KEY\n" */
void pesim_report_note_text(FILE *out, const char *prefix, const struct pesim_report_note *n);
/* What chose the mappings: "latency", "energy", "edp", or "explicit mapping". */
const char *pesim_report_objective(const struct pesim_report_ctx *ctx);

#endif
