package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link HeadCrossValidator} on synthetic clusters. */
class HeadCrossValidatorTest {
    private static final SyntheticData DATA = SyntheticData.clusters(new int[] {200, 120, 40}, 16, 0.7, 21);

    @Test
    void everyRowIsPredictedOutOfFoldByAHeadThatNeverSawIt() {
        CrossValidationResult cv = HeadCrossValidator.crossValidate(DATA.x, DATA.y, 3, 5, 42,
                TrainingOptions.softmax());
        assertThat(cv.folds()).isEqualTo(5);
        assertThat(cv.rows()).isEqualTo(360);
        int[] fold = cv.foldOf();
        for (int f = 0; f < 5; f++) {
            HeadFit r = cv.foldResults().get(f);
            int held = 0;
            for (int g : fold) {
                held += g == f ? 1 : 0;
            }
            assertThat(held).isEqualTo(72);
            assertThat(r.trainingRows()).isEqualTo(360 - 72);
        }
        double[][] oof = cv.probabilities();
        double[][] logits = cv.logits();
        for (int i = 0; i < oof.length; i++) {
            assertThat(oof[i][0] + oof[i][1] + oof[i][2]).isCloseTo(1, within(1e-12));
            // the out-of-fold prediction is the prediction of its fold's head
            assertThat(logits[i]).containsExactly(cv.foldResults().get(fold[i]).head().logits(DATA.x[i]));
        }
        // out-of-fold accuracy estimates the accuracy on new data from the same clusters
        SyntheticData fresh = SyntheticData.clusters(new int[] {1000, 600, 200}, 16, 0.7, 21);
        Head full = HeadTrainer.of(TrainingOptions.softmax()).train(DATA.x, DATA.y, 3).head();
        double oofAccuracy = new Metrics(oof, DATA.y, 3).accuracy();
        assertThat(oofAccuracy).isGreaterThan(0.75)
                .isCloseTo(SyntheticData.accuracy(full, fresh.x, fresh.y), within(0.05));
    }

    @Test
    void theTemperatureIsFittedOnTheOutOfFoldLogits() {
        CrossValidationResult cv = HeadCrossValidator.crossValidate(DATA.x, DATA.y, 3, 4, 7,
                TrainingOptions.softmax().withL2(0));
        double[][] logits = cv.logits();
        assertThat(cv.temperature()).isEqualTo(TemperatureScaling.fit(logits, DATA.y));
        double[][] calibrated = cv.calibratedProbabilities();
        assertThat(Metrics.nll(calibrated, DATA.y)).isLessThanOrEqualTo(Metrics.nll(cv.probabilities(), DATA.y));
        for (int i = 0; i < calibrated.length; i++) {
            assertThat(SyntheticData.argmax(calibrated[i])).isEqualTo(SyntheticData.argmax(logits[i]));
        }
    }

    @Test
    void isDeterministicForASeed() {
        TrainingOptions options = TrainingOptions.mlp(8).withEpochs(10);
        CrossValidationResult a = HeadCrossValidator.crossValidate(DATA.x, DATA.y, 3, 3, 1, options);
        CrossValidationResult b = HeadCrossValidator.crossValidate(DATA.x, DATA.y, 3, 3, 1, options);
        assertThat(b.logits()).isDeepEqualTo(a.logits());
        assertThat(b.temperature()).isEqualTo(a.temperature());
        CrossValidationResult c = HeadCrossValidator.crossValidate(DATA.x, DATA.y, 3, 3, 2, options);
        assertThat(c.foldOf()).isNotEqualTo(a.foldOf());
    }
}
