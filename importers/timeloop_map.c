/* Timeloop mappings: the YAML `mapping:` list and the map.txt printout
 * (include/pesim/import.h, docs/timeloop.md).
 *
 * Timeloop keys a mapping by target: a storage level (temporal loops,
 * keep/bypass) or a spatial container (spatial loops, split between X and
 * Y). pesim keys it by level: each level's temporal loops outermost first
 * (Timeloop's permutation lists them innermost first), the spatial loops
 * of the fan-out below it (every container merged into that fan-out, in
 * the order of the architecture), and its bypass. The reader writes the
 * general-form YAML of docs/config.md and loads it, so an imported
 * mapping and a run one are the same. */
#include <ctype.h>

#include "importers/tl_yaml.h"
#include "pesim/import.h"

#define NLOOPS PESIM_MAX_LOOPS
#define NTARGET (PESIM_LEVELS_MAX + PESIM_TL_SPATIAL_MAX)

struct lp {
    uint8_t dim, axis;
    uint32_t bound;
};

/* A target's loops: storage levels first (0 .. nlevels-1), then the
 * spatial containers (PESIM_LEVELS_MAX + i). */
struct target {
    unsigned nt, ns;
    struct lp t[NLOOPS], s[NLOOPS];
    bool temporal_given, spatial_given, ds_given;
    bool bypass[PESIM_DS_COUNT], keep[PESIM_DS_COUNT];
};

struct mreader {
    struct cfg_ctx ctx;
    yaml_document_t *doc;
    const struct pesim_arch *arch;
    const struct pesim_tl_arch *tl;
    const struct pesim_tl_dims *dims;
    struct target tg[NTARGET];
    /* map.txt positions */
    unsigned line;
    /* constraints (pesim_import_tl_rules): per level */
    struct pesim_level_rules *rules;
    bool (*bypass)[PESIM_DS_COUNT];
    bool v04_node; /* reading a v0.4 node's own constraints */
};

static void targets_list(const struct pesim_tl_arch *tl, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < tl->nlevels && n < size; i++)
        if (!tl->container[i]) /* named below, as the container it stands for */
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", tl->component[i]);
    for (unsigned i = 0; i < tl->nspatial && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, ", %s", tl->spatial[i].name);
}

/* Index of a target by name, or -1. */
static int find_target(const struct pesim_tl_arch *tl, const char *name)
{
    for (unsigned i = 0; i < tl->nlevels; i++)
        if (!tl->container[i] && !strcmp(tl->component[i], name))
            return (int)i;
    for (unsigned i = 0; i < tl->nspatial; i++)
        if (!strcmp(tl->spatial[i].name, name) || !strcmp(tl->spatial[i].alias, name))
            return PESIM_LEVELS_MAX + (int)i;
    return -1;
}

/* A container the arch has with no fan-out (meshX = meshY = 1), which
 * the front end still names as a dummy level: nothing to map there. */
static bool empty_container(const char *name)
{
    size_t n = strlen(name);
    return n > 14 && !strncmp(name, "inter_", 6) && !strcmp(name + n - 8, "_spatial");
}

static int dim_of(const struct pesim_tl_dims *d, const char *name, size_t len)
{
    for (unsigned i = 0; i < d->n; i++)
        if (strlen(d->name[i]) == len && !strncmp(d->name[i], name, len))
            return d->dim[i];
    return -1;
}

static void dims_list(const struct pesim_tl_dims *d, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < d->n && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", d->name[i]);
}

/* ---- factors and permutations ----------------------------------------- */

struct fac {
    unsigned n;
    int dim[16];
    char name[16][16];
    uint32_t v[16];
};

static bool parse_factor_text(struct mreader *r, yaml_node_t *at, const char *s, struct fac *f)
{
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *a = p;
        while (isalpha((unsigned char)*p) || *p == '_')
            p++;
        size_t nl = (size_t)(p - a);
        if (*p == '=')
            p++;
        char *end;
        unsigned long v = nl ? strtoul(p, &end, 10) : 0;
        if (!nl || end == p || v < 1 || v > UINT32_MAX || nl >= 16) {
            pesim_cfg_error(&r->ctx, at, "factors", "got '%.60s', expected factors such as "
                            "\"R=3 P=16\" or \"C1 M8\" (each at least 1)", s);
            return false;
        }
        p = end;
        int d = dim_of(r->dims, a, nl);
        if (d < 0) {
            char list[256];
            dims_list(r->dims, list, sizeof list);
            pesim_cfg_error(&r->ctx, at, "factors", "'%.*s' is not a dimension of the "
                            "problem, expected one of %s", (int)nl, a, list);
            return false;
        }
        if (f->n == 16)
            return false;
        memcpy(f->name[f->n], a, nl);
        f->name[f->n][nl] = '\0';
        f->dim[f->n] = d;
        f->v[f->n++] = (uint32_t)v;
    }
    return true;
}

static bool parse_factors(struct mreader *r, yaml_node_t *n, struct fac *f)
{
    memset(f, 0, sizeof *f);
    if (!n)
        return true;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < tl_len(n); i++) {
            yaml_node_t *it = tl_item(r->doc, n, i);
            const char *s = pesim_cfg_scalar(it);
            if (!s || !parse_factor_text(r, it, s, f))
                return false;
        }
        return true;
    }
    const char *s = pesim_cfg_scalar(n);
    if (!s) {
        pesim_cfg_error(&r->ctx, n, "factors", "got %s, expected a string such as \"R=3 "
                        "P=16\"", pesim_cfg_kind_name(n));
        return false;
    }
    return parse_factor_text(r, n, s, f);
}

/* The permutation's names, innermost first, as indices into f. */
static bool parse_perm(struct mreader *r, yaml_node_t *n, const struct fac *f, int *order,
                       unsigned *norder)
{
    *norder = 0;
    char buf[256] = "";
    if (n && n->type == YAML_SEQUENCE_NODE) {
        size_t k = 0;
        for (size_t i = 0; i < tl_len(n) && k + 2 < sizeof buf; i++) {
            const char *s = pesim_cfg_scalar(tl_item(r->doc, n, i));
            if (s && strlen(s) == 1)
                buf[k++] = s[0];
        }
        buf[k] = '\0';
    } else if (n) {
        const char *s = pesim_cfg_scalar(n);
        if (!s) {
            pesim_cfg_error(&r->ctx, n, "permutation", "got %s, expected dimension names "
                            "innermost first (\"RPK\")", pesim_cfg_kind_name(n));
            return false;
        }
        snprintf(buf, sizeof buf, "%s", s);
    }
    bool used[16] = {false};
    for (const char *p = buf; *p; p++) {
        if (*p == ' ' || *p == ',')
            continue;
        int d = dim_of(r->dims, p, 1);
        if (d < 0) {
            char list[256];
            dims_list(r->dims, list, sizeof list);
            pesim_cfg_error(&r->ctx, n, "permutation", "'%c' is not a dimension of the "
                            "problem, expected letters of %s", *p, list);
            return false;
        }
        for (unsigned i = 0; i < f->n; i++)
            if (!used[i] && f->name[i][0] == *p && f->name[i][1] == '\0') {
                used[i] = true;
                order[(*norder)++] = (int)i;
            }
    }
    /* Factors the permutation leaves out go innermost. */
    int rest[16];
    unsigned nrest = 0;
    for (unsigned i = 0; i < f->n; i++)
        if (!used[i])
            rest[nrest++] = (int)i;
    memmove(order + nrest, order, *norder * sizeof *order);
    memcpy(order, rest, nrest * sizeof *order);
    *norder += nrest;
    return true;
}

static bool push(struct mreader *r, yaml_node_t *at, struct lp *list, unsigned *n, int dim,
                 uint32_t bound, int axis)
{
    if (bound <= 1)
        return true;
    if (*n == NLOOPS) {
        pesim_cfg_error(&r->ctx, at, "factors", "more than %d loops at one level, expected "
                        "at most that many", NLOOPS);
        return false;
    }
    list[(*n)++] = (struct lp){(uint8_t)dim, (uint8_t)axis, bound};
    return true;
}

static void ds_names(struct mreader *r, yaml_node_t *n, const char *what, bool *out)
{
    tl_ds_list(&r->ctx, r->doc, n, what, out);
}

/* The axis of each factor of a spatial directive: permutation positions
 * below `split` are X, the rest Y. Without split, the container's one
 * axis (X when it has both). */
static void spatial_entry(struct mreader *r, yaml_node_t *item, int ti, const struct fac *f,
                          const int *order, unsigned norder)
{
    struct target *t = &r->tg[ti];
    yaml_node_t *sn = tl_get(r->doc, item, "split");
    long split = -1;
    if (sn) {
        const char *s = pesim_cfg_scalar(sn);
        char *end;
        split = s ? strtol(s, &end, 10) : -1;
        if (!s || end == s || *end || split < 0) {
            pesim_cfg_error(&r->ctx, sn, "split", "got '%.40s', expected a whole number >= 0",
                            s ? s : pesim_cfg_kind_name(sn));
            return;
        }
    } else {
        bool only_y = false;
        if (ti >= PESIM_LEVELS_MAX) {
            const struct pesim_tl_spatial *sp = &r->tl->spatial[ti - PESIM_LEVELS_MAX];
            only_y = sp->x == 1 && sp->y > 1;
        } else {
            only_y = r->arch->level[ti].fanout.cols <= 1;
        }
        split = only_y ? 0 : 1000;
    }
    /* pesim lists outermost first: walk the permutation backwards. */
    for (unsigned k = norder; k-- > 0;) {
        int i = order[k];
        if (!push(r, item, t->s, &t->ns, f->dim[i], f->v[i],
                  (long)k < split ? PESIM_AXIS_X : PESIM_AXIS_Y))
            return;
    }
}

static void yaml_entry(struct mreader *r, yaml_node_t *item)
{
    yaml_document_t *d = r->doc;
    if (!item || item->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&r->ctx, item, "mapping", "got %s, expected {target, type, ...}",
                        pesim_cfg_kind_name(item));
        return;
    }
    yaml_node_t *tn = tl_get(d, item, "target");
    const char *target = pesim_cfg_scalar(tn);
    const char *type = pesim_cfg_scalar(tl_get(d, item, "type"));
    if (!target || !type) {
        pesim_cfg_error(&r->ctx, item, "mapping", "missing %s, expected {target, type: "
                        "temporal | spatial | datatype | bypass, ...}",
                        target ? "type" : "target");
        return;
    }
    int ti = find_target(r->tl, target);
    if (ti < 0 && empty_container(target)) {
        /* A container with no fan-out: only unit factors belong there. */
        struct fac f;
        if (!parse_factors(r, tl_get(d, item, "factors"), &f))
            return;
        for (unsigned i = 0; i < f.n; i++)
            if (f.v[i] > 1) {
                pesim_cfg_error(&r->ctx, tn, "target", "'%s' has no fan-out in the "
                                "architecture, expected factors of 1 there", target);
                return;
            }
        return;
    }
    if (ti < 0) {
        char list[512];
        targets_list(r->tl, list, sizeof list);
        pesim_cfg_error(&r->ctx, tn, "target", "'%.60s' is not a storage level or spatial "
                        "container of the architecture, expected one of %s", target, list);
        return;
    }
    struct target *t = &r->tg[ti];
    bool container = ti >= PESIM_LEVELS_MAX;
    if (!strcmp(type, "datatype") || !strcmp(type, "dataspace") || !strcmp(type, "bypass")) {
        if (container)
            return; /* a container keeps nothing */
        ds_names(r, tl_get(d, item, "keep"), "keep", t->keep);
        ds_names(r, tl_get(d, item, "bypass"), "bypass", t->bypass);
        t->ds_given = true;
        return;
    }
    bool temporal = !strcmp(type, "temporal");
    bool spatial = !strcmp(type, "spatial");
    if (!temporal && !spatial) {
        pesim_cfg_error(&r->ctx, tl_get(d, item, "type"), "type", "got '%.40s', expected "
                        "temporal, spatial, datatype or bypass", type);
        return;
    }
    struct fac f;
    int order[16];
    unsigned norder;
    if (!parse_factors(r, tl_get(d, item, "factors"), &f) ||
        !parse_perm(r, tl_get(d, item, "permutation"), &f, order, &norder))
        return;
    if (temporal && container) {
        for (unsigned i = 0; i < f.n; i++)
            if (f.v[i] > 1) {
                pesim_cfg_error(&r->ctx, tl_get(d, item, "factors"), "factors", "temporal "
                                "factor %s%u at the container '%s' is not supported, "
                                "expected 1 (temporal loops belong to storage levels)",
                                f.name[i], f.v[i], target);
                return;
            }
        return;
    }
    if ((temporal && t->temporal_given) || (spatial && t->spatial_given)) {
        pesim_cfg_error(&r->ctx, tn, "target", "a second %s directive for '%s', expected "
                        "one", type, target);
        return;
    }
    if (temporal) {
        t->temporal_given = true;
        for (unsigned k = norder; k-- > 0;)
            if (!push(r, item, t->t, &t->nt, f.dim[order[k]], f.v[order[k]], 0))
                return;
        return;
    }
    t->spatial_given = true;
    if (!container && !pesim_arch_has_fanout(r->arch, (unsigned)ti)) {
        for (unsigned i = 0; i < f.n; i++)
            if (f.v[i] > 1) {
                pesim_cfg_error(&r->ctx, tn, "target", "spatial factors at '%s', which has "
                                "no fan-out below it, expected them at a level with one",
                                target);
                return;
            }
        return;
    }
    spatial_entry(r, item, ti, &f, order, norder);
}

static void read_yaml(struct mreader *r, yaml_document_t *doc)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    yaml_node_t *m = tl_get(doc, root, "mapping");
    if (!m) {
        pesim_cfg_error(&r->ctx, root, "mapping", "missing, expected mapping: a list of "
                        "{target, type, factors, permutation}");
        return;
    }
    if (m->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < tl_len(m); i++)
            yaml_entry(r, tl_item(doc, m, i));
        return;
    }
    if (m->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
             p++) {
            yaml_node_t *v = tl_node(doc, p->value);
            if (!v || v->type != YAML_SEQUENCE_NODE) {
                pesim_cfg_error(&r->ctx, v, "mapping", "got %s, expected lists of {target, "
                                "type, ...}", pesim_cfg_kind_name(v));
                continue;
            }
            for (size_t i = 0; i < tl_len(v); i++)
                yaml_entry(r, tl_item(doc, v, i));
        }
        return;
    }
    pesim_cfg_error(&r->ctx, m, "mapping", "got %s, expected a list of {target, type, ...}",
                    pesim_cfg_kind_name(m));
}

/* ---- mapspace constraints ---------------------------------------------- */

/* A permutation's dims, innermost first, as pesim dims: a string of
 * one-letter names ("RPK", spaces and commas ignored) or a list of them;
 * a name twice counts once. */
static bool perm_dims(struct mreader *r, yaml_node_t *n, uint8_t *dims, unsigned *nd)
{
    char buf[64] = "";
    *nd = 0;
    if (!n)
        return true;
    if (n->type == YAML_SEQUENCE_NODE) {
        size_t k = 0;
        for (size_t i = 0; i < tl_len(n) && k + 1 < sizeof buf; i++) {
            const char *s = pesim_cfg_scalar(tl_item(r->doc, n, i));
            buf[k++] = s && strlen(s) == 1 ? s[0] : '?';
        }
    } else if (pesim_cfg_scalar(n)) {
        snprintf(buf, sizeof buf, "%s", pesim_cfg_scalar(n));
    }
    for (const char *p = buf; *p; p++) {
        if (*p == ' ' || *p == ',')
            continue;
        int d = dim_of(r->dims, p, 1);
        if (d < 0) {
            char list[256];
            dims_list(r->dims, list, sizeof list);
            pesim_cfg_error(&r->ctx, n, "permutation", "'%c' is not a dimension of the "
                            "problem, expected letters of %s", *p, list);
            return false;
        }
        bool dup = false;
        for (unsigned j = 0; j < *nd; j++)
            dup |= dims[j] == d;
        if (!dup && *nd < PESIM_DIM_COUNT)
            dims[(*nd)++] = (uint8_t)d;
    }
    return true;
}

/* A constraint's factors and permutation (innermost first). */
static bool factors_perm(struct mreader *r, yaml_node_t *item, struct fac *f, uint8_t *perm,
                         unsigned *np)
{
    return parse_factors(r, tl_get(r->doc, item, "factors"), f) &&
           perm_dims(r, tl_get(r->doc, item, "permutation"), perm, np);
}

static void rules_temporal(struct mreader *r, yaml_node_t *item, unsigned lv)
{
    struct fac f;
    uint8_t perm[PESIM_DIM_COUNT + 8];
    unsigned np;
    if (!factors_perm(r, item, &f, perm, &np))
        return;
    struct pesim_level_rules *ru = &r->rules[lv];
    for (unsigned i = 0; i < f.n; i++)
        ru->factor[f.dim[i]] = f.v[i];
    if (np) {
        /* innermost first -> outermost first */
        ru->norder = (uint8_t)np;
        for (unsigned k = 0; k < np; k++)
            ru->order[k] = perm[np - 1 - k];
    }
}

/* Spatial factors, and the axes a permutation with a split gives: its
 * positions below split are X, the rest Y; the dims it does not list
 * follow it in a free order (Timeloop's <prefix><free infix>), so they are
 * Y when split is within the list, X when split is past every dim. */
static void rules_spatial(struct mreader *r, yaml_node_t *item, unsigned lv)
{
    struct fac f;
    uint8_t perm[PESIM_DIM_COUNT + 8];
    unsigned np;
    if (!factors_perm(r, item, &f, perm, &np))
        return;
    struct pesim_level_rules *ru = &r->rules[lv];
    for (unsigned i = 0; i < f.n; i++)
        ru->spatial_factor[f.dim[i]] = f.v[i];
    yaml_node_t *sn = tl_get(r->doc, item, "split");
    if (!sn)
        return;
    const char *s = pesim_cfg_scalar(sn);
    char *end;
    long split = s ? strtol(s, &end, 10) : -1;
    if (!s || end == s || *end || split < 0) {
        pesim_cfg_error(&r->ctx, sn, "split", "got '%.40s', expected a whole number >= 0",
                        s ? s : pesim_cfg_kind_name(sn));
        return;
    }
    bool listed[PESIM_DIM_COUNT] = {false};
    for (unsigned k = 0; k < np; k++)
        listed[perm[k]] = true;
    /* Timeloop's front end completes a v0.4 node's partial permutation by
     * putting the dims it fixes to 1 before the listed ones, and keeps the
     * split: simple_weight_stationary's [C, M] with split 1 ran as
     * NQPSRCM, split 1 (its parsed-processed-input.yaml), so C and M both
     * took Y, as its reference mapping shows. */
    long shift = 0;
    if (r->v04_node && np < r->dims->n)
        for (unsigned i = 0; i < f.n; i++)
            shift += f.v[i] == 1 && !listed[f.dim[i]];
    for (unsigned k = 0; k < np; k++)
        ru->no_axis[perm[k]] =
            (uint8_t)(1u << ((long)k + shift < split ? PESIM_AXIS_Y : PESIM_AXIS_X));
    np += (unsigned)shift;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if (!listed[d]) {
            if (split <= (long)np)
                ru->no_axis[d] = 1u << PESIM_AXIS_X;
            else if (split >= (long)(np + r->dims->n))
                ru->no_axis[d] = 1u << PESIM_AXIS_Y;
        }
}

/* One constraint: {target, type, factors, permutation, split, keep,
 * bypass}, the same keys as a mapping's directives. */
static void rules_entry(struct mreader *r, yaml_node_t *item, const char *target,
                        yaml_node_t *tn, const char *type)
{
    int ti = find_target(r->tl, target);
    if (ti < 0 && empty_container(target))
        return;
    if (ti < 0) {
        char list[512];
        targets_list(r->tl, list, sizeof list);
        pesim_cfg_error(&r->ctx, tn, "target", "'%.60s' is not a storage level or spatial "
                        "container of the architecture, expected one of %s", target, list);
        return;
    }
    bool container = ti >= PESIM_LEVELS_MAX || r->tl->container[ti];
    unsigned lv = ti >= PESIM_LEVELS_MAX ? r->tl->spatial[ti - PESIM_LEVELS_MAX].level
                                         : (unsigned)ti;
    if (!strcmp(type, "datatype") || !strcmp(type, "dataspace") || !strcmp(type, "bypass") ||
        !strcmp(type, "bypassing")) {
        if (container)
            return; /* a container keeps nothing */
        ds_names(r, tl_get(r->doc, item, "keep"), "keep", r->rules[lv].keep);
        ds_names(r, tl_get(r->doc, item, "bypass"), "bypass", r->bypass[lv]);
        return;
    }
    if (!strcmp(type, "temporal")) {
        if (!container)
            rules_temporal(r, item, lv);
        return; /* a container's temporal factors are 1 */
    }
    if (!strcmp(type, "spatial")) {
        if (!container && (!r->arch || !pesim_arch_has_fanout(r->arch, lv)))
            return;
        rules_spatial(r, item, lv);
        return;
    }
    if (!strcmp(type, "max_overbooked_proportion"))
        return; /* pesim never overbooks: a tile fits or is refused */
    pesim_cfg_error(&r->ctx, tl_get(r->doc, item, "type"), "type", "constraint type "
                    "'%.40s' is not supported, expected temporal, spatial, dataspace or "
                    "bypass", type);
}

static void rules_list(struct mreader *r, yaml_node_t *list)
{
    yaml_document_t *d = r->doc;
    if (list && list->type == YAML_MAPPING_NODE)
        list = tl_get(d, list, "targets") ? tl_get(d, list, "targets")
                                          : tl_get(d, list, "constraints");
    if (!list)
        return;
    if (list->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(&r->ctx, list, "targets", "got %s, expected a list of {target, type, "
                        "...}", pesim_cfg_kind_name(list));
        return;
    }
    for (size_t i = 0; i < tl_len(list); i++) {
        yaml_node_t *it = tl_item(d, list, i);
        yaml_node_t *tn = tl_get(d, it, "target");
        if (!tn)
            tn = tl_get(d, it, "name");
        const char *target = pesim_cfg_scalar(tn), *type = pesim_cfg_scalar(tl_get(d, it, "type"));
        if (!it || it->type != YAML_MAPPING_NODE || !target || !type) {
            pesim_cfg_error(&r->ctx, it, "targets", "got %s, expected {target, type: temporal | "
                            "spatial | dataspace | bypass, ...}", it && it->type ==
                            YAML_MAPPING_NODE ? "a constraint without target or type" :
                            pesim_cfg_kind_name(it));
            continue;
        }
        rules_entry(r, it, target, tn, type);
    }
}

/* v0.4: `constraints: {dataspace, temporal, spatial}` on the nodes. */
static void rules_nodes(struct mreader *r, yaml_node_t *list, int depth)
{
    yaml_document_t *d = r->doc;
    if (!list || list->type != YAML_SEQUENCE_NODE || depth > 16)
        return;
    for (size_t i = 0; i < tl_len(list); i++) {
        yaml_node_t *n = tl_item(d, list, i);
        rules_nodes(r, tl_get(d, n, "nodes"), depth + 1);
        yaml_node_t *nn = tl_get(d, n, "name"), *c = tl_get(d, n, "constraints");
        const char *name = pesim_cfg_scalar(nn);
        if (!c || !name || c->type != YAML_MAPPING_NODE)
            continue;
        char base[PESIM_TL_NAME_MAX];
        snprintf(base, sizeof base, "%.*s", (int)strcspn(name, "["), name);
        static const char *const kinds[] = {"dataspace", "temporal", "spatial"};
        for (unsigned k = 0; k < 3; k++) {
            yaml_node_t *item = tl_get(d, c, kinds[k]);
            if (item && item->type == YAML_MAPPING_NODE) {
                r->v04_node = true;
                rules_entry(r, item, base, nn, kinds[k]);
                r->v04_node = false;
            }
        }
    }
}

int pesim_import_tl_rules(const char *text, size_t len, const char *file,
                          const struct pesim_arch *arch, const struct pesim_tl_arch *tl,
                          const struct pesim_tl_dims *dims,
                          struct pesim_level_rules rules[PESIM_LEVELS_MAX],
                          bool bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT], pesim_diags *diags)
{
    struct mreader *r = calloc(1, sizeof *r);
    if (!r)
        return PESIM_E_NOMEM;
    pesim_cfg_init(&r->ctx, file ? file : "constraints.yaml");
    r->arch = arch;
    r->tl = tl;
    r->dims = dims;
    r->rules = rules;
    r->bypass = bypass;
    yaml_document_t doc;
    if (pesim_cfg_parse(&r->ctx, text ? text : "", text ? len : 0, &doc) == 0) {
        r->doc = &doc;
        r->ctx.doc = &doc;
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        static const char *const keys[] = {"mapspace_constraints", "architecture_constraints",
                                           "constraints"};
        for (unsigned k = 0; k < 3; k++)
            rules_list(r, tl_get(&doc, root, keys[k]));
        yaml_node_t *ms = tl_get(&doc, root, "mapspace");
        if (ms)
            rules_list(r, tl_get(&doc, ms, "constraints"));
        yaml_node_t *a = tl_get(&doc, root, "architecture");
        if (a)
            rules_nodes(r, tl_get(&doc, a, "nodes"), 0);
        yaml_document_delete(&doc);
    }
    /* Timeloop orders the innermost storage level's loops canonically,
     * whatever its permutation constraint says (its tiling level 0;
     * mapspaces/uber.cpp): tl05's "1mapping" constrains RegisterFile to
     * RPK and its reference runs R outside K. */
    if (tl->nlevels > 0)
        rules[tl->nlevels - 1].norder = 0;
    int rc = pesim_cfg_finish(&r->ctx, diags);
    free(r);
    return rc;
}

/* ---- map.txt ----------------------------------------------------------- */

static void txt_error(struct mreader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void txt_error(struct mreader *r, const char *fmt, ...)
{
    /* No YAML node: report at the line through a scalar stand-in. */
    yaml_node_t at;
    memset(&at, 0, sizeof at);
    at.type = YAML_SCALAR_NODE;
    at.start_mark.line = r->line - 1;
    at.start_mark.column = 0;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pesim_cfg_error(&r->ctx, &at, "map.txt", "%s", msg);
}

static void read_txt(struct mreader *r, const char *text, size_t len)
{
    int cur = -1;
    r->line = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        r->line++;
        char l[512];
        size_t n = e - i < sizeof l - 1 ? e - i : sizeof l - 1;
        memcpy(l, text + i, n);
        l[n] = '\0';
        i = e + 1;
        while (n && (l[n - 1] == ' ' || l[n - 1] == '\r'))
            l[--n] = '\0';
        if (!n || strspn(l, "-") == n)
            continue;
        if (l[0] != '|') {
            /* NAME [ Weights:864 (864) Inputs:... ] */
            char *br = strchr(l, '[');
            if (!br || l[n - 1] != ']' || br == l) {
                txt_error(r, "got '%.60s', expected a level line NAME [ ... ] or a loop "
                          "line | for D in [0:N)", l);
                return;
            }
            char name[PESIM_TL_NAME_MAX];
            size_t nl = (size_t)(br - l);
            while (nl && l[nl - 1] == ' ')
                nl--;
            snprintf(name, sizeof name, "%.*s", (int)nl, l);
            cur = find_target(r->tl, name);
            if (cur < 0 && empty_container(name)) {
                cur = -2; /* no fan-out: loops there must be 1 */
                continue;
            }
            if (cur < 0) {
                char list[512];
                targets_list(r->tl, list, sizeof list);
                txt_error(r, "'%s' is not a storage level or spatial container of the "
                          "architecture, expected one of %s", name, list);
                return;
            }
            if (cur < PESIM_LEVELS_MAX) {
                struct target *t = &r->tg[cur];
                t->ds_given = true;
                bool kept[PESIM_DS_COUNT] = {false};
                kept[PESIM_DS_WEIGHTS] = strstr(br, "Weights:") != NULL;
                kept[PESIM_DS_INPUTS] = strstr(br, "Inputs:") != NULL;
                kept[PESIM_DS_OUTPUTS] = strstr(br, "Outputs:") != NULL;
                for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
                    t->keep[ds] = kept[ds];
                    t->bypass[ds] = !kept[ds];
                }
            }
            continue;
        }
        char *p = l;
        while (*p == '|' || *p == ' ')
            p++;
        if (!strcmp(p, "<< Compute >>"))
            continue;
        char dn[16];
        unsigned long lo, hi;
        int used = 0;
        if (sscanf(p, "for %15s in [%lu:%lu)%n", dn, &lo, &hi, &used) != 3 || hi <= lo ||
            hi - lo > UINT32_MAX) {
            txt_error(r, "got '%.60s', expected a loop such as 'for P in [0:8)'", p);
            return;
        }
        const char *rest = p + used;
        while (*rest == ' ')
            rest++;
        int axis = -1;
        if (!strcmp(rest, "(Spatial-X)"))
            axis = PESIM_AXIS_X;
        else if (!strcmp(rest, "(Spatial-Y)"))
            axis = PESIM_AXIS_Y;
        else if (*rest) {
            txt_error(r, "got '%.60s' after the loop, expected (Spatial-X), (Spatial-Y) or "
                      "nothing", rest);
            return;
        }
        int d = dim_of(r->dims, dn, strlen(dn));
        if (d < 0) {
            char list[256];
            dims_list(r->dims, list, sizeof list);
            txt_error(r, "'%s' is not a dimension of the problem, expected one of %s", dn,
                      list);
            return;
        }
        uint32_t bound = (uint32_t)(hi - lo);
        if (cur == -1) {
            txt_error(r, "a loop before any level line, expected NAME [ ... ] first");
            return;
        }
        if (cur == -2) {
            if (bound > 1) {
                txt_error(r, "a loop of %u under a container with no fan-out, expected 1",
                          bound);
                return;
            }
            continue;
        }
        struct target *t = &r->tg[cur];
        if (axis < 0 && cur >= PESIM_LEVELS_MAX) {
            if (bound > 1) {
                txt_error(r, "temporal loop 'for %s in [%lu:%lu)' under a spatial container: "
                          "not supported, expected temporal loops under storage levels", dn,
                          lo, hi);
                return;
            }
            continue;
        }
        struct lp *list = axis < 0 ? t->t : t->s;
        unsigned *cnt = axis < 0 ? &t->nt : &t->ns;
        if (bound > 1 && *cnt == NLOOPS) {
            txt_error(r, "more than %d loops at one level, expected at most that many",
                      NLOOPS);
            return;
        }
        if (bound > 1)
            list[(*cnt)++] = (struct lp){(uint8_t)d, (uint8_t)(axis < 0 ? 0 : axis), bound};
    }
}

/* ---- write ------------------------------------------------------------- */

static void write_loops(struct tl_buf *b, const char *key, const struct lp *l, unsigned n,
                        bool spatial)
{
    tl_printf(b, "      %s: [", key);
    for (unsigned i = 0; i < n; i++) {
        tl_printf(b, "%s{dim: %s, bound: %u", i ? ", " : "",
                  pesim_dim_name((enum pesim_dim)l[i].dim), l[i].bound);
        if (spatial)
            tl_printf(b, ", axis: %s", pesim_axis_name((enum pesim_axis)l[i].axis));
        tl_printf(b, "}");
    }
    tl_printf(b, "]\n");
}

static bool write_mapping(struct mreader *r, const char *base, struct tl_buf *b)
{
    const struct pesim_arch *a = r->arch;
    const struct pesim_tl_arch *tl = r->tl;
    tl_printf(b, "# pesim mapping imported from the Timeloop mapping %s\n", base);
    tl_printf(b, "mapping:\n  levels:\n");
    for (unsigned lv = 0; lv < tl->nlevels; lv++) {
        struct target *t = &r->tg[lv];
        tl_printf(b, "    - level: %s\n", a->level[lv].name);
        write_loops(b, "temporal", t->t, t->nt, false);
        if (pesim_arch_has_fanout(a, lv)) {
            struct lp all[NLOOPS];
            unsigned n = 0;
            for (unsigned s = 0; s < tl->nspatial; s++) {
                if (tl->spatial[s].level != lv)
                    continue;
                const struct target *c = &r->tg[PESIM_LEVELS_MAX + s];
                for (unsigned i = 0; i < c->ns; i++) {
                    if (n == NLOOPS)
                        return false;
                    all[n++] = c->s[i];
                }
            }
            for (unsigned i = 0; i < t->ns; i++) {
                if (n == NLOOPS)
                    return false;
                all[n++] = t->s[i];
            }
            write_loops(b, "spatial", all, n, true);
        }
        if (lv > 0) {
            bool any = false;
            tl_printf(b, "      bypass: [");
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                if (t->bypass[ds] || !a->level[lv].holds[ds]) {
                    tl_printf(b, "%s%s", any ? ", " : "", pesim_ds_name((enum pesim_ds)ds));
                    any = true;
                }
            tl_printf(b, "]\n");
        }
    }
    return true;
}

int pesim_import_tl_mapping(const char *text, size_t len, const char *file,
                            const struct pesim_arch *arch, const struct pesim_tl_arch *tl,
                            const struct pesim_tl_dims *dims, struct pesim_mapping_set *out,
                            char **yaml_out, pesim_diags *diags)
{
    struct mreader *r = calloc(1, sizeof *r);
    if (!r)
        return PESIM_E_NOMEM;
    file = file ? file : "map.yaml";
    pesim_cfg_init(&r->ctx, file);
    r->arch = arch;
    r->tl = tl;
    r->dims = dims;
    text = text ? text : "";
    struct tl_buf b = {0};
    bool yaml = pesim_tl_is_mapping(text, len) || !pesim_tl_is_map_txt(text, len);
    if (yaml) {
        yaml_document_t doc;
        if (pesim_cfg_parse(&r->ctx, text, len, &doc) == 0) {
            r->doc = &doc;
            r->ctx.doc = &doc;
            read_yaml(r, &doc);
            yaml_document_delete(&doc);
        }
    } else {
        read_txt(r, text, len);
    }
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    /* A level cannot keep what its architecture bypasses (Timeloop
     * refuses the same mapping). */
    for (unsigned lv = 1; lv < tl->nlevels && !pesim_cfg_failed(&r->ctx); lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (r->tg[lv].keep[ds] && !arch->level[lv].holds[ds])
                pesim_cfg_error(&r->ctx, NULL, tl->component[lv], "keeps %s, which the "
                                "architecture's constraints bypass there, expected it in "
                                "bypass", ds == PESIM_DS_WEIGHTS ? "Weights"
                                          : ds == PESIM_DS_INPUTS ? "Inputs" : "Outputs");
    if (!pesim_cfg_failed(&r->ctx) && !write_mapping(r, base, &b))
        pesim_cfg_error(&r->ctx, NULL, "mapping", "more than %d spatial loops at one "
                        "fan-out, expected at most that many", NLOOPS);
    int rc = pesim_cfg_finish(&r->ctx, diags);
    free(r);
    if (!rc && b.nomem)
        rc = PESIM_E_NOMEM;
    if (rc) {
        free(b.s);
        return rc;
    }
    struct pesim_mapping_set set = {0};
    rc = pesim_mapping_set_load_string(b.s, b.n, file, &set, diags);
    if (rc) {
        free(b.s);
        return rc;
    }
    *out = set;
    if (yaml_out)
        *yaml_out = b.s;
    else
        free(b.s);
    return 0;
}
