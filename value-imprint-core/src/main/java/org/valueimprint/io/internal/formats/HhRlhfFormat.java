package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.PromptSplit;
import org.valueimprint.data.Role;
import org.valueimprint.data.Transcripts;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * Anthropic's hh-rlhf: each side is the whole dialogue as one transcript, and the two sides normally differ only in
 * the last assistant turn.
 *
 * <pre>{@code
 * {"chosen": "\n\nHuman: Hi\n\nAssistant: Hello!", "rejected": "\n\nHuman: Hi\n\nAssistant: Go away."}
 * }</pre>
 *
 * <p>Both sides are read with {@link Transcripts#parse(String)} and split with {@link PromptSplit#of}: the
 * {@link PreferencePair#prompt() prompt} is the turns both sides share, {@code chosen} and {@code rejected} the
 * turns after them (one assistant turn as a rule; several where a side has two assistant turns in a row, and a
 * trailing human turn where a side goes on after its reply). Sides whose transcripts are identical are a
 * {@link PreferencePair#tie() tie}. The id is {@code dataset:index}; there is no metadata.
 *
 * <p>A side that is empty or blank, or that has no {@code Assistant:} turn, holds no response to audit: the record
 * is rejected as {@link ProblemKind#EMPTY_RECORD}. A side that is not a dialogue, because it has no {@code Human:}
 * turn (only {@code Assistant:} turns, or text with no marker before them), is {@link ProblemKind#INVALID_FIELD},
 * and the message says so. A missing side is {@link ProblemKind#MISSING_FIELD}, one that is not a string (a number,
 * a message list) {@link ProblemKind#INVALID_FIELD}. The prompt may be empty only where the two sides differ from
 * their first turn. Each side must end with its assistant reply ({@link ChatMessages#response}): a side whose last
 * {@code Assistant:} turn is empty or blank holds nothing to compare and is {@link ProblemKind#EMPTY_RECORD}; a side
 * that goes on with a {@code Human:} turn after its last reply has no final answer and is
 * {@link ProblemKind#INVALID_FIELD}. Both name the side's field. An empty assistant turn earlier in the dialogue is
 * kept: it is part of the prompt. 13 of the 8,552 records of the bundled hh-rlhf test split are refused so (11 with an
 * empty last reply, 2 that end with a human turn); read them with {@code ErrorPolicy.SKIP} to skip and count them.
 *
 * <p>Detection: 100 when both sides are strings that each hold a {@code Human:} and an {@code Assistant:} turn;
 * at most 20 when the record also has a string {@code prompt} field (that is TRL's layout, not hh-rlhf's); 0
 * otherwise.
 */
final class HhRlhfFormat implements DatasetFormat {
    private static final String CHOSEN = "chosen";
    private static final String REJECTED = "rejected";

    @Override
    public String name() {
        return "hh-rlhf";
    }

    @Override
    public String description() {
        return "Anthropic hh-rlhf: {\"chosen\", \"rejected\"} whole \"\\n\\nHuman: ...\\n\\nAssistant: ...\" transcripts";
    }

    /** Only the two transcripts: a Parquet file's other columns are not decoded. */
    @Override
    public Optional<Set<String>> fields() {
        return Optional.of(Set.of(CHOSEN, REJECTED));
    }

    @Override
    public int detect(JsonNode record) {
        JsonNode chosen = record.get(CHOSEN);
        JsonNode rejected = record.get(REJECTED);
        if (chosen == null || rejected == null || !chosen.isTextual() || !rejected.isTextual()
                || !isDialogue(Transcripts.parse(chosen.textValue()))
                || !isDialogue(Transcripts.parse(rejected.textValue()))) {
            return 0;
        }
        JsonNode prompt = record.get("prompt");
        return prompt != null && prompt.isTextual() ? 20 : 100;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        Conversation chosen = side(record, CHOSEN);
        Conversation rejected = side(record, REJECTED);
        PromptSplit split = PromptSplit.of(chosen, rejected);
        out.accept(PreferencePair.of(context.recordId(), context.source(), split.prompt(), split.chosen(),
                        split.rejected())
                .withTie(chosen.equals(rejected)));
    }

    private static Conversation side(JsonNode record, String field) throws InvalidRecordException {
        JsonNode node = JsonFields.require(record, field);
        if (!node.isTextual()) {
            throw InvalidRecordException.invalidField(field, "must be a transcript string, was "
                    + JsonFields.describeValue(node));
        }
        Conversation conversation = Transcripts.parse(node.textValue());
        if (conversation.isEmpty()) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "the " + field + " transcript is empty");
        }
        if (!has(conversation, Role.USER)) {
            throw InvalidRecordException.invalidField(field, "is not a dialogue: the transcript has no \"Human:\" turn"
                    + (conversation.turns().stream().allMatch(t -> t.role() == Role.ASSISTANT)
                            ? " (only \"Assistant:\" turns)" : ""));
        }
        if (!has(conversation, Role.ASSISTANT)) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD,
                    "the " + field + " transcript has no \"Assistant:\" turn, so no response to audit");
        }
        // the side must end with a non-blank assistant reply: a side that goes on with a Human: turn after its last
        // reply, or whose last reply is empty, has no final answer to compare
        return ChatMessages.response(conversation, field);
    }

    private static boolean isDialogue(Conversation conversation) {
        return has(conversation, Role.USER) && has(conversation, Role.ASSISTANT);
    }

    private static boolean has(Conversation conversation, Role role) {
        return conversation.turns().stream().anyMatch(t -> t.role() == role);
    }
}
