package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * DJL sees its offline settings while a tokenizer is created, and the JVM's system properties are as they were
 * before and after: loading a classifier changes no JVM-wide state.
 */
class DjlSetupTest {
    /** Session settings no other test uses, so that this test's load is a real one, not a share of an open model. */
    private static final EncoderOptions OWN = EncoderOptions.defaults().withIntraOpThreads(1).withInterOpThreads(4);

    /**
     * Properties that are not settings but records the JVM and libraries keep of their own state, which appear
     * the first time that happens in a JVM: the JDK's {@code user.timezone} (set when the default time zone is first
     * read), and JNA's record of its native library load ({@code jna.loaded}, {@code jnidispatch.path},
     * {@code jna.platform.library.path}; DJL loads JNA to look for CUDA, and a loaded native library stays loaded).
     */
    static final Set<String> OWN_STATE = Set.of("user.timezone", "jna.loaded", "jnidispatch.path",
            "jna.platform.library.path");

    /** The system properties, less {@link #OWN_STATE}. */
    static Map<String, String> properties() {
        Map<String, String> out = new TreeMap<>();
        System.getProperties().forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        out.keySet().removeAll(OWN_STATE);
        return out;
    }

    @Test
    void loadDefaultLeavesTheSystemPropertiesAsTheyWere() {
        Map<String, String> before = properties();
        try (OnnxValueClassifier classifier = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), OWN)) {
            assertThat(properties()).isEqualTo(before);
            classifier.classify(TestTexts.hhRlhfShort(2));
        }
        assertThat(properties()).isEqualTo(before);
    }

    @Test
    void djlIsOfflineWithAWritableCacheAndNoTelemetryWhileATokenizerIsCreated() {
        Map<String, String> before = properties();
        List<Object> seen = DjlSetup.call(() -> List.of(Utils.isOfflineMode(),
                Utils.getEnvOrSystemProperty("RUST_FLAVOR"), Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING"),
                Utils.getEngineCacheDir("tokenizers")));
        assertThat(seen.subList(0, 3)).containsExactly(true, "cpu", "true");
        Path cache = (Path) seen.get(3);
        assertThat(DjlSetup.writable(cache)).isTrue();
        assertThat(properties()).isEqualTo(before);
    }

    @Test
    void propertiesComeBackAfterAFailureIncludingAnEmptyValue() {
        assumeTrue(System.getenv("OPT_OUT_TRACKING") == null, "OPT_OUT_TRACKING is set in the environment");
        String old = System.getProperty("OPT_OUT_TRACKING");
        System.setProperty("OPT_OUT_TRACKING", ""); // empty counts as unset for DJL's setting, and for ours
        try {
            assertThatThrownBy(() -> DjlSetup.call(() -> {
                assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
                throw new IllegalStateException("tokenizer failed");
            })).hasMessage("tokenizer failed");
            assertThat(System.getProperty("OPT_OUT_TRACKING")).isEmpty();
            System.clearProperty("OPT_OUT_TRACKING");
            DjlSetup.call(() -> null);
            assertThat(System.getProperties()).doesNotContainKey("OPT_OUT_TRACKING");
        } finally {
            restore("OPT_OUT_TRACKING", old);
        }
    }

    @Test
    void aPropertyChangedByOthersDuringTheLoadIsLeftAlone() {
        assumeTrue(System.getenv("OPT_OUT_TRACKING") == null, "OPT_OUT_TRACKING is set in the environment");
        String old = System.getProperty("OPT_OUT_TRACKING");
        System.clearProperty("OPT_OUT_TRACKING");
        try {
            DjlSetup.call(() -> System.setProperty("OPT_OUT_TRACKING", "false"));
            assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("false");
        } finally {
            restore("OPT_OUT_TRACKING", old);
        }
    }

    /**
     * A fresh JVM with none of DJL's settings in its environment or properties (so DJL's native library is loaded
     * there, under our temporary settings) classifies with the default model and ends with the properties it started
     * with ({@link PropertiesProbe}).
     */
    @Test
    void aFreshJvmWithoutDjlSettingsKeepsItsPropertiesAcrossLoadDefault(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PropertiesProbe.class.getName());
        for (String name : List.of("RUST_FLAVOR", "DJL_OFFLINE", "OPT_OUT_TRACKING", "DJL_CACHE_DIR",
                "ENGINE_CACHE_DIR", "RUST_LIBRARY_PATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            builder.environment().remove(name);
        }
        Path log = dir.resolve("probe.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the probe JVM finished").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("properties unchanged").contains("no DJL setting before");
    }

    @Test
    void writableCreatesMissingFolders(@TempDir Path dir) {
        Path nested = dir.resolve("a/b/c");
        assertThat(DjlSetup.writable(nested)).isTrue();
        assertThat(nested).isDirectory();
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
