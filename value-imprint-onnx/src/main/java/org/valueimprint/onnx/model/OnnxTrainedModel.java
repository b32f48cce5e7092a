package org.valueimprint.onnx.model;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.TrainedModel;

/**
 * What {@link OnnxClassifierTrainer} trained: the bundle's files in memory ({@code manifest.json},
 * {@code taxonomy.json}, {@code head.bin}, {@code evaluation.json}) and, for an encoder given as a directory, that
 * directory, whose {@code model.onnx} and {@code tokenizer.json} {@link #save} copies into the bundle's
 * {@code encoder/} folder. A classifier made here loads the same files through the same code as
 * {@link OnnxValueClassifier#load(Path)} does from the saved bundle, so both predict alike.
 */
final class OnnxTrainedModel implements TrainedModel {
    private final ModelManifest manifest;
    private final ValueTaxonomy taxonomy;
    private final Optional<Evaluation> evaluation;
    private final Path encoderDirectory;
    private final Map<String, String> facts;
    private final Map<String, byte[]> files;

    /**
     * @param encoderDirectory the encoder's directory when the manifest names no known encoder, else null
     */
    OnnxTrainedModel(ModelManifest manifest, ValueTaxonomy taxonomy, byte[] head, Evaluation evaluation,
            Path encoderDirectory, Map<String, String> facts) {
        this(manifest, taxonomy, head, Optional.of(evaluation), evaluation.toJson(), encoderDirectory, facts);
    }

    /**
     * A model whose {@code evaluation.json} is given as text: a multi-label model's cross-validated scores, which
     * {@link Evaluation} does not hold (its {@link #evaluation()} is then empty).
     *
     * @param evaluationJson the content of {@code evaluation.json}
     * @param encoderDirectory the encoder's directory when the manifest names no known encoder, else null
     */
    OnnxTrainedModel(ModelManifest manifest, ValueTaxonomy taxonomy, byte[] head, Optional<Evaluation> evaluation,
            String evaluationJson, Path encoderDirectory, Map<String, String> facts) {
        this.manifest = requireNonNull(manifest, "manifest");
        this.taxonomy = requireNonNull(taxonomy, "taxonomy");
        this.evaluation = requireNonNull(evaluation, "evaluation");
        this.encoderDirectory = encoderDirectory;
        this.facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put(ModelManifest.FILE, manifest.toJson().getBytes(StandardCharsets.UTF_8));
        f.put(OnnxValueClassifier.TAXONOMY_FILE, Taxonomies.toJson(taxonomy).getBytes(StandardCharsets.UTF_8));
        f.put(manifest.head().file(), head.clone());
        f.put("evaluation.json", evaluationJson.getBytes(StandardCharsets.UTF_8));
        this.files = Collections.unmodifiableMap(f);
    }

    /** The bundle's manifest. */
    ModelManifest manifest() {
        return manifest;
    }

    @Override
    public String modelId() {
        return manifest.modelId();
    }

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public Map<String, String> facts() {
        return facts;
    }

    @Override
    public Map<String, String> provenance() {
        return manifest.training();
    }

    @Override
    public Optional<Evaluation> evaluation() {
        return evaluation;
    }

    @Override
    public void save(Path directory) {
        requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(directory.resolve(file.getKey()), file.getValue());
            }
            if (encoderDirectory != null) {
                Path enc = Files.createDirectories(directory.resolve(OnnxValueClassifier.ENCODER_FOLDER));
                for (String name : new String[] {EncoderSource.MODEL_FILE, EncoderSource.TOKENIZER_FILE}) {
                    Files.copy(encoderDirectory.resolve(name), enc.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new ModelException("cannot write the model bundle to " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ValueClassifier classifier(PredictionPolicy policy) {
        requireNonNull(policy, "policy");
        return OnnxValueClassifier.load(BundleFiles.memory("in-memory model " + modelId(), files, encoderDirectory),
                policy, EncoderOptions.defaults());
    }

    @Override
    public String toString() {
        return "OnnxTrainedModel{" + modelId() + "}";
    }
}
