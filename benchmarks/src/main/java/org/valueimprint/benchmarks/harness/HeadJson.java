package org.valueimprint.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.head.MlpHead;
import org.valueimprint.onnx.head.SoftmaxHead;

/**
 * A head as JSON for the transformers.js side, and the same maths read back from JSON. An MLP head:
 * {@code h = relu(W1 x + b1)}, {@code z = W2 h + b2}; a softmax (linear) head: {@code z = W2 x + b2}; then
 * {@code softmax(z / T)} (or per-class sigmoids for a multi-label head). Any input standardisation was folded into the
 * first layer when the head was trained, so {@code x} is the L2-normalised embedding as the encoder returns it.
 * {@code bench.mjs} implements {@link #probabilities} in JavaScript.
 *
 * <p>JSON fields: {@code kind} ("MLP" or "SOFTMAX"), {@code input}, {@code hidden} (0 for SOFTMAX), {@code classes},
 * {@code multi_label}, {@code temperature}, and the float32 tensors as flat row-major arrays: {@code w1}
 * ([hidden x input]) and {@code b1} (MLP only), {@code w2} ([classes x hidden], or [classes x input] for SOFTMAX) and
 * {@code b2}.
 */
public final class HeadJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeadJson() {}

    /**
     * The JSON of an MLP or softmax head, weights and temperature included.
     *
     * @throws IllegalArgumentException for another kind of head
     */
    public static ObjectNode toJson(Head head) {
        if (head instanceof SoftmaxHead linear) {
            ObjectNode o = JSON.createObjectNode();
            o.put("kind", "SOFTMAX");
            o.put("input", linear.inputDimension());
            o.put("hidden", 0);
            o.put("classes", linear.classes());
            o.put("multi_label", linear.multiLabel());
            o.put("temperature", linear.temperature());
            o.set("w2", floats(linear.weights()));
            o.set("b2", floats(linear.bias()));
            return o;
        }
        if (!(head instanceof MlpHead mlp)) {
            throw new IllegalArgumentException("the harness exports MLP and softmax heads only; got " + head.kind());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "MLP");
        o.put("input", mlp.inputDimension());
        o.put("hidden", mlp.hiddenUnits());
        o.put("classes", mlp.classes());
        o.put("multi_label", mlp.multiLabel());
        o.put("temperature", mlp.temperature());
        o.set("w1", floats(mlp.hiddenWeights()));
        o.set("b1", floats(mlp.hiddenBias()));
        o.set("w2", floats(mlp.outputWeights()));
        o.set("b2", floats(mlp.outputBias()));
        return o;
    }

    /** The probabilities of one embedding under the head described by {@code json} (see the class comment). */
    public static double[] probabilities(JsonNode json, float[] x) {
        int input = json.get("input").asInt();
        int hidden = json.get("hidden").asInt();
        int classes = json.get("classes").asInt();
        if (x.length != input) {
            throw new IllegalArgumentException("embedding of " + x.length + " values for a head of " + input);
        }
        JsonNode w2 = json.get("w2");
        JsonNode b2 = json.get("b2");
        double[] h;
        if (json.get("kind").asText().equals("SOFTMAX")) {
            hidden = input;
            h = new double[input];
            for (int j = 0; j < input; j++) {
                h[j] = x[j];
            }
        } else {
            JsonNode w1 = json.get("w1");
            JsonNode b1 = json.get("b1");
            h = new double[hidden];
            for (int u = 0; u < hidden; u++) {
                double s = b1.get(u).floatValue();
                for (int j = 0; j < input; j++) {
                    s += (double) w1.get(u * input + j).floatValue() * x[j];
                }
                h[u] = Math.max(0, s);
            }
        }
        double t = json.get("temperature").asDouble();
        double[] z = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = b2.get(c).floatValue();
            for (int u = 0; u < hidden; u++) {
                s += w2.get(c * hidden + u).floatValue() * h[u];
            }
            z[c] = s / t;
            max = Math.max(max, z[c]);
        }
        if (json.get("multi_label").asBoolean()) {
            for (int c = 0; c < classes; c++) {
                z[c] = 1 / (1 + Math.exp(-z[c]));
            }
            return z;
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= sum;
        }
        return z;
    }

    private static ArrayNode floats(float[][] rows) {
        ArrayNode a = JSON.createArrayNode();
        for (float[] row : rows) {
            for (float v : row) {
                a.add(v);
            }
        }
        return a;
    }

    private static ArrayNode floats(float[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }
}
