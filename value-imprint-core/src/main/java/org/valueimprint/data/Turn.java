package org.valueimprint.data;

import static java.util.Objects.requireNonNull;

/**
 * One turn of a conversation: who speaks and what they say. The text is kept exactly as read (no trimming).
 *
 * @param role who speaks
 * @param text what is said, possibly empty, never null
 */
public record Turn(Role role, String text) {
    /** Validates that neither component is null. */
    public Turn {
        requireNonNull(role, "role");
        requireNonNull(text, "text");
    }

    /** A turn of the person. */
    public static Turn user(String text) {
        return new Turn(Role.USER, text);
    }

    /** A turn of the assistant. */
    public static Turn assistant(String text) {
        return new Turn(Role.ASSISTANT, text);
    }

    /** A system turn. */
    public static Turn system(String text) {
        return new Turn(Role.SYSTEM, text);
    }

    /** This turn rendered as {@code "Human: text"}, {@code "Assistant: text"} or {@code "System: text"}. */
    public String render() {
        return role.displayName() + ": " + text;
    }
}
