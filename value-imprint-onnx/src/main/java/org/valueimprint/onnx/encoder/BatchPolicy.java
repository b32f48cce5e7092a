package org.valueimprint.onnx.encoder;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How an encoder groups sequences into batches, so that little compute is spent on padding.
 *
 * <p>The input of one {@code embed} call is cut, in input order, into windows of {@code window} texts. Inside a
 * window, the texts' sequences (one per text, or several under {@link LongTextPolicy.Mode#WINDOWS}) are sorted by
 * token count (ties keep input order) and cut greedily into batches: a sequence joins the current batch unless the
 * batch already holds {@code maxBatchSize} sequences or the padded size, {@code (batch size + 1) x its token count},
 * would exceed {@code maxPaddedTokens}. A sequence longer than the whole budget forms a batch of its own. Each batch
 * is padded to its longest sequence only. Results are returned in input order.
 *
 * <p>Batches depend on the input alone, never on threads or timing. This matters: the int8 encoders quantise
 * activations per batch, so a text's vector moves slightly with its batch-mates (cosine about 0.99); the same list
 * always gives bit-identical vectors. A text embedded in a different list may get a slightly different vector.
 *
 * @param window texts sorted together; at least 1 (default {@value #DEFAULT_WINDOW})
 * @param maxPaddedTokens the most tokens in a batch, padding included; at least 1 (default
 *     {@value #DEFAULT_MAX_PADDED_TOKENS})
 * @param maxBatchSize the most sequences in a batch; at least 1 (default {@value #DEFAULT_MAX_BATCH_SIZE})
 */
public record BatchPolicy(int window, int maxPaddedTokens, int maxBatchSize) {
    /** Default texts sorted together. */
    public static final int DEFAULT_WINDOW = 512;
    /** Default most tokens of a batch, padding included. */
    public static final int DEFAULT_MAX_PADDED_TOKENS = 8192;
    /** Default most sequences of a batch. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 32;

    /** Validates the components. */
    public BatchPolicy {
        checkArgument(window >= 1, "window must be at least 1, was %s", window);
        checkArgument(maxPaddedTokens >= 1, "maxPaddedTokens must be at least 1, was %s", maxPaddedTokens);
        checkArgument(maxBatchSize >= 1, "maxBatchSize must be at least 1, was %s", maxBatchSize);
    }

    /** Windows of 512 texts, 8,192 padded tokens and 32 sequences a batch at most. */
    public static BatchPolicy defaults() {
        return new BatchPolicy(DEFAULT_WINDOW, DEFAULT_MAX_PADDED_TOKENS, DEFAULT_MAX_BATCH_SIZE);
    }

    /**
     * One sequence a batch, in input order: each text's vector then depends on that text alone (useful to compare
     * with a reference implementation; slow).
     */
    public static BatchPolicy single() {
        return new BatchPolicy(1, 1, 1);
    }

    /** This policy with another window. */
    public BatchPolicy withWindow(int window) {
        return new BatchPolicy(window, maxPaddedTokens, maxBatchSize);
    }

    /** This policy with another padded-token budget. */
    public BatchPolicy withMaxPaddedTokens(int maxPaddedTokens) {
        return new BatchPolicy(window, maxPaddedTokens, maxBatchSize);
    }

    /** This policy with another most sequences a batch. */
    public BatchPolicy withMaxBatchSize(int maxBatchSize) {
        return new BatchPolicy(window, maxPaddedTokens, maxBatchSize);
    }

    /**
     * Cuts the sequences of one window into batches, given each sequence's token count. Every index of
     * {@code lengths} appears in exactly one batch; within a batch, indices are in ascending order of length (ties
     * in ascending index); batches are in ascending order of length. Public so that benchmarks can feed a bare
     * runtime exactly the batches an encoder runs.
     */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> lengths[a] != lengths[b] ? Integer.compare(lengths[a], lengths[b])
                : Integer.compare(a, b));
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int end = start + 1; // the first sequence always fits, even when longer than the budget
            while (end < order.length && end - start < maxBatchSize
                    && (long) (end - start + 1) * lengths[order[end]] <= maxPaddedTokens) {
                end++;
            }
            int[] batch = new int[end - start];
            for (int i = start; i < end; i++) {
                batch[i - start] = order[i];
            }
            batches.add(batch);
            start = end;
        }
        return batches;
    }

    /**
     * The padding waste of a plan: padded tokens (over all batches, each padded to its longest sequence) divided by
     * real tokens, less 1; 0 when nothing is padded or there are no tokens.
     */
    public static double paddingWaste(int[] lengths, List<int[]> batches) {
        long real = 0;
        long padded = 0;
        for (int[] batch : batches) {
            int max = 0;
            for (int i : batch) {
                real += lengths[i];
                max = Math.max(max, lengths[i]);
            }
            padded += (long) max * batch.length;
        }
        return real == 0 ? 0 : (double) padded / real - 1;
    }
}
