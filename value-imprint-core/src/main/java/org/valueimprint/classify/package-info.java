/**
 * The classifier SPI: a {@link org.valueimprint.classify.ValueClassifier} turns texts into
 * {@link org.valueimprint.classify.ValuePrediction predictions} over a taxonomy's values. Implementations (the ONNX
 * classifiers of {@code value-imprint-onnx}, or a user's own) are found with
 * {@link org.valueimprint.classify.ValueClassifiers}; core never depends on any of them.
 */
package org.valueimprint.classify;
