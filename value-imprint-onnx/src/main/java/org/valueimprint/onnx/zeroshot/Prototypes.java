package org.valueimprint.onnx.zeroshot;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.valueimprint.onnx.zeroshot.PrototypeRecipe.WeightedText;

/**
 * The arithmetic of prototypes, apart from any encoder so that it can be run on cached embeddings: weighted means,
 * few-shot updates, cosine scores, softmax and sigmoid probabilities, and the leave-one-out scores that calibrate a
 * few-shot classifier. All vectors are {@code float[]} as encoders give them; sums are taken in {@code double}, in a
 * fixed order, so results are deterministic.
 */
final class Prototypes {
    /** A prototype whose norm is under this is treated as undefined. */
    static final double MIN_NORM = 1e-9;

    private Prototypes() {}

    /**
     * The zero-shot prototypes: for each value, {@code normalise(Σ weight_i · unit(embedding_i))} over its recipe
     * texts.
     *
     * @param texts the recipe texts of each value, in the taxonomy's order
     * @param embeddings the embeddings of those texts, flattened in the same order (value by value)
     */
    static double[][] zeroShot(List<List<WeightedText>> texts, float[][] embeddings) {
        int count = 0;
        for (List<WeightedText> t : texts) {
            count += t.size();
        }
        checkArgument(count == embeddings.length, "%s recipe texts but %s embeddings", count, embeddings.length);
        double[][] out = new double[texts.size()][];
        int row = 0;
        for (int v = 0; v < texts.size(); v++) {
            double[] sum = new double[embeddings[0].length];
            for (WeightedText t : texts.get(v)) {
                addScaled(sum, embeddings[row++], t.weight());
            }
            out[v] = normalised(sum);
            checkArgument(out[v] != null, "the prototype of value %s has no direction (its text embeddings cancel)",
                    v);
        }
        return out;
    }

    /**
     * Few-shot prototypes: for each value, {@code normalise(zeroShotWeight · zeroShot_v + Σ unit(example))} over the
     * examples of that value; a value without examples, or whose sum has no direction, keeps its zero-shot
     * prototype.
     *
     * @param zeroShot unit prototypes, one per value
     * @param examples example embeddings
     * @param members {@code members[i][v]}: whether example {@code i} is an example of value {@code v}
     */
    static double[][] fewShot(double[][] zeroShot, float[][] examples, boolean[][] members, double zeroShotWeight) {
        double[][] sums = sums(zeroShot, examples, members, zeroShotWeight);
        double[][] out = new double[zeroShot.length][];
        for (int v = 0; v < zeroShot.length; v++) {
            double[] p = hasExamples(members, v) ? normalised(sums[v]) : null;
            out[v] = p == null ? zeroShot[v].clone() : p; // bit for bit the zero-shot prototype
        }
        return out;
    }

    private static boolean hasExamples(boolean[][] members, int v) {
        for (boolean[] row : members) {
            if (row[v]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The cosine of each example with each prototype, where the prototype of each value the example belongs to is
     * the one that value would have without that example (leave-one-out, falling back to the zero-shot prototype
     * when nothing is left). These are the honest scores on which a few-shot classifier's temperature is fitted.
     */
    static double[][] leaveOneOutCosines(double[][] zeroShot, float[][] examples, boolean[][] members,
            double zeroShotWeight) {
        double[][] sums = sums(zeroShot, examples, members, zeroShotWeight);
        double[][] full = new double[zeroShot.length][];
        for (int v = 0; v < zeroShot.length; v++) {
            double[] p = normalised(sums[v]);
            full[v] = p == null ? zeroShot[v] : p;
        }
        double[][] out = new double[examples.length][];
        for (int i = 0; i < examples.length; i++) {
            double[] x = unit(examples[i]);
            out[i] = new double[zeroShot.length];
            for (int v = 0; v < zeroShot.length; v++) {
                double[] p = full[v];
                if (members[i][v]) {
                    double[] without = sums[v].clone();
                    for (int d = 0; d < without.length; d++) {
                        without[d] -= x[d];
                    }
                    double[] n = normalised(without);
                    p = n == null ? zeroShot[v] : n;
                }
                out[i][v] = dot(x, p);
            }
        }
        return out;
    }

    private static double[][] sums(double[][] zeroShot, float[][] examples, boolean[][] members,
            double zeroShotWeight) {
        checkArgument(examples.length == members.length, "%s examples but %s membership rows", examples.length,
                members.length);
        double[][] sums = new double[zeroShot.length][];
        for (int v = 0; v < zeroShot.length; v++) {
            sums[v] = zeroShot[v].clone();
            for (int d = 0; d < sums[v].length; d++) {
                sums[v][d] *= zeroShotWeight;
            }
        }
        for (int i = 0; i < examples.length; i++) {
            checkArgument(members[i].length == zeroShot.length, "membership row %s has %s values, not %s", i,
                    members[i].length, zeroShot.length);
            for (int v = 0; v < zeroShot.length; v++) {
                if (members[i][v]) {
                    addScaled(sums[v], examples[i], 1);
                }
            }
        }
        return sums;
    }

    /** Single-label membership rows: row {@code i} is true at {@code values[i]} only. */
    static boolean[][] oneHot(int[] values, int size) {
        boolean[][] out = new boolean[values.length][size];
        for (int i = 0; i < values.length; i++) {
            checkArgument(values[i] >= 0 && values[i] < size, "value index %s out of range", values[i]);
            out[i][values[i]] = true;
        }
        return out;
    }

    /** The cosine of {@code x} with each (unit) prototype; {@code x} need not be normalised (zero gives zeros). */
    static double[] cosines(double[][] prototypes, float[] x) {
        double[] u = unit(x);
        double[] out = new double[prototypes.length];
        for (int v = 0; v < prototypes.length; v++) {
            out[v] = dot(u, prototypes[v]);
        }
        return out;
    }

    /** {@code softmax(cosines / temperature)}, renormalised so the sum is 1 within rounding. */
    static double[] softmax(double[] cosines, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double c : cosines) {
            max = Math.max(max, c);
        }
        double[] p = new double[cosines.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((cosines[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.min(1, p[i] / sum);
        }
        return p;
    }

    /** {@code sigmoid((cosines - threshold) / temperature)}, each value on its own. */
    static double[] sigmoid(double[] cosines, double threshold, double temperature) {
        double[] p = new double[cosines.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 1 / (1 + Math.exp(-(cosines[i] - threshold) / temperature));
        }
        return p;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@code x / |x|} in double; all zeros when {@code x} is zero. */
    static double[] unit(float[] x) {
        double n = 0;
        for (float f : x) {
            n += (double) f * f;
        }
        n = Math.sqrt(n);
        double[] out = new double[x.length];
        if (n < MIN_NORM) {
            return out;
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / n;
        }
        return out;
    }

    private static void addScaled(double[] sum, float[] x, double weight) {
        checkArgument(x.length == sum.length, "embedding of length %s, expected %s", x.length, sum.length);
        double[] u = unit(x);
        for (int d = 0; d < sum.length; d++) {
            sum[d] += weight * u[d];
        }
    }

    /** {@code x / |x|}, or null when {@code |x|} is under {@link #MIN_NORM}. */
    static double[] normalised(double[] x) {
        double n = Math.sqrt(dot(x, x));
        if (n < MIN_NORM) {
            return null;
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / n;
        }
        return out;
    }
}
