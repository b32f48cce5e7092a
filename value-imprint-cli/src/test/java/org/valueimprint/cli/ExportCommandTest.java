package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.onnx.internal.patch.WeightPatch;

/** {@code value-imprint export}: standalone ONNX files from a bundle. */
class ExportCommandTest {
    private static final Path FROZEN =
            Path.of("../value-imprint-onnx/src/main/resources/org/valueimprint/onnx/frozen-model");

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
        // the default model carries a weight patch: its encoder is the Maven jar's model with the patch applied
        byte[] patched = Files.readAllBytes(encoder);
        assertThat(patched).isNotEqualTo(base);
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault()) {
            assertThat(WeightPatch.sha256(patched)).isEqualTo(c.manifest().encoder().sha256());
        }
        // the frozen model carries none: its encoder is the Maven jar's model, byte for byte
        Path frozen = dir.resolve("frozen.onnx");
        assertThat(run(out, err, "export", "--encoder-only", "--model", FROZEN.toString(), "--out",
                frozen.toString())).as(err.toString()).isZero();
        assertThat(Files.readAllBytes(frozen)).isEqualTo(base);
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
