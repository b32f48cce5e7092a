package org.valueimprint.onnx.head;

/** Per-dimension mean and standard deviation of the training rows (1 where a dimension is constant). */
final class Standardizer {
    final double[] mean;
    final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Fitted on {@code rows} of {@code x}, in order. */
    static Standardizer fit(float[][] x, int[] rows, int dimension) {
        double[] mean = new double[dimension];
        for (int i : rows) {
            for (int j = 0; j < dimension; j++) {
                mean[j] += x[i][j];
            }
        }
        for (int j = 0; j < dimension; j++) {
            mean[j] /= rows.length;
        }
        double[] scale = new double[dimension];
        for (int i : rows) {
            for (int j = 0; j < dimension; j++) {
                double v = x[i][j] - mean[j];
                scale[j] += v * v;
            }
        }
        for (int j = 0; j < dimension; j++) {
            double sd = Math.sqrt(scale[j] / rows.length);
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        return new Standardizer(mean, scale);
    }

    /** Every row of {@code x}, standardised, row-major. */
    double[] apply(float[][] x, int dimension) {
        double[] out = new double[x.length * dimension];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < dimension; j++) {
                out[i * dimension + j] = (x[i][j] - mean[j]) / scale[j];
            }
        }
        return out;
    }
}
