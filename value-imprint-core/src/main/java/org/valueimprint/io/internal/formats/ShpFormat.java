package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
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
 * Stanford Human Preferences ({@code stanfordnlp/SHP}): a Reddit post and two top-level comments on it, the one
 * that readers preferred (more upvotes, posted later) labelled. For example (shortened):
 * {@code {"post_id": "himc90", "domain": "askculinary_train", "upvote_ratio": 0.98, "history": "How do I keep
 * rice from sticking?", "c_root_id_A": "fv1a2b3", "c_root_id_B": "fv1c4d5", "created_at_utc_A": 1593535113,
 * "created_at_utc_B": 1593535114, "score_A": 52, "score_B": 8, "human_ref_A": "Rinse it first.", "human_ref_B":
 * "Use more oil.", "labels": 1, "seconds_difference": 1.0, "score_ratio": 6.5}}.
 *
 * <p>The post ({@code history}) is the prompt, as a user turn; the comments ({@code human_ref_A},
 * {@code human_ref_B}) are the two responses, as assistant turns although people wrote them. {@code labels} is 1
 * when A is preferred and 0 when B is; the preferred comment is chosen. {@code score_A} and {@code score_B}
 * (the comments' upvote scores) become the pair's {@link Scores} when both are given. SHP has no ties.
 *
 * <p>The id is {@code <post_id>:<chosen comment id>><rejected comment id>} when the post and comment ids are given
 * (a post is compared several times), otherwise the default record id. Metadata: {@code domain} (the subreddit and
 * split) and {@code post_id}.
 *
 * <p>The post and the comments must be strings (a number is {@code INVALID_FIELD}, not read as its text); a blank
 * comment is {@code EMPTY_RECORD}; an empty post is kept. Scores and labels may be numbers or numeric strings.
 */
final class ShpFormat implements DatasetFormat {

    @Override
    public String name() {
        return "shp";
    }

    @Override
    public String description() {
        return "Stanford SHP: {\"history\", \"human_ref_A\", \"human_ref_B\", \"labels\": 1 if A is preferred,"
                + " \"score_A\", \"score_B\", \"domain\"}";
    }

    @Override
    public int detect(JsonNode record) {
        return JsonFields.hasAll(record, "history", "human_ref_A", "human_ref_B", "labels") ? 100 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        String post = JsonFields.requireText(record, "history");
        String refA = JsonFields.requireResponse(record, "human_ref_A");
        String refB = JsonFields.requireResponse(record, "human_ref_B");
        boolean aChosen = JsonFields.requireZeroOrOne(record, "labels") == 1;
        OptionalDouble scoreA = JsonFields.optionalNumber(record, "score_A");
        OptionalDouble scoreB = JsonFields.optionalNumber(record, "score_B");

        Map<String, String> metadata = new LinkedHashMap<>();
        JsonFields.optionalText(record, "domain").ifPresent(d -> metadata.put("domain", d));
        Optional<String> postId = JsonFields.optionalId(record, "post_id").filter(p -> !p.isEmpty());
        postId.ifPresent(p -> metadata.put("post_id", p));
        Optional<String> commentA = JsonFields.optionalId(record, "c_root_id_A").filter(c -> !c.isEmpty());
        Optional<String> commentB = JsonFields.optionalId(record, "c_root_id_B").filter(c -> !c.isEmpty());
        String id = postId.isPresent() && commentA.isPresent() && commentB.isPresent()
                ? postId.get() + ":" + (aChosen ? commentA.get() + ">" + commentB.get()
                        : commentB.get() + ">" + commentA.get())
                : context.recordId();

        PreferencePair pair = PreferencePair.of(
                        id,
                        context.source(),
                        Conversation.user(post),
                        Conversation.assistant(aChosen ? refA : refB),
                        Conversation.assistant(aChosen ? refB : refA))
                .withMetadata(metadata);
        if (scoreA.isPresent() && scoreB.isPresent()) {
            double a = scoreA.getAsDouble();
            double b = scoreB.getAsDouble();
            pair = pair.withScores(aChosen ? new Scores(a, b) : new Scores(b, a));
        }
        out.accept(pair);
    }
}
