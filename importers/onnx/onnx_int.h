/* importers/onnx internal: what onnx.c (nodes to layers) and shape.c (shape
 * inference) share. Not a public header. */
#ifndef PESIM_IMPORTERS_ONNX_INT_H
#define PESIM_IMPORTERS_ONNX_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "onnx.pb-c.h"
#include "pesim/import.h"

#define ONNX_DIM_MAX (1ull << 40) /* as pesim's workload loader */
#define ONNX_GEOM_MAX 65535u      /* stride, padding, dilation */
#define ONNX_RANK_MAX 8           /* any tensor pesim infers or reads */

struct onnx_ctx {
    const char *file;
    pesim_diags *diags;
    size_t nerrs;
};

/* A tensor's shape: every dim in [1, 2^40]. */
struct onnx_shape {
    size_t rank;
    uint64_t dim[ONNX_RANK_MAX];
    bool param; /* an initializer or a Constant's value: weights */
};

/* How a node is named in messages: 'name', or #index (Op, no name). */
struct onnx_who {
    char text[160];
};
struct onnx_who onnx_who(const Onnx__NodeProto *n, size_t index);

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void onnx_err(struct onnx_ctx *c, const char *fmt, ...);

const Onnx__AttributeProto *onnx_attr(const Onnx__NodeProto *n, const char *name);
/* An INT attribute in [lo, hi]; def when absent. 0 or PESIM_E_INVALID
 * (reported). */
int onnx_attr_int(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index,
                  const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *out);
/* An INTS attribute of exactly `count` values in [lo, hi]; `out` keeps its
 * defaults when absent. 0 or PESIM_E_INVALID (reported). */
int onnx_attr_ints(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index,
                   const char *name, size_t count, int64_t lo, int64_t hi, int64_t *out);
/* Whether n is op `op` of the default domain ("" or "ai.onnx"). */
bool onnx_is_op(const Onnx__NodeProto *n, const char *op);
bool onnx_mul_ok(uint64_t a, uint64_t b, uint64_t *out);
/* "[1, 3, 224, 224]" into buf. */
const char *onnx_dims_text(const struct onnx_shape *s, char *buf, size_t size);

/* ---- shape inference (shape.c) ---------------------------------------- */

struct onnx_shapes; /* the shapes of one graph's tensors */

/* Infer the shape of every tensor of g, node by node in graph order (the
 * caller has checked that it is topological). Sources, first wins: an
 * initializer or Constant; a graph input's type (symbolic dim 0 bound to
 * the batch); what the node that makes it computes from its inputs
 * (checked against value_info and graph outputs: a disagreement is an
 * error naming the node); for an op pesim does not infer, value_info.
 * Every error is reported through c (onnx_err), once; a tensor whose shape
 * could not be found is reported only where a node needs it. *out is
 * allocated even on error (free it with onnx_shapes_free); 0,
 * PESIM_E_INVALID (c->nerrs > 0) or PESIM_E_NOMEM. */
int onnx_shapes_infer(struct onnx_ctx *c, const Onnx__GraphProto *g, struct pesim_onnx_batch *b,
                      struct onnx_shapes **out);
void onnx_shapes_free(struct onnx_shapes *t);
/* The inferred shape of a tensor; NULL when it has none (the error, if
 * any node needed it, has been reported). */
const struct onnx_shape *onnx_shape_of(const struct onnx_shapes *t, const char *name);

/* A Conv's geometry, as inference and the layer both need it. */
struct onnx_conv {
    uint64_t group, m_all, k[2], out[2];
    uint32_t stride[2], dilation[2];
    uint64_t begin[2], end[2]; /* pads per side */
};
/* Conv of x [N, C, H, W] with weight w [M, C/group, kH, kW] (NULL: not
 * known; then kernel_shape and m_all from y_decl, which may be NULL).
 * Errors reported; 0 or PESIM_E_INVALID. */
int onnx_conv_geom(struct onnx_ctx *c, const Onnx__NodeProto *n, size_t index,
                   const struct onnx_shape *x, const struct onnx_shape *w,
                   const struct onnx_shape *y_decl, struct onnx_conv *g);

#endif
