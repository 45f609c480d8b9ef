#!/usr/bin/python3
"""Write the ONNX models that tests/importers/test_onnx.c reads.

Run by Debian's /usr/bin/python3 (python3-onnx), from the build:
    /usr/bin/python3 tests/importers/make_onnx.py OUTDIR
(by hand, `make_onnx.py --seeds tests/fuzz/corpus-onnx` rewrites the
committed fuzz and hostile seeds: exported.onnx without weight data and
the bad_*.onnx) writes into OUTDIR:
  resnet50.onnx       ResNet-50 v1 as in He et al. 2016 (Caffe layer names),
                      batch 1, 224x224, shapes inferred.
  small.onnx          grouped/dilated/strided/padded conv, asymmetric pads,
                      Gemm with transB, batched MatMul of two activations,
                      MatMul with a weight, skipped ops, odd names.
  truncated.onnx      the first half of small.onnx's bytes.
  noshape.onnx        two convs, no shape inference: the tensor between them
                      and the last output have no shape.
  conv1d_weight.onnx  a Conv whose weight is 1-D.
  garbage.onnx        bytes that are not a protobuf.
  badtype.onnx        a Conv weight of data type 99.
  baddims.onnx        a 0 and a negative dimension.
  deep.onnx           graphs nested 20000 deep through If attributes.
  cycle.onnx          three nodes in a cycle (an input made by a later node).
  exported.onnx       a CNN as exporters write it: symbolic batch, no
                      value_info (see exported()); exported_vi.onnx is it
                      after onnx.shape_inference.infer_shapes.
  bad_*.onnx          one fault each (see hostile()): symbolic and negative
                      dims, Reshape with two -1 or the wrong count, stale
                      value_info, shapes that do not broadcast, an unknown
                      op and a run-time Reshape between layers, a cycle,
                      sizes above 2^40, a bad Transpose perm.
Weights of small.onnx hold zeros (it passes onnx.checker); the others'
initializers carry their dims and no data (the importer reads only shapes,
and ResNet-50 stays 17 kB instead of 100 MB, small enough to seed the
fuzzer).
"""
import os
import sys

import onnx
from onnx import TensorProto, helper, shape_inference

OPSET = [helper.make_opsetid("", 13)]


def weight(name, dims, data_type=TensorProto.FLOAT):
    """An initializer with dims and no data (raw_data set to b""): the
    checker rejects it, shape inference and pesim need only the dims."""
    t = TensorProto()
    t.name = name
    t.data_type = data_type
    t.dims.extend(dims)
    t.raw_data = b""
    return t


def model(graph, infer=True):
    m = helper.make_model(graph, opset_imports=OPSET, producer_name="pesim-tests")
    m.ir_version = 8
    return shape_inference.infer_shapes(m, strict_mode=True) if infer else m


def resnet50():
    """ResNet-50 v1: conv1 7x7/2 pad 3, maxpool 3x3/2 pad 1 (112 -> 56),
    bottleneck stages of 3, 4, 6, 3 blocks; the first block of res3..res5
    has stride 2 on branch2a (1x1) and branch1, as in the Caffe model."""
    nodes, inits = [], []

    def conv(name, x, cin, cout, k, stride=1, pad=0):
        w = name + "_w"
        inits.append(weight(w, [cout, cin, k, k]))
        nodes.append(helper.make_node(
            "Conv", [x, w], [name], name=name, kernel_shape=[k, k],
            strides=[stride, stride], pads=[pad] * 4))
        return name

    def relu(x):
        nodes.append(helper.make_node("Relu", [x], [x + "_relu"]))
        return x + "_relu"

    y = relu(conv("conv1", "data", 3, 64, 7, 2, 3))
    nodes.append(helper.make_node("MaxPool", [y], ["pool1"], kernel_shape=[3, 3],
                                  strides=[2, 2], pads=[1, 1, 1, 1]))
    x, cin = "pool1", 64
    for stage, blocks, width in ((2, 3, 64), (3, 4, 128), (4, 6, 256), (5, 3, 512)):
        for b in range(blocks):
            blk = "res%d%s" % (stage, "abcdef"[b])
            stride = 2 if (b == 0 and stage > 2) else 1
            a = relu(conv(blk + "_branch2a", x, cin, width, 1, stride))
            a = relu(conv(blk + "_branch2b", a, width, width, 3, 1, 1))
            a = conv(blk + "_branch2c", a, width, 4 * width, 1)
            short = conv(blk + "_branch1", x, cin, 4 * width, 1, stride) if b == 0 else x
            nodes.append(helper.make_node("Add", [a, short], [blk + "_sum"]))
            x, cin = relu(blk + "_sum"), 4 * width
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["pool5"]))
    nodes.append(helper.make_node("Flatten", ["pool5"], ["pool5_flat"], axis=1))
    inits.append(weight("fc1000_w", [1000, 2048]))
    inits.append(weight("fc1000_b", [1000]))
    nodes.append(helper.make_node("Gemm", ["pool5_flat", "fc1000_w", "fc1000_b"],
                                  ["fc1000"], name="fc1000", transB=1))
    g = helper.make_graph(
        nodes, "resnet50",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 224, 224])],
        [helper.make_tensor_value_info("fc1000", TensorProto.FLOAT, [1, 1000])],
        initializer=inits)
    return model(g)


LONG_NAME = "attention_output_projection_" + "\u00e9" * 20  # 68 bytes


def zeros(name, dims):
    """An initializer with its data (zeros), so the model passes the checker."""
    n = 1
    for d in dims:
        n *= d
    return helper.make_tensor(name, TensorProto.FLOAT, dims, bytes(4 * n), raw=True)


def small():
    """The numbers test_onnx.c checks are worked out there. Passes
    onnx.checker.check_model."""
    f = TensorProto.FLOAT
    vi = helper.make_tensor_value_info
    nodes = [
        # x [2, 8, 32, 32]: 2 groups, 3x3 dilated 2, stride 2, pads 2.
        helper.make_node("Conv", ["x", "gw"], ["g"], name="gconv", group=2,
                         kernel_shape=[3, 3], strides=[2, 2], pads=[2, 2, 2, 2],
                         dilations=[2, 2]),
        helper.make_node("Relu", ["g"], ["g_relu"], name="relu"),
        # [2, 16, 16, 16]: 3x2 kernel, pads top 1, left 0, bottom 2, right 1.
        helper.make_node("Conv", ["g_relu", "aw"], ["a"], name="asym",
                         pads=[1, 0, 2, 1]),
        helper.make_node("MaxPool", ["a"], ["a_pool"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        # feat [4, 64] . fcw^T, fcw [32, 64].
        helper.make_node("Gemm", ["feat", "fcw", "fcb"], ["fc_out"], name="fc",
                         transB=1),
        # q [8, 10, 16] . kt [8, 16, 10]: attention scores, no name.
        helper.make_node("MatMul", ["q", "kt"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["probs"], name="softmax", axis=-1),
        # probs [8, 10, 10] . v [8, 10, 16]; the same name twice.
        helper.make_node("MatMul", ["probs", "v"], ["ctx"], name="attn"),
        # ctx [8, 10, 16] . pw [16, 32]: a weight, batch dims fold into rows.
        helper.make_node("MatMul", ["ctx", "pw"], ["proj"], name="attn"),
        # feat^T via transA: [64, 4]^T = [4, 64] . act2 [64, 8], B an input.
        helper.make_node("Gemm", ["featT", "act2"], ["gm"], name=LONG_NAME,
                         transA=1),
    ]
    inits = [zeros("gw", [16, 4, 3, 3]), zeros("aw", [8, 16, 3, 2]),
             zeros("fcw", [32, 64]), zeros("fcb", [32]), zeros("pw", [16, 32])]
    g = helper.make_graph(
        nodes, "small-net",
        [vi("x", f, [2, 8, 32, 32]), vi("feat", f, [4, 64]), vi("q", f, [8, 10, 16]),
         vi("kt", f, [8, 16, 10]), vi("v", f, [8, 10, 16]), vi("featT", f, [64, 4]),
         vi("act2", f, [64, 8])],
        [vi("a_pool", f, None), vi("fc_out", f, None), vi("proj", f, None),
         vi("gm", f, None)],
        initializer=inits)
    return model(g)


def noshape():
    f = TensorProto.FLOAT
    nodes = [helper.make_node("Conv", ["x", "w1"], ["t"], name="conv1", pads=[1] * 4),
             helper.make_node("Conv", ["t", "w2"], ["y"], name="conv2", pads=[1] * 4)]
    g = helper.make_graph(
        nodes, "noshape", [helper.make_tensor_value_info("x", f, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", f, None)],
        initializer=[weight("w1", [4, 3, 3, 3]), weight("w2", [4, 4, 3, 3])])
    return model(g, infer=False)


def conv1d_weight():
    f = TensorProto.FLOAT
    g = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")], "conv1d_weight",
        [helper.make_tensor_value_info("x", f, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", f, [1, 16, 8, 8])],
        initializer=[weight("w", [16])])
    return model(g, infer=False)


def badtype():
    f = TensorProto.FLOAT
    g = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv")], "badtype",
        [helper.make_tensor_value_info("x", f, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", f, [1, 4, 6, 6])],
        initializer=[weight("w", [4, 3, 3, 3], data_type=99)])
    return model(g, infer=False)


def baddims():
    f = TensorProto.FLOAT
    g = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="zero"),
         helper.make_node("MatMul", ["a", "b"], ["c"], name="negative")], "baddims",
        [helper.make_tensor_value_info("x", f, [1, 0, 8, 8]),
         helper.make_tensor_value_info("a", f, [4, 8])],
        [helper.make_tensor_value_info("y", f, [1, 4, 6, 6]),
         helper.make_tensor_value_info("c", f, [4, 5])],
        initializer=[weight("w", [4, 3, 3, 3]), weight("b", [8, -5])])
    return model(g, infer=False)


def cycle():
    """m1 -> add -> m2 -> add: add's second input is made by a later node."""
    f = TensorProto.FLOAT
    g = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["a"], name="m1"),
         helper.make_node("Add", ["a", "b"], ["c"], name="add"),
         helper.make_node("MatMul", ["c", "w"], ["b"], name="m2")], "cycle",
        [helper.make_tensor_value_info("x", f, [1, 4])],
        [helper.make_tensor_value_info("c", f, [1, 4])],
        initializer=[weight("w", [4, 4])])
    return model(g, infer=False)


def exported():
    """A CNN as torch.onnx.export writes it: a symbolic batch
    ("batch_size"), no value_info, and the ops between the layers pesim
    must infer through: auto_pad SAME_UPPER / SAME_LOWER / VALID, a
    ceil_mode MaxPool and AveragePool, BatchNormalization, Clip, Concat,
    GlobalAveragePool, Flatten, Gemm with transB, Dropout, the Shape ->
    Gather -> Unsqueeze -> Concat -> Reshape chain of x.view(x.size(0), 4,
    -1), a MatMul with a weight over the batch, Reshape with 0 and -1,
    Transpose, and a batched MatMul of two activations. exported_vi.onnx is
    the same model with onnx.shape_inference.infer_shapes applied: pesim
    must import both to the same layers."""
    f = TensorProto.FLOAT
    i64 = TensorProto.INT64
    nodes = [
        # [b, 3, 32, 32] -> [b, 16, 16, 16]
        helper.make_node("Conv", ["input", "c1_w", "c1_b"], ["c1"], name="conv1",
                         kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"],
                         ["bn"], name="bn1"),
        helper.make_node("Relu", ["bn"], ["r1"], name="relu1"),
        # ceil((16 - 3) / 2) + 1 = 8
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[3, 3],
                         strides=[2, 2], ceil_mode=1),
        # VALID: 8 - 3 + 1 = 6
        helper.make_node("Conv", ["p1", "c2_w"], ["c2"], name="conv2",
                         kernel_shape=[3, 3], auto_pad="VALID"),
        helper.make_node("Clip", ["c2", "lo", "hi"], ["k2"], name="relu6"),
        # SAME_LOWER, even kernel, stride 2: [b, 32, 3, 3]
        helper.make_node("Conv", ["k2", "c3_w"], ["c3"], name="conv3",
                         kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_LOWER"),
        # a 1x1 branch on the same input, concatenated on channels
        helper.make_node("Conv", ["k2", "c4_w"], ["c4"], name="conv4",
                         kernel_shape=[1, 1], strides=[2, 2]),
        helper.make_node("Concat", ["c3", "c4"], ["cat"], name="cat", axis=1),
        # ceil_mode: ceil((3 - 2) / 2) + 1 = 2 (floor would give 1)
        helper.make_node("AveragePool", ["cat"], ["ap"], name="apool", kernel_shape=[2, 2],
                         strides=[2, 2], ceil_mode=1),
        helper.make_node("GlobalAveragePool", ["ap"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["fc"], name="fc", transB=1),
        helper.make_node("Relu", ["fc"], ["fr"], name="relu_fc"),
        helper.make_node("Dropout", ["fr"], ["dr"], name="drop"),
        # x.view(x.size(0), 4, -1): [b, 64] -> [b, 4, 16]
        helper.make_node("Shape", ["dr"], ["shp"], name="shape"),
        helper.make_node("Gather", ["shp", "zero"], ["b0"], name="gather", axis=0),
        helper.make_node("Unsqueeze", ["b0", "axes0"], ["b1"], name="unsq"),
        helper.make_node("Concat", ["b1", "tail"], ["target"], name="target", axis=0),
        helper.make_node("Reshape", ["dr", "target"], ["seq"], name="view"),
        # [b, 4, 16] . [16, 8]: a weight over the batch, N = 4b rows
        helper.make_node("MatMul", ["seq", "proj_w"], ["proj"], name="proj"),
        # Reshape [0, -1, 2]: [b, 16, 2]; Transpose to [b, 2, 16]
        helper.make_node("Reshape", ["proj", "shape2"], ["pairs"], name="pairs"),
        helper.make_node("Transpose", ["pairs"], ["pairs_t"], name="tr", perm=[0, 2, 1]),
        # [b, 16, 2] . [b, 2, 16]: attention-like, G = b
        helper.make_node("MatMul", ["pairs", "pairs_t"], ["scores"], name="scores"),
        helper.make_node("Softmax", ["scores"], ["probs"], name="softmax", axis=-1),
    ]
    inits = [zeros("c1_w", [16, 3, 3, 3]), zeros("c1_b", [16]),
             zeros("bn_s", [16]), zeros("bn_b", [16]), zeros("bn_m", [16]), zeros("bn_v", [16]),
             zeros("c2_w", [16, 16, 3, 3]), zeros("lo", []), zeros("hi", []),
             zeros("c3_w", [32, 16, 2, 2]), zeros("c4_w", [32, 16, 1, 1]),
             zeros("fc_w", [64, 64]), zeros("fc_b", [64]), zeros("proj_w", [16, 8]),
             helper.make_tensor("zero", i64, [], [0]),
             helper.make_tensor("axes0", i64, [1], [0]),
             helper.make_tensor("tail", i64, [2], [4, -1]),
             helper.make_tensor("shape2", i64, [3], [0, -1, 2])]
    g = helper.make_graph(
        nodes, "exported",
        [helper.make_tensor_value_info("input", f, ["batch_size", 3, 32, 32])],
        [helper.make_tensor_value_info("probs", f, ["batch_size", 16, 16])],
        initializer=inits)
    m = model(g, infer=False)
    onnx.checker.check_model(m)
    return m, shape_inference.infer_shapes(m, strict_mode=True)


def hostile():
    """Models exported wrong or made to hurt, each with one fault (the
    golden messages are in test_onnx.c; the same files seed the fuzzer and
    the hostile corpus, tests/fuzz/corpus-onnx)."""
    f = TensorProto.FLOAT
    i64 = TensorProto.INT64
    vi = helper.make_tensor_value_info

    def one(name, nodes, inputs, inits, outputs=None, value_info=()):
        g = helper.make_graph(nodes, name, inputs,
                              outputs or [vi(nodes[-1].output[0], f, None)],
                              initializer=inits, value_info=list(value_info))
        return model(g, infer=False)

    conv = lambda x, w, y, name, **kw: helper.make_node("Conv", [x, w], [y], name=name, **kw)
    w8 = weight("w", [8, 3, 3, 3])
    w88 = weight("w2", [8, 8, 3, 3])
    x = vi("x", f, ["N", 3, 16, 16])
    out = {}
    out["sym_dim"] = one("sym_dim", [conv("x", "w", "y", "conv")],
                         [vi("x", f, ["N", 3, "height", 16])], [w8])
    out["neg_dim"] = one("neg_dim", [conv("x", "w", "y", "conv")],
                         [vi("x", f, [1, 3, -16, 16])], [w8])
    out["reshape_two_neg"] = one("reshape_two_neg", [
        conv("x", "w", "y", "conv"),
        helper.make_node("Reshape", ["y", "s"], ["r"], name="view"),
        helper.make_node("MatMul", ["r", "m"], ["z"], name="mm")],
        [x], [w8, helper.make_tensor("s", i64, [2], [-1, -1]), weight("m", [8, 4])])
    out["reshape_count"] = one("reshape_count", [
        conv("x", "w", "y", "conv"),
        helper.make_node("Reshape", ["y", "s"], ["r"], name="view"),
        helper.make_node("MatMul", ["r", "m"], ["z"], name="mm")],
        [x], [w8, helper.make_tensor("s", i64, [2], [7, 100]), weight("m", [100, 4])])
    out["vi_mismatch"] = one("vi_mismatch", [
        conv("x", "w", "y", "conv", pads=[1, 1, 1, 1]),
        conv("y", "w2", "z", "conv2")],
        [x], [w8, w88], value_info=[vi("y", f, ["N", 8, 14, 14])])
    out["add_mismatch"] = one("add_mismatch", [
        conv("x", "w", "y", "conv"),
        helper.make_node("Add", ["y", "b"], ["s"], name="add"),
        conv("s", "w2", "z", "conv2")],
        [x], [w8, w88, weight("b", [5, 1, 1])])
    out["unknown_op"] = one("unknown_op", [
        conv("x", "w", "y", "conv"),
        helper.make_node("FancyResample", ["y"], ["u"], name="fancy"),
        conv("u", "w2", "z", "conv2")],
        [x], [w8, w88])
    out["dynamic_reshape"] = one("dynamic_reshape", [
        conv("x", "w", "y", "conv"),
        helper.make_node("Reshape", ["y", "s"], ["r"], name="view"),
        helper.make_node("MatMul", ["r", "m"], ["z"], name="mm")],
        [x, vi("s", i64, [2])], [w8, weight("m", [8, 4])])
    out["self_cycle"] = one("self_cycle", [
        helper.make_node("Add", ["x", "a"], ["a"], name="loop"),
        conv("a", "w", "y", "conv")], [x], [w8])
    big = 1 << 40
    out["absurd_flatten"] = one("absurd_flatten", [
        helper.make_node("Flatten", ["x"], ["fl"], name="flat", axis=0),
        helper.make_node("MatMul", ["fl", "m"], ["z"], name="mm")],
        [vi("x", f, [big, big, big])], [weight("m", [4, 4])])
    out["absurd_concat"] = one("absurd_concat", [
        helper.make_node("Concat", ["x", "x", "x"], ["c"], name="cat", axis=1),
        helper.make_node("MatMul", ["c", "m"], ["z"], name="mm")],
        [vi("x", f, [1, big, 4])], [weight("m", [4, 4])])
    out["absurd_conv"] = one("absurd_conv", [conv("x", "w", "y", "conv")],
                             [vi("x", f, [big, 3, big, big])], [w8])
    out["bad_perm"] = one("bad_perm", [
        helper.make_node("Transpose", ["x"], ["t"], name="tr", perm=[0, 0, 1, 2]),
        conv("t", "w", "y", "conv")], [x], [w8])
    return out


def field(num, payload):
    """A length-delimited protobuf field."""
    out, n = bytearray([num << 3 | 2]), len(payload)
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    return bytes(out) + payload


def deep(levels=20000):
    """ModelProto.graph -> GraphProto.node -> NodeProto.attribute ->
    AttributeProto.g -> GraphProto ..., built inside out: deep enough to
    overflow a recursive decoder's stack."""
    g = b""
    for _ in range(levels):
        g = field(1, field(5, field(6, g)))  # node { attribute { g { ... } } }
    return field(7, g)


def seeds(out):
    """The fuzzer's and hostile corpus's seeds (tests/fuzz/corpus-onnx,
    committed): exported.onnx with its weights' data dropped (dims only, 2 kB
    instead of 40) and every bad_*.onnx."""
    plain, _ = exported()
    for t in plain.graph.initializer:
        if t.data_type == TensorProto.FLOAT:
            t.raw_data = b""
    with open(os.path.join(out, "exported.onnx"), "wb") as fh:
        fh.write(plain.SerializeToString())
    for name, m in hostile().items():
        with open(os.path.join(out, "bad_%s.onnx" % name), "wb") as fh:
            fh.write(m.SerializeToString())


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        seeds(sys.argv[2])
        return
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)

    def save(name, data):
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.SerializeToString())

    save("resnet50.onnx", resnet50())
    s = small().SerializeToString()
    save("small.onnx", s)
    save("truncated.onnx", s[: len(s) // 2])
    save("noshape.onnx", noshape())
    save("conv1d_weight.onnx", conv1d_weight())
    save("garbage.onnx", b"GIF89a: not a protobuf\x00\xff\xff\xff\xff")
    save("badtype.onnx", badtype())
    save("baddims.onnx", baddims())
    save("deep.onnx", deep())
    save("cycle.onnx", cycle())
    plain, inferred = exported()
    save("exported.onnx", plain)
    save("exported_vi.onnx", inferred)
    for name, m in hostile().items():
        save("bad_%s.onnx" % name, m)


if __name__ == "__main__":
    main()
