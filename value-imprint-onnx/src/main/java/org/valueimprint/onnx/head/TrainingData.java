package org.valueimprint.onnx.head;

/**
 * Standardised training rows and their targets, flat for speed. Single-label rows carry a class and a weight;
 * multi-label rows a 0/1 target per class, weighted per class and target value.
 */
final class TrainingData {
    final int rows;
    final int dimension;
    final int classes;
    final boolean multiLabel;
    /** Row-major [rows x dimension], standardised. */
    final double[] x;
    /** Single-label: the class of each row; null for multi-label. */
    final int[] labels;
    /** Single-label: the weight of each row; null for multi-label. */
    final double[] rowWeights;
    /** Multi-label: row-major [rows x classes] 0/1 targets; null for single-label. */
    final boolean[] targets;
    /** Multi-label: the weight of a positive and of a negative target, per class; null for single-label. */
    final double[] positiveWeights;
    final double[] negativeWeights;

    private TrainingData(int rows, int dimension, int classes, boolean multiLabel, double[] x, int[] labels,
            double[] rowWeights, boolean[] targets, double[] positiveWeights, double[] negativeWeights) {
        this.rows = rows;
        this.dimension = dimension;
        this.classes = classes;
        this.multiLabel = multiLabel;
        this.x = x;
        this.labels = labels;
        this.rowWeights = rowWeights;
        this.targets = targets;
        this.positiveWeights = positiveWeights;
        this.negativeWeights = negativeWeights;
    }

    static TrainingData singleLabel(double[] x, int dimension, int classes, int[] labels, double[] rowWeights) {
        return new TrainingData(labels.length, dimension, classes, false, x, labels, rowWeights, null, null, null);
    }

    static TrainingData multiLabel(double[] x, int dimension, int classes, boolean[] targets,
            double[] positiveWeights, double[] negativeWeights) {
        return new TrainingData(targets.length / classes, dimension, classes, true, x, null, null, targets,
                positiveWeights, negativeWeights);
    }

    /**
     * Adds row {@code i}'s weighted loss gradient with respect to the logits {@code z} into {@code dz} (overwriting
     * it) and returns its weighted loss. {@code p} is scratch of length {@code classes}.
     */
    double lossAndLogitGradient(int i, double[] z, double[] p, double[] dz) {
        if (multiLabel) {
            double loss = 0;
            int base = i * classes;
            for (int c = 0; c < classes; c++) {
                boolean t = targets[base + c];
                double w = t ? positiveWeights[c] : negativeWeights[c];
                // binary cross-entropy with logits: softplus(z) - t * z
                loss += w * (Activation.softplus(z[c]) - (t ? z[c] : 0));
                dz[c] = w * (Activation.sigmoid(z[c]) - (t ? 1 : 0));
            }
            return loss;
        }
        double lse = Activation.softmax(z, 1.0, p);
        int y = labels[i];
        double w = rowWeights[i];
        for (int c = 0; c < classes; c++) {
            dz[c] = w * (p[c] - (c == y ? 1 : 0));
        }
        return w * (lse - z[y]);
    }

    /** Row {@code i}'s weighted loss only. */
    double loss(int i, double[] z, double[] p) {
        if (multiLabel) {
            double loss = 0;
            int base = i * classes;
            for (int c = 0; c < classes; c++) {
                boolean t = targets[base + c];
                double w = t ? positiveWeights[c] : negativeWeights[c];
                loss += w * (Activation.softplus(z[c]) - (t ? z[c] : 0));
            }
            return loss;
        }
        double lse = Activation.softmax(z, 1.0, p);
        return rowWeights[i] * (lse - z[labels[i]]);
    }
}
