package org.valueimprint.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.internal.patch.Storage;
import org.valueimprint.onnx.internal.patch.WeightPatch;

/**
 * A weight patch applied to the fp32 MiniLM and run by ONNX Runtime gives the embeddings of the DJL forward pass
 * with the same changed weights.
 */
class PatchedModelTest {
    @Test
    void patchedGraphMatchesTheDjlForwardPass() {
        List<String> texts = Corpus.texts(6);
        try (OnnxTextEncoder base = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2"));
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            byte[] baseBytes = base.modelBytes();
            BertWeights weights = BertWeights.read(baseBytes, "all-minilm-l6-v2");
            // the top layer's tensors, changed enough to move the embeddings
            Random random = new Random(7);
            Map<String, Tensor> changed = new LinkedHashMap<>();
            for (String name : weights.layerParameters(5)) {
                Tensor t = weights.get(name);
                float[] d = t.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] * 1.3f + (float) random.nextGaussian() * 0.02f;
                }
                changed.put(name, t.withData(d));
            }
            Map<String, Tensor> all = new LinkedHashMap<>(weights.all());
            all.putAll(changed);
            List<long[]> ids = new ArrayList<>();
            for (String text : texts) {
                ids.add(base.tokenIds(text));
            }
            float[] djl = forward(manager, weights, all, ids);
            float[][] unpatched = base.embed(texts);
            for (Storage storage : List.of(Storage.FLOAT32, Storage.FLOAT16)) {
                WeightPatch patch = Patches.build(baseBytes, weights, changed, storage, Map.of("test", "yes"));
                EncoderSource source = EncoderSource.named("all-minilm-l6-v2")
                        .withModelTransform("patch", patch::apply);
                try (OnnxTextEncoder patched = OnnxTextEncoder.load(source)) {
                    float[][] onnx = patched.embed(texts);
                    int dim = weights.hiddenSize();
                    for (int i = 0; i < texts.size(); i++) {
                        float[] row = java.util.Arrays.copyOfRange(djl, i * dim, (i + 1) * dim);
                        assertThat(cosine(row, onnx[i])).as("%s text %s", storage, i)
                                .isGreaterThan(storage == Storage.FLOAT32 ? 0.9999 : 0.999);
                        assertThat(cosine(unpatched[i], onnx[i])).as("the patch changes text %s", i)
                                .isLessThan(0.99);
                    }
                }
            }
        }
    }

    private static float[] forward(NDManager manager, BertWeights weights, Map<String, Tensor> params,
            List<long[]> ids) {
        try (NDManager step = manager.newSubManager()) {
            Map<String, NDArray> p = Parameters.arrays(step, params.values(), false);
            BertForward bert = new BertForward(weights.hiddenSize(), FineTune.HEADS);
            Batch batch = Batch.of(step, ids);
            NDArray bias = BertForward.attentionBias(batch.mask());
            NDArray x = bert.embeddings(batch.ids(), p);
            for (int l = 0; l < weights.layers(); l++) {
                x = bert.layer(l, x, bias, p);
            }
            return BertForward.meanPool(x, batch.mask(), true).toFloatArray();
        }
    }

    private static double cosine(float[] u, float[] v) {
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int k = 0; k < u.length; k++) {
            dot += u[k] * v[k];
            a += u[k] * u[k];
            b += v[k] * v[k];
        }
        return dot / Math.sqrt(a * b);
    }
}
