package org.valueimprint.finetune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.valueimprint.onnx.internal.patch.PatchBuilder;
import org.valueimprint.onnx.internal.patch.Storage;
import org.valueimprint.onnx.internal.patch.WeightPatch;

/** Weight patches from fine-tuned tensors named by their Hugging Face names. */
public final class Patches {
    private Patches() {}

    /**
     * The patch of {@code tuned} (encoder tensors by Hugging Face name) for {@code baseModel}, the fp32 export
     * {@code weights} was read from or the int8 export of the same network (then linear weights are quantised).
     *
     * @param floats how tensors the base holds in fp32 are stored (FLOAT16 or FLOAT32)
     */
    public static WeightPatch build(byte[] baseModel, BertWeights weights, Map<String, Tensor> tuned, Storage floats,
            Map<String, String> provenance) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> dims = new LinkedHashMap<>();
        for (Tensor t : tuned.values()) {
            String onnx = weights.onnxName(t.name());
            values.put(onnx, t.data());
            dims.put(onnx, t.shape());
        }
        return PatchBuilder.build(baseModel, values, dims, floats, provenance);
    }
}
