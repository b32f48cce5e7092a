package org.valueimprint.onnx.internal;

/**
 * Where the bundled models lie on the class path. Not API: load them with
 * {@link org.valueimprint.onnx.model.OnnxValueClassifier#loadDefault()} and
 * {@link org.valueimprint.onnx.model.OnnxValueClassifier#loadFrozen()}, or copy them with {@code value-imprint export}.
 */
public final class BundledModels {
    /**
     * The default model's bundle: all six layers of all-MiniLM-L6-v2 fine-tuned on the annotated corpus with a
     * linear head, shipped as a weight patch of the int8 encoder from Maven Central (see docs/model-card.md).
     */
    public static final String DEFAULT_MODEL = "org/valueimprint/onnx/default-model/";
    /**
     * The frozen model's bundle: an MLP head on the frozen int8 all-MiniLM-L6-v2, the default model of 0.1.0 before
     * fine-tuning (see docs/model-card.md).
     */
    public static final String FROZEN_MODEL = "org/valueimprint/onnx/frozen-model/";
    /**
     * The Touché23-ValueEval model's bundle: a multi-label head with per-value thresholds on a frozen encoder,
     * predicting the 20 value categories of the built-in ValueEval taxonomy (see docs/valueeval.md).
     */
    public static final String VALUEEVAL_MODEL = "org/valueimprint/onnx/valueeval-model/";

    private BundledModels() {}
}
