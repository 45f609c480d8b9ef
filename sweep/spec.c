/* Reading a sweep spec (docs/sweeps.md, "The spec") with the schema
 * machinery of config/cfg.h, so its errors read like every other input's:
 * file:line:col, every problem at once, nearest-key suggestions. Values
 * whose meaning depends on the base (architecture keys) are checked after
 * the walk, at the positions recorded here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "common/file.h"
#include "sweep/internal.h"

#define MAX_AXIS_VALUES 100000


struct base_in {
    char arch[256], workload[256], layers[256], dataflow[16];
    uint64_t batch;
    int objective, engine;
};

struct range_in {
    double from, to, step, factor;
};

struct axis_in {
    char key[SWEEP_KEY_MAX];
    struct range_in range;
    struct axis *out; /* values land here directly */
};

struct spec_in {
    char name[64];
    struct base_in base;
    pesim_sweep *s;
};

static unsigned line_of(const yaml_node_t *n) { return (unsigned)n->start_mark.line + 1; }

/* Column of a scalar's first character (inside its quotes). */
static unsigned col_of(const yaml_node_t *n)
{
    bool quoted = n->type == YAML_SCALAR_NODE &&
                  (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                   n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    return (unsigned)n->start_mark.column + 1 + quoted;
}

static yaml_node_t *value_of(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = pesim_cfg_scalar(yaml_document_get_node(doc, p->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static bool number(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return false;
    *out = strtod(s, &end);
    return *end == '\0' && isfinite(*out);
}

static int grow(struct axis *a, size_t n)
{
    a->value = calloc(n, sizeof *a->value);
    a->num = calloc(n, sizeof *a->num);
    a->line = calloc(n, sizeof *a->line);
    a->col = calloc(n, sizeof *a->col);
    a->n = n;
    return a->value && a->num && a->line && a->col ? 0 : PESIM_E_NOMEM;
}

static int parse_values(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                        const char *path, void *obj)
{
    (void)key;
    struct axis_in *in = obj;
    if (!node || node->type != YAML_SEQUENCE_NODE ||
        node->data.sequence.items.top == node->data.sequence.items.start) {
        bool list = node && node->type == YAML_SEQUENCE_NODE;
        pesim_cfg_errorc(ctx, list ? PESIM_DIAG_CFG_RANGE : PESIM_DIAG_CFG_TYPE, node, path,
                         "got %s, expected a non-empty list of values",
                         list ? "an empty list" : pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - it);
    if (grow(in->out, n))
        return PESIM_E_NOMEM;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *v = yaml_document_get_node(ctx->doc, it[i]);
        const char *s = pesim_cfg_scalar(v);
        char ipath[160];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        if (!s || !*s || strlen(s) >= SWEEP_VALUE_MAX) {
            pesim_cfg_errorc(ctx, s ? PESIM_DIAG_CFG_RANGE : PESIM_DIAG_CFG_TYPE, v, ipath,
                             "got %s, expected a scalar of 1 to %d characters",
                             s ? "a string too long or empty" : pesim_cfg_kind_name(v),
                             SWEEP_VALUE_MAX - 1);
            rc = PESIM_E_INVALID;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->out->value[j], s) == 0) {
                pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_DUPLICATE, v, ipath,
                                 "got '%s' again, expected each value once", s);
                rc = PESIM_E_INVALID;
            }
        snprintf(in->out->value[i], SWEEP_VALUE_MAX, "%s", s);
        if (!number(s, &in->out->num[i]))
            in->out->num[i] = NAN;
        in->out->line[i] = line_of(v);
        in->out->col[i] = col_of(v);
    }
    return rc;
}

static void range_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    struct range_in *r = obj;
    bool step = pesim_cfg_given(ctx, path, "step"), factor = pesim_cfg_given(ctx, path, "factor");
    if (step == factor)
        pesim_cfg_error_keyc(ctx, step ? PESIM_DIAG_CFG_CONFLICT : PESIM_DIAG_CFG_MISSING, path,
                             step ? "factor" : "", "%s, expected either step (linear) or "
                             "factor (geometric)", step ? "got both" : "got neither");
    else if (r->to < r->from)
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_RANGE, path, "to",
                             "got %.15g, expected at least from (%.15g)", r->to, r->from);
    else if (factor && r->from <= 0)
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_RANGE, path, "from",
                             "got %.15g, expected a positive start for a geometric range",
                             r->from);
    else if ((step ? (r->to - r->from) / r->step : log(r->to / r->from) / log(r->factor)) >=
             MAX_AXIS_VALUES)
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_RANGE, path, step ? "step" : "factor",
                             "gives more than %d values, expected fewer", MAX_AXIS_VALUES);
}

static const struct cfg_key range_keys[] = {
    {.name = "from", .type = CFG_DOUBLE, .dmin = -1e300, .dmax = 1e300, .unit = "",
     .desc = "First value", .offset = offsetof(struct range_in, from)},
    {.name = "to", .type = CFG_DOUBLE, .dmin = -1e300, .dmax = 1e300, .unit = "",
     .desc = "Last value (included when a step lands on it)",
     .offset = offsetof(struct range_in, to)},
    {.name = "step", .type = CFG_DOUBLE, .dmin = 1e-9, .dmax = 1e300, .unit = "",
     .flags = CFG_F_OPTIONAL, .desc = "Linear: added each time",
     .offset = offsetof(struct range_in, step)},
    {.name = "factor", .type = CFG_DOUBLE, .dmin = 1.000001, .dmax = 1e300, .unit = "",
     .flags = CFG_F_OPTIONAL, .desc = "Geometric: multiplied each time",
     .offset = offsetof(struct range_in, factor)},
};
static const struct cfg_section range_section = {range_keys, 4, range_check};

static void axis_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    (void)obj;
    bool values = pesim_cfg_given(ctx, path, "values"), range = pesim_cfg_given(ctx, path, "range");
    if (values == range)
        pesim_cfg_error_keyc(ctx, values ? PESIM_DIAG_CFG_CONFLICT : PESIM_DIAG_CFG_MISSING,
                             path, values ? "range" : "", "%s, expected either values or range",
                             values ? "got both" : "got neither");
}

static const struct cfg_key axis_keys[] = {
    {.name = "key", .type = CFG_STRING, .umax = SWEEP_KEY_MAX - 1, .unit = "",
     .desc = "An architecture key by its dotted path (as --set takes it), or dataflow, "
             "batch, workload, layers",
     .offset = offsetof(struct axis_in, key)},
    {.name = "values", .type = CFG_CUSTOM, .unit = "", .type_doc = "list",
     .flags = CFG_F_OPTIONAL, .parse = parse_values,
     .desc = "The values, in order (instead of range)"},
    {.name = "range", .type = CFG_SECTION, .unit = "", .sub = &range_section,
     .flags = CFG_F_OPTIONAL, .offset = offsetof(struct axis_in, range),
     .desc = "Linear {from, to, step} or geometric {from, to, factor} values"},
};
static const struct cfg_section axis_section = {axis_keys, 3, axis_check};

/* The values of a range, %.15g-formatted. */
static int expand_range(struct axis *a, const struct range_in *r, unsigned line, unsigned col)
{
    size_t n = 0;
    double top = r->to + 1e-9 * fabs(r->to); /* a step landing on `to` keeps it */
    for (double v = r->from; v <= top && n < MAX_AXIS_VALUES; n++)
        v = r->step > 0 ? r->from + (double)(n + 1) * r->step : v * r->factor;
    if (grow(a, n))
        return PESIM_E_NOMEM;
    double v = r->from;
    for (size_t i = 0; i < n; i++) {
        a->num[i] = v;
        snprintf(a->value[i], SWEEP_VALUE_MAX, "%.15g", v);
        a->line[i] = line;
        a->col[i] = col;
        v = r->step > 0 ? r->from + (double)(i + 1) * r->step : v * r->factor;
    }
    return 0;
}

static enum axis_kind kind_of(const char *key)
{
    static const struct {
        const char *name;
        enum axis_kind kind;
    } special[] = {{"dataflow", AXIS_DATAFLOW}, {"batch", AXIS_BATCH},
                   {"workload", AXIS_WORKLOAD}, {"layers", AXIS_LAYERS}};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(key, special[i].name) == 0)
            return special[i].kind;
    return AXIS_ARCH;
}

static int parse_axes(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                      const char *path, void *obj)
{
    (void)key;
    pesim_sweep *s = ((struct spec_in *)obj)->s;
    if (!node || node->type != YAML_SEQUENCE_NODE ||
        node->data.sequence.items.top == node->data.sequence.items.start) {
        bool list = node && node->type == YAML_SEQUENCE_NODE;
        pesim_cfg_errorc(ctx, list ? PESIM_DIAG_CFG_RANGE : PESIM_DIAG_CFG_TYPE, node, path,
                         "got %s, expected a non-empty list of axes",
                         list ? "an empty list" : pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - it);
    s->axes = calloc(n, sizeof *s->axes);
    if (!s->axes)
        return PESIM_E_NOMEM;
    s->naxes = n;
    size_t before = ctx->nerrs;
    for (size_t i = 0; i < n; i++) {
        char ipath[64];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        yaml_node_t *item = yaml_document_get_node(ctx->doc, it[i]);
        struct axis_in in;
        memset(&in, 0, sizeof in);
        in.out = &s->axes[i];
        size_t mine = ctx->nerrs;
        pesim_cfg_walk(ctx, &axis_section, &in, item, ipath);
        yaml_node_t *k = value_of(ctx->doc, item, "key");
        struct axis *a = &s->axes[i];
        snprintf(a->key, sizeof a->key, "%s", in.key);
        a->kind = kind_of(a->key);
        a->key_line = k ? line_of(k) : line_of(item);
        a->key_col = k ? col_of(k) : col_of(item);
        if (ctx->nerrs > mine)
            continue;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->axes[j].key, a->key) == 0)
                pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_DUPLICATE, k, ipath,
                                 "key '%s' again, expected each key on one axis (first at "
                                 "%s[%zu])", a->key, path, j);
        yaml_node_t *rn = value_of(ctx->doc, item, "range");
        if (rn && expand_range(a, &in.range, line_of(rn), col_of(rn)))
            return PESIM_E_NOMEM;
    }
    return ctx->nerrs > before ? PESIM_E_INVALID : 0;
}

static int parse_constraints(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                             const char *path, void *obj)
{
    (void)key;
    pesim_sweep *s = ((struct spec_in *)obj)->s;
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, node, path,
                         "got %s, expected a list of expressions", pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - it);
    /* the default ([]) was parsed first: replace it */
    for (size_t i = 0; s->cons_text && i < s->ncons; i++)
        free(s->cons_text[i]);
    free(s->cons_text);
    free(s->cons_line);
    free(s->cons_col);
    s->cons_text = calloc(n ? n : 1, sizeof *s->cons_text);
    s->cons_line = calloc(n ? n : 1, sizeof *s->cons_line);
    s->cons_col = calloc(n ? n : 1, sizeof *s->cons_col);
    if (!s->cons_text || !s->cons_line || !s->cons_col)
        return PESIM_E_NOMEM;
    s->ncons = n;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *v = yaml_document_get_node(ctx->doc, it[i]);
        const char *text = pesim_cfg_scalar(v);
        if (!text) {
            char ipath[64];
            snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
            pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, v, ipath, "got %s, expected an expression "
                             "such as pe_array.rows * pe_array.cols == 256",
                             pesim_cfg_kind_name(v));
            rc = PESIM_E_INVALID;
            continue;
        }
        s->cons_text[i] = strdup(text);
        if (!s->cons_text[i])
            return PESIM_E_NOMEM;
        s->cons_line[i] = line_of(v);
        s->cons_col[i] = col_of(v);
    }
    return rc;
}

static void base_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    struct base_in *b = obj;
    if (!pesim_df_find(b->dataflow))
        pesim_cfg_error_keyc(ctx, PESIM_DIAG_CFG_ENUM, path, "dataflow",
                             "got '%s', expected one of ws, os, os_a, os_c, is, nlr, rs",
                             b->dataflow);
}

static const struct cfg_key base_keys[] = {
    {.name = "arch", .type = CFG_STRING, .umax = 255, .unit = "",
     .desc = "Architecture: a preset or a YAML file", .offset = offsetof(struct base_in, arch)},
    {.name = "workload", .type = CFG_STRING, .umax = 255, .unit = "",
     .desc = "Workload: a shipped network or a file in any format pesim reads",
     .offset = offsetof(struct base_in, workload)},
    {.name = "layers", .type = CFG_STRING, .umax = 255, .unit = "", .flags = CFG_F_OPTIONAL,
     .desc = "Layer selector (names, first:last, kinds); default every layer",
     .offset = offsetof(struct base_in, layers)},
    {.name = "batch", .type = CFG_U64, .umin = 1, .umax = 1ull << 40, .unit = "",
     .flags = CFG_F_OPTIONAL, .desc = "Batch size of conv and fc layers; default the "
     "workload's own", .offset = offsetof(struct base_in, batch)},
    {.name = "dataflow", .type = CFG_STRING, .umax = 15, .def = "ws", .unit = "",
     .desc = "Dataflow, unless dataflow is an axis", .offset = offsetof(struct base_in, dataflow)},
    {.name = "objective", .type = CFG_ENUM, .names = pesim_objective_names, .def = "latency",
     .unit = "", .desc = "What the mapper minimizes",
     .offset = offsetof(struct base_in, objective)},
    {.name = "engine", .type = CFG_ENUM, .names = pesim_engine_names, .def = "event", .unit = "",
     .desc = "event (cycle-level), step or analysis", .offset = offsetof(struct base_in, engine)},
};
static const struct cfg_section base_section = {base_keys, 7, base_check};

static const struct cfg_key spec_keys[] = {
    {.name = "sweep", .type = CFG_STRING, .umax = 63, .unit = "",
     .desc = "The sweep's name", .offset = offsetof(struct spec_in, name)},
    {.name = "base", .type = CFG_SECTION, .unit = "", .sub = &base_section,
     .flags = CFG_F_REQUIRED, .desc = "What every point starts from",
     .offset = offsetof(struct spec_in, base)},
    {.name = "axes", .type = CFG_CUSTOM, .unit = "", .type_doc = "list",
     .flags = CFG_F_LIST, .parse = parse_axes, .sub = &axis_section,
     .desc = "The axes, outermost first"},
    {.name = "constraints", .type = CFG_CUSTOM, .def = "[]", .unit = "", .type_doc = "list",
     .parse = parse_constraints, .desc = "Expressions every point must satisfy"},
};
static const struct cfg_section spec_section = {spec_keys, 4, NULL};

const struct cfg_section *pesim_sweep_schema(void) { return &spec_section; }

/* Where base.arch and base.workload are, for messages about loading them. */
static void base_positions(const char *text, size_t len, pesim_sweep *s)
{
    yaml_parser_t p;
    yaml_document_t doc;
    s->arch_line = s->wl_line = 1;
    s->arch_col = s->wl_col = 1;
    if (!yaml_parser_initialize(&p))
        return;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (yaml_parser_load(&p, &doc)) {
        yaml_node_t *base = value_of(&doc, yaml_document_get_root_node(&doc), "base");
        yaml_node_t *a = value_of(&doc, base, "arch"), *w = value_of(&doc, base, "workload");
        if (a) {
            s->arch_line = line_of(a);
            s->arch_col = col_of(a);
        }
        if (w) {
            s->wl_line = line_of(w);
            s->wl_col = col_of(w);
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
}

int sweep_spec_parse(const char *text, size_t len, const char *file, pesim_sweep *s,
                     pesim_diags *diags)
{
    struct spec_in in;
    memset(&in, 0, sizeof in);
    in.s = s;
    snprintf(s->file, sizeof s->file, "%s", file);
    s->hash = pesim_fnv1a(text, len, PESIM_FNV_INIT);
    int rc = pesim_cfg_load(text, len, file, &spec_section, &in, diags);
    if (rc)
        return rc;
    snprintf(s->name, sizeof s->name, "%s", in.name);
    snprintf(s->arch_name, sizeof s->arch_name, "%s", in.base.arch);
    snprintf(s->workload_name, sizeof s->workload_name, "%s", in.base.workload);
    snprintf(s->layers, sizeof s->layers, "%s", in.base.layers);
    snprintf(s->dataflow, sizeof s->dataflow, "%s", in.base.dataflow);
    s->batch = in.base.batch;
    s->objective = (enum pesim_objective)in.base.objective;
    s->engine = (enum pesim_engine)in.base.engine;
    base_positions(text, len, s);
    return 0;
}
