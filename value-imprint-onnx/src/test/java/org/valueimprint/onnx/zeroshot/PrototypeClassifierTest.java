package org.valueimprint.onnx.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * {@link PrototypeClassifier} on a real encoder (all-MiniLM-L6-v2 int8) with a synthetic three-topic taxonomy, and
 * on a {@link FakeEncoder} where probabilities can be computed by hand.
 */
class PrototypeClassifierTest {
    private static final ValueTaxonomy TOPICS = ValueTaxonomy.builder("topics").version("1").name("Topics")
            .addValue(new HumanValue("cooking", "Cooking", List.of(),
                    "Preparing food: recipes, ingredients, baking, roasting and seasoning meals in the kitchen.", "",
                    List.of(), List.of("recipes", "baking bread", "seasoning a dish"), List.of()))
            .addValue(new HumanValue("astronomy", "Astronomy", List.of(),
                    "The study of planets, stars, galaxies and the night sky, with telescopes and space probes.", "",
                    List.of(), List.of("planets", "stars and galaxies", "telescopes"), List.of()))
            .addValue(new HumanValue("football", "Football", List.of(),
                    "The sport of football (soccer): matches, players, goals, leagues and tactics.", "",
                    List.of(), List.of("football matches", "scoring goals", "team tactics"), List.of()))
            .build();

    private static final Map<String, List<String>> OBVIOUS = Map.of(
            "cooking", List.of("Human: How long should I bake a loaf of sourdough bread, and at what temperature?",
                    "Human: What spices go well in a chicken curry?",
                    "Human: How do I make a simple tomato sauce for pasta?"),
            "astronomy", List.of("Human: Why does Mars look red through a telescope?",
                    "Human: How far away is the nearest star to the Sun?",
                    "Human: What is a black hole at the centre of a galaxy?"),
            "football", List.of("Human: Who scored the most goals in the World Cup final?",
                    "Human: What does a defensive midfielder do in a 4-3-3 formation?",
                    "Human: Why was the striker's goal ruled offside?"));

    private static OnnxTextEncoder minilm;

    @BeforeAll
    static void load() {
        minilm = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"));
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    @Test
    void zeroShotClassifiesObviousTextsOfThreeTopics() {
        try (PrototypeClassifier classifier = PrototypeClassifier.builder(minilm, TOPICS).build()) {
            for (HumanValue value : TOPICS.values()) {
                List<ValuePrediction> predictions = classifier.classify(OBVIOUS.get(value.id()));
                for (ValuePrediction p : predictions) {
                    assertThat(p.top()).as("%s", p).isEqualTo(value);
                    assertThat(Arrays.stream(p.probabilities()).sum()).isCloseTo(1, within(1e-9));
                    assertThat(p.abstained()).isFalse();
                }
            }
            // a fake encoder id would give the generic default; MiniLM int8 has its measured one
            assertThat(classifier.calibration()).startsWith("default for all-minilm-l6-v2-q");
            assertThat(classifier.temperature()).isEqualTo(0.0468);
            assertThat(classifier.threshold()).isEmpty();
            assertThat(classifier.info().id()).isEqualTo("prototype-topics-all-minilm-l6-v2-q");
            assertThat(classifier.info().details()).containsEntry("prototype.temperature", "0.0468")
                    .containsKeys("encoder.sha256", "prototype.recipe", "prototype.calibration");
            assertThat(Arrays.stream(classifier.similarities(List.of(OBVIOUS.get("football").get(0)))[0]).boxed())
                    .hasSize(3).allSatisfy(c -> assertThat(c).isBetween(-1.0, 1.0));
        }
    }

    @Test
    void fewShotExamplesMoveThePrototypeTowardsThem() {
        // teach "astronomy" a new meaning with gardening examples: a gardening question gains its probability
        List<String> gardening = List.of("Human: How should I prune my rose bushes in early spring?",
                "Human: When is the right time to plant tulip bulbs in the garden?",
                "Human: How do I keep slugs away from the lettuce in my vegetable patch?");
        String query = "Human: How often should I water the hydrangeas in my flower bed during a dry summer?";
        try (PrototypeClassifier zero = PrototypeClassifier.builder(minilm, TOPICS).temperature(0.05).build();
                PrototypeClassifier few = PrototypeClassifier.builder(minilm, TOPICS).temperature(0.05)
                        .examples(Map.of("Astronomy", gardening)).zeroShotWeight(1).build()) {
            double before = zero.classify(query).probability("astronomy");
            double after = few.classify(query).probability("astronomy");
            assertThat(before).isLessThan(0.5);
            assertThat(after).isGreaterThan(before + 0.2);
            assertThat(few.classify(query).top().id()).isEqualTo("astronomy");
            assertThat(few.exampleCounts()).containsExactly(Map.entry("astronomy", 3));
            assertThat(few.info().id()).endsWith("-fewshot");
            // the other prototypes are untouched
            assertThat(few.prototypes()[0]).containsExactly(zero.prototypes()[0]);
            assertThat(few.prototypes()[2]).containsExactly(zero.prototypes()[2]);
            assertThat(few.prototypes()[1]).isNotEqualTo(zero.prototypes()[1]);
            // an obvious astronomy text stays astronomy: the zero-shot prototype still counts
            assertThat(few.classify(OBVIOUS.get("astronomy").get(0)).top().id()).isEqualTo("astronomy");
        }
    }

    @Test
    void buildingIsDeterministic() {
        Map<String, List<String>> examples = new LinkedHashMap<>();
        examples.put("cooking", List.of("Human: How do I roast vegetables?"));
        examples.put("astronomy", List.of("Human: When is the next lunar eclipse?"));
        Map<String, List<String>> reversed = new LinkedHashMap<>();
        reversed.put("astronomy", examples.get("astronomy"));
        reversed.put("cooking", examples.get("cooking"));
        List<String> texts = new ArrayList<>();
        OBVIOUS.values().forEach(texts::addAll);
        try (PrototypeClassifier a = PrototypeClassifier.builder(minilm, TOPICS).examples(examples).build();
                PrototypeClassifier b = PrototypeClassifier.builder(minilm, TOPICS).examples(reversed).build()) {
            assertThat(a.prototypes()).isDeepEqualTo(b.prototypes());
            assertThat(a.info()).isEqualTo(b.info());
            assertThat(a.classify(texts)).isEqualTo(b.classify(texts));
        }
    }

    @Test
    void aBorrowedEncoderStaysOpen() {
        PrototypeClassifier classifier = PrototypeClassifier.builder(minilm, TOPICS).build();
        assertThat(classifier.ownsEncoder()).isFalse();
        classifier.close();
        classifier.close();
        assertThat(minilm.embed("Human: still open?")).hasSize(384);
        assertThatThrownBy(() -> classifier.classify("Human: hello")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> classifier.similarities(List.of("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(classifier.temperature()).isPositive(); // accessors still answer
    }

    // ---- hand-computed cases on a fake encoder ----

    private static final Map<String, float[]> VECTORS = Map.of(
            "def a", new float[] {2, 0, 0},
            "def b", new float[] {0, 1, 0},
            "x", new float[] {3, 4, 0},
            "e1", new float[] {0, 0, 5},
            "y", new float[] {0, 0, 1});

    private static ValueTaxonomy twoValues(boolean multiLabel) {
        return ValueTaxonomy.builder("ab").version("1").name("AB").multiLabel(multiLabel)
                .addValue(new HumanValue("a", "A", "def a"))
                .addValue(new HumanValue("b", "B", "def b"))
                .build();
    }

    @Test
    void singleLabelProbabilitiesAreSoftmaxOfCosinesOverTemperature() {
        try (PrototypeClassifier c = PrototypeClassifier.builder(new FakeEncoder(3, VECTORS), twoValues(false))
                .recipe(PrototypeRecipe.definitionOnly()).temperature(0.1).build()) {
            // x = (0.6, 0.8, 0): cosines 0.6 and 0.8
            assertThat(c.similarities(List.of("x"))[0]).containsExactly(new double[] {0.6, 0.8}, within(1e-7));
            ValuePrediction p = c.classify("x");
            assertThat(p.probability("a")).isCloseTo(1 / (1 + Math.exp(2)), within(1e-7));
            assertThat(p.probability("b")).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-7));
            assertThat(p.top().id()).isEqualTo("b");
            assertThat(c.calibration()).isEqualTo("set by the caller");
        }
    }

    @Test
    void multiLabelProbabilitiesAreIndependentSigmoids() {
        try (PrototypeClassifier c = PrototypeClassifier.builder(new FakeEncoder(3, VECTORS), twoValues(true))
                .recipe(PrototypeRecipe.definitionOnly()).temperature(0.1).threshold(0.7).build()) {
            ValuePrediction p = c.classify("x");
            assertThat(p.probability("a")).isCloseTo(1 / (1 + Math.exp(1)), within(1e-7));
            assertThat(p.probability("b")).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-7));
            assertThat(p.selected()).extracting(HumanValue::id).containsExactly("b");
            assertThat(p.withPolicy(PredictionPolicy.defaults().withThresholds(0.5, Map.of("a", 0.2))).selected())
                    .extracting(HumanValue::id).containsExactly("a", "b");
            assertThat(c.threshold()).hasValue(0.7);
            assertThat(c.info().details()).containsEntry("prototype.threshold", "0.7");
        }
        // without settings or examples: the generic defaults for an encoder that was not measured
        try (PrototypeClassifier c = PrototypeClassifier.builder(new FakeEncoder(3, VECTORS), twoValues(true))
                .build()) {
            assertThat(c.threshold()).hasValue(EncoderDefaults.GENERIC.multiLabelThreshold());
            assertThat(c.temperature()).isEqualTo(EncoderDefaults.GENERIC.multiLabelTemperature());
            assertThat(c.calibration()).startsWith("generic default");
            double[] p = c.classify("x").probabilities();
            assertThat(p[0] + p[1]).isNotCloseTo(1, within(1e-3)); // independent, not a distribution
        }
    }

    @Test
    void fewShotPrototypeIsComputedAsDocumented() {
        try (PrototypeClassifier zero = PrototypeClassifier.builder(new FakeEncoder(3, VECTORS), twoValues(false))
                .recipe(PrototypeRecipe.definitionOnly()).temperature(0.1).build();
                PrototypeClassifier few = PrototypeClassifier.builder(new FakeEncoder(3, VECTORS), twoValues(false))
                        .recipe(PrototypeRecipe.definitionOnly()).temperature(0.1).zeroShotWeight(1)
                        .examples(List.of(new GoldExample("1", "e1", "A"))).build()) {
            double r = Math.sqrt(0.5);
            assertThat(few.prototypes()[0]).containsExactly(new double[] {r, 0, r}, within(1e-7));
            // y = (0, 0, 1): cosine with a goes from 0 to 0.7071, so its probability from 0.5 to 1/(1+e^-7.071)
            assertThat(zero.classify("y").probability("a")).isCloseTo(0.5, within(1e-7));
            assertThat(few.classify("y").probability("a")).isCloseTo(1 / (1 + Math.exp(-r / 0.1)), within(1e-6));
        }
    }

    @Test
    void goldExamplesAndTheMapGiveTheSameClassifier() {
        FakeEncoder encoder = new FakeEncoder(3, VECTORS);
        try (PrototypeClassifier fromMap = PrototypeClassifier.builder(encoder, twoValues(false))
                .examples(Map.of("a", List.of("e1", "q"), "B", List.of("r"))).build();
                PrototypeClassifier fromGold = PrototypeClassifier.builder(encoder, twoValues(false))
                        .examples(List.of(new GoldExample("1", "e1", "a"), new GoldExample("2", "q", "A"),
                                new GoldExample("3", "r", "b")))
                        .build()) {
            assertThat(fromMap.info().sha256()).isEqualTo(fromGold.info().sha256());
            assertThat(fromMap.exampleCounts()).containsExactly(Map.entry("a", 2), Map.entry("b", 1));
        }
        assertThatThrownBy(() -> PrototypeClassifier.builder(encoder, twoValues(false))
                .examples(Map.of("care", List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown value 'care'")
                .hasMessageContaining("A, B");
    }

    @Test
    void temperatureIsFittedOnEnoughExamplesElseDefaulted() {
        Map<String, List<String>> many = new HashMap<>();
        Map<String, float[]> vectors = new HashMap<>(VECTORS);
        java.util.Random random = new java.util.Random(3);
        for (String value : List.of("a", "b")) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < PrototypeClassifier.MIN_EXAMPLES_TO_FIT / 2; i++) {
                String text = value + i;
                // near the value's definition axis, with noise
                float[] v = {(float) random.nextGaussian() * 0.5f, (float) random.nextGaussian() * 0.5f,
                        (float) random.nextGaussian() * 0.5f};
                v[value.equals("a") ? 0 : 1] += 1;
                vectors.put(text, v);
                texts.add(text);
            }
            many.put(value, texts);
        }
        try (PrototypeClassifier fitted = PrototypeClassifier.builder(new FakeEncoder(3, vectors), twoValues(false))
                .examples(many).build();
                PrototypeClassifier few = PrototypeClassifier.builder(new FakeEncoder(3, vectors), twoValues(false))
                        .examples(Map.of("a", many.get("a").subList(0, 10), "b", many.get("b").subList(0, 10)))
                        .build()) {
            assertThat(fitted.calibration()).startsWith("fitted by likelihood on 50 few-shot examples");
            assertThat(fitted.temperature()).isBetween(Calibration.MIN_TEMPERATURE, Calibration.MAX_TEMPERATURE)
                    .isNotEqualTo(EncoderDefaults.GENERIC.temperature());
            assertThat(few.calibration()).startsWith("generic default");
            assertThat(few.temperature()).isEqualTo(EncoderDefaults.GENERIC.temperature());
        }
    }

    @Test
    void anOwnedEncoderIsClosedOnceWithTheClassifierOrAFailedBuild() {
        FakeEncoder owned = new FakeEncoder(3, VECTORS);
        PrototypeClassifier c = PrototypeClassifier.builder(owned, twoValues(false)).ownsEncoder(true).build();
        assertThat(c.ownsEncoder()).isTrue();
        assertThat(owned.isClosed()).isFalse();
        c.close();
        c.close();
        assertThat(owned.closes.get()).isEqualTo(1);

        FakeEncoder failing = FakeEncoder.failing();
        assertThatThrownBy(() -> PrototypeClassifier.builder(failing, twoValues(false)).ownsEncoder(true).build())
                .hasMessageContaining("always fails");
        assertThat(failing.closes.get()).isEqualTo(1);

        FakeEncoder borrowed = FakeEncoder.failing();
        assertThatThrownBy(() -> PrototypeClassifier.builder(borrowed, twoValues(false)).build())
                .hasMessageContaining("always fails");
        assertThat(borrowed.closes.get()).isZero();
    }

    @Test
    void embedsRecipeTextsInOneCallAndExamplesInAnother() {
        FakeEncoder encoder = new FakeEncoder(3, VECTORS);
        try (PrototypeClassifier c = PrototypeClassifier.builder(encoder, twoValues(false)).build()) {
            assertThat(encoder.embedCalls.get()).isEqualTo(1);
        }
        FakeEncoder withExamples = new FakeEncoder(3, VECTORS);
        try (PrototypeClassifier c = PrototypeClassifier.builder(withExamples, twoValues(false))
                .examples(Map.of("a", List.of("e1"))).build()) {
            assertThat(withExamples.embedCalls.get()).isEqualTo(2);
            assertThat(c.classify(List.of())).isEmpty();
        }
    }
}
