/* Constraint expressions of sweep specs: values (precedence, associativity,
 * short-circuiting), golden parse and evaluation errors with exact
 * positions, and a random-token fuzz that must never crash or leak. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../config/diag_text.h"
#include "sweep/expr.h"

static const char *const names[] = {
    "pe_array.rows", "pe_array.cols", "glb.capacity_bytes", "glb.banks",
    "glb.max_bytes.weights", "batch", "pes",
};
#define NNAMES (sizeof names / sizeof names[0])

/* A point: a value per name; NAN marks "no value". */
struct point {
    double v[NNAMES];
};

static int lookup(const char *name, void *ctx, double *value)
{
    const struct point *pt = ctx;
    for (size_t i = 0; i < NNAMES; i++)
        if (strcmp(name, names[i]) == 0) {
            if (isnan(pt->v[i]))
                return 1;
            *value = pt->v[i];
            return 0;
        }
    return 1;
}

static const struct point default_point = {
    {16, 16, 131072, 4, 65536, 2, 256},
};

/* Parse (must succeed) and evaluate (must succeed) at `pt`. */
static double value_at(const char *text, const struct point *pt)
{
    pesim_diags *d = pesim_diags_create();
    struct sweep_expr *e = NULL;
    int rc = sweep_expr_parse(text, "t.yaml", 1, 1, "constraints[0]", names,
                              NNAMES, &e, d);
    if (rc) {
        char *msg = diag_text(d);
        print_error("%s\n%s", text, msg);
        free(msg);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(pesim_diags_count(d), 0);
    double v = -12345;
    struct sweep_expr_error err;
    rc = sweep_expr_eval(e, lookup, (void *)pt, &v, &err);
    if (rc)
        print_error("%s\n%s\n", text, err.msg);
    assert_int_equal(rc, 0);
    sweep_expr_free(e);
    pesim_diags_destroy(d);
    return v;
}

static double value(const char *text) { return value_at(text, &default_point); }

static void test_precedence(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double want;
    } cases[] = {
        {"2 + 3 * 4 == 14", 1},
        {"2 + 3 * 4", 14},
        {"(2 + 3) * 4", 20},
        {"10 - 4 - 3", 3},        /* left-associative: (10-4)-3 */
        {"16 / 4 / 2", 2},        /* (16/4)/2 */
        {"2 * 3 / 4", 1.5},
        {"100 % 7 % 4", 2},       /* (100%7)%4 = 2%4 */
        {"-2 * -3", 6},
        {"- -2", 2},
        {"--2", 2},
        {"-2 - -3", 1},
        {"7 % 4", 3},
        {"-7 % 4", -3},           /* fmod: the sign of the left operand */
        {"7.5 % 2", 1.5},
        {"!0", 1},
        {"!5", 0},
        {"!!5", 1},
        {"!0 + 1", 2},            /* unary binds tighter than + */
        {"-3 < -2", 1},
        {"1 < 2 && 2 < 1 || 1", 1},
        {"1 || 0 && 0", 1},       /* && binds tighter than || */
        {"(1 || 0) && 0", 0},
        {"3 && 4", 1},
        {"3 && 0", 0},
        {"0 || 0", 0},
        {"0 || 7", 1},
        {"1 + 2 < 4", 1},         /* arithmetic binds tighter than < */
        {"1 == 1 && 2 != 2", 0},
        {"2 <= 2", 1},
        {"2 < 2", 0},
        {"3 >= 4", 0},
        {"3 > 2", 1},
        {"0.1 + 0.2 == 0.3", 0},  /* doubles, exactly */
        {"1e3", 1000},
        {"2.5E-1", 0.25},
        {"1e+2", 100},
        {".5 + 0.25 + 1.", 1.75},
        {"min(3, 2) + max(1, 5)", 7},
        {"min(2 + 3 * 4, 10 - 1)", 9},
        {"max(-1, min(1 || 0, 3))", 1},
        {"max ( 1 , 2 )", 2},
        {"\t 1\n+\r\n2 ", 3},
        {"1e308 * 10 > 1", 1},    /* inf is a value */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = value(cases[i].text);
        if (v != cases[i].want)
            print_error("%s: got %.17g, want %.17g\n", cases[i].text, v,
                        cases[i].want);
        assert_true(v == cases[i].want);
    }
}

static void test_names(void **state)
{
    (void)state;
    struct point pt = default_point;
    assert_true(value_at("pe_array.rows * pe_array.cols == 256", &pt) == 1);
    pt.v[0] = 8;
    assert_true(value_at("pe_array.rows * pe_array.cols == 256", &pt) == 0);
    assert_true(value_at("pe_array.rows*pe_array.cols", &pt) == 128);
    assert_true(value_at("glb.max_bytes.weights / 1024", &pt) == 64);
    assert_true(value_at("min(pe_array.rows, pe_array.cols)", &pt) == 8);
    assert_true(value_at("max(pe_array.rows, pe_array.cols)", &pt) == 16);
    assert_true(value_at("pes >= 128 && glb.capacity_bytes <= 262144", &pt) == 1);
    assert_true(value_at("-batch", &pt) == -2);
}

/* && and || skip their right side, so a guard protects a division and a
 * name without a value in a skipped branch is never asked for. */
static void test_short_circuit(void **state)
{
    (void)state;
    struct point pt = default_point;
    pt.v[3] = 0; /* glb.banks */
    assert_true(value_at("glb.banks != 0 && 64 / glb.banks >= 4", &pt) == 0);
    assert_true(value_at("glb.banks == 0 || 64 / glb.banks >= 4", &pt) == 1);
    pt.v[5] = NAN; /* batch has no value */
    assert_true(value_at("0 && batch > 1", &pt) == 0);
    assert_true(value_at("1 || batch > 1", &pt) == 1);
    assert_true(value_at("1 && 0 || 1 || batch", &pt) == 1);
}

/* ---- golden parse errors ---------------------------------------------- */

struct golden {
    const char *text;
    const char *want; /* every line printed */
};

#define NAMES_LIST                                                             \
    "pe_array.rows, pe_array.cols, glb.capacity_bytes, glb.banks, "            \
    "glb.max_bytes.weights, batch, pes"

/* The text starts at spec.yaml:12:20. */
static const struct golden cases[] = {
    /* unknown name, with a suggestion */
    {"pe_aray.rows * 2",
     "spec.yaml:12:20: error: constraints[0]: unknown name 'pe_aray.rows', "
     "expected one of " NAMES_LIST " (did you mean 'pe_array.rows'?)\n"},
    /* every unknown name is reported; the second has no close match */
    {"pe_array.rows * pe_aray.colz + zzz",
     "spec.yaml:12:36: error: constraints[0]: unknown name 'pe_aray.colz', "
     "expected one of " NAMES_LIST " (did you mean 'pe_array.cols'?)\n"
     "spec.yaml:12:51: error: constraints[0]: unknown name 'zzz', "
     "expected one of " NAMES_LIST "\n"},
    /* missing ')' */
    {"(1 + 2",
     "spec.yaml:12:26: error: constraints[0]: got the end of the expression, "
     "expected ')' to close the '(' at 12:20\n"},
    {"(1 2)",
     "spec.yaml:12:23: error: constraints[0]: got '2', expected an operator "
     "or ')'\n"},
    /* dangling operators */
    {"1 +",
     "spec.yaml:12:23: error: constraints[0]: got the end of the expression, "
     "expected a number, a name or '('\n"},
    {"1 + )",
     "spec.yaml:12:24: error: constraints[0]: got ')', expected a number, a "
     "name or '('\n"},
    {"&& 1",
     "spec.yaml:12:20: error: constraints[0]: got '&&', expected a number, a "
     "name or '('\n"},
    /* empty */
    {"", "spec.yaml:12:20: error: constraints[0]: empty expression\n"},
    {"  \t ", "spec.yaml:12:20: error: constraints[0]: empty expression\n"},
    /* bad numbers */
    {"1e + 2", "spec.yaml:12:20: error: constraints[0]: bad number '1e'\n"},
    {"2 * 1..2", "spec.yaml:12:24: error: constraints[0]: bad number '1..2'\n"},
    {"2x", "spec.yaml:12:20: error: constraints[0]: bad number '2x'\n"},
    {"0x10", "spec.yaml:12:20: error: constraints[0]: bad number '0x10'\n"},
    {"1e-", "spec.yaml:12:20: error: constraints[0]: bad number '1e-'\n"},
    {"1 + 1e999",
     "spec.yaml:12:24: error: constraints[0]: number '1e999' is out of "
     "range\n"},
    /* trailing garbage */
    {"1 2",
     "spec.yaml:12:22: error: constraints[0]: got '2', expected an operator "
     "or the end of the expression\n"},
    {"(1 + 2))",
     "spec.yaml:12:27: error: constraints[0]: got ')', expected an operator "
     "or the end of the expression (no '(' to close)\n"},
    {"batch batch",
     "spec.yaml:12:26: error: constraints[0]: got 'batch', expected an "
     "operator or the end of the expression\n"},
    /* functions */
    {"min(1)",
     "spec.yaml:12:25: error: constraints[0]: got ')', expected ',' (min "
     "takes two arguments)\n"},
    {"max(1, 2, 3)",
     "spec.yaml:12:28: error: constraints[0]: got ',', expected ')' (max "
     "takes two arguments)\n"},
    {"min(1 2)",
     "spec.yaml:12:26: error: constraints[0]: got '2', expected an operator "
     "or ','\n"},
    {"max(1, 2",
     "spec.yaml:12:28: error: constraints[0]: got the end of the expression, "
     "expected ')' to close the '(' at 12:23\n"},
    {"foo(1)",
     "spec.yaml:12:20: error: constraints[0]: unknown function 'foo', "
     "expected min or max\n"},
    {"pes (2)",
     "spec.yaml:12:20: error: constraints[0]: unknown function 'pes', "
     "expected min or max\n"},
    {"min + 1",
     "spec.yaml:12:24: error: constraints[0]: got '+', expected '(' after "
     "'min'\n"},
    /* operators that are not ours */
    {"batch = 2",
     "spec.yaml:12:26: error: constraints[0]: got '=', expected '=='\n"},
    {"1 & 2", "spec.yaml:12:22: error: constraints[0]: got '&', expected '&&'\n"},
    {"1 | 2", "spec.yaml:12:22: error: constraints[0]: got '|', expected '||'\n"},
    {"1 $ 2",
     "spec.yaml:12:22: error: constraints[0]: unexpected character '$'\n"},
    {"1 \xc3\xa9 2",
     "spec.yaml:12:22: error: constraints[0]: unexpected byte 0xC3\n"},
    {"1 < 2 < 3",
     "spec.yaml:12:26: error: constraints[0]: got '<', expected '&&' or '||' "
     "(comparisons do not chain)\n"},
    /* a new line in the text moves to the next line, column 1 */
    {"1 +\n  )",
     "spec.yaml:13:3: error: constraints[0]: got ')', expected a number, a "
     "name or '('\n"},
    /* an unknown name before a syntax error: both, in text order */
    {"batchh + )",
     "spec.yaml:12:20: error: constraints[0]: unknown name 'batchh', expected "
     "one of " NAMES_LIST " (did you mean 'batch'?)\n"
     "spec.yaml:12:29: error: constraints[0]: got ')', expected a number, a "
     "name or '('\n"},
};

static char *parse_errors(const char *text, const char *const *nm, size_t n,
                          int *rc)
{
    pesim_diags *d = pesim_diags_create();
    struct sweep_expr *e = (struct sweep_expr *)&e; /* must be reset */
    *rc = sweep_expr_parse(text, "spec.yaml", 12, 20, "constraints[0]", nm, n,
                           &e, d);
    if (*rc)
        assert_null(e);
    sweep_expr_free(e);
    char *msg = diag_text(d);
    pesim_diags_destroy(d);
    return msg;
}

static void test_golden_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        char *msg = parse_errors(cases[i].text, names, NNAMES, &rc);
        if (rc != PESIM_E_INVALID || strcmp(msg, cases[i].want) != 0)
            print_error("case %zu: %s\ngot rc %d:\n%swant:\n%s", i,
                        cases[i].text, rc, msg, cases[i].want);
        assert_int_equal(rc, PESIM_E_INVALID);
        assert_string_equal(msg, cases[i].want);
        free(msg);
    }
}

/* Nesting: SWEEP_EXPR_MAX_DEPTH levels parse, one more is an error at the
 * token that goes too deep. */
static char *nested(const char *open, const char *inner, const char *close,
                    int levels)
{
    size_t lo = strlen(open), li = strlen(inner), lc = strlen(close);
    char *s = malloc((size_t)levels * (lo + lc) + li + 1);
    assert_non_null(s);
    char *w = s;
    for (int i = 0; i < levels; i++, w += lo)
        memcpy(w, open, lo);
    memcpy(w, inner, li);
    w += li;
    for (int i = 0; i < levels; i++, w += lc)
        memcpy(w, close, lc);
    *w = '\0';
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    static const char *const deep =
        "error: constraints[0]: nested too deeply (more than 64 levels of "
        "parentheses, unary operators and function calls)\n";
    char want[256];
    int rc;

    char *ok = nested("(", "7", ")", SWEEP_EXPR_MAX_DEPTH);
    assert_true(value(ok) == 7);
    free(ok);

    char *bad = nested("(", "7", ")", SWEEP_EXPR_MAX_DEPTH + 1);
    char *msg = parse_errors(bad, names, NNAMES, &rc);
    snprintf(want, sizeof want, "spec.yaml:12:%d: %s", 20 + SWEEP_EXPR_MAX_DEPTH,
             deep);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_string_equal(msg, want);
    free(msg);
    free(bad);

    ok = nested("-", "7", "", SWEEP_EXPR_MAX_DEPTH);
    assert_true(value(ok) == 7);
    free(ok);
    bad = nested("!", "7", "", SWEEP_EXPR_MAX_DEPTH + 1);
    msg = parse_errors(bad, names, NNAMES, &rc);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_string_equal(msg, want);
    free(msg);
    free(bad);

    bad = nested("min(1, ", "7", ")", SWEEP_EXPR_MAX_DEPTH + 1);
    msg = parse_errors(bad, names, NNAMES, &rc);
    snprintf(want, sizeof want, "spec.yaml:12:%d: %s",
             20 + 7 * SWEEP_EXPR_MAX_DEPTH + 3, deep);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_string_equal(msg, want);
    free(msg);
    free(bad);

    /* The worst case for the value stack: four pending left operands per
     * level. The value alternates 1, 0, ... from the inside out. */
    ok = nested("1 == 1 + 1 * min(1, ", "1", ")", SWEEP_EXPR_MAX_DEPTH);
    assert_true(value(ok) == 1);
    free(ok);

    /* Depth is nesting, not length: a long flat chain is fine. */
    size_t terms = 100000;
    char *chain = malloc(2 * terms);
    assert_non_null(chain);
    for (size_t i = 0; i < terms; i++) {
        chain[2 * i] = '1';
        chain[2 * i + 1] = i + 1 < terms ? (i % 2 ? '+' : '*') : '\0';
    }
    /* 1*1+1*1+...: terms/2 products of 1 */
    assert_true(value(chain) == (double)(terms / 2));
    free(chain);
}

static void test_name_list(void **state)
{
    (void)state;
    static const char *const many[] = {
        "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7",
        "n8", "n9", "n10", "n11", "n12", "n13", "n14",
    };
    int rc;
    char *msg = parse_errors("n15", many, 15, &rc);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_string_equal(msg,
        "spec.yaml:12:20: error: constraints[0]: unknown name 'n15', expected "
        "one of n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11 and 3 more "
        "(did you mean 'n1'?)\n");
    free(msg);

    msg = parse_errors("batch", NULL, 0, &rc);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_string_equal(msg, "spec.yaml:12:20: error: constraints[0]: unknown "
                             "name 'batch' (no names are defined)\n");
    free(msg);

    /* A huge name is cut in the message, and a run of '(' stops at the
     * depth limit, not at the end of the stack. */
    char *huge = nested("a", "", "", 100000);
    msg = parse_errors(huge, names, NNAMES, &rc);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_non_null(strstr(msg, "unknown name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', expected"));
    free(msg);
    free(huge);
    huge = nested("(", "", "", 100000);
    msg = parse_errors(huge, names, NNAMES, &rc);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_non_null(strstr(msg, "nested too deeply"));
    free(msg);
    free(huge);

    /* Without a diagnostics list the result is the same, silently. */
    struct sweep_expr *e = NULL;
    assert_int_equal(sweep_expr_parse("1 +", "f", 1, 1, "c", NULL, 0, &e, NULL),
                     PESIM_E_INVALID);
    assert_null(e);
}

/* ---- evaluation errors ------------------------------------------------ */

static void eval_error(const char *text, const struct point *pt,
                       unsigned col, const char *want)
{
    struct sweep_expr *e = NULL;
    assert_int_equal(sweep_expr_parse(text, "spec.yaml", 3, 10, "constraints[2]",
                                      names, NNAMES, &e, NULL),
                     0);
    struct sweep_expr_error err;
    double v = 42;
    int rc = sweep_expr_eval(e, lookup, (void *)pt, &v, &err);
    if (rc != PESIM_E_INVALID || strcmp(err.msg, want) != 0)
        print_error("%s: rc %d, %s\n", text, rc, err.msg);
    assert_int_equal(rc, PESIM_E_INVALID);
    assert_true(v == 42); /* untouched */
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, col);
    assert_string_equal(err.msg, want);
    /* No error struct: same code. */
    assert_int_equal(sweep_expr_eval(e, lookup, (void *)pt, &v, NULL),
                     PESIM_E_INVALID);
    sweep_expr_free(e);
}

static void test_eval_errors(void **state)
{
    (void)state;
    struct point pt = default_point;
    pt.v[5] = 4; /* batch */
    eval_error("1 / (batch - 4)", &pt, 12,
               "constraints[2]: division by zero in '/'");
    eval_error("7 % 0", &pt, 12, "constraints[2]: division by zero in '%'");
    eval_error("1 / -0", &pt, 12, "constraints[2]: division by zero in '/'");
    eval_error("1e308 * 10 - 1e308 * 10", &pt, 21,
               "constraints[2]: '-' gives a result that is not a number (NaN)");
    eval_error("0 * (1e308 * 10)", &pt, 12,
               "constraints[2]: '*' gives a result that is not a number (NaN)");
    pt.v[3] = NAN; /* glb.banks has no value */
    eval_error("batch + glb.banks", &pt, 18,
               "constraints[2]: 'glb.banks' has no value");
    eval_error("1 && glb.banks", &pt, 15,
               "constraints[2]: 'glb.banks' has no value");

    /* No lookup at all: a name has no value, a constant is fine. */
    struct sweep_expr *e = NULL;
    assert_int_equal(sweep_expr_parse("batch", "f", 1, 1, "c", names, NNAMES,
                                      &e, NULL),
                     0);
    double v;
    assert_int_equal(sweep_expr_eval(e, NULL, NULL, &v, NULL), PESIM_E_INVALID);
    sweep_expr_free(e);
    assert_int_equal(sweep_expr_parse("2 * 3", "f", 1, 1, "c", NULL, 0, &e, NULL),
                     0);
    assert_int_equal(sweep_expr_eval(e, NULL, NULL, &v, NULL), 0);
    assert_true(v == 6);
    sweep_expr_free(e);
    sweep_expr_free(NULL);
}

/* ---- fuzz ------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64*: fixed seed, same strings on every run */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void test_fuzz(void **state)
{
    (void)state;
    static const char *const toks[] = {
        "1", "0", "2.5", "1e3", ".5", "7", "pe_array.rows", "batch", "pes",
        "glb.banks", "foo", "min", "max", "(", "(", ")", ")", ",", "+", "-",
        "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!",
        " ", " ", "=", "&", "|", "1e", "..", ".", "$", "\n", "1e308", "x(",
        "\xff",
    };
    const size_t ntoks = sizeof toks / sizeof toks[0];
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    char buf[512];
    unsigned parsed = 0, evaluated = 0;
    struct point pt = default_point;
    pt.v[3] = 0; /* glb.banks = 0: divisions by it fail */
    for (int it = 0; it < 20000; it++) {
        size_t len = 0, n = rng_next(&seed) % 24;
        for (size_t k = 0; k < n; k++) {
            const char *t = toks[rng_next(&seed) % ntoks];
            size_t lt = strlen(t);
            memcpy(buf + len, t, lt);
            len += lt;
        }
        buf[len] = '\0';
        pesim_diags *d = pesim_diags_create();
        struct sweep_expr *e = NULL;
        int rc = sweep_expr_parse(buf, "fuzz.yaml", 1, 1, "constraints[0]",
                                  names, NNAMES, &e, d);
        assert_true(rc == 0 || rc == PESIM_E_INVALID);
        /* Every failure says why; success says nothing. */
        assert_true(rc == 0 ? pesim_diags_count(d) == 0
                            : pesim_diags_count(d) > 0);
        if (rc == 0) {
            parsed++;
            double v;
            struct sweep_expr_error err;
            int erc = sweep_expr_eval(e, lookup, &pt, &v, &err);
            assert_true(erc == 0 || erc == PESIM_E_INVALID);
            if (erc == 0) {
                evaluated++;
                assert_false(isnan(v));
            } else {
                assert_true(strncmp(err.msg, "constraints[0]: ", 16) == 0);
            }
        }
        sweep_expr_free(e);
        pesim_diags_destroy(d);
    }
    /* The generator is not all noise: some inputs are valid. */
    assert_true(parsed > 100);
    assert_true(evaluated > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_short_circuit),
        cmocka_unit_test(test_golden_errors),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_name_list),
        cmocka_unit_test(test_eval_errors),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
