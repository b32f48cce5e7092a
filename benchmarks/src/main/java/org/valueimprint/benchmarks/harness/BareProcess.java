package org.valueimprint.benchmarks.harness;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole-process mode's bare ONNX Runtime pipeline, the simplest honest "ONNX Runtime from Java" program: one
 * process that reads the texts, tokenises them with the library's tokenizer (DJL's Hugging Face tokenizer on the same
 * {@code tokenizer.json}, special tokens added, truncated at 256 tokens, each batch padded to its longest), runs a
 * plain {@link OrtSession} (ONNX Runtime's default session options) on the default model's encoder file (the patched
 * int8 MiniLM that {@code OnnxValueClassifier.loadDefault()} runs) over batches of 8 texts in input order, mean-pools
 * over the attention mask, L2-normalises, applies the head ({@link HeadJson}), and writes each text's top value.
 *
 * <pre>
 * BareProcess WORK OUT.json
 * </pre>
 * WORK is the work folder {@link Processes} wrote: {@code texts.json}, {@code head.json}, {@code hf/tokenizer.json},
 * {@code hf/onnx/model.onnx}. OUT gets {@code {"texts": n, "top": [class index of each text]}}.
 */
public final class BareProcess {
    /** Texts a batch, in input order. */
    public static final int BATCH = 8;
    /** The default model's maximum sequence length, special tokens included. */
    public static final int MAX_LENGTH = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private BareProcess() {}

    /** Runs the pipeline; exits with status 2 on wrong arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BareProcess WORK OUT.json");
            System.exit(2);
        }
        Path work = Path.of(args[0]);
        List<String> texts = Arrays.asList(JSON.readValue(work.resolve("texts.json").toFile(), String[].class));
        HeadJson.Compiled head = HeadJson.compile(JSON.readTree(work.resolve("head.json").toFile()));
        int[] top = new int[texts.size()];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (HuggingFaceTokenizer tokenizer = tokenizer(work.resolve("hf").resolve("tokenizer.json"));
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(work.resolve("hf").resolve("onnx").resolve("model.onnx")
                        .toString(), options)) {
            boolean tokenTypes = session.getInputNames().contains("token_type_ids");
            for (int start = 0; start < texts.size(); start += BATCH) {
                List<String> batch = texts.subList(start, Math.min(texts.size(), start + BATCH));
                Encoding[] encodings = tokenizer.batchEncode(batch);
                long[][] ids = new long[encodings.length][];
                long[][] mask = new long[encodings.length][];
                for (int j = 0; j < encodings.length; j++) {
                    ids[j] = encodings[j].getIds();
                    mask[j] = encodings[j].getAttentionMask();
                }
                Map<String, OnnxTensor> inputs = new HashMap<>();
                try {
                    inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
                    inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
                    if (tokenTypes) {
                        inputs.put("token_type_ids", OnnxTensor.createTensor(env, new long[ids.length][ids[0].length]));
                    }
                    try (OrtSession.Result result = session.run(inputs)) {
                        OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElse(result.get(0));
                        float[][] pooled = meanPool(hidden.getFloatBuffer(), hidden.getInfo().getShape(), mask);
                        for (int j = 0; j < pooled.length; j++) {
                            top[start + j] = head.top(BareSession.normalized(pooled[j]));
                        }
                    }
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("texts", texts.size());
        Arrays.stream(top).forEach(out.putArray("top")::add);
        Files.write(Path.of(args[1]), JSON.writeValueAsBytes(out));
    }

    /**
     * The library's tokenizer on {@code tokenizerJson} (a file with fixed padding and truncation switched off), set to
     * add the special tokens, truncate at {@value #MAX_LENGTH} tokens and pad each batch to its longest.
     *
     * @throws IOException if the file cannot be read
     */
    static HuggingFaceTokenizer tokenizer(Path tokenizerJson) throws IOException {
        return HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "true", "truncation",
                "true", "maxLength", Integer.toString(MAX_LENGTH), "padding", "true"));
    }

    /** Mean pooling of a {@code [batch, length, dimension]} hidden state over each sequence's attention mask. */
    static float[][] meanPool(FloatBuffer hidden, long[] shape, long[][] mask) {
        int batch = (int) shape[0];
        int length = (int) shape[1];
        int dimension = (int) shape[2];
        float[][] out = new float[batch][dimension];
        for (int j = 0; j < batch; j++) {
            double[] sum = new double[dimension];
            int count = 0;
            for (int t = 0; t < length; t++) {
                if (mask[j][t] == 0) {
                    continue;
                }
                count++;
                int base = (j * length + t) * dimension;
                for (int k = 0; k < dimension; k++) {
                    sum[k] += hidden.get(base + k);
                }
            }
            for (int k = 0; k < dimension; k++) {
                out[j][k] = (float) (sum[k] / Math.max(1, count));
            }
        }
        return out;
    }
}
