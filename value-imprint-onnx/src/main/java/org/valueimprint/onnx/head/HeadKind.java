package org.valueimprint.onnx.head;

/** The architecture of a {@link Head}. */
public enum HeadKind {
    /** A linear layer followed by softmax (or independent sigmoids): {@link SoftmaxHead}. */
    SOFTMAX,
    /** One hidden ReLU layer, then a linear layer and softmax (or sigmoids): {@link MlpHead}. */
    MLP
}
