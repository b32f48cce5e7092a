/**
 * Fine-tuning of a BERT-family encoder read from an ONNX file: its initializers become DJL (PyTorch engine)
 * arrays, a hand-built forward pass reproduces ONNX Runtime's output, and the top layers are trained together with
 * a linear head: a softmax head on the annotated corpus (the default model), or a sigmoid head for a multi-label
 * taxonomy (the ValueEval model). Training only: no runtime module depends on this package.
 */
package org.valueimprint.finetune;
