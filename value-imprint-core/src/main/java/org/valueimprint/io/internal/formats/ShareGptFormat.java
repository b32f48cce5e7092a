package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.RecordContext;

/**
 * ShareGPT preference data ({@code sharegpt}) as LLaMA-Factory takes it for DPO and reward modelling: the dialogue
 * so far, then one chosen and one rejected message.
 *
 * <pre>{@code
 * {"conversations": [{"from": "human", "value": "Is it safe to eat raw cookie dough?"}],
 *  "chosen": {"from": "gpt", "value": "It is risky: raw flour and eggs can carry bacteria."},
 *  "rejected": {"from": "gpt", "value": "Yes, always."}, "system": "You are a careful assistant."}
 * }</pre>
 *
 * <p>{@code conversations} becomes the prompt, after a system turn for the optional {@code system} string (when not
 * empty); {@code chosen} and {@code rejected} become one turn each. {@code from} is {@code human}/{@code user}
 * (a user turn), {@code gpt}/{@code assistant} (an assistant turn), {@code system} (a system turn),
 * {@code observation} (a tool's output, fed back to the model in the user's place: a user turn) or
 * {@code function_call} (the model calling a tool: an assistant turn); see {@link ChatMessages}. Identical
 * responses make a tie. Other scalar fields (such as {@code tools}) go to the metadata as
 * {@link ChatMessages#extraFields} describes.
 *
 * <p>{@code chosen} and {@code rejected} must each be one message object (a list, even of one message, is refused),
 * from the assistant ({@code gpt}, {@code assistant} or {@code function_call}), with a non-blank string value;
 * {@code conversations} must be a list, and may be empty.
 *
 * <p>Detection: 95 when {@code conversations} is a list and {@code chosen} and {@code rejected} are objects;
 * 0 otherwise.
 */
final class ShareGptFormat implements DatasetFormat {
    private static final Set<String> KNOWN = Set.of("conversations", "chosen", "rejected", "system");

    @Override
    public String name() {
        return "sharegpt";
    }

    @Override
    public String description() {
        return "ShareGPT preference data (LLaMA-Factory): {\"conversations\": [{\"from\", \"value\"}],"
                + " \"chosen\": {\"from\", \"value\"}, \"rejected\": {...}, \"system\"?}";
    }

    @Override
    public int detect(JsonNode record) {
        JsonNode conversations = record.get("conversations");
        JsonNode chosen = record.get("chosen");
        JsonNode rejected = record.get("rejected");
        return conversations != null && conversations.isArray() && chosen != null && chosen.isObject()
                        && rejected != null && rejected.isObject()
                ? 95
                : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        Conversation prompt = ChatMessages.conversation(
                JsonFields.requireArray(record, "conversations"), "conversations", "from", "value");
        Optional<String> system = JsonFields.optionalText(record, "system");
        if (system.isPresent() && !system.get().isEmpty()) {
            prompt = Conversation.of(Turn.system(system.get())).append(prompt);
        }
        Conversation chosen = ChatMessages.response(Conversation.of(ChatMessages.turn(
                JsonFields.require(record, "chosen"), "chosen", "from", "value")), "chosen");
        Conversation rejected = ChatMessages.response(Conversation.of(ChatMessages.turn(
                JsonFields.require(record, "rejected"), "rejected", "from", "value")), "rejected");
        out.accept(PreferencePair.of(context.recordId(), context.source(), prompt, chosen, rejected)
                .withTie(chosen.equals(rejected))
                .withMetadata(ChatMessages.extraFields(record, KNOWN)));
    }
}
