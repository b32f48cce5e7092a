package org.valueimprint.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/** The DJL forward pass built from the fp32 MiniLM initializers reproduces ONNX Runtime's embeddings. */
class BertForwardTest {
    @Test
    void reproducesOnnxRuntimeOnRealTexts() {
        List<String> texts = Corpus.texts(10);
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2"));
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[][] expected = encoder.embed(texts);
            BertWeights weights = BertWeights.read(encoder.modelBytes(), "all-minilm-l6-v2");
            assertThat(weights.layers()).isEqualTo(6);
            assertThat(weights.get("encoder.layer.5.output.dense.weight").shape()).containsExactly(1536, 384);
            Map<String, NDArray> p = Parameters.arrays(manager, weights.all().values(), false);
            List<long[]> ids = new ArrayList<>();
            for (String text : texts) {
                ids.add(encoder.tokenIds(text));
            }
            BertForward bert = new BertForward(weights.hiddenSize(), 12);
            try (NDManager step = manager.newSubManager()) {
                Batch batch = Batch.of(step, ids);
                NDArray bias = BertForward.attentionBias(batch.mask());
                NDArray x = bert.embeddings(batch.ids(), p);
                for (int l = 0; l < weights.layers(); l++) {
                    x = bert.layer(l, x, bias, p);
                }
                float[] pooled = BertForward.meanPool(x, batch.mask(), true).toFloatArray();
                int dim = weights.hiddenSize();
                for (int i = 0; i < texts.size(); i++) {
                    double dot = 0;
                    double a = 0;
                    double b = 0;
                    for (int k = 0; k < dim; k++) {
                        float u = pooled[i * dim + k];
                        float v = expected[i][k];
                        dot += u * v;
                        a += u * u;
                        b += v * v;
                    }
                    assertThat(dot / Math.sqrt(a * b)).as("cosine of text %s (%s tokens)", i, ids.get(i).length)
                            .isGreaterThan(0.9999);
                }
            }
        }
    }
}
