package org.valueimprint.train;

import java.util.Locale;

/**
 * The architecture of a classifier head put on an encoder's embeddings: what a {@link TrainingRequest} asks for and
 * what a trained head reports. One name for both, so a request's choice and the trained head's kind cannot drift.
 */
public enum HeadKind {
    /** A linear layer followed by softmax (multinomial logistic regression), or independent sigmoids. */
    SOFTMAX,
    /** One hidden ReLU layer, then a linear layer and softmax (or sigmoids). */
    MLP;

    /** The lower-case name used on the command line and in model ids, such as {@code softmax}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind whose {@link #key()} is {@code key}, ignoring case and surrounding white space.
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if no kind has that key; the message lists the keys
     */
    public static HeadKind fromKey(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        for (HeadKind h : values()) {
            if (h.key().equals(k)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown head \"" + key + "\"; heads: softmax, mlp");
    }
}
