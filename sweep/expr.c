/* Constraint expressions: a recursive-descent parser that emits postfix
 * code, and a stack machine that runs it.
 *
 * Why postfix and not a tree: a tree built from `a + b + c + ...` is as
 * deep as the text is long, so a recursive evaluator would need a depth
 * limit on every operator, not only on nesting. Postfix code runs in a
 * loop; its value stack holds only the left operands still waiting for
 * their right one, which the nesting limit bounds, so the stack is a
 * fixed-size local array and evaluation allocates nothing. `&&` and `||`
 * are conditional jumps, which gives short-circuiting for free. */
#include "sweep/expr.h"
#include "config/cfg.h"
#include "common/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pending left operands per nesting level are at most four (a comparison,
 * a sum, a product and min's first argument), so SWEEP_EXPR_MAX_DEPTH
 * levels need under 4 * 65 + 1 slots; the parser checks the exact need
 * against this anyway. */
#define STACK_SLOTS 512

/* Names longer than this are cut in messages (they are errors anyway). */
#define SHOWN_NAME 64

/* How many known names an unknown-name message lists. */
#define LISTED_NAMES 12

enum op_kind {
    OP_NUM,  /* push num */
    OP_NAME, /* push the value of pool + arg */
    OP_NEG,
    OP_NOT,
    OP_BOOL, /* top = top != 0 */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_MIN,
    OP_MAX,
    OP_AND, /* pop; if 0: push 0 and jump to arg */
    OP_OR,  /* pop; if not 0: push 1 and jump to arg */
};

struct op {
    enum op_kind kind;
    unsigned line, col; /* of the token, for evaluation errors */
    size_t arg;         /* OP_NAME: pool offset; OP_AND/OP_OR: target */
    double num;
};

struct sweep_expr {
    char *what;
    struct op *ops;
    size_t nops;
    char *pool; /* NUL-terminated names */
};

enum tok_kind {
    T_END,
    T_NUM,
    T_NAME,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_PERCENT,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_AND,
    T_OR,
    T_NOT,
    T_LP,
    T_RP,
    T_COMMA,
};

struct tok {
    enum tok_kind kind;
    size_t start, len; /* byte span in the text */
    unsigned line, col;
    double num;
};

struct parser {
    const char *text;
    const char *file;
    const char *what;
    const char *const *names;
    size_t nnames;
    pesim_diags *diags;

    size_t pos;         /* lexer position: just past tok */
    unsigned line, col; /* of text[pos] */
    struct tok tok;     /* current token */
    unsigned depth;
    bool unknown; /* an unknown name was reported; keep parsing */

    struct op *ops;
    size_t nops, cap;
    char *pool;
    size_t poollen, poolcap;
    size_t sp, sp_max; /* value-stack depth of the code so far */
};

static void report(struct parser *p, unsigned line, unsigned col,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void report(struct parser *p, unsigned line, unsigned col,
                   const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (void)pesim_diags_addc(p->diags, PESIM_DIAG_SWEEP_EXPR, p->file, line, col, "%s: %s",
                           p->what, msg);
}

/* ---- lexer ------------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void advance(struct parser *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p->text[p->pos] == '\n') {
            p->line++;
            p->col = 1;
        } else {
            p->col++;
        }
        p->pos++;
    }
}

/* Does span [s, s + n) match digits ('.' digits?)? | '.' digits, then an
 * optional exponent? strtod takes more (hex, inf, nan), so it checks only
 * spans that this accepted. */
static bool decimal(const char *s, size_t n)
{
    size_t i = 0, ints = 0, fracs = 0;
    while (i < n && is_digit(s[i]))
        i++, ints++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && is_digit(s[i]))
            i++, fracs++;
    }
    if (ints + fracs == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exps = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && is_digit(s[i]))
            i++, exps++;
        if (!exps)
            return false;
    }
    return i == n;
}

static int lex_number(struct parser *p)
{
    const char *s = p->text + p->pos;
    /* The whole run that looks like part of a number, so that `1e`,
     * `1..2` and `2x` are one bad number rather than a number followed by
     * something confusing. A sign belongs to it only after an exponent
     * letter (`1e-3`, while `1-3` is a subtraction). */
    size_t n = 0;
    for (;;) {
        char c = s[n];
        if (is_digit(c) || is_alpha(c) || c == '.')
            n++;
        else if ((c == '+' || c == '-') && (s[n - 1] == 'e' || s[n - 1] == 'E'))
            n++;
        else
            break;
    }
    p->tok.kind = T_NUM;
    p->tok.len = n;
    if (!decimal(s, n)) {
        report(p, p->tok.line, p->tok.col, "bad number '%.*s'",
               (int)(n < SHOWN_NAME ? n : SHOWN_NAME), s);
        return PESIM_E_INVALID;
    }
    char *end;
    double v = strtod(s, &end);
    if (end != s + n) {
        /* Only a locale whose decimal point is not '.' gets here. */
        report(p, p->tok.line, p->tok.col, "bad number '%.*s'",
               (int)(n < SHOWN_NAME ? n : SHOWN_NAME), s);
        return PESIM_E_INVALID;
    }
    if (isinf(v)) {
        report(p, p->tok.line, p->tok.col, "number '%.*s' is out of range",
               (int)(n < SHOWN_NAME ? n : SHOWN_NAME), s);
        return PESIM_E_INVALID;
    }
    p->tok.num = v;
    advance(p, n);
    return 0;
}

/* Read the next token into p->tok. */
static int next(struct parser *p)
{
    while (is_space(p->text[p->pos]))
        advance(p, 1);
    const char *s = p->text + p->pos;
    p->tok.start = p->pos;
    p->tok.line = p->line;
    p->tok.col = p->col;
    p->tok.num = 0;
    p->tok.len = 1;
    char c = s[0];
    if (is_digit(c) || (c == '.' && is_digit(s[1])))
        return lex_number(p);
    if (is_alpha(c)) {
        size_t n = 1;
        while (is_alpha(s[n]) || is_digit(s[n]) || s[n] == '.')
            n++;
        p->tok.kind = T_NAME;
        p->tok.len = n;
        advance(p, n);
        return 0;
    }
    size_t len = 1;
    switch (c) {
    case '\0':
        p->tok.kind = T_END;
        p->tok.len = 0;
        return 0;
    case '+': p->tok.kind = T_PLUS; break;
    case '-': p->tok.kind = T_MINUS; break;
    case '*': p->tok.kind = T_STAR; break;
    case '/': p->tok.kind = T_SLASH; break;
    case '%': p->tok.kind = T_PERCENT; break;
    case '(': p->tok.kind = T_LP; break;
    case ')': p->tok.kind = T_RP; break;
    case ',': p->tok.kind = T_COMMA; break;
    case '<':
        p->tok.kind = s[1] == '=' ? T_LE : T_LT;
        len = s[1] == '=' ? 2 : 1;
        break;
    case '>':
        p->tok.kind = s[1] == '=' ? T_GE : T_GT;
        len = s[1] == '=' ? 2 : 1;
        break;
    case '!':
        p->tok.kind = s[1] == '=' ? T_NE : T_NOT;
        len = s[1] == '=' ? 2 : 1;
        break;
    case '=':
    case '&':
    case '|':
        if (s[1] != c) {
            report(p, p->line, p->col, "got '%c', expected '%c%c'", c, c, c);
            return PESIM_E_INVALID;
        }
        p->tok.kind = c == '=' ? T_EQ : c == '&' ? T_AND : T_OR;
        len = 2;
        break;
    default:
        if (c > ' ' && c < 127)
            report(p, p->line, p->col, "unexpected character '%c'", c);
        else
            report(p, p->line, p->col, "unexpected byte 0x%02X",
                   (unsigned)(unsigned char)c);
        return PESIM_E_INVALID;
    }
    p->tok.len = len;
    advance(p, len);
    return 0;
}

/* ---- code ------------------------------------------------------------- */

static int emit(struct parser *p, enum op_kind kind, const struct tok *at,
                size_t arg, double num)
{
    if (p->nops == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        struct op *ops = realloc(p->ops, cap * sizeof *ops);
        if (!ops)
            return PESIM_E_NOMEM;
        p->ops = ops;
        p->cap = cap;
    }
    p->ops[p->nops++] = (struct op){
        .kind = kind, .line = at->line, .col = at->col, .arg = arg, .num = num};
    switch (kind) {
    case OP_NUM:
    case OP_NAME:
        if (++p->sp > p->sp_max)
            p->sp_max = p->sp;
        break;
    case OP_NEG:
    case OP_NOT:
    case OP_BOOL:
        break;
    default: /* binary operators, min, max, and the jumps' pop */
        p->sp--;
        break;
    }
    if (p->sp_max > STACK_SLOTS) {
        report(p, at->line, at->col, "expression too complex");
        return PESIM_E_INVALID;
    }
    return 0;
}

/* Copy a name into the pool; *off receives its offset. */
static int intern(struct parser *p, const char *s, size_t n, size_t *off)
{
    if (p->poolcap - p->poollen < n + 1) {
        size_t cap = p->poolcap ? p->poolcap : 64;
        while (cap - p->poollen < n + 1)
            cap *= 2;
        char *pool = realloc(p->pool, cap);
        if (!pool)
            return PESIM_E_NOMEM;
        p->pool = pool;
        p->poolcap = cap;
    }
    memcpy(p->pool + p->poollen, s, n);
    p->pool[p->poollen + n] = '\0';
    *off = p->poollen;
    p->poollen += n + 1;
    return 0;
}

/* ---- messages --------------------------------------------------------- */

/* "'x'" for a token, "the end of the expression" for the end. */
static const char *describe(const struct parser *p, const struct tok *t,
                            char *buf, size_t size)
{
    if (t->kind == T_END)
        return "the end of the expression";
    size_t n = t->len < SHOWN_NAME ? t->len : SHOWN_NAME;
    snprintf(buf, size, "'%.*s'", (int)n, p->text + t->start);
    return buf;
}

static int expected(struct parser *p, const char *what)
{
    char buf[SHOWN_NAME + 3];
    report(p, p->tok.line, p->tok.col, "got %s, expected %s",
           describe(p, &p->tok, buf, sizeof buf), what);
    return PESIM_E_INVALID;
}

static void append(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n < size - 1)
        snprintf(buf + n, size - n, "%s", s);
}

static void unknown_name(struct parser *p, const struct tok *t)
{
    const char *name = p->text + t->start;
    int shown = (int)(t->len < SHOWN_NAME ? t->len : SHOWN_NAME);
    if (p->nnames == 0) {
        report(p, t->line, t->col, "unknown name '%.*s' (no names are defined)",
               shown, name);
        return;
    }
    char list[768] = "";
    struct pesim_nearest near;
    pesim_nearest_start(&near, name, t->len);
    for (size_t i = 0; i < p->nnames; i++) {
        if (i < LISTED_NAMES) {
            if (i)
                append(list, sizeof list, ", ");
            append(list, sizeof list, p->names[i]);
        }
        pesim_nearest_offer(&near, p->names[i]);
    }
    if (p->nnames > LISTED_NAMES) {
        char more[48];
        snprintf(more, sizeof more, " and %zu more", p->nnames - LISTED_NAMES);
        append(list, sizeof list, more);
    }
    const char *best = pesim_nearest_best(&near);
    if (best)
        report(p, t->line, t->col,
               "unknown name '%.*s', expected one of %s (did you mean '%s'?)",
               shown, name, list, best);
    else
        report(p, t->line, t->col, "unknown name '%.*s', expected one of %s",
               shown, name, list);
}

/* ---- parser ----------------------------------------------------------- */

static int parse_or(struct parser *p);

static int enter(struct parser *p)
{
    if (++p->depth > SWEEP_EXPR_MAX_DEPTH) {
        report(p, p->tok.line, p->tok.col,
               "nested too deeply (more than %d levels of parentheses, "
               "unary operators and function calls)",
               SWEEP_EXPR_MAX_DEPTH);
        return PESIM_E_INVALID;
    }
    return 0;
}

/* After the inside of '(' (`open`): the ')' or an error. */
static int close_paren(struct parser *p, const struct tok *open)
{
    if (p->tok.kind == T_RP)
        return next(p);
    if (p->tok.kind == T_END) {
        char what[64];
        snprintf(what, sizeof what, "')' to close the '(' at %u:%u",
                 open->line, open->col);
        return expected(p, what);
    }
    return expected(p, "an operator or ')'");
}

static bool is_word(const struct parser *p, const struct tok *t,
                    const char *w)
{
    return t->len == strlen(w) && memcmp(p->text + t->start, w, t->len) == 0;
}

/* min(a, b) or max(a, b); p->tok is the '(' after the name `fn`. */
static int parse_call(struct parser *p, const struct tok *fn, bool is_min)
{
    const char *name = is_min ? "min" : "max";
    char what[64];
    struct tok open = p->tok;
    int rc = enter(p);
    if (!rc)
        rc = next(p);
    if (!rc)
        rc = parse_or(p);
    if (!rc && p->tok.kind != T_COMMA) {
        if (p->tok.kind == T_RP) {
            snprintf(what, sizeof what, "',' (%s takes two arguments)", name);
            rc = expected(p, what);
        } else {
            rc = expected(p, "an operator or ','");
        }
    }
    if (!rc)
        rc = next(p);
    if (!rc)
        rc = parse_or(p);
    if (!rc && p->tok.kind == T_COMMA) {
        snprintf(what, sizeof what, "')' (%s takes two arguments)", name);
        rc = expected(p, what);
    }
    if (!rc)
        rc = close_paren(p, &open);
    if (!rc)
        rc = emit(p, is_min ? OP_MIN : OP_MAX, fn, 0, 0);
    p->depth--;
    return rc;
}

static int parse_primary(struct parser *p)
{
    struct tok t = p->tok;
    int rc;
    switch (t.kind) {
    case T_NUM:
        rc = emit(p, OP_NUM, &t, 0, t.num);
        return rc ? rc : next(p);
    case T_LP:
        rc = enter(p);
        if (!rc)
            rc = next(p);
        if (!rc)
            rc = parse_or(p);
        if (!rc)
            rc = close_paren(p, &t);
        p->depth--;
        return rc;
    case T_NAME:
        break;
    default:
        return expected(p, "a number, a name or '('");
    }

    bool is_min = is_word(p, &t, "min"), is_max = is_word(p, &t, "max");
    /* Peek at the raw text for a call, so that an unknown name is reported
     * before any error in what follows it. */
    size_t i = p->pos;
    while (is_space(p->text[i]))
        i++;
    if (p->text[i] == '(') {
        if (!is_min && !is_max) {
            report(p, t.line, t.col,
                   "unknown function '%.*s', expected min or max",
                   (int)(t.len < SHOWN_NAME ? t.len : SHOWN_NAME),
                   p->text + t.start);
            return PESIM_E_INVALID;
        }
        rc = next(p);
        return rc ? rc : parse_call(p, &t, is_min);
    }
    rc = next(p);
    if (rc)
        return rc;
    if (is_min || is_max)
        return expected(p, is_min ? "'(' after 'min'" : "'(' after 'max'");

    size_t k = 0;
    while (k < p->nnames && !(strlen(p->names[k]) == t.len &&
                              memcmp(p->names[k], p->text + t.start, t.len) == 0))
        k++;
    if (k == p->nnames) {
        unknown_name(p, &t);
        p->unknown = true;
    }
    size_t off;
    rc = intern(p, p->text + t.start, t.len, &off);
    return rc ? rc : emit(p, OP_NAME, &t, off, 0);
}

static int parse_unary(struct parser *p)
{
    struct tok t = p->tok;
    if (t.kind != T_MINUS && t.kind != T_NOT)
        return parse_primary(p);
    int rc = enter(p);
    if (!rc)
        rc = next(p);
    if (!rc)
        rc = parse_unary(p);
    if (!rc)
        rc = emit(p, t.kind == T_MINUS ? OP_NEG : OP_NOT, &t, 0, 0);
    p->depth--;
    return rc;
}

static int parse_prod(struct parser *p)
{
    int rc = parse_unary(p);
    while (!rc && (p->tok.kind == T_STAR || p->tok.kind == T_SLASH ||
                   p->tok.kind == T_PERCENT)) {
        struct tok t = p->tok;
        rc = next(p);
        if (!rc)
            rc = parse_unary(p);
        if (!rc)
            rc = emit(p, t.kind == T_STAR ? OP_MUL : t.kind == T_SLASH ? OP_DIV : OP_MOD,
                      &t, 0, 0);
    }
    return rc;
}

static int parse_sum(struct parser *p)
{
    int rc = parse_prod(p);
    while (!rc && (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS)) {
        struct tok t = p->tok;
        rc = next(p);
        if (!rc)
            rc = parse_prod(p);
        if (!rc)
            rc = emit(p, t.kind == T_PLUS ? OP_ADD : OP_SUB, &t, 0, 0);
    }
    return rc;
}

static bool is_cmp(enum tok_kind k)
{
    return k == T_EQ || k == T_NE || k == T_LT || k == T_LE || k == T_GT ||
           k == T_GE;
}

static int parse_cmp(struct parser *p)
{
    int rc = parse_sum(p);
    if (rc || !is_cmp(p->tok.kind))
        return rc;
    struct tok t = p->tok;
    rc = next(p);
    if (!rc)
        rc = parse_sum(p);
    if (!rc) {
        static const enum op_kind kinds[] = {
            [T_EQ] = OP_EQ, [T_NE] = OP_NE, [T_LT] = OP_LT,
            [T_LE] = OP_LE, [T_GT] = OP_GT, [T_GE] = OP_GE,
        };
        rc = emit(p, kinds[t.kind], &t, 0, 0);
    }
    if (!rc && is_cmp(p->tok.kind))
        rc = expected(p, "'&&' or '||' (comparisons do not chain)");
    return rc;
}

/* left ('&&' right)* or left ('||' right)*, as conditional jumps: the
 * jump's target is patched once the right side is emitted. */
static int parse_logic(struct parser *p, enum tok_kind tk, enum op_kind ok,
                       int (*operand)(struct parser *))
{
    int rc = operand(p);
    while (!rc && p->tok.kind == tk) {
        struct tok t = p->tok;
        size_t jump = p->nops;
        rc = emit(p, ok, &t, 0, 0);
        if (!rc)
            rc = next(p);
        if (!rc)
            rc = operand(p);
        if (!rc)
            rc = emit(p, OP_BOOL, &t, 0, 0);
        if (!rc)
            p->ops[jump].arg = p->nops;
    }
    return rc;
}

static int parse_and(struct parser *p)
{
    return parse_logic(p, T_AND, OP_AND, parse_cmp);
}

static int parse_or(struct parser *p)
{
    return parse_logic(p, T_OR, OP_OR, parse_and);
}

int sweep_expr_parse(const char *text, const char *file, unsigned line,
                     unsigned col, const char *what,
                     const char *const *names, size_t nnames,
                     struct sweep_expr **out, pesim_diags *diags)
{
    *out = NULL;
    struct parser p = {
        .text = text ? text : "",
        .file = file,
        .what = what ? what : "expression",
        .names = names,
        .nnames = names ? nnames : 0,
        .diags = diags,
        .line = line ? line : 1,
        .col = col ? col : 1,
    };
    int rc = next(&p);
    if (!rc && p.tok.kind == T_END) {
        report(&p, line, col, "empty expression");
        rc = PESIM_E_INVALID;
    }
    if (!rc)
        rc = parse_or(&p);
    if (!rc && p.tok.kind != T_END)
        rc = p.tok.kind == T_RP ? expected(&p, "an operator or the end of the "
                                               "expression (no '(' to close)")
                                : expected(&p, "an operator or the end of the "
                                               "expression");
    if (!rc && p.unknown)
        rc = PESIM_E_INVALID;

    struct sweep_expr *e = NULL;
    if (!rc) {
        e = calloc(1, sizeof *e);
        size_t n = strlen(p.what) + 1;
        char *w = e ? malloc(n) : NULL;
        if (!w) {
            free(e);
            e = NULL;
            rc = PESIM_E_NOMEM;
        } else {
            memcpy(w, p.what, n);
            e->what = w;
            e->ops = p.ops;
            e->nops = p.nops;
            e->pool = p.pool;
            p.ops = NULL;
            p.pool = NULL;
        }
    }
    free(p.ops);
    free(p.pool);
    *out = e;
    return rc;
}

/* ---- evaluation ------------------------------------------------------- */

static const char *op_text(enum op_kind k)
{
    switch (k) {
    case OP_NEG: return "-";
    case OP_NOT: return "!";
    case OP_ADD: return "+";
    case OP_SUB: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_MIN: return "min";
    case OP_MAX: return "max";
    default: return "?"; /* no other op can give NaN from non-NaN */
    }
}

static int fail(const struct sweep_expr *e, const struct op *o,
                struct sweep_expr_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(const struct sweep_expr *e, const struct op *o,
                struct sweep_expr_error *err, const char *fmt, ...)
{
    if (err) {
        err->line = o->line;
        err->col = o->col;
        int n = snprintf(err->msg, sizeof err->msg, "%s: ", e->what);
        if (n >= 0 && (size_t)n < sizeof err->msg) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return PESIM_E_INVALID;
}

int sweep_expr_eval(const struct sweep_expr *e, sweep_expr_lookup_fn lookup,
                    void *ctx, double *out, struct sweep_expr_error *err)
{
    double st[STACK_SLOTS];
    size_t sp = 0, pc = 0;
    while (pc < e->nops) {
        const struct op *o = &e->ops[pc++];
        double a, b, r;
        switch (o->kind) {
        case OP_NUM:
            st[sp++] = o->num;
            continue;
        case OP_NAME: {
            const char *name = e->pool + o->arg;
            double v = 0;
            if (!lookup || lookup(name, ctx, &v) != 0)
                return fail(e, o, err, "'%.*s' has no value", SHOWN_NAME, name);
            if (isnan(v))
                return fail(e, o, err, "'%.*s' is not a number (NaN)",
                            SHOWN_NAME, name);
            st[sp++] = v;
            continue;
        }
        case OP_NEG:
            st[sp - 1] = -st[sp - 1];
            continue;
        case OP_NOT:
            st[sp - 1] = st[sp - 1] == 0;
            continue;
        case OP_BOOL:
            st[sp - 1] = st[sp - 1] != 0;
            continue;
        case OP_AND:
        case OP_OR: {
            bool v = st[--sp] != 0;
            if (v == (o->kind == OP_OR)) {
                st[sp++] = v;
                pc = o->arg;
            }
            continue;
        }
        default:
            break;
        }
        b = st[--sp];
        a = st[sp - 1];
        switch (o->kind) {
        case OP_ADD: r = a + b; break;
        case OP_SUB: r = a - b; break;
        case OP_MUL: r = a * b; break;
        case OP_DIV:
        case OP_MOD:
            if (b == 0)
                return fail(e, o, err, "division by zero in '%s'", op_text(o->kind));
            r = o->kind == OP_DIV ? a / b : fmod(a, b);
            break;
        case OP_EQ: r = a == b; break;
        case OP_NE: r = a != b; break;
        case OP_LT: r = a < b; break;
        case OP_LE: r = a <= b; break;
        case OP_GT: r = a > b; break;
        case OP_GE: r = a >= b; break;
        case OP_MIN: r = b < a ? b : a; break;
        case OP_MAX: r = b > a ? b : a; break;
        default: r = NAN; break; /* unreachable: every kind is above */
        }
        /* Operands are never NaN (checked where they are made), so a NaN
         * here is this operation's own: inf - inf, 0 * inf, inf / inf. */
        if (isnan(r))
            return fail(e, o, err, "'%s' gives a result that is not a number (NaN)",
                        op_text(o->kind));
        st[sp - 1] = r;
    }
    *out = st[0];
    return 0;
}

void sweep_expr_free(struct sweep_expr *e)
{
    if (!e)
        return;
    free(e->what);
    free(e->ops);
    free(e->pool);
    free(e);
}
