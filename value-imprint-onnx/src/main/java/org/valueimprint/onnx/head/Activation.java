package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;

/** Output activations and the losses that go with them, in a fixed arithmetic order. */
final class Activation {
    private Activation() {}

    static void checkTemperature(double temperature) {
        checkArgument(temperature > 0 && Double.isFinite(temperature),
                "temperature must be positive and finite, was %s", temperature);
    }

    /** {@code softmax(logits / t)} or per-class {@code sigmoid(logits / t)}; a new array. */
    static double[] apply(double[] logits, double temperature, boolean multiLabel) {
        double[] out = new double[logits.length];
        if (multiLabel) {
            for (int c = 0; c < logits.length; c++) {
                out[c] = sigmoid(logits[c] / temperature);
            }
        } else {
            softmax(logits, temperature, out);
        }
        return out;
    }

    /** Writes {@code softmax(z / t)} into {@code out}; returns {@code logsumexp(z / t)}. */
    static double softmax(double[] z, double temperature, double[] out) {
        int k = z.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[c] / temperature);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double e = StrictMath.exp(z[c] / temperature - max);
            out[c] = e;
            sum += e;
        }
        for (int c = 0; c < k; c++) {
            out[c] /= sum;
        }
        return max + StrictMath.log(sum);
    }

    /** A sigmoid that neither overflows nor loses precision for large negative inputs. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1 + e);
    }

    /** {@code log(1 + exp(x))} without overflow. */
    static double softplus(double x) {
        return x > 0 ? x + StrictMath.log1p(StrictMath.exp(-x)) : StrictMath.log1p(StrictMath.exp(x));
    }

    /** The dot product of {@code a[aFrom..aFrom+n)} and {@code b[bFrom..bFrom+n)}, in four interleaved sums. */
    static double dot(double[] a, int aFrom, double[] b, int bFrom, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[aFrom + j] * b[bFrom + j];
            s1 += a[aFrom + j + 1] * b[bFrom + j + 1];
            s2 += a[aFrom + j + 2] * b[bFrom + j + 2];
            s3 += a[aFrom + j + 3] * b[bFrom + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[aFrom + j] * b[bFrom + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The dot product of float weights {@code w[from..from+x.length)} and an embedding, in four sums. */
    static double dot(float[] w, int from, float[] x) {
        int n = x.length;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += (double) w[from + j] * x[j];
            s1 += (double) w[from + j + 1] * x[j + 1];
            s2 += (double) w[from + j + 2] * x[j + 2];
            s3 += (double) w[from + j + 3] * x[j + 3];
        }
        for (; j < n; j++) {
            s0 += (double) w[from + j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The dot product of float weights {@code w[from..from+x.length)} and a double vector, in four sums. */
    static double dot(float[] w, int from, double[] x) {
        int n = x.length;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += w[from + j] * x[j];
            s1 += w[from + j + 1] * x[j + 1];
            s2 += w[from + j + 2] * x[j + 2];
            s3 += w[from + j + 3] * x[j + 3];
        }
        for (; j < n; j++) {
            s0 += w[from + j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[yFrom..yFrom+n) += a * x[xFrom..xFrom+n)}. */
    static void axpy(double a, double[] x, int xFrom, double[] y, int yFrom, int n) {
        for (int j = 0; j < n; j++) {
            y[yFrom + j] += a * x[xFrom + j];
        }
    }
}
