package org.valueimprint.onnx.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The penalised training objective over a range of rows. Rows are cut into fixed-size chunks; each
 * chunk's loss and gradient go to its own buffer and the buffers are added in chunk order, so the result is
 * bit-identical whatever the thread count.
 */
final class Objective implements AutoCloseable {
    /** Rows per chunk for full-batch passes (L-BFGS, validation). */
    static final int FULL_BATCH_CHUNK = 256;
    /** Rows per chunk for mini-batches (Adam), so that two threads can share a batch of 64. */
    static final int MINI_BATCH_CHUNK = 32;

    private final Network network;
    private final TrainingData data;
    private final double l2;
    private final int chunk;
    private final ExecutorService executor;
    private final List<double[]> buffers = new ArrayList<>();
    private final List<Object> workspaces = new ArrayList<>();

    /**
     * @param chunk rows per chunk: fixed by the optimizer, never by the thread count, so results do not depend on
     *     the thread count
     */
    Objective(Network network, TrainingData data, double l2, int chunk, int threads) {
        this.network = network;
        this.chunk = chunk;
        this.data = data;
        this.l2 = l2;
        this.executor = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "head-trainer");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * {@code (1/N) sum w_i loss_i + (l2/2) ||W||^2} over {@code rows[from..to)}; its gradient overwrites
     * {@code gradient} when not null.
     */
    double value(double[] theta, int[] rows, int from, int to, double[] gradient) {
        int n = to - from;
        double loss = sum(theta, rows, from, to, gradient) / n;
        double penalty = 0;
        if (gradient != null) {
            for (int p = 0; p < gradient.length; p++) {
                gradient[p] /= n;
                if (network.penalised(p)) {
                    gradient[p] += l2 * theta[p];
                    penalty += theta[p] * theta[p];
                }
            }
        } else {
            for (int p = 0; p < theta.length; p++) {
                if (network.penalised(p)) {
                    penalty += theta[p] * theta[p];
                }
            }
        }
        return loss + 0.5 * l2 * penalty;
    }

    /** The mean weighted loss over {@code rows[from..to)}, without the penalty. */
    double dataLoss(double[] theta, int[] rows, int from, int to) {
        return sum(theta, rows, from, to, null) / (to - from);
    }

    private double sum(double[] theta, int[] rows, int from, int to, double[] gradient) {
        int chunks = (to - from + chunk - 1) / chunk;
        while (workspaces.size() < chunks) {
            workspaces.add(network.newWorkspace());
            buffers.add(new double[network.parameterCount()]);
        }
        double[] losses = new double[chunks];
        if (executor == null || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                losses[c] = chunk(theta, rows, from, to, c, gradient != null);
            }
        } else {
            List<Future<Double>> futures = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int index = c;
                futures.add(executor.submit(() -> chunk(theta, rows, from, to, index, gradient != null)));
            }
            try {
                for (int c = 0; c < chunks; c++) {
                    losses[c] = futures.get(c).get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("training was interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("training failed: " + e.getCause(), e.getCause());
            }
        }
        double loss = 0;
        if (gradient != null) {
            Arrays.fill(gradient, 0);
        }
        for (int c = 0; c < chunks; c++) {
            loss += losses[c];
            if (gradient != null) {
                double[] b = buffers.get(c);
                for (int p = 0; p < gradient.length; p++) {
                    gradient[p] += b[p];
                }
            }
        }
        return loss;
    }

    private double chunk(double[] theta, int[] rows, int from, int to, int c, boolean withGradient) {
        int start = from + c * chunk;
        int end = Math.min(to, start + chunk);
        double[] buffer = null;
        if (withGradient) {
            buffer = buffers.get(c);
            Arrays.fill(buffer, 0);
        }
        return network.accumulate(theta, data, rows, start, end, buffer, workspaces.get(c));
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
