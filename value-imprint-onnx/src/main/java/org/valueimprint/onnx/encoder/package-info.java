/**
 * Text encoders: sentence-embedding transformers run on ONNX Runtime with Hugging Face tokenizers, fully offline.
 * {@link org.valueimprint.onnx.encoder.OnnxTextEncoder} loads a model from an
 * {@link org.valueimprint.onnx.encoder.EncoderSource} (a folder, classpath resources, or a known Maven model jar)
 * with {@link org.valueimprint.onnx.encoder.EncoderOptions} (pooling, maximum length, long-text policy, threads,
 * {@link org.valueimprint.onnx.encoder.BatchPolicy batching}); the result is a thread-safe
 * {@link org.valueimprint.onnx.encoder.TextEncoder} whose vectors feed the classifier heads. Encoders of one model
 * with equal {@link org.valueimprint.onnx.encoder.SessionSettings} share one loaded model, reference counted. No ONNX
 * Runtime or DJL type appears in this package's API, and loading leaves the JVM's system properties as it found them.
 */
package org.valueimprint.onnx.encoder;
