package org.valueimprint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.eval.Fixtures.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Properties of the metrics and the bootstrap interval over random gold labels and predictions. */
class BootstrapPropertiesTest {

    private record Case(ValueTaxonomy taxonomy, int[] gold, List<ValuePrediction> predictions) {}

    private static Case randomCase(long seed, int k, int n, double skill) {
        ValueTaxonomy t = Fixtures.taxonomy(k);
        Random random = new Random(seed);
        int[] gold = new int[n];
        List<ValuePrediction> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            gold[i] = random.nextInt(k);
            int top = random.nextDouble() < skill ? gold[i] : random.nextInt(k);
            p.add(predict(t, top, 0.5 + 0.5 * random.nextDouble()));
        }
        return new Case(t, gold, p);
    }

    /** The 95% percentile interval holds the point estimate, and both ends are in [0, 1]. */
    @Property(tries = 60)
    void intervalContainsThePointEstimate(@ForAll long seed, @ForAll @IntRange(min = 2, max = 7) int k,
            @ForAll @IntRange(min = 100, max = 600) int n, @ForAll @DoubleRange(min = 0.2, max = 0.95) double skill) {
        Case c = randomCase(seed, k, n, skill);
        Evaluation e = Evaluator.builder().seed(seed).bootstrapResamples(300).build()
                .evaluate(c.taxonomy(), c.gold(), c.predictions());
        BootstrapInterval ci = e.macroF1Interval().orElseThrow();
        assertThat(ci.low()).isBetween(0.0, 1.0);
        assertThat(ci.high()).isBetween(0.0, 1.0);
        assertThat(ci.contains(e.macroF1())).as("%s contains %s", ci, e.macroF1()).isTrue();
    }

    /** Metrics stay in range and agree with each other on any input. */
    @Property(tries = 100)
    void metricsAreConsistent(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int k,
            @ForAll @IntRange(min = 1, max = 150) int n, @ForAll @DoubleRange(min = 0, max = 1) double skill) {
        Case c = randomCase(seed, k, n, skill);
        Evaluation e = Evaluator.builder().bootstrapResamples(20).build()
                .evaluate(c.taxonomy(), c.gold(), c.predictions());
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += c.predictions().get(i).topIndex() == c.gold()[i] ? 1 : 0;
        }
        assertThat(e.accuracy()).isEqualTo((double) correct / n);
        // with no abstentions, micro F1 = accuracy, and weighted recall = accuracy
        double weightedRecall = e.perClass().stream().mapToDouble(m -> m.recall() * m.support()).sum() / n;
        assertThat(weightedRecall).isCloseTo(e.accuracy(), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.perClass().stream().mapToInt(ClassMetrics::support).sum()).isEqualTo(n);
        for (ClassMetrics m : e.perClass()) {
            double lo = Math.min(m.precision(), m.recall());
            double hi = Math.max(m.precision(), m.recall());
            assertThat(m.f1()).isBetween(lo - 1e-12, hi + 1e-12);
        }
        assertThat(e.macroF1()).isBetween(0.0, 1.0);
        assertThat(e.weightedF1()).isBetween(0.0, 1.0);
        assertThat(e.ece()).isBetween(0.0, 1.0);
        assertThat(e.brier()).isBetween(0.0, 2.0);
        assertThat(e.calibrationBins().stream().mapToInt(CalibrationBin::count).sum()).isEqualTo(n);
    }
}
