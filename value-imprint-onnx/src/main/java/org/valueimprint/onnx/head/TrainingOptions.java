package org.valueimprint.onnx.head;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import org.valueimprint.train.HeadKind;

/**
 * How {@link HeadTrainer} trains a head. Immutable; change one setting with the {@code with...} methods, starting
 * from a preset ({@link #softmax()}, {@link #mlp(int)}).
 *
 * <p>The objective is {@code (1/N) sum_i w_i loss_i + (l2/2) ||W||^2} over the {@code N} rows of a batch (all
 * training rows for L-BFGS), where {@code loss_i} is the cross-entropy (summed binary cross-entropies for a
 * multi-label head), {@code w_i} comes from {@link ClassWeights}, and {@code W} is every weight matrix (biases are
 * not penalised). Inputs are standardised per dimension (mean and standard deviation of the training rows) during
 * training and the transformation is folded into the first layer of the returned head, so {@code l2} applies to
 * weights on standardised inputs.
 *
 * <p>Early stopping: when {@code validationFraction > 0}, that fraction of each class's rows (stratified, chosen
 * from the seed) is held out of training; after every round the held-out loss (weighted like the training loss,
 * without the penalty) is computed, training stops after {@code patience} rounds without improvement, and the head
 * of the best round is returned. With {@code validationFraction == 0} all rows are trained on for at most
 * {@code epochs} rounds (L-BFGS also stops when it converges).
 *
 * @param kind the architecture
 * @param hiddenUnits hidden units of an {@link HeadKind#MLP} head; ignored for {@link HeadKind#SOFTMAX}
 * @param optimizer how the loss is minimised
 * @param l2 the L2 penalty; at least 0
 * @param learningRate Adam's step size; positive (ignored by L-BFGS)
 * @param epochs the most rounds: epochs for Adam, iterations for L-BFGS; at least 1
 * @param batchSize Adam's mini-batch size; at least 1 (ignored by L-BFGS)
 * @param classWeights how rows are weighted by class
 * @param validationFraction the fraction held out for early stopping, in [0, 0.5]; 0 turns early stopping off
 * @param patience rounds without improvement of the held-out loss before stopping; at least 1
 * @param seed the seed of every random choice (validation split, initial weights, shuffling)
 * @param threads threads that compute the loss and gradient; at least 1. Results are bit-identical for every
 *     thread count, because rows are cut into fixed chunks whose sums are added in chunk order
 */
public record TrainingOptions(
        HeadKind kind,
        int hiddenUnits,
        Optimizer optimizer,
        double l2,
        double learningRate,
        int epochs,
        int batchSize,
        ClassWeights classWeights,
        double validationFraction,
        int patience,
        long seed,
        int threads) {

    /** Validates the components. */
    public TrainingOptions {
        requireNonNull(kind, "kind");
        requireNonNull(optimizer, "optimizer");
        requireNonNull(classWeights, "classWeights");
        checkArgument(hiddenUnits >= 1, "hiddenUnits must be positive, was %s", hiddenUnits);
        checkArgument(l2 >= 0 && Double.isFinite(l2), "l2 must be finite and at least 0, was %s", l2);
        checkArgument(learningRate > 0 && Double.isFinite(learningRate),
                "learningRate must be positive and finite, was %s", learningRate);
        checkArgument(epochs >= 1, "epochs must be at least 1, was %s", epochs);
        checkArgument(batchSize >= 1, "batchSize must be at least 1, was %s", batchSize);
        checkArgument(validationFraction >= 0 && validationFraction <= 0.5,
                "validationFraction must be in [0, 0.5], was %s", validationFraction);
        checkArgument(patience >= 1, "patience must be at least 1, was %s", patience);
        checkArgument(threads >= 1, "threads must be at least 1, was %s", threads);
    }

    /**
     * Multinomial logistic regression: L-BFGS, L2 0.03, at most 500 iterations, no class weights, no early stopping,
     * seed 42, one thread. Chosen by 5-fold cross-validation on the annotated corpus embedded with all-MiniLM-L6-v2
     * (int8): L2 0.03 gave the best macro F1 of {1e-4, 1e-2, 0.03, 0.1, 0.3}; {@link ClassWeights#BALANCED} lowered
     * macro F1 by 0.024 (it raises the recall of rare classes but costs more precision); mini-batch Adam reached the
     * same scores as L-BFGS, which needs no learning rate and converges to the unique optimum on all rows.
     */
    public static TrainingOptions softmax() {
        return new TrainingOptions(HeadKind.SOFTMAX, 1, Optimizer.LBFGS, 0.03, 1e-3, 500, 64,
                ClassWeights.NONE, 0, 10, 42, 1);
    }

    /**
     * A one-hidden-layer perceptron of {@code hiddenUnits} ReLU units: Adam, learning rate 1e-3, batch 64, L2 0.01,
     * at most 100 epochs, no class weights, early stopping on 10% with patience 5, seed 42, one thread. Chosen by
     * 5-fold cross-validation on the annotated corpus embedded with all-MiniLM-L6-v2 (int8): L2 0.01 gave the best
     * macro F1 of {1e-3, 1e-2, 0.03, 0.1, 0.3}; {@link ClassWeights#BALANCED} lowered it by 0.034; full-batch
     * L-BFGS scored 0.01 lower and took three times as long.
     *
     * @throws IllegalArgumentException when {@code hiddenUnits < 1}
     */
    public static TrainingOptions mlp(int hiddenUnits) {
        return new TrainingOptions(HeadKind.MLP, hiddenUnits, Optimizer.ADAM, 0.01, 1e-3, 100, 64,
                ClassWeights.NONE, 0.1, 5, 42, 1);
    }

    /** These options with another architecture. */
    public TrainingOptions withKind(HeadKind kind) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another number of hidden units. */
    public TrainingOptions withHiddenUnits(int hiddenUnits) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another optimizer. */
    public TrainingOptions withOptimizer(Optimizer optimizer) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another L2 penalty. */
    public TrainingOptions withL2(double l2) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another learning rate. */
    public TrainingOptions withLearningRate(double learningRate) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another maximum number of rounds. */
    public TrainingOptions withEpochs(int epochs) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another mini-batch size. */
    public TrainingOptions withBatchSize(int batchSize) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another class weighting. */
    public TrainingOptions withClassWeights(ClassWeights classWeights) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with early stopping on {@code validationFraction} of the rows after {@code patience} rounds. */
    public TrainingOptions withEarlyStopping(double validationFraction, int patience) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options without early stopping. */
    public TrainingOptions withoutEarlyStopping() {
        return withEarlyStopping(0, patience);
    }

    /** These options with another seed. */
    public TrainingOptions withSeed(long seed) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }

    /** These options with another thread count (results do not change). */
    public TrainingOptions withThreads(int threads) {
        return new TrainingOptions(kind, hiddenUnits, optimizer, l2, learningRate, epochs, batchSize, classWeights,
                validationFraction, patience, seed, threads);
    }
}
