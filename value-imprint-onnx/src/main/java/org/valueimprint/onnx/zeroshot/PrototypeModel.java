package org.valueimprint.onnx.zeroshot;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.OptionalDouble;

/**
 * The fitted state of a prototype classifier, apart from its encoder: unit prototypes, the temperature, the
 * multi-label threshold (NaN for single-label), and how the calibration was chosen. Built by {@link #fit}, which the
 * classifier runs on freshly embedded texts and the measurement tool runs on cached embeddings, so both follow one
 * rule.
 */
record PrototypeModel(double[][] prototypes, double temperature, double threshold, String calibration) {
    /**
     * Builds prototypes and calibrates them.
     *
     * @param zeroShot the zero-shot prototypes (unit, one per value)
     * @param examples few-shot example embeddings (may be empty)
     * @param members which values each example belongs to
     * @param zeroShotWeight how many examples the zero-shot prototype counts as
     * @param multiLabel whether probabilities are independent sigmoids
     * @param fixedTemperature a temperature set by the caller, or empty to fit or default it
     * @param fixedThreshold a multi-label threshold set by the caller, or empty to fit or default it
     * @param defaults the defaults used when there is not enough to fit on
     */
    static PrototypeModel fit(double[][] zeroShot, float[][] examples, boolean[][] members, double zeroShotWeight,
            boolean multiLabel, OptionalDouble fixedTemperature, OptionalDouble fixedThreshold,
            EncoderDefaults.Entry defaults) {
        double[][] prototypes = examples.length == 0 ? copy(zeroShot)
                : Prototypes.fewShot(zeroShot, examples, members, zeroShotWeight);
        boolean fixedAll = fixedTemperature.isPresent() && (!multiLabel || fixedThreshold.isPresent());
        if (fixedAll) {
            return new PrototypeModel(prototypes, fixedTemperature.getAsDouble(),
                    multiLabel ? fixedThreshold.getAsDouble() : Double.NaN, "set by the caller");
        }
        if (enoughToFit(members)) {
            double[][] loo = Prototypes.leaveOneOutCosines(zeroShot, examples, members, zeroShotWeight);
            String how = "fitted by likelihood on " + examples.length
                    + " few-shot examples, each scored against prototypes built without it";
            if (!multiLabel) {
                int[] labels = new int[members.length];
                for (int i = 0; i < members.length; i++) {
                    labels[i] = firstTrue(members[i]);
                }
                return new PrototypeModel(prototypes, Calibration.fitTemperature(loo, labels), Double.NaN, how);
            }
            if (fixedTemperature.isPresent()) {
                double a = 1 / fixedTemperature.getAsDouble();
                double t = Calibration.goldenMinimum(x -> Calibration.sigmoidLoss(loo, members, a, -a * x), -1, 1);
                return new PrototypeModel(prototypes, fixedTemperature.getAsDouble(), t,
                        "threshold " + how + "; temperature set by the caller");
            }
            if (fixedThreshold.isPresent()) {
                double th = fixedThreshold.getAsDouble();
                double logT = Calibration.goldenMinimum(
                        x -> Calibration.sigmoidLoss(loo, members, Math.exp(-x), -Math.exp(-x) * th),
                        Math.log(Calibration.MIN_TEMPERATURE), Math.log(Calibration.MAX_TEMPERATURE));
                return new PrototypeModel(prototypes, Math.exp(logT), th,
                        "temperature " + how + "; threshold set by the caller");
            }
            Calibration.Sigmoid s = Calibration.fitSigmoid(loo, members);
            return new PrototypeModel(prototypes, s.temperature(), s.threshold(), how);
        }
        double t = fixedTemperature.orElse(multiLabel ? defaults.multiLabelTemperature() : defaults.temperature());
        double th = multiLabel ? fixedThreshold.orElse(defaults.multiLabelThreshold()) : Double.NaN;
        return new PrototypeModel(prototypes, t, th, defaults.description());
    }

    /** Whether there are enough examples, from at least two values and with at least one negative, to fit on. */
    static boolean enoughToFit(boolean[][] members) {
        if (members.length < PrototypeClassifier.MIN_EXAMPLES_TO_FIT) {
            return false;
        }
        int values = members[0].length;
        int covered = 0;
        boolean negative = false;
        for (int v = 0; v < values; v++) {
            boolean any = false;
            for (boolean[] row : members) {
                any |= row[v];
                negative |= !row[v];
            }
            covered += any ? 1 : 0;
        }
        return covered >= 2 && negative;
    }

    /** Probabilities for one embedding. */
    double[] probabilities(float[] embedding, boolean multiLabel) {
        double[] cos = Prototypes.cosines(prototypes, embedding);
        return multiLabel ? Prototypes.sigmoid(cos, threshold, temperature) : Prototypes.softmax(cos, temperature);
    }

    /** The threshold, when multi-label. */
    OptionalDouble optionalThreshold() {
        return Double.isNaN(threshold) ? OptionalDouble.empty() : OptionalDouble.of(threshold);
    }

    private static int firstTrue(boolean[] row) {
        for (int v = 0; v < row.length; v++) {
            if (row[v]) {
                return v;
            }
        }
        throw new IllegalArgumentException("an example belongs to no value");
    }

    private static double[][] copy(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
        }
        return out;
    }

    /** Validates the components. */
    PrototypeModel {
        checkArgument(temperature > 0 && Double.isFinite(temperature), "temperature must be positive, was %s",
                temperature);
    }
}
