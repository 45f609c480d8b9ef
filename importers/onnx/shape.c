/* Shape inference for the ONNX importer (onnx_int.h, docs/workloads.md
 * "Shapes"): a model as exporters write it, with no value_info and a
 * symbolic batch, gets the shape of every tensor pesim needs.
 *
 * One pass over the nodes in graph order (onnx.c has checked that it is
 * topological, so a node's inputs are settled before it). Each op pesim
 * knows is a row of `ops` with a function from its input shapes to its
 * output shapes. A tensor is in one of four states: known; bad (an error
 * was reported where it was made: consumers stay silent, so one mistake is
 * one message); opaque (made by an op pesim does not infer, or from a
 * tensor with no shape: an error only where a Conv, Gemm or MatMul needs
 * it); or not yet read (initializers and graph inputs are read, and their
 * errors reported, at the first node that needs them, so an unused odd
 * tensor is no error).
 *
 * Small 1-D integer tensors also carry their values (initializers,
 * Constant, Shape, Gather, Unsqueeze, Concat, Squeeze, Cast, Identity) so
 * that Reshape's target computed by an exporter's Shape -> Gather ->
 * Unsqueeze -> Concat chain is known. All sizes are checked against 2^40
 * before they are multiplied or added: the input is untrusted. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "onnx_int.h"

#define BATCH_NAMES_MAX 8

enum tstate { T_UNREAD, T_KNOWN, T_BAD, T_OPAQUE };

struct tensor {
    const char *name; /* NULL: empty slot */
    const Onnx__TensorProto *init;        /* initializer or Constant value */
    const Onnx__NodeProto *constant;      /* a Constant with value_int(s) */
    const Onnx__TypeProto__Tensor *input; /* a graph input's type */
    const Onnx__TypeProto__Tensor *decl;  /* value_info's or a graph output's */
    enum tstate state;
    struct onnx_shape s;
    bool has_val; /* val[0..nval) are the tensor's elements */
    size_t nval;
    int64_t val[ONNX_RANK_MAX];
    /* T_OPAQUE: 1 + the index of the node whose outputs pesim cannot
     * infer, or 0 with `root` the tensor that has no shape anywhere. */
    size_t origin;
    const char *root;
};

struct onnx_shapes {
    struct tensor *slot;
    size_t mask;
    const Onnx__GraphProto *g;
    struct onnx_ctx *c;
    struct pesim_onnx_batch *b;
    uint64_t batch;
    size_t nbnames;
    const char *bname[BATCH_NAMES_MAX];
};

/* What an op's inference gives: its outputs set (R_OK), an error reported
 * or an input already bad (R_BAD), or no shape to infer (R_OPAQUE, with
 * the origin in t->origin / t->root). */
enum { R_OK = 0, R_BAD = 1, R_OPAQUE = 2 };

/* ---- the table -------------------------------------------------------- */

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct tensor *slot(const struct onnx_shapes *t, const char *name)
{
    size_t i = (size_t)hash(name) & t->mask;
    while (t->slot[i].name && strcmp(t->slot[i].name, name) != 0)
        i = (i + 1) & t->mask;
    return &t->slot[i];
}

static struct tensor *add(struct onnx_shapes *t, const char *name)
{
    if (!name || !*name)
        return NULL;
    struct tensor *e = slot(t, name);
    e->name = name;
    return e;
}

static const Onnx__TypeProto__Tensor *shaped(const Onnx__ValueInfoProto *v)
{
    if (!v || !v->type || v->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE)
        return NULL;
    const Onnx__TypeProto__Tensor *tt = v->type->tensor_type;
    return tt && tt->shape ? tt : NULL;
}

static bool known_type(int32_t type)
{
    return type != ONNX__TENSOR_PROTO__DATA_TYPE__UNDEFINED &&
           protobuf_c_enum_descriptor_get_value(&onnx__tensor_proto__data_type__descriptor,
                                                type) != NULL;
}

static bool is_batch_name(const struct onnx_shapes *t, const char *p)
{
    for (size_t i = 0; p && *p && i < t->nbnames; i++)
        if (strcmp(t->bname[i], p) == 0)
            return true;
    return false;
}

/* Dim 0 of a graph input that is not a number is the batch; its name, if
 * any, is the batch wherever else it appears. */
static void find_batch(struct onnx_shapes *t)
{
    const Onnx__GraphProto *g = t->g;
    for (size_t i = 0; i < g->n_input; i++) {
        const struct tensor *e = g->input[i]->name && *g->input[i]->name
                                     ? slot(t, g->input[i]->name) : NULL;
        const Onnx__TypeProto__Tensor *tt = shaped(g->input[i]);
        if (!e || e->init || !tt || tt->shape->n_dim == 0)
            continue;
        const Onnx__TensorShapeProto__Dimension *d = tt->shape->dim[0];
        if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
            continue;
        const char *p = d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM &&
                                d->dim_param ? d->dim_param : "";
        if (!t->b->symbolic) {
            t->b->symbolic = true;
            snprintf(t->b->input, sizeof t->b->input, "%.*s", PESIM_NAME_MAX - 1,
                     g->input[i]->name);
            snprintf(t->b->param, sizeof t->b->param, "%.*s", PESIM_NAME_MAX - 1, p);
        }
        if (*p && !is_batch_name(t, p) && t->nbnames < BATCH_NAMES_MAX)
            t->bname[t->nbnames++] = p;
    }
}

static size_t count_names(const Onnx__GraphProto *g)
{
    size_t n = g->n_initializer + g->n_input + g->n_value_info + g->n_output;
    for (size_t i = 0; i < g->n_node; i++)
        n += g->node[i]->n_output + g->node[i]->n_input;
    return n;
}

static int setup(struct onnx_shapes *t)
{
    const Onnx__GraphProto *g = t->g;
    size_t n = count_names(g), cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    if (!(t->slot = calloc(cap, sizeof *t->slot)))
        return PESIM_E_NOMEM;
    t->mask = cap - 1;
    for (size_t i = 0; i < g->n_initializer; i++) {
        struct tensor *e = add(t, g->initializer[i]->name);
        if (e && !e->init)
            e->init = g->initializer[i];
    }
    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *nd = g->node[i];
        if (!onnx_is_op(nd, "Constant") || nd->n_output == 0)
            continue;
        struct tensor *e = add(t, nd->output[0]);
        const Onnx__AttributeProto *v = onnx_attr(nd, "value");
        if (e && !e->init && !e->constant) {
            if (v && v->t)
                e->init = v->t;
            else
                e->constant = nd;
        }
    }
    for (size_t i = 0; i < g->n_input; i++) {
        struct tensor *e = add(t, g->input[i]->name);
        if (e && !e->input)
            e->input = shaped(g->input[i]);
    }
    const Onnx__ValueInfoProto *const *lists[] = {
        (const Onnx__ValueInfoProto *const *)g->value_info,
        (const Onnx__ValueInfoProto *const *)g->output};
    size_t counts[] = {g->n_value_info, g->n_output};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            struct tensor *e = add(t, lists[k][i]->name);
            if (e && !e->decl)
                e->decl = shaped(lists[k][i]);
        }
    for (size_t i = 0; i < g->n_node; i++) {
        for (size_t k = 0; k < g->node[i]->n_input; k++)
            add(t, g->node[i]->input[k]);
        for (size_t k = 0; k < g->node[i]->n_output; k++)
            add(t, g->node[i]->output[k]);
    }
    find_batch(t);
    return 0;
}

/* ---- reading a tensor that no node makes ------------------------------ */

/* The elements of a small integer tensor, when it has them. */
static void read_values(struct tensor *e)
{
    const Onnx__TensorProto *p = e->init;
    size_t n = e->s.rank == 0 ? 1 : e->s.rank == 1 ? (size_t)e->s.dim[0] : SIZE_MAX;
    if (n > ONNX_RANK_MAX)
        return;
    bool i64 = p->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__INT64;
    bool i32 = p->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__INT32;
    if (!i64 && !i32)
        return;
    size_t w = i64 ? 8 : 4;
    for (size_t i = 0; i < n; i++) {
        if (p->has_raw_data && p->raw_data.len == n * w) {
            uint64_t v = 0;
            for (size_t b = 0; b < w; b++)
                v |= (uint64_t)p->raw_data.data[i * w + b] << (8 * b);
            e->val[i] = i64 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
        } else if (i64 && p->n_int64_data == n) {
            e->val[i] = p->int64_data[i];
        } else if (i32 && p->n_int32_data == n) {
            e->val[i] = p->int32_data[i];
        } else {
            return;
        }
    }
    e->nval = n;
    e->has_val = true;
}

/* A Constant's value_int / value_ints / value_float(s). */
static bool read_constant(struct tensor *e)
{
    const Onnx__NodeProto *nd = e->constant;
    const Onnx__AttributeProto *a;
    e->s.param = true;
    if ((a = onnx_attr(nd, "value_ints")) && a->n_ints >= 1 && a->n_ints <= ONNX_RANK_MAX) {
        e->s.rank = 1;
        e->s.dim[0] = a->n_ints;
        memcpy(e->val, a->ints, a->n_ints * sizeof *a->ints);
        e->nval = a->n_ints;
        e->has_val = true;
        return true;
    }
    if ((a = onnx_attr(nd, "value_int")) || (a = onnx_attr(nd, "value_float"))) {
        e->s.rank = 0;
        if (a->has_i && strcmp(a->name, "value_int") == 0) {
            e->val[0] = a->i;
            e->nval = 1;
            e->has_val = true;
        }
        return true;
    }
    if ((a = onnx_attr(nd, "value_floats")) && a->n_floats >= 1 &&
        a->n_floats <= ONNX_DIM_MAX) {
        e->s.rank = 1;
        e->s.dim[0] = a->n_floats;
        return true;
    }
    return false;
}

/* Dim d of a graph input: a number, or the batch. */
static int input_dim(struct onnx_shapes *t, const Onnx__TensorShapeProto__Dimension *dim,
                     size_t d, int64_t *v, const char **why)
{
    if (dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE) {
        *v = dim->dim_value;
        return 0;
    }
    bool named = dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM;
    if (d == 0 || (named && is_batch_name(t, dim->dim_param))) {
        *v = (int64_t)t->batch;
        return 0;
    }
    *why = named ? (dim->dim_param ? dim->dim_param : "") : NULL;
    return PESIM_E_INVALID;
}

/* Read e (initializer, Constant, graph input, or value_info alone) for
 * input i of node n; errors name that node. */
static int read_leaf(struct onnx_shapes *t, struct tensor *e, const Onnx__NodeProto *n,
                     size_t index, size_t i)
{
    struct onnx_ctx *c = t->c;
    struct onnx_who w = onnx_who(n, index);
    const Onnx__TypeProto__Tensor *tt = e->input ? e->input : e->decl;
    if (e->constant) {
        if (read_constant(e))
            return 0;
        e->state = T_OPAQUE, e->origin = 0, e->root = e->name;
        return R_OPAQUE;
    }
    if (!e->init && !tt) {
        e->state = T_OPAQUE, e->origin = 0, e->root = e->name;
        return R_OPAQUE;
    }
    int32_t type = e->init ? e->init->data_type : tt->elem_type;
    if (!known_type(type)) {
        onnx_err(c,
                 "tensor '%.120s' (input %zu of node %s): unknown data type %" PRId32
                 ", expected an ONNX TensorProto.DataType such as 1 (FLOAT)",
                 e->name, i, w.text, type);
        return R_BAD;
    }
    size_t rank = e->init ? e->init->n_dims : tt->shape->n_dim;
    if (rank > ONNX_RANK_MAX) {
        onnx_err(c, "tensor '%.120s' (input %zu of node %s): rank %zu, expected at most %d",
                 e->name, i, w.text, rank, ONNX_RANK_MAX);
        return R_BAD;
    }
    e->s.rank = rank;
    e->s.param = e->init != NULL;
    for (size_t d = 0; d < rank; d++) {
        int64_t v;
        const char *why = "";
        if (e->init)
            v = e->init->dims[d];
        else if (input_dim(t, tt->shape->dim[d], d, &v, &why)) {
            if (why)
                onnx_err(c,
                         "tensor '%.120s' (input %zu of node %s): dimension %zu is symbolic "
                         "('%.60s'), expected a number (pesim binds only dim 0 of a graph "
                         "input, the batch, to --batch; fix the others, e.g. with "
                         "onnx.tools.update_model_dims)",
                         e->name, i, w.text, d, why);
            else
                onnx_err(c,
                         "tensor '%.120s' (input %zu of node %s): dimension %zu is unknown, "
                         "expected a number (only dim 0 of a graph input, the batch, may be "
                         "left open)",
                         e->name, i, w.text, d);
            return R_BAD;
        }
        if (v < 1 || (uint64_t)v > ONNX_DIM_MAX) {
            onnx_err(c,
                     "tensor '%.120s' (input %zu of node %s): dimension %zu is %" PRId64
                     ", expected a size in [1, %llu]",
                     e->name, i, w.text, d, v, ONNX_DIM_MAX);
            return R_BAD;
        }
        e->s.dim[d] = (uint64_t)v;
    }
    if (e->init)
        read_values(e);
    return 0;
}

/* ---- what a node reads and writes ------------------------------------- */

/* Input i of node n: R_OK with *out, R_BAD (reported, or bad upstream) or
 * R_OPAQUE (t->origin, t->root set). `report`: an opaque input is an error
 * here (the node is a layer, which needs it). */
struct st_origin {
    size_t origin;
    const char *root;
};

static int get(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index, size_t i,
               bool report, struct st_origin *o, const struct tensor **out)
{
    struct onnx_ctx *c = t->c;
    struct onnx_who w = onnx_who(n, index);
    const char *name = i < n->n_input ? n->input[i] : "";
    if (!name || !*name) {
        /* Only a layer needs every input: another op lacking one is
         * malformed, but nothing pesim sizes depends on it unless a layer
         * does, where its opaque output is reported. */
        if (!report) {
            o->origin = index + 1;
            o->root = NULL;
            return R_OPAQUE;
        }
        onnx_err(c, "node %s (%s): input %zu missing, expected a tensor name", w.text,
                 n->op_type ? n->op_type : "", i);
        return R_BAD;
    }
    struct tensor *e = slot(t, name);
    if (e->state == T_UNREAD) {
        int r = read_leaf(t, e, n, index, i);
        e->state = r == R_OK ? T_KNOWN : r == R_BAD ? T_BAD : T_OPAQUE;
    }
    if (e->state == T_KNOWN) {
        *out = e;
        return R_OK;
    }
    if (e->state == T_BAD)
        return R_BAD;
    o->origin = e->origin;
    o->root = e->root;
    if (!report)
        return R_OPAQUE;
    if (e->origin) {
        const Onnx__NodeProto *m = t->g->node[e->origin - 1];
        struct onnx_who mw = onnx_who(m, e->origin - 1);
        onnx_err(c,
                 "tensor '%.120s' (input %zu of node %s): no shape: it comes from node %s "
                 "(%.40s), whose outputs pesim cannot infer, expected a shape in "
                 "value_info for what that node makes (onnx.shape_inference.infer_shapes "
                 "writes it)",
                 name, i, w.text, mw.text, m->op_type ? m->op_type : "");
    } else {
        char from[200] = "";
        if (e->root && strcmp(e->root, name) != 0)
            snprintf(from, sizeof from, " (it comes from '%.120s', which has none)", e->root);
        onnx_err(c,
                 "tensor '%.120s' (input %zu of node %s): no shape in the model%s, "
                 "expected an initializer, a graph input with a shape, or a shape in "
                 "value_info",
                 name, i, w.text, from);
    }
    return R_BAD;
}

/* A value_info dimension: its number, the batch, or -1 for "any". */
static int64_t decl_dim(const struct onnx_shapes *t, const Onnx__TensorShapeProto__Dimension *d)
{
    if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
        return d->dim_value;
    if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM &&
        is_batch_name(t, d->dim_param))
        return (int64_t)t->batch;
    return -1;
}

/* A declared shape with every dim a size in range, for a tensor pesim
 * does not infer. */
static bool decl_shape(const struct onnx_shapes *t, const struct tensor *e, struct onnx_shape *s)
{
    if (!e->decl || e->decl->shape->n_dim > ONNX_RANK_MAX || !known_type(e->decl->elem_type))
        return false;
    s->rank = e->decl->shape->n_dim;
    s->param = false;
    for (size_t d = 0; d < s->rank; d++) {
        int64_t v = decl_dim(t, e->decl->shape->dim[d]);
        if (v < 1 || (uint64_t)v > ONNX_DIM_MAX)
            return false;
        s->dim[d] = (uint64_t)v;
    }
    return true;
}

static void decl_text(const struct onnx_shapes *t, const Onnx__TensorShapeProto *sp, char *buf,
                      size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "[");
    for (size_t d = 0; d < sp->n_dim && o < size; d++) {
        int64_t v = decl_dim(t, sp->dim[d]);
        if (v >= 0)
            o += (size_t)snprintf(buf + o, size - o, "%s%" PRId64, d ? ", " : "", v);
        else
            o += (size_t)snprintf(buf + o, size - o, "%s?", d ? ", " : "");
    }
    if (o < size)
        snprintf(buf + o, size - o, "]");
}

/* Output k of n gets shape s (vals: its elements, or NULL). A
 * disagreeing value_info or graph output is an error naming the node. */
static int put_out(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index, size_t k,
                   const struct onnx_shape *s, const int64_t *vals, size_t nval)
{
    if (k >= n->n_output || !n->output[k] || !*n->output[k])
        return R_OK;
    struct tensor *e = slot(t, n->output[k]);
    if (!e->name || e->init || e->state != T_UNREAD)
        return R_OK; /* an initializer's name or made twice: the first wins */
    bool agree = true;
    if (e->decl) {
        const Onnx__TensorShapeProto *sp = e->decl->shape;
        agree = sp->n_dim == s->rank;
        for (size_t d = 0; agree && d < s->rank; d++) {
            int64_t v = decl_dim(t, sp->dim[d]);
            agree = v < 0 || (uint64_t)v == s->dim[d];
        }
        if (!agree) {
            char got[200], want[200];
            struct onnx_who w = onnx_who(n, index);
            decl_text(t, sp, got, sizeof got);
            onnx_dims_text(s, want, sizeof want);
            onnx_err(t->c,
                     "node %s (%s): output %zu '%.120s' is %s in the model's value_info, "
                     "but its inputs give %s, expected the shape the node computes",
                     w.text, n->op_type, k, e->name, got, want);
            e->state = T_BAD;
            return R_BAD;
        }
    }
    e->state = T_KNOWN;
    e->s = *s;
    if (vals && nval <= ONNX_RANK_MAX) {
        memcpy(e->val, vals, nval * sizeof *vals);
        e->nval = nval;
        e->has_val = true;
    }
    return R_OK;
}

/* The outputs of a node that gave no shape: value_info's, else opaque. */
static void settle_outputs(struct onnx_shapes *t, const Onnx__NodeProto *n, int r,
                           const struct st_origin *o)
{
    for (size_t k = 0; k < n->n_output; k++) {
        if (!n->output[k] || !*n->output[k])
            continue;
        struct tensor *e = slot(t, n->output[k]);
        if (!e->name || e->init || e->state != T_UNREAD)
            continue;
        if (r == R_BAD) {
            e->state = T_BAD;
        } else if (decl_shape(t, e, &e->s)) {
            e->state = T_KNOWN;
        } else {
            e->state = T_OPAQUE;
            e->origin = o->origin;
            e->root = o->root;
        }
    }
}

/* ---- geometry --------------------------------------------------------- */

static const char *AUTO_PAD[] = {"NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"};

/* auto_pad: 0 NOTSET, 1 VALID, 2 SAME_UPPER, 3 SAME_LOWER; -1 reported. */
static int auto_pad(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index)
{
    const Onnx__AttributeProto *ap = onnx_attr(n, "auto_pad");
    if (!ap || !ap->has_s)
        return 0;
    for (int m = 0; m < 4; m++)
        if (ap->s.len == strlen(AUTO_PAD[m]) && memcmp(ap->s.data, AUTO_PAD[m], ap->s.len) == 0)
            return m;
    struct onnx_who w = onnx_who(n, index);
    onnx_err(c,
             "node %s (%s): attribute auto_pad is '%.*s', expected NOTSET, VALID, "
             "SAME_UPPER or SAME_LOWER",
             w.text, n->op_type, (int)(ap->s.len > 20 ? 20 : ap->s.len),
             ap->s.data ? (const char *)ap->s.data : "");
    return -1;
}

/* One spatial axis of a sliding window (Conv, pooling): its output size
 * and pads from the input size h, kernel k, stride u, dilation d, the
 * pads given and auto_pad `mode`; ONNX's rules, ceil_mode as PyTorch's (a
 * last window that starts in the end padding is dropped). */
static int window(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index, size_t axis,
                  uint64_t h, uint64_t k, uint64_t u, uint64_t d, int mode, bool ceil,
                  uint64_t *begin, uint64_t *end, uint64_t *out)
{
    /* h, k <= 2^40, u, d, pads <= 2^16: no term exceeds 2^57. */
    uint64_t eff = (k - 1) * d + 1;
    if (mode >= 2) {
        *out = (h + u - 1) / u;
        uint64_t need = (*out - 1) * u + eff, total = need > h ? need - h : 0;
        *begin = mode == 2 ? total / 2 : total - total / 2;
        *end = total - *begin;
        return 0;
    }
    if (mode == 1)
        *begin = *end = 0;
    if (h + *begin + *end < eff) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(c,
                 "node %s (%s): axis %zu: size %" PRIu64 " plus padding %" PRIu64
                 "+%" PRIu64 " is smaller than the dilated kernel (%" PRIu64
                 "), expected a kernel that fits",
                 w.text, n->op_type, axis, h, *begin, *end, eff);
        return PESIM_E_INVALID;
    }
    uint64_t span = h + *begin + *end - eff;
    *out = (ceil ? (span + u - 1) / u : span / u) + 1;
    if (ceil && (*out - 1) * u >= h + *begin)
        (*out)--;
    return 0;
}

int onnx_conv_geom(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index,
                   const struct onnx_shape *x, const struct onnx_shape *wt,
                   const struct onnx_shape *y_decl, struct onnx_conv *g)
{
    struct onnx_who w = onnx_who(n, index);
    int64_t group, strides[2] = {1, 1}, dil[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
    int64_t kernel[2] = {0, 0};
    if (onnx_attr_int(c, n, index, "group", 1, (int64_t)ONNX_DIM_MAX, 1, &group) ||
        onnx_attr_ints(c, n, index, "strides", 2, 1, ONNX_GEOM_MAX, strides) ||
        onnx_attr_ints(c, n, index, "dilations", 2, 1, ONNX_GEOM_MAX, dil) ||
        onnx_attr_ints(c, n, index, "pads", 4, 0, ONNX_GEOM_MAX, pads) ||
        onnx_attr_ints(c, n, index, "kernel_shape", 2, 1, (int64_t)ONNX_DIM_MAX, kernel))
        return PESIM_E_INVALID;
    int mode = auto_pad(c, n, index);
    if (mode < 0)
        return PESIM_E_INVALID;
    g->group = (uint64_t)group;
    if (wt) {
        g->m_all = wt->dim[0];
        g->k[0] = wt->dim[2];
        g->k[1] = wt->dim[3];
        if (kernel[0] && (g->k[0] != (uint64_t)kernel[0] || g->k[1] != (uint64_t)kernel[1])) {
            onnx_err(c,
                     "node %s (Conv): kernel_shape [%" PRId64 ", %" PRId64 "] differs from "
                     "the weight's [%" PRIu64 ", %" PRIu64 "], expected the same",
                     w.text, kernel[0], kernel[1], g->k[0], g->k[1]);
            return PESIM_E_INVALID;
        }
    } else if (kernel[0] && y_decl && y_decl->rank == 4) {
        /* No weight shape: kernel_shape and the output channels say it. */
        g->m_all = y_decl->dim[1];
        g->k[0] = (uint64_t)kernel[0];
        g->k[1] = (uint64_t)kernel[1];
    } else {
        onnx_err(c,
                 "tensor '%.120s' (input 1 of node %s): no shape in the model and no "
                 "kernel_shape with a known output, expected the weight's shape as an "
                 "initializer or in value_info",
                 n->n_input > 1 ? n->input[1] : "", w.text);
        return PESIM_E_INVALID;
    }
    if (x->dim[1] % g->group || g->m_all % g->group ||
        (wt && x->dim[1] != wt->dim[1] * g->group)) {
        onnx_err(c,
                 "node %s (Conv): %" PRIu64 " input channels and %" PRIu64 " output "
                 "channels in %" PRIu64 " groups%s, expected input channels = group * "
                 "weight dim 1 and output channels a multiple of group",
                 w.text, x->dim[1], g->m_all, g->group,
                 wt ? " with weight dim 1 of that size" : "");
        return PESIM_E_INVALID;
    }
    for (size_t a = 0; a < 2; a++) {
        g->stride[a] = (uint32_t)strides[a];
        g->dilation[a] = (uint32_t)dil[a];
        g->begin[a] = (uint64_t)pads[a];
        g->end[a] = (uint64_t)pads[2 + a];
        if (window(c, n, index, a, x->dim[2 + a], g->k[a], g->stride[a], g->dilation[a], mode,
                   false, &g->begin[a], &g->end[a], &g->out[a]))
            return PESIM_E_INVALID;
    }
    return 0;
}

/* ---- the ops ---------------------------------------------------------- */

#define GET(i, report, e)                                                                  \
    do {                                                                                   \
        int r_ = get(t, n, index, (i), (report), o, &(e));                                 \
        if (r_)                                                                            \
            return r_;                                                                     \
    } while (0)

static int want_rank(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index, size_t i,
                     const struct onnx_shape *s, size_t lo, size_t hi, const char *what)
{
    if (s->rank >= lo && s->rank <= hi)
        return R_OK;
    struct onnx_who w = onnx_who(n, index);
    char dims[200];
    onnx_dims_text(s, dims, sizeof dims);
    if (lo == hi)
        onnx_err(t->c, "tensor '%.120s' (input %zu of node %s): rank %zu (%s), expected rank "
                       "%zu %s", n->input[i], i, w.text, s->rank, dims, lo, what);
    else
        onnx_err(t->c, "tensor '%.120s' (input %zu of node %s): rank %zu (%s), expected rank "
                       "%zu to %zu %s", n->input[i], i, w.text, s->rank, dims, lo, hi, what);
    return R_BAD;
}

static int ax(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index, const char *name,
              int64_t def, size_t rank, bool end_ok, size_t *out)
{
    int64_t a;
    int64_t r = (int64_t)rank;
    if (onnx_attr_int(t->c, n, index, name, -r, end_ok ? r : r - 1, def, &a))
        return R_BAD;
    if (!end_ok && rank == 0) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(t->c, "node %s (%s): a scalar input, expected a tensor of rank 1 or more",
                 w.text, n->op_type);
        return R_BAD;
    }
    *out = (size_t)(a < 0 ? a + r : a);
    return R_OK;
}

typedef int (*infer_fn)(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                        struct st_origin *o);

/* Every output the shape of input 0 (values kept when `vals`). */
static int same_as(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                   struct st_origin *o, bool vals, size_t nout)
{
    const struct tensor *x;
    GET(0, false, x);
    struct onnx_shape y = x->s;
    y.param = vals && x->s.param; /* Identity or Cast of a weight is a weight */
    for (size_t k = 0; k < nout; k++)
        if (put_out(t, n, index, k, &y, vals && x->has_val ? x->val : NULL, x->nval))
            return R_BAD;
    return R_OK;
}

static int unary(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t i, struct st_origin *o)
{
    return same_as(t, n, i, o, false, 1);
}

static int pass(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t i, struct st_origin *o)
{
    return same_as(t, n, i, o, true, 1);
}

static int dropout(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t i,
                   struct st_origin *o)
{
    return same_as(t, n, i, o, false, 2); /* output, mask */
}

/* numpy broadcasting over every input given. */
static int bcast(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                 struct st_origin *o)
{
    struct onnx_shape s = {0};
    for (size_t i = 0; i < n->n_input; i++) {
        const struct tensor *e;
        if (i > 0 && (!n->input[i] || !*n->input[i]))
            continue;
        GET(i, false, e);
        size_t r = e->s.rank > s.rank ? e->s.rank : s.rank;
        struct onnx_shape m = {.rank = r};
        for (size_t d = 0; d < r; d++) {
            uint64_t a = d < s.rank ? s.dim[s.rank - 1 - d] : 1;
            uint64_t b = d < e->s.rank ? e->s.dim[e->s.rank - 1 - d] : 1;
            if (a != b && a != 1 && b != 1) {
                struct onnx_who w = onnx_who(n, index);
                char da[200], db[200];
                onnx_err(t->c,
                         "node %s (%s): input %zu's shape %s does not broadcast with %s, "
                         "expected equal sizes or 1 on each axis",
                         w.text, n->op_type, i, onnx_dims_text(&e->s, da, sizeof da),
                         onnx_dims_text(&s, db, sizeof db));
                return R_BAD;
            }
            m.dim[r - 1 - d] = a > b ? a : b;
        }
        s = m;
    }
    return put_out(t, n, index, 0, &s, NULL, 0);
}

static int conv(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                struct st_origin *o)
{
    const struct tensor *x, *wt = NULL;
    GET(0, true, x);
    if (want_rank(t, n, index, 0, &x->s, 4, 4, "(N, C, H, W): pesim imports 2-D Conv only"))
        return R_BAD;
    int r = get(t, n, index, 1, false, o, &wt);
    if (r == R_BAD)
        return R_BAD;
    if (r == R_OK &&
        want_rank(t, n, index, 1, &wt->s, 4, 4, "(M, C/group, kH, kW) for a 2-D Conv"))
        return R_BAD;
    struct onnx_shape yd, *ydp = NULL;
    if (n->n_output > 0 && n->output[0] && *n->output[0] &&
        decl_shape(t, slot(t, n->output[0]), &yd))
        ydp = &yd;
    struct onnx_conv g;
    if (onnx_conv_geom(t->c, n, index, &x->s, r == R_OK ? &wt->s : NULL, ydp, &g))
        return R_BAD;
    struct onnx_shape y = {.rank = 4, .dim = {x->s.dim[0], g.m_all, g.out[0], g.out[1]}};
    return put_out(t, n, index, 0, &y, NULL, 0);
}

static int gemm(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                struct st_origin *o)
{
    const struct tensor *a, *b;
    int64_t ta, tb;
    GET(0, true, a);
    GET(1, true, b);
    if (want_rank(t, n, index, 0, &a->s, 2, 2, "for Gemm") ||
        want_rank(t, n, index, 1, &b->s, 2, 2, "for Gemm") ||
        onnx_attr_int(t->c, n, index, "transA", 0, 1, 0, &ta) ||
        onnx_attr_int(t->c, n, index, "transB", 0, 1, 0, &tb))
        return R_BAD;
    uint64_t ka = a->s.dim[ta ? 0 : 1], kb = b->s.dim[tb ? 1 : 0];
    if (ka != kb) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(t->c,
                 "node %s (Gemm): inner dimensions %" PRIu64 " and %" PRIu64
                 " differ, expected the same reduction length",
                 w.text, ka, kb);
        return R_BAD;
    }
    struct onnx_shape y = {.rank = 2, .dim = {a->s.dim[ta ? 1 : 0], b->s.dim[tb ? 0 : 1]}};
    return put_out(t, n, index, 0, &y, NULL, 0);
}

/* numpy matmul: 1-D operands, broadcast batch dims. */
static int matmul(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                  struct st_origin *o)
{
    const struct tensor *ea, *eb;
    GET(0, true, ea);
    GET(1, true, eb);
    const struct onnx_shape *a = &ea->s, *b = &eb->s;
    struct onnx_who w = onnx_who(n, index);
    if (a->rank == 0 || b->rank == 0) {
        onnx_err(t->c, "node %s (MatMul): a scalar operand, expected tensors of rank 1 or more",
                 w.text);
        return R_BAD;
    }
    uint64_t ka = a->dim[a->rank - 1], kb = b->dim[b->rank == 1 ? 0 : b->rank - 2];
    if (ka != kb) {
        onnx_err(t->c,
                 "node %s (MatMul): inner dimensions %" PRIu64 " and %" PRIu64
                 " differ, expected the same reduction length",
                 w.text, ka, kb);
        return R_BAD;
    }
    size_t ba = a->rank > 2 ? a->rank - 2 : 0, bb = b->rank > 2 ? b->rank - 2 : 0;
    size_t nb = ba > bb ? ba : bb;
    struct onnx_shape y = {.rank = nb};
    for (size_t i = 0; i < nb; i++) {
        uint64_t da = i < ba ? a->dim[ba - 1 - i] : 1, db = i < bb ? b->dim[bb - 1 - i] : 1;
        if (da != db && da != 1 && db != 1) {
            onnx_err(t->c,
                     "node %s (MatMul): batch dimensions %" PRIu64 " and %" PRIu64
                     " do not broadcast, expected equal sizes or 1",
                     w.text, da, db);
            return R_BAD;
        }
        y.dim[nb - 1 - i] = da > db ? da : db;
    }
    if (a->rank >= 2)
        y.dim[y.rank++] = a->dim[a->rank - 2];
    if (b->rank >= 2)
        y.dim[y.rank++] = b->dim[b->rank - 1];
    return put_out(t, n, index, 0, &y, NULL, 0);
}

static int pool_common(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                       struct st_origin *o, bool global)
{
    const struct tensor *x;
    GET(0, false, x);
    if (want_rank(t, n, index, 0, &x->s, 3, ONNX_RANK_MAX, "(N, C, spatial...)"))
        return R_BAD;
    size_t sp = x->s.rank - 2;
    struct onnx_shape y = x->s;
    y.param = false;
    if (global) {
        for (size_t a = 0; a < sp; a++)
            y.dim[2 + a] = 1;
        return put_out(t, n, index, 0, &y, NULL, 0);
    }
    int64_t k[ONNX_RANK_MAX] = {0}, u[ONNX_RANK_MAX], d[ONNX_RANK_MAX], p[2 * ONNX_RANK_MAX] = {0};
    int64_t ceil;
    for (size_t a = 0; a < sp; a++)
        u[a] = d[a] = 1;
    if (onnx_attr_ints(t->c, n, index, "kernel_shape", sp, 1, (int64_t)ONNX_DIM_MAX, k) ||
        onnx_attr_ints(t->c, n, index, "strides", sp, 1, ONNX_GEOM_MAX, u) ||
        onnx_attr_ints(t->c, n, index, "dilations", sp, 1, ONNX_GEOM_MAX, d) ||
        onnx_attr_ints(t->c, n, index, "pads", 2 * sp, 0, ONNX_GEOM_MAX, p) ||
        onnx_attr_int(t->c, n, index, "ceil_mode", 0, 1, 0, &ceil))
        return R_BAD;
    int mode = auto_pad(t->c, n, index);
    if (mode < 0)
        return R_BAD;
    if (!k[0]) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(t->c, "node %s (%s): no kernel_shape, expected one integer per spatial axis",
                 w.text, n->op_type);
        return R_BAD;
    }
    for (size_t a = 0; a < sp; a++) {
        uint64_t b = (uint64_t)p[a], e = (uint64_t)p[sp + a];
        if (window(t->c, n, index, a, x->s.dim[2 + a], (uint64_t)k[a], (uint64_t)u[a],
                   (uint64_t)d[a], mode, ceil != 0, &b, &e, &y.dim[2 + a]))
            return R_BAD;
    }
    if (put_out(t, n, index, 0, &y, NULL, 0))
        return R_BAD;
    return put_out(t, n, index, 1, &y, NULL, 0); /* MaxPool's Indices */
}

static int pool(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t i, struct st_origin *o)
{
    return pool_common(t, n, i, o, false);
}

static int gpool(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t i, struct st_origin *o)
{
    return pool_common(t, n, i, o, true);
}

/* The product of dims [from, to) of s, at most 2^40. */
static int product(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                   const struct onnx_shape *s, size_t from, size_t to, uint64_t *out)
{
    uint64_t p = 1;
    for (size_t d = from; d < to; d++)
        if (!onnx_mul_ok(p, s->dim[d], &p) || p > ONNX_DIM_MAX) {
            struct onnx_who w = onnx_who(n, index);
            char dims[200];
            onnx_err(t->c, "node %s (%s): %s has more than %llu elements, expected fewer",
                     w.text, n->op_type, onnx_dims_text(s, dims, sizeof dims), ONNX_DIM_MAX);
            return R_BAD;
        }
    *out = p;
    return R_OK;
}

static int flatten(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                   struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    size_t a;
    struct onnx_shape y = {.rank = 2};
    if (ax(t, n, index, "axis", 1, x->s.rank, true, &a) ||
        product(t, n, index, &x->s, 0, a, &y.dim[0]) ||
        product(t, n, index, &x->s, a, x->s.rank, &y.dim[1]))
        return R_BAD;
    return put_out(t, n, index, 0, &y, NULL, 0);
}

/* Reshape's target: input 1's values, or the `shape` attribute (opset
 * < 5). R_OPAQUE when computed at run time. */
static int reshape_target(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                          struct st_origin *o, const int64_t **v, size_t *nv)
{
    const Onnx__AttributeProto *a = onnx_attr(n, "shape");
    if (n->n_input < 2 && a) {
        *v = a->ints;
        *nv = a->n_ints;
        return *nv <= ONNX_RANK_MAX ? R_OK : R_OPAQUE;
    }
    const struct tensor *s;
    GET(1, false, s);
    if (!s->has_val || s->s.rank != 1) {
        o->origin = index + 1;
        o->root = NULL;
        return R_OPAQUE;
    }
    *v = s->val;
    *nv = s->nval;
    return R_OK;
}

static int reshape(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                   struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    const int64_t *v;
    size_t nv, infer = SIZE_MAX;
    int64_t allowzero;
    int r = reshape_target(t, n, index, o, &v, &nv);
    if (r)
        return r;
    if (onnx_attr_int(t->c, n, index, "allowzero", 0, 1, 0, &allowzero))
        return R_BAD;
    struct onnx_who w = onnx_who(n, index);
    struct onnx_shape y = {.rank = nv, .param = x->s.param};
    uint64_t total, known = 1;
    if (product(t, n, index, &x->s, 0, x->s.rank, &total))
        return R_BAD;
    for (size_t i = 0; i < nv; i++) {
        if (v[i] == -1 && infer == SIZE_MAX) {
            infer = i;
            continue;
        }
        if (v[i] == 0 && !allowzero && i < x->s.rank)
            y.dim[i] = x->s.dim[i];
        else if (v[i] >= 1 && (uint64_t)v[i] <= ONNX_DIM_MAX)
            y.dim[i] = (uint64_t)v[i];
        else {
            onnx_err(t->c,
                     "node %s (Reshape): target dim %zu is %" PRId64 ", expected a size in "
                     "[1, %llu], 0 (copy the input's, which has rank %zu) or one -1",
                     w.text, i, v[i], ONNX_DIM_MAX, x->s.rank);
            return R_BAD;
        }
        if (!onnx_mul_ok(known, y.dim[i], &known) || known > ONNX_DIM_MAX)
            known = ONNX_DIM_MAX + 1;
    }
    if (infer != SIZE_MAX) {
        if (known > total || total % known) {
            onnx_err(t->c,
                     "node %s (Reshape): %" PRIu64 " elements do not divide into the target's "
                     "other dims (%" PRIu64 " elements), expected a multiple",
                     w.text, total, known);
            return R_BAD;
        }
        y.dim[infer] = total / known;
        known = total;
    }
    if (known != total) {
        char a[200], b[200], k[40] = "more than 2^40";
        if (known <= ONNX_DIM_MAX)
            snprintf(k, sizeof k, "%" PRIu64, known);
        onnx_err(t->c,
                 "node %s (Reshape): input %s has %" PRIu64 " elements, the target %s %s, "
                 "expected the same count",
                 w.text, onnx_dims_text(&x->s, a, sizeof a), total,
                 onnx_dims_text(&y, b, sizeof b), k);
        return R_BAD;
    }
    return put_out(t, n, index, 0, &y, x->has_val ? x->val : NULL, x->nval);
}

static int concat(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                  struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    size_t a;
    if (!onnx_attr(n, "axis")) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(t->c, "node %s (Concat): no axis, expected the attribute axis", w.text);
        return R_BAD;
    }
    if (ax(t, n, index, "axis", 0, x->s.rank, false, &a))
        return R_BAD;
    struct onnx_shape y = x->s;
    y.param = false;
    int64_t vals[ONNX_RANK_MAX];
    size_t nv = 0;
    bool has_val = x->s.rank == 1;
    for (size_t i = 0; i < n->n_input; i++) {
        const struct tensor *e;
        GET(i, false, e);
        bool same = e->s.rank == y.rank;
        for (size_t d = 0; same && d < y.rank; d++)
            same = d == a || e->s.dim[d] == y.dim[d];
        if (!same) {
            struct onnx_who w = onnx_who(n, index);
            char da[200], db[200];
            onnx_err(t->c,
                     "node %s (Concat): input %zu is %s, input 0 %s, expected the same "
                     "shape but on axis %zu",
                     w.text, i, onnx_dims_text(&e->s, da, sizeof da),
                     onnx_dims_text(&x->s, db, sizeof db), a);
            return R_BAD;
        }
        if (i > 0)
            y.dim[a] += e->s.dim[a]; /* both <= 2^40: no overflow */
        if (y.dim[a] > ONNX_DIM_MAX) {
            struct onnx_who w = onnx_who(n, index);
            onnx_err(t->c, "node %s (Concat): more than %llu along axis %zu, expected fewer",
                     w.text, ONNX_DIM_MAX, a);
            return R_BAD;
        }
        has_val = has_val && e->has_val && nv + e->nval <= ONNX_RANK_MAX;
        if (has_val) {
            memcpy(vals + nv, e->val, e->nval * sizeof *vals);
            nv += e->nval;
        }
    }
    return put_out(t, n, index, 0, &y, has_val ? vals : NULL, nv);
}

static int transpose(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                     struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    size_t r = x->s.rank;
    int64_t perm[ONNX_RANK_MAX];
    for (size_t i = 0; i < r; i++)
        perm[i] = (int64_t)(r - 1 - i);
    if (onnx_attr_ints(t->c, n, index, "perm", r, 0, (int64_t)r - 1, perm))
        return R_BAD;
    struct onnx_shape y = {.rank = r, .param = x->s.param};
    bool seen[ONNX_RANK_MAX] = {0};
    for (size_t i = 0; i < r; i++) {
        if (seen[perm[i]]) {
            struct onnx_who w = onnx_who(n, index);
            onnx_err(t->c, "node %s (Transpose): perm names axis %" PRId64 " twice, expected "
                           "a permutation", w.text, perm[i]);
            return R_BAD;
        }
        seen[perm[i]] = true;
        y.dim[i] = x->s.dim[perm[i]];
    }
    return put_out(t, n, index, 0, &y, NULL, 0);
}

/* Squeeze/Unsqueeze's axes: the attribute (opset < 13) or input 1. */
static int axes_of(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                   struct st_origin *o, size_t rank, bool *mark, bool *given)
{
    const Onnx__AttributeProto *a = onnx_attr(n, "axes");
    const int64_t *v = NULL;
    size_t nv = 0;
    if (a) {
        v = a->ints;
        nv = a->n_ints;
    } else if (n->n_input > 1 && n->input[1] && *n->input[1]) {
        const struct tensor *e;
        GET(1, false, e);
        if (!e->has_val) {
            o->origin = index + 1;
            o->root = NULL;
            return R_OPAQUE;
        }
        v = e->val;
        nv = e->nval;
    }
    *given = nv > 0;
    for (size_t i = 0; i < nv; i++) {
        int64_t x = v[i] < 0 ? v[i] + (int64_t)rank : v[i];
        if (x < 0 || x >= (int64_t)rank || mark[x]) {
            struct onnx_who w = onnx_who(n, index);
            onnx_err(t->c, "node %s (%s): axes[%zu] is %" PRId64 ", expected a distinct axis "
                           "in [-%zu, %" PRId64 "]", w.text, n->op_type, i, v[i], rank,
                     (int64_t)rank - 1);
            return R_BAD;
        }
        mark[x] = true;
    }
    return R_OK;
}

static int squeeze(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                   struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    bool mark[ONNX_RANK_MAX] = {0}, given;
    int r = axes_of(t, n, index, o, x->s.rank, mark, &given);
    if (r)
        return r;
    struct onnx_shape y = {.rank = 0};
    for (size_t d = 0; d < x->s.rank; d++) {
        if (given ? mark[d] : x->s.dim[d] == 1) {
            if (x->s.dim[d] != 1) {
                struct onnx_who w = onnx_who(n, index);
                onnx_err(t->c, "node %s (Squeeze): axis %zu has size %" PRIu64 ", expected 1",
                         w.text, d, x->s.dim[d]);
                return R_BAD;
            }
            continue;
        }
        y.dim[y.rank++] = x->s.dim[d];
    }
    return put_out(t, n, index, 0, &y, x->has_val ? x->val : NULL, x->nval);
}

static int unsqueeze(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                     struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    bool mark[ONNX_RANK_MAX] = {0}, given;
    /* The axes count in the output; its rank is not known before them:
     * try every rank up to the limit. */
    const Onnx__AttributeProto *a = onnx_attr(n, "axes");
    size_t nax = a ? a->n_ints : 0;
    if (!a && n->n_input > 1 && n->input[1] && *n->input[1]) {
        const struct tensor *e;
        GET(1, false, e);
        nax = e->has_val ? e->nval : 0;
    }
    size_t rank = x->s.rank + nax;
    if (rank > ONNX_RANK_MAX) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(t->c, "node %s (Unsqueeze): output rank %zu, expected at most %d", w.text,
                 rank, ONNX_RANK_MAX);
        return R_BAD;
    }
    int r = axes_of(t, n, index, o, rank, mark, &given);
    if (r)
        return r;
    if (!given) {
        o->origin = index + 1;
        o->root = NULL;
        return R_OPAQUE;
    }
    struct onnx_shape y = {.rank = rank};
    for (size_t d = 0, k = 0; d < rank; d++)
        y.dim[d] = mark[d] ? 1 : x->s.dim[k++];
    return put_out(t, n, index, 0, &y, x->has_val ? x->val : NULL, x->nval);
}

static int shape_op(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                    struct st_origin *o)
{
    const struct tensor *x;
    GET(0, false, x);
    int64_t r = (int64_t)x->s.rank, start, end;
    if (onnx_attr_int(t->c, n, index, "start", INT64_MIN, INT64_MAX, 0, &start) ||
        onnx_attr_int(t->c, n, index, "end", INT64_MIN, INT64_MAX, r, &end))
        return R_BAD;
    start = start < 0 ? start + r : start;
    end = end < 0 ? end + r : end;
    start = start < 0 ? 0 : start > r ? r : start;
    end = end < 0 ? 0 : end > r ? r : end;
    if (end <= start) {
        o->origin = index + 1; /* an empty tensor: nothing pesim sizes */
        o->root = NULL;
        return R_OPAQUE;
    }
    int64_t vals[ONNX_RANK_MAX];
    for (int64_t d = start; d < end; d++)
        vals[d - start] = (int64_t)x->s.dim[d];
    struct onnx_shape y = {.rank = 1, .dim = {(uint64_t)(end - start)}};
    return put_out(t, n, index, 0, &y, vals, (size_t)(end - start));
}

static int gather(struct onnx_shapes *t, const Onnx__NodeProto *n, size_t index,
                  struct st_origin *o)
{
    const struct tensor *x, *ix;
    GET(0, false, x);
    GET(1, false, ix);
    size_t a;
    if (ax(t, n, index, "axis", 0, x->s.rank, false, &a))
        return R_BAD;
    size_t rank = x->s.rank - 1 + ix->s.rank;
    if (rank > ONNX_RANK_MAX) {
        struct onnx_who w = onnx_who(n, index);
        onnx_err(t->c, "node %s (Gather): output rank %zu, expected at most %d", w.text, rank,
                 ONNX_RANK_MAX);
        return R_BAD;
    }
    struct onnx_shape y = {.rank = 0};
    for (size_t d = 0; d < a; d++)
        y.dim[y.rank++] = x->s.dim[d];
    for (size_t d = 0; d < ix->s.rank; d++)
        y.dim[y.rank++] = ix->s.dim[d];
    for (size_t d = a + 1; d < x->s.rank; d++)
        y.dim[y.rank++] = x->s.dim[d];
    int64_t vals[ONNX_RANK_MAX];
    bool has_val = x->has_val && ix->has_val && x->s.rank == 1;
    for (size_t i = 0; has_val && i < ix->nval; i++) {
        int64_t k = ix->val[i] < 0 ? ix->val[i] + (int64_t)x->nval : ix->val[i];
        if (k < 0 || k >= (int64_t)x->nval) {
            struct onnx_who w = onnx_who(n, index);
            onnx_err(t->c, "node %s (Gather): index %" PRId64 " out of [-%zu, %zu], expected "
                           "an index into the data", w.text, ix->val[i], x->nval, x->nval - 1);
            return R_BAD;
        }
        vals[i] = x->val[k];
    }
    return put_out(t, n, index, 0, &y, has_val ? vals : NULL, ix->nval);
}

struct op {
    const char *name;
    infer_fn infer;
};

static const struct op ops[] = {
    {"Conv", conv}, {"Gemm", gemm}, {"MatMul", matmul},
    {"MaxPool", pool}, {"AveragePool", pool}, {"LpPool", pool},
    {"GlobalAveragePool", gpool}, {"GlobalMaxPool", gpool}, {"GlobalLpPool", gpool},
    {"Flatten", flatten}, {"Reshape", reshape}, {"Concat", concat},
    {"Transpose", transpose}, {"Squeeze", squeeze}, {"Unsqueeze", unsqueeze},
    {"Shape", shape_op}, {"Gather", gather},
    {"Identity", pass}, {"Cast", pass}, {"Dropout", dropout},
    {"Add", bcast}, {"Sub", bcast}, {"Mul", bcast}, {"Div", bcast}, {"Pow", bcast},
    {"Max", bcast}, {"Min", bcast}, {"Sum", bcast}, {"Mean", bcast}, {"Where", bcast},
    {"Equal", bcast}, {"Less", bcast}, {"Greater", bcast}, {"LessOrEqual", bcast},
    {"GreaterOrEqual", bcast}, {"And", bcast}, {"Or", bcast}, {"Xor", bcast},
    {"Mod", bcast}, {"PRelu", bcast},
    {"Relu", unary}, {"LeakyRelu", unary}, {"Sigmoid", unary}, {"Tanh", unary},
    {"Clip", unary}, {"BatchNormalization", unary}, {"InstanceNormalization", unary},
    {"LayerNormalization", unary}, {"LRN", unary}, {"Softmax", unary},
    {"LogSoftmax", unary}, {"HardSigmoid", unary}, {"HardSwish", unary}, {"Elu", unary},
    {"Selu", unary}, {"Celu", unary}, {"Gelu", unary}, {"Erf", unary}, {"Sqrt", unary},
    {"Exp", unary}, {"Log", unary}, {"Neg", unary}, {"Abs", unary}, {"Reciprocal", unary},
    {"Softplus", unary}, {"Softsign", unary}, {"Mish", unary}, {"Floor", unary},
    {"Ceil", unary}, {"Round", unary}, {"Sign", unary}, {"Not", unary},
    {"ThresholdedRelu", unary}, {"Shrink", unary}, {"QuantizeLinear", unary},
    {"DequantizeLinear", unary},
};

static const struct op *find_op(const Onnx__NodeProto *n)
{
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (onnx_is_op(n, ops[i].name))
            return &ops[i];
    return NULL;
}

/* ---- entry points ----------------------------------------------------- */

int onnx_shapes_infer(struct onnx_ctx *c, const Onnx__GraphProto *g, struct pesim_onnx_batch *b,
                      struct onnx_shapes **out)
{
    struct onnx_shapes *t = calloc(1, sizeof *t);
    *out = t;
    if (!t)
        return PESIM_E_NOMEM;
    t->g = g;
    t->c = c;
    t->b = b;
    t->batch = b->batch ? b->batch : 1;
    b->symbolic = false;
    if (setup(t))
        return PESIM_E_NOMEM;
    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *n = g->node[i];
        if (onnx_is_op(n, "Constant"))
            continue; /* read where used */
        const struct op *op = find_op(n);
        struct st_origin o = {.origin = i + 1, .root = NULL};
        int r = op ? op->infer(t, n, i, &o) : R_OPAQUE;
        settle_outputs(t, n, r, &o);
    }
    return c->nerrs ? PESIM_E_INVALID : 0;
}

void onnx_shapes_free(struct onnx_shapes *t)
{
    if (t)
        free(t->slot);
    free(t);
}

const struct onnx_shape *onnx_shape_of(const struct onnx_shapes *t, const char *name)
{
    if (!name || !*name || !t->slot)
        return NULL;
    const struct tensor *e = slot(t, name);
    return e->name && e->state == T_KNOWN ? &e->s : NULL;
}
