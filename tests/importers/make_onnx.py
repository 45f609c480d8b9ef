#!/usr/bin/python3
"""Write the ONNX models that tests/importers/test_onnx.c reads.

Run by Debian's /usr/bin/python3 (python3-onnx), from the build:
    /usr/bin/python3 tests/importers/make_onnx.py OUTDIR
writes into OUTDIR:
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


def main():
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


if __name__ == "__main__":
    main()
