package org.valueimprint.benchmarks.harness;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.Pooling;
import org.valueimprint.onnx.encoder.SessionSettings;
import org.valueimprint.onnx.internal.OrtSessions;

/**
 * The bare limit: a plain ONNX Runtime session on the encoder's model file, with the encoder's session options, fed
 * batches whose input tensors are built in advance from direct buffers. {@link #runAll} does nothing but
 * {@code session.run} and close each result: no tokenising, padding, pooling or head.
 */
public final class BareSession implements AutoCloseable {
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String outputName;
    private final boolean tokenTypes;

    /**
     * A session on {@code model} with the encoder's session settings for {@code options} ({@link OrtSessions}), its
     * attention fused as the encoder fuses it ({@link OrtSessions#graph}), reading {@code outputName}.
     *
     * @throws OrtException if ONNX Runtime cannot load the model
     */
    public BareSession(byte[] model, EncoderOptions options, String outputName) throws OrtException {
        SessionSettings settings = SessionSettings.of(options);
        try (OrtSession.SessionOptions so = OrtSessions.options(settings)) {
            this.session = env.createSession(OrtSessions.graph(model, settings), so);
        }
        this.outputName = outputName;
        this.tokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
    }

    /** One batch's input tensors, built in advance; the caller closes it. */
    public static final class Batch implements AutoCloseable {
        final int[] members;
        final int[] realTokens;
        final int length;
        final Map<String, OnnxTensor> inputs;

        Batch(int[] members, int[] realTokens, int length, Map<String, OnnxTensor> inputs) {
            this.members = members;
            this.realTokens = realTokens;
            this.length = length;
            this.inputs = inputs;
        }

        @Override
        public void close() {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The input tensors of every batch of {@code workload}, each padded to its longest sequence with {@code padId}
     * (attention mask 0 there), token types 0 when the model takes them; the caller closes each.
     *
     * @throws OrtException if a tensor cannot be made
     */
    public List<Batch> prepare(Workload workload, long padId) throws OrtException {
        List<Batch> out = new ArrayList<>(workload.batches().size());
        try {
            for (int[] members : workload.batches()) {
                int b = members.length;
                int length = 0;
                int[] real = new int[b];
                for (int j = 0; j < b; j++) {
                    real[j] = workload.tokenIds()[members[j]].length;
                    length = Math.max(length, real[j]);
                }
                LongBuffer ids = directLongs(b * length);
                LongBuffer mask = directLongs(b * length);
                for (int j = 0; j < b; j++) {
                    long[] seq = workload.tokenIds()[members[j]];
                    ids.put(seq);
                    for (int t = 0; t < length; t++) {
                        mask.put(t < seq.length ? 1L : 0L);
                    }
                    for (int t = seq.length; t < length; t++) {
                        ids.put(padId);
                    }
                }
                ids.rewind();
                mask.rewind();
                long[] shape = {b, length};
                Map<String, OnnxTensor> inputs = new HashMap<>();
                inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, ids, shape));
                inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, mask, shape));
                if (tokenTypes) {
                    inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, directLongs(b * length), shape));
                }
                out.add(new Batch(members, real, length, inputs));
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            out.forEach(Batch::close);
            throw e;
        }
    }

    /**
     * Runs every batch once, closing each result: the timed loop.
     *
     * @throws OrtException if a run fails
     */
    public void runAll(List<Batch> batches) throws OrtException {
        Set<String> wanted = Set.of(outputName);
        for (Batch batch : batches) {
            try (OrtSession.Result result = session.run(batch.inputs, wanted)) {
                if (result.size() != 1) {
                    throw new IllegalStateException("expected one output, got " + result.size());
                }
            }
        }
    }

    /**
     * The L2-normalised mean-pooled embedding of each text of the given batches, indexed like the workload's texts
     * ({@code null} for texts in no given batch): for the equivalence check, never timed.
     *
     * @throws OrtException if a run fails
     */
    public float[][] embeddings(List<Batch> batches, int texts) throws OrtException {
        float[][] out = new float[texts][];
        for (Batch batch : batches) {
            try (OrtSession.Result result = session.run(batch.inputs, Set.of(outputName))) {
                OnnxValue value = result.get(0);
                OnnxTensor tensor = (OnnxTensor) value;
                long[] shape = tensor.getInfo().getShape();
                FloatBuffer hidden = tensor.getFloatBuffer();
                for (int j = 0; j < batch.members.length; j++) {
                    out[batch.members[j]] = normalized(Pooling.MEAN.pool(hidden, j, batch.length, (int) shape[2],
                            batch.realTokens[j]));
                }
            }
        }
        return out;
    }

    /** The ONNX Runtime version of the Java binding. */
    public String runtimeVersion() {
        return env.getVersion();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    static float[] normalized(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        double inv = sq == 0 ? 1 : 1 / Math.sqrt(sq);
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = (float) (v[k] * inv);
        }
        return out;
    }

    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
