package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The manifest's per-value decision thresholds of a multi-label head: written, read back, checked, and optional. */
class ManifestThresholdsTest {
    private static final String SHA = "0".repeat(64);

    private static ModelManifest manifest(Map<String, Double> thresholds) {
        return new ModelManifest("m", "d", "valueeval", "2023", List.of("Achievement", "Face"),
                new ModelManifest.EncoderRef("all-minilm-l6-v2-q", SHA, "MEAN", 256, ""),
                new ModelManifest.HeadRef("head.bin", SHA, "SOFTMAX", 1.0, thresholds), 1200, Map.of(),
                Optional.empty());
    }

    @Test
    void thresholdsRoundTripInLabelOrder() {
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("Achievement", 0.27);
        t.put("Face", 1.0);
        ModelManifest m = manifest(t);
        String json = m.toJson();
        assertThat(json).contains("\"thresholds\"");
        ModelManifest back = ModelManifest.fromJson(json, "m.json");
        assertThat(back).isEqualTo(m);
        assertThat(back.head().thresholds().keySet()).containsExactly("Achievement", "Face");
    }

    @Test
    void aManifestWithoutThresholdsReadsAsNoneAndWritesNone() {
        ModelManifest m = manifest(Map.of());
        assertThat(m.toJson()).doesNotContain("thresholds");
        assertThat(ModelManifest.fromJson(m.toJson(), "m.json").head().thresholds()).isEmpty();
        // the bundles shipped before multi-label heads read as before
        String shipped = new String(BundleFiles.classpath(BundledModels.DEFAULT_MODEL).read(ModelManifest.FILE,
                "manifest", ModelManifest.MAX_MANIFEST_BYTES), StandardCharsets.UTF_8);
        assertThat(ModelManifest.fromJson(shipped, "default").head().thresholds()).isEmpty();
    }

    @Test
    void aThresholdOutsideTheUnitIntervalOrOfAnUnknownLabelIsRefusedNamingTheField() {
        String json = manifest(Map.of("Face", 0.5)).toJson();
        assertThatThrownBy(() -> ModelManifest.fromJson(json.replace("\"Face\" : 0.5", "\"Face\" : 0"), "m.json"))
                .isInstanceOf(ModelException.class).hasMessageContaining("m.json")
                .hasMessageContaining("head.thresholds.Face").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> ModelManifest.fromJson(json.replace("\"Face\" : 0.5", "\"Humility\" : 0.5"),
                "m.json")).isInstanceOf(ModelException.class).hasMessageContaining("head.thresholds.Humility")
                .hasMessageContaining("not one of the manifest's labels");
        assertThatThrownBy(() -> ModelManifest.fromJson(json.replace("\"Face\" : 0.5", "\"Face\" : \"high\""),
                "m.json")).isInstanceOf(ModelException.class).hasMessageContaining("head.thresholds.Face");
        assertThatThrownBy(() -> new ModelManifest.HeadRef("h", SHA, "SOFTMAX", 1, Map.of("Face", 1.5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBundlesThresholdsBecomeThePolicysUnlessThePolicyHasItsOwn() {
        ValueTaxonomy ve = ValueTaxonomy.valueEval();
        List<String> labels = ve.labels();
        Map<String, Double> t = new LinkedHashMap<>();
        labels.forEach(l -> t.put(l, 0.3));
        ModelManifest m = new ModelManifest("m", "d", ve.id(), ve.version(), labels,
                new ModelManifest.EncoderRef("all-minilm-l6-v2-q", SHA, "MEAN", 256, ""),
                new ModelManifest.HeadRef("head.bin", SHA, "SOFTMAX", 1.0, t), 1200, Map.of(), Optional.empty());
        PredictionPolicy p = OnnxValueClassifier.withBundleThresholds(PredictionPolicy.defaults(), m, ve);
        assertThat(p.threshold("achievement")).isEqualTo(0.3);
        assertThat(p.thresholds()).hasSize(20);
        PredictionPolicy own = PredictionPolicy.defaults().withThresholds(0.5, Map.of("face", 0.9));
        assertThat(OnnxValueClassifier.withBundleThresholds(own, m, ve)).isEqualTo(own);
        assertThat(OnnxValueClassifier.withBundleThresholds(PredictionPolicy.defaults(), m,
                ValueTaxonomy.valueImprint())).isEqualTo(PredictionPolicy.defaults());
    }
}
