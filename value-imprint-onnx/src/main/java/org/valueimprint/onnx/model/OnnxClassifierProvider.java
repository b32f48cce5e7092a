package org.valueimprint.onnx.model;

import java.nio.file.Files;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifierProvider;
import org.valueimprint.onnx.encoder.EncoderOptions;

/**
 * Plugs {@link OnnxValueClassifier} into {@link org.valueimprint.classify.ValueClassifiers}: the default model when
 * the spec names none, or a bundle directory (one holding {@code manifest.json}). Spec option {@code threads} sets
 * the encoder's intra-op threads.
 */
public final class OnnxClassifierProvider implements ValueClassifierProvider {
    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return "ONNX encoder + trained head (the default model, or a bundle directory with manifest.json)";
    }

    @Override
    public boolean supports(ClassifierSpec spec) {
        return spec.model().map(m -> Files.isRegularFile(m.resolve(ModelManifest.FILE))).orElse(true);
    }

    @Override
    public ValueClassifier create(ClassifierSpec spec) {
        EncoderOptions runtime = EncoderOptions.defaults();
        String threads = spec.options().get("threads");
        if (threads != null) {
            runtime = runtime.withIntraOpThreads(Integer.parseInt(threads));
        }
        return spec.model().isPresent()
                ? OnnxValueClassifier.load(spec.model().get(), spec.policy(), runtime)
                : OnnxValueClassifier.loadDefault(spec.policy(), runtime);
    }
}
