package org.valueimprint.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the reading engine over arbitrary input. */
class ReadingPropertiesTest {

    /** Arbitrary bytes give records or a typed error, under either policy, in any container. */
    @Property(tries = 300)
    void arbitraryBytesGiveRecordsOrATypedError(
            @ForAll @Size(max = 600) byte[] bytes, @ForAll("names") String name, @ForAll ErrorPolicy policy) {
        ReadOptions options = ReadOptions.builder().errorPolicy(policy).build();
        try (PreferenceDataset ds = PreferenceDatasets.open(new ByteArrayInputStream(bytes), name, options)) {
            long n = ds.stream().count();
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(stats.recordsAccepted() + stats.recordsSkipped());
            assertThat(stats.recordsProduced()).isEqualTo(n);
        } catch (DatasetReadException expected) {
            assertThat(expected.kind()).isNotNull();
            assertThat(expected.getMessage()).startsWith(name);
        }
    }

    /**
     * Arbitrary lines, good and bad mixed, under SKIP with any share allowed: every non-blank line is read, good ones
     * accepted; a file with lines but no good one fails at its end (total loss is not success).
     */
    @Property(tries = 200)
    void skippingAccountsForEveryLine(@ForAll("lines") List<String> lines) {
        String content = String.join("\n", lines) + "\n";
        ReadOptions options = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).format("test-pair")
                .maxSkippedShare(1).build();
        long nonBlank = lines.stream().filter(l -> !l.isBlank()).count();
        long good = lines.stream().filter(l -> l.startsWith("{\"q\"")).count();
        try (PreferenceDataset ds = PreferenceDatasets.open(
                new ByteArrayInputStream(content.getBytes(UTF_8)), "lines.jsonl", options)) {
            long produced;
            try {
                produced = ds.stream().count();
                assertThat(good > 0 || nonBlank == 0).as("read without error").isTrue();
            } catch (DatasetReadException e) {
                assertThat(e.kind()).isEqualTo(ProblemKind.TOO_MANY_SKIPPED);
                assertThat(good).isZero();
                produced = 0;
            }
            ReadStats stats = ds.stats();
            assertThat(stats.recordsRead()).isEqualTo(nonBlank);
            assertThat(stats.recordsAccepted()).isEqualTo(good);
            assertThat(produced).isEqualTo(good);
            assertThat(stats.recordsSkipped()).isEqualTo(nonBlank - good);
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("x.jsonl", "x.json", "x.csv", "x.tsv.gz", "x");
    }

    @Provide
    Arbitrary<List<String>> lines() {
        // Any text that needs no escaping in a JSON string: no control characters, quotes, backslashes, surrogates.
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(20)
                .map(s -> s.replace("\\", "/").replace("\"", "'"));
        Arbitrary<String> good = text.map(t -> "{\"q\":\"" + t + "\",\"good\":\"g\",\"bad\":\"b\"}");
        Arbitrary<String> missing = text.map(t -> "{\"r\":\"" + t + "\"}");
        Arbitrary<String> junk = Arbitraries.strings().withChars("{}[]\":,ab ").ofMaxLength(15)
                .filter(s -> !s.startsWith("{\"q\""));
        Arbitrary<String> blank = Arbitraries.of("", "  ", "\t");
        return Arbitraries.oneOf(good, missing, junk, blank).list().ofMaxSize(30);
    }
}
