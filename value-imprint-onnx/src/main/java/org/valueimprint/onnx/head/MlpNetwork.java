package org.valueimprint.onnx.head;

import java.util.Random;

/**
 * Parameters: W1 transposed [dimension x hidden] row-major (so both passes over it are contiguous updates of
 * length {@code hidden}), b1 [hidden], W2 [classes x hidden], b2 [classes].
 */
final class MlpNetwork extends Network {
    private final int hidden;
    private final int b1Offset;
    private final int w2Offset;
    private final int b2Offset;

    MlpNetwork(int dimension, int hidden, int classes, boolean multiLabel) {
        super(dimension, classes, multiLabel);
        this.hidden = hidden;
        this.b1Offset = dimension * hidden;
        this.w2Offset = b1Offset + hidden;
        this.b2Offset = w2Offset + classes * hidden;
    }

    @Override
    int parameterCount() {
        return b2Offset + classes;
    }

    @Override
    boolean penalised(int index) {
        return index < b1Offset || (index >= w2Offset && index < b2Offset);
    }

    @Override
    void initialise(double[] theta, Random random) {
        java.util.Arrays.fill(theta, 0);
        double s1 = Math.sqrt(2.0 / dimension); // He initialisation for ReLU
        for (int i = 0; i < b1Offset; i++) {
            theta[i] = random.nextGaussian() * s1;
        }
        double s2 = Math.sqrt(1.0 / hidden);
        for (int i = w2Offset; i < b2Offset; i++) {
            theta[i] = random.nextGaussian() * s2;
        }
    }

    /** Rows processed together, so that each row of W1 is read once per block from the cache. */
    private static final int BLOCK = 8;

    /**
     * Scratch for one thread. The W1 and W2 gradients are accumulated in arrays of their own, indexed from 0, and
     * added to the flat gradient once per call: HotSpot vectorises {@code y[j] += a * x[o + j]} but not updates of
     * {@code y[o + j]} at a variable offset.
     */
    private static final class Workspace {
        final double[][] h;
        final double[][] dh;
        final double[][] dz;
        final double[] z;
        final double[] p;
        final double[][] gW1;
        final double[][] gW2;
        final double[] gB1;
        final double[] gB2;

        Workspace(int dimension, int hidden, int classes) {
            h = new double[BLOCK][hidden];
            dh = new double[BLOCK][hidden];
            dz = new double[BLOCK][classes];
            z = new double[classes];
            p = new double[classes];
            gW1 = new double[dimension][hidden];
            gW2 = new double[classes][hidden];
            gB1 = new double[hidden];
            gB2 = new double[classes];
        }
    }

    @Override
    Object newWorkspace() {
        return new Workspace(dimension, hidden, classes);
    }

    @Override
    double accumulate(double[] theta, TrainingData data, int[] rows, int from, int to, double[] gradient,
            Object workspace) {
        Workspace ws = (Workspace) workspace;
        int d = dimension;
        int hu = hidden;
        double[] x = data.x;
        boolean backward = gradient != null;
        if (backward) {
            for (double[] g : ws.gW1) {
                java.util.Arrays.fill(g, 0);
            }
            for (double[] g : ws.gW2) {
                java.util.Arrays.fill(g, 0);
            }
            java.util.Arrays.fill(ws.gB1, 0);
            java.util.Arrays.fill(ws.gB2, 0);
        }
        double loss = 0;
        for (int start = from; start < to; start += BLOCK) {
            int m = Math.min(BLOCK, to - start);
            // forward: h_r = relu(b1 + x_r W1T), one row of W1T at a time for the whole block
            for (int r = 0; r < m; r++) {
                System.arraycopy(theta, b1Offset, ws.h[r], 0, hu);
            }
            for (int j = 0; j < d; j++) {
                int w = j * hu;
                for (int r = 0; r < m; r++) {
                    double a = x[rows[start + r] * d + j];
                    double[] h = ws.h[r];
                    for (int u = 0; u < hu; u++) {
                        h[u] += a * theta[w + u];
                    }
                }
            }
            for (int r = 0; r < m; r++) {
                double[] h = ws.h[r];
                for (int u = 0; u < hu; u++) {
                    if (h[u] < 0) {
                        h[u] = 0;
                    }
                }
                for (int c = 0; c < classes; c++) {
                    ws.z[c] = theta[b2Offset + c] + Activation.dot(theta, w2Offset + c * hu, h, 0, hu);
                }
                int i = rows[start + r];
                loss += backward ? data.lossAndLogitGradient(i, ws.z, ws.p, ws.dz[r]) : data.loss(i, ws.z, ws.p);
            }
            if (!backward) {
                continue;
            }
            // backward through the output layer and the ReLU
            for (int r = 0; r < m; r++) {
                double[] h = ws.h[r];
                double[] dh = ws.dh[r];
                java.util.Arrays.fill(dh, 0);
                for (int c = 0; c < classes; c++) {
                    double g = ws.dz[r][c];
                    if (g != 0) {
                        ws.gB2[c] += g;
                        double[] gw2 = ws.gW2[c];
                        int w = w2Offset + c * hu;
                        for (int u = 0; u < hu; u++) {
                            gw2[u] += g * h[u];
                            dh[u] += g * theta[w + u];
                        }
                    }
                }
                for (int u = 0; u < hu; u++) {
                    if (h[u] <= 0) {
                        dh[u] = 0;
                    }
                    ws.gB1[u] += dh[u];
                }
            }
            // W1 gradient: gW1[j] += x_rj * dh_r, one row of gW1 at a time for the whole block
            for (int j = 0; j < d; j++) {
                double[] g = ws.gW1[j];
                for (int r = 0; r < m; r++) {
                    double a = x[rows[start + r] * d + j];
                    double[] dh = ws.dh[r];
                    for (int u = 0; u < hu; u++) {
                        g[u] += a * dh[u];
                    }
                }
            }
        }
        if (backward) {
            for (int j = 0; j < d; j++) {
                double[] g = ws.gW1[j];
                for (int u = 0; u < hu; u++) {
                    gradient[j * hu + u] += g[u];
                }
            }
            for (int u = 0; u < hu; u++) {
                gradient[b1Offset + u] += ws.gB1[u];
            }
            for (int c = 0; c < classes; c++) {
                double[] g = ws.gW2[c];
                for (int u = 0; u < hu; u++) {
                    gradient[w2Offset + c * hu + u] += g[u];
                }
                gradient[b2Offset + c] += ws.gB2[c];
            }
        }
        return loss;
    }

    @Override
    Head toHead(double[] theta, Standardizer standardizer) {
        int d = dimension;
        int hu = hidden;
        float[] w1 = new float[hu * d];
        float[] b1 = new float[hu];
        for (int u = 0; u < hu; u++) {
            double shift = 0;
            for (int j = 0; j < d; j++) {
                double scaled = theta[j * hu + u] / standardizer.scale[j];
                w1[u * d + j] = (float) scaled;
                shift += scaled * standardizer.mean[j];
            }
            b1[u] = (float) (theta[b1Offset + u] - shift);
        }
        float[] w2 = new float[classes * hu];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) theta[w2Offset + i];
        }
        float[] b2 = new float[classes];
        for (int c = 0; c < classes; c++) {
            b2[c] = (float) theta[b2Offset + c];
        }
        return MlpHead.create(d, hu, classes, w1, b1, w2, b2, multiLabel, 1.0);
    }
}
