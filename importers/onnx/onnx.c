/* pesim_import_onnx_batch: Conv, Gemm and MatMul nodes of an ONNX model,
 * in graph order, as pesim layers (include/pesim/import.h,
 * docs/workloads.md).
 *
 * The ModelProto is decoded by protobuf-c from code protoc-c generated at
 * build time from python3-onnx's onnx.proto (importers/onnx/meson.build).
 * Only shapes are read, never weights: shape.c infers every tensor's from
 * the initializers and graph inputs, and this file turns the nodes that
 * carry MACs into layers. Every node is checked and every error reported;
 * nothing is returned unless all of them import. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "config/cfg.h"
#include "onnx_int.h"

/* protobuf-c decodes nested messages recursively: a few bytes per level
 * can nest deep enough to overflow the stack, so deeper input is refused
 * before decoding. Real models nest a few subgraphs (If, Loop) deep. */
#define DEPTH_MAX 100

/* ---- message nesting, checked on the wire ----------------------------- */

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        uint8_t b = *(*p)++;
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

/* Whether the message in [p, end) of type desc nests deeper than
 * DEPTH_MAX. Malformed bytes stop the walk with "no": protobuf-c then
 * rejects them itself. Each level walks only its own bytes once. */
static bool too_deep(const uint8_t *p, const uint8_t *end,
                     const ProtobufCMessageDescriptor *desc, unsigned depth)
{
    while (p < end) {
        uint64_t key, v;
        if (!varint(&p, end, &key))
            return false;
        switch (key & 7) {
        case 0:
            if (!varint(&p, end, &v))
                return false;
            break;
        case 1:
        case 5: {
            size_t n = (key & 7) == 1 ? 8 : 4;
            if ((size_t)(end - p) < n)
                return false;
            p += n;
            break;
        }
        case 2: {
            if (!varint(&p, end, &v) || v > (uint64_t)(end - p))
                return false;
            uint64_t num = key >> 3;
            const ProtobufCFieldDescriptor *f =
                num <= UINT32_MAX
                    ? protobuf_c_message_descriptor_get_field(desc, (unsigned)num)
                    : NULL;
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
                if (depth + 1 > DEPTH_MAX ||
                    too_deep(p, p + v, f->descriptor, depth + 1))
                    return true;
            }
            p += v;
            break;
        }
        default:
            return false;
        }
    }
    return false;
}

/* ---- names by table --------------------------------------------------- */

struct entry {
    const char *name; /* NULL: empty slot */
    size_t node;      /* producers table: 1 + the node's index */
};

struct table {
    struct entry *slot;
    size_t mask;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct entry *find_slot(const struct table *t, const char *name)
{
    size_t i = (size_t)hash(name) & t->mask;
    while (t->slot[i].name && strcmp(t->slot[i].name, name) != 0)
        i = (i + 1) & t->mask;
    return &t->slot[i];
}

static int table_init(struct table *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    t->slot = calloc(cap, sizeof *t->slot);
    t->mask = cap - 1;
    return t->slot ? 0 : PESIM_E_NOMEM;
}

static void put(struct table *t, const char *name, size_t node)
{
    if (!name || !*name)
        return;
    struct entry *e = find_slot(t, name);
    if (e->name)
        return;
    e->name = name;
    e->node = node;
}

/* ---- helpers shared with shape.c (onnx_int.h) ------------------------ */

struct onnx_who onnx_who(const Onnx__NodeProto *n, size_t index)
{
    struct onnx_who w;
    if (n->name && *n->name)
        snprintf(w.text, sizeof w.text, "'%.120s'", n->name);
    else
        snprintf(w.text, sizeof w.text, "#%zu (%.40s, no name)", index,
                 n->op_type ? n->op_type : "");
    return w;
}

void onnx_err(struct onnx_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pesim_diags_vaddc(c->diags, PESIM_DIAG_IMPORT_PARSE, c->file, 0, 0, fmt, ap);
    va_end(ap);
    c->nerrs++;
}

const Onnx__AttributeProto *onnx_attr(const Onnx__NodeProto *n, const char *name)
{
    for (size_t i = 0; i < n->n_attribute; i++)
        if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0)
            return n->attribute[i];
    return NULL;
}

int onnx_attr_int(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index,
                  const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *out)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    *out = def;
    if (!a)
        return 0;
    struct onnx_who w = onnx_who(n, index);
    if ((a->has_type && a->type != ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT) ||
        !a->has_i) {
        onnx_err(c, "node %s (%s): attribute %s is not an integer, expected an INT attribute",
                 w.text, n->op_type, name);
        return PESIM_E_INVALID;
    }
    if (a->i < lo || a->i > hi) {
        onnx_err(c, "node %s (%s): attribute %s is %" PRId64 ", expected an integer in [%" PRId64
                    ", %" PRId64 "]",
                 w.text, n->op_type, name, a->i, lo, hi);
        return PESIM_E_INVALID;
    }
    *out = a->i;
    return 0;
}

int onnx_attr_ints(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index,
                   const char *name, size_t count, int64_t lo, int64_t hi, int64_t *out)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    if (!a)
        return 0;
    struct onnx_who w = onnx_who(n, index);
    if ((a->has_type && a->type != ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS) ||
        a->n_ints != count) {
        onnx_err(c, "node %s (%s): attribute %s has %zu integers, expected %zu (one per axis)",
                 w.text, n->op_type, name, a->n_ints, count);
        return PESIM_E_INVALID;
    }
    for (size_t i = 0; i < count; i++) {
        if (a->ints[i] < lo || a->ints[i] > hi) {
            onnx_err(c,
                     "node %s (%s): attribute %s[%zu] is %" PRId64 ", expected an integer in "
                     "[%" PRId64 ", %" PRId64 "]",
                     w.text, n->op_type, name, i, a->ints[i], lo, hi);
            return PESIM_E_INVALID;
        }
        out[i] = a->ints[i];
    }
    return 0;
}

bool onnx_is_op(const Onnx__NodeProto *n, const char *op)
{
    if (n->domain && *n->domain && strcmp(n->domain, "ai.onnx") != 0)
        return false;
    return n->op_type && strcmp(n->op_type, op) == 0;
}

bool onnx_mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a != 0 && b > UINT64_MAX / a)
        return false;
    *out = a * b;
    return true;
}

const char *onnx_dims_text(const struct onnx_shape *s, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "[");
    for (size_t d = 0; d < s->rank && o < size; d++)
        o += (size_t)snprintf(buf + o, size - o, "%s%" PRIu64, d ? ", " : "", s->dim[d]);
    if (o < size)
        snprintf(buf + o, size - o, "]");
    return buf;
}

/* ---- nodes to layers -------------------------------------------------- */

static void layer_init(struct pesim_layer *l, enum pesim_layer_kind kind)
{
    memset(l, 0, sizeof *l);
    l->kind = kind;
    for (int d = 0; d < PESIM_DIM_COUNT; d++)
        l->dim[d] = 1;
    l->stride[0] = l->stride[1] = 1;
    l->dilation[0] = l->dilation[1] = 1;
}

static const struct onnx_shape *in_shape(const struct onnx_shapes *t, const Onnx__NodeProto *n,
                                         size_t i)
{
    return i < n->n_input ? onnx_shape_of(t, n->input[i]) : NULL;
}

static const struct onnx_shape *out_shape(const struct onnx_shapes *t,
                                          const Onnx__NodeProto *n)
{
    return n->n_output > 0 ? onnx_shape_of(t, n->output[0]) : NULL;
}

/* Conv: X [N, C, H, W], W [M, C/group, kH, kW], Y [N, M, P, Q]. Inference
 * has checked them: an output with no shape is a node already reported. */
static int conv(struct onnx_ctx *c, const struct onnx_shapes *t, const Onnx__NodeProto *n,
                size_t index, struct pesim_layer *l)
{
    const struct onnx_shape *x = in_shape(t, n, 0), *y = out_shape(t, n);
    struct onnx_conv g;
    if (!x || !y || onnx_conv_geom(c, n, index, x, in_shape(t, n, 1), y, &g))
        return PESIM_E_INVALID;
    for (int a = 0; a < 2; a++) {
        /* pesim has one pad per side: asymmetric pads keep the larger. */
        uint64_t pad = g.begin[a] > g.end[a] ? g.begin[a] : g.end[a];
        if (pad > ONNX_GEOM_MAX) {
            struct onnx_who w = onnx_who(n, index);
            onnx_err(c, "node %s (Conv): padding %" PRIu64 ", expected at most %u", w.text, pad,
                     ONNX_GEOM_MAX);
            return PESIM_E_INVALID;
        }
        l->stride[a] = g.stride[a];
        l->dilation[a] = g.dilation[a];
        l->pad[a] = (uint32_t)pad;
    }
    l->kind = PESIM_LAYER_CONV;
    l->dim[PESIM_DIM_N] = x->dim[0];
    l->dim[PESIM_DIM_G] = g.group;
    l->dim[PESIM_DIM_M] = g.m_all / g.group;
    l->dim[PESIM_DIM_C] = x->dim[1] / g.group;
    l->dim[PESIM_DIM_P] = y->dim[2];
    l->dim[PESIM_DIM_Q] = y->dim[3];
    l->dim[PESIM_DIM_R] = g.k[0];
    l->dim[PESIM_DIM_S] = g.k[1];
    return 0;
}

/* Gemm (rank 2 operands, transA/transB) and MatMul (numpy matmul: 1-D
 * operands, broadcast batch dims), whose shapes inference has checked. A
 * weight B makes an fc layer, an activation B a matmul layer. */
static int gemm(struct onnx_ctx *c, const struct onnx_shapes *t, const Onnx__NodeProto *n,
                size_t index, bool is_gemm, struct pesim_layer *l)
{
    struct onnx_who w = onnx_who(n, index);
    const struct onnx_shape *pa = in_shape(t, n, 0), *pb = in_shape(t, n, 1);
    int64_t ta = 0, tb = 0;
    if (!pa || !pb || !out_shape(t, n))
        return PESIM_E_INVALID;
    const struct onnx_shape a = *pa, b = *pb;
    uint64_t m, k, nn, groups = 1, rows;
    if (is_gemm) {
        if (onnx_attr_int(c, n, index, "transA", 0, 1, 0, &ta) ||
            onnx_attr_int(c, n, index, "transB", 0, 1, 0, &tb))
            return PESIM_E_INVALID;
        m = a.dim[ta ? 1 : 0];
        k = a.dim[ta ? 0 : 1];
        nn = b.dim[tb ? 0 : 1];
        rows = m;
    } else {
        m = a.rank == 1 ? 1 : a.dim[a.rank - 2];
        k = a.dim[a.rank - 1];
        nn = b.rank == 1 ? 1 : b.dim[b.rank - 1];
        /* Batch dims: all but the last two (a 1-D operand has none),
         * broadcast from the right as numpy does (inference checked it). */
        size_t ba = a.rank > 2 ? a.rank - 2 : 0, bb = b.rank > 2 ? b.rank - 2 : 0;
        size_t nb = ba > bb ? ba : bb;
        rows = m;
        for (size_t i = 0; i < nb; i++) {
            uint64_t da = i < ba ? a.dim[ba - 1 - i] : 1, db = i < bb ? b.dim[bb - 1 - i] : 1;
            if (!onnx_mul_ok(groups, da > db ? da : db, &groups) || groups > ONNX_DIM_MAX) {
                onnx_err(c, "node %s (MatMul): batch of more than %llu products, expected "
                            "fewer", w.text, ONNX_DIM_MAX);
                return PESIM_E_INVALID;
            }
        }
        /* A weight shared by the whole batch: one fc over all the rows. */
        if (b.param && bb == 0) {
            for (size_t i = 0; i < ba; i++)
                if (!onnx_mul_ok(rows, a.dim[i], &rows) || rows > ONNX_DIM_MAX) {
                    onnx_err(c, "node %s (MatMul): more than %llu rows, expected fewer",
                             w.text, ONNX_DIM_MAX);
                    return PESIM_E_INVALID;
                }
            groups = 1;
        }
    }
    layer_init(l, b.param ? PESIM_LAYER_FC : PESIM_LAYER_MATMUL);
    l->dim[PESIM_DIM_N] = rows;
    l->dim[PESIM_DIM_G] = groups;
    l->dim[PESIM_DIM_C] = k;
    l->dim[PESIM_DIM_M] = nn;
    return 0;
}

/* ---- names ------------------------------------------------------------ */

/* Length of the valid, printable UTF-8 character at s (n bytes left), 0
 * if invalid or a control character. */
static size_t printable_len(const unsigned char *s, size_t n)
{
    size_t len = pesim_utf8_len(s, n);
    /* What YAML does not allow even quoted: C0 (but tab) and C1 controls,
     * DEL, U+FFFE and U+FFFF. */
    if ((len == 1 && (s[0] < 0x20 || s[0] == 0x7f)) || (len == 2 && s[0] == 0xc2 && s[1] < 0xa0) ||
        (len == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe))
        return 0;
    return len;
}

/* Copy src into dst (at most cap-1 bytes) as valid, printable UTF-8: a
 * control character or a broken sequence becomes '_', and a character that
 * does not fit whole is left out, so that the YAML writer's output reads
 * back. */
static void clean_name(char *dst, size_t cap, const char *src)
{
    size_t o = 0, n = strlen(src);
    for (size_t i = 0; i < n;) {
        const unsigned char *s = (const unsigned char *)src + i;
        size_t len = printable_len(s, n - i);
        if (len == 0) {
            if (o + 1 >= cap)
                break;
            dst[o++] = '_';
            i++;
            continue;
        }
        if (o + len >= cap)
            break;
        memcpy(dst + o, s, len);
        o += len;
        i += len;
    }
    dst[o] = '\0';
}

/* Make l->name unique among the names already in `names` (a table keyed by
 * the layers' own name buffers): a repeated name gets _2, _3, ... cut to
 * fit PESIM_NAME_MAX. */
static void unique_name(struct table *names, struct pesim_layer *l)
{
    char base[PESIM_NAME_MAX];
    memcpy(base, l->name, sizeof base);
    for (unsigned long k = 2; find_slot(names, l->name)->name; k++) {
        char suffix[24];
        int sl = snprintf(suffix, sizeof suffix, "_%lu", k);
        clean_name(l->name, sizeof l->name - (size_t)sl, base);
        memcpy(l->name + strlen(l->name), suffix, (size_t)sl + 1);
    }
    put(names, l->name, 0);
}

/* ---- entry point ------------------------------------------------------ */

/* Every node's outputs: the producers table must hold all of them (a full
 * table would never end a probe). */
static size_t outputs_of(const Onnx__GraphProto *g)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_node; i++)
        n += g->node[i]->n_output;
    return n;
}

/* ONNX keeps nodes in topological order; an input made by the node itself
 * or a later one is a cycle (or a graph out of order), which a reader
 * following the data would never finish. One error, the first. */
static int check_order(struct onnx_ctx *c, const Onnx__GraphProto *g, struct table *producers)
{
    for (size_t i = 0; i < g->n_node; i++)
        for (size_t k = 0; k < g->node[i]->n_output; k++)
            put(producers, g->node[i]->output[k], i + 1);
    for (size_t i = 0; i < g->n_node; i++)
        for (size_t k = 0; k < g->node[i]->n_input; k++) {
            const char *in = g->node[i]->input[k];
            const struct entry *e = in && *in ? find_slot(producers, in) : NULL;
            if (e && e->name && e->node > i) {
                onnx_err(c, "node #%zu (%.40s): input #%zu is made by node #%zu, %s, expected "
                            "the nodes in topological order (no cycle)", i,
                         g->node[i]->op_type, k, e->node - 1,
                         e->node - 1 == i ? "itself" : "later in the graph");
                return PESIM_E_INVALID;
            }
        }
    return 0;
}

/* The layer of node i, if it is one (*is_layer); errors reported. */
static int node_layer(struct onnx_ctx *c, const struct onnx_shapes *t,
                      const Onnx__NodeProto *n, size_t i, struct pesim_layer *l,
                      bool *is_layer)
{
    layer_init(l, PESIM_LAYER_CONV);
    *is_layer = true;
    int r;
    if (onnx_is_op(n, "Conv"))
        r = conv(c, t, n, i, l);
    else if (onnx_is_op(n, "Gemm"))
        r = gemm(c, t, n, i, true, l);
    else if (onnx_is_op(n, "MatMul"))
        r = gemm(c, t, n, i, false, l);
    else
        return *is_layer = false, 0;
    if (r)
        return r;
    /* The counts pesim's workload loader checks (the accessors saturate at
     * UINT64_MAX), so that the layer reads back. */
    bool big = pesim_layer_macs(l) == UINT64_MAX || pesim_layer_h(l) == UINT64_MAX ||
               pesim_layer_w(l) == UINT64_MAX;
    for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
        big |= pesim_layer_ds_words(l, (enum pesim_ds)ds) == UINT64_MAX;
    if (big) {
        struct onnx_who w = onnx_who(n, i);
        onnx_err(c, "node %s (%s): MACs or data sizes overflow 64 bits, expected a smaller "
                    "layer", w.text, n->op_type);
        return PESIM_E_INVALID;
    }
    /* The one rule for names (config/limits.c), not a repair: a name that
     * is not UTF-8 is a file that is not what it says. */
    const char *nm = n->name && *n->name ? n->name
                     : n->n_output > 0 && n->output[0] ? n->output[0] : NULL;
    size_t off;
    char why[96];
    if (nm && pesim_name_check(nm, strlen(nm), &off, why, sizeof why)) {
        onnx_err(c, "node #%zu (%.40s): its name%s has %s, expected %s", i, n->op_type,
                 nm == n->name ? "" : " (its output's)", why, PESIM_NAME_EXPECTED);
        return PESIM_E_INVALID;
    }
    if (n->name && *n->name)
        clean_name(l->name, sizeof l->name, n->name);
    else if (n->n_output > 0 && *n->output[0])
        clean_name(l->name, sizeof l->name, n->output[0]);
    if (!l->name[0])
        snprintf(l->name, sizeof l->name, "%.40s_%zu", n->op_type, i);
    return 0;
}

int pesim_import_onnx_batch(const uint8_t *data, size_t len, const char *file,
                            struct pesim_onnx_batch *batch, struct pesim_workload *out,
                            pesim_diags *diags)
{
    static const uint8_t none[1] = {0};
    struct pesim_onnx_batch nobatch = {0};
    if (!batch)
        batch = &nobatch;
    batch->symbolic = false;
    if (!data)
        data = none, len = 0;
    if (too_deep(data, data + len, &onnx__model_proto__descriptor, 0)) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "messages nested more than %d deep, expected an ONNX model as "
                         "written by onnx.save",
                         DEPTH_MAX);
        return PESIM_E_INVALID;
    }
    if (batch->batch > ONNX_DIM_MAX) {
        pesim_diags_addc(diags, PESIM_DIAG_WL_BATCH, file, 0, 0,
                         "batch %llu, expected an integer in [1, %llu]",
                         (unsigned long long)batch->batch, ONNX_DIM_MAX);
        return PESIM_E_RANGE;
    }
    Onnx__ModelProto *model = onnx__model_proto__unpack(NULL, len, data);
    if (!model) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "not a valid ONNX model: protobuf decoding failed, expected a "
                         "ModelProto as written by onnx.save");
        return PESIM_E_INVALID;
    }
    struct onnx_ctx c = {.file = file, .diags = diags};
    struct table names = {0}, producers = {0};
    struct onnx_shapes *shapes = NULL;
    struct pesim_workload wl = {0};
    const Onnx__GraphProto *g = model->graph;
    int rc = 0;
    if (!g) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "no graph in the model, expected a ModelProto with a graph");
        rc = PESIM_E_INVALID;
        goto done;
    }
    if (table_init(&names, g->n_node) || table_init(&producers, outputs_of(g)) ||
        !(wl.layers = calloc(g->n_node ? g->n_node : 1, sizeof *wl.layers))) {
        rc = PESIM_E_NOMEM;
        goto done;
    }
    if (check_order(&c, g, &producers)) {
        rc = PESIM_E_INVALID;
        goto done;
    }
    rc = onnx_shapes_infer(&c, g, batch, &shapes);
    if (rc == PESIM_E_NOMEM)
        goto done;
    /* Names as the CLI prints them: valid, printable UTF-8. */
    char raw[PESIM_NAME_MAX];
    memcpy(raw, batch->input, sizeof raw);
    clean_name(batch->input, sizeof batch->input, raw);
    memcpy(raw, batch->param, sizeof raw);
    clean_name(batch->param, sizeof batch->param, raw);
    rc = 0;
    for (size_t i = 0; i < g->n_node; i++) {
        struct pesim_layer *l = &wl.layers[wl.count];
        bool is_layer;
        if (node_layer(&c, shapes, g->node[i], i, l, &is_layer) || !is_layer || c.nerrs)
            continue;
        unique_name(&names, l);
        wl.count++;
    }
    if (c.nerrs) {
        rc = PESIM_E_INVALID;
        goto done;
    }
    if (wl.count == 0) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_UNSUPPORTED, file, 0, 0,
                         "no Conv, Gemm or MatMul node in the graph, expected at least one "
                         "(pesim models only these)");
        rc = PESIM_E_INVALID;
        goto done;
    }
    size_t off;
    char why[96];
    if (g->name && pesim_name_check(g->name, strlen(g->name), &off, why, sizeof why)) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "the graph's name has %s, expected %s", why,
                         PESIM_NAME_EXPECTED);
        rc = PESIM_E_INVALID;
        goto done;
    }
    if (g->name)
        clean_name(wl.name, sizeof wl.name, g->name);
    *out = wl;
    wl.layers = NULL;
done:
    free(wl.layers);
    free(names.slot);
    free(producers.slot);
    onnx_shapes_free(shapes);
    onnx__model_proto__free_unpacked(model, NULL);
    return rc;
}
