package org.valueimprint.onnx.internal.patch;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a {@link WeightPatch}: the name of the ONNX initializer it replaces, its dimensions, and its values
 * as {@link Storage} says, little-endian.
 *
 * @param name the initializer's name in the base model
 * @param storage how the values are stored
 * @param dims the dimensions, which must equal the initializer's
 * @param data the values, {@code product(dims) * storage.bytesPerValue()} bytes
 */
public record PatchTensor(String name, Storage storage, long[] dims, byte[] data) {
    /** Validates the size and copies the arrays. */
    public PatchTensor {
        requireNonNull(name, "name");
        requireNonNull(storage, "storage");
        dims = dims.clone();
        data = data.clone();
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(dims));
            }
            count *= d;
        }
        if (count * storage.bytesPerValue() != data.length) {
            throw new IllegalArgumentException(name + ": " + Arrays.toString(dims) + " " + storage + " needs "
                    + count * storage.bytesPerValue() + " bytes, got " + data.length);
        }
    }

    /** fp32 values stored as {@code storage} (FLOAT32 or FLOAT16). */
    public static PatchTensor ofFloats(String name, long[] dims, float[] values, Storage storage) {
        ByteBuffer b;
        switch (storage) {
            case FLOAT32 -> {
                b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
            }
            case FLOAT16 -> {
                b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    b.putShort(Half.fromFloat(v));
                }
            }
            default -> throw new IllegalArgumentException("floats cannot be stored as " + storage);
        }
        return new PatchTensor(name, storage, dims, b.array());
    }

    /** int8 values. */
    public static PatchTensor ofInt8(String name, long[] dims, byte[] values) {
        return new PatchTensor(name, Storage.INT8, dims, values);
    }

    /** A copy of the dimensions. */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** A copy of the stored bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The number of values. */
    public int count() {
        return data.length / storage.bytesPerValue();
    }

    /** The values as fp32 (FLOAT32 or FLOAT16 storage). */
    public float[] floats() {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count()];
        switch (storage) {
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Half.toFloat(b.getShort());
                }
            }
            default -> throw new IllegalStateException(name + " holds " + storage + " values, not floats");
        }
        return out;
    }

    /** The little-endian bytes of the values as the ONNX initializer holds them (fp16 widened to fp32). */
    byte[] onnxRawData() {
        if (storage != Storage.FLOAT16) {
            return data.clone();
        }
        float[] f = floats();
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchTensor t && name.equals(t.name) && storage == t.storage
                && Arrays.equals(dims, t.dims) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PatchTensor[" + name + ", " + storage + " " + Arrays.toString(dims) + "]";
    }
}
