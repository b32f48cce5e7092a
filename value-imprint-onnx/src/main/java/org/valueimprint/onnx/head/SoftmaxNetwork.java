package org.valueimprint.onnx.head;

import java.util.Random;

/** Parameters: W [classes x dimension] row-major, then b [classes]. */
final class SoftmaxNetwork extends Network {
    SoftmaxNetwork(int dimension, int classes, boolean multiLabel) {
        super(dimension, classes, multiLabel);
    }

    @Override
    int parameterCount() {
        return classes * dimension + classes;
    }

    @Override
    boolean penalised(int index) {
        return index < classes * dimension;
    }

    @Override
    void initialise(double[] theta, Random random) {
        java.util.Arrays.fill(theta, 0);
    }

    /**
     * Scratch for one thread; the weight gradient is accumulated in rows of its own, indexed from 0, and added to
     * the flat gradient once per call (HotSpot vectorises {@code y[j] += a * x[o + j]}, not updates at an offset).
     */
    private static final class Workspace {
        final double[] z;
        final double[] p;
        final double[] dz;
        final double[][] gW;
        final double[] gB;

        Workspace(int dimension, int classes) {
            z = new double[classes];
            p = new double[classes];
            dz = new double[classes];
            gW = new double[classes][dimension];
            gB = new double[classes];
        }
    }

    @Override
    Object newWorkspace() {
        return new Workspace(dimension, classes);
    }

    @Override
    double accumulate(double[] theta, TrainingData data, int[] rows, int from, int to, double[] gradient,
            Object workspace) {
        Workspace ws = (Workspace) workspace;
        int d = dimension;
        int biasOffset = classes * d;
        double[] x = data.x;
        boolean backward = gradient != null;
        if (backward) {
            for (double[] g : ws.gW) {
                java.util.Arrays.fill(g, 0);
            }
            java.util.Arrays.fill(ws.gB, 0);
        }
        double loss = 0;
        for (int r = from; r < to; r++) {
            int i = rows[r];
            int xi = i * d;
            for (int c = 0; c < classes; c++) {
                ws.z[c] = theta[biasOffset + c] + Activation.dot(theta, c * d, x, xi, d);
            }
            if (!backward) {
                loss += data.loss(i, ws.z, ws.p);
                continue;
            }
            loss += data.lossAndLogitGradient(i, ws.z, ws.p, ws.dz);
            for (int c = 0; c < classes; c++) {
                double g = ws.dz[c];
                if (g != 0) {
                    double[] gw = ws.gW[c];
                    for (int j = 0; j < d; j++) {
                        gw[j] += g * x[xi + j];
                    }
                    ws.gB[c] += g;
                }
            }
        }
        if (backward) {
            for (int c = 0; c < classes; c++) {
                double[] gw = ws.gW[c];
                for (int j = 0; j < d; j++) {
                    gradient[c * d + j] += gw[j];
                }
                gradient[biasOffset + c] += ws.gB[c];
            }
        }
        return loss;
    }

    @Override
    Head toHead(double[] theta, Standardizer standardizer) {
        int d = dimension;
        float[] w = new float[classes * d];
        float[] b = new float[classes];
        for (int c = 0; c < classes; c++) {
            double shift = 0;
            for (int j = 0; j < d; j++) {
                double scaled = theta[c * d + j] / standardizer.scale[j];
                w[c * d + j] = (float) scaled;
                shift += scaled * standardizer.mean[j];
            }
            b[c] = (float) (theta[classes * d + c] - shift);
        }
        return SoftmaxHead.create(classes, d, w, b, multiLabel, 1.0);
    }
}
