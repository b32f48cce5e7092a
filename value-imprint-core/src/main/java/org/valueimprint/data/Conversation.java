package org.valueimprint.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An ordered, immutable list of {@link Turn turns}: a prompt, a response (one or several turns), or a whole
 * transcript.
 *
 * <p>{@link #render()} gives the rendering that the annotated Value Imprint corpus uses and that classifiers are
 * trained on: each turn as {@code Human: …}, {@code Assistant: …} or {@code System: …}, joined by a blank line.
 * {@link Transcripts#parse(String)} reads that rendering (and the hh-rlhf one) back.
 *
 * @param turns the turns, in order; copied
 */
public record Conversation(List<Turn> turns) {
    private static final Conversation EMPTY = new Conversation(List.of());

    /** Copies the turns; rejects null. */
    public Conversation {
        turns = List.copyOf(turns);
    }

    /** The conversation with no turns. */
    public static Conversation empty() {
        return EMPTY;
    }

    /** A conversation of the given turns. */
    public static Conversation of(Turn... turns) {
        return new Conversation(Arrays.asList(turns));
    }

    /** A conversation of one assistant turn: the usual shape of a response. */
    public static Conversation assistant(String text) {
        return of(Turn.assistant(text));
    }

    /** A conversation of one user turn: the usual shape of a single-turn prompt. */
    public static Conversation user(String text) {
        return of(Turn.user(text));
    }

    /** Whether there are no turns. */
    public boolean isEmpty() {
        return turns.isEmpty();
    }

    /** The number of turns. */
    public int size() {
        return turns.size();
    }

    /** This conversation followed by {@code other}. */
    public Conversation append(Conversation other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<Turn> all = new ArrayList<>(turns.size() + other.turns.size());
        all.addAll(turns);
        all.addAll(other.turns);
        return new Conversation(all);
    }

    /** The number of characters of text in all turns, not counting role names and separators. */
    public long textLength() {
        long n = 0;
        for (Turn t : turns) {
            n += t.text().length();
        }
        return n;
    }

    /**
     * The turns rendered as {@code Human: …} / {@code Assistant: …} / {@code System: …} and joined by a blank
     * line ({@code "\n\n"}); the empty string for an empty conversation.
     */
    public String render() {
        return turns.stream().map(Turn::render).collect(Collectors.joining("\n\n"));
    }
}
