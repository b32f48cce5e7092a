package org.valueimprint.finetune;

import static java.util.Objects.requireNonNull;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.internal.OnnxTensors;

/**
 * The parameters of a BERT encoder exported to ONNX (such as all-MiniLM-L6-v2 from its Maven Central jar), by their
 * Hugging Face names. The exporter stores the linear layers' weights as anonymous {@code onnx::MatMul_NNN}
 * initializers, transposed ({@code [in, out]}); each is named here from the MatMul node that consumes it
 * ({@code /encoder/layer.N/attention/self/query/MatMul} gives {@code encoder.layer.N.attention.self.query.weight}),
 * keeping the {@code [in, out]} layout. The other initializers keep their names; integer buffers such as
 * {@code embeddings.position_ids} are skipped.
 */
public final class BertWeights {
    private static final Pattern MATMUL = Pattern.compile("^/(encoder/layer\\.\\d+/.+)/MatMul$");

    private final Map<String, Tensor> tensors;
    private final Map<String, String> onnxNames;
    private final int layers;

    private BertWeights(Map<String, Tensor> tensors, Map<String, String> onnxNames, int layers) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.onnxNames = Collections.unmodifiableMap(onnxNames);
        this.layers = layers;
    }

    /**
     * Reads the fp32 initializers of an ONNX BERT encoder.
     *
     * @param onnx the bytes of the model file
     * @param where the file's name, for messages
     * @throws ModelException when the bytes are not an ONNX model or a linear weight is not fp32
     */
    public static BertWeights read(byte[] onnx, String where) {
        requireNonNull(onnx, "onnx");
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(where + " is not an ONNX model: " + e.getMessage(), e);
        }
        OnnxMl.GraphProto graph = model.getGraph();
        java.util.Set<String> initializers = new java.util.HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        Map<String, String> hfNameOf = new LinkedHashMap<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            Matcher m = MATMUL.matcher(node.getName());
            if (node.getOpType().equals("MatMul") && m.matches() && node.getInputCount() == 2
                    && initializers.contains(node.getInput(1))) {
                hfNameOf.put(node.getInput(1), m.group(1).replace('/', '.') + ".weight");
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> onnxNames = new LinkedHashMap<>();
        int layers = 0;
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            String name = hfNameOf.getOrDefault(t.getName(), t.getName());
            long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            tensors.put(name, new Tensor(name, shape, OnnxTensors.floats(t)));
            onnxNames.put(name, t.getName());
            Matcher layer = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.").matcher(name);
            if (layer.find()) {
                layers = Math.max(layers, Integer.parseInt(layer.group(1)) + 1);
            }
        }
        if (hfNameOf.isEmpty() || layers == 0) {
            throw new ModelException(where + " has no /encoder/layer.N/.../MatMul nodes: not a BERT encoder export");
        }
        for (String hf : hfNameOf.values()) {
            if (!tensors.containsKey(hf)) {
                throw new ModelException(where + ": the weight " + hf + " is not an fp32 initializer (a quantised"
                        + " model? fine-tuning reads the fp32 export)");
            }
        }
        return new BertWeights(tensors, onnxNames, layers);
    }

    /** The number of encoder layers. */
    public int layers() {
        return layers;
    }

    /** The hidden size (the LayerNorm width of the embeddings). */
    public int hiddenSize() {
        return (int) get("embeddings.LayerNorm.weight").shape()[0];
    }

    /** A parameter by Hugging Face name. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return t;
    }

    /** Every fp32 parameter by Hugging Face name, in the file's order. */
    public Map<String, Tensor> all() {
        return tensors;
    }

    /** The name of the ONNX initializer that holds a parameter. */
    public String onnxName(String name) {
        String n = onnxNames.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return n;
    }

    /** The names of the parameters of encoder layer {@code layer}, in the file's order. */
    public java.util.List<String> layerParameters(int layer) {
        String prefix = "encoder.layer." + layer + ".";
        return tensors.keySet().stream().filter(n -> n.startsWith(prefix)).toList();
    }
}
