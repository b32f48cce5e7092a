package org.valueimprint.benchmarks.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.valueimprint.benchmarks.BenchmarkTexts;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.encoder.SessionSettings;
import org.valueimprint.onnx.internal.OrtSessions;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * The ONNX session alone, on pre-tokenised batches: a bare {@link OrtSession} built from the model's bytes
 * ({@link OnnxTextEncoder#modelBytes()}), its attention fused as the encoder fuses it
 * ({@link OrtSessions#graph}), with the encoder's own session options
 * ({@link OrtSessions#options(SessionSettings)}), run on one batch of {@code batch} real corpus texts'
 * token ids ({@link OnnxTextEncoder#tokenIds(String)}), each cut or right-padded to {@code sequence} tokens (a cut
 * sequence keeps its final special token; padding has the tokenizer's pad id and attention mask 0). The input
 * tensors are built once, over direct buffers; one operation is one {@code session.run}, whose result is closed.
 * The score is batches per second: texts per second is the score times {@code batch}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionBenchmark {
    /** Texts per batch. */
    @Param({"1", "8", "32"})
    public int batch;

    /** Tokens per sequence, padding included. */
    @Param({"64", "128", "256"})
    public int sequence;

    /** The encoder: {@value Models#DEFAULT} (int8) or {@value Models#FP32}. */
    @Param({Models.DEFAULT})
    public String model;

    /** ONNX Runtime intra-op threads. */
    @Param({"1"})
    public int threads;

    private OrtSession session;
    private Map<String, OnnxTensor> inputs;
    /** How many of each sequence's tokens are real (attention mask 1). */
    int[] realTokens;
    /** The model output the encoder reads (its last hidden state). */
    String outputName;

    /** Builds the session and the input tensors. */
    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        EncoderOptions options = EncoderOptions.defaults().withIntraOpThreads(threads);
        List<String> texts = BenchmarkTexts.sample(batch);
        long[][] ids = new long[batch][];
        byte[] modelBytes;
        long padId;
        try (OnnxValueClassifier classifier = Models.classifier(model, options)) {
            OnnxTextEncoder encoder = Models.encoder(classifier);
            for (int i = 0; i < batch; i++) {
                ids[i] = encoder.tokenIds(texts.get(i));
            }
            modelBytes = encoder.modelBytes();
            padId = Models.padId(classifier);
            outputName = encoder.outputName();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SessionSettings settings = SessionSettings.of(options);
        try (OrtSession.SessionOptions so = OrtSessions.options(settings)) {
            session = env.createSession(OrtSessions.graph(modelBytes, settings), so);
        }
        LongBuffer inputIds = directLongs(batch * sequence);
        LongBuffer mask = directLongs(batch * sequence);
        LongBuffer types = directLongs(batch * sequence);
        realTokens = new int[batch];
        for (int i = 0; i < batch; i++) {
            long[] seq = ids[i];
            int real = Math.min(seq.length, sequence);
            realTokens[i] = real;
            for (int t = 0; t < sequence; t++) {
                long id = t < real ? seq[t] : padId;
                if (t == real - 1 && real < seq.length) {
                    id = seq[seq.length - 1]; // a cut sequence still ends with the closing special token
                }
                inputIds.put(id);
                mask.put(t < real ? 1L : 0L);
                types.put(0L);
            }
        }
        inputIds.rewind();
        mask.rewind();
        types.rewind();
        long[] shape = {batch, sequence};
        inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, inputIds, shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask, shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, types, shape));
            }
        } catch (OrtException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    /** Closes the tensors and the session. */
    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (inputs != null) {
            inputs.values().forEach(OnnxTensor::close);
            inputs = null;
        }
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** One run of the model on the batch. */
    @Benchmark
    public void run(Blackhole bh) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            bh.consume(result.get(0));
        }
    }

    /**
     * One run's output that the encoder reads, copied to the heap: {@code [batch, sequence, hidden]} floats,
     * row-major; for {@link PoolingHeadBenchmark}.
     */
    java.nio.FloatBuffer hiddenState() throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            OnnxTensor hidden = (OnnxTensor) result.get(outputName)
                    .orElseThrow(() -> new IllegalStateException("no output " + outputName));
            return hidden.getFloatBuffer();
        }
    }

    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
