package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.RecordContext;

/**
 * PKU-SafeRLHF ({@code PKU-Alignment/PKU-SafeRLHF}): a prompt, two responses, and two separate preferences, one for
 * helpfulness and one for harmlessness. For example (shortened): {@code {"prompt": "How do I pick a lock?",
 * "response_0": "...", "response_1": "...", "is_response_0_safe": false, "is_response_1_safe": true,
 * "better_response_id": 0, "safer_response_id": 1, ...}}. Later versions add sources, harm categories and severity
 * levels, which are ignored.
 *
 * <p>The prompt is a user turn. The <em>better</em> response ({@code better_response_id}, 0 or 1) is chosen, as the
 * helpfulness preference is the one that matches other datasets' "chosen". The harmlessness preference is kept in
 * metadata: {@code safer} is {@code chosen} or {@code rejected} (from {@code safer_response_id}), and
 * {@code chosen_safe} and {@code rejected_safe} copy {@code is_response_N_safe}, when given. The id is the default
 * record id.
 *
 * <p>The prompt and responses must be strings (a number is {@code INVALID_FIELD}, not read as its text); a blank
 * response is {@code EMPTY_RECORD}; an empty prompt is kept. The response ids may be numbers or numeric strings.
 */
final class PkuSafeRlhfFormat implements DatasetFormat {

    @Override
    public String name() {
        return "pku-saferlhf";
    }

    @Override
    public String description() {
        return "PKU-SafeRLHF: {\"prompt\", \"response_0\", \"response_1\", \"better_response_id\","
                + " \"safer_response_id\"}; the better response is chosen";
    }

    @Override
    public int detect(JsonNode record) {
        return JsonFields.hasAll(record, "prompt", "response_0", "response_1", "better_response_id") ? 100 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        String prompt = JsonFields.requireText(record, "prompt");
        String[] responses = {
            JsonFields.requireResponse(record, "response_0"), JsonFields.requireResponse(record, "response_1")
        };
        int better = JsonFields.requireZeroOrOne(record, "better_response_id");
        int worse = 1 - better;

        Map<String, String> metadata = new LinkedHashMap<>();
        if (JsonFields.optionalNumber(record, "safer_response_id").isPresent()) {
            int safer = JsonFields.requireZeroOrOne(record, "safer_response_id");
            metadata.put("safer", safer == better ? "chosen" : "rejected");
        }
        JsonFields.optionalScalarText(record, "is_response_" + better + "_safe")
                .ifPresent(safe -> metadata.put("chosen_safe", safe));
        JsonFields.optionalScalarText(record, "is_response_" + worse + "_safe")
                .ifPresent(safe -> metadata.put("rejected_safe", safe));

        out.accept(PreferencePair.of(
                        context.recordId(),
                        context.source(),
                        Conversation.user(prompt),
                        Conversation.assistant(responses[better]),
                        Conversation.assistant(responses[worse]))
                .withMetadata(metadata));
    }
}
