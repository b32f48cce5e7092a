/**
 * Weight patches: the tensors a fine-tuning run changed in an encoder, stored apart from the base model (which comes
 * from a Maven Central jar) with the base's SHA-256, and applied to the base ONNX bytes in memory before ONNX
 * Runtime loads them. A patch may hold fp32, fp16 or int8 tensors; {@link org.valueimprint.onnx.internal.patch.PatchBuilder}
 * quantises fine-tuned fp32 weights the way an int8 base stores its own, so a patch can target the fast int8 model.
 *
 * <p>Not API: public for the library's own modules (training writes patches, model bundles name them); the file
 * format is documented in the model card, and these classes may change in any release.
 */
package org.valueimprint.onnx.internal.patch;
