package org.valueimprint.onnx.hf;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.encoder.Pooling;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A {@link ValueClassifier} over a Hugging Face sequence-classification model exported to ONNX (by Optimum, or
 * {@code torch.onnx}), such as a RoBERTa fine-tuned on the Value Imprint corpus like the paper's. The model is a
 * directory holding:
 *
 * <ul>
 *   <li>{@code model.onnx}: inputs {@code input_ids} and {@code attention_mask} (and {@code token_type_ids} when
 *       declared), int64 {@code [batch, sequence]}; an output named {@code logits}, float {@code [batch, labels]};
 *   <li>{@code tokenizer.json}: the model's Hugging Face fast tokenizer;
 *   <li>{@code config.json}: {@code id2label} (the label of each logit), and {@code problem_type}:
 *       {@code multi_label_classification} for independent sigmoids, otherwise (absent or
 *       {@code single_label_classification}) one softmax.
 * </ul>
 *
 * <pre>{@code
 * try (HfSequenceClassifier classifier = HfSequenceClassifier.load(Path.of("models/roberta-value-imprint"),
 *         ValueTaxonomy.valueImprint())) {
 *     ValuePrediction p = classifier.classify("Human: How do vaccines work?\n\nAssistant: They train ...");
 * }
 * // labels named otherwise than the taxonomy's ("LABEL_0", ...): map them to value ids
 * HfSequenceClassifier.load(dir, taxonomy, Map.of("LABEL_0", "well-being-peace", ...),
 *         PredictionPolicy.defaults(), EncoderOptions.defaults());
 * }</pre>
 *
 * <p>Labels are mapped one to one onto the taxonomy's values: a label in the explicit label map goes to the value it
 * names (by id, label or alias); any other label goes to the value whose id, label or alias it is (ignoring case and
 * runs of whitespace). Loading refuses, with a {@link ModelException} that names what does not fit: a label that maps
 * to no value (the message lists the taxonomy's labels), two labels on one value, a value no label maps to (the
 * probabilities must cover the taxonomy), a label-map entry that names no label of the model or no value, a model
 * whose label mode (softmax or sigmoid) differs from the taxonomy's, a {@code logits} width other than the number of
 * labels, a missing {@code config.json} or a model without a {@code logits} output.
 *
 * <p>Each text is tokenized, cut and batched exactly as {@link OnnxTextEncoder} does it (the same code, with
 * {@link Pooling#NONE}): the options' maximum length (default {@value EncoderOptions#DEFAULT_MAX_LENGTH} tokens; the
 * model must accept it, which loading checks), long-text policy, text prefix (default none), threads and batch policy
 * apply; their pooling and normalisation are replaced (no pooling, no normalisation). Under the windows policy the
 * logits of a long text's windows are averaged before the activation. Probabilities are computed in double from the
 * float logits and returned in the taxonomy's order. Thread-safe; results do not depend on threads.
 */
public final class HfSequenceClassifier implements ValueClassifier {
    /** The Hugging Face configuration file of a model directory. */
    public static final String CONFIG_FILE = "config.json";
    /** The name of the model output this classifier reads. */
    public static final String LOGITS = "logits";

    private final ValueTaxonomy taxonomy;
    private final OnnxTextEncoder encoder;
    private final List<String> modelLabels;
    private final int[] toTaxonomy;
    private final boolean multiLabel;
    private final PredictionPolicy policy;
    private final ClassifierInfo info;

    private HfSequenceClassifier(ValueTaxonomy taxonomy, OnnxTextEncoder encoder, HfConfig config,
            int[] toTaxonomy, PredictionPolicy policy, ClassifierInfo info) {
        this.taxonomy = taxonomy;
        this.encoder = encoder;
        this.modelLabels = config.labels();
        this.toTaxonomy = toTaxonomy;
        this.multiLabel = config.multiLabel();
        this.policy = policy;
        this.info = info;
    }

    /**
     * Whether {@code directory} looks like a Hugging Face sequence-classification export: it holds
     * {@code model.onnx} and a {@code config.json} with a non-empty {@code id2label}. Never throws; says nothing of
     * whether loading will succeed.
     */
    public static boolean isExport(Path directory) {
        if (directory == null) {
            return false;
        }
        try {
            return Files.isRegularFile(directory.resolve(EncoderSource.MODEL_FILE))
                    && HfConfig.hasLabels(directory.resolve(CONFIG_FILE));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Loads the export in {@code directory} for {@code taxonomy}, its labels matched by name, the default policy and
     * encoder options.
     *
     * @throws ModelException when the directory is not a usable export or its labels do not map onto the taxonomy
     */
    public static HfSequenceClassifier load(Path directory, ValueTaxonomy taxonomy) {
        return load(directory, taxonomy, Map.of(), PredictionPolicy.defaults(), EncoderOptions.defaults());
    }

    /**
     * Loads the export in {@code directory}.
     *
     * @param taxonomy the taxonomy whose values the model's labels are mapped onto
     * @param labelMap model label (matched ignoring case) to value id, label or alias, for the labels that do not
     *     name their value themselves; may be empty; copied
     * @param policy how probabilities become decisions
     * @param options run-time options of the tokenization and the ONNX session; pooling and normalisation are
     *     replaced by none
     * @throws ModelException when the directory is not a usable export or its labels do not map onto the taxonomy
     *     (the message says what does not fit)
     * @throws IllegalArgumentException when the options' maximum length leaves no room for text
     */
    public static HfSequenceClassifier load(Path directory, ValueTaxonomy taxonomy, Map<String, String> labelMap,
            PredictionPolicy policy, EncoderOptions options) {
        requireNonNull(directory, "directory");
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(policy, "policy");
        requireNonNull(options, "options");
        Map<String, String> explicit = Map.copyOf(requireNonNull(labelMap, "labelMap"));
        Path dir = directory.toAbsolutePath().normalize();
        HfConfig config = HfConfig.read(dir.resolve(CONFIG_FILE));
        String where = "the model " + dir;
        if (config.multiLabel() != taxonomy.multiLabel()) {
            throw new ModelException(where + " is " + (config.multiLabel() ? "multi-label (problem_type "
                    + HfConfig.MULTI_LABEL + ")" : "single-label") + " but the taxonomy " + taxonomy.id() + " is "
                    + (taxonomy.multiLabel() ? "multi-label" : "single-label"));
        }
        int[] toTaxonomy = LabelMapping.map(config.labels(), taxonomy, explicit, where);
        OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.directory(dir),
                options.withPooling(Pooling.NONE).withNormalize(false));
        try {
            if (!encoder.outputName().equals(LOGITS)) {
                throw new ModelException(where + " is not a sequence-classification export: its model.onnx has no"
                        + " output named " + LOGITS + " [batch, labels] (its only pooled output is "
                        + encoder.outputName() + ")");
            }
            if (encoder.dimension() != config.labels().size()) {
                throw new ModelException(where + " gives " + encoder.dimension() + " logits but " + CONFIG_FILE
                        + " names " + config.labels().size() + " labels in id2label");
            }
            return new HfSequenceClassifier(taxonomy, encoder, config, toTaxonomy, policy,
                    info(dir, config, taxonomy, toTaxonomy, encoder));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static ClassifierInfo info(Path dir, HfConfig config, ValueTaxonomy taxonomy, int[] toTaxonomy,
            OnnxTextEncoder encoder) {
        String configSha = sha256(dir.resolve(CONFIG_FILE));
        String tokenizerSha = sha256(dir.resolve(EncoderSource.TOKENIZER_FILE));
        String checksum = Hashing.sha256().hashString(encoder.info().sha256() + configSha + tokenizerSha,
                StandardCharsets.US_ASCII).toString();
        Map<String, String> details = new LinkedHashMap<>(encoder.info().asMap());
        details.put("hf.architecture", config.architecture());
        details.put("hf.activation", config.multiLabel() ? "sigmoid" : "softmax");
        details.put("hf.config_sha256", configSha);
        details.put("hf.tokenizer_sha256", tokenizerSha);
        StringJoiner mapping = new StringJoiner(",");
        for (int i = 0; i < toTaxonomy.length; i++) {
            mapping.add(config.labels().get(i) + "=" + taxonomy.values().get(toTaxonomy[i]).id());
        }
        details.put("hf.labels", mapping.toString());
        Path name = dir.getFileName();
        String id = "hf/" + (name == null ? dir.toString() : name.toString());
        String description = "Hugging Face sequence-classification export"
                + (config.architecture().isEmpty() ? "" : " (" + config.architecture() + ")") + ", "
                + config.labels().size() + " labels, " + (config.multiLabel() ? "sigmoid" : "softmax") + ", from "
                + dir;
        return new ClassifierInfo(id, description, checksum, details);
    }

    private static String sha256(Path file) {
        try {
            return com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).toString();
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The model's labels in its output order, as {@code config.json}'s {@code id2label} gives them. */
    public List<String> modelLabels() {
        return modelLabels;
    }

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return info;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException if the model fails on the input
     */
    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        float[][] logits = encoder.embed(texts);
        List<ValuePrediction> out = new ArrayList<>(logits.length);
        for (float[] z : logits) {
            out.add(ValuePrediction.of(taxonomy, probabilities(z), policy));
        }
        return out;
    }

    /** The probabilities of one row of logits, in the taxonomy's order. */
    private double[] probabilities(float[] z) {
        for (float v : z) {
            if (!Float.isFinite(v)) {
                throw new ModelException("the model " + info.id() + " gave a non-finite logit: "
                        + java.util.Arrays.toString(z));
            }
        }
        double[] p = new double[z.length];
        if (multiLabel) {
            for (int i = 0; i < z.length; i++) {
                p[toTaxonomy[i]] = sigmoid(z[i]);
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[toTaxonomy[i]] = Math.min(1, e[i] / sum);
        }
        return p;
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    @Override
    public void close() {
        encoder.close();
    }

    @Override
    public String toString() {
        return "HfSequenceClassifier{" + info.id() + ", " + modelLabels.size() + " labels, "
                + (multiLabel ? "sigmoid" : "softmax") + "}";
    }
}
