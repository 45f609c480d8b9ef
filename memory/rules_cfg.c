/* Schema of a level's mapspace constraints (`constraints:` of an item of
 * `levels:`, docs/config.md "Levels"; struct pesim_level_rules): which
 * data spaces it must keep, the temporal factors and loop order it
 * allows, and the spatial factors and axes of the fan-out below it. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "arch/arch_in.h"

#define RULES_OFF(FIELD) offsetof(struct pesim_level_rules, FIELD)

static bool dim_at(struct cfg_ctx *ctx, yaml_node_t *n, const char *path, enum pesim_dim *d)
{
    const char *s = pesim_cfg_scalar(n);
    if (s && pesim_dim_parse(s, d) == 0)
        return true;
    pesim_cfg_error(ctx, n, path, "got %s%.20s%s, expected a dimension (N, G, M, C, P, Q, R "
                    "or S)", s ? "'" : "", s ? s : pesim_cfg_kind_name(n), s ? "'" : "");
    return false;
}

/* A dim named once: false (reported) when not a dim or already `taken`. */
static bool dim_once(struct cfg_ctx *ctx, yaml_node_t *n, const char *path, const bool *taken,
                     enum pesim_dim *d)
{
    if (!dim_at(ctx, n, path, d))
        return false;
    if (taken[*d]) {
        pesim_cfg_error(ctx, n, path, "%s again, expected each dimension once",
                        pesim_dim_name(*d));
        return false;
    }
    return true;
}

/* {DIM: bound, ...} into uint32_t[PESIM_DIM_COUNT] (each bound >= 1). */
static int parse_factors(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                         const char *path, void *obj)
{
    uint32_t *f = (uint32_t *)((char *)obj + key->offset);
    if (node->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(ctx, node, path, "got %s, expected a mapping from dimensions to "
                        "bounds, such as {N: 1, M: 16}", pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    memset(f, 0, PESIM_DIM_COUNT * sizeof *f);
    int rc = 0;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, p->value);
        enum pesim_dim d;
        uint64_t b;
        bool taken[PESIM_DIM_COUNT];
        for (unsigned i = 0; i < PESIM_DIM_COUNT; i++)
            taken[i] = f[i] != 0;
        if (!dim_once(ctx, k, path, taken, &d)) {
            rc = PESIM_E_INVALID;
            continue;
        }
        if (pesim_cfg_u64(ctx, v, path, 1, UINT32_MAX, "a bound >= 1", &b)) {
            rc = PESIM_E_INVALID;
            continue;
        }
        f[d] = (uint32_t)b;
    }
    return rc;
}

/* A list of distinct dims (at most PESIM_DIM_COUNT), into list[], *n. */
static int dim_list(struct cfg_ctx *ctx, yaml_node_t *node, const char *path,
                    uint8_t list[PESIM_DIM_COUNT], unsigned *n)
{
    if (node->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(ctx, node, path, "got %s, expected a list of dimensions, such as "
                        "[Q, M]", pesim_cfg_kind_name(node));
        return PESIM_E_INVALID;
    }
    bool seen[PESIM_DIM_COUNT] = {false};
    int rc = 0;
    *n = 0;
    for (yaml_node_item_t *it = node->data.sequence.items.start;
         it < node->data.sequence.items.top; it++) {
        yaml_node_t *v = yaml_document_get_node(ctx->doc, *it);
        enum pesim_dim d;
        if (!dim_once(ctx, v, path, seen, &d)) {
            rc = PESIM_E_INVALID;
            continue;
        }
        seen[d] = true;
        list[(*n)++] = (uint8_t)d;
    }
    return rc;
}

/* `order`: into order[] and norder. */
static int parse_order(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                       const char *path, void *obj)
{
    struct pesim_level_rules *r = (struct pesim_level_rules *)((char *)obj + key->offset);
    uint8_t list[PESIM_DIM_COUNT];
    unsigned n;
    if (dim_list(ctx, node, path, list, &n))
        return PESIM_E_INVALID;
    memset(r->order, 0, sizeof r->order);
    memcpy(r->order, list, n);
    r->norder = (uint8_t)n;
    return 0;
}

/* `x`, `y` (key->aux: the axis): the dims not listed may not take it. */
static int parse_axis(struct cfg_ctx *ctx, const struct cfg_key *key, yaml_node_t *node,
                      const char *path, void *obj)
{
    struct pesim_level_rules *r = (struct pesim_level_rules *)((char *)obj + key->offset);
    uint8_t list[PESIM_DIM_COUNT];
    unsigned n;
    if (dim_list(ctx, node, path, list, &n))
        return PESIM_E_INVALID;
    uint8_t bit = (uint8_t)(1u << key->aux);
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        r->no_axis[d] |= bit;
    for (unsigned i = 0; i < n; i++)
        r->no_axis[list[i]] &= (uint8_t)~bit;
    return 0;
}

static const struct cfg_key rules_keys[] = {
    {.name = "keep", .type = CFG_DS_LIST, .def = "[]", .unit = "",
     .desc = "Data spaces the level must keep (of those it holds); the mapper chooses for "
             "the others",
     .offset = RULES_OFF(keep)},
    {.name = "factors", .type = CFG_CUSTOM, .type_doc = "mapping", .unit = "",
     .flags = CFG_F_OPTIONAL, .parse = parse_factors, .offset = RULES_OFF(factor),
     .desc = "Temporal bound of each listed dimension at this level, exactly ({N: 1}: no N "
             "loop here); the others are free"},
    {.name = "order", .type = CFG_CUSTOM, .type_doc = "list", .unit = "",
     .flags = CFG_F_OPTIONAL, .parse = parse_order, .offset = 0,
     .desc = "The level's innermost temporal loops, outermost first; the other dimensions' "
             "loops go outside them"},
    {.name = "spatial_factors", .type = CFG_CUSTOM, .type_doc = "mapping", .unit = "",
     .flags = CFG_F_OPTIONAL, .parse = parse_factors, .offset = RULES_OFF(spatial_factor),
     .desc = "Bound of each listed dimension over the fan-out below (both axes together), "
             "exactly; the others are free"},
    {.name = "x", .type = CFG_CUSTOM, .type_doc = "list", .unit = "", .flags = CFG_F_OPTIONAL,
     .parse = parse_axis, .offset = 0, .aux = PESIM_AXIS_X,
     .desc = "The only dimensions the fan-out's columns (axis x) may take (default: any)"},
    {.name = "y", .type = CFG_CUSTOM, .type_doc = "list", .unit = "", .flags = CFG_F_OPTIONAL,
     .parse = parse_axis, .offset = 0, .aux = PESIM_AXIS_Y,
     .desc = "The only dimensions the fan-out's rows (axis y) may take (default: any)"},
};

const struct cfg_section pesim_rules_section = {
    rules_keys, sizeof rules_keys / sizeof rules_keys[0], NULL};
