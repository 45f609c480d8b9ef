/* Schema-driven YAML configuration: walker, value parsers, --set, docs.
 * See config/cfg.h for the model. Errors are collected, never fatal, and
 * sorted into file order at the end, so that a user sees every problem of a
 * file at once and in the order they appear. */
#include "config/cfg.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/text.h"
#include "pesim/types.h"

#define MAX_KEYS 64   /* per section; the tables are far smaller */
#define PATH_MAX_LEN 256

struct cfg_err {
    unsigned line, col;
    size_t seq;
    char *msg;
    enum pesim_diag_code code;
};

struct cfg_rec {
    char *path;
    unsigned line, col;
};

void pesim_cfg_init(struct cfg_ctx *ctx, const char *file)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->file = file;
}

bool pesim_cfg_failed(const struct cfg_ctx *ctx)
{
    return ctx->nerrs > 0 || ctx->nomem;
}

static int err_cmp(const void *a, const void *b)
{
    const struct cfg_err *x = a, *y = b;
    /* Errors without a position go last; ties keep report order. */
    unsigned xl = x->line ? x->line : ~0u, yl = y->line ? y->line : ~0u;
    if (xl != yl)
        return xl < yl ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int pesim_cfg_finish(struct cfg_ctx *ctx, pesim_diags *diags)
{
    int rc = 0;
    if (ctx->nerrs)
        qsort(ctx->errs, ctx->nerrs, sizeof *ctx->errs, err_cmp);
    for (size_t i = 0; i < ctx->nerrs; i++) {
        if (pesim_diags_addc(diags, ctx->errs[i].code, ctx->file, ctx->errs[i].line,
                             ctx->errs[i].col, "%s", ctx->errs[i].msg))
            rc = PESIM_E_NOMEM;
        free(ctx->errs[i].msg);
    }
    for (size_t i = 0; i < ctx->nrecs; i++)
        free(ctx->recs[i].path);
    free(ctx->errs);
    free(ctx->recs);
    free(ctx->index);
    if (ctx->nomem)
        rc = PESIM_E_NOMEM;
    else if (!rc && ctx->nerrs)
        rc = PESIM_E_INVALID;
    ctx->errs = NULL;
    ctx->recs = NULL;
    ctx->index = NULL;
    ctx->nerrs = ctx->nrecs = ctx->caperrs = ctx->caprecs = ctx->capindex = 0;
    return rc;
}

static void node_pos(const struct cfg_ctx *ctx, const yaml_node_t *node,
                     unsigned *line, unsigned *col)
{
    *line = *col = 0;
    if (!node)
        return;
    *line = (unsigned)node->start_mark.line + 1;
    *col = (unsigned)node->start_mark.column + 1 + ctx->col_offset;
}

static void add_err(struct cfg_ctx *ctx, enum pesim_diag_code code, unsigned line,
                    unsigned col, const char *path, const char *fmt, va_list ap)
{
    if (ctx->nerrs == ctx->caperrs) {
        size_t cap = ctx->caperrs ? ctx->caperrs * 2 : 8;
        struct cfg_err *e = realloc(ctx->errs, cap * sizeof *e);
        if (!e) {
            ctx->nomem = true;
            return;
        }
        ctx->errs = e;
        ctx->caperrs = cap;
    }
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    size_t plen = path && *path ? strlen(path) + 2 : 0;
    char *msg = malloc(plen + (n > 0 ? (size_t)n : 0) + 1);
    if (!msg) {
        ctx->nomem = true;
        return;
    }
    if (plen)
        snprintf(msg, plen + 1, "%s: ", path);
    vsnprintf(msg + plen, (n > 0 ? (size_t)n : 0) + 1, fmt, ap);
    ctx->errs[ctx->nerrs] = (struct cfg_err){line, col, ctx->nerrs, msg, code};
    ctx->nerrs++;
}

void pesim_cfg_errorc(struct cfg_ctx *ctx, enum pesim_diag_code code, const yaml_node_t *node,
                      const char *path, const char *fmt, ...)
{
    unsigned line, col;
    node_pos(ctx, node, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    add_err(ctx, code, line, col, path, fmt, ap);
    va_end(ap);
}

void pesim_cfg_error(struct cfg_ctx *ctx, const yaml_node_t *node,
                     const char *path, const char *fmt, ...)
{
    unsigned line, col;
    node_pos(ctx, node, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    add_err(ctx, PESIM_DIAG_CFG_VALUE, line, col, path, fmt, ap);
    va_end(ap);
}

/* The slot of `path` in the index: where it is, or the empty slot where it
 * would go. A workload of 20,000 layers records 300,000 keys, and every
 * key's position is looked up: a list search made loading quadratic. */
static size_t *slot_of(const struct cfg_ctx *ctx, const char *path)
{
    size_t mask = ctx->capindex - 1;
    size_t i = (size_t)pesim_fnv1a(path, strlen(path), PESIM_FNV_INIT) & mask;
    while (ctx->index[i] && strcmp(ctx->recs[ctx->index[i] - 1].path, path) != 0)
        i = (i + 1) & mask;
    return &ctx->index[i];
}

static bool index_grow(struct cfg_ctx *ctx)
{
    size_t cap = ctx->capindex ? ctx->capindex * 2 : 64;
    size_t *old = ctx->index, oldcap = ctx->capindex;
    if (!(ctx->index = calloc(cap, sizeof *ctx->index))) {
        ctx->index = old;
        return false;
    }
    ctx->capindex = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i])
            *slot_of(ctx, ctx->recs[old[i] - 1].path) = old[i];
    free(old);
    return true;
}

static void record(struct cfg_ctx *ctx, const char *path, unsigned line,
                   unsigned col)
{
    if (ctx->nrecs == ctx->caprecs) {
        size_t cap = ctx->caprecs ? ctx->caprecs * 2 : 32;
        struct cfg_rec *r = realloc(ctx->recs, cap * sizeof *r);
        if (!r) {
            ctx->nomem = true;
            return;
        }
        ctx->recs = r;
        ctx->caprecs = cap;
    }
    if (2 * (ctx->nrecs + 1) > ctx->capindex && !index_grow(ctx)) {
        ctx->nomem = true;
        return;
    }
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p) {
        ctx->nomem = true;
        return;
    }
    memcpy(p, path, n + 1);
    ctx->recs[ctx->nrecs++] = (struct cfg_rec){p, line, col};
    /* Latest wins: a --set replaces what the file said. */
    *slot_of(ctx, p) = ctx->nrecs;
}

static void record_node(struct cfg_ctx *ctx, const char *path,
                        const yaml_node_t *node)
{
    unsigned line, col;
    node_pos(ctx, node, &line, &col);
    record(ctx, path, line, col);
}

static const struct cfg_rec *find_rec(const struct cfg_ctx *ctx,
                                      const char *path)
{
    if (!ctx->capindex)
        return NULL;
    size_t i = *slot_of(ctx, path);
    return i ? &ctx->recs[i - 1] : NULL;
}

void pesim_cfg_join(char *buf, size_t size, const char *secpath,
                    const char *key)
{
    if (!key || !*key)
        snprintf(buf, size, "%s", secpath ? secpath : "");
    else if (secpath && *secpath)
        snprintf(buf, size, "%s.%s", secpath, key);
    else
        snprintf(buf, size, "%s", key);
}

bool pesim_cfg_given(const struct cfg_ctx *ctx, const char *secpath,
                     const char *key)
{
    char full[PATH_MAX_LEN];
    pesim_cfg_join(full, sizeof full, secpath, key);
    return find_rec(ctx, full) != NULL;
}

bool pesim_cfg_defaulted(const struct cfg_ctx *ctx, const char *secpath, const char *key,
                         bool was)
{
    if (pesim_cfg_given(ctx, secpath, key))
        return false;
    if (ctx->loading)
        return true;
    /* A --set records the root ("") too: only a named section counts. */
    char probe[PATH_MAX_LEN];
    snprintf(probe, sizeof probe, "%s", secpath ? secpath : "");
    while (*probe) {
        if (find_rec(ctx, probe))
            return true;
        char *dot = strrchr(probe, '.');
        if (dot)
            *dot = '\0';
        else
            probe[0] = '\0';
    }
    return was;
}

static void error_key(struct cfg_ctx *ctx, enum pesim_diag_code code, const char *secpath,
                      const char *key, const char *fmt, va_list ap)
{
    char full[PATH_MAX_LEN];
    pesim_cfg_join(full, sizeof full, secpath, key);
    /* The key's own position, else the nearest enclosing one given. */
    char probe[PATH_MAX_LEN];
    snprintf(probe, sizeof probe, "%s", full);
    const struct cfg_rec *r = NULL;
    for (;;) {
        r = find_rec(ctx, probe);
        if (r || !*probe)
            break;
        char *dot = strrchr(probe, '.');
        char *br = strrchr(probe, '[');
        char *cut = dot > br ? dot : br;
        if (cut)
            *cut = '\0';
        else
            probe[0] = '\0';
    }
    add_err(ctx, code, r ? r->line : 0, r ? r->col : 0, full, fmt, ap);
}

void pesim_cfg_error_key(struct cfg_ctx *ctx, const char *secpath,
                         const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_key(ctx, PESIM_DIAG_CFG_VALUE, secpath, key, fmt, ap);
    va_end(ap);
}

void pesim_cfg_error_keyc(struct cfg_ctx *ctx, enum pesim_diag_code code, const char *secpath,
                          const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_key(ctx, code, secpath, key, fmt, ap);
    va_end(ap);
}

/* Read a whole file; NULL when it cannot be read (tests and tools: the
 * library reads through pesim_file_read, which notes its inputs). */
char *pesim_cfg_read_file(const char *path, size_t *len)
{
    char *text = NULL;
    return pesim_file_read(path, NULL, &text, len, NULL) ? NULL : text;
}

/* ---- parsing ---------------------------------------------------------- */

int pesim_cfg_parse(struct cfg_ctx *ctx, const char *text, size_t len,
                    yaml_document_t *doc)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        ctx->nomem = true;
        return PESIM_E_NOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = 0;
    struct pesim_yaml_problem bound;
    int b = pesim_yaml_check(text, len, &bound);
    if (b) {
        yaml_node_t fake;
        memset(&fake, 0, sizeof fake);
        fake.start_mark.line = bound.line - 1;
        fake.start_mark.column = bound.col - 1;
        if (b == PESIM_E_NOMEM)
            ctx->nomem = true;
        else
            pesim_cfg_errorc(ctx, PESIM_DIAG_YAML_LIMIT, &fake, "", "%s", bound.msg);
        rc = b;
    } else if (!yaml_parser_load(&parser, doc)) {
        unsigned line = (unsigned)parser.problem_mark.line + 1;
        unsigned col = (unsigned)parser.problem_mark.column + 1 +
                       ctx->col_offset;
        const char *problem = parser.problem ? parser.problem : "error";
        /* --set values are one line; libyaml puts end-of-input problems
         * on the next line: point just past the value instead. */
        if (ctx->in_set && line > 1) {
            line = 1;
            col = ctx->col_offset + (unsigned)len + 1;
        }
        char msg[256];
        if (parser.context)
            snprintf(msg, sizeof msg, "YAML syntax: %s %s, expected valid YAML",
                     problem, parser.context);
        else
            snprintf(msg, sizeof msg, "YAML syntax: %s, expected valid YAML",
                     problem);
        /* Reader errors (bad encoding) carry only a byte offset. */
        if (parser.error == YAML_READER_ERROR) {
            line = 1;
            col = 1 + ctx->col_offset;
            for (size_t i = 0; i < parser.problem_offset && i < len; i++) {
                if (text[i] == '\n') {
                    line++;
                    col = 1 + ctx->col_offset;
                } else {
                    col++;
                }
            }
        }
        unsigned save = ctx->col_offset;
        ctx->col_offset = 0;
        yaml_node_t fake;
        memset(&fake, 0, sizeof fake);
        fake.start_mark.line = line ? line - 1 : 0;
        fake.start_mark.column = col ? col - 1 : 0;
        pesim_cfg_errorc(ctx, PESIM_DIAG_YAML_SYNTAX, line ? &fake : NULL, "", "%s", msg);
        ctx->col_offset = save;
        rc = PESIM_E_INVALID;
    } else if (!yaml_document_get_root_node(doc)) {
        yaml_document_delete(doc);
        yaml_node_t fake;
        memset(&fake, 0, sizeof fake);
        pesim_cfg_errorc(ctx, PESIM_DIAG_YAML_EMPTY, &fake, "",
                         "got an empty document, expected a mapping");
        rc = PESIM_E_INVALID;
    }
    yaml_parser_delete(&parser);
    return rc;
}

const char *pesim_cfg_scalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE
               ? (const char *)node->data.scalar.value
               : NULL;
}

const char *pesim_cfg_kind_name(const yaml_node_t *node)
{
    if (!node)
        return "nothing";
    switch (node->type) {
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "a scalar";
    }
}

static bool looks_numeric(const char *s)
{
    if (!*s)
        return false;
    char *end;
    (void)strtod(s, &end);
    return *end == '\0';
}

/* What the user wrote, for "got ..." (numbers bare, text quoted). */
static void describe(const yaml_node_t *node, char *buf, size_t size)
{
    const char *s = pesim_cfg_scalar(node);
    if (!s) {
        snprintf(buf, size, "%s", pesim_cfg_kind_name(node));
        return;
    }
    if (!*s && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        snprintf(buf, size, "nothing");
    else if (looks_numeric(s))
        snprintf(buf, size, "%.60s", s);
    else
        snprintf(buf, size, "'%.60s%s'", s, strlen(s) > 60 ? "..." : "");
}

static void append(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n < size)
        snprintf(buf + n, size - n, "%s", s);
}


void pesim_cfg_expected(const struct cfg_key *key, char *buf, size_t size)
{
    buf[0] = '\0';
    switch (key->type) {
    case CFG_U32:
    case CFG_U64:
        snprintf(buf, size, "an integer in [%llu, %llu]",
                 (unsigned long long)key->umin, (unsigned long long)key->umax);
        break;
    case CFG_DOUBLE:
        snprintf(buf, size, "a number in [%g, %g]", key->dmin, key->dmax);
        break;
    case CFG_BOOL:
        snprintf(buf, size, "true or false");
        break;
    case CFG_STRING:
        snprintf(buf, size, "a string of 1 to %llu characters",
                 (unsigned long long)key->umax);
        break;
    case CFG_ENUM:
        snprintf(buf, size, "one of ");
        for (size_t i = 0; key->names[i]; i++) {
            if (i)
                append(buf, size, ", ");
            append(buf, size, key->names[i]);
        }
        break;
    case CFG_DS_LIST:
        snprintf(buf, size, "a list of data spaces (weights, inputs, outputs)");
        break;
    case CFG_SECTION:
        snprintf(buf, size, "a mapping");
        break;
    case CFG_CUSTOM:
        snprintf(buf, size, "%s", key->type_doc);
        break;
    }
}

static int bad_value(struct cfg_ctx *ctx, enum pesim_diag_code code, const struct cfg_key *key,
                     yaml_node_t *node, const char *path, const char *extra)
{
    char got[96], exp[512];
    describe(node, got, sizeof got);
    pesim_cfg_expected(key, exp, sizeof exp);
    pesim_cfg_errorc(ctx, code, node, path, "got %s%s, expected %s", got, extra, exp);
    return PESIM_E_INVALID;
}

/* Strict decimal: digits only; *overflow when it does not fit 64 bits. */
static bool parse_decimal(const char *s, uint64_t *out, bool *overflow)
{
    *overflow = false;
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            *overflow = true;
        else
            v = v * 10 + d;
    }
    *out = v;
    return true;
}

int pesim_cfg_u64(struct cfg_ctx *ctx, yaml_node_t *node, const char *path,
                  uint64_t min, uint64_t max, const char *expected,
                  uint64_t *out)
{
    const char *s = pesim_cfg_scalar(node);
    uint64_t v = 0;
    bool overflow = false;
    char got[96];
    describe(node, got, sizeof got);
    if (!s || !parse_decimal(s, &v, &overflow)) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, node, path, "got %s, expected %s", got,
                         expected);
        return PESIM_E_INVALID;
    }
    if (overflow) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_RANGE, node, path,
                         "got %s, which overflows 64 bits, expected %s", got, expected);
        return PESIM_E_INVALID;
    }
    if (v < min || v > max) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_RANGE, node, path, "got %s, expected %s", got,
                         expected);
        return PESIM_E_INVALID;
    }
    *out = v;
    return 0;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const t[] = {"true", "True", "TRUE"};
    static const char *const f[] = {"false", "False", "FALSE"};
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(s, t[i]) == 0)
            return *out = true, true;
        if (strcmp(s, f[i]) == 0)
            return *out = false, true;
    }
    return false;
}

static int parse_ds_list(struct cfg_ctx *ctx, const struct cfg_key *key,
                         yaml_document_t *doc, yaml_node_t *node,
                         const char *path, bool *out)
{
    if (!node || node->type != YAML_SEQUENCE_NODE)
        return bad_value(ctx, PESIM_DIAG_CFG_TYPE, key, node, path, "");
    bool seen[PESIM_DS_COUNT] = {false};
    int rc = 0;
    size_t i = 0;
    for (yaml_node_item_t *it = node->data.sequence.items.start;
         it < node->data.sequence.items.top; it++, i++) {
        yaml_node_t *item = yaml_document_get_node(doc, *it);
        const char *s = pesim_cfg_scalar(item);
        char ipath[PATH_MAX_LEN];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        enum pesim_ds ds;
        if (!s || pesim_ds_parse(s, &ds)) {
            char got[96];
            describe(item, got, sizeof got);
            pesim_cfg_errorc(ctx, s ? PESIM_DIAG_CFG_ENUM : PESIM_DIAG_CFG_TYPE, item, ipath,
                             "got %s, expected one of weights, inputs, outputs", got);
            rc = PESIM_E_INVALID;
            continue;
        }
        if (seen[ds]) {
            pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_DUPLICATE, item, ipath,
                             "got '%s' twice, expected each data space once", s);
            rc = PESIM_E_INVALID;
        }
        seen[ds] = true;
    }
    if (!rc)
        memcpy(out, seen, sizeof seen);
    return rc;
}

int pesim_cfg_value(struct cfg_ctx *ctx, const struct cfg_key *key,
                    yaml_node_t *node, const char *path, void *obj)
{
    void *field = (char *)obj + key->offset;
    const char *s = pesim_cfg_scalar(node);
    char got[96], exp[256];
    switch (key->type) {
    case CFG_U32:
    case CFG_U64: {
        uint64_t v;
        pesim_cfg_expected(key, exp, sizeof exp);
        if (pesim_cfg_u64(ctx, node, path, key->umin, key->umax, exp, &v))
            return PESIM_E_INVALID;
        if (key->type == CFG_U32)
            *(uint32_t *)field = (uint32_t)v;
        else
            *(uint64_t *)field = v;
        return 0;
    }
    case CFG_DOUBLE: {
        char *end;
        if (!s || !*s)
            return bad_value(ctx, PESIM_DIAG_CFG_TYPE, key, node, path, "");
        double v = strtod(s, &end);
        if (*end)
            return bad_value(ctx, PESIM_DIAG_CFG_TYPE, key, node, path, "");
        if (!isfinite(v) || v < key->dmin || v > key->dmax)
            return bad_value(ctx, PESIM_DIAG_CFG_RANGE, key, node, path, "");
        *(double *)field = v;
        return 0;
    }
    case CFG_BOOL: {
        bool v;
        if (!s || !parse_bool(s, &v))
            return bad_value(ctx, PESIM_DIAG_CFG_TYPE, key, node, path, "");
        *(bool *)field = v;
        return 0;
    }
    case CFG_STRING: {
        size_t n = s ? strlen(s) : 0;
        if (!s || n == 0 || n > key->umax)
            return bad_value(ctx, s ? PESIM_DIAG_CFG_RANGE : PESIM_DIAG_CFG_TYPE, key, node,
                             path, "");
        /* The scalar's own length: a "\0" escape would cut it at strlen. */
        size_t off;
        char why[96];
        if (pesim_name_check(s, node->data.scalar.length, &off, why, sizeof why)) {
            pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_VALUE, node, path, "got %s, expected %s", why,
                             PESIM_NAME_EXPECTED);
            return PESIM_E_INVALID;
        }
        memcpy(field, s, n + 1);
        return 0;
    }
    case CFG_ENUM:
        for (int i = 0; s && key->names[i]; i++)
            if (strcmp(s, key->names[i]) == 0) {
                *(int *)field = i;
                return 0;
            }
        return bad_value(ctx, s ? PESIM_DIAG_CFG_ENUM : PESIM_DIAG_CFG_TYPE, key, node, path,
                         "");
    case CFG_DS_LIST:
        return parse_ds_list(ctx, key, ctx->doc, node, path, field);
    case CFG_SECTION: {
        size_t before = ctx->nerrs;
        pesim_cfg_walk(ctx, key->sub, field, node, path);
        return ctx->nerrs > before ? PESIM_E_INVALID : 0;
    }
    case CFG_CUSTOM:
        return key->parse(ctx, key, node, path, obj);
    }
    describe(node, got, sizeof got);
    return PESIM_E_INVALID;
}

static const struct cfg_key *find_key(const struct cfg_section *sec,
                                      const char *name)
{
    for (size_t i = 0; i < sec->nkeys; i++)
        if (strcmp(sec->keys[i].name, name) == 0)
            return &sec->keys[i];
    return NULL;
}

static void unknown_key(struct cfg_ctx *ctx, const struct cfg_section *sec,
                        const yaml_node_t *at, const char *path,
                        const char *name)
{
    char list[512] = "";
    struct pesim_nearest near;
    pesim_nearest_start(&near, name, strlen(name));
    for (size_t i = 0; i < sec->nkeys; i++) {
        if (i)
            append(list, sizeof list, ", ");
        append(list, sizeof list, sec->keys[i].name);
        pesim_nearest_offer(&near, sec->keys[i].name);
    }
    const char *best = pesim_nearest_best(&near);
    if (best)
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_UNKNOWN_KEY, at, path,
                         "unknown key, expected one of %s; did you mean '%s'?", list, best);
    else
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_UNKNOWN_KEY, at, path,
                         "unknown key, expected one of %s", list);
}

static void apply_default(const struct cfg_key *key, void *obj)
{
    struct cfg_ctx tmp;
    yaml_document_t doc;
    pesim_cfg_init(&tmp, "default");
    if (pesim_cfg_parse(&tmp, key->def, strlen(key->def), &doc) == 0) {
        tmp.doc = &doc;
        (void)pesim_cfg_value(&tmp, key, yaml_document_get_root_node(&doc), "",
                              obj);
        yaml_document_delete(&doc);
    }
    /* A default that does not parse is a bug in a table; the schema test
     * loads every default, so it cannot ship. */
    (void)pesim_cfg_finish(&tmp, NULL);
}

/* Optional keys without a default start as zero, so that replacing a whole
 * section (--set a.b={...}) forgets what the file had said. */
static void clear_field(const struct cfg_key *k, void *obj)
{
    void *f = (char *)obj + k->offset;
    switch (k->type) {
    case CFG_U32:
        memset(f, 0, sizeof(uint32_t));
        break;
    case CFG_U64:
        memset(f, 0, sizeof(uint64_t));
        break;
    case CFG_DOUBLE:
        *(double *)f = 0;
        break;
    case CFG_BOOL:
        *(bool *)f = false;
        break;
    case CFG_STRING:
        memset(f, 0, (size_t)k->umax + 1);
        break;
    case CFG_ENUM:
        *(int *)f = 0;
        break;
    case CFG_DS_LIST:
        memset(f, 0, PESIM_DS_COUNT * sizeof(bool));
        break;
    case CFG_SECTION:
    case CFG_CUSTOM:
        break; /* custom fields are cleared by their owner */
    }
}

void pesim_cfg_defaults(const struct cfg_section *sec, void *obj)
{
    for (size_t i = 0; i < sec->nkeys; i++) {
        const struct cfg_key *k = &sec->keys[i];
        if (k->type == CFG_SECTION)
            pesim_cfg_defaults(k->sub, (char *)obj + k->offset);
        else if (k->def)
            apply_default(k, obj);
        else if (k->flags & CFG_F_OPTIONAL)
            clear_field(k, obj);
    }
}

/* A section must be given when flagged so or when it has a required key;
 * otherwise its defaults stand in for it. */
static bool section_required(const struct cfg_key *k)
{
    if (k->flags & CFG_F_REQUIRED)
        return true;
    for (size_t j = 0; j < k->sub->nkeys; j++) {
        const struct cfg_key *s = &k->sub->keys[j];
        if (s->def || (s->flags & CFG_F_OPTIONAL))
            continue;
        if (s->type != CFG_SECTION || section_required(s))
            return true;
    }
    return false;
}

void pesim_cfg_walk(struct cfg_ctx *ctx, const struct cfg_section *sec,
                    void *obj, yaml_node_t *node, const char *path)
{
    if (!node || node->type != YAML_MAPPING_NODE) {
        char got[96];
        describe(node, got, sizeof got);
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, node, path, "got %s, expected a mapping", got);
        return;
    }
    record_node(ctx, path, node);
    assert(sec->nkeys <= MAX_KEYS);
    const yaml_node_t *given[MAX_KEYS] = {NULL};
    yaml_document_t *doc = ctx->doc;
    size_t errs_before = ctx->nerrs;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
         p < node->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(doc, p->value);
        const char *name = pesim_cfg_scalar(kn);
        if (!name) {
            pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, kn, path, "got %s as a key, expected a name",
                             pesim_cfg_kind_name(kn));
            continue;
        }
        char full[PATH_MAX_LEN];
        pesim_cfg_join(full, sizeof full, path, name);
        const struct cfg_key *k = find_key(sec, name);
        if (!k) {
            unknown_key(ctx, sec, kn, full, name);
            continue;
        }
        size_t idx = (size_t)(k - sec->keys);
        if (given[idx]) {
            pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_DUPLICATE, kn, full,
                             "duplicate key (first at line %u), expected each key once",
                            (unsigned)given[idx]->start_mark.line + 1);
            continue;
        }
        given[idx] = kn;
        record_node(ctx, full, vn);
        (void)pesim_cfg_value(ctx, k, vn, full, obj);
    }
    for (size_t i = 0; i < sec->nkeys; i++) {
        const struct cfg_key *k = &sec->keys[i];
        if (given[i] || k->def || (k->flags & CFG_F_OPTIONAL))
            continue;
        if (k->type == CFG_SECTION && !section_required(k))
            continue;
        char full[PATH_MAX_LEN], exp[512];
        pesim_cfg_join(full, sizeof full, path, k->name);
        pesim_cfg_expected(k, exp, sizeof exp);
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_MISSING, node, full,
                         "missing required key, expected %s", exp);
    }
    /* Cross-key checks only on sections whose keys were all good: a bad
     * value would otherwise cascade into a second, misleading error. */
    if (sec->check && !ctx->in_set && ctx->nerrs == errs_before)
        sec->check(ctx, path, obj);
}

void pesim_cfg_check_all(struct cfg_ctx *ctx, const struct cfg_section *sec,
                         void *obj, const char *path)
{
    for (size_t i = 0; i < sec->nkeys; i++) {
        const struct cfg_key *k = &sec->keys[i];
        if (k->type != CFG_SECTION)
            continue;
        char full[PATH_MAX_LEN];
        pesim_cfg_join(full, sizeof full, path, k->name);
        pesim_cfg_check_all(ctx, k->sub, (char *)obj + k->offset, full);
    }
    if (sec->check)
        sec->check(ctx, path, obj);
}

/* ---- --set ------------------------------------------------------------ */

int pesim_cfg_set(struct cfg_ctx *ctx, const struct cfg_section *root,
                  void *obj, size_t obj_size, const char *assignment)
{
    yaml_node_t at;
    memset(&at, 0, sizeof at);
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment || strchr(assignment, '\n')) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_ASSIGN, &at, "", "got '%s', expected KEY.PATH=VALUE",
                         assignment);
        return PESIM_E_INVALID;
    }
    /* Resolve the path component by component. */
    const struct cfg_section *sec = root;
    const struct cfg_key *key = NULL;
    size_t sec_off = 0; /* offset of the section object holding `key` */
    char path[PATH_MAX_LEN] = "";
    const char *comp = assignment;
    /* a named item of a list (levels.NAME): its section, offset and path,
     * whose own check runs after the value is set */
    const struct cfg_section *item_sec = NULL;
    size_t item_off = 0;
    char item_path[PATH_MAX_LEN] = "";
    while (comp < eq) {
        const char *dot = memchr(comp, '.', (size_t)(eq - comp));
        const char *end = dot ? dot : eq;
        char name[PATH_MAX_LEN];
        size_t n = (size_t)(end - comp);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, comp, n);
        name[n] = '\0';
        char full[PATH_MAX_LEN];
        pesim_cfg_join(full, sizeof full, path, name);
        at.start_mark.column = (size_t)(comp - assignment);
        if (key && key->item && !item_sec) {
            /* The item of a named list: levels.NAME */
            size_t off;
            if (!key->item((const char *)obj + sec_off + key->offset, name, &off)) {
                pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_UNKNOWN_KEY, &at, full,
                                 "no item of %s has that name, expected the name of one",
                                 path);
                return PESIM_E_INVALID;
            }
            sec_off += key->offset + off;
            sec = item_sec = key->sub;
            item_off = sec_off;
            key = NULL;
            snprintf(path, sizeof path, "%s", full);
            snprintf(item_path, sizeof item_path, "%s", full);
            comp = dot ? dot + 1 : eq;
            if (!dot) {
                pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_ASSIGN, &at, path,
                                 "names an item, expected one of its keys after it "
                                 "(%s.KEY=VALUE)", path);
                return PESIM_E_INVALID;
            }
            continue;
        }
        if (key) {
            /* Descending below the previous component. */
            if (key->type != CFG_SECTION) {
                pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_ASSIGN, &at, full,
                                 "'%s' has no keys below it, expected the path to end there",
                                 path);
                return PESIM_E_INVALID;
            }
            sec_off += key->offset;
            sec = key->sub;
        }
        key = find_key(sec, name);
        if (!key) {
            unknown_key(ctx, sec, &at, full, name);
            return PESIM_E_INVALID;
        }
        snprintf(path, sizeof path, "%s", full);
        comp = dot ? dot + 1 : eq;
        if (dot && dot + 1 == eq) {
            at.start_mark.column = (size_t)(eq - assignment);
            pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_ASSIGN, &at, path, "empty key, expected a name");
            return PESIM_E_INVALID;
        }
    }
    unsigned char *copy = malloc(obj_size);
    if (!copy) {
        ctx->nomem = true;
        return PESIM_E_NOMEM;
    }
    memcpy(copy, obj, obj_size);
    ctx->col_offset = (unsigned)(eq - assignment) + 1;
    ctx->in_set = true;
    record(ctx, "", 1, 1);
    yaml_document_t doc;
    const char *value = eq + 1;
    if (pesim_cfg_parse(ctx, value, strlen(value), &doc) == 0) {
        ctx->doc = &doc;
        yaml_node_t *vn = yaml_document_get_root_node(&doc);
        record_node(ctx, path, vn);
        void *secobj = copy + sec_off;
        if (key->type == CFG_SECTION)
            pesim_cfg_defaults(key->sub, (char *)secobj + key->offset);
        (void)pesim_cfg_value(ctx, key, vn, path, secobj);
        ctx->doc = NULL;
        yaml_document_delete(&doc);
    } else if (ctx->nerrs == 0) {
        /* An empty value: say so at the value. */
        at.start_mark.column = (size_t)(eq - assignment) + 1;
        unsigned save = ctx->col_offset;
        ctx->col_offset = 0;
        char exp[512];
        pesim_cfg_expected(key, exp, sizeof exp);
        pesim_cfg_errorc(ctx, PESIM_DIAG_YAML_EMPTY, &at, path, "got nothing, expected %s", exp);
        ctx->col_offset = save;
    } else {
        /* The empty-document error has no useful text for an assignment. */
        for (size_t i = 0; i < ctx->nerrs; i++)
            if (ctx->errs[i].code == PESIM_DIAG_YAML_EMPTY) {
                char exp[512];
                pesim_cfg_expected(key, exp, sizeof exp);
                free(ctx->errs[i].msg);
                size_t m = strlen(path) + strlen(exp) + 32;
                ctx->errs[i].msg = malloc(m);
                if (!ctx->errs[i].msg) {
                    ctx->nomem = true;
                    ctx->nerrs = i;
                    break;
                }
                snprintf(ctx->errs[i].msg, m, "%s: got nothing, expected %s",
                         path, exp);
                ctx->errs[i].col = ctx->col_offset + 1;
            }
    }
    if (!pesim_cfg_failed(ctx) && item_sec)
        pesim_cfg_check_all(ctx, item_sec, copy + item_off, item_path);
    if (!pesim_cfg_failed(ctx))
        pesim_cfg_check_all(ctx, root, copy, "");
    ctx->in_set = false;
    int rc = pesim_cfg_failed(ctx) ? PESIM_E_INVALID : 0;
    if (!rc)
        memcpy(obj, copy, obj_size);
    free(copy);
    return rc;
}

/* ---- Markdown reference ------------------------------------------------ */

static const char *type_name(const struct cfg_key *k)
{
    switch (k->type) {
    case CFG_U32:
    case CFG_U64:
        return "integer";
    case CFG_DOUBLE:
        return "number";
    case CFG_BOOL:
        return "bool";
    case CFG_STRING:
        return "string";
    case CFG_ENUM:
        return "enum";
    case CFG_DS_LIST:
        return "list of data spaces";
    case CFG_SECTION:
        return "mapping";
    case CFG_CUSTOM:
        return k->type_doc;
    }
    return "?";
}

static void allowed(const struct cfg_key *k, char *buf, size_t size)
{
    switch (k->type) {
    case CFG_U32:
    case CFG_U64:
    case CFG_CUSTOM:
        if (k->umax)
            snprintf(buf, size, "[%llu, %llu]", (unsigned long long)k->umin,
                     (unsigned long long)k->umax);
        else
            snprintf(buf, size, "see below");
        break;
    case CFG_DOUBLE:
        snprintf(buf, size, "[%g, %g]", k->dmin, k->dmax);
        break;
    case CFG_BOOL:
        snprintf(buf, size, "true, false");
        break;
    case CFG_STRING:
        snprintf(buf, size, "1 to %llu characters",
                 (unsigned long long)k->umax);
        break;
    case CFG_ENUM:
        buf[0] = '\0';
        for (size_t i = 0; k->names[i]; i++) {
            if (i)
                append(buf, size, ", ");
            append(buf, size, k->names[i]);
        }
        break;
    case CFG_DS_LIST:
        snprintf(buf, size, "weights, inputs, outputs");
        break;
    case CFG_SECTION:
        snprintf(buf, size, "see below");
        break;
    }
}

static void write_table(FILE *out, const struct cfg_section *sec,
                        const char *title)
{
    fprintf(out, "#### %s\n\n", title);
    fprintf(out, "| Key | Type | Allowed | Default | Unit | Description |\n");
    fprintf(out, "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sec->nkeys; i++) {
        const struct cfg_key *k = &sec->keys[i];
        char al[512];
        allowed(k, al, sizeof al);
        char def[128];
        if (k->def_doc)
            snprintf(def, sizeof def, "%s", k->def_doc);
        else if (k->def)
            snprintf(def, sizeof def, "`%s`", k->def);
        else if (k->flags & CFG_F_OPTIONAL)
            snprintf(def, sizeof def, "(optional)");
        else if (k->type == CFG_SECTION && !section_required(k))
            snprintf(def, sizeof def, "see below");
        else
            snprintf(def, sizeof def, "required");
        fprintf(out, "| `%s` | %s | %s | %s | %s | %s |\n", k->name,
                type_name(k), al, def, k->unit ? k->unit : "", k->desc);
    }
    fprintf(out, "\n");
}

static void write_tree(FILE *out, const struct cfg_section *sec,
                       const char *path, const char *title)
{
    write_table(out, sec, title);
    for (size_t i = 0; i < sec->nkeys; i++) {
        const struct cfg_key *k = &sec->keys[i];
        if (!k->sub)
            continue;
        bool done = false;
        for (size_t j = 0; j < i; j++)
            if (sec->keys[j].sub == k->sub)
                done = true;
        if (done)
            continue;
        /* Siblings sharing a table get one heading that names them all. */
        char heading[512] = "", first[PATH_MAX_LEN] = "";
        for (size_t j = i; j < sec->nkeys; j++) {
            if (sec->keys[j].sub != k->sub)
                continue;
            char full[PATH_MAX_LEN];
            pesim_cfg_join(full, sizeof full, path, sec->keys[j].name);
            if (sec->keys[j].flags & CFG_F_LIST)
                append(full, sizeof full, "[]");
            if (!first[0])
                snprintf(first, sizeof first, "%s", full);
            if (heading[0])
                append(heading, sizeof heading, ", ");
            append(heading, sizeof heading, "`");
            append(heading, sizeof heading, full);
            append(heading, sizeof heading, "`");
        }
        write_tree(out, k->sub, first, heading);
    }
}

int pesim_cfg_write_markdown(FILE *out, const struct cfg_section *root,
                             const char *title)
{
    write_tree(out, root, "", title);
    return ferror(out) ? PESIM_E_IO : 0;
}

struct doc_part {
    const char *name;
    const char *title;
    const struct cfg_section *(*root)(void);
};

static const struct doc_part doc_parts[] = {
    {"arch", "Architecture: top level", pesim_arch_schema},
    {"arch_levels", "Architecture, general form: top level", pesim_arch_general_schema},
    {"workload", "Workload: top level", pesim_workload_schema},
    {"mapping", "Mapping: top level", pesim_mapping_schema},
    {"sweep", "Sweep spec: top level", pesim_sweep_schema},
    {"accelergy_map", "Accelergy map: top level", pesim_accelergy_map_schema},
};

int pesim_cfg_doc_update(const char *text, size_t len, char **out)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return PESIM_E_NOMEM;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *open = NULL;
        const struct doc_part *part = NULL;
        char marker[64], closing[64];
        for (size_t i = 0; i < sizeof doc_parts / sizeof doc_parts[0]; i++) {
            snprintf(marker, sizeof marker, "<!-- schema:%s -->",
                     doc_parts[i].name);
            const char *m = strstr(p, marker);
            if (m && m < end && (!open || m < open)) {
                open = m;
                part = &doc_parts[i];
            }
        }
        if (!open) {
            fwrite(p, 1, (size_t)(end - p), f);
            break;
        }
        snprintf(marker, sizeof marker, "<!-- schema:%s -->", part->name);
        snprintf(closing, sizeof closing, "<!-- /schema:%s -->", part->name);
        const char *close = strstr(open, closing);
        if (!close) {
            fclose(f);
            free(buf);
            return PESIM_E_INVALID;
        }
        fwrite(p, 1, (size_t)(open - p), f);
        fprintf(f, "%s\n\n", marker);
        pesim_cfg_write_markdown(f, part->root(), part->title);
        fputs(closing, f);
        p = close + strlen(closing);
    }
    if (fclose(f)) {
        free(buf);
        return PESIM_E_IO;
    }
    *out = buf;
    return 0;
}

/* ---- whole documents -------------------------------------------------- */

static bool root_has(yaml_document_t *doc, const char *key)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        return false;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const char *k = pesim_cfg_scalar(yaml_document_get_node(doc, p->key));
        if (k && strcmp(k, key) == 0)
            return true;
    }
    return false;
}

int pesim_cfg_load(const char *text, size_t len, const char *file,
                   const struct cfg_section *sec, void *obj, pesim_diags *diags)
{
    return pesim_cfg_load_either(text, len, file, NULL, NULL, sec, obj, diags);
}

int pesim_cfg_load_either(const char *text, size_t len, const char *file, const char *key,
                          const struct cfg_section *with, const struct cfg_section *without,
                          void *obj, pesim_diags *diags)
{
    struct cfg_ctx ctx;
    pesim_cfg_init(&ctx, file);
    ctx.loading = true;
    yaml_document_t doc;
    if (pesim_cfg_parse(&ctx, text, len, &doc) == 0) {
        const struct cfg_section *sec = key && root_has(&doc, key) ? with : without;
        pesim_cfg_defaults(sec, obj);
        ctx.doc = &doc;
        pesim_cfg_walk(&ctx, sec, obj, yaml_document_get_root_node(&doc), "");
        ctx.doc = NULL;
        yaml_document_delete(&doc);
    }
    return pesim_cfg_finish(&ctx, diags);
}

int pesim_cfg_source_open(const struct pesim_embedded *presets, const char *kind,
                          const char *name_or_path, struct cfg_source *src,
                          pesim_diags *diags)
{
    memset(src, 0, sizeof *src);
    const struct pesim_embedded *e = pesim_embed_find(presets, name_or_path);
    if (e) {
        src->text = e->data;
        src->len = e->len;
        snprintf(src->file, sizeof src->file, "%s.yaml", e->name);
        return 0;
    }
    int rc = pesim_file_read(name_or_path, NULL, &src->owned, &src->len, diags);
    if (rc == 0) {
        src->text = src->owned;
        snprintf(src->file, sizeof src->file, "%s", name_or_path);
        return 0;
    }
    if (rc != PESIM_E_IO)
        return rc;
    char list[512] = "";
    for (const struct pesim_embedded *p = presets; p->name; p++) {
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s", p == presets ? "" : ", ", p->name);
    }
    pesim_diags_addc(diags, PESIM_DIAG_NAME_UNKNOWN, name_or_path, 0, 0,
                     "no %s preset or readable file of that name, expected a path or one of %s",
                    kind, list);
    return PESIM_E_NOTFOUND;
}

void pesim_cfg_source_close(struct cfg_source *src)
{
    free(src->owned);
    src->owned = NULL;
}

/* ---- numeric keys by path (sweep constraints) ------------------------- */

int pesim_cfg_number(const struct cfg_section *sec, const void *obj, const char *path,
                     double *out)
{
    const char *p = path;
    const unsigned char *base = obj;
    for (;;) {
        size_t n = strcspn(p, ".");
        char name[64];
        if (n == 0 || n >= sizeof name)
            return PESIM_E_NOTFOUND;
        memcpy(name, p, n);
        name[n] = '\0';
        const struct cfg_key *k = find_key(sec, name);
        if (!k)
            return PESIM_E_NOTFOUND;
        const unsigned char *field = base + k->offset;
        if (p[n] == '.' && k->item) { /* LIST.NAME. */
            p += n + 1;
            n = strcspn(p, ".");
            size_t off;
            if (n == 0 || n >= sizeof name || p[n] != '.')
                return PESIM_E_NOTFOUND;
            memcpy(name, p, n);
            name[n] = '\0';
            if (!k->item(field, name, &off))
                return PESIM_E_NOTFOUND;
            sec = k->sub;
            base = field + off;
            p += n + 1;
            continue;
        }
        if (p[n] == '.') {
            if (k->type != CFG_SECTION)
                return PESIM_E_NOTFOUND;
            sec = k->sub;
            base = field;
            p += n + 1;
            continue;
        }
        switch (k->type) {
        case CFG_U32: *out = *(const uint32_t *)(const void *)field; return 0;
        case CFG_U64: *out = (double)*(const uint64_t *)(const void *)field; return 0;
        case CFG_DOUBLE: *out = *(const double *)(const void *)field; return 0;
        case CFG_BOOL: *out = *(const bool *)(const void *)field; return 0;
        default: return PESIM_E_NOTFOUND;
        }
    }
}

static void number_paths(const struct cfg_section *sec, const char *prefix,
                         void (*each)(const char *path, void *ctx), void *ctx)
{
    for (size_t i = 0; i < sec->nkeys; i++) {
        const struct cfg_key *k = &sec->keys[i];
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k->name);
        if (k->type == CFG_SECTION && k->sub)
            number_paths(k->sub, path, each, ctx);
        else if (k->type == CFG_U32 || k->type == CFG_U64 || k->type == CFG_DOUBLE ||
                 k->type == CFG_BOOL)
            each(path, ctx);
    }
}

void pesim_cfg_number_paths(const struct cfg_section *sec,
                            void (*each)(const char *path, void *ctx), void *ctx)
{
    number_paths(sec, "", each, ctx);
}

void pesim_cfg_write_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

yaml_node_item_t *pesim_cfg_level_items(struct cfg_ctx *ctx, yaml_node_t *node, const char *path,
                                        size_t *n)
{
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(ctx, node, path, "got %s, expected a list of levels, outermost (DRAM) "
                        "first", pesim_cfg_kind_name(node));
        return NULL;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    *n = (size_t)(node->data.sequence.items.top - it);
    if (*n < 2 || *n > PESIM_LEVELS_MAX) {
        pesim_cfg_error(ctx, node, path, "got %zu level%s, expected 2 to %d (DRAM and at "
                        "least one on chip)", *n, *n == 1 ? "" : "s", PESIM_LEVELS_MAX);
        return NULL;
    }
    return it;
}
