package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * Alpaca-style comparison data, LLaMA-Factory's pairwise format (for example its copy of GPT-4-LLM's
 * {@code comparison_gpt4_data_en.json}): the fields of {@code alpaca}, with {@code output} a list of two strings,
 * the preferred response first:
 *
 * <pre>{@code
 * {"instruction": "What are the three primary colors?", "input": "", "output": ["Red, blue and yellow ...", "Red, Yellow, and Green."]}
 * }</pre>
 *
 * <p>Each record becomes one {@link PreferencePair}: the prompt as in {@link AlpacaFormat} (optional system turn,
 * optional history, then the instruction and its input joined by {@code "\n"}), {@code output[0]} as the chosen
 * assistant turn and {@code output[1]} as the rejected one. Identical outputs make a tie.
 *
 * <p>Detected (score 90) when {@code instruction} is present and {@code output} is a list of exactly two strings.
 * An {@code output} that is not a list of two strings is {@link ProblemKind#INVALID_FIELD}; a blank output is
 * {@link ProblemKind#EMPTY_RECORD}; a missing {@code instruction} or {@code output} is
 * {@link ProblemKind#MISSING_FIELD}.
 */
final class AlpacaPairwiseFormat implements DatasetFormat {
    @Override
    public String name() {
        return "alpaca-pairwise";
    }

    @Override
    public String description() {
        return "Alpaca comparisons {\"instruction\", \"input\", \"output\": [chosen, rejected]} (LLaMA-Factory)";
    }

    @Override
    public int detect(JsonNode record) {
        return record.has("instruction") && isTwoStrings(record.get("output")) ? 90 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        Conversation prompt = AlpacaFormat.prompt(record);
        JsonNode output = JsonFields.require(record, "output");
        if (!isTwoStrings(output)) {
            throw InvalidRecordException.invalidField("output", "must be a list of two strings [chosen, rejected], was "
                    + (output.isArray() ? "a list of " + output.size() + " elements" : JsonFields.describeValue(output)));
        }
        String chosen = output.get(0).asText();
        String rejected = output.get(1).asText();
        if (chosen.isBlank() || rejected.isBlank()) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD,
                    "field \"output\" holds an empty " + (chosen.isBlank() ? "chosen" : "rejected") + " response");
        }
        out.accept(PreferencePair.of(context.recordId(), context.source(), prompt,
                        Conversation.assistant(chosen), Conversation.assistant(rejected))
                .withTie(chosen.equals(rejected)));
    }

    private static boolean isTwoStrings(JsonNode node) {
        return node != null && node.isArray() && node.size() == 2 && node.get(0).isTextual() && node.get(1).isTextual();
    }
}
