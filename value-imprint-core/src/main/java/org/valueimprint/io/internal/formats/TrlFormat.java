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
 * TRL preference data ({@code trl}), as Hugging Face TRL's DPO and reward trainers take it, in either of its two
 * types:
 *
 * <ul>
 *   <li>standard: {@code {"prompt": "Is the sky blue?", "chosen": "Yes.", "rejected": "No."}}: the prompt becomes one
 *       user turn, each response one assistant turn;
 *   <li>conversational: {@code chosen} and {@code rejected} are message lists
 *       {@code [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}, with an explicit
 *       {@code prompt} (a string or a message list) before them, or with an implicit prompt: no {@code prompt}
 *       field, both lists hold the whole dialogue, and the turns they share become the prompt
 *       ({@link PromptSplit}).
 * </ul>
 *
 * <p>The {@code prompt} field is optional in both types. Content is a string or a list of parts
 * ({@code [{"type": "text", "text": "Hi"}]}); roles are read as {@link ChatMessages} describes. Optional
 * {@code score_chosen} and {@code score_rejected} become the pair's {@link Scores}. The pair is a tie when the two
 * responses are identical or their scores equal. Other fields are kept in the metadata as
 * {@link ChatMessages#extraFields} describes (the flattened UltraFeedback export's {@code source_index} and
 * {@code metadata.score_chosen}, for example). An empty message list, a blank response string, or a response whose
 * assistant turn is blank is an {@code EMPTY_RECORD} problem, and each response must end with an assistant turn
 * ({@link ChatMessages#response}). Mixed shapes are {@code INVALID_FIELD}: {@code chosen} and {@code rejected} must
 * both be strings or both message lists, and a message-list {@code prompt} needs message-list responses (a string
 * prompt may stand before either). Texts must be strings: {@code "chosen": 1} is refused, not read as "1". The
 * prompt may be empty.
 *
 * <p>Detection: 80 for a standard record with a {@code prompt} and for a conversational record; 30 for a standard
 * record without a {@code prompt}, which is the shape of an hh-rlhf transcript, so that the {@code hh-rlhf} format
 * wins those files.
 */
final class TrlFormat implements DatasetFormat {
    private static final Set<String> KNOWN = Set.of("prompt", "chosen", "rejected", "score_chosen", "score_rejected");

    @Override
    public String name() {
        return "trl";
    }

    @Override
    public String description() {
        return "TRL preference data: {\"prompt\"?, \"chosen\", \"rejected\"} as strings or [{\"role\", \"content\"}]"
                + " message lists";
    }

    @Override
    public int detect(JsonNode record) {
        JsonNode chosen = record.get("chosen");
        JsonNode rejected = record.get("rejected");
        if (chosen == null || rejected == null) {
            return 0;
        }
        if (chosen.isTextual() && rejected.isTextual()) {
            return record.hasNonNull("prompt") ? 80 : 30;
        }
        if (ChatMessages.isMessageList(chosen, "role") && ChatMessages.isMessageList(rejected, "role")) {
            return 80;
        }
        return 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        JsonNode chosenNode = JsonFields.require(record, "chosen");
        JsonNode rejectedNode = JsonFields.require(record, "rejected");
        Conversation chosen = side(chosenNode, "chosen");
        Conversation rejected = side(rejectedNode, "rejected");
        boolean conversational = chosenNode.isArray();
        if (rejectedNode.isArray() != conversational) {
            throw InvalidRecordException.invalidField("rejected", "is " + JsonFields.describeValue(rejectedNode)
                    + " while \"chosen\" is " + JsonFields.describeValue(chosenNode) + ": both sides must be strings"
                    + " or both message lists");
        }
        Optional<JsonNode> promptNode = JsonFields.find(record, "prompt");
        Conversation prompt;
        if (promptNode.isEmpty()) {
            PromptSplit split = PromptSplit.of(chosen, rejected);
            prompt = split.prompt();
            chosen = split.chosen();
            rejected = split.rejected();
        } else if (promptNode.get().isArray()) {
            if (!conversational) {
                throw InvalidRecordException.invalidField("prompt", "is a list of messages while \"chosen\" and"
                        + " \"rejected\" are strings: a conversational prompt needs message-list responses");
            }
            prompt = ChatMessages.conversation(promptNode.get(), "prompt", "role", "content");
        } else if (promptNode.get().isTextual()) {
            prompt = Conversation.user(promptNode.get().textValue());
        } else {
            throw InvalidRecordException.invalidField("prompt", "must be a string or a list of messages, was "
                    + JsonFields.describeValue(promptNode.get()));
        }
        ChatMessages.response(chosen, "chosen");
        ChatMessages.response(rejected, "rejected");
        Optional<Scores> scores = ChatMessages.scores(record, "score_chosen", "score_rejected");
        PreferencePair pair = PreferencePair.of(context.recordId(), context.source(), prompt, chosen, rejected)
                .withTie(ChatMessages.tie(chosen, rejected, scores))
                .withMetadata(ChatMessages.extraFields(record, KNOWN));
        out.accept(scores.map(pair::withScores).orElse(pair));
    }

    /** A side: a string (one assistant turn) or a non-empty message list; numbers and booleans are refused. */
    private static Conversation side(JsonNode node, String field) throws InvalidRecordException {
        if (node.isArray()) {
            return ChatMessages.nonEmptyConversation(node, field, "role", "content");
        }
        if (node.isTextual()) {
            return Conversation.assistant(node.textValue());
        }
        throw InvalidRecordException.invalidField(field, "must be a string or a list of messages, was "
                + JsonFields.describeValue(node));
    }
}
