package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * Alpaca / Alpaca-GPT4 supervised fine-tuning data, as published by Stanford Alpaca and GPT-4-LLM and as read by
 * LLaMA-Factory (which adds the optional {@code system} and {@code history} fields):
 *
 * <pre>{@code
 * {"instruction": "Give three tips for staying healthy.", "input": "", "output": "1. Eat a balanced diet ..."}
 * }</pre>
 *
 * <p>Each record becomes one {@link SingleResponse} (there is no preference):
 *
 * <ul>
 *   <li>prompt: a system turn when {@code system} is present and not empty; then, for each {@code [user, assistant]}
 *       pair of {@code history}, a user and an assistant turn; then one user turn holding the {@code instruction}
 *       and the {@code input} joined by {@code "\n"}, leaving out either when it is empty (so an empty input adds
 *       nothing). This is how the annotated Value Imprint corpus rendered Alpaca records.
 *   <li>response: one assistant turn, the {@code output} string.
 * </ul>
 *
 * <p>Detected (score 80) when {@code instruction} is present and {@code output} is a string. A missing
 * {@code instruction} or {@code output} is {@link ProblemKind#MISSING_FIELD}; an {@code output} that is not a string
 * (for example the two-element list of {@code alpaca-pairwise}, or a number), an {@code instruction}, {@code input}
 * or {@code system} that is not a string, or a malformed {@code history} is {@link ProblemKind#INVALID_FIELD}; a
 * blank {@code output} is {@link ProblemKind#EMPTY_RECORD}. An empty instruction with an empty input is kept (a
 * response without a prompt can still be audited).
 */
final class AlpacaFormat implements DatasetFormat {
    @Override
    public String name() {
        return "alpaca";
    }

    @Override
    public String description() {
        return "Alpaca SFT {\"instruction\", \"input\", \"output\": str} (optional \"system\", \"history\")";
    }

    @Override
    public int detect(JsonNode record) {
        JsonNode output = record.get("output");
        return record.has("instruction") && output != null && output.isTextual() ? 80 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        Conversation prompt = prompt(record);
        String output = JsonFields.requireResponse(record, "output");
        out.accept(new SingleResponse(
                context.recordId(), context.source(), prompt, Conversation.assistant(output), Map.of()));
    }

    /**
     * The prompt of an Alpaca-style record: the optional system turn, the optional history, and the instruction
     * with its input. Shared with {@link AlpacaPairwiseFormat}.
     */
    static Conversation prompt(JsonNode record) throws InvalidRecordException {
        String instruction = JsonFields.requireText(record, "instruction");
        String input = JsonFields.optionalText(record, "input").orElse("");
        Optional<String> system = JsonFields.optionalText(record, "system");
        List<Turn> turns = new ArrayList<>();
        if (system.isPresent() && !system.get().isEmpty()) {
            turns.add(Turn.system(system.get()));
        }
        Optional<JsonNode> history = JsonFields.find(record, "history");
        if (history.isPresent()) {
            if (!history.get().isArray()) {
                throw InvalidRecordException.invalidField(
                        "history", "must be a list of [user, assistant] pairs, was " + JsonFields.describe(history.get()));
            }
            for (int i = 0; i < history.get().size(); i++) {
                JsonNode round = history.get().get(i);
                if (!round.isArray() || round.size() != 2 || !round.get(0).isTextual() || !round.get(1).isTextual()) {
                    throw InvalidRecordException.invalidField(
                            "history[" + i + "]", "must be a list of two strings [user, assistant]");
                }
                turns.add(Turn.user(round.get(0).asText()));
                turns.add(Turn.assistant(round.get(1).asText()));
            }
        }
        String query = instruction.isEmpty() ? input : input.isEmpty() ? instruction : instruction + "\n" + input;
        turns.add(Turn.user(query));
        return new Conversation(turns);
    }
}
