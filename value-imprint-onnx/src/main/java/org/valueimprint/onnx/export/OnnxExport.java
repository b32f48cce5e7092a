package org.valueimprint.onnx.export;

import static java.util.Objects.requireNonNull;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.encoder.EncoderInfo;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.encoder.Pooling;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.head.MlpHead;
import org.valueimprint.onnx.head.SoftmaxHead;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Fuses an {@link OnnxValueClassifier}'s encoder, pooling and head into one standalone ONNX file that any ONNX runtime
 * serves, with no Java and no head file beside it.
 *
 * <p>The file is the encoder's own graph (its inputs unchanged: int64 {@code input_ids}, {@code attention_mask} and,
 * when the encoder declares it, {@code token_type_ids}, all {@code [batch, sequence]}) with these nodes appended to
 * its last hidden state, in the encoder's opset:
 * <ol>
 *   <li>pooling as the bundle does it: the mean over the tokens whose {@code attention_mask} is 1
 *       ({@link Pooling#MEAN}: Cast, Unsqueeze, Mul, ReduceSum, Max, Div), or the first token ({@link Pooling#CLS}:
 *       Gather);
 *   <li>L2 normalisation when the encoder normalises (Mul, ReduceSum, Sqrt, Max, Div; a zero vector stays zero);
 *   <li>the head, as {@link Head#logits} computes it: {@code Gemm} ({@link SoftmaxHead}), or
 *       {@code Gemm, Relu, Gemm} ({@link MlpHead}); the heads standardise nothing at prediction time, so the
 *       weights are copied as they are;
 *   <li>division by the head's {@link Head#temperature() temperature} (Div), giving the calibrated logits;
 *   <li>for {@link Output#PROBABILITIES}: {@code Softmax} over the classes, or {@code Sigmoid} for a multi-label head.
 * </ol>
 * The single output is float {@code [batch, classes]}, classes in the taxonomy's order: {@value #PROBABILITIES}, or,
 * for {@link Output#LOGITS}, {@value #LOGITS} (the temperature-scaled logits, so that {@code softmax(logits)} or
 * {@code sigmoid(logits)} are the probabilities: the layout of a Hugging Face sequence-classification export).
 * Computed in float32, the probabilities agree with {@link OnnxValueClassifier#classify} (double arithmetic) to about
 * 1e-6.
 *
 * <p>The model's {@code metadata_props} keep the encoder's entries and add, under keys prefixed
 * {@value #METADATA_PREFIX}: {@code labels} (JSON array of the value labels, in output order), {@code value_ids}
 * (JSON array of the value ids, same order), {@code taxonomy} (JSON object with {@code id} and {@code version}),
 * {@code model_id}, {@code output} ({@code probabilities} or {@code logits}), {@code activation} ({@code softmax}
 * or {@code sigmoid}), {@code temperature}, {@code head}, {@code encoder}, {@code encoder_sha256},
 * {@code pooling} ({@code MEAN} or {@code CLS}), {@code normalized}, {@code max_length} and {@code text_prefix}.
 *
 * <p>What the caller must do to serve the file: tokenize each text as {@link OnnxTextEncoder#tokenIds} does (prefix
 * {@code text_prefix}, add the tokenizer's special tokens, keep at most {@code max_length} tokens), pad a batch with
 * the tokenizer's padding id and an {@code attention_mask} of 0, and give {@code token_type_ids} of 0. A text longer
 * than {@code max_length} tokens is truncated: a classifier whose encoder uses
 * {@link org.valueimprint.onnx.encoder.LongTextPolicy#windows() windows} gives other results for such texts. For the
 * int8 encoders, which quantise activations per batch, the result of a text depends slightly on its batch-mates, in
 * the file as in the Java pipeline.
 *
 * <pre>{@code
 * try (OnnxValueClassifier classifier = OnnxValueClassifier.loadDefault()) {
 *     OnnxExport.export(classifier, Path.of("value-imprint.onnx"));
 * }
 * // later, in any ONNX runtime:
 * try (OrtSession session = OrtEnvironment.getEnvironment().createSession("value-imprint.onnx")) {
 *     String labels = session.getMetadata().getCustomMetadata().get("value_imprint.labels");
 *     ... session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types)) ...
 * }
 * }</pre>
 */
public final class OnnxExport {
    /** The output name of {@link Output#PROBABILITIES}. */
    public static final String PROBABILITIES = "probabilities";
    /** The output name of {@link Output#LOGITS}. */
    public static final String LOGITS = "logits";
    /** The prefix of every metadata key this export writes. */
    public static final String METADATA_PREFIX = "value_imprint.";

    /** The prefix of every node and tensor name the export adds to the encoder's graph. */
    private static final String P = "value_imprint/";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the exported graph ends with. */
    public enum Output {
        /** Softmax (or sigmoid) probabilities, output {@value OnnxExport#PROBABILITIES}. */
        PROBABILITIES,
        /** The logits divided by the temperature, output {@value OnnxExport#LOGITS}, before any activation. */
        LOGITS
    }

    private OnnxExport() {}

    /** {@link #export(OnnxValueClassifier, Path, Output)} with {@link Output#PROBABILITIES}. */
    public static void export(OnnxValueClassifier classifier, Path out) {
        export(classifier, out, Output.PROBABILITIES);
    }

    /**
     * Writes the fused model of {@code classifier} to {@code out} (created or replaced; parent folders created). The
     * file is written beside {@code out} first and moved into place, so a failed export leaves no partial file.
     *
     * @throws ModelException when the encoder's model cannot be read or is not a graph this export can extend (its
     *     pooling is {@link Pooling#NONE}, it has no {@code attention_mask} input or no hidden-state output, its
     *     opset is older than 8, it keeps weights in external data files, or it already uses this export's names),
     *     or the file cannot be written
     */
    public static void export(OnnxValueClassifier classifier, Path out, Output output) {
        requireNonNull(classifier, "classifier");
        requireNonNull(out, "out");
        requireNonNull(output, "output");
        OnnxMl.ModelProto model = fuse(classifier, output);
        Path target = out.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                model.writeTo(stream);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ModelException("cannot write the exported model " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the temporary file stays; nothing else depends on it
                }
            }
        }
    }

    /**
     * Writes only the encoder of {@code classifier} as one standalone ONNX file, with the bundle's weight patch (if
     * any) applied: the model ONNX Runtime runs for it, usable by any ONNX runtime with the bundle's tokenizer.
     *
     * @throws ModelException when the classifier's encoder is not an ONNX encoder or the file cannot be written
     */
    public static void exportEncoder(OnnxValueClassifier classifier, Path out) {
        requireNonNull(classifier, "classifier");
        requireNonNull(out, "out");
        if (!(classifier.encoder() instanceof OnnxTextEncoder encoder)) {
            throw new ModelException("the encoder of " + classifier + " is not an ONNX encoder");
        }
        byte[] bytes = encoder.modelBytes();
        Path target = out.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ModelException("cannot write the exported model " + target + ": " + e.getMessage(), e);
        }
    }

    /** The fused model, in memory. */
    static OnnxMl.ModelProto fuse(OnnxValueClassifier classifier, Output output) {
        if (!(classifier.encoder() instanceof OnnxTextEncoder encoder)) {
            throw new ModelException("cannot export " + classifier + ": its encoder is not an ONNX graph");
        }
        EncoderInfo info = encoder.info();
        if (info.pooling() == Pooling.NONE) {
            throw new ModelException("cannot export " + classifier + ": its encoder does not pool (pooling NONE)");
        }
        Head head = classifier.head();
        ValueTaxonomy taxonomy = classifier.taxonomy();
        String where = info.source();
        OnnxMl.ModelProto encoderModel;
        try {
            encoderModel = OnnxMl.ModelProto.parseFrom(encoder.modelBytes());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("the encoder " + where + " is not a readable ONNX model: " + e.getMessage(), e);
        }
        long opset = defaultOpset(encoderModel, where);
        OnnxMl.GraphProto graph = encoderModel.getGraph();
        checkGraph(graph, where);
        OnnxMl.ValueInfoProto hidden = graph.getOutputList().stream()
                .filter(o -> o.getName().equals(encoder.outputName())).findFirst()
                .orElseThrow(() -> new ModelException("the encoder " + where + " has no graph output "
                        + encoder.outputName()));
        checkNames(graph, where);

        GraphBuilder g = new GraphBuilder(graph.toBuilder().clearOutput(), opset);
        String pooled = info.pooling() == Pooling.MEAN
                ? g.meanPool(hidden.getName(), ATTENTION_MASK)
                : g.firstToken(hidden.getName());
        String embedding = info.normalized() ? g.l2Normalize(pooled) : pooled;
        String logits;
        if (head instanceof SoftmaxHead softmax) {
            logits = g.gemm("head", embedding, softmax.weights(), softmax.bias());
        } else if (head instanceof MlpHead mlp) {
            String hiddenLayer = g.node("Relu", "hidden_relu", g.gemm("hidden", embedding, mlp.hiddenWeights(),
                    mlp.hiddenBias()));
            logits = g.gemm("head", hiddenLayer, mlp.outputWeights(), mlp.outputBias());
        } else {
            throw new ModelException("cannot export a head of kind " + head.kind());
        }
        String scaledName = output == Output.LOGITS ? LOGITS : P + "scaled_logits";
        String temperature = g.scalar("temperature", (float) head.temperature());
        g.add(node("Div", P + "divide_by_temperature", List.of(logits, temperature), scaledName));
        String result = scaledName;
        if (output == Output.PROBABILITIES) {
            OnnxMl.NodeProto.Builder activation = head.multiLabel()
                    ? node("Sigmoid", P + "sigmoid", List.of(scaledName), PROBABILITIES)
                    : node("Softmax", P + "softmax", List.of(scaledName), PROBABILITIES)
                            .addAttribute(intAttribute("axis", 1));
            g.add(activation);
            result = PROBABILITIES;
        }
        OnnxMl.TensorShapeProto.Dimension batch = hidden.getType().getTensorType().getShape().getDimCount() > 0
                ? hidden.getType().getTensorType().getShape().getDim(0)
                : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size").build();
        g.graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(result).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(batch)
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(head.classes()))))));
        g.graph.setDocString("Value Imprint classifier " + classifier.manifest().modelId() + ": " + info.id()
                + " encoder, " + info.pooling() + " pooling" + (info.normalized() ? ", L2 normalised" : "") + ", "
                + head.kind() + " head, " + (head.multiLabel() ? "sigmoid" : "softmax") + " over "
                + taxonomy.size() + " values of " + taxonomy.id() + " " + taxonomy.version());

        OnnxMl.ModelProto.Builder fused = encoderModel.toBuilder().setGraph(g.graph)
                .setProducerName("value-imprint")
                .setProducerVersion(version())
                .setDocString(g.graph.getDocString());
        Map<String, String> metadata = metadata(classifier, info, head, taxonomy, output);
        Set<String> ours = metadata.keySet();
        List<OnnxMl.StringStringEntryProto> kept = fused.getMetadataPropsList().stream()
                .filter(e -> !ours.contains(e.getKey())).toList();
        fused.clearMetadataProps().addAllMetadataProps(kept);
        metadata.forEach((k, v) -> fused.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return fused.build();
    }

    private static Map<String, String> metadata(OnnxValueClassifier classifier, EncoderInfo info, Head head,
            ValueTaxonomy taxonomy, Output output) {
        ArrayNode labels = JSON.createArrayNode();
        ArrayNode ids = JSON.createArrayNode();
        for (HumanValue v : taxonomy.values()) {
            labels.add(v.label());
            ids.add(v.id());
        }
        ObjectNode tax = JSON.createObjectNode();
        tax.put("id", taxonomy.id());
        tax.put("version", taxonomy.version());
        Map<String, String> m = new LinkedHashMap<>();
        m.put(METADATA_PREFIX + "labels", json(labels));
        m.put(METADATA_PREFIX + "value_ids", json(ids));
        m.put(METADATA_PREFIX + "taxonomy", json(tax));
        m.put(METADATA_PREFIX + "model_id", classifier.manifest().modelId());
        m.put(METADATA_PREFIX + "output", output == Output.PROBABILITIES ? PROBABILITIES : LOGITS);
        m.put(METADATA_PREFIX + "activation", head.multiLabel() ? "sigmoid" : "softmax");
        m.put(METADATA_PREFIX + "temperature", Double.toString(head.temperature()));
        m.put(METADATA_PREFIX + "head", head.kind().name());
        m.put(METADATA_PREFIX + "encoder", info.id());
        m.put(METADATA_PREFIX + "encoder_sha256", info.sha256());
        m.put(METADATA_PREFIX + "pooling", info.pooling().name());
        m.put(METADATA_PREFIX + "normalized", Boolean.toString(info.normalized()));
        m.put(METADATA_PREFIX + "max_length", Integer.toString(info.maxLength()));
        m.put(METADATA_PREFIX + "text_prefix", info.textPrefix());
        return m;
    }

    private static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The version of the default ONNX operator set the model imports. */
    private static long defaultOpset(OnnxMl.ModelProto model, String where) {
        for (OnnxMl.OperatorSetIdProto opset : model.getOpsetImportList()) {
            if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
                if (opset.getVersion() < 8) {
                    throw new ModelException("the encoder " + where + " uses ONNX opset " + opset.getVersion()
                            + "; the export needs opset 8 or later");
                }
                return opset.getVersion();
            }
        }
        throw new ModelException("the encoder " + where + " imports no default ONNX operator set");
    }

    private static void checkGraph(OnnxMl.GraphProto graph, String where) {
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                throw new ModelException("the encoder " + where + " keeps its weight " + t.getName() + " in an"
                        + " external data file; the export needs every weight inside model.onnx");
            }
        }
        boolean mask = graph.getInputList().stream().anyMatch(i -> i.getName().equals(ATTENTION_MASK));
        if (!mask) {
            throw new ModelException("the encoder " + where + " has no graph input " + ATTENTION_MASK);
        }
    }

    /** Refuses a graph that already uses a name this export would add. */
    private static void checkNames(OnnxMl.GraphProto graph, String where) {
        Set<String> names = new HashSet<>();
        graph.getInputList().forEach(i -> names.add(i.getName()));
        graph.getInitializerList().forEach(i -> names.add(i.getName()));
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            names.add(n.getName());
            names.addAll(n.getOutputList());
        }
        for (String name : names) {
            if (name.startsWith(P) || name.equals(PROBABILITIES) || name.equals(LOGITS)) {
                throw new ModelException("the encoder " + where + " already has a tensor or node named " + name
                        + ": is it an exported classifier already?");
            }
        }
    }

    private static OnnxMl.NodeProto.Builder node(String op, String name, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value).build();
    }

    private static OnnxMl.AttributeProto intsAttribute(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** Appends nodes and initializers to a graph, writing axes the way the graph's opset wants them. */
    private static final class GraphBuilder {
        final OnnxMl.GraphProto.Builder graph;
        /** From opset 13, Unsqueeze and ReduceSum take their axes as an input instead of an attribute. */
        final boolean axesAsInput;

        GraphBuilder(OnnxMl.GraphProto.Builder graph, long opset) {
            this.graph = graph;
            this.axesAsInput = opset >= 13;
        }

        void add(OnnxMl.NodeProto.Builder node) {
            graph.addNode(node);
        }

        /** A one-input node named {@code P + name} whose output has the same name; returns the output. */
        String node(String op, String name, String input) {
            add(OnnxExport.node(op, P + name, List.of(input), P + name));
            return P + name;
        }

        /** A two-input node named {@code P + name} whose output has the same name; returns the output. */
        String node(String op, String name, String a, String b) {
            add(OnnxExport.node(op, P + name, List.of(a, b), P + name));
            return P + name;
        }

        /** A node with an {@code axes} attribute or input, and {@code keepdims} when given (not negative). */
        String axesNode(String op, String name, String input, long axis, int keepdims) {
            OnnxMl.NodeProto.Builder n;
            if (axesAsInput) {
                n = OnnxExport.node(op, P + name, List.of(input, ints(name + "_axes", axis)), P + name);
            } else {
                n = OnnxExport.node(op, P + name, List.of(input), P + name).addAttribute(intsAttribute("axes", axis));
            }
            if (keepdims >= 0) {
                n.addAttribute(intAttribute("keepdims", keepdims));
            }
            add(n);
            return P + name;
        }

        /** The mean of {@code hidden} [b, s, d] over the tokens whose mask is 1: [b, d]. */
        String meanPool(String hidden, String mask) {
            OnnxMl.NodeProto.Builder cast = OnnxExport.node("Cast", P + "mask_float", List.of(mask), P + "mask_float")
                    .addAttribute(intAttribute("to", OnnxMl.TensorProto.DataType.FLOAT_VALUE));
            add(cast);
            String mask3 = axesNode("Unsqueeze", "mask_expanded", P + "mask_float", 2, -1);
            String masked = node("Mul", "masked_hidden", hidden, mask3);
            String sum = axesNode("ReduceSum", "hidden_sum", masked, 1, 0);
            String count = axesNode("ReduceSum", "token_count", P + "mask_float", 1, 1);
            String atLeastOne = node("Max", "token_count_clamped", count, scalar("one", 1f));
            return node("Div", "mean_pooled", sum, atLeastOne);
        }

        /** The vector of the first token of {@code hidden} [b, s, d]: [b, d]. */
        String firstToken(String hidden) {
            OnnxMl.TensorProto index = OnnxMl.TensorProto.newBuilder().setName(P + "first_index")
                    .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(0).build();
            graph.addInitializer(index);
            add(OnnxExport.node("Gather", P + "cls_pooled", List.of(hidden, P + "first_index"), P + "cls_pooled")
                    .addAttribute(intAttribute("axis", 1)));
            return P + "cls_pooled";
        }

        /** {@code x / max(||x||, MIN_NORMAL)} per row of [b, d]. */
        String l2Normalize(String x) {
            String squares = node("Mul", "squares", x, x);
            String sum = axesNode("ReduceSum", "square_sum", squares, 1, 1);
            String norm = node("Sqrt", "norm", sum);
            String clamped = node("Max", "norm_clamped", norm, scalar("min_norm", Float.MIN_NORMAL));
            return node("Div", "normalized", x, clamped);
        }

        /** {@code x W^T + b} with {@code W} [rows x in]: Gemm with transB = 1. */
        String gemm(String name, String x, float[][] weights, float[] bias) {
            int rows = weights.length;
            int in = weights[0].length;
            float[] flat = new float[rows * in];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(weights[r], 0, flat, r * in, in);
            }
            graph.addInitializer(floats(P + name + "_weight", flat, rows, in));
            graph.addInitializer(floats(P + name + "_bias", bias, rows));
            add(OnnxExport.node("Gemm", P + name, List.of(x, P + name + "_weight", P + name + "_bias"), P + name)
                    .addAttribute(intAttribute("transB", 1)));
            return P + name;
        }

        /** A float scalar initializer; returns its name. */
        String scalar(String name, float value) {
            graph.addInitializer(floats(P + name, new float[] {value}));
            return P + name;
        }

        /** A 1-D int64 initializer; returns its name. */
        String ints(String name, long... values) {
            OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(P + name)
                    .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length);
            for (long v : values) {
                t.addInt64Data(v);
            }
            graph.addInitializer(t);
            return P + name;
        }

        /** A float tensor stored as little-endian raw data. */
        static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
            ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(values);
            OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(raw.array()));
            for (long d : dims) {
                t.addDims(d);
            }
            return t.build();
        }
    }
}
