package org.valueimprint.onnx.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.export.ExportFixtures;
import org.valueimprint.onnx.export.OnnxExport;
import org.valueimprint.onnx.model.OnnxClassifierProvider;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Hugging Face sequence-classification exports as classifiers. On a real transformer graph: a bundle on the fp32
 * MiniLM, exported by {@link OnnxExport} up to its logits, with the logits' columns permuted to a shuffled label order
 * that {@code config.json} declares; the Hugging Face classifier must give the bundle's probabilities, reordered back.
 * On tiny graphs whose logits are known: hand-computed softmax and sigmoid probabilities, label maps, the provider's
 * options, and every refusal.
 */
class HfSequenceClassifierTest {
    private static final ValueTaxonomy TAXONOMY = ValueTaxonomy.valueImprint();
    /** The tiny models' logits, for every text. */
    private static final float[] W = {2f, 0f, -1f, 1f, 0.5f, -2f, 3f};

    static OnnxValueClassifier bundleClassifier;
    static Path real;
    static List<Integer> permutation;

    @BeforeAll
    static void exportARealModel() throws IOException {
        bundleClassifier = OnnxValueClassifier.load(ExportFixtures.softmaxBundle(ExportFixtures.FP32));
        real = ExportFixtures.newFolder("hf-real");
        Path exported = real.resolve("exported.onnx");
        OnnxExport.export(bundleClassifier, exported, OnnxExport.Output.LOGITS);
        permutation = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6));
        Collections.shuffle(permutation, new Random(11));
        assertThat(permutation).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5, 6));
        Files.write(real.resolve("model.onnx"), permuted(Files.readAllBytes(exported), permutation));
        Files.delete(exported);
        TinyClassifier.tokenizer(real, "all-minilm-l6-v2-tokenizer.json");
        List<String> labels = new ArrayList<>();
        for (int p : permutation) {
            labels.add(TAXONOMY.labels().get(p));
        }
        TinyClassifier.config(real, labels, "single_label_classification");
    }

    @AfterAll
    static void close() {
        if (bundleClassifier != null) {
            bundleClassifier.close();
        }
    }

    /** The model with output {@code logits[:, j] = old_logits[:, permutation[j]]} (Gather on axis 1). */
    private static byte[] permuted(byte[] onnx, List<Integer> permutation) throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(onnx);
        OnnxMl.GraphProto.Builder g = model.getGraph().toBuilder();
        OnnxMl.ValueInfoProto output = g.getOutput(0);
        assertThat(output.getName()).isEqualTo("logits");
        for (int i = 0; i < g.getNodeCount(); i++) {
            OnnxMl.NodeProto n = g.getNode(i);
            for (int o = 0; o < n.getOutputCount(); o++) {
                if (n.getOutput(o).equals("logits")) {
                    g.setNode(i, n.toBuilder().setOutput(o, "taxonomy_order_logits"));
                }
            }
        }
        OnnxMl.TensorProto.Builder indices = OnnxMl.TensorProto.newBuilder().setName("permutation")
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(permutation.size());
        permutation.forEach(p -> indices.addInt64Data(p));
        g.addInitializer(indices);
        g.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gather").setName("permute")
                .addInput("taxonomy_order_logits").addInput("permutation").addOutput("logits")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)));
        return model.toBuilder().setGraph(g).build().toByteArray();
    }

    @Test
    void aRealTransformerExportGivesTheBundlesProbabilitiesInTaxonomyOrder() {
        List<String> texts = ExportFixtures.corpusTexts(24, 40);
        try (HfSequenceClassifier hf = HfSequenceClassifier.load(real, TAXONOMY)) {
            List<String> expectedLabels = new ArrayList<>();
            permutation.forEach(p -> expectedLabels.add(TAXONOMY.labels().get(p)));
            assertThat(hf.modelLabels()).isEqualTo(expectedLabels);
            assertThat(hf.taxonomy()).isEqualTo(TAXONOMY);
            List<ValuePrediction> got = hf.classify(texts);
            List<ValuePrediction> expected = bundleClassifier.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int v = 0; v < TAXONOMY.size(); v++) {
                    assertThat(got.get(i).probability(v)).as("text %s, value %s", i, v)
                            .isCloseTo(expected.get(i).probability(v), within(1e-4));
                }
                assertThat(got.get(i).top()).isEqualTo(expected.get(i).top());
            }
            assertThat(hf.info().id()).isEqualTo("hf/" + real.getFileName());
            assertThat(hf.info().sha256().orElseThrow()).matches("[0-9a-f]{64}");
            assertThat(hf.info().details()).containsEntry("hf.activation", "softmax")
                    .containsEntry("hf.architecture", "BertForSequenceClassification")
                    .containsEntry("encoder.pooling", "NONE")
                    .containsEntry("hf.labels", String.join(",", permutation.stream()
                            .map(p -> TAXONOMY.labels().get(p) + "=" + TAXONOMY.values().get(p).id()).toList()));
        }
    }

    @Test
    void theProviderLoadsAnExportDirectory() {
        assertThat(HfSequenceClassifier.isExport(real)).isTrue();
        assertThat(new OnnxClassifierProvider().supports(ClassifierSpec.of(real))).isTrue();
        try (ValueClassifier c = ValueClassifiers.load(new ClassifierSpec(java.util.Optional.of(real),
                PredictionPolicy.defaults().withAbstainBelow(1.0), Map.of("threads", "1")))) {
            assertThat(c).isInstanceOf(HfSequenceClassifier.class);
            ValuePrediction p = c.classify("Human: What is the capital of Australia?\n\nAssistant: Canberra.");
            assertThat(p.abstained()).isTrue();
            assertThat(c.info().details()).containsEntry("encoder.maxLength", "256");
        }
    }

    // ---- tiny models with known logits ----

    private static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max) / sum;
        }
        return p;
    }

    /** Model labels: each value named by label, id or alias, in another case, in a scrambled order. */
    private static final List<String> SCRAMBLED = List.of("wisdom/knowledge", "INFORMATION SEEKING",
            "Justice/Human Rights & Animal Rights", "empathy-helpfulness", "Well-being/Peace", "duty-accountability",
            "Civility/Tolerance");
    private static final String[] SCRAMBLED_IDS = {"wisdom-knowledge", "information-seeking", "justice-rights",
        "empathy-helpfulness", "well-being-peace", "duty-accountability", "civility-tolerance"};

    @Test
    void labelsAreMatchedByLabelIdOrAliasIgnoringCaseAndProbabilitiesReordered() throws IOException {
        Path dir = ExportFixtures.newFolder("tiny-softmax");
        TinyClassifier.model(dir, "logits", W, 2);
        TinyClassifier.config(dir, SCRAMBLED, null);
        try (HfSequenceClassifier hf = HfSequenceClassifier.load(dir, TAXONOMY)) {
            double[] p = softmax(W);
            for (ValuePrediction prediction : hf.classify(List.of("", "Human: hi\n\nAssistant: hello", "x".repeat(
                    5000)))) {
                for (int j = 0; j < W.length; j++) {
                    assertThat(prediction.probability(SCRAMBLED_IDS[j])).isCloseTo(p[j], within(1e-9));
                }
                assertThat(prediction.top().id()).isEqualTo("civility-tolerance"); // logit 3
            }
        }
    }

    @Test
    void aMultiLabelModelGivesSigmoidsThroughTheProviderWithATaxonomyFileAndALabelMap() throws IOException {
        ValueTaxonomy.Builder b = ValueTaxonomy.builder("value-imprint-multi").name("multi").version("0.1")
                .multiLabel(true).addValues(TAXONOMY.values());
        TAXONOMY.frameworks().forEach(b::addFramework);
        TAXONOMY.groups().forEach(b::addGroup);
        ValueTaxonomy multi = b.build();
        Path dir = ExportFixtures.newFolder("tiny-multi");
        Path taxonomyFile = dir.resolve("multi.json");
        Files.writeString(taxonomyFile, Taxonomies.toJson(multi));
        Path model = dir.resolve("model");
        TinyClassifier.model(model, "logits", W, 2);
        List<String> generic = List.of("LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3", "LABEL_4", "LABEL_5", "LABEL_6");
        TinyClassifier.config(model, generic, "multi_label_classification");
        String labelMap = " label_0 = wisdom-knowledge,LABEL_1=Information Seeking , LABEL_2=justice-rights,"
                + "LABEL_3=empathy-helpfulness,LABEL_4=well-being-peace,LABEL_5=duty-accountability,"
                + "LABEL_6=civility-tolerance,";
        ClassifierSpec spec = new ClassifierSpec(java.util.Optional.of(model), PredictionPolicy.defaults(),
                Map.of("taxonomy", taxonomyFile.toString(), "label_map", labelMap));
        try (ValueClassifier c = ValueClassifiers.load(spec)) {
            assertThat(c.taxonomy()).isEqualTo(multi);
            ValuePrediction p = c.classify("Human: Is it fair that ...");
            for (int j = 0; j < W.length; j++) {
                assertThat(p.probability(SCRAMBLED_IDS[j])).isCloseTo(1 / (1 + Math.exp(-W[j])), within(1e-9));
            }
            // selected at the default threshold 0.5: logits 2, 1, 0.5, 3 (0 gives exactly 0.5, which also counts)
            assertThat(p.selected()).extracting(v -> v.id()).containsExactlyInAnyOrder("wisdom-knowledge",
                    "information-seeking", "empathy-helpfulness", "well-being-peace", "civility-tolerance");
        }
        // the same model without the map names no value
        assertThatThrownBy(() -> HfSequenceClassifier.load(model, multi)).isInstanceOf(ModelException.class)
                .hasMessageContaining("\"LABEL_0\", \"LABEL_1\"").hasMessageContaining("map to no value");
    }

    // ---- refusals ----

    private static Path tiny(String name, List<String> labels, String problemType, float[] w) throws IOException {
        Path dir = ExportFixtures.newFolder(name);
        TinyClassifier.model(dir, "logits", w, 2);
        TinyClassifier.config(dir, labels, problemType);
        return dir;
    }

    @Test
    void aLabelThatMapsToNoValueIsRefusedByName() throws IOException {
        List<String> labels = new ArrayList<>(TAXONOMY.labels());
        labels.set(3, "Curiosity");
        Path dir = tiny("unmapped", labels, null, W);
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("the label \"Curiosity\"")
                .hasMessageContaining("maps to no value of taxonomy value-imprint")
                .hasMessageContaining("the taxonomy's labels: " + String.join(", ", TAXONOMY.labels()));
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY, Map.of("Curiosity", "no-such-value"),
                PredictionPolicy.defaults(), EncoderOptions.defaults())).isInstanceOf(ModelException.class)
                .hasMessageContaining("maps \"Curiosity\" to \"no-such-value\", which is not a value");
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY, Map.of("Curious", "duty-accountability"),
                PredictionPolicy.defaults(), EncoderOptions.defaults())).isInstanceOf(ModelException.class)
                .hasMessageContaining("the label map names \"Curious\", which is not a label of");
        // mapped explicitly, it loads
        try (HfSequenceClassifier hf = HfSequenceClassifier.load(dir, TAXONOMY, Map.of("curiosity",
                "duty-accountability"), PredictionPolicy.defaults(), EncoderOptions.defaults())) {
            assertThat(hf.classify("x").probability("duty-accountability")).isCloseTo(softmax(W)[3], within(1e-9));
        }
    }

    @Test
    void aValueNoLabelMapsToIsRefused() throws IOException {
        List<String> labels = new ArrayList<>(TAXONOMY.labels());
        labels.remove("Empathy/Helpfulness");
        Path dir = tiny("missing", labels, null, new float[] {1, 2, 3, 4, 5, 6});
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("no label of")
                .hasMessageContaining("maps to the value Empathy/Helpfulness of taxonomy value-imprint");
        List<String> twice = new ArrayList<>(TAXONOMY.labels());
        twice.set(6, "wisdom-knowledge");
        Path dup = tiny("twice", twice, null, W);
        assertThatThrownBy(() -> HfSequenceClassifier.load(dup, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("the labels \"Wisdom/Knowledge\" and \"wisdom-knowledge\"")
                .hasMessageContaining("both map to the value Wisdom/Knowledge");
    }

    @Test
    void aModelWithoutLogitsIsRefused() throws IOException {
        Path scores = ExportFixtures.newFolder("scores");
        TinyClassifier.model(scores, "scores", W, 2);
        TinyClassifier.config(scores, TAXONOMY.labels(), null);
        assertThatThrownBy(() -> HfSequenceClassifier.load(scores, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("has no output named logits").hasMessageContaining("scores");
        Path hidden = ExportFixtures.newFolder("hidden");
        TinyClassifier.model(hidden, "last_hidden_state", W, 3);
        TinyClassifier.config(hidden, TAXONOMY.labels(), null);
        assertThatThrownBy(() -> HfSequenceClassifier.load(hidden, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("such as logits").hasMessageContaining("found outputs last_hidden_state");
        Path narrow = tiny("narrow", TAXONOMY.labels(), null, new float[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> HfSequenceClassifier.load(narrow, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("gives 5 logits but config.json names 7 labels");
    }

    @Test
    void aDirectoryWithoutConfigIsNotAnExport() throws IOException {
        Path dir = ExportFixtures.newFolder("no-config");
        TinyClassifier.model(dir, "logits", W, 2);
        assertThat(HfSequenceClassifier.isExport(dir)).isFalse();
        assertThat(new OnnxClassifierProvider().supports(ClassifierSpec.of(dir))).isFalse();
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("no config.json in " + dir.toAbsolutePath().normalize())
                .hasMessageContaining("needs config.json (with id2label), model.onnx and tokenizer.json");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertThat(HfSequenceClassifier.isExport(dir)).isFalse();
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("has no id2label object");
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"a\", \"2\": \"b\"}}");
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("id2label must number its 2 labels 0 to 1 once each");
        Files.writeString(dir.resolve("config.json"), "{\"id2label\": {\"0\": \"a\"}, \"problem_type\": "
                + "\"regression\"}");
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("problem_type \"regression\" is not a classification");
        Files.writeString(dir.resolve("config.json"), "not json");
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void aMultiLabelModelIsRefusedForASingleLabelTaxonomy() throws IOException {
        Path dir = tiny("mode", TAXONOMY.labels(), "multi_label_classification", W);
        assertThatThrownBy(() -> HfSequenceClassifier.load(dir, TAXONOMY)).isInstanceOf(ModelException.class)
                .hasMessageContaining("is multi-label (problem_type multi_label_classification) but the taxonomy"
                        + " value-imprint is single-label");
    }

    @Test
    void aMalformedLabelMapOptionIsRefused() throws IOException {
        Path dir = tiny("option", TAXONOMY.labels(), null, W);
        ClassifierSpec spec = new ClassifierSpec(java.util.Optional.of(dir), PredictionPolicy.defaults(),
                Map.of("label_map", "Wisdom/Knowledge"));
        assertThatThrownBy(() -> ValueClassifiers.load(spec)).isInstanceOf(ModelException.class)
                .hasMessageContaining("\"Wisdom/Knowledge\" is not a label=valueId pair");
        ClassifierSpec twice = new ClassifierSpec(java.util.Optional.of(dir), PredictionPolicy.defaults(),
                Map.of("label_map", "a=b,a=c"));
        assertThatThrownBy(() -> ValueClassifiers.load(twice)).isInstanceOf(ModelException.class)
                .hasMessageContaining("maps the label \"a\" twice");
        ClassifierSpec noTaxonomy = new ClassifierSpec(java.util.Optional.of(dir), PredictionPolicy.defaults(),
                Map.of("taxonomy", dir.resolve("missing.yaml").toString()));
        assertThatThrownBy(() -> ValueClassifiers.load(noTaxonomy)).isInstanceOf(ModelException.class)
                .hasMessageContaining("option taxonomy: cannot load the taxonomy");
    }
}
