package org.valueimprint.onnx.encoder;

import java.nio.FloatBuffer;

/** How the token vectors of a transformer's last hidden state become one vector per sequence. */
public enum Pooling {
    /**
     * The mean of the vectors of the real tokens (attention mask 1, special tokens included, padding excluded), the
     * way sentence-transformers pools all-MiniLM-L6-v2 and e5.
     */
    MEAN,
    /** The vector of the first token ({@code [CLS]}), the way bge pools. */
    CLS,
    /**
     * No pooling: the model already gives one vector per sequence, a float output {@code [batch, k]} (such as the
     * {@code logits} of a Hugging Face sequence-classification export, or a sentence-transformers
     * {@code sentence_embedding}), which is returned as is (then L2-normalised only when the options say so). The
     * encoder reads the output named {@code logits}, else {@code sentence_embedding}, else the first float output of
     * rank 2. Never the default of a source.
     */
    NONE;

    /**
     * Pools one sequence of a last hidden state: {@code hidden} holds {@code [batch, length, dim]} floats, row-major,
     * with each sequence's {@code realTokens} real tokens first and padding after. {@link #MEAN} averages the real
     * tokens' vectors (summing in double precision); {@link #CLS} copies the first token's vector.
     *
     * @param hidden the hidden state; its position is ignored and left unchanged
     * @param sequence which sequence of the batch
     * @param length the padded length of the batch
     * @param dim the hidden size
     * @param realTokens the sequence's real tokens, from 1 to {@code length}
     * @return a new vector of {@code dim} floats
     * @throws UnsupportedOperationException for {@link #NONE}, which has no hidden state to pool
     * @throws IllegalArgumentException if {@code realTokens} is outside 1 to {@code length}
     */
    public float[] pool(FloatBuffer hidden, int sequence, int length, int dim, int realTokens) {
        if (realTokens < 1 || realTokens > length) {
            throw new IllegalArgumentException("realTokens must be in 1.." + length + ", was " + realTokens);
        }
        int base = sequence * length * dim;
        float[] v = new float[dim];
        switch (this) {
            case CLS -> hidden.get(base, v);
            case MEAN -> {
                double[] sum = new double[dim];
                for (int t = 0; t < realTokens; t++) {
                    int row = base + t * dim;
                    for (int k = 0; k < dim; k++) {
                        sum[k] += hidden.get(row + k);
                    }
                }
                for (int k = 0; k < dim; k++) {
                    v[k] = (float) (sum[k] / realTokens);
                }
            }
            case NONE -> throw new UnsupportedOperationException("Pooling.NONE pools nothing");
        }
        return v;
    }
}
