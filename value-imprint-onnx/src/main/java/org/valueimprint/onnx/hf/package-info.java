/**
 * Hugging Face sequence-classification models exported to ONNX ({@code model.onnx} with a {@code logits} output,
 * {@code tokenizer.json}, {@code config.json} with {@code id2label}) as value classifiers:
 * {@link org.valueimprint.onnx.hf.HfSequenceClassifier} maps the model's labels onto a taxonomy and shares the
 * encoder's tokenization and batching.
 */
package org.valueimprint.onnx.hf;
