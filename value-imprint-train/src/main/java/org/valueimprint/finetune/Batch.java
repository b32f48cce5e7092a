package org.valueimprint.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Token id sequences padded to the longest of a batch, as DJL arrays: ids {@code [batch, tokens]} (int64, pad id 0)
 * and the mask {@code [batch, tokens]} (float32, 1 for real tokens).
 *
 * @param ids the padded token ids
 * @param mask the attention mask
 */
public record Batch(NDArray ids, NDArray mask) {
    /** Pads {@code sequences} into arrays of {@code manager}. */
    public static Batch of(NDManager manager, List<long[]> sequences) {
        int tokens = 0;
        for (long[] s : sequences) {
            tokens = Math.max(tokens, s.length);
        }
        long[] ids = new long[sequences.size() * tokens];
        float[] mask = new float[ids.length];
        for (int i = 0; i < sequences.size(); i++) {
            long[] s = sequences.get(i);
            System.arraycopy(s, 0, ids, i * tokens, s.length);
            for (int t = 0; t < s.length; t++) {
                mask[i * tokens + t] = 1f;
            }
        }
        Shape shape = new Shape(sequences.size(), tokens);
        return new Batch(manager.create(ids, shape), manager.create(mask, shape));
    }

    /** The mask of sequences of the given lengths padded to the longest, in {@code manager}. */
    public static NDArray mask(NDManager manager, int[] lengths) {
        int tokens = 0;
        for (int l : lengths) {
            tokens = Math.max(tokens, l);
        }
        float[] mask = new float[lengths.length * tokens];
        for (int i = 0; i < lengths.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                mask[i * tokens + t] = 1f;
            }
        }
        return manager.create(mask, new Shape(lengths.length, tokens));
    }
}
