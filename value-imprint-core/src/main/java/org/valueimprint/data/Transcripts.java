package org.valueimprint.data;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads dialogue transcripts written as plain text with role markers back into {@link Conversation}s: the hh-rlhf
 * rendering ({@code "\n\nHuman: Hi\n\nAssistant: Hello"}) and the corpus rendering that
 * {@link Conversation#render()} produces ({@code "Human: Hi\n\nAssistant: Hello"}).
 *
 * <pre>{@code
 * Conversation c = Transcripts.parse("\n\nHuman: Hi\n\nAssistant: Hello");
 * // [Turn[USER, "Hi"], Turn[ASSISTANT, "Hello"]]
 * }</pre>
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>A <em>marker</em> is {@code Human:}, {@code Assistant:} or {@code System:} (exact case) at the start of the
 *       text or right after a blank line ({@code "\n\n"}), together with the single space after the colon when
 *       there is one. The blank line before a marker separates turns and belongs to neither. A turn's text runs
 *       from its marker to the next blank-line-and-marker or the end, and is kept exactly (extra spaces and
 *       newlines included). Role words elsewhere ({@code "  Human: ..."} mid-line, {@code "Humans:"}) are text.
 *   <li>Markers that do not alternate are kept as they come: two {@code Assistant:} markers in a row give two
 *       assistant turns; turns are never merged or reordered.
 *   <li>Text before the first marker: dropped when it is only whitespace (hh-rlhf's leading blank line); otherwise
 *       a {@link Role#SYSTEM system} turn, the way Anthropic's text prompts carry a system prompt before the first
 *       {@code "\n\nHuman:"}. A text with no marker at all is one {@link Role#USER user} turn (a plain prompt), or
 *       no turn when it is only whitespace.
 *   <li>A role name without its colon in a marker's place, followed by a blank line and a marker or by the end of
 *       the text, is a broken marker and is dropped. hh-rlhf has {@code "...fine.\n\nHuman\n\nHuman: how do i
 *       clean it?"} (10 times, in both sides of three pairs of the test split), read as an assistant turn ending
 *       {@code "fine."} and the human turn after it, and six transcripts that end in a cut-off {@code "\n\nHuman"}.
 *   <li>A marker at the very end with nothing after it, not even its space (the {@code "\n\nAssistant:"} that
 *       prompts end with to cue a reply), yields no turn.
 * </ul>
 *
 * <p>So {@code parse(c.render())} equals {@code c} for every conversation whose turn texts hold no blank line
 * followed by a marker and do not end in a blank line and a bare role name. Parsing never throws on a non-null
 * string, and parsing a rendered parse changes nothing: {@code parse(parse(s).render())} equals {@code parse(s)}.
 */
public final class Transcripts {
    private static final String BLANK_LINE = "\n\n";
    private static final Role[] ROLES = Role.values();

    private Transcripts() {}

    /** A marker found in a transcript. */
    private record Marker(int separator, int textStart, Role role, boolean spaced) {}

    /**
     * Reads a transcript into its turns, following the rules above.
     *
     * @param transcript the text, in the hh-rlhf or the corpus rendering (or plain text)
     * @return the turns; empty for an empty or blank text
     */
    public static Conversation parse(String transcript) {
        requireNonNull(transcript, "transcript");
        List<Turn> turns = new ArrayList<>();
        Marker marker = find(transcript, 0);
        if (marker == null) {
            String text = transcript.substring(0, textEnd(transcript, 0, transcript.length()));
            if (!text.isBlank()) {
                turns.add(Turn.user(text));
            }
            return new Conversation(turns);
        }
        String preamble = transcript.substring(0, textEnd(transcript, 0, marker.separator()));
        if (!preamble.isBlank()) {
            turns.add(Turn.system(preamble));
        }
        while (marker != null) {
            int start = marker.textStart();
            Marker next = find(transcript, start);
            int end = textEnd(transcript, start, next == null ? transcript.length() : next.separator());
            if (next != null || marker.spaced() || end > start) {
                turns.add(new Turn(marker.role(), transcript.substring(start, end)));
            }
            marker = next;
        }
        return new Conversation(turns);
    }

    /** The first marker whose separator starts at or after {@code from}, or null. */
    private static Marker find(String s, int from) {
        if (from == 0) {
            Marker atStart = markerAt(s, 0, 0);
            if (atStart != null) {
                return atStart;
            }
        }
        for (int i = s.indexOf(BLANK_LINE, from); i >= 0; i = s.indexOf(BLANK_LINE, i + 1)) {
            Marker m = markerAt(s, i, i + BLANK_LINE.length());
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /** The marker whose role name starts at {@code name}, or null when there is none there. */
    private static Marker markerAt(String s, int separator, int name) {
        for (Role role : ROLES) {
            String display = role.displayName();
            int colon = name + display.length();
            if (s.startsWith(display, name) && colon < s.length() && s.charAt(colon) == ':') {
                boolean spaced = colon + 1 < s.length() && s.charAt(colon + 1) == ' ';
                return new Marker(separator, spaced ? colon + 2 : colon + 1, role, spaced);
            }
        }
        return null;
    }

    /**
     * Where the text between {@code start} and {@code end} (a separator or the end of the transcript) really ends:
     * before any broken markers, role names without a colon in a marker's place, just before {@code end}.
     */
    private static int textEnd(String s, int start, int end) {
        while (true) {
            int bare = bareRoleNameBefore(s, end);
            if (bare < start) {
                return end;
            }
            if (bare == 0) {
                return 0;
            }
            int separator = bare - BLANK_LINE.length();
            if (separator < start || !s.startsWith(BLANK_LINE, separator)) {
                return end;
            }
            end = separator;
        }
    }

    /** Where a role name that ends at {@code end} starts, or -1 when no role name ends there. */
    private static int bareRoleNameBefore(String s, int end) {
        for (Role role : ROLES) {
            int start = end - role.displayName().length();
            if (start >= 0 && s.startsWith(role.displayName(), start)) {
                return start;
            }
        }
        return -1;
    }
}
