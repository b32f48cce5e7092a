package org.valueimprint.io;

/**
 * Keeps data out of messages: a value quoted in a problem's description (by Jackson, a format or a reader) is cut to
 * a few dozen characters, so that a 1 MB field never reaches standard error or a report.
 */
final class Excerpts {
    /** The characters of a quoted value kept in a message. */
    static final int QUOTED_CHARS = 40;
    /** The characters of one line of a message kept. */
    static final int LINE_CHARS = 500;

    private Excerpts() {}

    /**
     * The text with every double-quoted value longer than {@link #QUOTED_CHARS} cut to that many characters, and
     * every single-quoted run without blanks (Jackson quotes tokens so) likewise; then every line cut to
     * {@link #LINE_CHARS}. A cut is marked with {@code "..."} and the number of characters left out.
     */
    static String cut(String text) {
        if (text.length() <= QUOTED_CHARS) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 2 * LINE_CHARS));
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int close = closing(text, i + 1, c);
                int length = close - i - 1;
                if (close > 0 && length > QUOTED_CHARS && (c == '"' || !hasBlank(text, i + 1, close))) {
                    out.append(text, i, i + 1 + QUOTED_CHARS).append("...(").append(length - QUOTED_CHARS)
                            .append(" more chars)").append(c);
                    i = close + 1;
                    continue;
                }
                if (close > 0 && c == '"') {
                    out.append(text, i, close + 1);
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return cutLines(out.toString());
    }

    /** The index of the quote closing a value that starts at {@code from}, or -1 when there is none. */
    private static int closing(String text, int from, char quote) {
        return text.indexOf(quote, from);
    }

    private static boolean hasBlank(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String cutLines(String text) {
        if (text.length() <= LINE_CHARS) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            int stop = end < 0 ? text.length() : end;
            if (stop - start > LINE_CHARS) {
                out.append(text, start, start + LINE_CHARS).append("...(").append(stop - start - LINE_CHARS)
                        .append(" more chars)");
            } else {
                out.append(text, start, stop);
            }
            if (end < 0) {
                break;
            }
            out.append('\n');
            start = end + 1;
        }
        return out.toString();
    }
}
