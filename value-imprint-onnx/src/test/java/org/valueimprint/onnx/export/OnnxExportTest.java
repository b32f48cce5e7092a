package org.valueimprint.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.export.OnnxExport.Output;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.head.HeadIo;
import org.valueimprint.onnx.head.MlpHead;
import org.valueimprint.onnx.head.SoftmaxHead;
import org.valueimprint.onnx.model.ModelManifest;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Exports classifiers and checks, on real corpus texts fed straight to ONNX Runtime, that the fused file gives the
 * Java pipeline's probabilities within 1e-4: a trained softmax head on the fp32 MiniLM (whose embeddings do not depend
 * on the batch) in batches of 8, its logits output, and hand-made MLP (with CLS pooling), multi-label and softmax
 * heads on the int8 MiniLM of the default model, with one text per batch on both sides (int8 quantises activations
 * per batch).
 */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path bundle;
    static OnnxValueClassifier classifier;
    static List<String> texts;
    static Path exports;
    static Path probabilities;
    static Path logits;
    static EncoderRef int8;

    /** The int8 encoder, for hand-made bundles. */
    record EncoderRef(String name, String sha256) {}

    @BeforeAll
    static void load() throws IOException {
        bundle = ExportFixtures.softmaxBundle(ExportFixtures.FP32);
        classifier = OnnxValueClassifier.load(bundle);
        texts = ExportFixtures.corpusTexts(40, 11);
        exports = ExportFixtures.newFolder("exports");
        probabilities = exports.resolve("fused.onnx");
        logits = exports.resolve("logits.onnx");
        OnnxExport.export(classifier, probabilities);
        OnnxExport.export(classifier, logits, Output.LOGITS);
        try (var in = OnnxExportTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
            int8 = new EncoderRef(ExportFixtures.INT8, sha256(in.readAllBytes()));
        }
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    private static OnnxTextEncoder encoderOf(OnnxValueClassifier c) {
        return (OnnxTextEncoder) c.encoder();
    }

    private static void assertSameProbabilities(float[][] exported, List<ValuePrediction> expected) {
        assertThat(exported.length).isEqualTo(expected.size());
        for (int i = 0; i < exported.length; i++) {
            assertThat(exported[i]).hasSize(expected.get(i).size());
            for (int c = 0; c < exported[i].length; c++) {
                assertThat((double) exported[i][c]).as("text %s, class %s", i, c)
                        .isCloseTo(expected.get(i).probability(c), within(TOLERANCE));
            }
        }
    }

    @Test
    void theFusedModelGivesTheClassifiersProbabilitiesOnCorpusTexts() throws Exception {
        float[][] exported;
        float[][] single;
        try (OrtSession session = ExportFixtures.open(probabilities)) {
            exported = ExportFixtures.run(session, encoderOf(classifier), texts, 8);
            // the fused model does not care how texts are batched (fp32): one text per batch gives the same
            single = ExportFixtures.run(session, encoderOf(classifier), texts.subList(0, 6), 1);
        }
        List<ValuePrediction> expected = classifier.classify(texts);
        assertSameProbabilities(exported, expected);
        int longTexts = 0;
        for (int i = 0; i < texts.size(); i++) {
            double sum = 0;
            for (float p : exported[i]) {
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
            longTexts += classifier.encoder().countTokens(texts.get(i)) > 256 ? 1 : 0;
        }
        assertThat(longTexts).as("texts cut to 256 tokens").isPositive();
        assertSameProbabilities(single, expected.subList(0, 6));
    }

    @Test
    void theFileIsStandaloneAndSaysWhatItPredicts() throws Exception {
        try (OrtSession session = metadataOnly(probabilities)) {
            assertThat(session.getInputNames()).containsExactlyInAnyOrder("input_ids", "attention_mask",
                    "token_type_ids");
            assertThat(session.getOutputNames()).containsExactly(OnnxExport.PROBABILITIES);
            ai.onnxruntime.TensorInfo info = (ai.onnxruntime.TensorInfo) session.getOutputInfo()
                    .get(OnnxExport.PROBABILITIES).getInfo();
            assertThat(info.getShape()).containsExactly(-1, 7);
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
            List<String> labels = new ArrayList<>();
            JSON.readTree(meta.get("value_imprint.labels")).forEach(n -> labels.add(n.asText()));
            assertThat(labels).isEqualTo(taxonomy.labels());
            List<String> ids = new ArrayList<>();
            JSON.readTree(meta.get("value_imprint.value_ids")).forEach(n -> ids.add(n.asText()));
            assertThat(ids).isEqualTo(taxonomy.values().stream().map(v -> v.id()).toList());
            JsonNode tax = JSON.readTree(meta.get("value_imprint.taxonomy"));
            assertThat(tax.get("id").asText()).isEqualTo(taxonomy.id());
            assertThat(tax.get("version").asText()).isEqualTo(taxonomy.version());
            assertThat(meta).containsEntry("value_imprint.model_id", classifier.manifest().modelId())
                    .containsEntry("value_imprint.pooling", "MEAN")
                    .containsEntry("value_imprint.max_length", "256")
                    .containsEntry("value_imprint.normalized", "true")
                    .containsEntry("value_imprint.text_prefix", "")
                    .containsEntry("value_imprint.output", "probabilities")
                    .containsEntry("value_imprint.activation", "softmax")
                    .containsEntry("value_imprint.head", "SOFTMAX")
                    .containsEntry("value_imprint.encoder", ExportFixtures.FP32)
                    .containsEntry("value_imprint.encoder_sha256", classifier.encoder().info().sha256())
                    .containsEntry("value_imprint.temperature", Double.toString(classifier.head().temperature()));
            assertThat(session.getMetadata().getProducerName()).isEqualTo("value-imprint");
        }
        try (OrtSession session = metadataOnly(logits)) {
            assertThat(session.getOutputNames()).containsExactly(OnnxExport.LOGITS);
            assertThat(session.getMetadata().getCustomMetadata()).containsEntry("value_imprint.output", "logits");
        }
        // written through temporary files that do not stay behind
        try (Stream<Path> files = Files.list(exports)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("fused.onnx", "logits.onnx");
        }
    }

    @Test
    void theLogitsOutputIsTheHeadsLogitsOverTheTemperature() throws Exception {
        List<String> some = texts.subList(0, 10);
        float[][] logits = ExportFixtures.runOnnx(OnnxExportTest.logits, encoderOf(classifier), some, 8);
        float[][] embeddings = classifier.encoder().embed(some);
        Head head = classifier.head();
        assertThat(head.temperature()).isNotEqualTo(1.0);
        List<ValuePrediction> expected = classifier.classify(some);
        for (int i = 0; i < some.size(); i++) {
            double[] z = head.logits(embeddings[i]);
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < z.length; c++) {
                assertThat((double) logits[i][c]).isCloseTo(z[c] / head.temperature(), within(TOLERANCE));
                max = Math.max(max, logits[i][c]);
            }
            double sum = 0;
            for (float v : logits[i]) {
                sum += Math.exp(v - max);
            }
            for (int c = 0; c < z.length; c++) {
                assertThat(Math.exp(logits[i][c] - max) / sum).isCloseTo(expected.get(i).probability(c),
                        within(TOLERANCE));
            }
        }
    }

    @Test
    void anMlpHeadOnClsPoolingIsReproduced() throws Exception {
        Random random = new Random(3);
        int hidden = 24;
        MlpHead mlp = MlpHead.of(gaussian(random, hidden, 384, 0.4), gaussian(random, 1, hidden, 0.2)[0],
                gaussian(random, 7, hidden, 0.8), gaussian(random, 1, 7, 0.3)[0], false);
        Path handMade = handMadeBundle("mlp-cls", ValueTaxonomy.valueImprint(), mlp, 1.6, "CLS");
        try (OnnxValueClassifier c = loadSingle(handMade)) {
            assertThat(c.encoder().info().pooling().name()).isEqualTo("CLS");
            Path out = ExportFixtures.newFolder("mlp").resolve("mlp.onnx");
            OnnxExport.export(c, out);
            List<String> some = texts.subList(16, 26);
            List<ValuePrediction> expected = c.classify(some);
            assertSameProbabilities(ExportFixtures.runOnnx(out, encoderOf(c), some, 1), expected);
            // the hidden layer's ReLU matters: some units are cut at 0 for these texts
            float[] e = c.encoder().embed(some.get(0));
            int negative = 0;
            float[][] w1 = mlp.hiddenWeights();
            for (int r = 0; r < hidden; r++) {
                double a = mlp.hiddenBias()[r];
                for (int k = 0; k < e.length; k++) {
                    a += w1[r][k] * e[k];
                }
                negative += a < 0 ? 1 : 0;
            }
            assertThat(negative).isBetween(1, hidden - 1);
            try (OrtSession session = metadataOnly(out)) {
                assertThat(session.getMetadata().getCustomMetadata()).containsEntry("value_imprint.pooling", "CLS")
                        .containsEntry("value_imprint.head", "MLP");
            }
        }
    }

    @Test
    void aMultiLabelHeadEndsInSigmoids() throws Exception {
        ValueTaxonomy builtIn = ValueTaxonomy.valueImprint();
        ValueTaxonomy.Builder b = ValueTaxonomy.builder("value-imprint-multi").name("Value Imprint, multi-label")
                .version("0.1").multiLabel(true).addValues(builtIn.values());
        builtIn.frameworks().forEach(b::addFramework);
        builtIn.groups().forEach(b::addGroup);
        ValueTaxonomy multi = b.build();
        Random random = new Random(5);
        SoftmaxHead head = SoftmaxHead.of(gaussian(random, 7, 384, 1.5), gaussian(random, 1, 7, 0.5)[0], true);
        Path handMade = handMadeBundle("multi", multi, head, 0.8, "MEAN");
        try (OnnxValueClassifier c = loadSingle(handMade)) {
            assertThat(c.taxonomy().multiLabel()).isTrue();
            Path out = ExportFixtures.newFolder("multi").resolve("multi.onnx");
            OnnxExport.export(c, out);
            List<String> some = texts.subList(30, 40);
            List<ValuePrediction> expected = c.classify(some);
            float[][] exported = ExportFixtures.runOnnx(out, encoderOf(c), some, 1);
            assertSameProbabilities(exported, expected);
            double sum = 0;
            for (float p : exported[0]) {
                sum += p;
            }
            assertThat(sum).as("independent sigmoids need not sum to 1").isNotCloseTo(1.0, within(1e-3));
            try (OrtSession session = metadataOnly(out)) {
                Map<String, String> meta = session.getMetadata().getCustomMetadata();
                assertThat(meta).containsEntry("value_imprint.activation", "sigmoid");
                assertThat(JSON.readTree(meta.get("value_imprint.taxonomy")).get("id").asText())
                        .isEqualTo("value-imprint-multi");
            }
        }
    }

    @Test
    void theInt8DefaultLikeModelMatchesAndItsExportReplacesAnOldFile() throws Exception {
        Random random = new Random(7);
        SoftmaxHead head = SoftmaxHead.of(gaussian(random, 7, 384, 1.0), gaussian(random, 1, 7, 0.3)[0], false);
        Path handMade = handMadeBundle("int8-softmax", ValueTaxonomy.valueImprint(), head, 1.3, "MEAN");
        try (OnnxValueClassifier c = loadSingle(handMade)) {
            Path out = ExportFixtures.newFolder("int8").resolve("int8.onnx");
            Files.writeString(out, "an older file");
            OnnxExport.export(c, out);
            List<String> some = texts.subList(0, 8);
            assertSameProbabilities(ExportFixtures.runOnnx(out, encoderOf(c), some, 1), c.classify(some));
            long encoderBytes = encoderOf(c).modelBytes().length;
            long size = Files.size(out);
            System.out.printf("fused export of MiniLM int8 + softmax head: %,d bytes (encoder %,d bytes)%n", size,
                    encoderBytes);
            // the head (7 x 384 floats) and the appended nodes add a few KiB to the encoder's graph
            assertThat(size).isBetween(encoderBytes + 7 * 384 * 4, encoderBytes + 64 * 1024);

            // that export, with the hidden state kept as an output, still loads as an encoder, but is refused as one
            // to export again: its graph already has the export's names
            Path again = ExportFixtures.newFolder("again");
            Path encoderDir = Files.createDirectories(again.resolve("encoder"));
            ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out));
            ai.onnx.proto.OnnxMl.ModelProto original = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                    encoderOf(c).modelBytes());
            byte[] twice = m.toBuilder().setGraph(m.getGraph().toBuilder().clearOutput()
                    .addOutput(original.getGraph().getOutput(0))).build().toByteArray();
            Files.write(encoderDir.resolve("model.onnx"), twice);
            try (var in = OnnxExportTest.class.getClassLoader()
                    .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
                Files.write(encoderDir.resolve("tokenizer.json"), in.readAllBytes());
            }
            Files.copy(handMade.resolve("taxonomy.json"), again.resolve("taxonomy.json"));
            Files.copy(handMade.resolve("head.bin"), again.resolve("head.bin"));
            ModelManifest manifest = ModelManifest.fromJson(Files.readString(handMade.resolve("manifest.json")), "m");
            Files.writeString(again.resolve("manifest.json"), new ModelManifest(manifest.modelId(),
                    manifest.description(), manifest.taxonomyId(), manifest.taxonomyVersion(), manifest.labels(),
                    new ModelManifest.EncoderRef("", sha256(twice), "MEAN", 256, ""), manifest.head(), 0, Map.of(),
                    Optional.empty()).toJson());
            try (OnnxValueClassifier reloaded = OnnxValueClassifier.load(again)) {
                assertThatThrownBy(() -> OnnxExport.export(reloaded, again.resolve("twice.onnx")))
                        .isInstanceOf(ModelException.class)
                        .hasMessageContaining("already has a tensor or node named value_imprint/");
            }
            assertThat(again.resolve("twice.onnx")).doesNotExist();
        }
    }

    @Test
    void anEncoderOfOpset14GetsItsAxesAsInputs() throws Exception {
        // a tiny fp32 "encoder" in opset 14, where Unsqueeze and ReduceSum take their axes as inputs:
        // hidden[b, t, :] = input_ids[b, t] / 1000 * scale + shift
        Random random = new Random(9);
        int d = 8;
        Path dir = ExportFixtures.newFolder("opset14");
        Path encoderDir = Files.createDirectories(dir.resolve("encoder"));
        byte[] model = TinyEncoder.opset14(gaussian(random, 1, d, 1.0)[0], gaussian(random, 1, d, 0.5)[0]);
        Files.write(encoderDir.resolve("model.onnx"), model);
        try (var in = OnnxExportTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.write(encoderDir.resolve("tokenizer.json"), in.readAllBytes());
        }
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        Head head = SoftmaxHead.of(gaussian(random, 7, d, 2.0), gaussian(random, 1, 7, 0.3)[0], false)
                .withTemperature(0.9);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HeadIo.write(head, bytes);
        Files.write(dir.resolve("head.bin"), bytes.toByteArray());
        Files.writeString(dir.resolve("taxonomy.json"), Taxonomies.toJson(taxonomy));
        Files.writeString(dir.resolve("manifest.json"), new ModelManifest("test/opset14", "tiny", taxonomy.id(),
                taxonomy.version(), taxonomy.labels(), new ModelManifest.EncoderRef("", sha256(model), "MEAN", 64,
                        ""), new ModelManifest.HeadRef("head.bin", sha256(bytes.toByteArray()), "SOFTMAX", 0.9), 0,
                Map.of(), Optional.empty()).toJson());
        try (OnnxValueClassifier c = OnnxValueClassifier.load(dir)) {
            Path out = dir.resolve("fused.onnx");
            OnnxExport.export(c, out);
            ai.onnx.proto.OnnxMl.ModelProto fused = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out));
            assertThat(fused.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("ReduceSum"))
                    .allSatisfy(n -> assertThat(n.getInputCount()).isEqualTo(2));
            List<String> some = texts.subList(0, 12);
            // batches of 4 texts of different lengths: the padding must be masked out of the mean
            assertSameProbabilities(ExportFixtures.runOnnx(out, encoderOf(c), some, 4), c.classify(some));
        }
    }

    /** A session that is only asked for its inputs, outputs and metadata: no graph optimisation. */
    private static OrtSession metadataOnly(Path model) throws ai.onnxruntime.OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            return OrtEnvironment.getEnvironment().createSession(model.toString(), options);
        }
    }

    private static OnnxValueClassifier loadSingle(Path bundle) {
        return OnnxValueClassifier.load(bundle, PredictionPolicy.defaults(),
                EncoderOptions.defaults().withBatchPolicy(BatchPolicy.single()));
    }

    /** A bundle on the int8 encoder with a head made by hand, written the way the trainer writes one. */
    private static Path handMadeBundle(String name, ValueTaxonomy taxonomy, Head head, double temperature,
            String pooling) throws IOException {
        Head h = head.withTemperature(temperature);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HeadIo.write(h, bytes);
        ModelManifest manifest = new ModelManifest("test/" + name, "hand-made " + name, taxonomy.id(),
                taxonomy.version(), taxonomy.labels(), new ModelManifest.EncoderRef(int8.name(), int8.sha256(),
                        pooling, 256, ""),
                new ModelManifest.HeadRef("head.bin", sha256(bytes.toByteArray()), h.kind().name(), temperature), 0,
                Map.of(), Optional.empty());
        Path dir = ExportFixtures.newFolder(name);
        Files.writeString(dir.resolve("manifest.json"), manifest.toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("taxonomy.json"), Taxonomies.toJson(taxonomy), StandardCharsets.UTF_8);
        Files.write(dir.resolve("head.bin"), bytes.toByteArray());
        return dir;
    }

    private static float[][] gaussian(Random random, int rows, int cols, double scale) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int k = 0; k < cols; k++) {
                row[k] = (float) (random.nextGaussian() * scale);
            }
        }
        return m;
    }

    private static String sha256(byte[] bytes) throws IOException {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
