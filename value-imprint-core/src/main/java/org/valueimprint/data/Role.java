package org.valueimprint.data;

import java.util.Locale;
import java.util.Optional;

/** Who speaks a {@link Turn}. */
public enum Role {
    /** A system prompt or instruction to the assistant. */
    SYSTEM("System"),
    /** The person: called "human", "user", "prompter" or "question" by the various dataset formats. */
    USER("Human"),
    /** The model: called "assistant", "gpt", "bot" or "model" by the various dataset formats. */
    ASSISTANT("Assistant");

    private final String displayName;

    Role(String displayName) {
        this.displayName = displayName;
    }

    /** The name used when rendering a transcript: {@code System}, {@code Human} or {@code Assistant}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Maps a role name as spelt by a dataset format to a role, ignoring case and surrounding whitespace.
     *
     * @return the role, or empty when the name is not one of the known spellings
     */
    public static Optional<Role> parse(String name) {
        switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "system":
                return Optional.of(SYSTEM);
            case "user": case "human": case "prompter": case "question":
                return Optional.of(USER);
            case "assistant": case "gpt": case "bot": case "model": case "chatbot": case "answer":
                return Optional.of(ASSISTANT);
            default:
                return Optional.empty();
        }
    }
}
