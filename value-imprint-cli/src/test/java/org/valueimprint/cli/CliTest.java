package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: commands, output and exit codes. */
class CliTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = ValueImprintCommand.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private static Path data(String relative) {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("examples/data"))) {
            d = d.getParent();
        }
        return d.resolve("examples/data").resolve(relative);
    }

    @Test
    void formatsListsTheBuiltInFormats() {
        assertThat(run("formats")).isZero();
        assertThat(out).contains("hh-rlhf").contains("trl").contains("generic");
    }

    @Test
    void taxonomyShowListsTheSevenValues() {
        assertThat(run("taxonomy", "show")).isZero();
        assertThat(out).contains("value-imprint").contains("Information Seeking").contains("Empathy/Helpfulness")
                .contains("Justice & Human/Animal Rights");
        assertThat(out.lines().filter(l -> l.startsWith("  "))).hasSize(7);
    }

    @Test
    void taxonomyValidateReportsEveryProblemWithExitCode3() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"id\":\"t\",\"version\":\"1\",\"name\":\"T\",\"values\":["
                + "{\"id\":\"a\",\"label\":\"A\",\"definition\":\"d\"},{\"id\":\"a\",\"label\":\"\",\"definition\":\"d\"}]}");
        assertThat(run("taxonomy", "validate", bad.toString())).isEqualTo(3);
        assertThat(err).contains(bad.toString()).contains("/values/1");
        assertThat(err).doesNotContain("\tat ");
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"id\":\"t\",\"version\":\"1\",\"name\":\"T\",\"values\":["
                + "{\"id\":\"a\",\"label\":\"A\",\"definition\":\"d\"},{\"id\":\"b\",\"label\":\"B\",\"definition\":\"d\"}]}");
        assertThat(run("taxonomy", "validate", good.toString())).isZero();
        assertThat(out).contains("valid").contains("2 values");
    }

    @Test
    void inspectCountsRecordsAndNamesTheFormat() {
        // 4 of harmless-base's 2,312 records have an empty last chosen reply: skipped and counted under skip
        Path harmless = data("hh-rlhf/harmless-base/test.jsonl.gz");
        assertThat(run("inspect", "--on-error", "skip", harmless.toString())).isZero();
        assertThat(out).contains("[hh-rlhf]").contains("harmless-base/test").contains("2308")
                .contains("source records read 2312 = accepted 2308 + skipped 4; records produced 2308")
                .contains("skipped, empty_record: 4")
                .contains("e.g. " + harmless + ", line 87: field \"chosen\" holds an empty assistant response")
                .contains(harmless + ", line 1104: ");
        // and under the default policy the first of them stops the read: exit 3, naming the file, line and field
        assertThat(run("inspect", harmless.toString())).isEqualTo(3);
        assertThat(err).contains(harmless + ", line 87: ").contains("field \"chosen\"").doesNotContain("\tat ");
    }

    @Test
    void badInputExitsWith3AndNamesFileAndLine() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"chosen\":\"\\n\\nHuman: hi\\n\\nAssistant: yes\",\"rejected\":\"\\n\\nHuman: hi"
                + "\\n\\nAssistant: no\"}\n{\"chosen\": oops}\n");
        assertThat(run("inspect", bad.toString())).isEqualTo(3);
        assertThat(err).contains(bad + ", line 2").doesNotContain("\tat ");
        assertThat(run("inspect", "--on-error", "skip", bad.toString())).isZero();
        assertThat(out).contains("skipped, malformed_json: 1");
        assertThat(run("--verbose", "inspect", bad.toString())).isEqualTo(3);
        assertThat(err).contains("\tat ");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("inspect")).isEqualTo(2);
        assertThat(run("no-such-command")).isEqualTo(2);
        assertThat(run("inspect", "--on-error", "maybe", data("hh-rlhf/harmless-base/test.jsonl.gz").toString()))
                .isEqualTo(2);
    }
}
