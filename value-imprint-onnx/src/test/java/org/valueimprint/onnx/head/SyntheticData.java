package org.valueimprint.onnx.head;

import java.util.Random;

/** Seeded Gaussian clusters for tests: class {@code c} is drawn around its own random centre. */
final class SyntheticData {
    final float[][] x;
    final int[] y;
    final int classes;

    private SyntheticData(float[][] x, int[] y, int classes) {
        this.x = x;
        this.y = y;
        this.classes = classes;
    }

    /**
     * {@code counts[c]} rows of class {@code c} in {@code dimension} dimensions: centre coordinates ~ N(0, 1) times
     * {@code separation}, noise ~ N(0, 1); rows in class-interleaved, shuffled order.
     */
    static SyntheticData clusters(int[] counts, int dimension, double separation, long seed) {
        Random random = new Random(seed);
        int classes = counts.length;
        double[][] centres = new double[classes][dimension];
        for (double[] c : centres) {
            for (int j = 0; j < dimension; j++) {
                c[j] = random.nextGaussian() * separation;
            }
        }
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] y = new int[n];
        int t = 0;
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < counts[c]; i++) {
                y[t++] = c;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = y[i];
            y[i] = y[j];
            y[j] = tmp;
        }
        float[][] x = new float[n][dimension];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                x[i][j] = (float) (centres[y[i]][j] + random.nextGaussian());
            }
        }
        return new SyntheticData(x, y, classes);
    }

    /** The fraction of rows whose most probable class is the label. */
    static double accuracy(Head head, float[][] x, int[] y) {
        int right = 0;
        for (int i = 0; i < x.length; i++) {
            right += argmax(head.probabilities(x[i])) == y[i] ? 1 : 0;
        }
        return (double) right / x.length;
    }

    /** The recall of class {@code c}. */
    static double recall(Head head, float[][] x, int[] y, int c) {
        int right = 0;
        int total = 0;
        for (int i = 0; i < x.length; i++) {
            if (y[i] == c) {
                total++;
                right += argmax(head.probabilities(x[i])) == c ? 1 : 0;
            }
        }
        return (double) right / total;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
