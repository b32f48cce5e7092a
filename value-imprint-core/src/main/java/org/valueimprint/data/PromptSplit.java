package org.valueimprint.data;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Two whole conversations split into the prompt they share and each side's response, for formats whose chosen and
 * rejected sides each carry the whole dialogue (hh-rlhf transcripts, conversational TRL data).
 *
 * <p>The prompt is the longest common prefix of whole turns, shortened when needed so that each side keeps at least
 * one turn of its own. Identical sides (a tie) therefore share all but their last turn. Sides that differ from
 * their first turn share an empty prompt.
 *
 * @param prompt the shared turns
 * @param chosen the chosen side's turns after the prompt; never empty unless the chosen side was
 * @param rejected the rejected side's turns after the prompt; never empty unless the rejected side was
 */
public record PromptSplit(Conversation prompt, Conversation chosen, Conversation rejected) {
    /** Validates the components. */
    public PromptSplit {
        requireNonNull(prompt, "prompt");
        requireNonNull(chosen, "chosen");
        requireNonNull(rejected, "rejected");
    }

    /** Splits two whole conversations at the end of the prompt they share. */
    public static PromptSplit of(Conversation chosen, Conversation rejected) {
        List<Turn> a = chosen.turns();
        List<Turn> b = rejected.turns();
        int shared = 0;
        int max = Math.min(a.size(), b.size());
        while (shared < max && a.get(shared).equals(b.get(shared))) {
            shared++;
        }
        shared = Math.max(0, Math.min(shared, Math.min(a.size() - 1, b.size() - 1)));
        return new PromptSplit(
                new Conversation(a.subList(0, shared)),
                new Conversation(a.subList(shared, a.size())),
                new Conversation(b.subList(shared, b.size())));
    }

    /** Whether the two sides' responses are identical. */
    public boolean identical() {
        return chosen.equals(rejected);
    }
}
