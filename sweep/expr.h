/* sweep/ internal: the constraint expressions of sweep specs
 * (docs/sweeps.md, "constraints"). Not a public header.
 *
 * Grammar (doubles throughout; a constraint holds when its value is
 * non-zero):
 *
 *   or      := and ('||' and)*
 *   and     := cmp ('&&' cmp)*
 *   cmp     := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
 *   sum     := prod (('+'|'-') prod)*
 *   prod    := unary (('*'|'/'|'%') unary)*
 *   unary   := ('-'|'!') unary | primary
 *   primary := NUMBER | NAME | '(' or ')' | ('min'|'max') '(' or ',' or ')'
 *   NUMBER  := decimal integer or real: 16, 0.5, .5, 1e3, 2.5E-2
 *   NAME    := [A-Za-z_][A-Za-z0-9_.]*   (dotted paths: pe_array.rows)
 *
 * Binary operators are left-associative; comparisons do not chain
 * (`a < b < c` is an error: write `a < b && b < c`). `%` is fmod (the
 * result has the sign of the left operand). Comparisons, `!`, `&&` and
 * `||` give 1 or 0; `&&` and `||` short-circuit, so
 * `glb.banks != 0 && 64 / glb.banks >= 4` never divides by zero.
 * `min` and `max` are the only functions and are reserved words.
 *
 * A parsed expression is immutable: any number of threads may evaluate
 * one at once. Only sweep_expr_parse allocates. */
#ifndef PESIM_SWEEP_EXPR_H
#define PESIM_SWEEP_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "pesim/error.h"

/* Parentheses, unary operators and min/max calls nest at most this deep;
 * deeper is a parse error (the parser recurses, the stack must not). */
#define SWEEP_EXPR_MAX_DEPTH 64

/* A parsed expression (opaque; created by sweep_expr_parse, owned by the
 * caller, released with sweep_expr_free). */
struct sweep_expr;

/* Value of `name` (one of the names given to sweep_expr_parse) for the
 * point being evaluated: store it in *value and return 0, or return
 * nonzero when the name has no value. */
typedef int (*sweep_expr_lookup_fn)(const char *name, void *ctx,
                                    double *value);

/* Where and why an evaluation failed. */
struct sweep_expr_error {
    unsigned line, col; /* of the operator or name at fault, 1-based */
    char msg[256];      /* "constraints[0]: division by zero" */
};

/* Parse `text` (NUL-terminated). `file`, `line`, `col` locate its first
 * character in the spec (1-based) so that messages point at the exact
 * character; columns count bytes, and a '\n' in `text` starts a new line
 * at column 1 (exact for plain one-line YAML scalars and for quoted ones
 * without escapes when `col` is that of the first character after the
 * quote). `what` prefixes every message ("constraints[0]").
 *
 * `names[0..nnames)` are the names the expression may use (copied as
 * needed; the array need not outlive the call). A name not in the list is
 * an error that lists the first 12 names, in the given order (put the
 * likeliest first), and suggests the nearest one:
 *   spec.yaml:12:23: error: constraints[0]: unknown name 'pe_aray.rows',
 *     expected one of pe_array.rows, pe_array.cols, ... (did you mean
 *     'pe_array.rows'?)
 * Every unknown name is reported; parsing stops at the first syntax error:
 *   spec.yaml:12:30: error: constraints[0]: got ')', expected a number,
 *     a name or '('
 * Messages go to `diags` (may be NULL).
 *
 * Returns 0 with *out set, PESIM_E_INVALID or PESIM_E_NOMEM with *out
 * NULL. */
int sweep_expr_parse(const char *text, const char *file, unsigned line,
                     unsigned col, const char *what,
                     const char *const *names, size_t nnames,
                     struct sweep_expr **out, pesim_diags *diags);

/* Evaluate `e` for one point, asking `lookup` (with `ctx`) for the value
 * of each name that the evaluation reaches (a name in a branch that
 * `&&`/`||` skips is not asked for). Allocates nothing.
 *
 * Returns 0 with *out set, or PESIM_E_INVALID for a name without a value
 * (or a NaN value), a division or `%` by zero, or an operation whose
 * result is NaN (inf - inf); `err` (may be NULL) then says where and why.
 * Infinite results are values like any other. */
int sweep_expr_eval(const struct sweep_expr *e, sweep_expr_lookup_fn lookup,
                    void *ctx, double *out, struct sweep_expr_error *err);

/* Release `e` (NULL is fine). */
void sweep_expr_free(struct sweep_expr *e);

#endif
