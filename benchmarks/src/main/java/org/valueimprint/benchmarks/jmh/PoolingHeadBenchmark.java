package org.valueimprint.benchmarks.jmh;

import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.Pooling;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * Pooling and head, after the model: {@link Pooling#MEAN} over a last hidden state produced once, at set-up, by a
 * real run of the default model's encoder on {@value #TEXTS} corpus texts (padded to 256 tokens; pooling reads the
 * real tokens only), then the default model's head ({@link OnnxValueClassifier#head()}) on the pooled, L2-normalised
 * vectors, as the classifier does. Three measurements: pooling alone, the head alone (on vectors pooled at set-up),
 * and both. The scores are texts per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PoolingHeadBenchmark {
    /** Texts (sequences) per invocation. */
    public static final int TEXTS = 32;
    private static final int SEQUENCE = 256;

    private FloatBuffer hidden;
    private int dimension;
    private int[] realTokens;
    private float[][] pooled;
    private Head head;

    /** Runs the encoder once, keeps its hidden state, and loads the head. */
    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        SessionBenchmark session = new SessionBenchmark();
        session.batch = TEXTS;
        session.sequence = SEQUENCE;
        session.model = Models.DEFAULT;
        session.threads = 0;
        session.setUp();
        try {
            hidden = session.hiddenState();
            realTokens = session.realTokens.clone();
        } finally {
            session.tearDown();
        }
        dimension = hidden.capacity() / (TEXTS * SEQUENCE);
        try (OnnxValueClassifier classifier = Models.classifier(Models.DEFAULT, EncoderOptions.defaults())) {
            head = classifier.head();
        }
        if (head.inputDimension() != dimension) {
            throw new IllegalStateException("the head takes " + head.inputDimension() + " floats, the hidden state has "
                    + dimension);
        }
        pooled = new float[TEXTS][];
        for (int i = 0; i < TEXTS; i++) {
            pooled[i] = normalized(Pooling.MEAN.pool(hidden, i, SEQUENCE, dimension, realTokens[i]));
        }
    }

    /** Mean pooling of every sequence. */
    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public void pool(Blackhole bh) {
        for (int i = 0; i < TEXTS; i++) {
            bh.consume(Pooling.MEAN.pool(hidden, i, SEQUENCE, dimension, realTokens[i]));
        }
    }

    /** The head's probabilities for every pooled vector. */
    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public void head(Blackhole bh) {
        for (int i = 0; i < TEXTS; i++) {
            bh.consume(head.probabilities(pooled[i]));
        }
    }

    /** Pooling, normalisation and the head, for every sequence. */
    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public void poolAndHead(Blackhole bh) {
        for (int i = 0; i < TEXTS; i++) {
            float[] v = normalized(Pooling.MEAN.pool(hidden, i, SEQUENCE, dimension, realTokens[i]));
            bh.consume(head.probabilities(v));
        }
    }

    /** The pooled, normalised vectors, for tests. */
    float[][] pooled() {
        return pooled;
    }

    /** v scaled to unit length, as the encoder does before the head. */
    static float[] normalized(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        if (sq == 0) {
            return v;
        }
        double inv = 1 / Math.sqrt(sq);
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (v[k] * inv);
        }
        return v;
    }
}
