package org.valueimprint.onnx.internal.patch;

import static java.util.Objects.requireNonNull;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.valueimprint.classify.ModelException;

/**
 * Makes a {@link WeightPatch} for a base model from fp32 tensors named by the initializers of the fp32 export (such as
 * {@code onnx::MatMul_852} or {@code encoder.layer.5.output.dense.bias}).
 *
 * <p>Where the base holds the initializer as fp32 it is stored as {@code floats} says (fp16 or fp32). Where the base is
 * the dynamically quantised int8 export, a linear weight {@code W} ({@code [in, out]}) is held as
 * {@code W_quantized} (int8), {@code W_scale} (fp32, one per output column) and {@code W_zero_point} (int8 zeros):
 * symmetric per-column quantisation with {@code scale = max|W[:, j]| / 64} and {@code q = round_half_even(W / scale)}
 * in {@code [-64, 64]} (ONNX Runtime's reduced 7-bit range),
 * which reproduces the int8 MiniLM's own initializers exactly from the fp32 ones. The builder quantises the
 * fine-tuned weight the same way and stores {@code W_quantized} and {@code W_scale}; the zero points stay.
 */
public final class PatchBuilder {
    /**
     * The largest quantised magnitude: ONNX Runtime's dynamic quantisation with {@code reduce_range} uses 7 bits,
     * {@code [-64, 64]}, which is what the int8 MiniLM holds.
     */
    public static final int QMAX = 64;

    private PatchBuilder() {}

    /**
     * The patch of {@code tensors} for {@code baseModel}.
     *
     * @param baseModel the bytes of the base ONNX model (fp32 or int8 export of the same network)
     * @param tensors fp32 values by fp32-export initializer name, with their dimensions
     * @param floats how values the base holds in fp32 are stored: {@link Storage#FLOAT16} or {@link Storage#FLOAT32}
     * @param provenance facts for the patch
     * @throws ModelException when a tensor has no counterpart in the base, or its dimensions differ
     */
    public static WeightPatch build(byte[] baseModel, Map<String, float[]> tensors, Map<String, long[]> dims,
            Storage floats, Map<String, String> provenance) {
        requireNonNull(baseModel, "baseModel");
        if (floats == Storage.INT8) {
            throw new IllegalArgumentException("fp32 initializers are stored as FLOAT16 or FLOAT32");
        }
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(baseModel);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("the base model is not an ONNX model: " + e.getMessage(), e);
        }
        Map<String, OnnxMl.TensorProto> init = new HashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            init.put(t.getName(), t);
        }
        List<PatchTensor> out = new ArrayList<>();
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            String name = e.getKey();
            long[] shape = dims.get(name);
            OnnxMl.TensorProto plain = init.get(name);
            if (plain != null && plain.getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
                checkDims(name, plain, shape);
                out.add(PatchTensor.ofFloats(name, shape, e.getValue(), floats));
                continue;
            }
            OnnxMl.TensorProto q = init.get(name + "_quantized");
            OnnxMl.TensorProto scale = init.get(name + "_scale");
            if (q == null || scale == null || q.getDataType() != OnnxMl.TensorProto.DataType.INT8_VALUE
                    || shape.length != 2 || scale.getDimsCount() != 1 || scale.getDims(0) != shape[1]) {
                throw new ModelException("the base model has no fp32 initializer " + name + " and no per-column int8"
                        + " quantised form of it (" + name + "_quantized, _scale)");
            }
            checkDims(name + "_quantized", q, shape);
            Quantized w = quantize(e.getValue(), (int) shape[0], (int) shape[1]);
            out.add(PatchTensor.ofInt8(name + "_quantized", shape, w.values()));
            out.add(PatchTensor.ofFloats(name + "_scale", new long[] {shape[1]}, w.scales(), Storage.FLOAT32));
        }
        return WeightPatch.of(WeightPatch.sha256(baseModel), provenance, out);
    }

    /**
     * Symmetric per-column int8 quantisation of a row-major {@code [rows, cols]} matrix.
     *
     * @param values the int8 values, row-major
     * @param scales one scale per column
     */
    public record Quantized(byte[] values, float[] scales) {}

    /** Quantises {@code w} ({@code [rows, cols]}, row-major) as the class comment says. */
    public static Quantized quantize(float[] w, int rows, int cols) {
        float[] scales = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                scales[c] = Math.max(scales[c], Math.abs(w[r * cols + c]));
            }
        }
        for (int c = 0; c < cols; c++) {
            scales[c] = scales[c] == 0 ? 1f : scales[c] / QMAX;
        }
        byte[] q = new byte[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = Math.rint(w[r * cols + c] / scales[c]);
                q[r * cols + c] = (byte) Math.max(-QMAX, Math.min(QMAX, v));
            }
        }
        return new Quantized(q, scales);
    }

    private static void checkDims(String name, OnnxMl.TensorProto t, long[] shape) {
        long[] d = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (!Arrays.equals(d, shape)) {
            throw new ModelException("the base model's " + name + " has dimensions " + Arrays.toString(d)
                    + ", the tensor " + Arrays.toString(shape));
        }
    }
}
