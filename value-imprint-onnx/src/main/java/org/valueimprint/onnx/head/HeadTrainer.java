package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link Head} on embeddings with the given {@link TrainingOptions}.
 *
 * <pre>{@code
 * HeadFit r = HeadTrainer.of(TrainingOptions.mlp(256)).train(embeddings, labels, 7);
 * Head head = r.head();
 * }</pre>
 *
 * <p>Deterministic: the same embeddings, labels and options give a bit-identical head on every run, machine and
 * thread count (fixed iteration order, fixed-size chunks added in order, {@link StrictMath} for exponentials and
 * logarithms, seeded {@link Random}s). Instances are immutable and may be shared; each call trains independently.
 * Nothing here is validated beyond what the methods state: in particular, embeddings are not checked for
 * normalisation, and duplicate rows are trained on as given.
 */
public final class HeadTrainer {
    private final TrainingOptions options;

    private HeadTrainer(TrainingOptions options) {
        this.options = requireNonNull(options, "options");
    }

    /** A trainer with these options. */
    public static HeadTrainer of(TrainingOptions options) {
        return new HeadTrainer(options);
    }

    /** The options. */
    public TrainingOptions options() {
        return options;
    }

    /**
     * Trains a single-label head: softmax over {@code classes} outputs.
     *
     * @param embeddings one row per example, all of the same positive length, finite; not modified
     * @param labels the class of each row, in {@code [0, classes)}
     * @param classes the number of classes; at least 2 (a class with no rows is allowed and learns to be unlikely)
     * @throws IllegalArgumentException when shapes disagree, a value is not finite, a label is out of range, or
     *     early stopping is on and the split leaves no row to validate on
     */
    public HeadFit train(float[][] embeddings, int[] labels, int classes) {
        checkArgument(classes >= 2, "a single-label head needs at least 2 classes, got %s", classes);
        int dimension = checkEmbeddings(embeddings);
        checkArgument(labels.length == embeddings.length, "%s labels for %s embeddings", labels.length,
                embeddings.length);
        for (int i = 0; i < labels.length; i++) {
            checkArgument(labels[i] >= 0 && labels[i] < classes, "label of row %s is %s, not in [0, %s)", i,
                    labels[i], classes);
        }
        Split split = split(labels);
        double[] classWeight = new double[classes];
        int[] counts = new int[classes];
        for (int i : split.train) {
            counts[labels[i]]++;
        }
        int present = 0;
        for (int count : counts) {
            present += count > 0 ? 1 : 0;
        }
        for (int c = 0; c < classes; c++) {
            classWeight[c] = switch (options.classWeights()) {
                case NONE -> 1;
                case BALANCED -> counts[c] == 0 ? 0 : (double) split.train.length / (present * (double) counts[c]);
            };
        }
        double[] rowWeights = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            rowWeights[i] = classWeight[labels[i]];
        }
        Standardizer standardizer = Standardizer.fit(embeddings, split.train, dimension);
        TrainingData data = TrainingData.singleLabel(standardizer.apply(embeddings, dimension), dimension, classes,
                labels.clone(), rowWeights);
        return run(data, split, standardizer);
    }

    /**
     * Trains a multi-label head: an independent sigmoid for each class.
     *
     * @param embeddings one row per example, all of the same positive length, finite; not modified
     * @param labels for each row, whether each class applies; every row of the same positive length (the class
     *     count); a row may have no class or several. The early-stopping split is stratified by each row's first
     *     class (rows with none form a stratum of their own)
     * @throws IllegalArgumentException when shapes disagree, a value is not finite, or early stopping is on and the
     *     split leaves no row to validate on
     */
    public HeadFit trainMultiLabel(float[][] embeddings, boolean[][] labels) {
        int dimension = checkEmbeddings(embeddings);
        checkArgument(labels.length == embeddings.length, "%s label rows for %s embeddings", labels.length,
                embeddings.length);
        int classes = labels[0].length;
        checkArgument(classes >= 1, "label rows are empty");
        boolean[] targets = new boolean[labels.length * classes];
        int[] strata = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            checkArgument(labels[i].length == classes, "label row %s has %s values, expected %s", i,
                    labels[i].length, classes);
            strata[i] = classes; // rows with no class form their own stratum
            for (int c = classes - 1; c >= 0; c--) {
                targets[i * classes + c] = labels[i][c];
                if (labels[i][c]) {
                    strata[i] = c;
                }
            }
        }
        Split split = split(strata);
        double[] positive = new double[classes];
        double[] negative = new double[classes];
        int n = split.train.length;
        for (int c = 0; c < classes; c++) {
            int pos = 0;
            for (int i : split.train) {
                pos += targets[i * classes + c] ? 1 : 0;
            }
            int neg = n - pos;
            if (options.classWeights() == ClassWeights.BALANCED) {
                positive[c] = pos == 0 ? 0 : n / (2.0 * pos);
                negative[c] = neg == 0 ? 0 : n / (2.0 * neg);
            } else {
                positive[c] = 1;
                negative[c] = 1;
            }
        }
        Standardizer standardizer = Standardizer.fit(embeddings, split.train, dimension);
        TrainingData data = TrainingData.multiLabel(standardizer.apply(embeddings, dimension), dimension, classes,
                targets, positive, negative);
        return run(data, split, standardizer);
    }

    private static int checkEmbeddings(float[][] embeddings) {
        checkArgument(embeddings.length > 0, "no embeddings to train on");
        int dimension = embeddings[0].length;
        checkArgument(dimension > 0, "embeddings are empty");
        for (int i = 0; i < embeddings.length; i++) {
            float[] row = embeddings[i];
            checkArgument(row.length == dimension, "embedding %s has %s values, expected %s", i, row.length,
                    dimension);
            for (int j = 0; j < dimension; j++) {
                checkArgument(Float.isFinite(row[j]), "embedding %s has a non-finite value at %s: %s", i, j, row[j]);
            }
        }
        return dimension;
    }

    private record Split(int[] train, int[] validation) {}

    private Split split(int[] strata) {
        if (options.validationFraction() == 0) {
            int[] all = new int[strata.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return new Split(all, new int[0]);
        }
        boolean[] held = StratifiedSplitter.holdOut(strata, options.validationFraction(), seed(1));
        int validation = 0;
        for (boolean h : held) {
            validation += h ? 1 : 0;
        }
        checkArgument(validation > 0, "early stopping on %s of %s rows leaves no row to validate on",
                (Object) options.validationFraction(), strata.length);
        int[] train = new int[strata.length - validation];
        int[] val = new int[validation];
        int t = 0;
        int v = 0;
        for (int i = 0; i < strata.length; i++) {
            if (held[i]) {
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new Split(train, val);
    }

    /** A seed for one purpose, derived from the options' seed. */
    private long seed(int purpose) {
        long z = options.seed() + 0x9E3779B97F4A7C15L * purpose;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private HeadFit run(TrainingData data, Split split, Standardizer standardizer) {
        long start = System.nanoTime();
        Network network = Network.create(options, data.dimension, data.classes, data.multiLabel);
        double[] theta = new double[network.parameterCount()];
        network.initialise(theta, new Random(seed(2)));
        Progress progress = new Progress(theta, split.validation.length > 0);
        int chunk = options.optimizer() == Optimizer.ADAM ? Objective.MINI_BATCH_CHUNK : Objective.FULL_BATCH_CHUNK;
        try (Objective objective = new Objective(network, data, options.l2(), chunk, options.threads())) {
            switch (options.optimizer()) {
                case LBFGS -> lbfgs(objective, theta, split, progress);
                case ADAM -> adam(objective, theta, split, progress);
            }
        }
        Head head = network.toHead(progress.best, standardizer);
        return new HeadFit(head, options, split.train.length, split.validation.length,
                progress.trainingLoss.size(), progress.bestRound, progress.stoppedEarly, progress.trainingLoss,
                progress.validationLoss, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Losses per round, the best parameters so far, and the early-stopping decision. */
    private final class Progress {
        final List<Double> trainingLoss = new ArrayList<>();
        final List<Double> validationLoss = new ArrayList<>();
        final boolean validating;
        double[] best;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestRound;
        boolean stoppedEarly;

        Progress(double[] initial, boolean validating) {
            this.best = initial.clone();
            this.validating = validating;
        }

        /** Records a round; returns whether training should stop. */
        boolean round(double[] theta, double trainLoss, Objective objective, Split split) {
            checkFinite(trainLoss, theta);
            trainingLoss.add(trainLoss);
            int round = trainingLoss.size();
            if (!validating) {
                best = theta.clone();
                bestRound = round;
                return false;
            }
            double loss = objective.dataLoss(theta, split.validation, 0, split.validation.length);
            validationLoss.add(loss);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = theta.clone();
                bestRound = round;
            } else if (round - bestRound >= options.patience()) {
                stoppedEarly = true;
                return true;
            }
            return false;
        }

        private void checkFinite(double loss, double[] theta) {
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("training diverged: the loss became " + loss + " in round "
                        + (trainingLoss.size() + 1) + "; lower the learning rate or raise l2");
            }
        }
    }

    private void adam(Objective objective, double[] theta, Split split, Progress progress) {
        final double beta1 = 0.9;
        final double beta2 = 0.999;
        final double epsilon = 1e-8;
        int p = theta.length;
        double[] m = new double[p];
        double[] v = new double[p];
        double[] g = new double[p];
        int[] order = split.train.clone();
        Random random = new Random(seed(3));
        int batch = Math.min(options.batchSize(), order.length);
        long t = 0;
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double lossSum = 0;
            for (int from = 0; from < order.length; from += batch) {
                int to = Math.min(order.length, from + batch);
                lossSum += objective.value(theta, order, from, to, g) * (to - from);
                t++;
                double c1 = 1 - StrictMath.pow(beta1, t);
                double c2 = 1 - StrictMath.pow(beta2, t);
                double rate = options.learningRate();
                for (int k = 0; k < p; k++) {
                    m[k] = beta1 * m[k] + (1 - beta1) * g[k];
                    v[k] = beta2 * v[k] + (1 - beta2) * g[k] * g[k];
                    theta[k] -= rate * (m[k] / c1) / (Math.sqrt(v[k] / c2) + epsilon);
                }
            }
            if (progress.round(theta, lossSum / order.length, objective, split)) {
                return;
            }
        }
    }

    private void lbfgs(Objective objective, double[] theta, Split split, Progress progress) {
        final int memory = 10;
        int p = theta.length;
        int[] rows = split.train;
        double[] g = new double[p];
        double f = objective.value(theta, rows, 0, rows.length, g);
        double[][] s = new double[memory][];
        double[][] y = new double[memory][];
        double[] rho = new double[memory];
        int stored = 0;
        int newest = -1;
        double[] d = new double[p];
        double[] xNew = new double[p];
        double[] gNew = new double[p];
        double[] alpha = new double[memory];
        double[] sNew = new double[p];
        double[] yNew = new double[p];
        for (int iteration = 0; iteration < options.epochs(); iteration++) {
            // two-loop recursion: d = -H g
            for (int k = 0; k < p; k++) {
                d[k] = -g[k];
            }
            for (int back = 0; back < stored; back++) {
                int idx = Math.floorMod(newest - back, memory);
                alpha[idx] = rho[idx] * dot(s[idx], d);
                axpy(-alpha[idx], y[idx], d);
            }
            if (stored > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int k = 0; k < p; k++) {
                    d[k] *= gamma;
                }
            }
            for (int back = stored - 1; back >= 0; back--) {
                int idx = Math.floorMod(newest - back, memory);
                double beta = rho[idx] * dot(y[idx], d);
                axpy(alpha[idx] - beta, s[idx], d);
            }
            double slope = dot(g, d);
            if (!(slope < 0)) { // not a descent direction: restart from steepest descent
                stored = 0;
                for (int k = 0; k < p; k++) {
                    d[k] = -g[k];
                }
                slope = dot(g, d);
            }
            if (slope == 0) {
                progress.round(theta, f, objective, split);
                return; // gradient is exactly zero
            }
            double step = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 40; tries++) {
                for (int k = 0; k < p; k++) {
                    xNew[k] = theta[k] + step * d[k];
                }
                fNew = objective.value(xNew, rows, 0, rows.length, gNew);
                if (fNew <= f + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                progress.round(theta, f, objective, split);
                return; // no decrease along the direction: converged as far as double precision allows
            }
            for (int k = 0; k < p; k++) {
                sNew[k] = xNew[k] - theta[k];
                yNew[k] = gNew[k] - g[k];
            }
            double sy = dot(sNew, yNew);
            // keep the pair only where it shows enough curvature for a positive-definite update
            if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
                newest = (newest + 1) % memory;
                double[] recycledS = s[newest] == null ? new double[p] : s[newest];
                double[] recycledY = y[newest] == null ? new double[p] : y[newest];
                s[newest] = sNew;
                y[newest] = yNew;
                sNew = recycledS;
                yNew = recycledY;
                rho[newest] = 1 / sy;
                stored = Math.min(memory, stored + 1);
            }
            double decrease = f - fNew;
            System.arraycopy(xNew, 0, theta, 0, p);
            System.arraycopy(gNew, 0, g, 0, p);
            f = fNew;
            if (progress.round(theta, f, objective, split)) {
                return;
            }
            if (decrease <= 1e-10 * Math.max(1, Math.abs(f)) || maxAbs(g) <= 1e-7) {
                return; // converged
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        return Activation.dot(a, 0, b, 0, a.length);
    }

    private static void axpy(double a, double[] x, double[] y) {
        Activation.axpy(a, x, 0, y, 0, x.length);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
