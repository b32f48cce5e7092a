package org.valueimprint.onnx.internal;

import static java.util.Objects.requireNonNull;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Not API: fuses the self-attention of a BERT-style encoder, as PyTorch exports it, into ONNX Runtime's
 * {@code com.microsoft.MultiHeadAttention} operator. ONNX Runtime's session optimiser fuses attention only in graphs it
 * can shape-check, which the dynamically quantised MiniLM and e5 graphs are not; its offline Python optimiser is not
 * available from Java. Public only so that the benchmarks can run exactly the graph the encoder runs.
 *
 * <p>Each fused subgraph is, per layer:
 * {@code Reshape/Transpose} of {@code Add(bias_q, q)}, {@code Add(bias_k, k)} and {@code Add(bias_v, v)} into heads;
 * {@code Softmax(Add(Div(MatMul(Q, K^T), sqrt(head_size)), mask))}; {@code MatMul} with V; {@code Transpose} and
 * {@code Reshape} back to {@code [batch, sequence, hidden]}. The additive {@code mask} must be the standard extended
 * mask {@code (1 - Cast(Unsqueeze(Unsqueeze(attention_mask)))) * c}, c a large negative number. The replacement takes
 * {@code q}, {@code k}, {@code v} (before their biases), the three biases concatenated, and {@code attention_mask}
 * cast to int32 as the key padding mask; it computes the same function (masked keys get zero weight either way).
 * Nodes left without a consumer are removed. A graph where any part of this does not match exactly is left alone:
 * {@link #fuse(byte[])} then returns empty, and the caller runs the model as it is.
 */
public final class AttentionFusion {
    /** The contrib operator domain of ONNX Runtime. */
    static final String MS_DOMAIN = "com.microsoft";
    private static final String MASK_INPUT = "attention_mask";
    private static final String MASK_INT32 = "valueimprint/attention_mask_int32";

    private final GraphProto graph;
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private int layers;

    private AttentionFusion(GraphProto graph) {
        this.graph = graph;
        for (NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) {
                producer.put(out, n);
            }
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
    }

    /**
     * A fused model.
     *
     * @param model the fused model's bytes
     * @param layers how many self-attention subgraphs became {@code MultiHeadAttention} nodes (at least 1)
     */
    public record Fused(byte[] model, int layers) {}

    /**
     * The model with every self-attention subgraph fused, or empty when the bytes are not an ONNX model, hold no such
     * subgraph, keep weights in external files, or already use the {@code com.microsoft} domain.
     */
    public static Optional<Fused> fuse(byte[] model) {
        requireNonNull(model, "model");
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        if (proto.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals(MS_DOMAIN))
                || proto.getGraph().getInitializerList().stream()
                        .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                || proto.getGraph().getInputList().stream().noneMatch(i -> i.getName().equals(MASK_INPUT))) {
            return Optional.empty();
        }
        AttentionFusion fusion = new AttentionFusion(proto.getGraph());
        return fusion.fused().map(g -> new Fused(proto.toBuilder()
                .setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1))
                .build()
                .toByteArray(), fusion.layers));
    }

    /** One matched layer: the nodes it replaces and the node that replaces them. */
    private record Match(List<NodeProto> replaced, NodeProto last, NodeProto attention, TensorProto bias) {}

    private Optional<GraphProto> fused() {
        List<Match> matches = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Softmax")) {
                Match m = match(node, matches.size());
                if (m != null) {
                    matches.add(m);
                }
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        layers = matches.size();
        Set<NodeProto> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<NodeProto, NodeProto> replacement = new IdentityHashMap<>();
        for (Match m : matches) {
            removed.addAll(m.replaced());
            replacement.put(m.last(), m.attention());
        }
        GraphProto.Builder b = graph.toBuilder().clearNode();
        b.addNode(NodeProto.newBuilder()
                .setOpType("Cast")
                .setName(MASK_INT32 + "/Cast")
                .addInput(MASK_INPUT)
                .addOutput(MASK_INT32)
                .addAttribute(intAttribute("to", TensorProto.DataType.INT32_VALUE)));
        for (NodeProto n : graph.getNodeList()) {
            if (replacement.containsKey(n)) {
                b.addNode(replacement.get(n));
            } else if (!removed.contains(n)) {
                b.addNode(n);
            }
        }
        matches.forEach(m -> b.addInitializer(m.bias()));
        GraphProto pruned = withoutDeadNodes(b.build());
        return complete(pruned) ? Optional.of(pruned) : Optional.empty();
    }

    /** The layer whose softmax is {@code softmax}, or null when any part differs from the pattern. */
    private Match match(NodeProto softmax, int index) {
        long axis = intAttribute(softmax, "axis", -1);
        if (axis != 3 && axis != -1) {
            return null;
        }
        NodeProto maskAdd = producer(softmax.getInput(0), "Add");
        if (maskAdd == null) {
            return null;
        }
        int scaled = producer(maskAdd.getInput(0), "Div") != null ? 0 : 1;
        NodeProto div = producer(maskAdd.getInput(scaled), "Div");
        if (div == null || !isExtendedMask(maskAdd.getInput(1 - scaled))) {
            return null;
        }
        NodeProto scores = producer(div.getInput(0), "MatMul");
        Float divisor = scalar(div.getInput(1));
        if (scores == null || divisor == null || !(divisor > 0)) {
            return null;
        }
        NodeProto qT = transpose(scores.getInput(0), 0, 2, 1, 3);
        NodeProto kT = transpose(scores.getInput(1), 0, 2, 3, 1);
        NodeProto weighted = soleConsumer(softmax.getOutput(0), "MatMul");
        if (qT == null || kT == null || weighted == null || !weighted.getInput(0).equals(softmax.getOutput(0))) {
            return null;
        }
        NodeProto vT = transpose(weighted.getInput(1), 0, 2, 1, 3);
        NodeProto back = soleConsumer(weighted.getOutput(0), "Transpose");
        if (vT == null || back == null || !hasPerm(back, 0, 2, 1, 3)) {
            return null;
        }
        NodeProto merge = soleConsumer(back.getOutput(0), "Reshape");
        NodeProto qSplit = producer(qT.getInput(0), "Reshape");
        NodeProto kSplit = producer(kT.getInput(0), "Reshape");
        NodeProto vSplit = producer(vT.getInput(0), "Reshape");
        if (merge == null || qSplit == null || kSplit == null || vSplit == null) {
            return null;
        }
        NodeProto qAdd = producer(qSplit.getInput(0), "Add");
        NodeProto kAdd = producer(kSplit.getInput(0), "Add");
        NodeProto vAdd = producer(vSplit.getInput(0), "Add");
        float[][] biases = new float[3][];
        String[] projections = new String[3];
        NodeProto[] adds = {qAdd, kAdd, vAdd};
        for (int i = 0; i < 3; i++) {
            if (adds[i] == null) {
                return null;
            }
            int b = bias(adds[i]);
            if (b < 0) {
                return null;
            }
            biases[i] = OnnxTensors.floats(initializers.get(adds[i].getInput(b)));
            projections[i] = adds[i].getInput(1 - b);
        }
        int hidden = biases[0].length;
        if (biases[1].length != hidden || biases[2].length != hidden) {
            return null;
        }
        long[] split = headShape(qSplit);
        if (split == null || split[0] * split[1] != hidden || !java.util.Arrays.equals(split, headShape(kSplit))
                || !java.util.Arrays.equals(split, headShape(vSplit))
                || Math.abs(divisor - Math.sqrt(split[1])) > 1e-4 * divisor) {
            return null;
        }
        List<NodeProto> replaced = List.of(softmax, maskAdd, div, scores, qT, kT, weighted, vT, back, merge, qSplit,
                kSplit, vSplit, qAdd, kAdd, vAdd);
        Set<NodeProto> replacedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        replacedSet.addAll(replaced);
        for (NodeProto n : replaced) {
            if (n == merge) {
                continue;
            }
            for (String out : n.getOutputList()) {
                for (NodeProto c : consumers.getOrDefault(out, List.of())) {
                    if (!replacedSet.contains(c) && !c.getOpType().equals("Shape")) {
                        return null;
                    }
                }
            }
        }
        float[] qkv = new float[3 * hidden];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(biases[i], 0, qkv, i * hidden, hidden);
        }
        String prefix = "valueimprint/attention_" + index;
        TensorProto bias = floatTensor(prefix + "/qkv_bias", qkv);
        NodeProto attention = NodeProto.newBuilder()
                .setOpType("MultiHeadAttention")
                .setDomain(MS_DOMAIN)
                .setName(prefix)
                .addInput(projections[0])
                .addInput(projections[1])
                .addInput(projections[2])
                .addInput(bias.getName())
                .addInput(MASK_INT32)
                .addOutput(merge.getOutput(0))
                .addAttribute(intAttribute("num_heads", split[0]))
                .addAttribute(AttributeProto.newBuilder()
                        .setName("scale")
                        .setType(AttributeProto.AttributeType.FLOAT)
                        .setF(1f / divisor))
                .build();
        return new Match(replaced, merge, attention, bias);
    }

    /**
     * Whether {@code name} is {@code Mul(Sub(1, Cast(Unsqueeze(Unsqueeze(attention_mask)))), c)} with c at most
     * -10,000: 0 where the mask is 1, a large negative number where it is 0.
     */
    private boolean isExtendedMask(String name) {
        NodeProto mul = producer(name, "Mul");
        if (mul == null) {
            return false;
        }
        int s = producer(mul.getInput(0), "Sub") != null ? 0 : 1;
        NodeProto sub = producer(mul.getInput(s), "Sub");
        Float big = scalar(mul.getInput(1 - s));
        if (sub == null || big == null || !(big <= -10_000f)) {
            return false;
        }
        Float one = scalar(sub.getInput(0));
        NodeProto cast = producer(sub.getInput(1), "Cast");
        if (one == null || one != 1f || cast == null) {
            return false;
        }
        NodeProto outer = producer(cast.getInput(0), "Unsqueeze");
        NodeProto inner = outer == null ? null : producer(outer.getInput(0), "Unsqueeze");
        return inner != null && inner.getInput(0).equals(MASK_INPUT)
                && ints(outer, "axes").equals(List.of(2L)) && ints(inner, "axes").equals(List.of(1L));
    }

    /** The (heads, head size) a head-splitting Reshape's target {@code Concat(b, s, heads, size)} names, or null. */
    private long[] headShape(NodeProto reshape) {
        NodeProto concat = producer(reshape.getInput(1), "Concat");
        if (concat == null || concat.getInputCount() != 4) {
            return null;
        }
        Long heads = integer(concat.getInput(2));
        Long size = integer(concat.getInput(3));
        return heads == null || size == null || heads <= 0 || size <= 0 ? null : new long[] {heads, size};
    }

    /** The index of the input of {@code add} that is a 1-D float initializer, or -1. */
    private int bias(NodeProto add) {
        for (int i = 0; i < 2; i++) {
            TensorProto t = initializers.get(add.getInput(i));
            if (t != null && t.getDimsCount() == 1 && t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                return i;
            }
        }
        return -1;
    }

    private NodeProto transpose(String name, long... perm) {
        NodeProto t = producer(name, "Transpose");
        return t != null && hasPerm(t, perm) ? t : null;
    }

    private static boolean hasPerm(NodeProto transpose, long... perm) {
        List<Long> actual = ints(transpose, "perm");
        if (actual.size() != perm.length) {
            return false;
        }
        for (int i = 0; i < perm.length; i++) {
            if (actual.get(i) != perm[i]) {
                return false;
            }
        }
        return true;
    }

    private NodeProto producer(String tensor, String opType) {
        NodeProto n = producer.get(tensor);
        return n != null && n.getOpType().equals(opType) && n.getDomain().isEmpty() ? n : null;
    }

    /** The one consumer of {@code tensor} of type {@code opType}, when every other consumer is a Shape; or null. */
    private NodeProto soleConsumer(String tensor, String opType) {
        NodeProto found = null;
        for (NodeProto c : consumers.getOrDefault(tensor, List.of())) {
            if (c.getOpType().equals(opType) && found == null) {
                found = c;
            } else if (!c.getOpType().equals("Shape")) {
                return null;
            }
        }
        return found;
    }

    /** The tensor a Constant node or an initializer gives {@code name}, or null. */
    private TensorProto constant(String name) {
        TensorProto t = initializers.get(name);
        if (t != null) {
            return t;
        }
        NodeProto c = producer(name, "Constant");
        if (c == null) {
            return null;
        }
        for (AttributeProto a : c.getAttributeList()) {
            if (a.getName().equals("value") && a.hasT()) {
                return a.getT();
            }
        }
        return null;
    }

    private Float scalar(String name) {
        TensorProto t = constant(name);
        if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE || count(t) != 1) {
            return null;
        }
        return OnnxTensors.floats(t)[0];
    }

    private Long integer(String name) {
        TensorProto t = constant(name);
        if (t == null || t.getDataType() != TensorProto.DataType.INT64_VALUE || count(t) != 1) {
            return null;
        }
        return t.getRawData().isEmpty()
                ? t.getInt64Data(0)
                : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static long count(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    private static TensorProto floatTensor(String name, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(values.length)
                .setRawData(ByteString.copyFrom(raw.array()))
                .build();
    }

    private static long intAttribute(NodeProto n, String name, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    private static List<Long> ints(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList();
            }
        }
        return List.of();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** {@code g} without the nodes no graph output depends on, and without initializers nothing reads. */
    static GraphProto withoutDeadNodes(GraphProto g) {
        Map<String, NodeProto> made = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) {
                made.put(out, n);
            }
        }
        Set<NodeProto> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> needed = new HashSet<>();
        Deque<String> work = new ArrayDeque<>();
        g.getOutputList().forEach(o -> work.add(o.getName()));
        while (!work.isEmpty()) {
            String t = work.pop();
            if (needed.add(t)) {
                NodeProto n = made.get(t);
                if (n != null && live.add(n)) {
                    work.addAll(n.getInputList());
                }
            }
        }
        Set<String> graphInputs = new HashSet<>();
        g.getInputList().forEach(i -> graphInputs.add(i.getName()));
        GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer();
        g.getNodeList().stream().filter(live::contains).forEach(b::addNode);
        g.getInitializerList().stream()
                .filter(t -> needed.contains(t.getName()) || graphInputs.contains(t.getName()))
                .forEach(b::addInitializer);
        return b.build();
    }

    /** Whether every node input of {@code g} is a graph input, an initializer or an earlier node's output. */
    static boolean complete(GraphProto g) {
        Set<String> known = new HashSet<>();
        known.add("");
        g.getInputList().forEach(i -> known.add(i.getName()));
        g.getInitializerList().forEach(t -> known.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            if (!known.containsAll(n.getInputList())) {
                return false;
            }
            known.addAll(n.getOutputList());
        }
        return true;
    }
}
