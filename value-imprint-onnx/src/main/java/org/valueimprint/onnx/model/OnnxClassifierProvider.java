package org.valueimprint.onnx.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifierProvider;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.hf.HfSequenceClassifier;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.TaxonomyException;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Plugs the ONNX classifiers into {@link org.valueimprint.classify.ValueClassifiers}:
 *
 * <ul>
 *   <li>no model in the spec: the default model ({@link OnnxValueClassifier#loadDefault()});
 *   <li>a model that is one of the {@link #BUNDLED_NAMES} and names no existing file or directory: that bundled
 *       model ({@code default}, {@code frozen}, or {@code valueeval}: {@link OnnxValueClassifier#loadValueEval});
 *   <li>a bundle directory (one holding {@code manifest.json}): {@link OnnxValueClassifier#load};
 *   <li>a Hugging Face sequence-classification export (a directory holding {@code model.onnx} and a
 *       {@code config.json} with {@code id2label}): {@link HfSequenceClassifier}.
 * </ul>
 *
 * Spec options:
 * <ul>
 *   <li>{@code threads}: the ONNX Runtime intra-op threads (all three kinds);
 *   <li>{@code max_tokens}: at most this many tokens a text (special tokens included) instead of the model's own
 *       {@code max_length} (256 for the bundled models), for speed: the encoder's work per text is about linear in
 *       its tokens, so 128 runs the default model about 1.7 times faster on hh-rlhf texts, and predictions change
 *       for texts longer than the cut (on the annotated corpus, 5-fold cross-validated: accuracy 0.8105 to 0.8067,
 *       macro F1 0.7587 to 0.7545; docs/model-card.md). At most the bundle's {@code max_length}; for a Hugging Face
 *       export, any length the model accepts;
 *   <li>{@code fuse_attention}: {@code true} (the default) or {@code false}, whether the encoder's self-attention
 *       is fused before the session is made ({@link EncoderOptions#fuseAttention()}; all three kinds);
 *   <li>{@code taxonomy}: for a Hugging Face export, a taxonomy file (JSON or YAML, read with
 *       {@link Taxonomies#load}) whose values the model's labels map onto; default the built-in Value Imprint
 *       taxonomy. A bundle carries its own taxonomy, so the option is ignored there;
 *   <li>{@code label_map}: for a Hugging Face export, {@code hfLabel=valueId} pairs separated by commas (such as
 *       {@code LABEL_0=well-being-peace,LABEL_1=information-seeking}), for labels that do not name their value
 *       themselves; the last {@code =} of a pair separates label from value id, surrounding spaces are dropped.
 * </ul>
 */
public final class OnnxClassifierProvider implements ValueClassifierProvider {
    /** The spec option naming a taxonomy file for a Hugging Face export. */
    public static final String TAXONOMY_OPTION = "taxonomy";
    /** The spec option mapping a Hugging Face export's labels to value ids. */
    public static final String LABEL_MAP_OPTION = "label_map";
    /** The spec option setting ONNX Runtime's intra-op threads. */
    public static final String THREADS_OPTION = "threads";
    /** The spec option cutting texts at fewer tokens than the model's own maximum, for speed. */
    public static final String MAX_TOKENS_OPTION = "max_tokens";
    /** The spec option switching the library's attention fusion on or off. */
    public static final String FUSE_ATTENTION_OPTION = "fuse_attention";

    /** The names of the models that ship in this jar, which a spec's model may give instead of a directory. */
    public static final java.util.List<String> BUNDLED_NAMES = java.util.List.of("default", "frozen", "valueeval");

    /** Whether {@code model} names a bundled model: one of {@link #BUNDLED_NAMES}, and no existing path. */
    public static boolean isBundledName(Path model) {
        return BUNDLED_NAMES.contains(model.toString()) && !Files.exists(model);
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return "ONNX encoder + trained head (the default model, or a bundle directory with manifest.json), or a"
                + " Hugging Face sequence-classification export (model.onnx, tokenizer.json, config.json)";
    }

    @Override
    public boolean supports(ClassifierSpec spec) {
        return spec.model().map(m -> isBundledName(m) || Files.isRegularFile(m.resolve(ModelManifest.FILE))
                || HfSequenceClassifier.isExport(m)).orElse(true);
    }

    @Override
    public ValueClassifier create(ClassifierSpec spec) {
        EncoderOptions runtime = EncoderOptions.defaults();
        String threads = spec.options().get(THREADS_OPTION);
        if (threads != null) {
            try {
                runtime = runtime.withIntraOpThreads(Integer.parseInt(threads.strip()));
            } catch (IllegalArgumentException e) {
                throw new ModelException("option " + THREADS_OPTION + " must be a count of threads (0 for ONNX"
                        + " Runtime's choice), was \"" + threads + "\"", e);
            }
        }
        String fuse = spec.options().get(FUSE_ATTENTION_OPTION);
        if (fuse != null) {
            String value = fuse.strip();
            if (!value.equals("true") && !value.equals("false")) {
                throw new ModelException("option " + FUSE_ATTENTION_OPTION + " must be true or false, was \"" + fuse
                        + "\"");
            }
            runtime = runtime.withFuseAttention(Boolean.parseBoolean(value));
        }
        int maxTokens = maxTokens(spec.options().get(MAX_TOKENS_OPTION));
        if (spec.model().isEmpty()) {
            return OnnxValueClassifier.load(BundleFiles.classpath(BundledModels.DEFAULT_MODEL), spec.policy(),
                    runtime, maxTokens);
        }
        Path model = spec.model().get();
        if (isBundledName(model)) {
            String bundled = switch (model.toString()) {
                case "frozen" -> BundledModels.FROZEN_MODEL;
                case "valueeval" -> BundledModels.VALUEEVAL_MODEL;
                default -> BundledModels.DEFAULT_MODEL;
            };
            return OnnxValueClassifier.load(BundleFiles.classpath(bundled), spec.policy(), runtime, maxTokens);
        }
        if (!Files.isRegularFile(model.resolve(ModelManifest.FILE)) && HfSequenceClassifier.isExport(model)) {
            return HfSequenceClassifier.load(model, taxonomy(spec.options().get(TAXONOMY_OPTION)),
                    parseLabelMap(spec.options().getOrDefault(LABEL_MAP_OPTION, "")), spec.policy(),
                    maxTokens > 0 ? runtime.withMaxLength(maxTokens) : runtime);
        }
        if (!Files.isRegularFile(model.resolve(ModelManifest.FILE))) {
            return OnnxValueClassifier.load(model, spec.policy(), runtime); // its message names what is missing
        }
        return OnnxValueClassifier.load(BundleFiles.directory(model), spec.policy(), runtime, maxTokens);
    }

    /** Option {@code max_tokens}: 0 when absent, else a positive count. */
    static int maxTokens(String option) {
        if (option == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(option.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new ModelException("option " + MAX_TOKENS_OPTION + " must be a positive count of tokens, was \""
                + option + "\"");
    }

    private static ValueTaxonomy taxonomy(String file) {
        if (file == null || file.isBlank()) {
            return ValueTaxonomy.valueImprint();
        }
        try {
            return Taxonomies.load(Path.of(file.strip()));
        } catch (TaxonomyException e) { // unreadable or invalid
            throw new ModelException("option " + TAXONOMY_OPTION + ": cannot load the taxonomy " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parses option {@code label_map}: {@code label=valueId} pairs separated by commas; blank pairs are skipped.
     *
     * @throws ModelException for a pair without {@code =}, with an empty side, or a label given twice
     */
    static Map<String, String> parseLabelMap(String option) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : option.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf('=');
            String label = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (label.isEmpty() || value.isEmpty()) {
                throw new ModelException("option " + LABEL_MAP_OPTION + ": \"" + pair.strip() + "\" is not a"
                        + " label=valueId pair");
            }
            if (map.put(label, value) != null) {
                throw new ModelException("option " + LABEL_MAP_OPTION + " maps the label \"" + label + "\" twice");
            }
        }
        return map;
    }
}
