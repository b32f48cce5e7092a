package org.valueimprint.onnx.encoder;

import java.util.List;

/**
 * Turns texts into fixed-length vectors (sentence embeddings). Implementations hold native resources, released by
 * {@link #close()}, and are thread-safe: any number of threads may call {@link #embed(List)} and
 * {@link #countTokens(String)} at once. For a given encoder, the same input list always gives bit-identical
 * vectors, whatever the threads; how a list is cut into batches is the implementation's documented, input-only rule
 * (see {@link BatchPolicy}).
 *
 * <pre>{@code
 * try (TextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"))) {
 *     float[][] vectors = encoder.embed(List.of("Human: How do vaccines work?", "Human: Tell me a joke."));
 *     double cosine = 0;
 *     for (int i = 0; i < encoder.dimension(); i++) {
 *         cosine += vectors[0][i] * vectors[1][i]; // unit vectors: the dot product is the cosine
 *     }
 *     TextBudget budget = TextBudget.tokens(encoder.info().maxLength(), encoder::countTokens);
 * }
 * }</pre>
 */
public interface TextEncoder extends AutoCloseable {
    /** The length of every vector. */
    int dimension();

    /**
     * One vector of {@link #dimension()} floats per text, in input order; fresh arrays the caller owns. When
     * {@link EncoderInfo#normalized()} is true (the default) every vector has unit L2 norm. An empty text is encoded
     * like any other (from the special tokens alone); a text longer than {@link EncoderInfo#maxLength()} tokens is
     * handled by {@link EncoderInfo#longTextPolicy()}. An empty list gives an empty array.
     *
     * @throws NullPointerException if the list or one of its texts is null
     * @throws IllegalStateException if the encoder is closed
     * @throws org.valueimprint.classify.ModelException if the model fails on the input
     */
    float[][] embed(List<String> texts);

    /** The vector of one text: {@code embed(List.of(text))[0]}. */
    default float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /** What this encoder is and how it encodes, for provenance. */
    EncoderInfo info();

    /**
     * The number of tokens the model would see for {@code text} if nothing were cut: the text prefix and the special
     * tokens included. A text fits in one sequence when this is at most {@link EncoderInfo#maxLength()}, so
     * {@code TextBudget.tokens(info().maxLength(), encoder::countTokens)} cuts texts to what the encoder sees whole.
     * The whole text is tokenized.
     *
     * @throws IllegalStateException if the encoder is closed
     */
    int countTokens(String text);

    /**
     * Releases the native resources; waits for calls in progress. Idempotent; afterwards {@link #embed(List)} and
     * {@link #countTokens(String)} fail, while {@link #dimension()} and {@link #info()} still answer.
     */
    @Override
    void close();
}
