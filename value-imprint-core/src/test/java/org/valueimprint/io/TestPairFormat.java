package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;

/**
 * A format found through {@link java.util.ServiceLoader} (registered in this module's test resources), used by the
 * engine's tests: {@code {"q": str, "good": str, "bad": str}}.
 */
public final class TestPairFormat implements DatasetFormat {
    @Override
    public String name() {
        return "test-pair";
    }

    @Override
    public String description() {
        return "{\"q\", \"good\", \"bad\"} objects (tests only)";
    }

    @Override
    public int detect(JsonNode record) {
        return JsonFields.hasAll(record, "q", "good", "bad") ? 100 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        out.accept(PreferencePair.of(
                context.recordId(),
                context.source(),
                Conversation.user(JsonFields.requireText(record, "q")),
                Conversation.assistant(JsonFields.requireText(record, "good")),
                Conversation.assistant(JsonFields.requireText(record, "bad"))));
    }
}
