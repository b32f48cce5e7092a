package org.valueimprint.onnx.encoder;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What an encoder does with a text whose tokens do not fit its maximum length.
 *
 * <p>Let {@code C} be the content capacity: the maximum length less the special tokens the tokenizer adds around a
 * text ({@code [CLS]} and {@code [SEP]} for BERT models, so {@code C = maxLength - 2}). A text of at most {@code C}
 * content tokens is encoded whole under either policy, so both give the same vector for it.
 *
 * <ul>
 *   <li>{@link Mode#TRUNCATE} (the default): only the first {@code C} content tokens are encoded; the rest of the
 *       text is ignored. Cost does not grow with the text: the encoder tokenizes only a start of a long text that is
 *       sure to hold {@code C} tokens.
 *   <li>{@link Mode#WINDOWS}: the content tokens are cut into windows of {@code C} tokens, consecutive windows
 *       sharing {@code overlap} tokens (Hugging Face calls this the stride), the last window ending at the last
 *       token. Each window gets the special tokens, is encoded and pooled; when the encoder normalises, each window
 *       vector is L2-normalised; the text's vector is the plain mean of its window vectors, L2-normalised again
 *       when the encoder normalises. When a text needs more than {@code maxWindows} windows, {@code maxWindows}
 *       windows are placed evenly from the start to the end of the text instead (the first starts at the first
 *       token, the last ends at the last token), so the whole text is sampled at a bounded cost; the tokens between
 *       them are then not seen. The whole text is tokenized.
 * </ul>
 *
 * @param mode truncate or windows
 * @param overlap tokens shared by consecutive windows; at least 0 and, checked when an encoder is built, less than
 *     {@code C}. Ignored by {@link Mode#TRUNCATE}
 * @param maxWindows the most windows per text; at least 1. Ignored by {@link Mode#TRUNCATE}
 */
public record LongTextPolicy(Mode mode, int overlap, int maxWindows) {
    /** The default overlap of {@link #windows()}, in tokens. */
    public static final int DEFAULT_OVERLAP = 64;
    /** The default most windows per text of {@link #windows()}. */
    public static final int DEFAULT_MAX_WINDOWS = 16;

    /** The two policies. */
    public enum Mode {
        /** Keep the first tokens that fit. */
        TRUNCATE,
        /** Encode overlapping windows and average them. */
        WINDOWS
    }

    /** Validates the components. */
    public LongTextPolicy {
        requireNonNull(mode, "mode");
        checkArgument(overlap >= 0, "overlap must be at least 0, was %s", overlap);
        checkArgument(maxWindows >= 1, "maxWindows must be at least 1, was %s", maxWindows);
    }

    /** Keep the first tokens that fit (the default policy). */
    public static LongTextPolicy truncate() {
        return new LongTextPolicy(Mode.TRUNCATE, 0, 1);
    }

    /** Windows with the default overlap ({@value #DEFAULT_OVERLAP}) and at most {@value #DEFAULT_MAX_WINDOWS} per text. */
    public static LongTextPolicy windows() {
        return windows(DEFAULT_OVERLAP, DEFAULT_MAX_WINDOWS);
    }

    /** Windows sharing {@code overlap} tokens, at most {@code maxWindows} per text. */
    public static LongTextPolicy windows(int overlap, int maxWindows) {
        return new LongTextPolicy(Mode.WINDOWS, overlap, maxWindows);
    }

    /** A short description for provenance, such as {@code truncate} or {@code windows(overlap=64,max=16)}. */
    public String describe() {
        return mode == Mode.TRUNCATE ? "truncate" : "windows(overlap=" + overlap + ",max=" + maxWindows + ")";
    }
}
