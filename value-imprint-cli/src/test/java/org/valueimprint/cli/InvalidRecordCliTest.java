package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, points 1-3 and 6 at the command line: a record with a wrong-typed, empty or repeated field ends an
 * audit under {@code --on-error fail} with exit code 3 and one line naming the file, the line and the field.
 */
class InvalidRecordCliTest {
    private static final String GOOD = "{\"prompt\": \"Give me one tip for saving energy at home.\", \"chosen\":"
            + " \"Lower the thermostat by one degree.\", \"rejected\": \"Buy a new house.\"}";

    @TempDir
    Path dir;

    private String model;

    @BeforeEach
    void fakeModel() throws IOException {
        model = CliRun.fakeModel(dir).toString();
    }

    private CliRun audit(String badLine) throws IOException {
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, GOOD + "\n" + badLine + "\n" + GOOD + "\n");
        return run("audit", "--model", model, "--on-error", "fail", "--quiet", "--format", "trl", file.toString());
    }

    private void assertOneLine(CliRun r, String detail) {
        Path file = dir.resolve("pairs.jsonl");
        assertThat(r.code).as(r.err).isEqualTo(3);
        assertThat(r.err.strip()).doesNotContain("\n").doesNotContain("\tat ")
                .contains(file + ", line 2: " + detail);
    }

    @Test
    void aNumberWhereTheChosenTextBelongsExitsWith3NamingFileLineAndField() throws IOException {
        assertOneLine(audit(GOOD.replace("\"Lower the thermostat by one degree.\"", "1")),
                "field \"chosen\" must be a string or a list of messages, was a number (1)");
    }

    @Test
    void anEmptyResponseExitsWith3() throws IOException {
        assertOneLine(audit(GOOD.replace("\"Buy a new house.\"", "\"  \"")),
                "field \"rejected\" holds an empty assistant response");
    }

    @Test
    void aRepeatedKeyExitsWith3() throws IOException {
        assertOneLine(audit(GOOD.replace("{\"prompt\"", "{\"chosen\": \"Other.\", \"prompt\"")),
                "field \"chosen\" appears twice in one object");
    }

    @Test
    void mixedShapesExitWith3() throws IOException {
        assertOneLine(audit(GOOD.replace("\"Buy a new house.\"",
                        "[{\"role\": \"assistant\", \"content\": \"Buy a new house.\"}]")),
                "field \"rejected\" is an array of 1 object while \"chosen\" is a string");
    }
}
