package org.valueimprint.finetune;

/**
 * The settings of a partial fine-tuning run.
 *
 * @param topLayers how many of the encoder's top layers are trained (the others are frozen and run once per text)
 * @param epochs the largest number of passes over the training texts
 * @param batchSize texts per step
 * @param encoderRate the peak learning rate of the encoder's layers
 * @param headRate the peak learning rate of the linear head
 * @param weightDecay AdamW's decoupled weight decay (matrices only)
 * @param warmup the share of all steps over which the learning rate rises linearly from 0; it then falls linearly
 *     to 0 at the last step
 * @param classWeightPower class weights {@code (n / (classes * n_c))^power}: 0 for none, 1 for inverse frequency
 * @param validationFraction the share of the training texts held out for early stopping
 * @param patience epochs without a better validation macro F1 before stopping
 * @param seed the seed of the validation split and the batch order
 * @param alsoWeight the share of a text's target given to the annotators' secondary values ({@code also}), split
 *     evenly among them; the primary value keeps the rest (0: one-hot targets; texts without secondary values keep
 *     one-hot targets either way)
 * @param labelSmoothing the share of every target spread evenly over all classes (0 for none)
 */
public record FineTuneOptions(int topLayers, int epochs, int batchSize, double encoderRate, double headRate,
        double weightDecay, double warmup, double classWeightPower, double validationFraction, int patience,
        long seed, double alsoWeight, double labelSmoothing) {
    /** Checks the ranges. */
    public FineTuneOptions {
        if (topLayers < 1 || epochs < 1 || batchSize < 1 || patience < 1) {
            throw new IllegalArgumentException("topLayers, epochs, batchSize and patience must be positive");
        }
        if (!(validationFraction > 0 && validationFraction < 1) || warmup < 0 || warmup >= 1) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1) and warmup in [0, 1)");
        }
        if (!(alsoWeight >= 0 && alsoWeight < 1) || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("alsoWeight and labelSmoothing must be in [0, 1)");
        }
    }

    /**
     * The recipe of the shipped fine-tuned model (docs/model-card.md): all 6 layers of all-MiniLM-L6-v2, at most
     * 3 epochs (early stopping, patience 1), batch 16, learning rates 1e-4 / 2e-3, 0.3 of the target on the secondary
     * values, label smoothing 0.05, seed 42.
     */
    public static FineTuneOptions defaults() {
        return new FineTuneOptions(6, 3, 16, 1e-4, 2e-3, 0.01, 0.1, 0.0, 0.1, 1, 42, 0.3, 0.05);
    }
}
