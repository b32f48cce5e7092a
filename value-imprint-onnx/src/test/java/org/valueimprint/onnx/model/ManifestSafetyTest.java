package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValuePrediction;

/**
 * A model bundle's manifest can name only files inside the bundle, each no larger than the cap of its kind, and a bad
 * value in it is a {@link ModelException} of one line naming the manifest and the field, found before any file it
 * names is read.
 */
class ManifestSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path bundle;
    private Path outside;

    /** A copy of the bundled default model (manifest, head, encoder patch) and a readable file beside it. */
    @BeforeEach
    void copyDefaultModel() throws IOException {
        bundle = Files.createDirectories(dir.resolve("bundle"));
        for (String file : new String[] {"manifest.json", "head.bin", "encoder.patch"}) {
            try (InputStream in = getClass().getClassLoader()
                    .getResourceAsStream(BundledModels.DEFAULT_MODEL + file)) {
                Files.copy(in, bundle.resolve(file));
            }
        }
        outside = dir.resolve("secret.txt");
        Files.writeString(outside, "a file outside the bundle that the manifest must not reveal\n");
    }

    private void edit(Consumer<ObjectNode> change) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(bundle.resolve("manifest.json").toFile());
        change.accept(m);
        Files.writeString(bundle.resolve("manifest.json"), JSON.writeValueAsString(m));
    }

    private static ObjectNode at(ObjectNode m, String object) {
        ObjectNode o = m;
        for (String part : object.split("\\.")) {
            o = (ObjectNode) o.get(part);
        }
        return o;
    }

    private ModelException loadFails() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> OnnxValueClassifier.load(bundle).close());
        assertThat(t).isInstanceOf(ModelException.class);
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("No enum constant");
        return (ModelException) t;
    }

    @Test
    void theUntouchedCopyLoadsAndClassifies() {
        try (OnnxValueClassifier c = OnnxValueClassifier.load(bundle)) {
            ValuePrediction p = c.classify(java.util.List.of("Human: I feel sad.\n\nAssistant: I am sorry.")).get(0);
            assertThat(p.probabilities()).hasSize(7);
        }
    }

    @Test
    void aHeadFileOutsideTheBundleIsRefusedBeforeItIsRead() throws IOException {
        String escape = "../secret.txt";
        edit(m -> at(m, "head").put("file", escape));
        String secretSha = OnnxValueClassifier.sha256(Files.readAllBytes(outside));
        assertThat(loadFails().getMessage()).contains("manifest.json").contains("\"head.file\"")
                .contains("must stay inside the bundle").doesNotContain(secretSha);
    }

    @Test
    void anAbsoluteHeadFileIsRefused() throws IOException {
        edit(m -> at(m, "head").put("file", outside.toAbsolutePath().toString()));
        assertThat(loadFails().getMessage()).contains("\"head.file\"").contains("must be a relative path");
    }

    @Test
    void aPatchFileOutsideTheBundleIsRefused() throws IOException {
        edit(m -> at(m, "encoder.patch").put("file", "sub/../../secret.txt"));
        assertThat(loadFails().getMessage()).contains("\"encoder.patch.file\"").contains("inside the bundle");
    }

    @Test
    void aSymbolicLinkThatLeadsOutOfTheBundleIsRefused() throws IOException {
        Files.delete(bundle.resolve("head.bin"));
        Files.createSymbolicLink(bundle.resolve("head.bin"), outside.toAbsolutePath());
        assertThat(loadFails().getMessage()).contains("head.bin is a link that leads out of the model bundle");
    }

    @Test
    void aSymbolicLinkInsideTheBundleIsFollowed() throws IOException {
        Path heads = Files.createDirectories(bundle.resolve("heads"));
        Files.move(bundle.resolve("head.bin"), heads.resolve("h.bin"));
        Files.createSymbolicLink(bundle.resolve("head.bin"), Path.of("heads", "h.bin"));
        edit(m -> at(m, "head").put("file", "./head.bin"));
        try (OnnxValueClassifier c = OnnxValueClassifier.load(bundle)) {
            assertThat(c.taxonomy().size()).isEqualTo(7);
        }
    }

    @Test
    void aHeadFileOverItsCapIsRefusedBeforeItIsRead() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(bundle.resolve("big.bin").toFile(), "rw")) {
            f.setLength(ModelManifest.MAX_HEAD_BYTES + 1); // sparse: no disk used, but reading it whole would be
        }
        edit(m -> at(m, "head").put("file", "big.bin"));
        assertThat(loadFails().getMessage()).contains("big.bin is " + (ModelManifest.MAX_HEAD_BYTES + 1) + " bytes")
                .contains("more than the " + ModelManifest.MAX_HEAD_BYTES + " a head file may have");
    }

    @Test
    void aPatchAndATaxonomyOverTheirCapsAreRefused() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(bundle.resolve("encoder.patch").toFile(), "rw")) {
            f.setLength(ModelManifest.MAX_PATCH_BYTES + 1);
        }
        assertThat(loadFails().getMessage()).contains("a weight patch may have");
        try (RandomAccessFile f = new RandomAccessFile(bundle.resolve("taxonomy.json").toFile(), "rw")) {
            f.setLength(ModelManifest.MAX_TAXONOMY_BYTES + 1);
        }
        assertThat(loadFails().getMessage()).contains("a taxonomy may have");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("encoder", "pooling", TextNode.valueOf("BOGUS"),
                        "\"encoder.pooling\" must be MEAN or CLS, was \"BOGUS\""),
                Arguments.of("encoder", "pooling", TextNode.valueOf("NONE"), "\"encoder.pooling\" must be MEAN or CLS"),
                Arguments.of("encoder", "max_length", IntNode.valueOf(-5),
                        "\"encoder.max_length\" must be an integer in [1, 65536], was -5"),
                Arguments.of("encoder", "max_length", TextNode.valueOf("256"),
                        "\"encoder.max_length\" must be an integer in [1, 65536], was \"256\""),
                Arguments.of("encoder", "sha256", TextNode.valueOf("xyz"),
                        "\"encoder.sha256\" must be a SHA-256"),
                Arguments.of("encoder", "text_prefix", IntNode.valueOf(3), "\"encoder.text_prefix\" must be a string"),
                Arguments.of("head", "kind", TextNode.valueOf("TREE"), "\"head.kind\" must be one of [SOFTMAX, MLP]"),
                Arguments.of("head", "temperature", TextNode.valueOf("hot"), "\"head.temperature\" must be a number"),
                Arguments.of("head", "temperature", IntNode.valueOf(0), "\"head.temperature\" must be a positive number"),
                Arguments.of("head", "file", IntNode.valueOf(7), "\"head.file\" must be a string, was number 7"),
                Arguments.of("head", "file", TextNode.valueOf(""), "\"head.file\" must name a file"),
                Arguments.of("", "text_chars", IntNode.valueOf(-1), "\"text_chars\" must be an integer in [0, "),
                Arguments.of("", "labels", IntNode.valueOf(5), "\"labels\" must be an array of strings, was number"),
                Arguments.of("", "model_id", JSON.createArrayNode(), "\"model_id\" must be a string, was array"),
                Arguments.of("", "encoder", TextNode.valueOf("x"), "\"encoder\" must be an object, was string"),
                Arguments.of("taxonomy", "id", null, "misses \"taxonomy.id\""),
                Arguments.of("", "head", null, "misses \"head\""),
                Arguments.of("encoder", "max_length", null, "misses \"encoder.max_length\""));
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @MethodSource("badValues")
    void aBadValueIsAModelErrorNamingTheManifestAndTheField(String object, String field, JsonNode value,
            String expected) throws IOException {
        edit(m -> {
            ObjectNode o = object.isEmpty() ? m : at(m, object);
            if (value == null) {
                o.remove(field);
            } else {
                o.set(field, value);
            }
        });
        assertThat(loadFails().getMessage()).startsWith(bundle.toAbsolutePath().resolve("manifest.json").toString())
                .contains(expected);
    }

    @Test
    void aBadConfusionCountIsRefused() throws IOException {
        edit(m -> ((com.fasterxml.jackson.databind.node.ArrayNode) at(m, "known_confusion").get("counts").get(0))
                .set(0, TextNode.valueOf("many")));
        assertThat(loadFails().getMessage()).contains("\"known_confusion.counts[0][0]\" must be a count");
    }

    @Test
    void fileNamesAreNormalisedOrRefused() {
        assertThat(ModelManifest.checkFileName("./a//b.bin")).isEqualTo("a/b.bin");
        for (String bad : new String[] {"/etc/passwd", "..", "a/../../b", "C:\\x", "a\\..\\b", ".", ""}) {
            assertThatThrownBy(() -> ModelManifest.checkFileName(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
