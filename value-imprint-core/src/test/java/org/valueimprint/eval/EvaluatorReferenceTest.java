package org.valueimprint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * {@link Evaluator} against numbers computed independently in Python with scikit-learn's formulas, by
 * {@code value-imprint-core/src/test/python/reference_metrics.py} (run with {@code python3}; it prints the numbers
 * pasted below). Both generate the same 300 examples over 7 values from the same 64-bit LCG; value 6 is never
 * predicted; predictions under 0.6 abstain (150 of them). The Python script re-implements {@link java.util.Random},
 * so even the bootstrap interval (seed 42, 1,000 resamples) must match.
 */
class EvaluatorReferenceTest {
    private static final double EPS = 1e-12;

    @Test
    void matchesPythonReference() {
        ValueTaxonomy t = Fixtures.taxonomy(7);
        PredictionPolicy policy = PredictionPolicy.defaults().withAbstainBelow(0.6);
        long[] state = {2024};
        int[] cumulative = {30, 50, 65, 75, 85, 95, 100};
        int n = 300;
        int[] gold = new int[n];
        List<ValuePrediction> predictions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long r = next(state, 100);
            int g = 0;
            while (r >= cumulative[g]) {
                g++;
            }
            int p = next(state, 100) < 60 ? g : (int) next(state, 7);
            if (p == 6) {
                p = 5;
            }
            long[] w = new long[7];
            long total = 0;
            for (int c = 0; c < 7; c++) {
                w[c] = 1 + next(state, 10);
            }
            w[p] = 30 + next(state, 40);
            for (long x : w) {
                total += x;
            }
            double[] probs = new double[7];
            for (int c = 0; c < 7; c++) {
                probs[c] = w[c] / (double) total;
            }
            gold[i] = g;
            predictions.add(ValuePrediction.of(t, probs, policy));
        }
        Evaluation e = Evaluator.builder().seed(42).bootstrapResamples(1000).build().evaluate(t, gold, predictions);

        // python3 reference_metrics.py:
        // n 300 abstained 150 support [86, 63, 55, 28, 30, 26, 12] predicted [32, 30, 31, 16, 10, 31, 0]
        //   tp [29, 20, 17, 7, 5, 11, 0]
        assertThat(e.n()).isEqualTo(300);
        assertThat(e.abstained()).isEqualTo(150);
        assertThat(e.perClass()).extracting(ClassMetrics::support).containsExactly(86, 63, 55, 28, 30, 26, 12);
        int[][] m = e.confusionMatrix();
        for (int c = 0; c < 7; c++) {
            int predicted = 0;
            for (int[] row : m) {
                predicted += row[c];
            }
            assertThat(predicted).as("predicted " + c).isEqualTo(new int[] {32, 30, 31, 16, 10, 31, 0}[c]);
            assertThat(m[c][c]).as("tp " + c).isEqualTo(new int[] {29, 20, 17, 7, 5, 11, 0}[c]);
        }
        assertThat(e.accuracy()).isCloseTo(0.29666666666666669, within(EPS));
        assertThat(e.selectiveAccuracy()).isCloseTo(0.59333333333333338, within(EPS));
        assertThat(e.macroF1()).isCloseTo(0.32444693118319373, within(EPS));
        assertThat(e.weightedF1()).isCloseTo(0.39185441769709051, within(EPS));
        double[][] prf = {
            {0.90625, 0.33720930232558138, 0.49152542372881364},
            {0.66666666666666663, 0.31746031746031744, 0.43010752688172044},
            {0.54838709677419351, 0.30909090909090908, 0.39534883720930236},
            {0.4375, 0.25, 0.31818181818181818},
            {0.5, 0.16666666666666666, 0.25},
            {0.35483870967741937, 0.42307692307692307, 0.38596491228070179},
            {0, 0, 0},
        };
        for (int c = 0; c < 7; c++) {
            ClassMetrics cm = e.perClass().get(c);
            assertThat(cm.precision()).as("precision " + c).isCloseTo(prf[c][0], within(EPS));
            assertThat(cm.recall()).as("recall " + c).isCloseTo(prf[c][1], within(EPS));
            assertThat(cm.f1()).as("f1 " + c).isCloseTo(prf[c][2], within(EPS));
        }
        // ece 0.098367408104304124 bin counts [0, 0, 0, 0, 0, 1, 8, 52, 91, 101, 38, 8, 1, 0, 0]
        assertThat(e.ece()).isCloseTo(0.098367408104304124, within(EPS));
        assertThat(e.calibrationBins()).extracting(CalibrationBin::count)
                .containsExactly(0, 0, 0, 0, 0, 1, 8, 52, 91, 101, 38, 8, 1, 0, 0);
        assertThat(e.brier()).isCloseTo(0.6056078165107468, within(EPS));
        // macro_f1_ci 0.26598425341612597 0.372916501056483
        BootstrapInterval ci = e.macroF1Interval().orElseThrow();
        assertThat(ci.low()).isCloseTo(0.26598425341612597, within(EPS));
        assertThat(ci.high()).isCloseTo(0.372916501056483, within(EPS));
    }

    /** The LCG of reference_metrics.py: state = state * a + c (mod 2^64), value = (state >>> 33) mod bound. */
    private static long next(long[] state, int bound) {
        state[0] = state[0] * 6364136223846793005L + 1442695040888963407L;
        return (state[0] >>> 33) % bound;
    }
}
