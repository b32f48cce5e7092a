/**
 * Classifiers that need no training: {@link org.valueimprint.onnx.zeroshot.PrototypeClassifier} scores texts by
 * their cosine similarity to one prototype per value, built from the taxonomy's own definitions, cues and examples
 * ({@link org.valueimprint.onnx.zeroshot.PrototypeRecipe}) and, when given, a few labelled examples per value.
 * Measured on the annotated corpus in {@code docs/zero-shot.md}.
 */
package org.valueimprint.onnx.zeroshot;
