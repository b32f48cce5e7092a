package org.valueimprint.finetune;

import java.util.HashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) over plain float arrays, in Java: deterministic, and free of the engine's
 * gradient bookkeeping (gradients are read out of DJL after each backward pass and the arrays rebuilt before the
 * next). Decoupled weight decay is applied to matrices only, not to biases or LayerNorm parameters. Gradients are
 * clipped to a global L2 norm first.
 */
public final class AdamW {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final double weightDecay;
    private final double clipNorm;
    private final Map<String, float[]> m = new HashMap<>();
    private final Map<String, float[]> v = new HashMap<>();
    private int t;

    /**
     * @param weightDecay the decoupled weight decay of matrices
     * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it
     */
    public AdamW(double weightDecay, double clipNorm) {
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
    }

    /** The first moments by parameter name (live, for {@link ResumeState}). */
    Map<String, float[]> firstMoments() {
        return m;
    }

    /** The second moments by parameter name (live, for {@link ResumeState}). */
    Map<String, float[]> secondMoments() {
        return v;
    }

    /** The number of updates made. */
    int steps() {
        return t;
    }

    /** Puts back the moments and update count of a run resumed from a {@link ResumeState}. */
    void restore(Map<String, float[]> first, Map<String, float[]> second, int steps) {
        m.clear();
        m.putAll(first);
        v.clear();
        v.putAll(second);
        t = steps;
    }

    /** The global L2 norm of the gradients; not finite when a gradient holds NaN or infinity. */
    public static double norm(Map<String, float[]> gradients) {
        double sum = 0;
        for (float[] g : gradients.values()) {
            for (float x : g) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * One update of {@code weights} (in place) from {@code gradients}; the learning rate of a parameter is
     * {@code encoderRate} unless its name starts with {@code head.}, then {@code headRate}.
     *
     * @param matrices the names of the parameters that take weight decay
     */
    public void step(Map<String, float[]> weights, Map<String, float[]> gradients, java.util.Set<String> matrices,
            double encoderRate, double headRate) {
        t++;
        double norm = norm(gradients);
        double scale = norm > clipNorm ? clipNorm / norm : 1.0;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (Map.Entry<String, float[]> e : gradients.entrySet()) {
            String name = e.getKey();
            float[] g = e.getValue();
            float[] w = weights.get(name);
            float[] mm = m.computeIfAbsent(name, k -> new float[g.length]);
            float[] vv = v.computeIfAbsent(name, k -> new float[g.length]);
            double lr = name.startsWith("head.") ? headRate : encoderRate;
            double wd = matrices.contains(name) ? weightDecay : 0;
            for (int i = 0; i < g.length; i++) {
                double gi = g[i] * scale;
                mm[i] = (float) (BETA1 * mm[i] + (1 - BETA1) * gi);
                vv[i] = (float) (BETA2 * vv[i] + (1 - BETA2) * gi * gi);
                double update = (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + EPS);
                w[i] = (float) (w[i] - lr * (update + wd * w[i]));
            }
        }
    }
}
