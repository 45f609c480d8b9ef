/* Timeloop problem YAML (include/pesim/import.h, docs/workloads.md).
 *
 * Read as Timeloop reads it (src/workload/workload.cpp and
 * shape-models/problem-shape.cpp of NVlabs/timeloop): `problem.shape` is an
 * inline shape, the name of a shipped shape, or absent (then cnn-layer);
 * the bounds live in `problem.instance`, or directly under `problem` in
 * older files; a coefficient missing from the instance takes its default.
 *
 * A shape is only names: what makes it a convolution is its projections.
 * So pesim gives each dimension the role its data spaces imply (in
 * Weights, Inputs and Outputs: G; Weights and Inputs: C; Weights and
 * Outputs: M; Inputs and Outputs: N) and reads each sliding-window rank
 * `[[F, dilation], [O, stride]]` of Inputs as one axis (filter F, output
 * O). This takes the cnn-layer shape, its grouped and depthwise variants
 * (depthwise C is in all three: pesim's G) and one-dimensional
 * convolutions alike; anything else is "unsupported" with the reason.
 * The axis of a window is its coefficients' H or W: Timeloop's cnn-layer
 * pairs R and P with Wstride, so its R, P become pesim's S, Q (columns)
 * and its S, Q pesim's R, P (rows). Timeloop has no padding: pesim's is 0
 * and the input plane is (P-1)*U + (R-1)*dil + 1. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "common/text.h"
#include "pesim/import.h"

#define DIM_MAX (1ull << 40) /* as pesim's own workload files */
#define GEOM_MAX 65535u
#define MAX_DIMS 16
#define MAX_COEFS 16
#define MAX_RANKS 16
#define NO_COEF (-1)

/* Timeloop's own cnn-layer shape (problem-shapes/cnn-layer.yaml), used
 * when a problem names it or gives no shape. */
static const char cnn_layer_yaml[] =
    "name: CNN-Layer\n"
    "dimensions: [R, S, P, Q, C, K, N]\n"
    "coefficients:\n"
    "  - {name: Wstride, default: 1}\n"
    "  - {name: Hstride, default: 1}\n"
    "  - {name: Wdilation, default: 1}\n"
    "  - {name: Hdilation, default: 1}\n"
    "data-spaces:\n"
    "  - {name: Weights, projection: [[[C]], [[K]], [[R]], [[S]]]}\n"
    "  - {name: Inputs, projection: [[[N]], [[C]], [[R, Wdilation], [P, Wstride]],"
    " [[S, Hdilation], [Q, Hstride]]]}\n"
    "  - {name: Outputs, projection: [[[N]], [[K]], [[Q]], [[P]]], read-write: true}\n";

#define EXPECTED_SHAPE                                                         \
    "a convolution: Weights [C][M][R][S], Inputs [N][C][R*Wdilation + "       \
    "P*Wstride][S*Hdilation + Q*Hstride], Outputs [N][M][Q][P], optionally "   \
    "with G in all three"

struct term {
    int dim;  /* index into shape.dim */
    int coef; /* index into shape.coef, or NO_COEF (1) */
};

struct rank {
    int nterms;
    struct term t[2];
};

struct dspace {
    const char *name;
    yaml_node_t *node;
    bool rw;
    int nranks;
    struct rank r[MAX_RANKS];
};

struct shape {
    yaml_document_t *doc;
    yaml_node_t *node; /* for messages; NULL for the built-in shape */
    const char *name;
    int ndims;
    const char *dim[MAX_DIMS];
    int ncoefs;
    const char *coef[MAX_COEFS];
    uint64_t coef_def[MAX_COEFS];
    int nds;
    struct dspace ds[3];
};

/* One sliding window of the input: filter dim, output dim, and the
 * coefficients that scale them. */
struct window {
    int filter, output, dil, stride;
    int axis; /* 0 rows, 1 cols, -1 not yet known */
};

struct importer {
    struct cfg_ctx ctx;
    const char *file;
    struct shape sh;
    int role[MAX_DIMS]; /* pesim dim of each shape dim */
    int nwin;
    struct window win[2];
    uint64_t dimval[MAX_DIMS];
    bool dimgiven[MAX_DIMS];
    uint64_t coefval[MAX_COEFS];
    struct pesim_tl_dims *dims_out; /* pesim_import_tl_dims: the names, copied */
};

/* ---- YAML helpers ------------------------------------------------------ */

static yaml_node_t *node_at(yaml_document_t *doc, int id)
{
    return yaml_document_get_node(doc, id);
}

static size_t seq_len(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE
               ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
               : 0;
}

static yaml_node_t *seq_item(yaml_document_t *doc, const yaml_node_t *n,
                             size_t i)
{
    return node_at(doc, n->data.sequence.items.start[i]);
}

/* The value of `key` in a mapping (the first of alternatives), or NULL. */
static yaml_node_t *map_get(yaml_document_t *doc, const yaml_node_t *map,
                            const char *key, const char *alt)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        const char *k = pesim_cfg_scalar(node_at(doc, p->key));
        if (k && (strcmp(k, key) == 0 || (alt && strcmp(k, alt) == 0)))
            return node_at(doc, p->value);
    }
    return NULL;
}

static bool is_true(const yaml_node_t *n)
{
    const char *s = pesim_cfg_scalar(n);
    return s && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"));
}

static bool same_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return false;
    }
    return *a == *b;
}

static size_t edit_distance(const char *a, const char *b)
{
    return pesim_edit_distance(a, strlen(a), b, strlen(b));
}

/* ---- the shape --------------------------------------------------------- */

static int find_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static void read_dimensions(struct importer *im, yaml_node_t *n)
{
    struct shape *sh = &im->sh;
    if (!n || n->type != YAML_SEQUENCE_NODE || !seq_len(n)) {
        pesim_cfg_error(&im->ctx, n ? n : sh->node, "problem.shape.dimensions",
                        "%s, expected a list of dimension names",
                        n ? "got something else" : "missing required key");
        return;
    }
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *it = seq_item(sh->doc, n, i);
        const char *s = pesim_cfg_scalar(it);
        if (!s || !*s) {
            pesim_cfg_error(&im->ctx, it, "problem.shape.dimensions",
                            "got %s, expected a dimension name",
                            pesim_cfg_kind_name(it));
        } else if (find_name(sh->dim, sh->ndims, s) >= 0) {
            pesim_cfg_error(&im->ctx, it, "problem.shape.dimensions",
                            "dimension '%s' given twice, expected each once", s);
        } else if (sh->ndims == MAX_DIMS) {
            pesim_cfg_error(&im->ctx, it, "problem.shape.dimensions",
                            "unsupported: more than %d dimensions, expected %s",
                            MAX_DIMS, EXPECTED_SHAPE);
            return;
        } else {
            sh->dim[sh->ndims++] = s;
        }
    }
}

static void read_coefficients(struct importer *im, yaml_node_t *n)
{
    struct shape *sh = &im->sh;
    for (size_t i = 0; n && i < seq_len(n); i++) {
        yaml_node_t *c = seq_item(sh->doc, n, i);
        const char *name = pesim_cfg_scalar(map_get(sh->doc, c, "name", NULL));
        yaml_node_t *def = map_get(sh->doc, c, "default", NULL);
        uint64_t v = 1;
        if (!name || !*name) {
            pesim_cfg_error(&im->ctx, c, "problem.shape.coefficients",
                            "got an entry without a name, expected {name: "
                            "NAME, default: VALUE}");
            continue;
        }
        if (def && pesim_cfg_u64(&im->ctx, def, "problem.shape.coefficients",
                                 0, DIM_MAX, "an integer default", &v))
            continue;
        if (sh->ncoefs == MAX_COEFS) {
            pesim_cfg_error(&im->ctx, c, "problem.shape.coefficients",
                            "unsupported: more than %d coefficients, "
                            "expected %s",
                            MAX_COEFS, EXPECTED_SHAPE);
            return;
        }
        sh->coef[sh->ncoefs] = name;
        sh->coef_def[sh->ncoefs++] = v;
    }
    if (n && n->type != YAML_SEQUENCE_NODE)
        pesim_cfg_error(&im->ctx, n, "problem.shape.coefficients",
                        "got %s, expected a list of {name, default}",
                        pesim_cfg_kind_name(n));
}

/* A dimension used by a projection. Timeloop wants it declared; pesim also
 * takes an undeclared one (pytorch2timeloop's grouped template projects G
 * without listing it), and then wants it in the instance like the rest. */
static int projection_dim(struct importer *im, yaml_node_t *n, const char *path)
{
    struct shape *sh = &im->sh;
    const char *s = pesim_cfg_scalar(n);
    if (!s || !*s) {
        pesim_cfg_error(&im->ctx, n, path, "got %s, expected a dimension name",
                        pesim_cfg_kind_name(n));
        return -1;
    }
    int d = find_name(sh->dim, sh->ndims, s);
    if (d >= 0)
        return d;
    if (sh->ndims == MAX_DIMS) {
        pesim_cfg_error(&im->ctx, n, path, "unsupported: more than %d "
                        "dimensions, expected %s", MAX_DIMS, EXPECTED_SHAPE);
        return -1;
    }
    sh->dim[sh->ndims] = s;
    return sh->ndims++;
}

/* One term [dim] or [dim, coefficient]; a bare name is [dim]. */
static bool read_term(struct importer *im, yaml_node_t *n, const char *path,
                      struct term *t)
{
    struct shape *sh = &im->sh;
    yaml_node_t *dn = n, *cn = NULL;
    if (n && n->type == YAML_SEQUENCE_NODE) {
        if (seq_len(n) < 1 || seq_len(n) > 2) {
            pesim_cfg_error(&im->ctx, n, path, "got a term of %zu items, "
                            "expected [DIM] or [DIM, COEFFICIENT]", seq_len(n));
            return false;
        }
        dn = seq_item(sh->doc, n, 0);
        cn = seq_len(n) == 2 ? seq_item(sh->doc, n, 1) : NULL;
    }
    t->dim = projection_dim(im, dn, path);
    t->coef = NO_COEF;
    if (t->dim < 0)
        return false;
    if (!cn)
        return true;
    const char *c = pesim_cfg_scalar(cn);
    t->coef = c ? find_name(sh->coef, sh->ncoefs, c) : -1;
    if (t->coef < 0) {
        pesim_cfg_error(&im->ctx, cn, path, "got %s%s%s, expected one of the "
                        "shape's coefficients", c ? "'" : "",
                        c ? c : pesim_cfg_kind_name(cn), c ? "'" : "");
        return false;
    }
    return true;
}

/* A projection: a list of ranks, each a list of terms (Timeloop's SOP
 * form), or a flat list of dimension names. */
static bool read_projection(struct importer *im, yaml_node_t *n,
                            const char *path, struct dspace *ds)
{
    struct shape *sh = &im->sh;
    if (!n || n->type != YAML_SEQUENCE_NODE) {
        pesim_cfg_error(&im->ctx, n ? n : ds->node, path, "%s, expected a "
                        "list of ranks such as [[C]] or [[R, Wdilation], "
                        "[P, Wstride]]", n ? "got something else" :
                        "missing required key");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < seq_len(n); i++) {
        yaml_node_t *rk = seq_item(sh->doc, n, i);
        char rpath[160];
        snprintf(rpath, sizeof rpath, "%s[%zu]", path, i);
        if (ds->nranks == MAX_RANKS || seq_len(rk) > 2) {
            pesim_cfg_error(&im->ctx, rk, rpath, "unsupported: %s, expected %s",
                            seq_len(rk) > 2 ? "a rank of more than two terms"
                                            : "too many ranks",
                            EXPECTED_SHAPE);
            return false;
        }
        struct rank *r = &ds->r[ds->nranks++];
        if (rk->type != YAML_SEQUENCE_NODE) {
            r->nterms = 1;
            ok = read_term(im, rk, rpath, &r->t[0]) && ok;
            continue;
        }
        r->nterms = (int)seq_len(rk);
        if (!r->nterms) {
            pesim_cfg_error(&im->ctx, rk, rpath, "got an empty rank, "
                            "expected [[DIM]] or [[DIM, COEFFICIENT], ...]");
            ok = false;
        }
        for (int t = 0; t < r->nterms; t++)
            ok = read_term(im, seq_item(sh->doc, rk, (size_t)t), rpath,
                           &r->t[t]) && ok;
    }
    return ok;
}

static bool read_data_spaces(struct importer *im, yaml_node_t *n,
                             const char *key)
{
    struct shape *sh = &im->sh;
    char path[64];
    snprintf(path, sizeof path, "problem.shape.%s", key);
    if (!n || n->type != YAML_SEQUENCE_NODE || seq_len(n) != 3) {
        pesim_cfg_error(&im->ctx, n ? n : sh->node, path,
                        "%s, expected three data spaces: %s",
                        !n ? "missing required key"
                        : n->type != YAML_SEQUENCE_NODE ? "got something else"
                                                        : "unsupported: not three data spaces",
                        EXPECTED_SHAPE);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < 3; i++) {
        struct dspace *ds = &sh->ds[sh->nds++];
        ds->node = seq_item(sh->doc, n, i);
        ds->name = pesim_cfg_scalar(map_get(sh->doc, ds->node, "name", NULL));
        ds->rw = is_true(map_get(sh->doc, ds->node, "read_write", "read-write"));
        if (!ds->name)
            ds->name = "?";
        char dpath[96];
        snprintf(dpath, sizeof dpath, "%s[%zu].projection", path, i);
        ok = read_projection(im, map_get(sh->doc, ds->node, "projection", NULL),
                             dpath, ds) && ok;
    }
    return ok;
}

static void check_shape_keys(struct importer *im)
{
    static const char *const known[] = {"name", "dimensions", "coefficients",
                                        "data-spaces", "data_spaces"};
    yaml_node_t *m = im->sh.node;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node_at(im->sh.doc, p->key);
        const char *k = pesim_cfg_scalar(kn);
        bool found = false;
        for (size_t i = 0; k && i < sizeof known / sizeof *known; i++)
            found = found || strcmp(k, known[i]) == 0;
        if (!found)
            pesim_cfg_error(&im->ctx, kn, "problem.shape",
                            "unsupported key '%s', expected name, "
                            "dimensions, coefficients, data-spaces",
                            k ? k : "?");
    }
}

/* Parse an inline (or the built-in) shape mapping. */
static bool read_shape(struct importer *im, yaml_document_t *doc,
                       yaml_node_t *m, bool builtin)
{
    struct shape *sh = &im->sh;
    sh->doc = doc;
    sh->node = builtin ? NULL : m;
    if (!m || m->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&im->ctx, m, "problem.shape",
                        "got %s, expected a shape mapping or cnn-layer",
                        pesim_cfg_kind_name(m));
        return false;
    }
    if (!builtin)
        check_shape_keys(im);
    yaml_node_t *name = map_get(doc, m, "name", NULL);
    sh->name = pesim_cfg_scalar(name);
    size_t off;
    char why[96];
    if (sh->name && pesim_name_check(sh->name, name->data.scalar.length, &off, why, sizeof why)) {
        pesim_cfg_error(&im->ctx, name, "problem.shape.name", "got %s, expected %s", why,
                        PESIM_NAME_EXPECTED);
        sh->name = NULL;
    }
    size_t before = im->ctx.nerrs;
    read_dimensions(im, map_get(doc, m, "dimensions", NULL));
    read_coefficients(im, map_get(doc, m, "coefficients", NULL));
    yaml_node_t *ds = map_get(doc, m, "data_spaces", NULL);
    const char *key = "data_spaces";
    if (!ds) {
        ds = map_get(doc, m, "data-spaces", NULL);
        key = "data-spaces";
    }
    if (im->ctx.nerrs > before)
        return false;
    return read_data_spaces(im, ds, key);
}

/* ---- roles ------------------------------------------------------------- */

enum { IN_W = 1, IN_I = 2, IN_O = 4 };

static void unsupported(struct importer *im, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void unsupported(struct importer *im, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pesim_cfg_error(&im->ctx, im->sh.node, "problem.shape",
                    "unsupported: %s, expected %s", msg, EXPECTED_SHAPE);
}

static bool has_window(const struct dspace *ds)
{
    for (int k = 0; k < ds->nranks; k++)
        if (ds->r[k].nterms == 2)
            return true;
    return false;
}

/* Which data space is which: the read-write one is Outputs (else the one
 * named so); Inputs is the one named so, else the one with a sliding
 * window, else the first other; Weights the remaining one. */
static bool assign_spaces(struct importer *im, struct dspace **w,
                          struct dspace **in, struct dspace **o)
{
    struct dspace *ds = im->sh.ds;
    int oi = -1, ii = -1;
    for (int i = 0; i < 3; i++)
        if (ds[i].rw) {
            if (oi >= 0) {
                unsupported(im, "two read-write data spaces");
                return false;
            }
            oi = i;
        }
    for (int i = 0; i < 3 && oi < 0; i++)
        if (same_nocase(ds[i].name, "outputs"))
            oi = i;
    if (oi < 0) {
        unsupported(im, "no read-write (output) data space");
        return false;
    }
    for (int i = 0; i < 3 && ii < 0; i++)
        if (i != oi && same_nocase(ds[i].name, "inputs"))
            ii = i;
    for (int i = 0; i < 3 && ii < 0; i++)
        if (i != oi && has_window(&ds[i]))
            ii = i;
    for (int i = 0; i < 3 && ii < 0; i++)
        if (i != oi)
            ii = i;
    *o = &ds[oi];
    *in = &ds[ii];
    *w = &ds[3 - oi - ii];
    return true;
}

/* Mark where each dimension appears as a plain rank; windows go apart. */
static bool mark_space(struct importer *im, const struct dspace *ds, int bit,
                       unsigned *mask)
{
    for (int k = 0; k < ds->nranks; k++) {
        const struct rank *r = &ds->r[k];
        if (r->nterms == 2 && bit == IN_I) {
            if (im->nwin == 2) {
                unsupported(im, "more than two sliding windows in %s", ds->name);
                return false;
            }
            im->win[im->nwin++] = (struct window){r->t[0].dim, r->t[1].dim,
                                                  r->t[0].coef, r->t[1].coef, -1};
            continue;
        }
        if (r->nterms != 1 || r->t[0].coef != NO_COEF) {
            unsupported(im, "%s projects a rank of %s", ds->name,
                        r->nterms == 1 ? "a scaled dimension" : "a sum");
            return false;
        }
        mask[r->t[0].dim] |= (unsigned)bit;
    }
    return true;
}

/* A window's filter is a weights dimension, its output an outputs one;
 * either order of the two terms. */
static bool orient_window(struct importer *im, struct window *wd,
                          const unsigned *mask)
{
    const struct shape *sh = &im->sh;
    if (mask[wd->filter] != IN_W) {
        struct window sw = {wd->output, wd->filter, wd->stride, wd->dil, -1};
        *wd = sw;
    }
    if (mask[wd->filter] != IN_W || mask[wd->output] != IN_O) {
        unsupported(im, "the input window %s + %s is not a filter dimension "
                    "(only in Weights) plus an output dimension (only in "
                    "Outputs)", sh->dim[wd->filter], sh->dim[wd->output]);
        return false;
    }
    /* The axis from the coefficient names: Hstride / Wdilation ... */
    const char *names[2] = {wd->stride >= 0 ? sh->coef[wd->stride] : "",
                            wd->dil >= 0 ? sh->coef[wd->dil] : ""};
    for (int i = 0; i < 2; i++)
        if (names[i][0] == 'H' || names[i][0] == 'W')
            wd->axis = names[i][0] == 'H' ? 0 : 1;
    return true;
}

static bool set_axes(struct importer *im)
{
    struct window *a = &im->win[0], *b = &im->win[1];
    if (im->nwin == 1 && a->axis < 0)
        a->axis = 1; /* Timeloop's first window is the width */
    if (im->nwin < 2)
        return true;
    if (a->axis < 0 && b->axis < 0) {
        a->axis = 1; /* cnn-layer order: width, then height */
        b->axis = 0;
    } else if (a->axis < 0) {
        a->axis = 1 - b->axis;
    } else if (b->axis < 0) {
        b->axis = 1 - a->axis;
    }
    if (a->axis == b->axis) {
        unsupported(im, "both input windows are along the %s",
                    a->axis ? "width" : "height");
        return false;
    }
    return true;
}

static int plain_role(unsigned mask)
{
    switch (mask) {
    case IN_W | IN_I | IN_O:
        return PESIM_DIM_G;
    case IN_W | IN_I:
        return PESIM_DIM_C;
    case IN_W | IN_O:
        return PESIM_DIM_M;
    case IN_I | IN_O:
        return PESIM_DIM_N;
    default:
        return -1;
    }
}

static bool give_role(struct importer *im, int d, int role, int *owner)
{
    if (im->role[d] >= 0) {
        unsupported(im, "dimension %s slides along two axes", im->sh.dim[d]);
        return false;
    }
    if (owner[role] >= 0) {
        unsupported(im, "dimensions %s and %s both act as pesim's %s",
                    im->sh.dim[owner[role]], im->sh.dim[d],
                    pesim_dim_name((enum pesim_dim)role));
        return false;
    }
    owner[role] = d;
    im->role[d] = role;
    return true;
}

static bool assign_roles(struct importer *im)
{
    struct dspace *w, *in, *o;
    unsigned mask[MAX_DIMS] = {0};
    if (!assign_spaces(im, &w, &in, &o) || !mark_space(im, w, IN_W, mask) ||
        !mark_space(im, in, IN_I, mask) || !mark_space(im, o, IN_O, mask))
        return false;
    for (int i = 0; i < im->nwin; i++)
        if (!orient_window(im, &im->win[i], mask))
            return false;
    if (!set_axes(im))
        return false;
    int owner[PESIM_DIM_COUNT];
    for (int i = 0; i < PESIM_DIM_COUNT; i++)
        owner[i] = -1;
    for (int d = 0; d < im->sh.ndims; d++)
        im->role[d] = -1;
    for (int i = 0; i < im->nwin; i++) {
        const struct window *wd = &im->win[i];
        if (!give_role(im, wd->filter, wd->axis ? PESIM_DIM_S : PESIM_DIM_R, owner) ||
            !give_role(im, wd->output, wd->axis ? PESIM_DIM_Q : PESIM_DIM_P, owner))
            return false;
    }
    for (int d = 0; d < im->sh.ndims; d++) {
        if (im->role[d] >= 0)
            continue;
        int role = plain_role(mask[d]);
        if (role < 0) {
            unsupported(im, "dimension %s is projected %s", im->sh.dim[d],
                        mask[d] ? "into only one data space"
                                : "into no data space");
            return false;
        }
        if (!give_role(im, d, role, owner))
            return false;
    }
    return true;
}

/* ---- the instance ------------------------------------------------------ */

/* Keys that Timeloop's own templates put in an instance besides the
 * dimensions and coefficients: the unpadded input and its padding
 * (v0.4 example designs) and pytorch2timeloop's Groups. Timeloop's model
 * does not read them, nor does pesim; they must still be integers. */
static const char *const extra_keys[] = {"H", "W", "Hpad", "Wpad", "Groups"};

static bool is_extra(const char *k)
{
    for (size_t i = 0; i < sizeof extra_keys / sizeof *extra_keys; i++)
        if (strcmp(k, extra_keys[i]) == 0)
            return true;
    return false;
}

/* The name a misspelt key most likely meant, or NULL: the same name in
 * another case; M for K and K for M (Timeloop's older shapes call the
 * output channels K); else a close spelling of a longer name. */
static const char *suggest(const struct shape *sh, const char *k)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (int i = 0; i < sh->ndims + sh->ncoefs; i++) {
        const char *n = i < sh->ndims ? sh->dim[i] : sh->coef[i - sh->ndims];
        size_t d = edit_distance(k, n), len = strlen(n);
        if (same_nocase(k, n) || (!strcmp(k, "K") && !strcmp(n, "M")) ||
            (!strcmp(k, "M") && !strcmp(n, "K")))
            d = 0;
        else if (len < 3 || d > (len >= 5 ? 2u : 1u))
            continue;
        if (d < best_d) {
            best_d = d;
            best = n;
        }
    }
    return best;
}

static void unknown_key(struct importer *im, yaml_node_t *kn, const char *k,
                        const char *prefix)
{
    const struct shape *sh = &im->sh;
    char list[512] = "", path[160];
    for (int i = 0; i < sh->ndims + sh->ncoefs; i++) {
        const char *n = i < sh->ndims ? sh->dim[i] : sh->coef[i - sh->ndims];
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", n);
    }
    snprintf(path, sizeof path, "%s.%s", prefix, k);
    const char *best = suggest(sh, k);
    if (best)
        pesim_cfg_error(&im->ctx, kn, path, "unknown dimension, expected "
                        "one of %s; did you mean '%s'?", list, best);
    else
        pesim_cfg_error(&im->ctx, kn, path, "unknown dimension, expected "
                        "one of %s", list);
}

static bool coef_in_window(const struct importer *im, int c)
{
    for (int i = 0; i < im->nwin; i++)
        if (im->win[i].dil == c || im->win[i].stride == c)
            return true;
    return false;
}

static void read_value(struct importer *im, yaml_node_t *doc_kn,
                       yaml_node_t *vn, const char *k, const char *prefix)
{
    const struct shape *sh = &im->sh;
    char path[160];
    snprintf(path, sizeof path, "%s.%s", prefix, k);
    int d = find_name(sh->dim, sh->ndims, k);
    int c = find_name(sh->coef, sh->ncoefs, k);
    uint64_t v;
    if (d >= 0) {
        if (im->dimgiven[d]) {
            pesim_cfg_error(&im->ctx, doc_kn, path, "given twice, expected "
                            "each dimension once");
            return;
        }
        im->dimgiven[d] = true;
        if (!pesim_cfg_u64(&im->ctx, vn, path, 1, DIM_MAX,
                           "an integer in [1, 1099511627776]", &v))
            im->dimval[d] = v;
    } else if (c >= 0) {
        bool geom = coef_in_window(im, c);
        char exp[64];
        snprintf(exp, sizeof exp, "an integer in [%d, %llu]", geom ? 1 : 0,
                 geom ? (unsigned long long)GEOM_MAX : DIM_MAX);
        if (!pesim_cfg_u64(&im->ctx, vn, path, geom ? 1 : 0,
                           geom ? GEOM_MAX : DIM_MAX, exp, &v))
            im->coefval[c] = v;
    } else if (is_extra(k)) {
        pesim_cfg_u64(&im->ctx, vn, path, 0, DIM_MAX,
                      "an integer in [0, 1099511627776]", &v);
    } else if (!strcmp(k, "densities") || !strcmp(k, "commonDensity")) {
        pesim_cfg_error(&im->ctx, doc_kn, path, "unsupported: sparse "
                        "densities, expected a dense problem (pesim "
                        "models dense tensors)");
    } else {
        unknown_key(im, doc_kn, k, prefix);
    }
}

/* Keys of problem that are not bounds in the pre-`instance` layout. */
static bool is_problem_key(const char *k)
{
    return k && (!strcmp(k, "shape") || !strcmp(k, "version"));
}

/* Every key of the instance mapping; `skip` keys belong to problem (the
 * pre-`instance` layout, where bounds sit beside the shape). */
static void read_instance(struct importer *im, yaml_document_t *doc,
                          yaml_node_t *inst, const char *prefix, bool skip)
{
    for (int c = 0; c < im->sh.ncoefs; c++)
        im->coefval[c] = im->sh.coef_def[c];
    for (yaml_node_pair_t *p = inst->data.mapping.pairs.start;
         p < inst->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node_at(doc, p->key);
        const char *k = pesim_cfg_scalar(kn);
        if (!k) {
            pesim_cfg_error(&im->ctx, kn, prefix, "got %s as a key, expected "
                            "a dimension name", pesim_cfg_kind_name(kn));
            continue;
        }
        if (skip ? is_problem_key(k) : !strcmp(k, "version"))
            continue;
        read_value(im, kn, node_at(doc, p->value), k, prefix);
    }
    for (int d = 0; d < im->sh.ndims; d++)
        if (!im->dimgiven[d]) {
            char path[160];
            snprintf(path, sizeof path, "%s.%s", prefix, im->sh.dim[d]);
            pesim_cfg_error(&im->ctx, inst, path, "missing dimension, "
                            "expected an integer in [1, 1099511627776]");
        }
    /* A window's coefficient must be a usable stride or dilation even when
     * it comes from the shape's default. */
    for (int c = 0; c < im->sh.ncoefs; c++)
        if (coef_in_window(im, c) &&
            (im->coefval[c] < 1 || im->coefval[c] > GEOM_MAX))
        {
            char path[160];
            snprintf(path, sizeof path, "%s.%s", prefix, im->sh.coef[c]);
            pesim_cfg_error(&im->ctx, inst, path, "got %llu (the shape's "
                            "default), expected an integer in [1, %u]",
                            (unsigned long long)im->coefval[c], GEOM_MAX);
        }
}

/* ---- the layer --------------------------------------------------------- */

static uint32_t coef_value(const struct importer *im, int c)
{
    return c == NO_COEF ? 1u : (uint32_t)im->coefval[c];
}

static bool build_layer(struct importer *im, struct pesim_layer *l)
{
    memset(l, 0, sizeof *l);
    const char *name = im->sh.name && *im->sh.name ? im->sh.name : "layer";
    snprintf(l->name, sizeof l->name, "%s", name);
    for (int d = 0; d < PESIM_DIM_COUNT; d++)
        l->dim[d] = 1;
    for (int d = 0; d < im->sh.ndims; d++)
        l->dim[im->role[d]] = im->dimval[d];
    l->stride[0] = l->stride[1] = l->dilation[0] = l->dilation[1] = 1;
    for (int i = 0; i < im->nwin; i++) {
        const struct window *wd = &im->win[i];
        l->stride[wd->axis] = coef_value(im, wd->stride);
        l->dilation[wd->axis] = coef_value(im, wd->dil);
    }
    /* No sliding window: a matrix product (Timeloop's gemm shapes). */
    l->kind = im->nwin ? PESIM_LAYER_CONV : PESIM_LAYER_GEMM;
    if (pesim_layer_macs(l) == UINT64_MAX || pesim_layer_h(l) == UINT64_MAX ||
        pesim_layer_w(l) == UINT64_MAX)
        return false;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        if (pesim_layer_ds_words(l, (enum pesim_ds)ds) == UINT64_MAX)
            return false;
    return true;
}

/* ---- entry ------------------------------------------------------------- */

static bool names_cnn_layer(const char *s)
{
    static const char *const names[] = {"cnn-layer", "cnn_layer",
                                        "cnn-layer.yaml", "cnn_layer.yaml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (same_nocase(s, names[i]))
            return true;
    return false;
}

/* The shape: inline, Timeloop's cnn-layer by name, or cnn-layer when
 * absent (Timeloop's own fallback). */
static bool load_shape(struct importer *im, yaml_document_t *doc,
                       yaml_node_t *problem, yaml_document_t *builtin,
                       bool *have_builtin)
{
    yaml_node_t *shape = map_get(doc, problem, "shape", NULL);
    const char *s = pesim_cfg_scalar(shape);
    if (shape && !s)
        return read_shape(im, doc, shape, false);
    if (s && !names_cnn_layer(s)) {
        pesim_cfg_error(&im->ctx, shape, "problem.shape",
                        "unsupported: shape file '%s', expected the shape "
                        "inline or cnn-layer", s);
        return false;
    }
    struct cfg_ctx tmp;
    pesim_cfg_init(&tmp, "cnn-layer");
    if (pesim_cfg_parse(&tmp, cnn_layer_yaml, sizeof cnn_layer_yaml - 1,
                        builtin)) {
        pesim_cfg_finish(&tmp, NULL);
        im->ctx.nomem = true;
        return false;
    }
    pesim_cfg_finish(&tmp, NULL);
    *have_builtin = true;
    return read_shape(im, builtin, yaml_document_get_root_node(builtin), true);
}

static yaml_node_t *find_problem(struct importer *im, yaml_document_t *doc)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&im->ctx, root, "", "got %s, expected a mapping with "
                        "a problem key", pesim_cfg_kind_name(root));
        return NULL;
    }
    yaml_node_t *p = map_get(doc, root, "problem", NULL);
    if (!p)
        pesim_cfg_error(&im->ctx, root, "problem", "missing required key, "
                        "expected problem: {shape: ..., instance: {...}}");
    else if (p->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&im->ctx, p, "problem", "got %s, expected a mapping "
                        "with shape and instance", pesim_cfg_kind_name(p));
        p = NULL;
    }
    return p;
}

/* The mapping that holds the bounds, with its path; NULL (reported) if
 * there is none. */
static yaml_node_t *find_instance(struct importer *im, yaml_document_t *doc,
                                  yaml_node_t *problem, bool *legacy)
{
    yaml_node_t *inst = map_get(doc, problem, "instance", NULL);
    *legacy = !inst;
    if (inst && inst->type != YAML_MAPPING_NODE) {
        pesim_cfg_error(&im->ctx, inst, "problem.instance", "got %s, expected "
                        "a mapping of dimension bounds",
                        pesim_cfg_kind_name(inst));
        return NULL;
    }
    if (inst)
        return inst;
    for (yaml_node_pair_t *p = problem->data.mapping.pairs.start;
         p < problem->data.mapping.pairs.top; p++)
        if (!is_problem_key(pesim_cfg_scalar(node_at(doc, p->key))))
            return problem; /* bounds beside the shape, as before `instance` */
    pesim_cfg_error(&im->ctx, problem, "problem.instance", "missing required "
                    "key, expected a mapping of dimension bounds such as "
                    "{C: 3, M: 96, R: 11, ...}");
    return NULL;
}

static void import_doc(struct importer *im, yaml_document_t *doc,
                       struct pesim_layer *l, bool *ok)
{
    yaml_document_t builtin;
    bool have_builtin = false, legacy = false;
    yaml_node_t *problem = find_problem(im, doc);
    if (!problem)
        return;
    bool shaped = load_shape(im, doc, problem, &builtin, &have_builtin) &&
                  assign_roles(im);
    yaml_node_t *inst = find_instance(im, doc, problem, &legacy);
    if (inst && shaped)
        read_instance(im, doc, inst, legacy ? "problem" : "problem.instance",
                      legacy);
    if (inst && shaped && !pesim_cfg_failed(&im->ctx)) {
        *ok = build_layer(im, l);
        if (!*ok)
            pesim_cfg_error(&im->ctx, inst, "problem.instance", "MACs or "
                            "data-space words overflow 64 bits, expected a "
                            "layer whose counts fit in 64 bits");
    }
    if (*ok && im->dims_out) {
        struct pesim_tl_dims *dd = im->dims_out;
        dd->n = 0;
        for (int i = 0; i < im->sh.ndims && dd->n < 16; i++) {
            snprintf(dd->name[dd->n], sizeof dd->name[dd->n], "%s", im->sh.dim[i]);
            dd->dim[dd->n++] = (uint8_t)im->role[i];
        }
    }
    if (have_builtin)
        yaml_document_delete(&builtin);
}

static void name_from_file(const char *file, char *name)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strcspn(base, ".");
    if (n >= PESIM_NAME_MAX)
        n = PESIM_NAME_MAX - 1;
    memcpy(name, base, n);
    name[n] = '\0';
    if (!n)
        strcpy(name, "timeloop");
}

/* Parse and read one problem file into *l (and its dimension names into
 * *dims when not NULL); every problem to diags. */
static int read_problem(const char *text, size_t len, const char *file, struct pesim_layer *l,
                        struct pesim_tl_dims *dims, struct importer *im, pesim_diags *diags)
{
    memset(im, 0, sizeof *im);
    im->file = file ? file : "problem.yaml";
    im->dims_out = dims;
    pesim_cfg_init(&im->ctx, im->file);
    yaml_document_t doc;
    bool ok = false;
    if (pesim_cfg_parse(&im->ctx, text ? text : "", text ? len : 0, &doc) == 0) {
        im->ctx.doc = &doc;
        import_doc(im, &doc, l, &ok);
        yaml_document_delete(&doc);
    }
    int rc = pesim_cfg_finish(&im->ctx, diags);
    if (rc)
        return rc;
    return ok ? 0 : PESIM_E_INVALID; /* not ok: not reached, every failure is reported */
}

int pesim_import_timeloop(const char *text, size_t len, const char *file,
                          struct pesim_workload *out, pesim_diags *diags)
{
    struct importer im;
    struct pesim_layer l;
    int rc = read_problem(text, len, file, &l, NULL, &im, diags);
    if (rc)
        return rc;
    struct pesim_layer *layers = malloc(sizeof *layers);
    if (!layers)
        return PESIM_E_NOMEM;
    *layers = l;
    memset(out, 0, sizeof *out);
    name_from_file(im.file, out->name);
    out->count = 1;
    out->layers = layers;
    return 0;
}

/* The dimension names of Timeloop's cnn-layer and the pesim dims they
 * are (see the comment at the top: R, P pair with Wstride). M is there
 * too: the example designs' problems name K so. */
static const struct {
    const char *name;
    enum pesim_dim dim;
} cnn_dims[] = {
    {"R", PESIM_DIM_S}, {"S", PESIM_DIM_R}, {"P", PESIM_DIM_Q}, {"Q", PESIM_DIM_P},
    {"C", PESIM_DIM_C}, {"K", PESIM_DIM_M}, {"M", PESIM_DIM_M}, {"N", PESIM_DIM_N},
    {"G", PESIM_DIM_G},
};

int pesim_import_tl_dims(const char *text, size_t len, const char *file,
                         struct pesim_tl_dims *out, pesim_diags *diags)
{
    struct pesim_tl_dims d;
    memset(&d, 0, sizeof d);
    if (!text) {
        for (size_t i = 0; i < sizeof cnn_dims / sizeof cnn_dims[0]; i++) {
            snprintf(d.name[d.n], sizeof d.name[d.n], "%s", cnn_dims[i].name);
            d.dim[d.n++] = (uint8_t)cnn_dims[i].dim;
        }
        *out = d;
        return 0;
    }
    struct importer im;
    struct pesim_layer l;
    int rc = read_problem(text, len, file, &l, &d, &im, diags);
    if (rc)
        return rc;
    *out = d;
    return 0;
}
