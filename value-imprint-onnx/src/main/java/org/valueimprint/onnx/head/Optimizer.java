package org.valueimprint.onnx.head;

/** How {@link HeadTrainer} minimises the training loss. */
public enum Optimizer {
    /**
     * Full-batch L-BFGS (memory 10, backtracking Armijo line search): one round is one iteration over all training
     * rows (plus any line-search steps). Suits the convex softmax head; ignores the learning rate and batch size.
     */
    LBFGS,
    /**
     * Mini-batch Adam (beta1 0.9, beta2 0.999, epsilon 1e-8, L2 added to the gradient, constant learning rate):
     * one round is one epoch over the training rows in an order shuffled from the seed.
     */
    ADAM
}
