package org.valueimprint.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Messages never copy a large value: quoted values are cut to a few dozen characters, in every reader. */
class ExcerptsTest {
    @Test
    void longQuotedValuesAreCutAndShortOnesKept() {
        String value = "a".repeat(100);
        assertThat(Excerpts.cut("missing field \"chosen\" in \"" + value + "\""))
                .isEqualTo("missing field \"chosen\" in \"" + "a".repeat(40) + "...(60 more chars)\"");
        assertThat(Excerpts.cut("Unrecognized token '" + value + "': was expecting a value"))
                .isEqualTo("Unrecognized token '" + "a".repeat(40) + "...(60 more chars)': was expecting a value");
        // Apostrophes in prose are not quotes.
        String prose = "the record doesn't hold a reply, so there's nothing to compare in it at all, really";
        assertThat(Excerpts.cut(prose)).isEqualTo(prose);
        assertThat(Excerpts.cut("x".repeat(2000))).hasSize(Excerpts.LINE_CHARS + "...(1500 more chars)".length());
    }

    @Property(tries = 200)
    void aCutMessageIsNeverLong(@ForAll @StringLength(max = 3000) String text) {
        String cut = Excerpts.cut(text);
        for (String line : cut.split("\n", -1)) {
            assertThat(line.length()).isLessThanOrEqualTo(Excerpts.LINE_CHARS + 30);
        }
    }

    @Test
    void noReaderCopiesAMegabyteValueIntoItsMessage() {
        String huge = "z".repeat(1 << 20);
        ReadOptions options = ReadOptions.defaults();
        String[][] inputs = {
            {"x.jsonl", "{\"q\": \"a\", \"good\": " + huge + "}\n"},
            {"x.json", "[{\"q\": \"a\", \"good\": " + huge + "}]"},
            {"x.csv", "q,good,bad\na,b,c,\"" + huge + "\"\n"},
        };
        for (String[] input : inputs) {
            try (PreferenceDataset ds = PreferenceDatasets.open(
                    new ByteArrayInputStream(input[1].getBytes(UTF_8)), input[0], options)) {
                ds.stream().count();
                throw new AssertionError(input[0] + " was read");
            } catch (DatasetReadException e) {
                assertThat(e.getMessage()).as(input[0]).startsWith(input[0]).hasSizeLessThan(600);
            }
        }
    }
}
