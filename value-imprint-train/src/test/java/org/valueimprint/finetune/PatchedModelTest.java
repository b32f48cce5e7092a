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
 * with the same changed weights; so does a patch of the int8 e5-small-v2 (the ValueEval model's encoder) made from
 * changed fp32 e5-small-v2 weights, within int8 rounding.
 */
class PatchedModelTest {
    @Test
    void patchedInt8E5MatchesTheDjlForwardPassOfItsFp32Weights() {
        List<String> texts = Corpus.texts(6);
        try (OnnxTextEncoder fp32 = OnnxTextEncoder.load(EncoderSource.named("e5-small-v2"));
                OnnxTextEncoder int8 = OnnxTextEncoder.load(EncoderSource.named("e5-small-v2-q"));
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            BertWeights weights = BertWeights.read(fp32.modelBytes(), "e5-small-v2");
            assertThat(weights.layers()).isEqualTo(12);
            Map<String, Tensor> changed = changedLayer(weights, 11);
            Map<String, Tensor> all = new LinkedHashMap<>(weights.all());
            all.putAll(changed);
            List<long[]> ids = new ArrayList<>();
            for (String text : texts) {
                ids.add(int8.tokenIds(text));
                assertThat(fp32.tokenIds(text)).isEqualTo(ids.get(ids.size() - 1));
            }
            float[] djl = forward(manager, weights, all, ids);
            float[][] unpatched = int8.embed(texts);
            byte[] baseBytes = int8.modelBytes();
            WeightPatch patch = Patches.build(baseBytes, weights, changed, Storage.FLOAT16, Map.of("test", "yes"));
            try (OnnxTextEncoder patched = OnnxTextEncoder.load(EncoderSource.named("e5-small-v2-q")
                    .withModelTransform("patch", patch::apply))) {
                float[][] onnx = patched.embed(texts);
                int dim = weights.hiddenSize();
                for (int i = 0; i < texts.size(); i++) {
                    float[] row = java.util.Arrays.copyOfRange(djl, i * dim, (i + 1) * dim);
                    System.out.printf("[e5] text %d: cos(djl, patched int8) %.5f, cos(unpatched, patched) %.5f%n",
                            i, cosine(row, onnx[i]), cosine(unpatched[i], onnx[i]));
                    assertThat(cosine(row, onnx[i])).as("text %s", i).isGreaterThan(0.985);
                    assertThat(cosine(unpatched[i], onnx[i])).as("the patch changes text %s", i).isLessThan(0.98);
                }
            }
        }
    }

    /** A layer's tensors, changed enough to move the embeddings. */
    private static Map<String, Tensor> changedLayer(BertWeights weights, int layer) {
        Random random = new Random(7);
        Map<String, Tensor> changed = new LinkedHashMap<>();
        for (String name : weights.layerParameters(layer)) {
            Tensor t = weights.get(name);
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] * 1.3f + (float) random.nextGaussian() * 0.02f;
            }
            changed.put(name, t.withData(d));
        }
        return changed;
    }

    @Test
    void patchedGraphMatchesTheDjlForwardPass() {
        List<String> texts = Corpus.texts(6);
        try (OnnxTextEncoder base = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2"));
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            byte[] baseBytes = base.modelBytes();
            BertWeights weights = BertWeights.read(baseBytes, "all-minilm-l6-v2");
            Map<String, Tensor> changed = changedLayer(weights, 5);
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
