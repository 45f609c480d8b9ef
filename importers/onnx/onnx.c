/* pesim_import_onnx: Conv, Gemm and MatMul nodes of an ONNX model, in graph
 * order, as pesim layers (include/pesim/import.h, docs/workloads.md).
 *
 * The ModelProto is decoded by protobuf-c from code protoc-c generated at
 * build time from python3-onnx's onnx.proto (importers/onnx/meson.build).
 * Only shapes are read: from initializers (and Constant nodes), then graph
 * inputs, value_info and outputs. Every node is checked and every error
 * reported; nothing is returned unless all of them import. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "config/cfg.h"
#include "onnx.pb-c.h"
#include "pesim/import.h"

#define DIM_MAX (1ull << 40) /* as pesim's workload loader */
#define GEOM_MAX 65535u      /* stride, padding, dilation */
#define RANK_MAX 8           /* MatMul operands; Conv and Gemm need 4 and 2 */
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

/* ---- tensors by name -------------------------------------------------- */

struct entry {
    const char *name;                   /* NULL: empty slot */
    const Onnx__TensorProto *init;      /* initializer or Constant value */
    const Onnx__TypeProto__Tensor *vi;  /* else a value_info's tensor type */
    size_t node;                        /* producers table: 1 + the node's index */
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

/* The first source of a name wins: initializers before value infos. */
static void put(struct table *t, const char *name, const Onnx__TensorProto *init,
                const Onnx__TypeProto__Tensor *vi)
{
    if (!name || !*name)
        return;
    struct entry *e = find_slot(t, name);
    if (e->name)
        return;
    e->name = name;
    e->init = init;
    e->vi = vi;
}

/* A value info's tensor type when it carries a shape; NULL otherwise. */
static const Onnx__TypeProto__Tensor *shaped(const Onnx__ValueInfoProto *v)
{
    if (!v || !v->type || v->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE)
        return NULL;
    const Onnx__TypeProto__Tensor *tt = v->type->tensor_type;
    return tt && tt->shape ? tt : NULL;
}

/* ---- the import ------------------------------------------------------- */

struct ctx {
    const char *file;
    pesim_diags *diags;
    struct table tensors;
    size_t nerrs;
};

struct shape {
    size_t rank;
    uint64_t dim[RANK_MAX];
    bool param; /* an initializer or a Constant's value: weights */
};

/* How a node is named in messages: 'name', or #index (Op) when unnamed. */
struct who {
    char text[160];
};

static struct who node_who(const Onnx__NodeProto *n, size_t index)
{
    struct who w;
    if (n->name && *n->name)
        snprintf(w.text, sizeof w.text, "'%.120s'", n->name);
    else
        snprintf(w.text, sizeof w.text, "#%zu (%.40s, no name)", index, n->op_type);
    return w;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void err(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pesim_diags_vaddc(c->diags, PESIM_DIAG_IMPORT_PARSE, c->file, 0, 0, fmt, ap);
    va_end(ap);
    c->nerrs++;
}

static bool known_type(int32_t t)
{
    return t != ONNX__TENSOR_PROTO__DATA_TYPE__UNDEFINED &&
           protobuf_c_enum_descriptor_get_value(&onnx__tensor_proto__data_type__descriptor,
                                                t) != NULL;
}

/* The shape of input (or output) `i` of node n, checked: a known data
 * type, at most RANK_MAX dims, each a number in [1, 2^40]. quiet: say
 * nothing when the tensor has no shape (the caller has a fallback). */
static int tensor_shape(struct ctx *c, const Onnx__NodeProto *n, size_t index,
                        bool output, size_t i, bool quiet, struct shape *s)
{
    struct who w = node_who(n, index);
    const char *role = output ? "output" : "input";
    size_t count = output ? n->n_output : n->n_input;
    const char *name = i < count ? (output ? n->output[i] : n->input[i]) : "";
    if (!*name) {
        err(c, "node %s (%s): %s %zu missing, expected a tensor name", w.text, n->op_type,
            role, i);
        return PESIM_E_INVALID;
    }
    const struct entry *e = find_slot(&c->tensors, name);
    if (!e->name) {
        if (!quiet)
            err(c,
                "tensor '%.120s' (%s %zu of node %s): no shape in the model, expected a "
                "shape in value_info (run onnx.shape_inference.infer_shapes on the "
                "model first)",
                name, role, i, w.text);
        return PESIM_E_NOTFOUND;
    }
    int32_t type = e->init ? e->init->data_type : e->vi->elem_type;
    if (!known_type(type)) {
        err(c,
            "tensor '%.120s' (%s %zu of node %s): unknown data type %" PRId32
            ", expected an ONNX TensorProto.DataType such as 1 (FLOAT)",
            name, role, i, w.text, type);
        return PESIM_E_INVALID;
    }
    size_t rank = e->init ? e->init->n_dims : e->vi->shape->n_dim;
    if (rank > RANK_MAX) {
        err(c, "tensor '%.120s' (%s %zu of node %s): rank %zu, expected at most %d", name,
            role, i, w.text, rank, RANK_MAX);
        return PESIM_E_INVALID;
    }
    s->rank = rank;
    s->param = e->init != NULL;
    for (size_t d = 0; d < rank; d++) {
        int64_t v;
        if (e->init) {
            v = e->init->dims[d];
        } else {
            const Onnx__TensorShapeProto__Dimension *dim = e->vi->shape->dim[d];
            if (dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM) {
                err(c,
                    "tensor '%.120s' (%s %zu of node %s): dimension %zu is symbolic "
                    "('%.60s'), expected a number (fix it, e.g. with "
                    "onnx.tools.update_model_dims, then run "
                    "onnx.shape_inference.infer_shapes)",
                    name, role, i, w.text, d, dim->dim_param ? dim->dim_param : "");
                return PESIM_E_INVALID;
            }
            if (dim->value_case != ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE) {
                err(c,
                    "tensor '%.120s' (%s %zu of node %s): dimension %zu is unknown, "
                    "expected a number (run onnx.shape_inference.infer_shapes on the "
                    "model first)",
                    name, role, i, w.text, d);
                return PESIM_E_INVALID;
            }
            v = dim->dim_value;
        }
        if (v < 1 || (uint64_t)v > DIM_MAX) {
            err(c,
                "tensor '%.120s' (%s %zu of node %s): dimension %zu is %" PRId64
                ", expected a size in [1, %llu]",
                name, role, i, w.text, d, v, DIM_MAX);
            return PESIM_E_INVALID;
        }
        s->dim[d] = (uint64_t)v;
    }
    return 0;
}

static int want_rank(struct ctx *c, const Onnx__NodeProto *n, size_t index, bool output,
                     size_t i, const struct shape *s, size_t rank, const char *what)
{
    if (s->rank == rank)
        return 0;
    struct who w = node_who(n, index);
    char dims[160] = "";
    for (size_t d = 0; d < s->rank; d++) {
        size_t len = strlen(dims);
        snprintf(dims + len, sizeof dims - len, "%s%" PRIu64, d ? ", " : "", s->dim[d]);
    }
    err(c, "tensor '%.120s' (%s %zu of node %s): rank %zu ([%s]), expected rank %zu %s",
        output ? n->output[i] : n->input[i], output ? "output" : "input", i, w.text,
        s->rank, dims, rank, what);
    return PESIM_E_INVALID;
}

static const Onnx__AttributeProto *attr(const Onnx__NodeProto *n, const char *name)
{
    for (size_t i = 0; i < n->n_attribute; i++)
        if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0)
            return n->attribute[i];
    return NULL;
}

/* An INT attribute in [lo, hi]; def when absent. */
static int attr_int(struct ctx *c, const Onnx__NodeProto *n, size_t index,
                    const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *out)
{
    const Onnx__AttributeProto *a = attr(n, name);
    *out = def;
    if (!a)
        return 0;
    struct who w = node_who(n, index);
    if ((a->has_type && a->type != ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT) ||
        !a->has_i) {
        err(c, "node %s (%s): attribute %s is not an integer, expected an INT attribute",
            w.text, n->op_type, name);
        return PESIM_E_INVALID;
    }
    if (a->i < lo || a->i > hi) {
        err(c, "node %s (%s): attribute %s is %" PRId64 ", expected an integer in [%" PRId64
               ", %" PRId64 "]",
            w.text, n->op_type, name, a->i, lo, hi);
        return PESIM_E_INVALID;
    }
    *out = a->i;
    return 0;
}

/* An INTS attribute of exactly `count` values in [lo, hi]; `out` keeps its
 * defaults when absent. */
static int attr_ints(struct ctx *c, const Onnx__NodeProto *n, size_t index,
                     const char *name, size_t count, int64_t lo, int64_t hi, int64_t *out)
{
    const Onnx__AttributeProto *a = attr(n, name);
    if (!a)
        return 0;
    struct who w = node_who(n, index);
    if ((a->has_type && a->type != ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS) ||
        a->n_ints != count) {
        err(c,
            "node %s (%s): attribute %s has %zu integers, expected %zu (a 2-D Conv)",
            w.text, n->op_type, name, a->n_ints, count);
        return PESIM_E_INVALID;
    }
    for (size_t i = 0; i < count; i++) {
        if (a->ints[i] < lo || a->ints[i] > hi) {
            err(c,
                "node %s (%s): attribute %s[%zu] is %" PRId64 ", expected an integer in [%" PRId64
                ", %" PRId64 "]",
                w.text, n->op_type, name, i, a->ints[i], lo, hi);
            return PESIM_E_INVALID;
        }
        out[i] = a->ints[i];
    }
    return 0;
}

static bool mul_ok(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a != 0 && b > UINT64_MAX / a)
        return false;
    *out = a * b;
    return true;
}

static void layer_init(struct pesim_layer *l, enum pesim_layer_kind kind)
{
    memset(l, 0, sizeof *l);
    l->kind = kind;
    for (int d = 0; d < PESIM_DIM_COUNT; d++)
        l->dim[d] = 1;
    l->stride[0] = l->stride[1] = 1;
    l->dilation[0] = l->dilation[1] = 1;
}

/* Conv: X [N, C, H, W], W [M, C/group, kH, kW], Y [N, M, P, Q]. */
static int conv(struct ctx *c, const Onnx__NodeProto *n, size_t index, struct pesim_layer *l)
{
    struct who w = node_who(n, index);
    struct shape x, wt, y;
    int64_t group, strides[2] = {1, 1}, dil[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
    int64_t kernel[2] = {0, 0};
    if (tensor_shape(c, n, index, false, 0, false, &x) ||
        want_rank(c, n, index, false, 0, &x, 4, "(N, C, H, W): pesim imports 2-D Conv only"))
        return PESIM_E_INVALID;
    int wrc = tensor_shape(c, n, index, false, 1, true, &wt);
    if (wrc && wrc != PESIM_E_NOTFOUND)
        return PESIM_E_INVALID;
    if (!wrc && want_rank(c, n, index, false, 1, &wt, 4, "(M, C/group, kH, kW) for a 2-D Conv"))
        return PESIM_E_INVALID;
    if (tensor_shape(c, n, index, true, 0, false, &y) ||
        want_rank(c, n, index, true, 0, &y, 4, "(N, M, P, Q)"))
        return PESIM_E_INVALID;
    if (attr_int(c, n, index, "group", 1, (int64_t)DIM_MAX, 1, &group) ||
        attr_ints(c, n, index, "strides", 2, 1, GEOM_MAX, strides) ||
        attr_ints(c, n, index, "dilations", 2, 1, GEOM_MAX, dil) ||
        attr_ints(c, n, index, "pads", 4, 0, GEOM_MAX, pads) ||
        attr_ints(c, n, index, "kernel_shape", 2, 1, (int64_t)DIM_MAX, kernel))
        return PESIM_E_INVALID;
    uint64_t g = (uint64_t)group, m_all, k[2];
    if (!wrc) {
        m_all = wt.dim[0];
        k[0] = wt.dim[2];
        k[1] = wt.dim[3];
        if (kernel[0] && (k[0] != (uint64_t)kernel[0] || k[1] != (uint64_t)kernel[1])) {
            err(c,
                "node %s (Conv): kernel_shape [%" PRId64 ", %" PRId64 "] differs from the "
                "weight's [%" PRIu64 ", %" PRIu64 "], expected the same",
                w.text, kernel[0], kernel[1], k[0], k[1]);
            return PESIM_E_INVALID;
        }
    } else if (kernel[0]) {
        /* No weight shape: kernel_shape and the output channels say it. */
        m_all = y.dim[1];
        k[0] = (uint64_t)kernel[0];
        k[1] = (uint64_t)kernel[1];
    } else {
        err(c,
            "tensor '%.120s' (input 1 of node %s): no shape in the model and no "
            "kernel_shape, expected the weight's shape as an initializer or in "
            "value_info (run onnx.shape_inference.infer_shapes on the model first)",
            n->input[1], w.text);
        return PESIM_E_INVALID;
    }
    if (x.dim[1] % g || m_all % g || (!wrc && x.dim[1] != wt.dim[1] * g)) {
        err(c,
            "node %s (Conv): %" PRIu64 " input channels and %" PRIu64 " output channels "
            "in %" PRIu64 " groups%s, expected input channels = group * weight dim 1 and "
            "output channels a multiple of group",
            w.text, x.dim[1], m_all, g, wrc ? "" : " with weight dim 1 of that size");
        return PESIM_E_INVALID;
    }
    if (y.dim[0] != x.dim[0] || y.dim[1] != m_all) {
        err(c,
            "tensor '%.120s' (output 0 of node %s): shape [%" PRIu64 ", %" PRIu64 ", ...], "
            "expected [%" PRIu64 ", %" PRIu64 ", ...] (batch, output channels)",
            n->output[0], w.text, y.dim[0], y.dim[1], x.dim[0], m_all);
        return PESIM_E_INVALID;
    }
    /* auto_pad: VALID is no padding; SAME_* pads so that P = ceil(H / U),
     * the odd row at the end (UPPER) or the start (LOWER). */
    const Onnx__AttributeProto *ap = attr(n, "auto_pad");
    const char *mode = "NOTSET";
    if (ap && ap->has_s) {
        if (ap->s.len == 5 && memcmp(ap->s.data, "VALID", 5) == 0)
            mode = "VALID";
        else if (ap->s.len == 10 && memcmp(ap->s.data, "SAME_UPPER", 10) == 0)
            mode = "SAME_UPPER";
        else if (ap->s.len == 10 && memcmp(ap->s.data, "SAME_LOWER", 10) == 0)
            mode = "SAME_LOWER";
        else if (!(ap->s.len == 6 && memcmp(ap->s.data, "NOTSET", 6) == 0)) {
            err(c,
                "node %s (Conv): attribute auto_pad is '%.*s', expected NOTSET, VALID, "
                "SAME_UPPER or SAME_LOWER",
                w.text, (int)(ap->s.len > 20 ? 20 : ap->s.len),
                ap->s.data ? (const char *)ap->s.data : "");
            return PESIM_E_INVALID;
        }
    }
    uint64_t begin[2], end[2];
    for (int a = 0; a < 2; a++) {
        /* All terms are at most 2^40 or 2^16: no product exceeds 2^57. */
        uint64_t h = x.dim[2 + a], u = (uint64_t)strides[a], d = (uint64_t)dil[a];
        uint64_t eff = (k[a] - 1) * d + 1, p;
        if (mode[0] == 'S') {
            p = (h + u - 1) / u;
            uint64_t need = (p - 1) * u + eff, total = need > h ? need - h : 0;
            begin[a] = mode[5] == 'U' ? total / 2 : total - total / 2;
            end[a] = total - begin[a];
        } else {
            begin[a] = mode[0] == 'V' ? 0 : (uint64_t)pads[a];
            end[a] = mode[0] == 'V' ? 0 : (uint64_t)pads[2 + a];
            if (h + begin[a] + end[a] < eff) {
                err(c,
                    "node %s (Conv): %s %" PRIu64 " plus padding %" PRIu64 "+%" PRIu64
                    " is smaller than the dilated kernel (%" PRIu64 "), expected a "
                    "kernel that fits",
                    w.text, a ? "width" : "height", h, begin[a], end[a], eff);
                return PESIM_E_INVALID;
            }
            p = (h + begin[a] + end[a] - eff) / u + 1;
        }
        if (y.dim[2 + a] != p) {
            err(c,
                "tensor '%.120s' (output 0 of node %s): %" PRIu64 " %s, expected %" PRIu64
                " = floor((%" PRIu64 " + %" PRIu64 " + %" PRIu64 " - %" PRIu64 ") / %" PRIu64
                ") + 1 from the input, pads, kernel and stride",
                n->output[0], w.text, y.dim[2 + a], a ? "columns" : "rows", p, h, begin[a],
                end[a], eff, u);
            return PESIM_E_INVALID;
        }
        /* pesim has one pad per side: asymmetric pads keep the larger. */
        uint64_t pad = begin[a] > end[a] ? begin[a] : end[a];
        if (pad > GEOM_MAX) {
            err(c, "node %s (Conv): padding %" PRIu64 ", expected at most %u", w.text, pad,
                GEOM_MAX);
            return PESIM_E_INVALID;
        }
        l->stride[a] = (uint32_t)u;
        l->dilation[a] = (uint32_t)d;
        l->pad[a] = (uint32_t)pad;
    }
    l->kind = PESIM_LAYER_CONV;
    l->dim[PESIM_DIM_N] = x.dim[0];
    l->dim[PESIM_DIM_G] = g;
    l->dim[PESIM_DIM_M] = m_all / g;
    l->dim[PESIM_DIM_C] = x.dim[1] / g;
    l->dim[PESIM_DIM_P] = y.dim[2];
    l->dim[PESIM_DIM_Q] = y.dim[3];
    l->dim[PESIM_DIM_R] = k[0];
    l->dim[PESIM_DIM_S] = k[1];
    return 0;
}

/* Gemm (rank 2 operands, transA/transB) and MatMul (numpy matmul: 1-D
 * operands, broadcast batch dims). A weight B makes an fc layer, an
 * activation B a matmul layer. */
static int gemm(struct ctx *c, const Onnx__NodeProto *n, size_t index, bool is_gemm,
                struct pesim_layer *l)
{
    struct who w = node_who(n, index);
    struct shape a, b;
    int64_t ta = 0, tb = 0;
    if (tensor_shape(c, n, index, false, 0, false, &a) ||
        tensor_shape(c, n, index, false, 1, false, &b))
        return PESIM_E_INVALID;
    uint64_t m, ka, kb, nn, groups = 1, rows;
    if (is_gemm) {
        if (want_rank(c, n, index, false, 0, &a, 2, "for Gemm") ||
            want_rank(c, n, index, false, 1, &b, 2, "for Gemm") ||
            attr_int(c, n, index, "transA", 0, 1, 0, &ta) ||
            attr_int(c, n, index, "transB", 0, 1, 0, &tb))
            return PESIM_E_INVALID;
        m = a.dim[ta ? 1 : 0];
        ka = a.dim[ta ? 0 : 1];
        kb = b.dim[tb ? 1 : 0];
        nn = b.dim[tb ? 0 : 1];
        rows = m;
    } else {
        if (a.rank == 0 || b.rank == 0) {
            err(c, "node %s (MatMul): a scalar operand, expected tensors of rank 1 or more",
                w.text);
            return PESIM_E_INVALID;
        }
        m = a.rank == 1 ? 1 : a.dim[a.rank - 2];
        ka = a.dim[a.rank - 1];
        kb = b.dim[b.rank == 1 ? 0 : b.rank - 2];
        nn = b.rank == 1 ? 1 : b.dim[b.rank - 1];
        /* Batch dims: all but the last two (a 1-D operand has none),
         * broadcast from the right as numpy does. */
        size_t ba = a.rank > 2 ? a.rank - 2 : 0, bb = b.rank > 2 ? b.rank - 2 : 0;
        size_t nb = ba > bb ? ba : bb;
        rows = m;
        for (size_t i = 0; i < nb; i++) {
            uint64_t da = i < ba ? a.dim[ba - 1 - i] : 1, db = i < bb ? b.dim[bb - 1 - i] : 1;
            if (da != db && da != 1 && db != 1) {
                err(c,
                    "node %s (MatMul): batch dimensions %" PRIu64 " and %" PRIu64
                    " do not broadcast, expected equal sizes or 1",
                    w.text, da, db);
                return PESIM_E_INVALID;
            }
            if (!mul_ok(groups, da > db ? da : db, &groups) || groups > DIM_MAX) {
                err(c, "node %s (MatMul): batch of more than %llu products, expected fewer",
                    w.text, DIM_MAX);
                return PESIM_E_INVALID;
            }
        }
        /* A weight shared by the whole batch: one fc over all the rows. */
        if (b.param && bb == 0) {
            for (size_t i = 0; i < ba; i++)
                if (!mul_ok(rows, a.dim[i], &rows) || rows > DIM_MAX) {
                    err(c, "node %s (MatMul): more than %llu rows, expected fewer", w.text,
                        DIM_MAX);
                    return PESIM_E_INVALID;
                }
            groups = 1;
        }
    }
    if (ka != kb) {
        err(c,
            "node %s (%s): inner dimensions %" PRIu64 " and %" PRIu64
            " differ, expected the same reduction length",
            w.text, n->op_type, ka, kb);
        return PESIM_E_INVALID;
    }
    layer_init(l, b.param ? PESIM_LAYER_FC : PESIM_LAYER_MATMUL);
    l->dim[PESIM_DIM_N] = rows;
    l->dim[PESIM_DIM_G] = groups;
    l->dim[PESIM_DIM_C] = ka;
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
    put(names, l->name, NULL, NULL);
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

static bool is_op(const Onnx__NodeProto *n, const char *op)
{
    /* The default domain only: "" or "ai.onnx". */
    if (n->domain && *n->domain && strcmp(n->domain, "ai.onnx") != 0)
        return false;
    return n->op_type && strcmp(n->op_type, op) == 0;
}

int pesim_import_onnx(const uint8_t *data, size_t len, const char *file,
                      struct pesim_workload *out, pesim_diags *diags)
{
    static const uint8_t none[1] = {0};
    if (!data)
        data = none, len = 0;
    if (too_deep(data, data + len, &onnx__model_proto__descriptor, 0)) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "messages nested more than %d deep, expected an ONNX model as "
                         "written by onnx.save",
                         DEPTH_MAX);
        return PESIM_E_INVALID;
    }
    Onnx__ModelProto *model = onnx__model_proto__unpack(NULL, len, data);
    if (!model) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "not a valid ONNX model: protobuf decoding failed, expected a "
                         "ModelProto as written by onnx.save");
        return PESIM_E_INVALID;
    }
    struct ctx c = {.file = file, .diags = diags};
    struct table names = {0}, producers = {0};
    struct pesim_workload wl = {0};
    const Onnx__GraphProto *g = model->graph;
    int rc = 0;
    if (!g) {
        pesim_diags_addc(diags, PESIM_DIAG_IMPORT_PARSE, file, 0, 0,
                         "no graph in the model, expected a ModelProto with a graph");
        rc = PESIM_E_INVALID;
        goto done;
    }
    if (table_init(&c.tensors, g->n_initializer + g->n_node + g->n_input +
                                   g->n_value_info + g->n_output) ||
        table_init(&names, g->n_node) ||
        table_init(&producers, outputs_of(g)) ||
        !(wl.layers = calloc(g->n_node ? g->n_node : 1, sizeof *wl.layers))) {
        rc = PESIM_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < g->n_initializer; i++)
        put(&c.tensors, g->initializer[i]->name, g->initializer[i], NULL);
    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *n = g->node[i];
        const Onnx__AttributeProto *v = is_op(n, "Constant") ? attr(n, "value") : NULL;
        if (v && v->t && n->n_output > 0)
            put(&c.tensors, n->output[0], v->t, NULL);
    }
    const Onnx__ValueInfoProto *const *lists[] = {
        (const Onnx__ValueInfoProto *const *)g->input,
        (const Onnx__ValueInfoProto *const *)g->value_info,
        (const Onnx__ValueInfoProto *const *)g->output};
    size_t counts[] = {g->n_input, g->n_value_info, g->n_output};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            const Onnx__TypeProto__Tensor *tt = shaped(lists[k][i]);
            if (tt)
                put(&c.tensors, lists[k][i]->name, NULL, tt);
        }

    /* ONNX keeps nodes in topological order; an input made by the node
     * itself or a later one is a cycle (or a graph out of order), which a
     * reader following the data would never finish. */
    for (size_t i = 0; i < g->n_node; i++)
        for (size_t k = 0; k < g->node[i]->n_output; k++) {
            const char *o = g->node[i]->output[k];
            if (o && *o) {
                struct entry *e = find_slot(&producers, o);
                if (!e->name)
                    *e = (struct entry){.name = o, .node = i + 1};
            }
        }
    for (size_t i = 0; i < g->n_node && !c.nerrs; i++)
        for (size_t k = 0; k < g->node[i]->n_input; k++) {
            const char *in = g->node[i]->input[k];
            const struct entry *e = in && *in ? find_slot(&producers, in) : NULL;
            if (e && e->name && e->node > i) {
                err(&c, "node #%zu (%.40s): input #%zu is made by node #%zu, %s, expected the "
                        "nodes in topological order (no cycle)", i, g->node[i]->op_type, k,
                    e->node - 1, e->node - 1 == i ? "itself" : "later in the graph");
                break;
            }
        }
    if (c.nerrs) {
        rc = PESIM_E_INVALID;
        goto done;
    }

    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *n = g->node[i];
        struct pesim_layer *l = &wl.layers[wl.count];
        layer_init(l, PESIM_LAYER_CONV);
        int r;
        if (is_op(n, "Conv"))
            r = conv(&c, n, i, l);
        else if (is_op(n, "Gemm"))
            r = gemm(&c, n, i, true, l);
        else if (is_op(n, "MatMul"))
            r = gemm(&c, n, i, false, l);
        else
            continue;
        if (r)
            continue;
        /* The counts pesim's workload loader checks (the accessors
         * saturate at UINT64_MAX), so that the layer reads back. */
        bool big = pesim_layer_macs(l) == UINT64_MAX || pesim_layer_h(l) == UINT64_MAX ||
                   pesim_layer_w(l) == UINT64_MAX;
        for (int ds = 0; ds < PESIM_DS_COUNT; ds++)
            big |= pesim_layer_ds_words(l, (enum pesim_ds)ds) == UINT64_MAX;
        if (big) {
            struct who w = node_who(n, i);
            err(&c, "node %s (%s): MACs or data sizes overflow 64 bits, expected a smaller "
                    "layer", w.text, n->op_type);
        }
        /* The one rule for names (config/limits.c), not a repair: a name
         * that is not UTF-8 is a file that is not what it says. */
        const char *nm = n->name && *n->name ? n->name
                         : n->n_output > 0 && n->output[0] ? n->output[0] : NULL;
        size_t off;
        char why[96];
        if (nm && pesim_name_check(nm, strlen(nm), &off, why, sizeof why))
            err(&c, "node #%zu (%.40s): its name%s has %s, expected %s", i, n->op_type,
                nm == n->name ? "" : " (its output's)", why, PESIM_NAME_EXPECTED);
        if (c.nerrs)
            continue;
        if (n->name && *n->name)
            clean_name(l->name, sizeof l->name, n->name);
        else if (n->n_output > 0 && *n->output[0])
            clean_name(l->name, sizeof l->name, n->output[0]);
        if (!l->name[0])
            snprintf(l->name, sizeof l->name, "%.40s_%zu", n->op_type, i);
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
    free(c.tensors.slot);
    onnx__model_proto__free_unpacked(model, NULL);
    return rc;
}
