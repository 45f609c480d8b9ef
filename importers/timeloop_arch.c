/* Timeloop architecture specs (include/pesim/import.h, docs/timeloop.md).
 *
 * Flattened as Timeloop's front end flattens them: every storage
 * component is a pesim level, outermost first (a !Parallel group's are
 * consecutive levels in the order listed); the compute component is the
 * MAC; the spatial fan-out of each container (v0.4 `spatial: {meshX,
 * meshY}`, v0.3 instance ranges and meshX, the front end's dummy
 * `inter_NAME_spatial` levels) joins the fan-out below the nearest
 * storage level above it. The reader writes pesim's own general-form YAML
 * and loads that, so what `pesim import` writes and what `pesim run`
 * runs are one thing. Anything pesim cannot model is an error naming it:
 * never a silent approximation. */
#include <ctype.h>
#include <math.h>

#include "importers/tl_yaml.h"
#include "pesim/import.h"

#define MAX_ELEMS 64
/* With one storage level, pesim's second: a level that keeps nothing (as
 * Timeloop's dummy storage), so that the one Timeloop level is level 0
 * and serves the MAC directly. */
#define PASS_LEVEL "operands_pass"

enum kind { K_STORAGE, K_COMPUTE, K_SPATIAL };

/* One element of the flattened list. */
struct elem {
    enum kind kind;
    char name[PESIM_TL_NAME_MAX];
    char alias[PESIM_TL_NAME_MAX];
    yaml_node_t *node;
    /* storage */
    double depth, width, datawidth, block;
    bool has_depth, has_width, has_datawidth, has_block;
    double n_banks, read_bw, write_bw, mbuf;
    double cluster; /* cluster_size: instances that share one vector access (0: 1) */
    bool keep[PESIM_DS_COUNT], bypass[PESIM_DS_COUNT];
    bool dram;
    /* v0.4 spatial: its own mesh; v0.3: the absolute mesh of the element */
    uint64_t mx, my;
};

struct reader {
    struct cfg_ctx ctx;
    yaml_document_t *doc;
    struct elem e[MAX_ELEMS];
    unsigned n;
    double cycle_seconds;
    bool have_cycle;
    double inherit_datawidth; /* v0.4 container attributes flow down */
    bool have_inherit_dw;
};

static const char *const storage_classes[] = {
    "DRAM", "SRAM", "regfile", "smartbuffer_SRAM", "smartbuffer_RF", "storage",
    "smartbuffer", "buffer", "reg", "register", "dummy_storage", NULL};
static const char *const compute_classes[] = {
    "intmac", "fpmac", "mac", "compute", "intmultiplier", "fpmultiplier", "bitwise",
    "aladdin_multiplier", "aladdin_adder", "intadder", "fpadder", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (strcmp(*l, s) == 0)
            return true;
    return false;
}

static const char *tag_of(const yaml_node_t *n)
{
    return n && n->tag ? (const char *)n->tag : "";
}

/* A number: YAML int or float (1e-9), or NULL node. */
static bool number_at(struct reader *r, yaml_node_t *n, const char *what, double *out)
{
    const char *s = pesim_cfg_scalar(n);
    char *end = NULL;
    double v = s && *s ? strtod(s, &end) : NAN;
    if (!s || !*s || *end || !isfinite(v) || v < 0) {
        pesim_cfg_error(&r->ctx, n, what, "got %s%.40s%s, expected a number >= 0 (expressions "
                        "and variables are not supported: give the value)",
                        s ? "'" : "", s ? s : pesim_cfg_kind_name(n), s ? "'" : "");
        return false;
    }
    *out = v;
    return true;
}

static void ds_list(struct reader *r, yaml_node_t *n, const char *path, bool *out)
{
    tl_ds_list(&r->ctx, r->doc, n, path, out);
}

/* "PE[0..15]" -> "PE", with the count of the range (1 without one). */
static bool split_range(struct reader *r, yaml_node_t *at, const char *name, char *base,
                        uint64_t *count)
{
    const char *br = strchr(name, '[');
    size_t n = br ? (size_t)(br - name) : strlen(name);
    if (n == 0 || n >= PESIM_TL_NAME_MAX) {
        pesim_cfg_error(&r->ctx, at, "name", "got '%.60s', expected a name of 1 to %d "
                        "characters", name, PESIM_TL_NAME_MAX - 1);
        return false;
    }
    memcpy(base, name, n);
    base[n] = '\0';
    *count = 1;
    if (br) {
        unsigned long long a, b;
        char tail;
        if (sscanf(br, "[%llu..%llu]%c", &a, &b, &tail) != 2 || b < a || b - a >= (1u << 24)) {
            pesim_cfg_error(&r->ctx, at, "name", "got '%.60s', expected NAME or "
                            "NAME[first..last] with first <= last", name);
            return false;
        }
        *count = b - a + 1;
    }
    return true;
}

static struct elem *add(struct reader *r, enum kind k, yaml_node_t *node)
{
    if (r->n == MAX_ELEMS) {
        pesim_cfg_error(&r->ctx, node, "architecture", "more than %d components and "
                        "containers, expected at most that many", MAX_ELEMS);
        return NULL;
    }
    struct elem *e = &r->e[r->n++];
    memset(e, 0, sizeof *e);
    e->kind = k;
    e->node = node;
    e->mx = e->my = 1;
    return e;
}

static void read_cycle(struct reader *r, yaml_node_t *attrs)
{
    yaml_node_t *g = tl_get(r->doc, attrs, "global_cycle_seconds");
    double v;
    if (g && number_at(r, g, "attributes.global_cycle_seconds", &v)) {
        if (v <= 0 || 1e-6 / v > 1e6 || 1e-6 / v < 0.001)
            pesim_cfg_error(&r->ctx, g, "attributes.global_cycle_seconds", "got %g, expected "
                            "a cycle of 1 ps to 1 ms", v);
        else {
            r->cycle_seconds = v;
            r->have_cycle = true;
        }
    }
}

/* Keys of a storage component that pesim has no model for. */
static bool sparse_key(const char *k)
{
    return strncmp(k, "metadata", 8) == 0 || strstr(k, "sparse") ||
           strcmp(k, "compression") == 0 || strcmp(k, "rle") == 0;
}

/* Attributes and constraints of a storage component. */
static void read_storage(struct reader *r, struct elem *e, yaml_node_t *comp,
                         yaml_node_t *attrs)
{
    yaml_document_t *d = r->doc;
    if (attrs && attrs->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&r->ctx, attrs, "attributes", "got %s, expected a mapping",
                        pesim_cfg_kind_name(attrs));
        return;
    }
    if (attrs)
        for (yaml_node_pair_t *p = attrs->data.mapping.pairs.start;
             p < attrs->data.mapping.pairs.top; p++) {
            yaml_node_t *kn = tl_node(d, p->key), *vn = tl_node(d, p->value);
            const char *k = pesim_cfg_scalar(kn);
            if (!k)
                continue;
            char path[160];
            snprintf(path, sizeof path, "%.40s.attributes.%.60s", e->name, k);
            if (sparse_key(k)) {
                pesim_cfg_error(&r->ctx, kn, path, "sparse storage (metadata, compression) "
                                "is not supported, expected a dense storage component");
                continue;
            }
            double v;
            if (!strcmp(k, "depth") || !strcmp(k, "memory_depth") || !strcmp(k, "entries")) {
                if (number_at(r, vn, path, &e->depth))
                    e->has_depth = true;
            } else if (!strcmp(k, "width") || !strcmp(k, "memory_width")) {
                if (number_at(r, vn, path, &e->width))
                    e->has_width = true;
            } else if (!strcmp(k, "datawidth") || !strcmp(k, "word-bits") ||
                       !strcmp(k, "word_bits")) {
                if (number_at(r, vn, path, &e->datawidth))
                    e->has_datawidth = true;
            } else if (!strcmp(k, "block_size") || !strcmp(k, "block-size")) {
                if (number_at(r, vn, path, &e->block))
                    e->has_block = true;
            } else if (!strcmp(k, "cluster_size") || !strcmp(k, "cluster-size")) {
                if (number_at(r, vn, path, &v)) {
                    if (v < 1 || v != floor(v))
                        pesim_cfg_error(&r->ctx, vn, path, "got %g, expected a whole number "
                                        ">= 1", v);
                    else
                        e->cluster = v;
                }
            } else if (!strcmp(k, "n_banks") || !strcmp(k, "n-banks")) {
                (void)number_at(r, vn, path, &e->n_banks);
            } else if (!strcmp(k, "read_bandwidth") || !strcmp(k, "read-bandwidth")) {
                (void)number_at(r, vn, path, &e->read_bw);
            } else if (!strcmp(k, "write_bandwidth") || !strcmp(k, "write-bandwidth")) {
                (void)number_at(r, vn, path, &e->write_bw);
            } else if (!strcmp(k, "multiple_buffering") || !strcmp(k, "multiple-buffering")) {
                if (number_at(r, vn, path, &v)) {
                    if (v != 1 && v != 2)
                        pesim_cfg_error(&r->ctx, vn, path, "got %g: not supported, expected 1 "
                                        "or 2 (double buffering)", v);
                    e->mbuf = v;
                }
            } else if (!strcmp(k, "meshX")) {
                if (number_at(r, vn, path, &v))
                    e->mx = (uint64_t)v;
            } else if (!strcmp(k, "meshY")) {
                if (number_at(r, vn, path, &v))
                    e->my = (uint64_t)v;
            } else if (!strcmp(k, "global_cycle_seconds")) {
                double c;
                if (number_at(r, vn, path, &c) && c > 0 && !r->have_cycle) {
                    r->cycle_seconds = c;
                    r->have_cycle = true;
                }
            }
            /* Everything else (technology, type, cluster_size, ports...) is
             * Accelergy's: it prices the actions, which the ERT gives. */
        }
    if (!e->has_datawidth && r->have_inherit_dw) {
        e->datawidth = r->inherit_datawidth;
        e->has_datawidth = true;
    }
    if (tl_get(d, comp, "sparse_optimizations"))
        pesim_cfg_error(&r->ctx, tl_get(d, comp, "sparse_optimizations"), e->name,
                        "sparse_optimizations are not supported, expected a dense design");
    yaml_node_t *cons = tl_get(d, comp, "constraints");
    yaml_node_t *dsp = tl_get(d, cons, "dataspace");
    if (dsp) {
        char path[96];
        snprintf(path, sizeof path, "%.40s.constraints.dataspace.keep", e->name);
        ds_list(r, tl_get(d, dsp, "keep"), path, e->keep);
        snprintf(path, sizeof path, "%.40s.constraints.dataspace.bypass", e->name);
        ds_list(r, tl_get(d, dsp, "bypass"), path, e->bypass);
    }
}

static const char *class_of(struct reader *r, yaml_node_t *comp, bool *storage, bool *compute)
{
    const char *cls = pesim_cfg_scalar(tl_get(r->doc, comp, "class"));
    const char *sub = pesim_cfg_scalar(tl_get(r->doc, comp, "subclass"));
    *storage = (cls && in_list(storage_classes, cls)) || (sub && in_list(storage_classes, sub));
    *compute = !*storage &&
               ((cls && in_list(compute_classes, cls)) || (sub && in_list(compute_classes, sub)));
    return cls;
}

/* One !Component (v0.4) or local item (v0.3). mx, my: v0.3's absolute
 * mesh of it (ignored for v0.4). */
static void component(struct reader *r, yaml_node_t *comp, uint64_t count)
{
    yaml_document_t *d = r->doc;
    if (!comp || comp->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&r->ctx, comp, "architecture", "got %s, expected a component "
                        "{name, class, attributes}", pesim_cfg_kind_name(comp));
        return;
    }
    yaml_node_t *nn = tl_get(d, comp, "name");
    const char *name = pesim_cfg_scalar(nn);
    if (!name || !*name) {
        pesim_cfg_error(&r->ctx, nn ? nn : comp, "name", "missing, expected a component name");
        return;
    }
    bool st, cp;
    const char *cls = class_of(r, comp, &st, &cp);
    if (!cls) {
        pesim_cfg_error(&r->ctx, comp, name, "no class, expected class: a storage (DRAM, SRAM, "
                        "regfile, smartbuffer_SRAM, smartbuffer_RF, storage) or compute "
                        "(intmac, fpmac, mac, compute) class");
        return;
    }
    if (!st && !cp) {
        pesim_cfg_error(&r->ctx, tl_get(d, comp, "class"), name, "class '%.40s' is not "
                        "supported: neither storage nor compute, expected a storage (DRAM, "
                        "SRAM, regfile, smartbuffer_SRAM, smartbuffer_RF, storage) or compute "
                        "(intmac, fpmac, mac, compute) class", cls);
        return;
    }
    char base[PESIM_TL_NAME_MAX];
    uint64_t cnt;
    if (!split_range(r, nn, name, base, &cnt))
        return;
    yaml_node_t *attrs = tl_get(d, comp, "attributes");
    yaml_node_t *csp = tl_get(d, comp, "spatial");
    if (csp && !tl_get(d, csp, "meshX") && !tl_get(d, csp, "meshY"))
        csp = NULL;
    if (csp) {
        pesim_cfg_error(&r->ctx, csp, name, "spatial on a component is not supported, "
                        "expected the mesh on a !Container around it");
        return;
    }
    if (st && strcmp(cls, "dummy_storage") == 0) {
        /* The front end's stand-in for a spatial container. */
        struct elem *e = add(r, K_SPATIAL, comp);
        if (!e)
            return;
        snprintf(e->alias, sizeof e->alias, "%s", base);
        size_t bl = strlen(base);
        if (bl > 14 && strncmp(base, "inter_", 6) == 0 && strcmp(base + bl - 8, "_spatial") == 0)
            snprintf(e->name, sizeof e->name, "%.*s", (int)(bl - 14), base + 6);
        else
            snprintf(e->name, sizeof e->name, "%s", base);
        struct elem tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.mx = tmp.my = 0;
        read_storage(r, &tmp, comp, attrs);
        e->mx = tmp.mx ? tmp.mx : count * cnt;
        e->my = tmp.my ? tmp.my : (count * cnt) / (e->mx ? e->mx : 1);
        return;
    }
    struct elem *e = add(r, st ? K_STORAGE : K_COMPUTE, comp);
    if (!e)
        return;
    snprintf(e->name, sizeof e->name, "%s", base);
    e->dram = strcmp(cls, "DRAM") == 0;
    e->mx = e->my = 0;
    if (st) {
        read_storage(r, e, comp, attrs);
    } else if (attrs && attrs->type == YAML_MAPPING_NODE) {
        yaml_node_t *v;
        double x;
        if ((v = tl_get(d, attrs, "meshX")) && number_at(r, v, "attributes.meshX", &x))
            e->mx = (uint64_t)x;
        if ((v = tl_get(d, attrs, "meshY")) && number_at(r, v, "attributes.meshY", &x))
            e->my = (uint64_t)x;
    }
    uint64_t total = count * cnt;
    if (!e->mx)
        e->mx = e->my ? total / e->my : total;
    if (!e->my)
        e->my = e->mx ? total / e->mx : 1;
}

/* ---- v0.4: nodes ------------------------------------------------------- */

static void container(struct reader *r, yaml_node_t *c)
{
    yaml_document_t *d = r->doc;
    const char *name = pesim_cfg_scalar(tl_get(d, c, "name"));
    yaml_node_t *attrs = tl_get(d, c, "attributes");
    read_cycle(r, attrs);
    yaml_node_t *dw = tl_get(d, attrs, "datawidth");
    double v;
    if (dw && number_at(r, dw, "attributes.datawidth", &v)) {
        r->inherit_datawidth = v;
        r->have_inherit_dw = true;
    }
    yaml_node_t *sp = tl_get(d, c, "spatial");
    if (!sp)
        return;
    uint64_t mx = 1, my = 1;
    yaml_node_t *x = tl_get(d, sp, "meshX"), *y = tl_get(d, sp, "meshY");
    if (x && number_at(r, x, "spatial.meshX", &v))
        mx = (uint64_t)v;
    if (y && number_at(r, y, "spatial.meshY", &v))
        my = (uint64_t)v;
    if ((x && pesim_cfg_scalar(x) && strchr(pesim_cfg_scalar(x), '.')) ||
        (y && pesim_cfg_scalar(y) && strchr(pesim_cfg_scalar(y), '.'))) {
        pesim_cfg_error(&r->ctx, sp, "spatial", "got a fractional mesh, expected whole "
                        "numbers of instances");
        return;
    }
    if (mx < 1 || my < 1 || mx > 65536 || my > 65536) {
        pesim_cfg_error(&r->ctx, sp, "spatial", "got meshX %llu, meshY %llu, expected 1 to "
                        "65536 each", (unsigned long long)mx, (unsigned long long)my);
        return;
    }
    if (mx * my == 1)
        return;
    struct elem *e = add(r, K_SPATIAL, c);
    if (!e)
        return;
    snprintf(e->name, sizeof e->name, "%.*s", PESIM_TL_NAME_MAX - 1, name ? name : "");
    snprintf(e->alias, sizeof e->alias, "inter_%.40s_spatial", name ? name : "");
    e->mx = mx;
    e->my = my;
}

static void nodes(struct reader *r, yaml_node_t *list, bool parallel)
{
    yaml_document_t *d = r->doc;
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(&r->ctx, list, "architecture.nodes", "got %s, expected a list of "
                        "!Container, !Component and !Parallel nodes",
                        pesim_cfg_kind_name(list));
        return;
    }
    for (size_t i = 0; i < tl_len(list); i++) {
        yaml_node_t *n = tl_item(d, list, i);
        const char *tag = tag_of(n);
        if (!strcmp(tag, "!Container")) {
            if (parallel)
                pesim_cfg_error(&r->ctx, n, "!Parallel", "a !Container inside !Parallel is "
                                "not supported, expected components only");
            else
                container(r, n);
        } else if (!strcmp(tag, "!Component")) {
            component(r, n, 1);
        } else if (!strcmp(tag, "!Parallel")) {
            if (parallel)
                pesim_cfg_error(&r->ctx, n, "!Parallel", "nested !Parallel is not supported, "
                                "expected components only");
            else
                nodes(r, tl_get(d, n, "nodes"), true);
        } else if (!strcmp(tag, "!Nothing")) {
            continue;
        } else if (!strcmp(tag, "!Hierarchical")) {
            nodes(r, tl_get(d, n, "nodes"), parallel);
        } else {
            pesim_cfg_error(&r->ctx, n, "architecture.nodes", "node tagged '%.40s' is not "
                            "supported, expected !Container, !Component, !Parallel or "
                            "!Nothing", *tag == '!' ? tag : "(none)");
        }
    }
}

/* ---- v0.3: subtree/local ---------------------------------------------- */

static void subtree(struct reader *r, yaml_node_t *list, uint64_t count, int depth)
{
    yaml_document_t *d = r->doc;
    if (depth > 16) {
        pesim_cfg_error(&r->ctx, list, "subtree", "nested more than 16 deep, expected less");
        return;
    }
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(&r->ctx, list, "subtree", "got %s, expected a list of {name, local, "
                        "subtree}", pesim_cfg_kind_name(list));
        return;
    }
    for (size_t i = 0; i < tl_len(list); i++) {
        yaml_node_t *t = tl_item(d, list, i);
        yaml_node_t *nn = tl_get(d, t, "name");
        const char *name = pesim_cfg_scalar(nn);
        char base[PESIM_TL_NAME_MAX];
        uint64_t cnt = 1;
        if (!name || !split_range(r, nn ? nn : t, name, base, &cnt))
            return;
        yaml_node_t *attrs = tl_get(d, t, "attributes");
        read_cycle(r, attrs);
        uint64_t c = count * cnt;
        if (c > (1u << 24)) {
            pesim_cfg_error(&r->ctx, nn, "name", "%llu instances, expected at most 2^24",
                            (unsigned long long)c);
            return;
        }
        if (cnt > 1) {
            /* A range: a fan-out, unless the front end wrote its dummy. */
            struct elem *e = add(r, K_SPATIAL, t);
            if (!e)
                return;
            snprintf(e->name, sizeof e->name, "%s", base);
            snprintf(e->alias, sizeof e->alias, "inter_%.40s_spatial", base);
            e->mx = e->my = 0; /* from the elements around it */
        }
        yaml_node_t *local = tl_get(d, t, "local");
        for (size_t j = 0; j < tl_len(local); j++)
            component(r, tl_item(d, local, j), c);
        yaml_node_t *sub = tl_get(d, t, "subtree");
        if (sub)
            subtree(r, sub, c, depth + 1);
    }
}

/* v0.3: meshes are absolute; turn them into each spatial element's own
 * factor, the ratio of the mesh after it to the mesh before it. A jump
 * with no spatial element in between is a fan-out of the subtree. */
static void v03_factors(struct reader *r)
{
    uint64_t px = 1, py = 1;
    for (unsigned i = 0; i < r->n; i++) {
        struct elem *e = &r->e[i];
        if (e->kind != K_SPATIAL) {
            px = e->mx ? e->mx : 1;
            py = e->my ? e->my : 1;
            continue;
        }
        /* The next non-spatial element's (or the next dummy's) mesh. */
        uint64_t nx = px, ny = py;
        for (unsigned j = i + 1; j < r->n; j++) {
            if (r->e[j].kind == K_SPATIAL && !r->e[j].mx)
                continue;
            nx = r->e[j].mx ? r->e[j].mx : 1;
            ny = r->e[j].my ? r->e[j].my : 1;
            break;
        }
        uint64_t ox = e->mx ? e->mx : px, oy = e->my ? e->my : py;
        if (ox == 0 || oy == 0 || nx % ox || ny % oy) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "its mesh %llux%llu does not divide "
                            "the %llux%llu below it, expected meshX and meshY that nest",
                            (unsigned long long)ox, (unsigned long long)oy,
                            (unsigned long long)nx, (unsigned long long)ny);
            return;
        }
        e->mx = nx / ox;
        e->my = ny / oy;
        px = nx;
        py = ny;
    }
}

/* ---- flatten and write ------------------------------------------------- */

static bool flatten(struct reader *r, struct pesim_tl_arch *tl, uint32_t rows[], uint32_t cols[],
                    int *storage_of_level)
{
    memset(tl, 0, sizeof *tl);
    int lv = -1;
    bool have_mac = false;
    for (unsigned i = 0; i < r->n; i++) {
        struct elem *e = &r->e[i];
        if (have_mac) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "after the compute component '%s': not "
                            "supported, expected the compute component innermost", tl->mac);
            return false;
        }
        if (e->kind == K_STORAGE) {
            if (++lv >= PESIM_LEVELS_MAX) {
                pesim_cfg_error(&r->ctx, e->node, e->name, "storage level %d: more than %d "
                                "storage levels are not supported, expected at most %d",
                                lv + 1, PESIM_LEVELS_MAX, PESIM_LEVELS_MAX);
                return false;
            }
            snprintf(tl->component[lv], sizeof tl->component[lv], "%s", e->name);
            storage_of_level[lv] = (int)i;
            rows[lv] = cols[lv] = 1;
        } else if (e->kind == K_COMPUTE) {
            snprintf(tl->mac, sizeof tl->mac, "%s", e->name);
            have_mac = true;
        } else if (e->mx * e->my > 1) {
            if (lv < 0) {
                pesim_cfg_error(&r->ctx, e->node, e->name, "a fan-out above the outermost "
                                "storage level is not supported, expected a storage "
                                "component (DRAM) first");
                return false;
            }
            if (tl->nspatial == PESIM_TL_SPATIAL_MAX) {
                pesim_cfg_error(&r->ctx, e->node, e->name, "more than %d spatial containers, "
                                "expected at most that many", PESIM_TL_SPATIAL_MAX);
                return false;
            }
            if (rows[lv] * cols[lv] > 1) {
                /* A second fan-out below the same storage level: a level
                 * that keeps nothing between the two, so that each fan-out
                 * multicasts among its own children as Timeloop's nested
                 * spatial levels do. */
                if (++lv >= PESIM_LEVELS_MAX) {
                    pesim_cfg_error(&r->ctx, e->node, e->name, "level %d: more than %d levels "
                                    "(storage components and nested spatial containers) are "
                                    "not supported, expected at most %d", lv + 1,
                                    PESIM_LEVELS_MAX, PESIM_LEVELS_MAX);
                    return false;
                }
                snprintf(tl->component[lv], sizeof tl->component[lv], "%s", e->name);
                tl->container[lv] = true;
                storage_of_level[lv] = (int)i;
                rows[lv] = cols[lv] = 1;
            }
            struct pesim_tl_spatial *s = &tl->spatial[tl->nspatial++];
            snprintf(s->name, sizeof s->name, "%s", e->name);
            snprintf(s->alias, sizeof s->alias, "%s", e->alias);
            s->level = (uint8_t)lv;
            s->x = (uint32_t)e->mx;
            s->y = (uint32_t)e->my;
            if ((uint64_t)cols[lv] * e->mx > 65536 || (uint64_t)rows[lv] * e->my > 65536) {
                pesim_cfg_error(&r->ctx, e->node, e->name, "fan-out over 65536 along an axis, "
                                "expected less");
                return false;
            }
            cols[lv] *= (uint32_t)e->mx;
            rows[lv] *= (uint32_t)e->my;
        }
    }
    if (lv < 0) {
        pesim_cfg_error(&r->ctx, r->n ? r->e[0].node : NULL, "architecture", "no storage "
                        "component, expected at least one (DRAM)");
        return false;
    }
    if (!have_mac) {
        pesim_cfg_error(&r->ctx, r->e[r->n - 1].node, "architecture", "no compute component, "
                        "expected one (class intmac, fpmac, mac or compute) innermost");
        return false;
    }
    if (rows[lv] * cols[lv] > 1) {
        const struct pesim_tl_spatial *s = &tl->spatial[tl->nspatial - 1];
        pesim_cfg_error(&r->ctx, r->e[storage_of_level[lv]].node, s->name, "a fan-out below "
                        "the innermost storage level '%s' (to %ux%u compute units) is not "
                        "supported, expected a storage component inside the spatial "
                        "container", tl->component[lv], rows[lv], cols[lv]);
        return false;
    }
    tl->nlevels = (unsigned)lv + 1;
    return true;
}

/* Words one instance holds: depth x its block, where a cluster of
 * cluster_size instances shares the width (Timeloop: block = width /
 * (cluster_size x datawidth)). */
static double capacity_words(const struct elem *e)
{
    double cl = e->cluster >= 1 ? e->cluster : 1;
    double blk = e->has_width && e->has_datawidth && e->datawidth > 0
                     ? e->width / (e->datawidth * cl)
                 : e->has_block ? e->block : 1;
    return e->depth * blk;
}

static bool name_ok(const char *s)
{
    if (!*s || !strcmp(s, "mac") || strlen(s) >= PESIM_LEVEL_NAME_MAX - 4)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static void dims_yaml(struct tl_buf *b, const char *key, const uint8_t *dims, unsigned n)
{
    tl_printf(b, "      %s: [", key);
    for (unsigned i = 0; i < n; i++)
        tl_printf(b, "%s%s", i ? ", " : "", pesim_dim_name((enum pesim_dim)dims[i]));
    tl_printf(b, "]\n");
}

static void factors_yaml(struct tl_buf *b, const char *key, const uint32_t *f)
{
    bool any = false;
    for (unsigned d = 0; d < PESIM_DIM_COUNT; d++)
        if (f[d]) {
            if (!any)
                tl_printf(b, "      %s: {", key);
            tl_printf(b, "%s%s: %u", any ? ", " : "", pesim_dim_name((enum pesim_dim)d), f[d]);
            any = true;
        }
    if (any)
        tl_printf(b, "}\n");
}

/* A level's constraints as pesim's `constraints:` (docs/config.md). */
static void rules_yaml(struct tl_buf *b, const struct pesim_level_rules *ru, bool fanout)
{
    static const struct pesim_level_rules none;
    if (!memcmp(ru, &none, sizeof none))
        return;
    tl_printf(b, "    constraints:\n");
    bool keep = false;
    for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
        keep |= ru->keep[ds];
    if (keep) {
        tl_printf(b, "      keep: [");
        bool any = false;
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
            if (ru->keep[ds]) {
                tl_printf(b, "%s%s", any ? ", " : "", pesim_ds_name((enum pesim_ds)ds));
                any = true;
            }
        tl_printf(b, "]\n");
    }
    factors_yaml(b, "factors", ru->factor);
    if (fanout)
        factors_yaml(b, "spatial_factors", ru->spatial_factor);
    if (ru->norder)
        dims_yaml(b, "order", ru->order, ru->norder);
    if (!fanout)
        return;
    static const char *const axis_key[PESIM_AXIS_COUNT] = {"x", "y"};
    for (unsigned a = 0; a < PESIM_AXIS_COUNT; a++) {
        uint8_t dims[PESIM_DIM_COUNT];
        unsigned n = 0;
        bool limited = false;
        for (unsigned d = 0; d < PESIM_DIM_COUNT; d++) {
            if (ru->no_axis[d] & (1u << a))
                limited = true;
            else
                dims[n++] = (uint8_t)d;
        }
        if (limited)
            dims_yaml(b, axis_key[a], dims, n);
    }
}

static void write_yaml(struct reader *r, const struct pesim_tl_arch *tl, const uint32_t *rows,
                       const uint32_t *cols, const int *sl, const char *file, struct tl_buf *b,
                       const struct pesim_level_rules *rules)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char name[PESIM_NAME_MAX];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "."), base);
    if (!name[0])
        snprintf(name, sizeof name, "timeloop");
    /* 1e-6 / 1e-9 is 1000.0000000000001 in doubles: round to what the
     * spec means, 12 significant digits. */
    double mhz = 1000;
    if (r->have_cycle) {
        char num[32];
        snprintf(num, sizeof num, "%.12g", 1e-6 / r->cycle_seconds);
        mhz = strtod(num, NULL);
    }
    const struct elem *outer = &r->e[sl[0]];
    unsigned wb = outer->has_datawidth ? (unsigned)outer->datawidth : 16;
    tl_printf(b, "# pesim architecture imported from the Timeloop spec %s\n", base);
    tl_printf(b, "name: \"%s\"\nclock_mhz: %.17g\n", name, mhz);
    tl_printf(b, "word_bits: {weights: %u, inputs: %u, outputs: %u}\n", wb, wb, wb);
    tl_printf(b, "dram: {bandwidth_gbps: 0}\n");
    tl_printf(b, "energy: {unit: pJ, mac: 0, leakage_per_cycle: 0}\n");
    tl_printf(b, "levels:\n");
    bool pass = tl->nlevels == 2 && !strcmp(tl->component[1], PASS_LEVEL);
    for (unsigned lv = 0; lv < tl->nlevels - (pass ? 1u : 0u); lv++) {
        const struct elem *e = &r->e[sl[lv]];
        tl_printf(b, "  - name: %s\n", e->name);
        if (tl->container[lv]) {
            tl_printf(b, "    holds: []   # the spatial container %s\n", e->name);
        } else if (lv > 0) {
            bool any = false;
            tl_printf(b, "    holds: [");
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                if (!e->bypass[ds]) {
                    tl_printf(b, "%s%s", any ? ", " : "", pesim_ds_name((enum pesim_ds)ds));
                    any = true;
                }
            tl_printf(b, "]\n");
            if (e->has_depth)
                tl_printf(b, "    words: %.0f\n", capacity_words(e));
        }
        if (e->has_datawidth) {
            unsigned w = (unsigned)e->datawidth;
            tl_printf(b, "    word_bits: {weights: %u, inputs: %u, outputs: %u}\n", w, w, w);
        }
        if (e->cluster > 1 && !tl->container[lv])
            tl_printf(b, "    cluster: %.0f   # instances sharing one access\n", e->cluster);
        if (e->mbuf == 2)
            tl_printf(b, "    double_buffer: true\n");
        else if (lv > 0 && !tl->container[lv])
            /* Timeloop's cycles assume every transfer overlaps compute */
            tl_printf(b, "    stream: true\n");
        if (e->n_banks >= 1)
            tl_printf(b, "    banks: %.0f\n", e->n_banks);
        if (e->read_bw > 0)
            tl_printf(b, "    read_bandwidth: %.17g\n", e->read_bw);
        if (e->write_bw > 0)
            tl_printf(b, "    write_bandwidth: %.17g\n", e->write_bw);
        /* Timeloop has no drain action (a psum read out to the parent
         * is the parent's update): it costs nothing here either. */
        tl_printf(b, "    read_energy: 0\n    write_energy: 0\n    drain_energy: 0\n");
        if (lv == 0 && e->has_depth)
            tl_printf(b, "    # %s's capacity (%.0f words) is not a limit here: pesim's "
                      "level 0 keeps the whole layer\n", e->name, capacity_words(e));
        if (rows[lv] * cols[lv] > 1) {
            tl_printf(b, "    fanout:\n      rows: %u\n      cols: %u\n      energy: 0\n",
                      rows[lv], cols[lv]);
            tl_printf(b, "      network:\n");
            /* Timeloop's default network: multicast only to children
             * whose tiles are identical, spatial reduction with psums
             * reloaded into every child of the group. */
            tl_printf(b, "        weights: {multicast: true, exact: true}\n");
            tl_printf(b, "        inputs: {multicast: true, exact: true}\n");
            tl_printf(b, "        outputs: {reduce: true, reload_all: true}\n");
        }
        rules_yaml(b, &rules[lv], rows[lv] * cols[lv] > 1);
    }
    if (tl->nlevels == 2 && !strcmp(tl->component[1], PASS_LEVEL))
        tl_printf(b, "  - name: %s\n    holds: []\n    read_energy: 0\n    write_energy: 0\n"
                  "    drain_energy: 0\n", PASS_LEVEL);
}

/* The architecture's own constraints (on its v0.4 nodes, or a front-end
 * dump's architecture_constraints), in Timeloop's cnn-layer dimension
 * names: into rules, and what they bypass into each level's element. */
static bool read_rules(struct reader *r, const struct pesim_tl_arch *tl, const int *sl,
                       const char *text, size_t len, const char *file,
                       struct pesim_level_rules rules[PESIM_LEVELS_MAX], pesim_diags *diags)
{
    memset(rules, 0, PESIM_LEVELS_MAX * sizeof *rules);
    bool bypass[PESIM_LEVELS_MAX][PESIM_DS_COUNT];
    memset(bypass, 0, sizeof bypass);
    struct pesim_tl_dims dims;
    if (pesim_import_tl_dims(NULL, 0, file, &dims, diags) ||
        pesim_import_tl_rules(text, len, file, NULL, tl, &dims, rules, bypass, diags)) {
        pesim_cfg_error(&r->ctx, NULL, "constraints", "the architecture's constraints cannot "
                        "be read (above), expected Timeloop's constraint syntax");
        return false;
    }
    for (unsigned lv = 1; lv < tl->nlevels; lv++)
        for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++) {
            if (bypass[lv][ds] && !tl->container[lv])
                r->e[sl[lv]].bypass[ds] = true;
            if (r->e[sl[lv]].bypass[ds])
                rules[lv].keep[ds] = false;
        }
    return true;
}

static bool check_levels(struct reader *r, const struct pesim_tl_arch *tl, const int *sl)
{
    bool ok = true;
    for (unsigned lv = 0; lv < tl->nlevels; lv++) {
        struct elem *e = &r->e[sl[lv]];
        if (!name_ok(e->name)) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "name '%s' is not supported as a pesim "
                            "level name, expected letters, digits, _ and - (at most %d, not "
                            "'mac')", e->name, PESIM_LEVEL_NAME_MAX - 5);
            ok = false;
        }
        for (unsigned k = 0; k < lv; k++)
            if (!strcmp(tl->component[k], e->name)) {
                pesim_cfg_error(&r->ctx, e->node, e->name, "a second storage component "
                                "named '%s', expected unique names", e->name);
                ok = false;
            }
        if (e->has_datawidth && (e->datawidth < 1 || e->datawidth > 64 ||
                                 e->datawidth != floor(e->datawidth))) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "datawidth %g is not supported, "
                            "expected a whole number of bits from 1 to 64", e->datawidth);
            ok = false;
        }
        if (e->has_width && !e->has_datawidth) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "width without datawidth, expected "
                            "datawidth (bits per word) too");
            ok = false;
        }
        if (e->has_width && e->has_datawidth && e->datawidth >= 1 &&
            (e->width < e->datawidth * (e->cluster >= 1 ? e->cluster : 1) ||
             fmod(e->width, e->datawidth * (e->cluster >= 1 ? e->cluster : 1)) != 0)) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "width %g is not a multiple of "
                            "datawidth %g x cluster_size %g: not supported, expected whole "
                            "words per access of each instance", e->width, e->datawidth,
                            e->cluster >= 1 ? e->cluster : 1);
            ok = false;
        }
        if (lv > 0 && e->has_depth) {
            double words = capacity_words(e);
            if (words < 1 || words > (double)(1ull << 50) || words != floor(words)) {
                pesim_cfg_error(&r->ctx, e->node, e->name, "capacity of %g words, expected a "
                                "whole number from 1 to 2^50", words);
                ok = false;
            }
        }
        if (e->n_banks > 4096 || e->read_bw > 1e9 || e->write_bw > 1e9) {
            pesim_cfg_error(&r->ctx, e->node, e->name, "n_banks or a bandwidth out of range, "
                            "expected n_banks <= 4096 and bandwidths <= 1e9 words/cycle");
            ok = false;
        }
        if (lv == 0) {
            for (unsigned ds = 0; ds < PESIM_DS_COUNT; ds++)
                if (e->bypass[ds]) {
                    pesim_cfg_error(&r->ctx, e->node, e->name, "the outermost level bypasses "
                                    "%s, expected it to keep every data space",
                                    pesim_ds_name((enum pesim_ds)ds));
                    ok = false;
                }
        }
    }
    return ok;
}

static void read_root(struct reader *r, yaml_document_t *doc)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    yaml_node_t *a = tl_get(doc, root, "architecture");
    if (!a || a->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&r->ctx, a ? a : root, "architecture", "got %s, expected a Timeloop "
                        "architecture {version, nodes} or {version, subtree}",
                        a ? pesim_cfg_kind_name(a) : "nothing");
        return;
    }
    if (tl_get(doc, root, "sparse_optimizations"))
        pesim_cfg_error(&r->ctx, tl_get(doc, root, "sparse_optimizations"),
                        "sparse_optimizations", "sparse optimizations are not supported, "
                        "expected a dense design");
    read_cycle(r, tl_get(doc, root, "variables"));
    yaml_node_t *nl = tl_get(doc, a, "nodes");
    yaml_node_t *st = tl_get(doc, a, "subtree");
    yaml_node_t *lo = tl_get(doc, a, "local");
    if (nl) {
        nodes(r, nl, false);
    } else if (st) {
        subtree(r, st, 1, 0);
        if (!pesim_cfg_failed(&r->ctx))
            v03_factors(r);
    } else if (lo) {
        /* A flattened dump: `local:` with absolute instance ranges. */
        for (size_t j = 0; j < tl_len(lo); j++)
            component(r, tl_item(doc, lo, j), 1);
        if (!pesim_cfg_failed(&r->ctx))
            v03_factors(r);
    } else {
        pesim_cfg_error(&r->ctx, a, "architecture", "no nodes or subtree, expected nodes: "
                        "[...] (v0.4) or subtree: [...] (v0.3)");
    }
}

int pesim_import_tl_arch(const char *text, size_t len, const char *file,
                         struct pesim_arch *arch, struct pesim_tl_arch *info,
                         char **yaml_out, pesim_diags *diags)
{
    struct reader *r = calloc(1, sizeof *r);
    if (!r)
        return PESIM_E_NOMEM;
    file = file ? file : "arch.yaml";
    pesim_cfg_init(&r->ctx, file);
    yaml_document_t doc;
    struct pesim_tl_arch tl;
    uint32_t rows[PESIM_LEVELS_MAX] = {0}, cols[PESIM_LEVELS_MAX] = {0};
    int sl[PESIM_LEVELS_MAX] = {0};
    struct tl_buf b = {0};
    bool parsed = false;
    if (pesim_cfg_parse(&r->ctx, text ? text : "", text ? len : 0, &doc) == 0) {
        parsed = true;
        r->doc = &doc;
        r->ctx.doc = &doc;
        read_root(r, &doc);
        if (!pesim_cfg_failed(&r->ctx) && flatten(r, &tl, rows, cols, sl) &&
            check_levels(r, &tl, sl)) {
            for (unsigned lv = 0; lv < tl.nlevels; lv++) {
                const struct elem *e = &r->e[sl[lv]];
                double blk = e->has_width && e->has_datawidth ? e->width / e->datawidth
                             : e->has_block ? e->block : 1;
                tl.block_words[lv] = blk >= 1 ? blk : 1;
            }
            if (tl.nlevels == 1) {
                snprintf(tl.component[1], sizeof tl.component[1], "%s", PASS_LEVEL);
                tl.block_words[1] = 1;
                rows[1] = cols[1] = 1;
                tl.nlevels = 2;
            }
            struct pesim_level_rules rules[PESIM_LEVELS_MAX];
            if (read_rules(r, &tl, sl, text, len, file, rules, diags))
                write_yaml(r, &tl, rows, cols, sl, file, &b, rules);
        }
    }
    if (parsed)
        yaml_document_delete(&doc);
    int rc = pesim_cfg_finish(&r->ctx, diags);
    free(r);
    if (!rc && b.nomem)
        rc = PESIM_E_NOMEM;
    if (rc) {
        free(b.s);
        return rc;
    }
    struct pesim_arch a;
    rc = pesim_arch_load_string(b.s, b.n, file, &a, diags);
    if (rc) {
        free(b.s);
        return rc;
    }
    *arch = a;
    if (info)
        *info = tl;
    if (yaml_out)
        *yaml_out = b.s;
    else
        free(b.s);
    return 0;
}

/* ---- detection --------------------------------------------------------- */

/* The top-level keys of a YAML text, without building it: lines that
 * start in column 0 with KEY: (good enough to tell formats apart; the
 * readers then parse for real). */
static bool top_key(const char *text, size_t len, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        if (e - i > kl && !memcmp(text + i, key, kl) && text[i + kl] == ':')
            return true;
        i = e + 1;
    }
    return false;
}

bool pesim_tl_is_arch(const char *text, size_t len)
{
    return text && top_key(text, len, "architecture");
}

bool pesim_tl_is_mapping(const char *text, size_t len)
{
    if (!text || !top_key(text, len, "mapping"))
        return false;
    /* pesim's own mapping is a mapping of levels / dram, glb, rf; a
     * Timeloop one is a list of targets. */
    struct cfg_ctx ctx;
    pesim_cfg_init(&ctx, "");
    yaml_document_t doc;
    bool tl = false;
    if (pesim_cfg_parse(&ctx, text, len, &doc) == 0) {
        yaml_node_t *m = tl_get(&doc, yaml_document_get_root_node(&doc), "mapping");
        if (m && m->type == YAML_SEQUENCE_NODE)
            tl = true;
        else if (m && m->type == YAML_MAPPING_NODE && m->data.mapping.pairs.top >
                 m->data.mapping.pairs.start) {
            tl = true;
            for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
                 p < m->data.mapping.pairs.top; p++) {
                const char *k = pesim_cfg_scalar(tl_node(&doc, p->key));
                yaml_node_t *v = tl_node(&doc, p->value);
                /* pesim's own keys: its general and shorthand forms */
                if (!k || !v || v->type != YAML_SEQUENCE_NODE || !strcmp(k, "spatial") ||
                    !strcmp(k, "levels") || !strcmp(k, "dram") || !strcmp(k, "glb") ||
                    !strcmp(k, "rf"))
                    tl = false;
            }
        }
        yaml_document_delete(&doc);
    }
    pesim_diags *d = pesim_diags_create();
    if (d) {
        (void)pesim_cfg_finish(&ctx, d);
        pesim_diags_destroy(d);
    }
    return tl;
}

static bool has(const char *l, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(l + i, w, k))
            return true;
    return false;
}

bool pesim_tl_is_map_txt(const char *text, size_t len)
{
    if (!text)
        return false;
    /* A level line "NAME [ ... ]" and a loop or compute line. */
    bool level = false, body = false;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        const char *l = text + i;
        size_t n = e - i;
        if (n > 3 && memchr(l, '[', n) && l[n - 1 - (l[n - 1] == ' ' ? 1 : 0)] == ']' &&
            isalpha((unsigned char)l[0]))
            level = true;
        if (n > 6 && memchr(l, '|', n) && (has(l, n, "for ") || has(l, n, "<< Compute >>")))
            body = true;
        i = e + 1;
    }
    return level && body;
}
