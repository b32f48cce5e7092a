/**
 * Value classifiers built from an ONNX encoder and a trained head, stored as model bundles: loading
 * ({@link org.valueimprint.onnx.model.OnnxValueClassifier}, including the default model that ships in this jar),
 * training ({@link org.valueimprint.onnx.model.OnnxClassifierTrainer}), and the service-loader hooks through which
 * the core library and the command line find them.
 */
package org.valueimprint.onnx.model;
