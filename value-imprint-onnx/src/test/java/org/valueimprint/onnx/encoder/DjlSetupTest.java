package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.Utils;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL, as it reads its own settings, runs offline with a writable cache once an encoder is loaded. */
class DjlSetupTest {
    @Test
    void djlIsOfflineWithAWritableCacheAndNoTelemetry() {
        TestTexts.minilmQ();
        assertThat(Utils.isOfflineMode()).isTrue();
        assertThat(Utils.getEnvOrSystemProperty("RUST_FLAVOR")).isEqualTo("cpu");
        assertThat(Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")).isEqualTo("true");
        Path cache = Utils.getEngineCacheDir("tokenizers");
        assertThat(cache).isDirectory();
        assertThat(Files.isWritable(cache)).isTrue();
    }

    @Test
    void writableCreatesMissingFolders(@TempDir Path dir) {
        Path nested = dir.resolve("a/b/c");
        assertThat(DjlSetup.writable(nested)).isTrue();
        assertThat(nested).isDirectory();
    }
}
