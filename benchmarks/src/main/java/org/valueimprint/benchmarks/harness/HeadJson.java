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
        return compile(json).probabilities(x);
    }

    /**
     * The head described by {@code json} with its weights read into arrays once, for many embeddings (the bare
     * ONNX Runtime process of the whole-process mode).
     */
    public static Compiled compile(JsonNode json) {
        boolean linear = json.get("kind").asText().equals("SOFTMAX");
        return new Compiled(linear, json.get("input").asInt(), linear ? 0 : json.get("hidden").asInt(),
                json.get("classes").asInt(), json.get("multi_label").asBoolean(), json.get("temperature").asDouble(),
                linear ? null : floats(json.get("w1")), linear ? null : floats(json.get("b1")), floats(json.get("w2")),
                floats(json.get("b2")));
    }

    /**
     * A head's maths over float arrays (see the class comment).
     *
     * @param linear a softmax (linear) head: no hidden layer, {@code w1} and {@code b1} null
     * @param input the embedding width
     * @param hidden hidden units (0 for a linear head)
     * @param classes output classes
     * @param multiLabel per-class sigmoids instead of a softmax
     * @param temperature the logits' divisor
     * @param w1 [hidden x input], row-major (null for a linear head)
     * @param b1 [hidden] (null for a linear head)
     * @param w2 [classes x hidden], or [classes x input] for a linear head
     * @param b2 [classes]
     */
    public record Compiled(boolean linear, int input, int hidden, int classes, boolean multiLabel, double temperature,
            float[] w1, float[] b1, float[] w2, float[] b2) {
        /** The probabilities of one embedding. */
        public double[] probabilities(float[] x) {
            if (x.length != input) {
                throw new IllegalArgumentException("embedding of " + x.length + " values for a head of " + input);
            }
            int width = linear ? input : hidden;
            double[] h = new double[width];
            if (linear) {
                for (int j = 0; j < input; j++) {
                    h[j] = x[j];
                }
            } else {
                for (int u = 0; u < hidden; u++) {
                    double s = b1[u];
                    for (int j = 0; j < input; j++) {
                        s += (double) w1[u * input + j] * x[j];
                    }
                    h[u] = Math.max(0, s);
                }
            }
            double[] z = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = b2[c];
                for (int u = 0; u < width; u++) {
                    s += w2[c * width + u] * h[u];
                }
                z[c] = s / temperature;
                max = Math.max(max, z[c]);
            }
            if (multiLabel) {
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

        /** The index of the highest probability of one embedding (the first of equals). */
        public int top(float[] x) {
            double[] p = probabilities(x);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            return best;
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
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
