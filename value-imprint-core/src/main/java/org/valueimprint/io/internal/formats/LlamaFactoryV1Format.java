package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.PromptSplit;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.RecordContext;

/**
 * LLaMA-Factory v1 DPO samples ({@code llamafactory-v1}): two whole dialogues, each message with its content as a
 * list of typed parts and a training loss weight.
 *
 * <pre>{@code
 * {"chosen_messages": [{"role": "user", "content": [{"type": "text", "value": "Hi"}], "loss_weight": 0.0},
 *                      {"role": "assistant", "content": [{"type": "text", "value": "Hello!"}], "loss_weight": 1.0}],
 *  "rejected_messages": [...]}
 * }</pre>
 *
 * <p>The turns both dialogues share become the prompt ({@link PromptSplit}), the rest each side's response. A
 * message's text is its {@code text} parts concatenated (reasoning, tool-call and image parts are left out); roles
 * are {@code system}, {@code user}, {@code assistant} and {@code tool} (a tool's output: a user turn), see
 * {@link ChatMessages}; {@code loss_weight} is ignored. Identical responses make a tie. Other scalar fields (such as
 * {@code extra_info} and {@code _dataset_name}) go to the metadata as {@link ChatMessages#extraFields} describes.
 *
 * <p>Each side's response must end with an assistant turn and have no blank assistant turn
 * ({@link ChatMessages#response}); message content must be a string or a list of parts, never a number. The prompt
 * may be empty (sides that differ from their first turn).
 *
 * <p>Detection: 95 when {@code chosen_messages} and {@code rejected_messages} are lists; 0 otherwise.
 */
final class LlamaFactoryV1Format implements DatasetFormat {
    private static final Set<String> KNOWN = Set.of("chosen_messages", "rejected_messages");

    @Override
    public String name() {
        return "llamafactory-v1";
    }

    @Override
    public String description() {
        return "LLaMA-Factory v1 DPO samples: {\"chosen_messages\": [{\"role\", \"content\": [{\"type\", \"value\"}]}],"
                + " \"rejected_messages\": [...]}";
    }

    @Override
    public int detect(JsonNode record) {
        JsonNode chosen = record.get("chosen_messages");
        JsonNode rejected = record.get("rejected_messages");
        return chosen != null && chosen.isArray() && rejected != null && rejected.isArray() ? 95 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        PromptSplit split = PromptSplit.of(
                ChatMessages.nonEmptyConversation(JsonFields.requireArray(record, "chosen_messages"),
                        "chosen_messages", "role", "content"),
                ChatMessages.nonEmptyConversation(JsonFields.requireArray(record, "rejected_messages"),
                        "rejected_messages", "role", "content"));
        out.accept(PreferencePair.of(context.recordId(), context.source(), split.prompt(),
                        ChatMessages.response(split.chosen(), "chosen_messages"),
                        ChatMessages.response(split.rejected(), "rejected_messages"))
                .withTie(split.identical())
                .withMetadata(ChatMessages.extraFields(record, KNOWN)));
    }
}
