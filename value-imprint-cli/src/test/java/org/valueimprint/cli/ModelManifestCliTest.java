package org.valueimprint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.cli.CliRun.data;
import static org.valueimprint.cli.CliRun.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/** {@code --model <dir>} with a bad manifest is a model error: exit code 4 and one line naming the manifest. */
class ModelManifestCliTest {
    private static final String HARMLESS = data("hh-rlhf/harmless-base/test.jsonl.gz").toString();

    @TempDir
    Path dir;

    /** A copy of the bundled default model whose manifest has {@code from} replaced by {@code to}. */
    private Path bundle(String from, String to) throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        for (String file : new String[] {"manifest.json", "head.bin", "encoder.patch"}) {
            try (InputStream in = getClass().getClassLoader()
                    .getResourceAsStream(BundledModels.DEFAULT_MODEL + file)) {
                Files.copy(in, bundle.resolve(file));
            }
        }
        Path manifest = bundle.resolve("manifest.json");
        // one spelling of "key": value, whichever printer wrote the manifest
        String text = Files.readString(manifest).replaceAll("\"\\s*:\\s*", "\": ");
        assertThat(text).contains(from);
        Files.writeString(manifest, text.replace(from, to));
        return bundle;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"pooling\": \"MEAN\"|\"pooling\": \"BOGUS\"|\"encoder.pooling\" must be MEAN or CLS, was \"BOGUS\"",
        "\"max_length\": 256|\"max_length\": -5|\"encoder.max_length\" must be an integer in [1, 65536], was -5",
        "\"file\": \"head.bin\"|\"file\": \"../../../../etc/passwd\"|\"head.file\" must stay inside the bundle",
        "\"file\": \"head.bin\"|\"file\": \"/etc/passwd\"|\"head.file\" must be a relative path inside the bundle",
    })
    void aBadManifestEndsWithExitCode4AndOneLine(String from, String to, String expected) throws IOException {
        Path bundle = bundle(from, to);
        CliRun r = run("audit", "--model", bundle.toString(), "--limit", "5", "--quiet", HARMLESS);
        assertThat(r.code).as(r.err).isEqualTo(ValueImprintCommand.MODEL_ERROR).isEqualTo(4);
        assertThat(r.err.strip()).doesNotContain("\n").doesNotContain("No enum constant")
                .contains(bundle.toAbsolutePath().resolve("manifest.json").toString()).contains(expected);
        assertThat(r.out).isEmpty();
    }

    @Test
    void aLinkOutOfTheBundleEndsWithExitCode4() throws IOException {
        Path bundle = bundle("\"kind\"", "\"kind\"");
        Path secret = Files.writeString(dir.resolve("secret.bin"), "not a head");
        Files.delete(bundle.resolve("head.bin"));
        Files.createSymbolicLink(bundle.resolve("head.bin"), secret.toAbsolutePath());
        CliRun r = run("audit", "--model", bundle.toString(), "--limit", "5", "--quiet", HARMLESS);
        assertThat(r.code).as(r.err).isEqualTo(4);
        assertThat(r.err.strip()).doesNotContain("\n").contains("is a link that leads out of the model bundle");
    }
}
