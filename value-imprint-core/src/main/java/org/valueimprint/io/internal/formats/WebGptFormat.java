package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
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
import org.valueimprint.io.RecordContext;

/**
 * OpenAI WebGPT comparisons ({@code openai/webgpt_comparisons}): two answers to a question, each with the web
 * quotes it was written from and a score. For example (shortened):
 * {@code {"question": {"dataset": "eli5", "id": "eli5_1", "full_text": "Why is the sky blue?"}, "quotes_0":
 * {"title": ["Rayleigh scattering"], "extract": ["..."]}, "answer_0": "Sunlight is scattered ... [1]",
 * "tokens_0": {...}, "score_0": 0.5, "quotes_1": {...}, "answer_1": "...", "tokens_1": {...}, "score_1": -0.5}}.
 *
 * <p>The prompt is {@code question.full_text} as a user turn; the answer with the higher score is chosen (the two
 * scores are in [-1, 1] and sum to 0), and both scores become the pair's {@link Scores}. Equal scores (0 and 0)
 * are a tie: {@code answer_0} is taken as chosen and the tie flag is set. Answers are kept as written, citation
 * markers such as {@code [1]} included. The quotes are the browsing evidence, not what the answer says, so they are
 * not part of the audited text; their counts are kept as {@code quotes_chosen} and {@code quotes_rejected}. The
 * tokens are ignored.
 *
 * <p>The id is {@code <question.id>:<record index>} (a question is compared several times); without a question id
 * it is the default record id. Metadata: {@code question_dataset} ({@code eli5}, {@code triviaqa}, ...),
 * {@code question_id}, and the quote counts.
 *
 * <p>The question text and the answers must be strings (a number is {@code INVALID_FIELD}, not read as its text); a
 * blank answer is {@code EMPTY_RECORD}; an empty question is kept. Scores may be numbers or numeric strings.
 */
final class WebGptFormat implements DatasetFormat {

    @Override
    public String name() {
        return "webgpt";
    }

    @Override
    public String description() {
        return "OpenAI WebGPT comparisons: {\"question\": {\"full_text\"}, \"answer_0\", \"score_0\", \"answer_1\","
                + " \"score_1\"}; the higher score is chosen";
    }

    @Override
    public int detect(JsonNode record) {
        return JsonFields.hasAll(record, "question", "answer_0", "answer_1", "score_0", "score_1") ? 100 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        JsonNode question = JsonFields.require(record, "question");
        if (!question.isObject()) {
            throw InvalidRecordException.invalidField("question", "must be an object with \"full_text\", was "
                    + JsonFields.describe(question));
        }
        String prompt = JsonFields.requireText(record, "question.full_text");
        String answer0 = JsonFields.requireResponse(record, "answer_0");
        String answer1 = JsonFields.requireResponse(record, "answer_1");
        double score0 = JsonFields.requireNumber(record, "score_0");
        double score1 = JsonFields.requireNumber(record, "score_1");
        boolean firstChosen = score0 >= score1;

        Map<String, String> metadata = new LinkedHashMap<>();
        JsonFields.optionalText(record, "question.dataset").ifPresent(d -> metadata.put("question_dataset", d));
        Optional<String> questionId = JsonFields.optionalId(record, "question.id").filter(id -> !id.isEmpty());
        questionId.ifPresent(id -> metadata.put("question_id", id));
        putQuoteCount(record, firstChosen ? "quotes_0" : "quotes_1", "quotes_chosen", metadata);
        putQuoteCount(record, firstChosen ? "quotes_1" : "quotes_0", "quotes_rejected", metadata);

        String id = questionId.map(q -> q + ":" + context.source().index()).orElse(context.recordId());
        out.accept(PreferencePair.of(
                        id,
                        context.source(),
                        Conversation.user(prompt),
                        Conversation.assistant(firstChosen ? answer0 : answer1),
                        Conversation.assistant(firstChosen ? answer1 : answer0))
                .withTie(score0 == score1)
                .withScores(firstChosen ? new Scores(score0, score1) : new Scores(score1, score0))
                .withMetadata(metadata));
    }

    /** The number of quote extracts of one answer, when its quotes are given in the usual shape. */
    private static void putQuoteCount(JsonNode record, String field, String key, Map<String, String> metadata) {
        JsonFields.find(record, field + ".extract")
                .filter(JsonNode::isArray)
                .ifPresent(extracts -> metadata.put(key, Integer.toString(extracts.size())));
    }
}
