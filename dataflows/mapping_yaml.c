/* Mappings as YAML: loader (schema walker) and writer. The writer emits the
 * same shape the loader reads, so write -> load is the identity. */
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "pesim/mapping.h"

#define BOUND_MAX 4294967295ull

static const char *const dim_names[] = {"N", "G", "M", "C", "P",
                                        "Q", "R", "S", NULL};
static const char *const axis_names[] = {"x", "y", NULL};

struct loop_in {
    int dim;
    int axis;
    uint32_t bound;
};

static const struct cfg_key temporal_loop_keys[] = {
    {.name = "dim", .type = CFG_ENUM, .names = dim_names, .unit = "",
     .desc = "Dimension iterated", .offset = offsetof(struct loop_in, dim)},
    {.name = "bound", .type = CFG_U32, .umin = 1, .umax = BOUND_MAX,
     .unit = "", .desc = "Iterations", .offset = offsetof(struct loop_in, bound)},
};

static const struct cfg_section temporal_loop_section = {
    temporal_loop_keys, 2, NULL};

static const struct cfg_key spatial_loop_keys[] = {
    {.name = "dim", .type = CFG_ENUM, .names = dim_names, .unit = "",
     .desc = "Dimension spread over the array",
     .offset = offsetof(struct loop_in, dim)},
    {.name = "bound", .type = CFG_U32, .umin = 1, .umax = BOUND_MAX,
     .unit = "PEs", .desc = "PEs along the axis",
     .offset = offsetof(struct loop_in, bound)},
    {.name = "axis", .type = CFG_ENUM, .names = axis_names, .unit = "",
     .desc = "x spans columns, y spans rows",
     .offset = offsetof(struct loop_in, axis)},
};

static const struct cfg_section spatial_loop_section = {
    spatial_loop_keys, 3, NULL};

/* aux: the level (temporal) or -1 (spatial). */
static int parse_loops(struct cfg_ctx *ctx, const struct cfg_key *key,
                       yaml_node_t *node, const char *path, void *obj)
{
    struct pesim_mapping *m = obj;
    bool spatial = key->aux < 0;
    if (!node || node->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(ctx, node, path, "got %s, expected a list of loops",
                        pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    yaml_node_item_t *it = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - it);
    if (n > PESIM_MAX_LOOPS) {
        pesim_cfg_error(ctx, node, path,
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
    }
    if (ctx->nerrs > before)
        return PESIM_E_INVALID;
    if (spatial) {
        memcpy(m->spatial, loops, sizeof loops);
        m->nspatial = (uint8_t)n;
    } else {
        memcpy(m->temporal[key->aux], loops, sizeof loops);
        m->ntemporal[key->aux] = (uint8_t)n;
    }
    return 0;
}

static void dram_check(struct cfg_ctx *ctx, const char *path, void *obj)
{
    const struct pesim_mapping *m = obj;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (m->bypass[PESIM_LEVEL_DRAM][ds]) {
            pesim_cfg_error_key(ctx, path, "bypass",
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
};

static const struct cfg_section nest_section = {nest_keys, 4, NULL};

static const struct cfg_key root_keys[] = {
    {.name = "mapping", .type = CFG_SECTION, .unit = "", .sub = &nest_section,
     .flags = CFG_F_REQUIRED,
     .desc = "The loop nest, by level from DRAM down to the RF"},
};

static const struct cfg_section root_section = {root_keys, 1, NULL};

const struct cfg_section *pesim_mapping_schema(void) { return &root_section; }

int pesim_mapping_load_string(const char *text, size_t len, const char *file,
                              struct pesim_mapping *out, pesim_diags *diags)
{
    struct pesim_mapping m;
    memset(&m, 0, sizeof m);
    int rc = pesim_cfg_load(text, len, file, &root_section, &m, diags);
    if (!rc)
        *out = m;
    return rc;
}

int pesim_mapping_load(const char *path, struct pesim_mapping *out,
                       pesim_diags *diags)
{
    size_t len = 0;
    char *text = pesim_cfg_read_file(path, &len);
    if (!text) {
        pesim_diags_add(diags, path, 0, 0,
                        "cannot read the file, expected a readable mapping "
                        "file");
        return PESIM_E_NOTFOUND;
    }
    int rc = pesim_mapping_load_string(text, len, path, out, diags);
    free(text);
    return rc;
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

static void write_bypass(FILE *out, const bool *bypass)
{
    fputs("    bypass: [", out);
    bool first = true;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (bypass[ds]) {
            fprintf(out, "%s%s", first ? "" : ", ",
                    pesim_ds_name((enum pesim_ds)ds));
            first = false;
        }
    fputs("]\n", out);
}

static int write_level(FILE *out, const struct pesim_mapping *m,
                       enum pesim_level lv)
{
    if (m->ntemporal[lv] > PESIM_MAX_LOOPS)
        return PESIM_E_INVALID;
    fprintf(out, "  %s:\n    temporal: ", pesim_level_name(lv));
    int rc = write_loops(out, m->temporal[lv], m->ntemporal[lv], false);
    if (rc)
        return rc;
    write_bypass(out, m->bypass[lv]);
    return 0;
}

int pesim_mapping_write_yaml(const struct pesim_mapping *m, FILE *out)
{
    if (m->nspatial > PESIM_MAX_LOOPS)
        return PESIM_E_INVALID;
    fputs("mapping:\n", out);
    int rc = write_level(out, m, PESIM_LEVEL_DRAM);
    if (!rc)
        rc = write_level(out, m, PESIM_LEVEL_GLB);
    if (!rc) {
        fputs("  spatial: ", out);
        rc = write_loops(out, m->spatial, m->nspatial, true);
    }
    if (!rc)
        rc = write_level(out, m, PESIM_LEVEL_RF);
    if (rc)
        return rc;
    return ferror(out) ? PESIM_E_IO : 0;
}
