package org.valueimprint.onnx.head;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What {@link HeadTrainer} produced, and how.
 *
 * @param head the trained head (temperature 1)
 * @param options the options it was trained with
 * @param trainingRows rows trained on (excluding any held out for early stopping)
 * @param validationRows rows held out for early stopping; 0 when it was off
 * @param rounds rounds run (epochs for Adam, iterations for L-BFGS)
 * @param bestRound the 1-based round whose weights {@code head} holds (the last one without early stopping)
 * @param stoppedEarly whether training stopped because the held-out loss stopped improving
 * @param trainingLoss the training objective after each round (for Adam: the mean over the epoch's
 *     mini-batches); copied
 * @param validationLoss the held-out loss after each round; empty without early stopping; copied
 * @param elapsed wall-clock training time
 */
public record HeadFit(
        Head head,
        TrainingOptions options,
        int trainingRows,
        int validationRows,
        int rounds,
        int bestRound,
        boolean stoppedEarly,
        List<Double> trainingLoss,
        List<Double> validationLoss,
        Duration elapsed) {

    /** Validates and copies the components. */
    public HeadFit {
        requireNonNull(head, "head");
        requireNonNull(options, "options");
        requireNonNull(elapsed, "elapsed");
        trainingLoss = List.copyOf(trainingLoss);
        validationLoss = List.copyOf(validationLoss);
    }
}
