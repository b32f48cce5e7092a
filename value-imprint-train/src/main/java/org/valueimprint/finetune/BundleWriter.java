package org.valueimprint.finetune;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.head.HeadIo;
import org.valueimprint.onnx.head.SoftmaxHead;
import org.valueimprint.onnx.model.ModelManifest;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.onnx.internal.patch.Storage;
import org.valueimprint.onnx.internal.patch.WeightPatch;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Writes a model bundle that {@link OnnxValueClassifier} loads from a fine-tuning run: {@code encoder.patch} (the
 * trained layers as a weight patch of a named Maven-jar encoder), {@code head.bin} (the linear head as a softmax
 * head, temperature included), {@code taxonomy.json} and {@code manifest.json}.
 */
public final class BundleWriter {
    /** The patch's file name in a bundle. */
    public static final String PATCH_FILE = "encoder.patch";
    /** The head's file name in a bundle. */
    public static final String HEAD_FILE = "head.bin";

    private BundleWriter() {}

    /**
     * Writes a single-label bundle (the trained linear head as a softmax head at {@code temperature}) and returns its
     * manifest.
     *
     * @param encoder the known encoder the patch applies to ({@code all-minilm-l6-v2-q}, {@code e5-small-v2-q} or
     *     their fp32 versions), its pooling, token limit and text prefix (its SHA-256 is replaced by the patched
     *     model's)
     * @param baseModel that encoder's model bytes
     * @param weights the fp32 weights the tuned tensors were trained from (for the initializer names)
     * @param floats how tensors the base holds in fp32 are stored in the patch
     */
    public static ModelManifest write(Path dir, String modelId, String description, ModelManifest.EncoderRef encoder,
            byte[] baseModel, BertWeights weights, FineTuner.Trained trained, double temperature, Storage floats,
            ValueTaxonomy taxonomy, Map<String, String> training, Optional<KnownConfusion> confusion)
            throws IOException {
        SoftmaxHead head = SoftmaxHead.of(trained.softmaxWeights(), trained.tensors().get("head.bias").data(), false)
                .withTemperature(temperature);
        return write(dir, modelId, description, encoder, baseModel, weights, trained, head, Map.of(), floats, taxonomy,
                training, confusion);
    }

    /**
     * Writes a bundle with any head made from the trained tensors (a multi-label head with its per-value calibration
     * folded in, for one) and returns its manifest.
     *
     * @param encoder the encoder the patch applies to: its known name, pooling, token limit and text prefix (its
     *     SHA-256 is replaced by the patched model's)
     * @param thresholds per-value decision thresholds for the manifest (empty for none)
     */
    public static ModelManifest write(Path dir, String modelId, String description, ModelManifest.EncoderRef encoder,
            byte[] baseModel, BertWeights weights, FineTuner.Trained trained, Head head,
            Map<String, Double> thresholds, Storage floats, ValueTaxonomy taxonomy, Map<String, String> training,
            Optional<KnownConfusion> confusion) throws IOException {
        WeightPatch patch = Patches.build(baseModel, weights, trained.encoderTensors(), floats, training);
        byte[] patchBytes = patch.toBytes();
        String patchedSha = WeightPatch.sha256(patch.apply(baseModel));
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        HeadIo.write(head, headBytes);
        ModelManifest manifest = new ModelManifest(modelId, description, taxonomy.id(), taxonomy.version(),
                taxonomy.labels(),
                new ModelManifest.EncoderRef(encoder.name(), patchedSha, encoder.pooling(), encoder.maxLength(),
                        encoder.textPrefix(), Optional.of(new ModelManifest.PatchRef(PATCH_FILE,
                                WeightPatch.sha256(patchBytes), patch.baseSha256()))),
                new ModelManifest.HeadRef(HEAD_FILE, WeightPatch.sha256(headBytes.toByteArray()),
                        head.kind().name(), head.temperature(), thresholds),
                1200, training, confusion);
        Files.createDirectories(dir);
        Files.write(dir.resolve(PATCH_FILE), patchBytes);
        Files.write(dir.resolve(HEAD_FILE), headBytes.toByteArray());
        Files.writeString(dir.resolve(OnnxValueClassifier.TAXONOMY_FILE), Taxonomies.toJson(taxonomy),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(ModelManifest.FILE), manifest.toJson(), StandardCharsets.UTF_8);
        return manifest;
    }
}
