/**
 * Training classifiers from labelled texts, in Tribuo's Trainer &rarr; Model shape: a {@link
 * org.valueimprint.train.TrainingRequest} (examples from a file or built in memory, the taxonomy, the encoder, the
 * {@link org.valueimprint.train.HeadKind head}, the seed; checked before any work), a {@link
 * org.valueimprint.train.ValueClassifierTrainer} found with {@link org.valueimprint.train.ValueClassifierTrainers},
 * and the {@link org.valueimprint.train.TrainedModel} it returns: usable at once as a classifier, and saved as a model
 * bundle that a {@link org.valueimprint.classify.ValueClassifierProvider} loads. {@code value-imprint-onnx} provides
 * the trainer; see {@link org.valueimprint.train.ValueClassifierTrainer} for a whole example.
 */
package org.valueimprint.train;
