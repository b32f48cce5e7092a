package org.valueimprint.data;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Preconditions;
import java.util.Map;
import java.util.Optional;

/**
 * A prompt with two responses, one preferred over the other.
 *
 * @param id identifier, unique within its dataset
 * @param source where the pair came from
 * @param prompt the turns the two sides share (possibly empty)
 * @param chosen the preferred response (usually one assistant turn; several turns when the sides diverge early)
 * @param rejected the dispreferred response
 * @param tie whether the dataset marks the two responses as equally good (or they are identical)
 * @param scores the dataset's scores for the two responses, when it has them
 * @param metadata free-form metadata; copied
 */
public record PreferencePair(
        String id,
        RecordSource source,
        Conversation prompt,
        Conversation chosen,
        Conversation rejected,
        boolean tie,
        Optional<Scores> scores,
        Map<String, String> metadata)
        implements PreferenceRecord {

    /** Validates and copies the components. */
    public PreferencePair {
        Preconditions.checkArgument(!requireNonNull(id, "id").isEmpty(), "id must not be empty");
        requireNonNull(source, "source");
        requireNonNull(prompt, "prompt");
        requireNonNull(chosen, "chosen");
        requireNonNull(rejected, "rejected");
        requireNonNull(scores, "scores");
        metadata = Map.copyOf(metadata);
    }

    /** A pair with no tie flag, no scores and no metadata. */
    public static PreferencePair of(
            String id, RecordSource source, Conversation prompt, Conversation chosen, Conversation rejected) {
        return new PreferencePair(id, source, prompt, chosen, rejected, false, Optional.empty(), Map.of());
    }

    /** This pair with the tie flag set as given. */
    public PreferencePair withTie(boolean tie) {
        return new PreferencePair(id, source, prompt, chosen, rejected, tie, scores, metadata);
    }

    /** This pair with the given scores. */
    public PreferencePair withScores(Scores scores) {
        return new PreferencePair(id, source, prompt, chosen, rejected, tie, Optional.of(scores), metadata);
    }

    /** This pair with the given metadata (replacing any it had). */
    public PreferencePair withMetadata(Map<String, String> metadata) {
        return new PreferencePair(id, source, prompt, chosen, rejected, tie, scores, metadata);
    }

    @Override
    public Optional<Conversation> transcript(Side side) {
        switch (side) {
            case CHOSEN:
                return Optional.of(prompt.append(chosen));
            case REJECTED:
                return Optional.of(prompt.append(rejected));
            case PROMPT:
                return Optional.of(prompt);
            default:
                throw new AssertionError(side);
        }
    }
}
