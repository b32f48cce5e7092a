package org.valueimprint.data;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.function.ToIntFunction;

/**
 * How much of a text a classifier sees. A text within budget is returned unchanged; a longer one is cut at a word
 * boundary and marked with {@value #ELLIPSIS} appended, the way the annotated Value Imprint corpus was cut
 * (1,200 characters). The start of the text is kept.
 */
@FunctionalInterface
public interface TextBudget {
    /** What is appended to a text that was cut: a space and a horizontal ellipsis. */
    String ELLIPSIS = " \u2026";

    /** The text itself if within budget, otherwise its longest start that fits, cut at a word boundary. */
    String fit(String text);

    /** No limit: every text is returned unchanged. */
    static TextBudget unlimited() {
        return text -> text;
    }

    /**
     * At most {@code maxChars} characters before the ellipsis, cut at the last whitespace at or before that limit
     * (or exactly at the limit when a single word is longer). Never splits a surrogate pair.
     */
    static TextBudget chars(int maxChars) {
        checkArgument(maxChars > 0, "maxChars must be positive, was %s", maxChars);
        return text -> text.length() <= maxChars ? text : cutAt(text, maxChars) + ELLIPSIS;
    }

    /**
     * At most {@code maxTokens} tokens, as counted by {@code tokenCounter} (for example a classifier's tokenizer),
     * ellipsis included: the longest start cut at a word boundary that fits. Uses a binary search over word
     * boundaries, so the counter is called O(log n) times.
     */
    static TextBudget tokens(int maxTokens, ToIntFunction<String> tokenCounter) {
        checkArgument(maxTokens > 0, "maxTokens must be positive, was %s", maxTokens);
        requireNonNull(tokenCounter, "tokenCounter");
        return text -> {
            if (tokenCounter.applyAsInt(text) <= maxTokens) {
                return text;
            }
            int lo = 0; // longest known-good prefix length in chars (0 always "fits" as an empty string)
            int hi = text.length();
            String best = "";
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                String candidate = cutAt(text, mid) + ELLIPSIS;
                if (tokenCounter.applyAsInt(candidate) <= maxTokens) {
                    best = candidate;
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return best.isEmpty() ? ELLIPSIS.strip() : best;
        };
    }

    /** The start of {@code text} of at most {@code limit} chars, cut at a whitespace when there is one. */
    private static String cutAt(String text, int limit) {
        int end = Math.min(limit, text.length());
        if (end < text.length() && Character.isLowSurrogate(text.charAt(end)) && end > 0) {
            end--;
        }
        if (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            int space = end - 1;
            while (space > 0 && !Character.isWhitespace(text.charAt(space))) {
                space--;
            }
            if (space > 0) {
                end = space;
            }
        }
        return text.substring(0, end).stripTrailing();
    }
}
