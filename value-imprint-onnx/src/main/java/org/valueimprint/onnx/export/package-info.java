/**
 * Export of a trained classifier as one standalone ONNX file: {@link org.valueimprint.onnx.export.OnnxExport} appends
 * pooling, normalisation, the head, the temperature and the output activation to the encoder's graph, and records the
 * label order and provenance in the file's metadata.
 */
package org.valueimprint.onnx.export;
