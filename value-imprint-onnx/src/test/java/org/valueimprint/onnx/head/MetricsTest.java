package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The test-side metrics on a hand-computed case, so the numbers the tool prints can be trusted. */
class MetricsTest {
    @Test
    void handComputedConfusion() {
        // true:      0    0    0    1    1    2
        // predicted: 0    0    1    1    2    2
        double[][] p = {{.8, .1, .1}, {.6, .3, .1}, {.3, .6, .1}, {.2, .7, .1}, {.1, .2, .7}, {.1, .1, .8}};
        int[] y = {0, 0, 0, 1, 1, 2};
        Metrics m = new Metrics(p, y, 3);
        assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
        // class 0: P 2/2, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 0.5; class 2: P 1/2, R 1, F1 2/3
        assertThat(m.f1(0)).isCloseTo(0.8, within(1e-12));
        assertThat(m.f1(1)).isCloseTo(0.5, within(1e-12));
        assertThat(m.f1(2)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.macroF1()).isCloseTo((0.8 + 0.5 + 2 / 3.0) / 3, within(1e-12));
        assertThat(m.weightedF1()).isCloseTo((3 * 0.8 + 2 * 0.5 + 2 / 3.0) / 6, within(1e-12));
        // 10 bins: confidences .8 (bin 8, right), .6 (bin 6, right), .6 (bin 6, wrong), .7 (bin 7, right),
        // .7 (bin 7, wrong), .8 (bin 8, right)
        // bin 6: |1 - 1.2| ; bin 7: |1 - 1.4| ; bin 8: |2 - 1.6|  -> (0.2 + 0.4 + 0.4) / 6
        assertThat(Metrics.ece(p, y, 10)).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(Metrics.nll(p, y)).isCloseTo(-(Math.log(.8) + Math.log(.6) + Math.log(.3) + Math.log(.7)
                + Math.log(.2) + Math.log(.8)) / 6, within(1e-12));
    }
}
