package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code value-imprint export}: standalone ONNX files from a bundle. */
class ExportCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        return ValueImprintCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void writesTheDefaultModelsEncoderAndTheFusedModel() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path encoder = dir.resolve("encoder.onnx");
        assertThat(run(out, err, "export", "--encoder-only", "--out", encoder.toString())).as(err.toString()).isZero();
        byte[] base;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            base = in.readAllBytes();
        }
        // the default model carries no patch: its encoder is the Maven jar's model, byte for byte
        assertThat(Files.readAllBytes(encoder)).isEqualTo(base);
        Path fused = dir.resolve("fused.onnx");
        assertThat(run(out, err, "export", "--out", fused.toString())).as(err.toString()).isZero();
        assertThat(Files.size(fused)).isGreaterThan(base.length);
        assertThat(out.toString()).contains("wrote");
    }

    @Test
    void refusesAFolderThatIsNoBundle() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(out, err, "export", "--model", dir.toString(), "--out", dir.resolve("x.onnx").toString()))
                .isEqualTo(4);
        assertThat(err.toString()).contains("manifest.json");
    }
}
