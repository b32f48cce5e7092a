package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Scores;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * Any records whose fields are named by a {@link FieldMapping} (given in
 * {@link org.valueimprint.io.ReadOptions#fieldMapping()}): JSON Lines, JSON arrays, or CSV/TSV rows (objects of
 * strings). With the mapping {@code prompt=q,chosen=good,rejected=bad,id=uid}, the record {@code {"uid": "a7",
 * "q": "Is tea healthy?", "good": "In moderation, yes.", "bad": "No."}} becomes a pair with id {@code a7}. Paths may
 * be dotted ({@code question.full_text}).
 *
 * <p>Every mapped field must be present and not null in every record. The prompt becomes a user turn (none when it
 * is the empty string), the chosen and rejected texts assistant turns, kept as written. Without a rejected field a
 * record becomes a {@link SingleResponse}. The tie field takes {@code true}/{@code false}, {@code 1}/{@code 0} or
 * {@code yes}/{@code no} (any case). The two scores become the pair's {@link Scores} when both are mapped; a score or
 * tie that the record cannot hold (a single response has no rejected side) is kept in metadata as
 * {@code chosen_score}, {@code rejected_score} or {@code tie}. The id is the id field (a string or a whole number, not
 * empty), or the default record id. The prompt, chosen and rejected fields must be strings: a number or boolean is
 * {@link ProblemKind#INVALID_FIELD}, not read as its text (CSV cells are strings, so CSV is unaffected). A blank
 * chosen or rejected text is an {@link ProblemKind#EMPTY_RECORD empty record}; an empty prompt is allowed. Scores
 * may be numbers or numeric strings (CSV).
 *
 * <p>The format cannot be told from the data: {@link #detect} is always 0, and it is used when named or when the
 * read's options give a field mapping. Naming it without a field mapping stops the read.
 */
final class GenericFormat implements DatasetFormat {

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String description() {
        return "any JSON or CSV records, with a field mapping naming the fields (chosen=..., rejected=...,"
                + " prompt=..., id=..., tie=..., chosen_score=..., rejected_score=...)";
    }

    @Override
    public int detect(JsonNode record) {
        return 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        FieldMapping mapping = context.options().fieldMapping().orElseThrow(
                () -> new InvalidRecordException(ProblemKind.UNKNOWN_FORMAT,
                        "the generic format needs a field mapping, such as prompt=question,chosen=answer_a,"
                                + "rejected=answer_b"));
        String chosen = JsonFields.requireResponse(record, mapping.chosen());
        Optional<String> rejected = mapping.rejected().isPresent()
                ? Optional.of(JsonFields.requireResponse(record, mapping.rejected().get())) : Optional.empty();
        String promptText = mapped(record, mapping.prompt()).orElse("");
        Conversation prompt = promptText.isEmpty() ? Conversation.empty() : Conversation.user(promptText);
        String id = context.recordId();
        if (mapping.id().isPresent()) {
            id = JsonFields.requireId(record, mapping.id().get());
            if (id.isEmpty()) {
                throw InvalidRecordException.invalidField(mapping.id().get(), "must not be empty");
            }
        }
        Optional<Boolean> tie = mapping.tie().isPresent()
                ? Optional.of(tie(record, mapping.tie().get())) : Optional.empty();
        Optional<Double> chosenScore = score(record, mapping.chosenScore());
        Optional<Double> rejectedScore = score(record, mapping.rejectedScore());

        Map<String, String> metadata = new LinkedHashMap<>();
        if (rejected.isEmpty()) {
            tie.ifPresent(t -> metadata.put("tie", t.toString()));
            chosenScore.ifPresent(s -> metadata.put("chosen_score", s.toString()));
            rejectedScore.ifPresent(s -> metadata.put("rejected_score", s.toString()));
            out.accept(new SingleResponse(id, context.source(), prompt, Conversation.assistant(chosen), metadata));
            return;
        }
        PreferencePair pair = PreferencePair.of(id, context.source(), prompt, Conversation.assistant(chosen),
                Conversation.assistant(rejected.get()));
        if (tie.isPresent()) {
            pair = pair.withTie(tie.get());
        }
        if (chosenScore.isPresent() && rejectedScore.isPresent()) {
            pair = pair.withScores(new Scores(chosenScore.get(), rejectedScore.get()));
        } else {
            chosenScore.ifPresent(s -> metadata.put("chosen_score", s.toString()));
            rejectedScore.ifPresent(s -> metadata.put("rejected_score", s.toString()));
        }
        out.accept(pair.withMetadata(metadata));
    }

    /** The text of a mapped field, which must then be present; empty when the field is not mapped. */
    private static Optional<String> mapped(JsonNode record, Optional<String> field) throws InvalidRecordException {
        return field.isPresent() ? Optional.of(JsonFields.requireText(record, field.get())) : Optional.empty();
    }

    private static Optional<Double> score(JsonNode record, Optional<String> field) throws InvalidRecordException {
        return field.isPresent() ? Optional.of(JsonFields.requireNumber(record, field.get())) : Optional.empty();
    }

    /** A tie flag: a boolean, 1 or 0, or the text true/false, 1/0, yes/no in any case. */
    private static boolean tie(JsonNode record, String field) throws InvalidRecordException {
        JsonNode node = JsonFields.require(record, field);
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber() || node.isTextual()) {
            switch (node.asText().strip().toLowerCase(Locale.ROOT)) {
                case "true": case "1": case "yes":
                    return true;
                case "false": case "0": case "no":
                    return false;
                default:
                    break;
            }
        }
        throw InvalidRecordException.invalidField(field, "must be true/false, 1/0 or yes/no, was " + node);
    }
}
