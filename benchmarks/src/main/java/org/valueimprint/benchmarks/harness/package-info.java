/**
 * The side-by-side throughput harness: the library's classify pipeline, a bare ONNX Runtime session fed the same
 * batches, and transformers.js on the same model file and texts, checked for equal embeddings before anything is
 * timed. Run it with {@code benchmarks/harness/run.sh}; see {@code benchmarks/README.md}.
 */
package org.valueimprint.benchmarks.harness;
