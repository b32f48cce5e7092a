/**
 * Training classifiers from labelled texts: the {@link org.valueimprint.train.ValueClassifierTrainer} SPI, found with
 * {@link java.util.ServiceLoader}, through which {@code value-imprint-onnx} (or a user's module) trains a model bundle
 * that a {@link org.valueimprint.classify.ValueClassifierProvider} then loads.
 */
package org.valueimprint.train;
