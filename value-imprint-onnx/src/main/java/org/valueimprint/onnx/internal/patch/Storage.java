package org.valueimprint.onnx.internal.patch;

/** How a patch tensor's values are stored, and so which ONNX initializer type it can replace. */
public enum Storage {
    /** IEEE fp32, little-endian; replaces a FLOAT initializer. */
    FLOAT32(4),
    /** IEEE fp16, little-endian; widened to fp32 when applied, replaces a FLOAT initializer. */
    FLOAT16(2),
    /** Signed 8-bit integers; replaces an INT8 initializer (a quantised weight). */
    INT8(1);

    private final int bytes;

    Storage(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per value. */
    public int bytesPerValue() {
        return bytes;
    }
}
