package org.valueimprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that choose a classifier, shared by {@code audit} and {@code evaluate}: {@code --model DIR},
 * {@code --abstain-below P} and {@code --model-option KEY=VALUE}. The model is loaded through
 * {@link ValueClassifiers} (the providers on the class path, such as value-imprint-onnx's), so the command line never
 * names a classifier implementation.
 */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "The model to classify with: a bundle written by 'train', another model a classifier "
                    + "provider loads, or a bundled model by name: default, frozen, valueeval (the Touche23-ValueEval"
                    + " multi-label model) (default: the default model).")
    Path model;

    @Option(names = "--abstain-below", paramLabel = "P",
            description = "Decide no value when the top probability is under P, in [0, 1] (default 0: never).")
    Double abstainBelow;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE",
            description = "An option for the model's provider; repeatable. The ONNX provider takes threads=N,"
                    + " max_tokens=N (cut texts at N tokens instead of the model's 256: 128 is about 1.7 times faster,"
                    + " with slightly different predictions), fuse_attention=true|false (default true),"
                    + " taxonomy=FILE and label_map=hf=valueid,... (for Hugging Face exports).")
    Map<String, String> modelOptions = new java.util.LinkedHashMap<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** What to load: the model (or the default one) and the prediction policy. */
    ClassifierSpec classifierSpec() {
        PredictionPolicy policy = PredictionPolicy.defaults();
        if (abstainBelow != null) {
            if (!(abstainBelow >= 0 && abstainBelow <= 1)) {
                throw new ParameterException(spec.commandLine(),
                        "--abstain-below must be in [0, 1], was " + abstainBelow);
            }
            policy = policy.withAbstainBelow(abstainBelow);
        }
        return new ClassifierSpec(Optional.ofNullable(model), policy, modelOptions);
    }

    /**
     * Loads the classifier; the caller closes it.
     *
     * @throws ModelException when the model does not exist, no provider loads it, or loading fails
     */
    ValueClassifier load() {
        return load(Map.of());
    }

    /**
     * Loads the classifier with {@code defaults} added to the {@code --model-option}s the user did not give; the
     * caller closes it.
     *
     * @throws ModelException when the model does not exist, no provider loads it, or loading fails
     */
    ValueClassifier load(Map<String, String> defaults) {
        ClassifierSpec given = classifierSpec();
        Map<String, String> options = new java.util.LinkedHashMap<>(defaults);
        options.putAll(given.options());
        ClassifierSpec s = new ClassifierSpec(given.model(), given.policy(), options);
        if (model != null && !Files.exists(model)
                && !org.valueimprint.onnx.model.OnnxClassifierProvider.isBundledName(model)) {
            throw new ModelException("the model " + model + " does not exist (--model names a model directory,"
                    + " such as one written by 'value-imprint train')");
        }
        return ValueClassifiers.load(s);
    }
}
