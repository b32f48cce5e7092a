package org.valueimprint.onnx.head;

/**
 * Classification and calibration metrics over probability rows, for the tests and the cross-validation tool. (The
 * library's own evaluation lives in value-imprint-core; this is the small subset the head package checks itself.)
 */
final class Metrics {
    final int classes;
    /** confusion[true][predicted] */
    final int[][] confusion;
    final int n;

    Metrics(double[][] probabilities, int[] labels, int classes) {
        this.classes = classes;
        this.n = labels.length;
        this.confusion = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            confusion[labels[i]][SyntheticData.argmax(probabilities[i])]++;
        }
    }

    double accuracy() {
        int right = 0;
        for (int c = 0; c < classes; c++) {
            right += confusion[c][c];
        }
        return (double) right / n;
    }

    int support(int c) {
        int s = 0;
        for (int p = 0; p < classes; p++) {
            s += confusion[c][p];
        }
        return s;
    }

    double precision(int c) {
        int predicted = 0;
        for (int t = 0; t < classes; t++) {
            predicted += confusion[t][c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    double recall(int c) {
        int s = support(c);
        return s == 0 ? 0 : (double) confusion[c][c] / s;
    }

    double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double macroF1() {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += f1(c);
        }
        return sum / classes;
    }

    double weightedF1() {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += f1(c) * support(c);
        }
        return sum / n;
    }

    double minF1() {
        double min = 1;
        for (int c = 0; c < classes; c++) {
            min = Math.min(min, f1(c));
        }
        return min;
    }

    /**
     * Expected calibration error of the top-class confidence: {@code bins} equal-width bins over [0, 1] (a
     * confidence of exactly 1 goes to the last bin), sum over bins of (bin size / n) * |accuracy - mean confidence|.
     */
    static double ece(double[][] probabilities, int[] labels, int bins) {
        double[] confidence = new double[bins];
        int[] correct = new int[bins];
        int[] count = new int[bins];
        for (int i = 0; i < labels.length; i++) {
            int top = SyntheticData.argmax(probabilities[i]);
            double p = probabilities[i][top];
            int b = Math.min(bins - 1, (int) (p * bins));
            confidence[b] += p;
            correct[b] += top == labels[i] ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(correct[b] - confidence[b]) / labels.length;
            }
        }
        return ece;
    }

    /** Mean negative log-likelihood of the true classes (probabilities floored at 1e-15). */
    static double nll(double[][] probabilities, int[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(1e-15, probabilities[i][labels[i]]));
        }
        return sum / labels.length;
    }
}
