package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.data.PreferenceRecord;

/**
 * A dataset format: how one source record (a JSON Lines line, a JSON array element, or a CSV row read as an object
 * of strings) becomes preference records. The reader handles everything else: decompression, containers, limits,
 * positions, the error policy and detection.
 *
 * <p>Implementations must be stateless and thread-safe. Built-in formats are listed by
 * {@link DatasetFormats#all()}; a user's own format is added by listing its class in
 * {@code META-INF/services/org.valueimprint.io.DatasetFormat}.
 *
 * <pre>{@code
 * public final class MyFormat implements DatasetFormat {
 *     public String name() { return "my-format"; }
 *     public String description() { return "{\"q\", \"good\", \"bad\"} objects"; }
 *     public int detect(JsonNode record) { return JsonFields.hasAll(record, "q", "good", "bad") ? 80 : 0; }
 *     public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
 *             throws InvalidRecordException {
 *         out.accept(PreferencePair.of(context.recordId(), context.source(),
 *                 Conversation.user(JsonFields.requireText(record, "q")),
 *                 Conversation.assistant(JsonFields.requireText(record, "good")),
 *                 Conversation.assistant(JsonFields.requireText(record, "bad"))));
 *     }
 * }
 * }</pre>
 */
public interface DatasetFormat {
    /** The unique name, lower-case with hyphens, used to name the format in options and on the command line. */
    String name();

    /** One line saying what the format looks like, shown in listings and in the unknown-format message. */
    String description();

    /**
     * How well a source record fits this format, from 0 (not this format) to 100 (certainly this format). Used to
     * detect the format from a file's first records: the format with the highest total wins. Must not throw.
     * Formats that cannot be told from the data (such as {@code generic}) return 0 and are only used when named.
     */
    int detect(JsonNode record);

    /**
     * Turns one source record into zero or more preference records, passed to {@code out} in order.
     *
     * @throws InvalidRecordException when the record does not fit the format
     */
    void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out) throws InvalidRecordException;

    /**
     * The top-level fields {@link #read} looks at, when it looks at no others (nothing else goes into a record, not
     * even its metadata). A columnar container such as Parquet then decodes only these columns once the format is
     * known. Empty (the default) when the format may read any field: every column is read.
     */
    default Optional<Set<String>> fields() {
        return Optional.empty();
    }
}
