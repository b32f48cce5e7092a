package org.valueimprint.onnx.encoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes tiny ONNX models (one Identity node) as protobuf bytes by hand, for tests of models that are not encoders.
 * Field numbers from onnx.proto: ModelProto ir_version 1, graph 7, opset_import 8; GraphProto node 1, name 2, input
 * 11, output 12; NodeProto input 1, output 2, op_type 4; ValueInfoProto name 1, type 2; TypeProto tensor_type 1;
 * Tensor elem_type 1, shape 2; TensorShapeProto dim 1; Dimension dim_param 2.
 */
final class TinyOnnx {
    static final int FLOAT = 1;
    static final int INT64 = 7;

    private TinyOnnx() {}

    /** An input or output: a name, an element type and a rank (every dimension symbolic). */
    record Value(String name, int elemType, int rank) {}

    /** A model whose graph copies {@code inputs[0]} to the single output with an Identity node. */
    static byte[] identity(Value[] inputs, Value output) {
        byte[] node = concat(string(1, inputs[0].name()), string(2, output.name()), string(4, "Identity"));
        byte[][] parts = new byte[inputs.length + 3][];
        parts[0] = message(1, node);
        parts[1] = string(2, "tiny");
        for (int i = 0; i < inputs.length; i++) {
            parts[2 + i] = message(11, valueInfo(inputs[i]));
        }
        parts[inputs.length + 2] = message(12, valueInfo(output));
        byte[] graph = concat(parts);
        byte[] opset = concat(string(1, ""), varintField(2, 13));
        return concat(varintField(1, 8), message(7, graph), message(8, opset));
    }

    private static byte[] valueInfo(Value value) {
        byte[][] dims = new byte[value.rank()][];
        for (int d = 0; d < value.rank(); d++) {
            dims[d] = message(1, string(2, "d" + d));
        }
        byte[] tensor = concat(varintField(1, value.elemType()), message(2, concat(dims)));
        return concat(string(1, value.name()), message(2, message(1, tensor)));
    }

    private static byte[] varintField(int field, long value) {
        return concat(varint((long) field << 3), varint(value));
    }

    private static byte[] string(int field, String s) {
        return message(field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] message(int field, byte[] payload) {
        return concat(varint(((long) field << 3) | 2), varint(payload.length), payload);
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
