package org.valueimprint.finetune;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A named fp32 tensor, row-major.
 *
 * @param name the Hugging Face name of the parameter, such as {@code encoder.layer.5.output.dense.weight}
 * @param shape the dimensions
 * @param data the values, {@code product(shape)} of them
 */
public record Tensor(String name, long[] shape, float[] data) {
    /** Validates that the data fills the shape. */
    public Tensor {
        requireNonNull(name, "name");
        shape = shape.clone();
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + data.length);
        }
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The same name and shape with other values. */
    public Tensor withData(float[] values) {
        return new Tensor(name, shape, values);
    }
}
