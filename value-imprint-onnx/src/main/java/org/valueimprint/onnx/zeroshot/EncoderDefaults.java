package org.valueimprint.onnx.zeroshot;

import java.util.List;
import org.valueimprint.onnx.encoder.EncoderInfo;

/**
 * Calibration defaults for classifiers built without enough few-shot examples to fit on, measured on the annotated
 * corpus with {@link PrototypeRecipe#defaults()} (see {@code docs/zero-shot.md}): for each known encoder model (by
 * the SHA-256 of its model file), the temperature of {@code softmax(cos / T)} that minimises the negative
 * log-likelihood of the corpus labels, and the threshold and temperature of {@code sigmoid((cos - threshold) / T)}
 * that maximise the likelihood of the corpus's labels plus its {@code also} labels taken as a multi-label truth. An
 * unknown encoder gets {@link #GENERIC}.
 */
final class EncoderDefaults {
    /**
     * One encoder's defaults.
     *
     * @param encoderId the encoder's short name
     * @param sha256 the SHA-256 of its model file
     * @param temperature single-label temperature
     * @param multiLabelThreshold multi-label threshold
     * @param multiLabelTemperature multi-label temperature
     */
    record Entry(String encoderId, String sha256, double temperature, double multiLabelThreshold,
            double multiLabelTemperature) {
        /** How these defaults were chosen, for provenance. */
        String description() {
            return sha256.isEmpty()
                    ? "generic default (the encoder is not one of those measured): the medians of the values fitted"
                            + " for the measured encoders on the annotated corpus"
                    : "default for " + encoderId + ", fitted by likelihood on the annotated corpus (7,195 texts)";
        }
    }

    /**
     * Used for encoders that were not measured: the medians of the four measured encoders' values. Cosine scales
     * differ a lot between encoders (the fitted multi-label thresholds run from 0.52 to 0.93), so for another encoder
     * give at least {@value PrototypeClassifier#MIN_EXAMPLES_TO_FIT} few-shot examples, or set the temperature and
     * threshold.
     */
    static final Entry GENERIC = new Entry("generic", "", 0.033, 0.66, 0.165);

    // measured by ZeroShotMeasurement (test sources) with PrototypeRecipe.defaults(), maximum length 256
    private static final List<Entry> KNOWN = List.of(
            new Entry("all-minilm-l6-v2-q", "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
                    0.0468, 0.5219, 0.1995),
            new Entry("all-minilm-l6-v2", "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
                    0.0472, 0.5177, 0.1989),
            new Entry("bge-small-en-v15-q", "6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4",
                    0.0199, 0.8005, 0.1303),
            new Entry("e5-small-v2-q", "7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded",
                    0.0050, 0.9334, 0.0515));

    private EncoderDefaults() {}

    /** The defaults of the encoder with this model, or {@link #GENERIC}. */
    static Entry of(EncoderInfo info) {
        return ofSha256(info.sha256());
    }

    /** The defaults of the encoder whose model file has this SHA-256, or {@link #GENERIC}. */
    static Entry ofSha256(String sha256) {
        for (Entry e : KNOWN) {
            if (e.sha256().equals(sha256)) {
                return e;
            }
        }
        return GENERIC;
    }
}
