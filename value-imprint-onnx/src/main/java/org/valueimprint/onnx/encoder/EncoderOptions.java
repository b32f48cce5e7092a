package org.valueimprint.onnx.encoder;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How an {@link OnnxTextEncoder} encodes. Immutable; start from {@link #defaults()} and change one setting at a time
 * with the {@code with...} methods:
 *
 * <pre>{@code
 * EncoderOptions options = EncoderOptions.defaults()
 *         .withMaxLength(512)
 *         .withLongTextPolicy(LongTextPolicy.windows())
 *         .withIntraOpThreads(2);
 * }</pre>
 *
 * @param pooling the pooling; empty means the source's own ({@link EncoderSource#defaultPooling()})
 * @param normalize whether vectors are L2-normalised (default true)
 * @param maxLength the most tokens of one sequence, special tokens included; at least 1 (default
 *     {@value #DEFAULT_MAX_LENGTH}). Checked against the model when the encoder is built: the model must accept a
 *     sequence this long (512 for the BERT-style models), and it must exceed the special tokens around a text
 * @param longTextPolicy what happens to texts longer than {@code maxLength} (default
 *     {@link LongTextPolicy#truncate()})
 * @param textPrefix what is put before every text, such as e5's {@code "query: "}; empty means the source's own
 *     ({@link EncoderSource#defaultTextPrefix()}); {@code Optional.of("")} means none
 * @param intraOpThreads ONNX Runtime threads inside one operator; 0 lets ONNX Runtime choose (the physical cores)
 * @param interOpThreads ONNX Runtime threads across operators; 0 lets ONNX Runtime choose
 * @param spinWait whether ONNX Runtime's idle worker threads spin instead of sleeping (default false). Spinning can
 *     shave latency on an otherwise idle machine, but burns the cores other work needs: on 2 shared cores it made
 *     2-thread inference 2.6 times slower (12.5 against 32 texts/s), so it is off unless asked for
 * @param optimization the graph optimisation level (default {@link GraphOptimization#ALL})
 * @param fuseAttention whether the library fuses each layer's self-attention into one ONNX Runtime
 *     {@code MultiHeadAttention} operator before the session is made (default true; only at optimisation
 *     {@link GraphOptimization#EXTENDED} or {@link GraphOptimization#ALL}). ONNX Runtime's own optimiser does not fuse
 *     the attention of the quantised MiniLM and e5 graphs; fused, the default model runs 1.02 to 1.04 times faster
 *     on 2 cores with identical predictions (benchmarks/README.md). A graph without the exported BERT pattern, or one
 *     whose four copies do not fit in the maximum heap, is run as it is
 * @param batchPolicy how sequences are grouped into batches (default {@link BatchPolicy#defaults()})
 */
public record EncoderOptions(
        Optional<Pooling> pooling,
        boolean normalize,
        int maxLength,
        LongTextPolicy longTextPolicy,
        Optional<String> textPrefix,
        int intraOpThreads,
        int interOpThreads,
        boolean spinWait,
        GraphOptimization optimization,
        boolean fuseAttention,
        BatchPolicy batchPolicy) {
    /** The default maximum sequence length, in tokens. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    /** Validates the components. */
    public EncoderOptions {
        requireNonNull(pooling, "pooling");
        requireNonNull(longTextPolicy, "longTextPolicy");
        requireNonNull(textPrefix, "textPrefix");
        requireNonNull(optimization, "optimization");
        requireNonNull(batchPolicy, "batchPolicy");
        checkArgument(maxLength >= 1, "maxLength must be positive, was %s", maxLength);
        checkArgument(intraOpThreads >= 0, "intraOpThreads must be at least 0, was %s", intraOpThreads);
        checkArgument(interOpThreads >= 0, "interOpThreads must be at least 0, was %s", interOpThreads);
    }

    /**
     * The source's pooling and prefix, normalised vectors, 256 tokens, truncation, ONNX Runtime's thread counts
     * without spinning, every graph optimisation and attention fusion, the default batch policy.
     */
    public static EncoderOptions defaults() {
        return new EncoderOptions(Optional.empty(), true, DEFAULT_MAX_LENGTH, LongTextPolicy.truncate(),
                Optional.empty(), 0, 0, false, GraphOptimization.ALL, true, BatchPolicy.defaults());
    }

    /** These options with the given pooling instead of the source's. */
    public EncoderOptions withPooling(Pooling pooling) {
        return new EncoderOptions(Optional.of(pooling), normalize, maxLength, longTextPolicy, textPrefix,
                intraOpThreads, interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with normalisation on or off. */
    public EncoderOptions withNormalize(boolean normalize) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with another maximum sequence length. */
    public EncoderOptions withMaxLength(int maxLength) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with another long-text policy. */
    public EncoderOptions withLongTextPolicy(LongTextPolicy longTextPolicy) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with the given prefix before every text instead of the source's ({@code ""} for none). */
    public EncoderOptions withTextPrefix(String textPrefix) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, Optional.of(textPrefix),
                intraOpThreads, interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with another intra-op thread count (0: ONNX Runtime's choice). */
    public EncoderOptions withIntraOpThreads(int intraOpThreads) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with another inter-op thread count (0: ONNX Runtime's choice). */
    public EncoderOptions withInterOpThreads(int interOpThreads) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with ONNX Runtime's idle threads spinning or sleeping. */
    public EncoderOptions withSpinWait(boolean spinWait) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with another graph optimisation level. */
    public EncoderOptions withOptimization(GraphOptimization optimization) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with the library's attention fusion on or off (see {@link #fuseAttention()}). */
    public EncoderOptions withFuseAttention(boolean fuseAttention) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }

    /** These options with another batch policy. */
    public EncoderOptions withBatchPolicy(BatchPolicy batchPolicy) {
        return new EncoderOptions(pooling, normalize, maxLength, longTextPolicy, textPrefix, intraOpThreads,
                interOpThreads, spinWait, optimization, fuseAttention, batchPolicy);
    }
}
