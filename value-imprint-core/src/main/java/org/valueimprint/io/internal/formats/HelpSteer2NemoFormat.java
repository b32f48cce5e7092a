package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Role;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * The rows that NVIDIA NeMo-Aligner trains a SteerLM regression reward model on, as made from HelpSteer2 (and
 * OpenAssistant) by its {@code process_to_regression_format.py}: a conversation in the NeMo chat markup and nine
 * attribute ratings.
 *
 * <pre>{@code
 * {"text": "<extra_id_0>System\nA chat between ...\n<extra_id_1>User\nexplain ...\n<extra_id_1>Assistant\nIn ...\n<extra_id_2>", "label": [-100, -100, -100, -100, 4, 4, 4, 3, 2]}
 * }</pre>
 *
 * <p>The markup: {@code <extra_id_0>System\n} and the system prompt, then each turn as {@code <extra_id_1>User\n} or
 * {@code <extra_id_1>Assistant\n}, its text and {@code "\n"}, and at the end {@code <extra_id_2>}, the place where
 * SteerLM puts the attribute labels. HelpSteer2 keeps the earlier turns of a multi-turn prompt in the same markup, so
 * they become turns of their own. Each row becomes one {@link SingleResponse}: the prompt is the system turn (when
 * not empty) and every turn but the last, which must be the assistant's and is the response. The markup, and the
 * {@code "\n"} that ends each turn, is removed; the texts are otherwise kept as they are.
 *
 * <p>The nine {@code label} slots are NeMo-Aligner's {@code ALL_STEERLM_ATTRIBUTES}: the four OpenAssistant
 * attributes {@code quality}, {@code toxicity}, {@code humor}, {@code creativity}, then HelpSteer2's five,
 * {@code helpfulness}, {@code correctness}, {@code coherence}, {@code complexity}, {@code verbosity} (0 to 4 in
 * HelpSteer2); {@code -100} marks an attribute the row does not rate (HelpSteer2 rows rate only the last five). Each
 * rated attribute becomes a metadata entry named after it, holding the number as written in the data (for example
 * {@code helpfulness=4.0}); unrated attributes are left out.
 *
 * <p>Detected (score 95) when {@code text} starts with {@code <extra_id_0>} and {@code label} is a list. A
 * {@code text} without that start, a turn of an unknown role, a last turn that is not the assistant's, or a
 * {@code label} that is not nine numbers is {@link ProblemKind#INVALID_FIELD}; a text with no turns or an empty
 * response is {@link ProblemKind#EMPTY_RECORD}. A {@code text} that is not a string is
 * {@link ProblemKind#INVALID_FIELD}, not read as its text.
 */
final class HelpSteer2NemoFormat implements DatasetFormat {
    private static final String SYSTEM_START = "<extra_id_0>";
    private static final String TURN_START = "<extra_id_1>";
    private static final String LABEL_START = "<extra_id_2>";
    private static final Pattern TURN_SPLIT = Pattern.compile(Pattern.quote(TURN_START));
    private static final double NOT_RATED = -100;

    /** The attribute of each label slot, in order (NeMo-Aligner's ALL_STEERLM_ATTRIBUTES). */
    static final List<String> ATTRIBUTES = List.of(
            "quality", "toxicity", "humor", "creativity",
            "helpfulness", "correctness", "coherence", "complexity", "verbosity");

    @Override
    public String name() {
        return "helpsteer2-nemo";
    }

    @Override
    public String description() {
        return "NeMo SteerLM reward-model rows {\"text\": \"<extra_id_0>System\\n...\", \"label\": [9 ratings]}"
                + " (HelpSteer2)";
    }

    @Override
    public int detect(JsonNode record) {
        JsonNode text = record.get("text");
        JsonNode label = record.get("label");
        return text != null && text.isTextual() && text.asText().startsWith(SYSTEM_START)
                && label != null && label.isArray() ? 95 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        List<Turn> turns = turns(JsonFields.requireText(record, "text"));
        Map<String, String> ratings = ratings(JsonFields.requireArray(record, "label"));
        Turn response = turns.get(turns.size() - 1);
        if (response.role() != Role.ASSISTANT) {
            throw InvalidRecordException.invalidField("text", "must end with an assistant turn, ends with a "
                    + response.role().displayName() + " turn");
        }
        if (response.text().isBlank()) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "the assistant's response is empty");
        }
        out.accept(new SingleResponse(context.recordId(), context.source(),
                new Conversation(turns.subList(0, turns.size() - 1)), Conversation.of(response), ratings));
    }

    /** The turns of a text in the NeMo markup: the system turn (when not empty), then every other turn. */
    private static List<Turn> turns(String text) throws InvalidRecordException {
        if (!text.startsWith(SYSTEM_START)) {
            throw InvalidRecordException.invalidField("text", "must start with " + SYSTEM_START);
        }
        String body = text.substring(SYSTEM_START.length());
        if (body.endsWith(LABEL_START)) {
            body = body.substring(0, body.length() - LABEL_START.length());
        }
        String[] parts = TURN_SPLIT.split(body, -1);
        List<Turn> turns = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            Turn turn = turn(parts[i]);
            if (i == 0 && turn.role() != Role.SYSTEM) {
                throw InvalidRecordException.invalidField(
                        "text", "must start with " + SYSTEM_START + "System, not " + SYSTEM_START + turn.role().displayName());
            }
            if (i > 0 || !turn.text().isEmpty()) {
                turns.add(turn);
            }
        }
        if (turns.isEmpty() || turns.get(turns.size() - 1).role() == Role.SYSTEM) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "field \"text\" holds no conversation turn");
        }
        return turns;
    }

    /** One turn: its role name up to the first line break, then its text without the "\n" that ends it. */
    private static Turn turn(String part) throws InvalidRecordException {
        int nl = part.indexOf('\n');
        String roleName = nl < 0 ? part : part.substring(0, nl);
        String text = nl < 0 ? "" : part.substring(nl + 1);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        Optional<Role> role = Role.parse(roleName);
        if (role.isEmpty()) {
            throw InvalidRecordException.invalidField("text", "has a turn of unknown role \""
                    + (roleName.length() > 40 ? roleName.substring(0, 40) + "..." : roleName) + "\"");
        }
        return new Turn(role.get(), text);
    }

    /** The rated attributes of a label list, by name, with the numbers as written. */
    private static Map<String, String> ratings(JsonNode label) throws InvalidRecordException {
        if (label.size() != ATTRIBUTES.size()) {
            throw InvalidRecordException.invalidField("label", "must hold " + ATTRIBUTES.size() + " numbers ("
                    + String.join(", ", ATTRIBUTES) + "), held " + label.size());
        }
        Map<String, String> ratings = new LinkedHashMap<>();
        for (int i = 0; i < ATTRIBUTES.size(); i++) {
            JsonNode value = label.get(i);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw InvalidRecordException.invalidField("label[" + i + "]", "must be a finite number, was "
                        + (value.isNumber() ? value.asText() : JsonFields.describe(value)));
            }
            if (value.asDouble() != NOT_RATED) {
                ratings.put(ATTRIBUTES.get(i), value.asText());
            }
        }
        return ratings;
    }
}
