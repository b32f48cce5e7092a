/**
 * Classification heads trained in Java on sentence embeddings: a {@link org.valueimprint.onnx.head.Head} turns one
 * embedding into a probability per class.
 *
 * <ul>
 *   <li>{@link org.valueimprint.onnx.head.SoftmaxHead}: multinomial logistic regression (or independent logistic
 *       regressions for a multi-label taxonomy);
 *   <li>{@link org.valueimprint.onnx.head.MlpHead}: one hidden ReLU layer, then the same output layer;
 *   <li>{@link org.valueimprint.onnx.head.HeadTrainer} with {@link org.valueimprint.onnx.head.TrainingOptions}: L2,
 *       class weights, early stopping, full-batch L-BFGS or mini-batch Adam; deterministic for a seed;
 *   <li>{@link org.valueimprint.onnx.head.TemperatureScaling}: one temperature fitted on held-out logits;
 *   <li>{@link org.valueimprint.onnx.head.HeadCrossValidator}: stratified k-fold out-of-fold probabilities and the
 *       temperature fitted on them;
 *   <li>{@link org.valueimprint.onnx.head.HeadIo}: a compact binary file (little-endian float32) and a JSON
 *       description.
 * </ul>
 *
 * <p>Nothing here uses ONNX Runtime: heads are plain Java arithmetic over {@code float[]} embeddings.
 *
 * <pre>{@code
 * float[][] embeddings = ...;   // n x 384, from an encoder
 * int[] labels = ...;           // class index per row, in the taxonomy's order
 * HeadFit trained = HeadTrainer.of(TrainingOptions.softmax()).train(embeddings, labels, 7);
 * Head head = trained.head();
 * double[] p = head.probabilities(embeddings[0]);   // sums to 1
 * try (OutputStream out = Files.newOutputStream(Path.of("head.bin"))) {
 *     HeadIo.write(head, out);
 * }
 * }</pre>
 */
package org.valueimprint.onnx.head;
