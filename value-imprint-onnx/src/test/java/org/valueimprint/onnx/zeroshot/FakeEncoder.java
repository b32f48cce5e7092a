package org.valueimprint.onnx.zeroshot;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.EncoderInfo;
import org.valueimprint.onnx.encoder.LongTextPolicy;
import org.valueimprint.onnx.encoder.Pooling;
import org.valueimprint.onnx.encoder.TextEncoder;

/**
 * A test encoder with vectors chosen by hand: a text in the map gets its vector (not normalised, so that the
 * classifier's own normalisation is exercised); any other text a fixed pseudo-random vector seeded by its hash.
 * Counts its calls and closes; can be told to fail.
 */
final class FakeEncoder implements TextEncoder {
    private final Map<String, float[]> vectors;
    private final int dimension;
    private final boolean failing;
    final AtomicInteger embedCalls = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    private volatile boolean closed;

    FakeEncoder(int dimension, Map<String, float[]> vectors) {
        this(dimension, vectors, false);
    }

    private FakeEncoder(int dimension, Map<String, float[]> vectors, boolean failing) {
        this.dimension = dimension;
        this.vectors = new HashMap<>(vectors);
        this.failing = failing;
    }

    /** An encoder whose every {@link #embed(List)} throws. */
    static FakeEncoder failing() {
        return new FakeEncoder(3, Map.of(), true);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] embed(List<String> texts) {
        if (closed) {
            throw new IllegalStateException("the encoder is closed");
        }
        if (failing) {
            throw new IllegalStateException("this encoder always fails");
        }
        embedCalls.incrementAndGet();
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] v = vectors.get(texts.get(i));
            if (v == null) {
                Random random = new Random(texts.get(i).hashCode());
                v = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    v[d] = (float) random.nextGaussian();
                }
            }
            out[i] = v.clone();
        }
        return out;
    }

    @Override
    public EncoderInfo info() {
        return new EncoderInfo("fake", "test", "0".repeat(64), dimension, Pooling.MEAN, 256, false, "",
                LongTextPolicy.truncate(), BatchPolicy.defaults());
    }

    @Override
    public int countTokens(String text) {
        return text.split(" ").length + 2;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }
}
