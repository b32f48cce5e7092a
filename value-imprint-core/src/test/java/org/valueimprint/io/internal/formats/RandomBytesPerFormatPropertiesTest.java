package org.valueimprint.io.internal.formats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.internal.formats.FormatReadsPropertiesSupport.FormatFile;

/**
 * Issue 12: random bytes read with every built-in format named, in every container, under both error policies,
 * give records or a {@link org.valueimprint.io.DatasetReadException}, never another exception and never a hang.
 */
class RandomBytesPerFormatPropertiesTest {

    @Property(tries = 200)
    void randomBytesGiveRecordsOrATypedErrorInEveryFormat(@ForAll @Size(max = 400) byte[] bytes,
            @ForAll("formats") FormatFile format, @ForAll("names") String name, @ForAll ErrorPolicy policy) {
        FormatReadsPropertiesSupport.readsToRecordsOrATypedError(bytes, name, format.format(), policy);
    }

    /** Bytes that look like JSON (braces, quotes, keys of the formats) reach the formats' own checks more often. */
    @Property(tries = 200)
    void jsonLikeBytesGiveRecordsOrATypedErrorInEveryFormat(@ForAll("jsonLike") String text,
            @ForAll("formats") FormatFile format, @ForAll("names") String name, @ForAll ErrorPolicy policy) {
        FormatReadsPropertiesSupport.readsToRecordsOrATypedError(
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8), name, format.format(), policy);
    }

    @Provide
    Arbitrary<FormatFile> formats() {
        return Arbitraries.of(FormatReadsPropertiesSupport.FILES);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("x.jsonl", "x.json", "x.csv", "x.jsonl.gz", "x");
    }

    @Provide
    Arbitrary<String> jsonLike() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\n", " ", "1", "-0.5", "true",
                "null", "\"chosen\"", "\"rejected\"", "\"prompt\"", "\"role\"", "\"content\"", "\"text\"",
                "\"output\"", "\"instruction\"", "\"replies\"", "\"message_id\"", "\"label\"", "\"from\"",
                "\"value\"", "\"\\n\\nHuman: hi\"", "\"\\n\\nAssistant: yo\"", "\"assistant\"", "\"user\"", "\"\"");
        return token.list().ofMaxSize(60).map(l -> String.join("", l));
    }
}
