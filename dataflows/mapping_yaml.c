/* Mappings as YAML: loader (schema walker) and writer. The writer emits the
 * same shape the loader reads, so write -> load is the identity. */
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/cfg.h"
#include "pesim/mapping.h"

#define BOUND_MAX 4294967295ull


struct loop_in {
    int dim;
    int axis;
    uint32_t bound;
};

static const struct cfg_key temporal_loop_keys[] = {
    {.name = "dim", .type = CFG_ENUM, .names = pesim_dim_names, .unit = "",
     .desc = "Dimension iterated", .offset = offsetof(struct loop_in, dim)},
    {.name = "bound", .type = CFG_U32, .umin = 1, .umax = BOUND_MAX,
     .unit = "", .desc = "Iterations", .offset = offsetof(struct loop_in, bound)},
};

static const struct cfg_section temporal_loop_section = {
    temporal_loop_keys, 2, NULL};

static const struct cfg_key spatial_loop_keys[] = {
    {.name = "dim", .type = CFG_ENUM, .names = pesim_dim_names, .unit = "",
     .desc = "Dimension spread over the array",
     .offset = offsetof(struct loop_in, dim)},
    {.name = "bound", .type = CFG_U32, .umin = 1, .umax = BOUND_MAX,
     .unit = "PEs", .desc = "PEs along the axis",
     .offset = offsetof(struct loop_in, bound)},
    {.name = "axis", .type = CFG_ENUM, .names = pesim_axis_names, .unit = "",
     .desc = "x spans columns, y spans rows",
     .offset = offsetof(struct loop_in, axis)},
};

static const struct cfg_section spatial_loop_section = {
    spatial_loop_keys, 3, NULL};

/* The largest bound over a dimension so far, in every level read. */
static uint32_t max_bound(const struct pesim_mapping *m, unsigned dim)
{
    uint32_t b = 0;
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        for (unsigned i = 0; i < m->ntemporal[lv]; i++)
            if (m->temporal[lv][i].dim == dim && m->temporal[lv][i].bound > b)
                b = m->temporal[lv][i].bound;
    for (unsigned lv = 0; lv < PESIM_LEVELS_MAX; lv++)
        for (unsigned i = 0; i < m->nspatial[lv]; i++)
            if (m->spatial[lv][i].dim == dim && m->spatial[lv][i].bound > b)
                b = m->spatial[lv][i].bound;
    return b;
}

/* Note where the largest bound of the loop's dimension is, so that "the
 * loops over P multiply to far more than P" points at the likely culprit.
 * Every mapping the walker fills is the `mapping` of a named mapping (the
 * single one included), so its marks sit beside it. */
static void mark_bound(struct cfg_ctx *ctx, struct pesim_mapping *m, yaml_node_t *item,
                       const struct pesim_loop *loops, size_t i)
{
    const struct pesim_loop *lp = &loops[i];
    uint32_t most = 0; /* over this list's earlier loops, not in m yet */
    for (size_t k = 0; k < i; k++)
        if (loops[k].dim == lp->dim && loops[k].bound > most)
            most = loops[k].bound;
    if (!item || item->type != YAML_MAPPING_NODE || lp->dim >= PESIM_DIM_COUNT)
        return;
    struct pesim_named_mapping *nm =
        (struct pesim_named_mapping *)((char *)m - offsetof(struct pesim_named_mapping, mapping));
    if (nm->bound_at[lp->dim].line && (lp->bound <= max_bound(m, lp->dim) || lp->bound <= most))
        return;
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        const char *k = pesim_cfg_scalar(yaml_document_get_node(ctx->doc, p->key));
        yaml_node_t *v = yaml_document_get_node(ctx->doc, p->value);
        if (k && v && strcmp(k, "bound") == 0) {
            nm->bound_at[lp->dim].line = (unsigned)v->start_mark.line + 1;
            nm->bound_at[lp->dim].col = (unsigned)v->start_mark.column + 1;
        }
    }
}

/* Read a list of loops into loops[0..*n) (m: the mapping they are for,
 * for the bound marks). */
static int read_loops(struct cfg_ctx *ctx, yaml_node_t *node, const char *path, bool spatial,
                      struct pesim_mapping *m, struct pesim_loop *out, uint8_t *nout)
{
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, node, path, "got %s, expected a list of loops",
                         pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - it);
    if (n > PESIM_MAX_LOOPS) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_MAP_LOOP, node, path,
                         "got %zu loops, expected at most %d", n,
                         PESIM_MAX_LOOPS);
        return PESIM_E_INVALID;
    }
    struct pesim_loop loops[PESIM_MAX_LOOPS];
    memset(loops, 0, sizeof loops);
    size_t before = ctx->nerrs;
    for (size_t i = 0; i < n; i++) {
        struct loop_in in = {0, 0, 0};
        char ipath[128];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        pesim_cfg_walk(ctx, spatial ? &spatial_loop_section
                                    : &temporal_loop_section,
                       &in, yaml_document_get_node(ctx->doc, it[i]), ipath);
        loops[i].dim = (uint8_t)in.dim;
        loops[i].axis = (uint8_t)in.axis;
        loops[i].bound = in.bound;
        mark_bound(ctx, m, yaml_document_get_node(ctx->doc, it[i]), loops, i);
    }
    if (ctx->nerrs > before)
        return PESIM_E_INVALID;
    memcpy(out, loops, sizeof loops);
    *nout = (uint8_t)n;
    return 0;
}

/* aux: the level (temporal) or -1 (spatial: the shorthand's array, below
 * the GLB). */
static int parse_loops(struct cfg_ctx *ctx, const struct cfg_key *key,
                       yaml_node_t *node, const char *path, void *obj)
{
    struct pesim_mapping *m = obj;
    if (key->aux < 0)
        return read_loops(ctx, node, path, true, m, m->spatial[PESIM_LEVEL_GLB],
                          &m->nspatial[PESIM_LEVEL_GLB]);
    return read_loops(ctx, node, path, false, m, m->temporal[key->aux], &m->ntemporal[key->aux]);
}

/* ---- The general form: `levels:`, a list of {level, temporal, spatial,
 * bypass} from DRAM down ---- */

/* One item while it is read; `m` and `lv` say where it goes. */
struct level_in {
    char level[PESIM_LEVEL_NAME_MAX];
    bool bypass[PESIM_DS_COUNT];
    struct pesim_mapping *m;
    unsigned lv;
};

static int parse_item_loops(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                            const char *path, void *obj)
{
    struct level_in *in = obj;
    struct pesim_mapping *m = in->m;
    if (key->aux < 0)
        return read_loops(ctx, node, path, true, m, m->spatial[in->lv], &m->nspatial[in->lv]);
    return read_loops(ctx, node, path, false, m, m->temporal[in->lv], &m->ntemporal[in->lv]);
}

static const struct cfg_key level_item_keys[] = {
    {.name = "level", .type = CFG_STRING, .umax = PESIM_LEVEL_NAME_MAX - 1, .unit = "",
     .desc = "The architecture level's name (levels are given in its order)",
     .offset = offsetof(struct level_in, level)},
    {.name = "temporal", .type = CFG_CUSTOM, .def = "[]", .unit = "", .type_doc = "list",
     .flags = CFG_F_LIST, .parse = parse_item_loops, .aux = 0, .sub = &temporal_loop_section,
     .desc = "Temporal loops at the level, outermost first"},
    {.name = "spatial", .type = CFG_CUSTOM, .def = "[]", .unit = "", .type_doc = "list",
     .flags = CFG_F_LIST, .parse = parse_item_loops, .aux = -1, .sub = &spatial_loop_section,
     .desc = "Loops over the fan-out below the level, outermost first"},
    {.name = "bypass", .type = CFG_DS_LIST, .def = "[]", .unit = "",
     .desc = "Data spaces the level keeps no copy of", .offset = offsetof(struct level_in, bypass)},
};

static const struct cfg_section level_item_section = {level_item_keys, 4, NULL};

/* The named mapping a walked mapping belongs to (every mapping the
 * walker fills is one's `mapping`, see mark_bound). */
static struct pesim_named_mapping *named_of(struct pesim_mapping *m)
{
    return (struct pesim_named_mapping *)((char *)m - offsetof(struct pesim_named_mapping, mapping));
}

static int parse_levels(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                        const char *path, void *obj)
{
    (void)key;
    struct pesim_mapping *m = obj;
    size_t n;
    yaml_node_item_t *it = pesim_cfg_level_items(ctx, node, path, &n);
    if (!it)
        return PESIM_E_INVALID;
    size_t before = ctx->nerrs;
    m->nlevels = (uint8_t)n;
    struct pesim_named_mapping *nm = named_of(m);
    for (size_t i = 0; i < n; i++) {
        char ipath[96];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        struct level_in in = {.m = m, .lv = (unsigned)i};
        pesim_cfg_defaults(&level_item_section, &in); /* keeps m and lv */
        pesim_cfg_walk(ctx, &level_item_section, &in, yaml_document_get_node(ctx->doc, it[i]),
                       ipath);
        memcpy(m->bypass[i], in.bypass, sizeof in.bypass);
        snprintf(nm->level[i], sizeof nm->level[i], "%s", in.level);
    }
    return ctx->nerrs > before ? PESIM_E_INVALID : 0;
}

/* `levels` replaces the shorthand's keys. */
static void nest_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    (void)obj;
    if (!pesim_cfg_given(ctx, path, "levels"))
        return;
    static const char *const shorthand[] = {"dram", "glb", "spatial", "rf"};
    for (unsigned k = 0; k < 4; k++)
        if (pesim_cfg_given(ctx, path, shorthand[k]))
            pesim_cfg_error_key(ctx, path, shorthand[k], "given with levels, expected either "
                                "levels or the dram/glb/spatial/rf keys");
}

static void dram_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    const struct pesim_mapping *m = obj;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (m->bypass[PESIM_LEVEL_DRAM][ds]) {
            pesim_cfg_error_keyc(ctx, PESIM_DIAG_MAP_BYPASS, path, "bypass",
                                 "got %s, expected [] (DRAM keeps every data "
                                 "space)",
                                 pesim_ds_name((enum pesim_ds)ds));
            return;
        }
}

#define LEVEL_KEYS(LV, WHAT)                                                   \
    {{.name = "temporal", .type = CFG_CUSTOM, .def = "[]", .unit = "",        \
      .type_doc = "list", .flags = CFG_F_LIST, .parse = parse_loops,          \
      .aux = (LV), .sub = &temporal_loop_section,                             \
      .desc = "Temporal loops at " WHAT ", outermost first"},                 \
     {.name = "bypass", .type = CFG_DS_LIST, .def = "[]", .unit = "",         \
      .desc = "Data spaces " WHAT " keeps no copy of",                        \
      .offset = offsetof(struct pesim_mapping, bypass[LV])}}

static const struct cfg_key dram_keys[] = LEVEL_KEYS(PESIM_LEVEL_DRAM, "DRAM");
static const struct cfg_key glb_keys[] = LEVEL_KEYS(PESIM_LEVEL_GLB, "the GLB");
static const struct cfg_key rf_keys[] = LEVEL_KEYS(PESIM_LEVEL_RF, "the RF");

static const struct cfg_section dram_section = {dram_keys, 2, dram_check};
static const struct cfg_section glb_section = {glb_keys, 2, NULL};
static const struct cfg_section rf_section = {rf_keys, 2, NULL};

static const struct cfg_key nest_keys[] = {
    {.name = "dram", .type = CFG_SECTION, .unit = "", .sub = &dram_section,
     .desc = "Outermost level (bypass must be empty)"},
    {.name = "glb", .type = CFG_SECTION, .unit = "", .sub = &glb_section,
     .desc = "Global buffer level"},
    {.name = "spatial", .type = CFG_CUSTOM, .def = "[]", .unit = "",
     .type_doc = "list", .flags = CFG_F_LIST, .parse = parse_loops, .aux = -1,
     .sub = &spatial_loop_section,
     .desc = "Spatial loops over the PE array, outermost first"},
    {.name = "rf", .type = CFG_SECTION, .unit = "", .sub = &rf_section,
     .desc = "PE register files, innermost level"},
    {.name = "levels", .type = CFG_CUSTOM, .unit = "", .type_doc = "list",
     .flags = CFG_F_OPTIONAL | CFG_F_LIST, .parse = parse_levels, .sub = &level_item_section,
     .desc = "The general form: per level of the architecture, outermost first (instead of "
             "dram, glb, spatial, rf)"},
};

static const struct cfg_section nest_section = {nest_keys, 5, nest_check};

/* What a mapping file loads into: one `mapping`, or a `layers` list. */
struct file_in {
    struct pesim_named_mapping single;
    struct pesim_mapping_set set;
};

static const struct cfg_key item_keys[] = {
    {.name = "layer", .type = CFG_STRING, .umax = PESIM_NAME_MAX - 1, .unit = "",
     .flags = CFG_F_REQUIRED, .desc = "The layer's name in the workload",
     .offset = offsetof(struct pesim_named_mapping, layer)},
    {.name = "mapping", .type = CFG_SECTION, .unit = "", .sub = &nest_section,
     .flags = CFG_F_REQUIRED, .desc = "Its loop nest, as a single mapping's",
     .offset = offsetof(struct pesim_named_mapping, mapping)},
};

static const struct cfg_section item_section = {item_keys, 2, NULL};

static int parse_items(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                       const char *path, void *obj)
{
    (void)key;
    struct file_in *in = obj;
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_TYPE, node, path,
                         "got %s, expected a list of {layer, mapping}",
                         pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    if (node->data.sequence.items.top == node->data.sequence.items.start) {
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_RANGE, node, path,
                         "got an empty list, expected at least one "
                         "{layer, mapping}");
        return PESIM_E_INVALID;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - it);
    in->set.items = calloc(n, sizeof *in->set.items);
    if (!in->set.items)
        return PESIM_E_NOMEM;
    in->set.count = n;
    size_t before = ctx->nerrs;
    for (size_t i = 0; i < n; i++) {
        char ipath[96];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        yaml_node_t *item = yaml_document_get_node(ctx->doc, it[i]);
        pesim_cfg_walk(ctx, &item_section, &in->set.items[i], item, ipath);
        for (size_t j = 0; j < i && ctx->nerrs == before; j++)
            if (strcmp(in->set.items[j].layer, in->set.items[i].layer) == 0)
                pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_DUPLICATE, item, ipath,
                                 "layer '%s' again, expected each layer once "
                                 "(first at %s[%zu])", in->set.items[i].layer, path, j);
    }
    return ctx->nerrs > before ? PESIM_E_INVALID : 0;
}

static void file_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    (void)obj;
    bool one = pesim_cfg_given(ctx, path, "mapping"), many = pesim_cfg_given(ctx, path, "layers");
    if (one == many)
        pesim_cfg_errorc(ctx, PESIM_DIAG_CFG_CONFLICT, NULL, path,
                         "%s, expected either `mapping` (one layer) or "
                         "`layers` (a mapping per layer)", one ? "got both" : "got neither");
}

static const struct cfg_key root_keys[] = {
    {.name = "mapping", .type = CFG_SECTION, .unit = "", .sub = &nest_section,
     .flags = CFG_F_OPTIONAL, .offset = offsetof(struct file_in, single.mapping),
     .desc = "The loop nest, by level from DRAM down to the RF (one layer)"},
    {.name = "layers", .type = CFG_CUSTOM, .unit = "", .type_doc = "list",
     .flags = CFG_F_OPTIONAL | CFG_F_LIST, .parse = parse_items, .sub = &item_section,
     .desc = "A mapping per layer, for whole networks (instead of mapping)"},
};

static const struct cfg_section root_section = {root_keys, 2, file_check};

const struct cfg_section *pesim_mapping_schema(void) { return &root_section; }

void pesim_mapping_set_free(struct pesim_mapping_set *s)
{
    if (!s)
        return;
    free(s->items);
    s->items = NULL;
    s->count = 0;
}

int pesim_mapping_set_load_string(const char *text, size_t len, const char *file,
                                  struct pesim_mapping_set *out, pesim_diags *diags)
{
    struct file_in in;
    memset(&in, 0, sizeof in);
    int rc = pesim_cfg_load(text, len, file, &root_section, &in, diags);
    if (!rc && !in.set.items) {
        in.set.items = calloc(1, sizeof *in.set.items);
        if (!in.set.items)
            rc = PESIM_E_NOMEM;
        else {
            in.set.count = 1;
            in.set.items[0] = in.single;
        }
    }
    if (rc)
        pesim_mapping_set_free(&in.set);
    else
        *out = in.set;
    return rc;
}

/* The one mapping of a file loaded as a set (consumes the set). */
static int single_of(struct pesim_mapping_set *set, const char *file, struct pesim_mapping *out,
                     pesim_diags *diags)
{
    int rc = 0;
    if (set->items[0].layer[0]) {
        pesim_diags_add(diags, file, 0, 0, "got a mapping per layer (`layers`), expected one "
                        "`mapping`");
        rc = PESIM_E_INVALID;
    } else {
        *out = set->items[0].mapping;
    }
    pesim_mapping_set_free(set);
    return rc;
}

int pesim_mapping_load_string(const char *text, size_t len, const char *file,
                              struct pesim_mapping *out, pesim_diags *diags)
{
    struct pesim_mapping_set set;
    int rc = pesim_mapping_set_load_string(text, len, file, &set, diags);
    return rc ? rc : single_of(&set, file, out, diags);
}

const struct pesim_named_mapping *pesim_mapping_set_find(const struct pesim_mapping_set *s,
                                                         const char *layer)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i].layer, layer) == 0)
            return &s->items[i];
    return NULL;
}

int pesim_mapping_set_load(const char *path, struct pesim_mapping_set *out,
                           pesim_diags *diags)
{
    size_t len = 0;
    char *text;
    int rc = pesim_file_read(path, NULL, &text, &len, diags);
    if (rc == PESIM_E_IO)
        pesim_diags_addc(diags, PESIM_DIAG_FILE_IO, path, 0, 0,
                         "cannot read the file, expected a readable mapping "
                         "file");
    if (rc)
        return rc == PESIM_E_IO ? PESIM_E_NOTFOUND : rc;
    rc = pesim_mapping_set_load_string(text, len, path, out, diags);
    free(text);
    return rc;
}

int pesim_mapping_load(const char *path, struct pesim_mapping *out,
                       pesim_diags *diags)
{
    struct pesim_mapping_set set;
    int rc = pesim_mapping_set_load(path, &set, diags);
    return rc ? rc : single_of(&set, path, out, diags);
}

static int write_loops(FILE *out, const struct pesim_loop *loops, size_t n,
                       bool spatial)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        const char *dim = pesim_dim_name((enum pesim_dim)loops[i].dim);
        const char *axis = pesim_axis_name((enum pesim_axis)loops[i].axis);
        if (!dim || (spatial && !axis) || loops[i].bound == 0)
            return PESIM_E_INVALID;
        fprintf(out, "%s{dim: %s, bound: %lu", i ? ", " : "", dim,
                (unsigned long)loops[i].bound);
        if (spatial)
            fprintf(out, ", axis: %s", axis);
        fputc('}', out);
    }
    fputs("]\n", out);
    return 0;
}

static void write_bypass(FILE *out, const char *indent, const bool *bypass)
{
    fprintf(out, "%s      bypass: [", indent);
    bool first = true;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (bypass[ds]) {
            fprintf(out, "%s%s", first ? "" : ", ",
                    pesim_ds_name((enum pesim_ds)ds));
            first = false;
        }
    fputs("]\n", out);
}

static int write_level(FILE *out, const char *indent, const struct pesim_arch *arch,
                       const struct pesim_mapping *m, unsigned lv)
{
    if (m->ntemporal[lv] > PESIM_MAX_LOOPS || m->nspatial[lv] > PESIM_MAX_LOOPS)
        return PESIM_E_INVALID;
    fprintf(out, "%s    - level: %s\n%s      temporal: ", indent, arch->level[lv].name, indent);
    int rc = write_loops(out, m->temporal[lv], m->ntemporal[lv], false);
    if (!rc && m->nspatial[lv]) {
        fprintf(out, "%s      spatial: ", indent);
        rc = write_loops(out, m->spatial[lv], m->nspatial[lv], true);
    }
    if (rc)
        return rc;
    write_bypass(out, indent, m->bypass[lv]);
    return 0;
}

/* The nest under a `mapping:` key indented by `indent`, in the general
 * form (a list of the architecture's levels). */
static int write_nest(const struct pesim_arch *arch, const struct pesim_mapping *m,
                      const char *indent, FILE *out)
{
    if (pesim_mapping_levels(m) != arch->nlevels)
        return PESIM_E_INVALID;
    fprintf(out, "%smapping:\n%s  levels:\n", indent, indent);
    for (unsigned lv = 0; lv < arch->nlevels; lv++) {
        int rc = write_level(out, indent, arch, m, lv);
        if (rc)
            return rc;
    }
    return ferror(out) ? PESIM_E_IO : 0;
}

int pesim_mapping_write_yaml(const struct pesim_arch *arch, const struct pesim_mapping *m,
                             FILE *out)
{
    return write_nest(arch, m, "", out);
}

int pesim_mapping_set_write_yaml(const struct pesim_arch *arch, const struct pesim_mapping_set *s,
                                 FILE *out)
{
    fputs("layers:\n", out);
    for (size_t i = 0; i < s->count; i++) {
        fputs("  - layer: ", out);
        pesim_cfg_write_quoted(out, s->items[i].layer);
        fputc('\n', out);
        int rc = write_nest(arch, &s->items[i].mapping, "    ", out);
        if (rc)
            return rc;
    }
    return ferror(out) ? PESIM_E_IO : 0;
}
