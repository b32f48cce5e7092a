package org.valueimprint.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns {@link Tensor}s into DJL arrays. */
public final class Parameters {
    private Parameters() {}

    /** Arrays of {@code manager} for {@code tensors}, by name; with gradients when {@code trainable}. */
    public static Map<String, NDArray> arrays(NDManager manager, Collection<Tensor> tensors, boolean trainable) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            NDArray a = manager.create(t.data(), new Shape(t.shape()));
            if (trainable) {
                a.setRequiresGradient(true);
            }
            out.put(t.name(), a);
        }
        return out;
    }
}
