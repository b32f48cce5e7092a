package org.valueimprint.data;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Preconditions;
import java.util.Map;
import java.util.Optional;

/**
 * A prompt with a single response and no preference, as in supervised fine-tuning data (Alpaca, Alpaca-GPT4). An
 * audit treats the response as a chosen side with no rejected side.
 *
 * @param id identifier, unique within its dataset
 * @param source where the record came from
 * @param prompt the turns before the response (possibly empty)
 * @param response the response
 * @param metadata free-form metadata; copied
 */
public record SingleResponse(
        String id, RecordSource source, Conversation prompt, Conversation response, Map<String, String> metadata)
        implements PreferenceRecord {

    /** Validates and copies the components. */
    public SingleResponse {
        Preconditions.checkArgument(!requireNonNull(id, "id").isEmpty(), "id must not be empty");
        requireNonNull(source, "source");
        requireNonNull(prompt, "prompt");
        requireNonNull(response, "response");
        metadata = Map.copyOf(metadata);
    }

    /** The response: a single response counts as the chosen side. */
    @Override
    public Conversation chosen() {
        return response;
    }

    @Override
    public Optional<Conversation> transcript(Side side) {
        switch (side) {
            case CHOSEN:
                return Optional.of(prompt.append(response));
            case REJECTED:
                return Optional.empty();
            case PROMPT:
                return Optional.of(prompt);
            default:
                throw new AssertionError(side);
        }
    }
}
