package org.valueimprint.onnx.encoder;

/**
 * How much ONNX Runtime rewrites the model's graph when it loads it (its {@code GraphOptimizationLevel}). Higher
 * levels fuse more operators and usually run faster; every level computes the same function up to float rounding.
 */
public enum GraphOptimization {
    /** No graph rewriting. */
    NONE,
    /** Constant folding and redundant-node elimination. */
    BASIC,
    /** BASIC plus operator fusions (attention, GELU, layer normalisation). */
    EXTENDED,
    /** Every optimisation ONNX Runtime has, including layout changes. The default. */
    ALL
}
