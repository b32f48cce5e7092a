package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Scores;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * The comparison data of GPT-4-LLM (Peng et al., 2023, "Instruction Tuning with GPT-4"), as published, in its two
 * versions. Each source record becomes exactly one {@link PreferencePair} whose prompt is one user turn, the
 * {@code user_input}.
 *
 * <p>Version 1 ({@code comparison_data_v1.json}) ranks two completions, {@code completion_a} above
 * {@code completion_b}:
 *
 * <pre>{@code
 * {"user_input": "Name a famous painter.", "completion_a": "Vincent van Gogh ...", "completion_b": "A painter."}
 * }</pre>
 *
 * {@code completion_a} becomes the chosen side and {@code completion_b} the rejected one; identical completions make
 * a tie. There are no scores.
 *
 * <p>Version 2 ({@code comparison_data_v2.json}) scores several responses (GPT-4 rated each, higher is better):
 *
 * <pre>{@code
 * {"user_input": "...", "responses_and_scores": [{"response": "...", "score": 9.0, "source": "gpt4"}, ...]}
 * }</pre>
 *
 * The pair is the best response against the worst: chosen is the first response with the highest score, rejected
 * the first response with the lowest score (other than the chosen one); blank responses are left out, since they
 * hold nothing to audit. This rule is chosen for an audit: the chosen side of every pair that is not a tie is
 * strictly preferred to its rejected side, each prompt counts once (one pair per prompt, as in the other datasets),
 * and no response is counted twice. Pairing every two responses with different scores would count the best
 * response as chosen once per worse response and give prompts with more responses more weight. The price is that
 * the middle responses of a prompt with three or more are not audited; their sources and scores are kept in the
 * metadata. When all scores are equal the record still becomes a pair (the first two responses), marked as a tie,
 * so that its texts are audited but count for no preference. The pair carries {@link Scores} (chosen and rejected
 * score) and metadata {@code chosen_source} and {@code rejected_source} (when the responses name one),
 * {@code responses} (how many responses the record holds) and {@code scores} (every response's
 * {@code source=score}, blank ones included, in order; {@code #i}, its 0-based position, for a response that names
 * no source).
 *
 * <p>Detected (score 95) from the keys: {@code user_input} with {@code completion_a} and {@code completion_b}, or
 * with {@code responses_and_scores}. A v2 record with fewer than two non-blank responses, or a blank completion in
 * v1, is {@link ProblemKind#EMPTY_RECORD}; a missing response or score is {@link ProblemKind#MISSING_FIELD}; a score
 * that is not a finite number, a text (prompt, response, source) that is not a string, or a record with both the v1
 * and the v2 fields is {@link ProblemKind#INVALID_FIELD}. Blank responses in a v2 list are left out of the choice
 * (they are listed in {@code scores}); the user input may be empty.
 */
final class Gpt4LlmComparisonFormat implements DatasetFormat {
    private static final String RESPONSES = "responses_and_scores";

    @Override
    public String name() {
        return "gpt4llm-comparison";
    }

    @Override
    public String description() {
        return "GPT-4-LLM comparisons {\"user_input\", \"completion_a\", \"completion_b\"} (v1) or"
                + " {\"user_input\", \"responses_and_scores\"} (v2)";
    }

    @Override
    public int detect(JsonNode record) {
        boolean v1 = JsonFields.hasAll(record, "user_input", "completion_a", "completion_b");
        boolean v2 = JsonFields.hasAll(record, "user_input", RESPONSES);
        return v1 || v2 ? 95 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        Conversation prompt = Conversation.user(JsonFields.requireText(record, "user_input"));
        if (JsonFields.find(record, RESPONSES).isPresent()) {
            for (String v1 : List.of("completion_a", "completion_b")) {
                if (JsonFields.find(record, v1).isPresent()) {
                    throw InvalidRecordException.invalidField(v1, "is a v1 field beside the v2 field \"" + RESPONSES
                            + "\": a record holds one shape or the other");
                }
            }
            out.accept(readV2(record, context, prompt));
            return;
        }
        String a = JsonFields.requireResponse(record, "completion_a");
        String b = JsonFields.requireResponse(record, "completion_b");
        out.accept(PreferencePair.of(context.recordId(), context.source(), prompt,
                        Conversation.assistant(a), Conversation.assistant(b))
                .withTie(a.equals(b)));
    }

    /** One scored response of a v2 record. */
    private record Scored(int index, String response, double score, String scoreText, Optional<String> source) {
        String label() {
            return source.orElse("#" + index) + "=" + scoreText;
        }
    }

    private static PreferencePair readV2(JsonNode record, RecordContext context, Conversation prompt)
            throws InvalidRecordException {
        JsonNode list = JsonFields.requireArray(record, RESPONSES);
        List<Scored> scored = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String field = RESPONSES + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw InvalidRecordException.invalidField(field, "must be an object, was " + JsonFields.describe(entry));
            }
            String response = text(entry, "response", field);
            JsonNode score = entry.get("score");
            if (score == null || score.isNull()) {
                throw InvalidRecordException.missingField(field + ".score");
            }
            if (!score.isNumber() || !Double.isFinite(score.asDouble())) {
                throw InvalidRecordException.invalidField(field + ".score",
                        "must be a finite number, was " + (score.isNumber() ? score.asText() : JsonFields.describe(score)));
            }
            Optional<String> source = entry.hasNonNull("source")
                    ? Optional.of(text(entry, "source", field)) : Optional.empty();
            Scored s = new Scored(i, response, score.asDouble(), score.asText(), source);
            labels.add(s.label());
            if (!response.isBlank()) {
                scored.add(s);
            }
        }
        if (scored.size() < 2) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "field \"" + RESPONSES + "\" holds "
                    + scored.size() + " non-empty response" + (scored.size() == 1 ? "" : "s")
                    + "; a pair needs two");
        }
        Scored best = scored.get(0);
        for (Scored s : scored) {
            if (s.score() > best.score()) {
                best = s;
            }
        }
        Scored worst = null;
        for (Scored s : scored) {
            if (s != best && (worst == null || s.score() < worst.score())) {
                worst = s;
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        best.source().ifPresent(s -> metadata.put("chosen_source", s));
        worst.source().ifPresent(s -> metadata.put("rejected_source", s));
        metadata.put("responses", String.valueOf(list.size()));
        metadata.put("scores", String.join(", ", labels));
        return PreferencePair.of(context.recordId(), context.source(), prompt,
                        Conversation.assistant(best.response()), Conversation.assistant(worst.response()))
                .withTie(best.score() == worst.score())
                .withScores(new Scores(best.score(), worst.score()))
                .withMetadata(metadata);
    }

    /** The text of a field of a v2 response entry, with the entry's path in messages. */
    private static String text(JsonNode entry, String name, String entryPath) throws InvalidRecordException {
        JsonNode node = entry.get(name);
        if (node == null || node.isNull()) {
            throw InvalidRecordException.missingField(entryPath + "." + name);
        }
        return JsonFields.text(node, entryPath + "." + name);
    }
}
