package org.valueimprint.onnx.internal;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Not API: reading the values of ONNX {@link TensorProto}s, shared by the graph rewriting here and by the
 * fine-tuning module, which reads an export's weights.
 */
public final class OnnxTensors {
    private OnnxTensors() {}

    /**
     * The values of a float tensor, from its raw little-endian bytes or, when it has none, from its
     * {@code float_data} field.
     */
    public static float[] floats(TensorProto t) {
        if (t.getRawData().isEmpty()) {
            float[] out = new float[t.getFloatDataCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getFloatData(i);
            }
            return out;
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[raw.remaining() / Float.BYTES];
        raw.asFloatBuffer().get(out);
        return out;
    }
}
