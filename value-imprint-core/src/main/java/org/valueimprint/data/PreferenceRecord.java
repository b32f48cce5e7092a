package org.valueimprint.data;

import java.util.Map;
import java.util.Optional;

/**
 * One record of a preference dataset, as a dataset reader produces it: either a {@link PreferencePair} (a prompt
 * with a chosen and a rejected response) or a {@link SingleResponse} (a prompt with one response, as in SFT data
 * such as Alpaca, which an audit treats as a chosen side with no rejected side).
 */
public sealed interface PreferenceRecord permits PreferencePair, SingleResponse {
    /** An identifier, unique within the dataset it was read from. */
    String id();

    /** Where the record came from. */
    RecordSource source();

    /** The shared prompt: every turn before the response(s); possibly empty. */
    Conversation prompt();

    /** The chosen (preferred) response, or the only response of a {@link SingleResponse}. */
    Conversation chosen();

    /** Free-form metadata kept from the source record (for example a subset name or a score); immutable. */
    Map<String, String> metadata();

    /**
     * The conversation that a side shows: the prompt followed by that side's response for {@link Side#CHOSEN} and
     * {@link Side#REJECTED}, the prompt alone for {@link Side#PROMPT}.
     *
     * @return the conversation, or empty when the record has no such side (the rejected side of a single
     *     response)
     */
    Optional<Conversation> transcript(Side side);
}
