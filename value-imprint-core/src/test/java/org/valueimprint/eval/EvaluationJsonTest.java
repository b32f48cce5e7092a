package org.valueimprint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.valueimprint.eval.Fixtures.FIXED_CLOCK;
import static org.valueimprint.eval.Fixtures.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The JSON form of {@link Evaluation}: its keys, and reading it back. */
class EvaluationJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Evaluation sample(long seed, int n, double abstainBelow, boolean withClassifier) {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(abstainBelow);
        Random random = new Random(seed);
        int[] gold = new int[n];
        List<ValuePrediction> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gold[i] = random.nextInt(t.size());
            int top = random.nextDouble() < 0.6 ? gold[i] : random.nextInt(t.size());
            p.add(predict(t, top, 0.2 + 0.8 * random.nextDouble(), policy));
        }
        Evaluator.Builder b = Evaluator.builder().seed(seed).bootstrapResamples(100).clock(FIXED_CLOCK)
                .goldData("gold \"test\".jsonl", "ab12");
        if (withClassifier) {
            b.classifier(new ClassifierInfo("model-1", "A test model", "cafe",
                    Map.of("encoder", "minilm", "max_length", "256")));
        }
        return b.build().evaluate(t, gold, p);
    }

    @Test
    void jsonHasTheDocumentedKeys() throws Exception {
        Evaluation e = sample(1, 300, 0.3, true);
        JsonNode root = MAPPER.readTree(e.toJson());
        assertThat(root.get("format").asText()).isEqualTo(Evaluation.FORMAT);
        assertThat(root.get("n").asInt()).isEqualTo(300);
        assertThat(root.get("accuracy").asDouble()).isEqualTo(e.accuracy());
        assertThat(root.get("macro_f1").asDouble()).isEqualTo(e.macroF1());
        assertThat(root.get("weighted_f1").asDouble()).isEqualTo(e.weightedF1());
        assertThat(root.get("ece").asDouble()).isEqualTo(e.ece());
        assertThat(root.get("brier").asDouble()).isEqualTo(e.brier());
        assertThat(root.get("macro_f1_ci")).hasSize(2);
        assertThat(root.get("macro_f1_ci").get(0).asDouble()).isEqualTo(e.macroF1Interval().orElseThrow().low());
        assertThat(root.get("bootstrap").get("resamples").asInt()).isEqualTo(100);
        assertThat(root.get("ece_bins")).hasSize(15);
        assertThat(root.get("ece_bins").get(0).fieldNames()).toIterable()
                .containsExactly("lower", "upper", "count", "confidence", "accuracy");
        List<String> perClassKeys = new ArrayList<>();
        root.get("per_class").fieldNames().forEachRemaining(perClassKeys::add);
        assertThat(perClassKeys).isEqualTo(ValueTaxonomy.valueImprint().labels());
        JsonNode wisdom = root.get("per_class").get("Wisdom/Knowledge");
        assertThat(wisdom.get("f1").asDouble()).isEqualTo(e.classMetrics("Wisdom/Knowledge").f1());
        assertThat(wisdom.get("support").asInt()).isEqualTo(e.classMetrics("Wisdom/Knowledge").support());
        assertThat(root.get("confusion").get("labels")).hasSize(7);
        assertThat(root.get("confusion").get("matrix").get(2).get(3).asInt()).isEqualTo(e.confusion(2, 3));
        assertThat(root.get("abstained").get("count").asInt()).isEqualTo(e.abstained()).isPositive();
        assertThat(root.get("abstained").get("coverage").asDouble()).isEqualTo(e.coverage());
        assertThat(root.get("provenance").get("classifier").get("id").asText()).isEqualTo("model-1");
        assertThat(root.get("provenance").get("classifier").get("details").get("encoder").asText())
                .isEqualTo("minilm");
        assertThat(root.get("provenance").get("gold").get("sha256").asText()).isEqualTo("ab12");
        assertThat(root.get("provenance").get("seed").asLong()).isEqualTo(1);
        assertThat(root.get("provenance").get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(root.get("taxonomy").get("id").asText()).isEqualTo("value-imprint");
    }

    /** Round trip through text: equal objects and the same text again, over varied evaluations. */
    @Property(tries = 30)
    void roundTripsExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int n,
            @ForAll @IntRange(min = 0, max = 3) int abstainTenths, @ForAll boolean withClassifier) {
        Evaluation e = sample(seed, n, abstainTenths / 10.0, withClassifier);
        Evaluation back = Evaluation.fromJson(e.toJson());
        assertThat(back).isEqualTo(e);
        assertThat(back.hashCode()).isEqualTo(e.hashCode());
        assertThat(back.toJson()).isEqualTo(e.toJson());
        assertThat(back.macroF1()).isEqualTo(e.macroF1());
        assertThat(back.perClass()).isEqualTo(e.perClass());
    }

    @Test
    void undefinedNumbersAreNullAndComeBackAsNaN() throws Exception {
        ValueTaxonomy t = Fixtures.abc();
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(0.9);
        Evaluation e = Evaluator.builder().bootstrapResamples(0).clock(FIXED_CLOCK).build().evaluate(t,
                new int[] {0, 1}, List.of(predict(t, 0, 0.5, policy), predict(t, 1, 0.5, policy)));
        JsonNode root = MAPPER.readTree(e.toJson());
        assertThat(root.get("abstained").get("selective_accuracy").isNull()).isTrue();
        assertThat(root.get("macro_f1_ci").isNull()).isTrue();
        assertThat(root.get("ece_bins").get(0).get("confidence").isNull()).isTrue();
        assertThat(root.get("provenance").get("classifier").isNull()).isTrue();
        Evaluation back = Evaluation.fromJson(e.toJson());
        assertThat(back).isEqualTo(e);
        assertThat(back.selectiveAccuracy()).isNaN();
        assertThat(back.macroF1Interval()).isEmpty();
    }

    @Test
    void writesAndReadsFiles(@TempDir Path dir) throws IOException {
        Evaluation e = sample(9, 120, 0, true);
        Path file = dir.resolve("evaluation.json");
        e.writeJson(file);
        assertThat(Evaluation.readJson(file)).isEqualTo(e);
    }

    @Test
    void editedOrMalformedJsonIsRefused(@TempDir Path dir) throws IOException {
        String json = sample(2, 100, 0, false).toJson();
        assertThatThrownBy(() -> Evaluation.fromJson(json.replaceFirst("\"accuracy\" : [0-9.E-]+",
                "\"accuracy\" : 0.999")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accuracy is 0.999 but");
        assertThatThrownBy(() -> Evaluation.fromJson(json.replace("\"brier\"", "\"brierx\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing key 'brier'");
        assertThatThrownBy(() -> Evaluation.fromJson(json.replace("value-imprint-evaluation/1", "other/9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format is 'other/9'");
        assertThatThrownBy(() -> Evaluation.fromJson("[1, 2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        Path file = dir.resolve("bad.json");
        sample(2, 100, 0, false).writeJson(file);
        assertThat(Evaluation.readJson(file)).isEqualTo(Evaluation.fromJson(json));
        try {
            java.nio.file.Files.writeString(file, json.replace("\"n\" : 100", "\"n\" : 101"));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        assertThatThrownBy(() -> Evaluation.readJson(file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(file.toString())
                .hasMessageContaining("n is 101 but the confusion matrix holds 100");
    }
}
