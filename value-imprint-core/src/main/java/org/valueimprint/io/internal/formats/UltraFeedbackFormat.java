package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.PromptSplit;
import org.valueimprint.data.Scores;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.RecordContext;

/**
 * UltraFeedback binarized ({@code ultrafeedback}) as published (HuggingFaceH4/ultrafeedback_binarized, and TRL's
 * trl-lib/ultrafeedback_binarized without {@code prompt} and {@code prompt_id}): one record per prompt, the
 * best-rated completion against another one.
 *
 * <pre>{@code
 * {"prompt": "Name a prime.", "prompt_id": "3f1c…", "score_chosen": 8.0, "score_rejected": 5.0,
 *  "chosen": [{"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "7"}],
 *  "rejected": [{"role": "user", "content": "Name a prime."}, {"role": "assistant", "content": "9"}],
 *  "messages": [...]}
 * }</pre>
 *
 * <p>Both lists hold the whole dialogue: the turns they share (the prompt as the first user turn) become the prompt
 * ({@link PromptSplit}), the rest each side's response; when the lists share no turn, the {@code prompt} string is
 * the prompt. {@code score_chosen} and {@code score_rejected} become the {@link Scores}, and equal scores (or
 * identical responses) make a tie. {@code prompt_id} is the record's id when present (it names one prompt, and the
 * binarized set has one record per prompt); {@code messages}, a copy of {@code chosen}, is ignored. Other scalar
 * fields go to the metadata as {@link ChatMessages#extraFields} describes.
 *
 * <p>{@code chosen} and {@code rejected} must both be message lists (a string beside a list is refused); each
 * side's response must end with a non-blank assistant turn ({@link ChatMessages#response}); the {@code prompt} must
 * be a string when present.
 *
 * <p>Detection: 90 when {@code chosen} and {@code rejected} are message lists and both scores are present, so that
 * it wins over {@code trl} (80 for message lists); 0 otherwise.
 */
final class UltraFeedbackFormat implements DatasetFormat {
    private static final Set<String> KNOWN =
            Set.of("prompt", "prompt_id", "chosen", "rejected", "messages", "score_chosen", "score_rejected");

    @Override
    public String name() {
        return "ultrafeedback";
    }

    @Override
    public String description() {
        return "UltraFeedback binarized: {\"prompt\", \"prompt_id\", \"chosen\": [messages], \"rejected\": [messages],"
                + " \"score_chosen\", \"score_rejected\"}";
    }

    @Override
    public int detect(JsonNode record) {
        return ChatMessages.isMessageList(record.get("chosen"), "role")
                        && ChatMessages.isMessageList(record.get("rejected"), "role")
                        && record.hasNonNull("score_chosen")
                        && record.hasNonNull("score_rejected")
                ? 90
                : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        PromptSplit split = PromptSplit.of(
                ChatMessages.nonEmptyConversation(JsonFields.requireArray(record, "chosen"), "chosen", "role",
                        "content"),
                ChatMessages.nonEmptyConversation(JsonFields.requireArray(record, "rejected"), "rejected", "role",
                        "content"));
        ChatMessages.response(split.chosen(), "chosen");
        ChatMessages.response(split.rejected(), "rejected");
        Conversation prompt = split.prompt();
        Optional<String> promptText = JsonFields.optionalText(record, "prompt");
        if (prompt.isEmpty() && promptText.isPresent()) {
            prompt = Conversation.user(promptText.get());
        }
        String id = JsonFields.optionalId(record, "prompt_id").filter(s -> !s.isBlank())
                .orElse(context.recordId());
        Optional<Scores> scores = ChatMessages.scores(record, "score_chosen", "score_rejected");
        PreferencePair pair = PreferencePair.of(id, context.source(), prompt, split.chosen(), split.rejected())
                .withTie(ChatMessages.tie(split.chosen(), split.rejected(), scores))
                .withMetadata(ChatMessages.extraFields(record, KNOWN));
        out.accept(scores.map(pair::withScores).orElse(pair));
    }
}
