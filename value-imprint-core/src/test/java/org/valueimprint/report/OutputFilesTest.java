package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.internal.OutputFiles;

/** Report files are written atomically: the old file or the new one, never a truncated one, no temporary left. */
class OutputFilesTest {
    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("r.md"), "the old report");
        assertThatThrownBy(() -> OutputFiles.write(target, out -> {
            out.write("half of the new rep".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(Files.readString(target)).isEqualTo("the old report");
        assertThat(filesIn(dir)).isEqualTo(1);

        Path fresh = dir.resolve("new.json");
        assertThatThrownBy(() -> OutputFiles.write(fresh, out -> {
            out.write('{');
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class);
        assertThat(fresh).doesNotExist();
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void aWriterThatClosesItsStreamStillWritesEverything(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("x.txt");
        OutputFiles.write(target, out -> {
            out.write("all of it".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        assertThat(Files.readString(target)).isEqualTo("all of it");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void everyReportWriterReplacesItsFileWholeAndRefusesADirectory(@TempDir Path dir) throws IOException {
        AuditReport report = ReportSamples.full();
        Path json = Files.writeString(dir.resolve("r.json"), "x".repeat(1_000_000));
        Path md = Files.writeString(dir.resolve("r.md"), "x".repeat(1_000_000));
        Path html = Files.writeString(dir.resolve("r.html"), "x");
        ReportJson.write(report, json);
        MarkdownReport.write(report, md);
        HtmlReport.write(report, html);
        assertThat(ReportJson.read(json)).isEqualTo(report);
        assertThat(Files.readString(md)).isEqualTo(MarkdownReport.render(report));
        assertThat(Files.readString(html)).isEqualTo(HtmlReport.render(report));
        assertThat(filesIn(dir)).isEqualTo(3);

        Path aDirectory = Files.createDirectories(dir.resolve("d.json"));
        assertThatThrownBy(() -> ReportJson.write(report, aDirectory)).isInstanceOf(IOException.class)
                .hasMessageContaining("is a directory");
        assertThat(filesIn(dir)).isEqualTo(4);
    }
}
