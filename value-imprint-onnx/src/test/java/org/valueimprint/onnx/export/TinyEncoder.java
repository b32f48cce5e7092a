package org.valueimprint.onnx.export;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** A tiny fp32 "encoder" graph for export tests, built with the ONNX protobuf classes. */
public final class TinyEncoder {
    private TinyEncoder() {}

    /**
     * Opset 14: inputs {@code input_ids}, {@code attention_mask} (int64 [batch, sequence]); output
     * {@code last_hidden_state} (float [batch, sequence, d]) with {@code hidden[b, t, :] = input_ids[b, t] / 1000 *
     * scale + shift}, so that every token has its own vector and padding would show in a mean.
     */
    public static byte[] opset14(float[] scale, float[] shift) {
        int d = scale.length;
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny-encoder");
        g.addInput(value("input_ids", OnnxMl.TensorProto.DataType.INT64_VALUE, "batch_size", "sequence_length"));
        g.addInput(value("attention_mask", OnnxMl.TensorProto.DataType.INT64_VALUE, "batch_size",
                "sequence_length"));
        g.addInitializer(floats("scale", scale, 1, 1, d));
        g.addInitializer(floats("shift", shift, 1, 1, d));
        g.addInitializer(floats("thousand", new float[] {1000f}));
        g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("axis2").addDims(1)
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(2));
        g.addNode(node("Cast", List.of("input_ids"), "ids_float")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)
                        .setI(OnnxMl.TensorProto.DataType.FLOAT_VALUE)));
        g.addNode(node("Div", List.of("ids_float", "thousand"), "ids_scaled"));
        g.addNode(node("Unsqueeze", List.of("ids_scaled", "axis2"), "ids_3d"));
        g.addNode(node("Mul", List.of("ids_3d", "scale"), "scaled"));
        g.addNode(node("Add", List.of("scaled", "shift"), "last_hidden_state"));
        OnnxMl.ValueInfoProto.Builder out = value("last_hidden_state", OnnxMl.TensorProto.DataType.FLOAT_VALUE,
                "batch_size", "sequence_length");
        out.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        g.addOutput(out);
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(14))
                .setGraph(g).build().toByteArray();
    }

    private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
        for (long dim : dims) {
            t.addDims(dim);
        }
        return t.build();
    }

    private static OnnxMl.ValueInfoProto.Builder value(String name, int type, String... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (String dim : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(dim));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape)));
    }
}
