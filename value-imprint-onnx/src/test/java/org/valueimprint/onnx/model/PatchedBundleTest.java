package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.head.HeadIo;
import org.valueimprint.onnx.head.SoftmaxHead;
import org.valueimprint.onnx.internal.patch.PatchTensor;
import org.valueimprint.onnx.internal.patch.Storage;
import org.valueimprint.onnx.internal.patch.WeightPatch;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** A bundle whose encoder carries a weight patch loads with the patch applied, and refuses a mismatched patch. */
class PatchedBundleTest {
    private static final String ENCODER = "all-minilm-l6-v2-q";
    private static final String BIAS = "encoder.layer.5.output.LayerNorm.bias";

    @TempDir
    Path dir;

    private static byte[] base() throws IOException {
        try (InputStream in = PatchedBundleTest.class.getClassLoader().getResourceAsStream(ENCODER.replace("-q", "")
                + "-q.onnx")) {
            return in.readAllBytes();
        }
    }

    /** Writes a bundle with a patch that shifts the last LayerNorm's bias; returns the patch. */
    private WeightPatch bundle(byte[] base, String patchedSha) throws IOException {
        float[] bias = new float[384];
        Random random = new Random(3);
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextGaussian() * 0.5f;
        }
        WeightPatch patch = WeightPatch.of(WeightPatch.sha256(base), Map.of("test", "shifted bias"),
                List.of(PatchTensor.ofFloats(BIAS, new long[] {384}, bias, Storage.FLOAT16)));
        byte[] patchBytes = patch.toBytes();
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        float[][] w = new float[taxonomy.size()][384];
        for (float[] row : w) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        HeadIo.write(SoftmaxHead.of(w, new float[taxonomy.size()], false), head);
        String sha = patchedSha != null ? patchedSha : WeightPatch.sha256(patch.apply(base));
        ModelManifest manifest = new ModelManifest("test/patched", "a patched test bundle", taxonomy.id(),
                taxonomy.version(), taxonomy.labels(),
                new ModelManifest.EncoderRef(ENCODER, sha, "MEAN", 256, "", Optional.of(new ModelManifest.PatchRef(
                        "encoder.patch", WeightPatch.sha256(patchBytes), patch.baseSha256()))),
                new ModelManifest.HeadRef("head.bin", WeightPatch.sha256(head.toByteArray()), "SOFTMAX", 1.0),
                1200, Map.of(), Optional.empty());
        Files.write(dir.resolve("encoder.patch"), patchBytes);
        Files.write(dir.resolve("head.bin"), head.toByteArray());
        Files.writeString(dir.resolve("taxonomy.json"), Taxonomies.toJson(taxonomy), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(ModelManifest.FILE), manifest.toJson(), StandardCharsets.UTF_8);
        return patch;
    }

    @Test
    void loadsWithThePatchAppliedAndKeepsThePatchInTheManifest() throws IOException {
        byte[] base = base();
        bundle(base, null);
        ModelManifest read = ModelManifest.fromJson(Files.readString(dir.resolve(ModelManifest.FILE)), "test");
        assertThat(read.encoder().patch()).isPresent();
        assertThat(read.encoder().patch().get().baseSha256()).isEqualTo(WeightPatch.sha256(base));
        String text = "Human: Can you help me write a kind note to my neighbour?\n\nAssistant: Of course.";
        try (OnnxValueClassifier classifier = OnnxValueClassifier.load(dir)) {
            ValuePrediction p = classifier.classify(text);
            assertThat(p.probabilities()).hasSize(7);
            assertThat(classifier.encoder().info().sha256()).isEqualTo(read.encoder().sha256())
                    .isNotEqualTo(WeightPatch.sha256(base));
        }
    }

    @Test
    void refusesADamagedPatchFile() throws IOException {
        bundle(base(), null);
        byte[] bytes = Files.readAllBytes(dir.resolve("encoder.patch"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve("encoder.patch"), bytes);
        assertThatThrownBy(() -> OnnxValueClassifier.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("encoder.patch").hasMessageContaining("damaged");
    }

    @Test
    void refusesAPatchForAnotherBase() throws IOException {
        byte[] other = base().clone();
        other[other.length - 1] ^= 1; // another model, as far as checksums go
        bundle(other, "0".repeat(64));
        assertThatThrownBy(() -> OnnxValueClassifier.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("encoder.patch").hasMessageContaining("refusing");
    }
}
