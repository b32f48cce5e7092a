package org.valueimprint.onnx.hf;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes tiny Hugging Face-style classifier directories for tests: a {@code model.onnx} whose output is the same row
 * {@code w} for every sequence ({@code max(attention_mask) * w}, float {@code [batch, k]}; or {@code [batch, k, 1]}
 * when asked for rank 3), the int8 MiniLM {@code tokenizer.json}, and a {@code config.json}. Built with the ONNX
 * protobuf classes, opset 11.
 */
final class TinyClassifier {
    private TinyClassifier() {}

    /** Writes {@code model.onnx} and {@code tokenizer.json} into {@code dir}. */
    static void model(Path dir, String outputName, float[] w, int rank) throws IOException {
        Files.createDirectories(dir);
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
        g.addInput(value("input_ids", OnnxMl.TensorProto.DataType.INT64_VALUE, "batch", "sequence"));
        g.addInput(value("attention_mask", OnnxMl.TensorProto.DataType.INT64_VALUE, "batch", "sequence"));
        ByteBuffer raw = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(w);
        g.addInitializer(OnnxMl.TensorProto.newBuilder().setName("w").addDims(1).addDims(w.length)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(raw.array())));
        g.addNode(node("Cast", List.of("attention_mask"), "mask")
                .addAttribute(attribute("to", OnnxMl.TensorProto.DataType.FLOAT_VALUE)));
        g.addNode(node("ReduceMax", List.of("mask"), "one").addAttribute(ints("axes", 1))
                .addAttribute(attribute("keepdims", 1)));
        String rows = rank == 2 ? outputName : "rows";
        g.addNode(node("Mul", List.of("one", "w"), rows));
        if (rank == 3) {
            g.addNode(node("Unsqueeze", List.of("rows"), outputName).addAttribute(ints("axes", 2)));
            g.addOutput(value(outputName, OnnxMl.TensorProto.DataType.FLOAT_VALUE, "batch", "k", "one"));
        } else {
            g.addOutput(value(outputName, OnnxMl.TensorProto.DataType.FLOAT_VALUE, "batch", "k"));
        }
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(6).setProducerName("test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(11))
                .setGraph(g).build();
        Files.write(dir.resolve("model.onnx"), model.toByteArray());
        tokenizer(dir, "all-minilm-l6-v2-q-tokenizer.json");
    }

    /** Copies a tokenizer resource of the model jars into {@code dir/tokenizer.json}. */
    static void tokenizer(Path dir, String resource) throws IOException {
        try (InputStream in = TinyClassifier.class.getClassLoader().getResourceAsStream(resource)) {
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
    }

    /**
     * Writes {@code config.json}: {@code id2label} and {@code label2id} from {@code labels} (index = id), and
     * {@code problem_type} when not null.
     */
    static void config(Path dir, List<String> labels, String problemType) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putArray("architectures").add("BertForSequenceClassification");
        root.put("model_type", "bert");
        ObjectNode id2label = root.putObject("id2label");
        ObjectNode label2id = root.putObject("label2id");
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        if (problemType != null) {
            root.put("problem_type", problemType);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.AttributeProto attribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.AttributeProto ints(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS)
                .addInts(value).build();
    }

    private static OnnxMl.ValueInfoProto value(String name, int type, String... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (String d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }
}
