package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.internal.AttentionFusion;
import org.valueimprint.onnx.internal.OrtSessions;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * The library's attention fusion ({@link AttentionFusion}, {@link EncoderOptions#fuseAttention()}) on the default
 * model's real graph: every layer fused, the same embeddings and predictions as the graph it replaces, a layer that
 * differs from the pattern left alone, and nothing fused where it must not be.
 */
class AttentionFusionTest {
    private static byte[] defaultModel;

    @BeforeAll
    static void readDefaultModel() {
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault()) {
            defaultModel = ((OnnxTextEncoder) c.encoder()).modelBytes();
        }
    }

    @Test
    void theDefaultModelRunsFusedWithTheEmbeddingsAndPredictionsOfTheGraphItReplaces() {
        // full-length hh-rlhf texts: batches mix lengths (padding, masked keys) and hold 256-token texts
        List<String> texts = TestTexts.hhRlhf(48);
        float[][] plain;
        float[][] fused;
        List<ValuePrediction> plainPredictions;
        List<ValuePrediction> fusedPredictions;
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(),
                EncoderOptions.defaults().withFuseAttention(false))) {
            assertThat(((OnnxTextEncoder) c.encoder()).fusedAttentionLayers()).isZero();
            plain = c.encoder().embed(texts);
            plainPredictions = c.classify(texts);
        }
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault()) {
            assertThat(((OnnxTextEncoder) c.encoder()).fusedAttentionLayers()).isEqualTo(6);
            fused = c.encoder().embed(texts);
            fusedPredictions = c.classify(texts);
        }
        for (int i = 0; i < texts.size(); i++) {
            double dot = 0;
            for (int d = 0; d < plain[i].length; d++) {
                dot += plain[i][d] * fused[i][d];
            }
            assertThat(dot).as("cosine of text %d", i).isGreaterThan(0.99999);
            assertThat(fusedPredictions.get(i).topIndex()).as("text %d", i)
                    .isEqualTo(plainPredictions.get(i).topIndex());
        }
    }

    @Test
    void everyLayerBecomesOneAttentionNodeAndTheGraphShrinks() throws Exception {
        AttentionFusion.Fused fused = AttentionFusion.fuse(defaultModel).orElseThrow();
        assertThat(fused.layers()).isEqualTo(6);
        ModelProto before = ModelProto.parseFrom(defaultModel);
        ModelProto after = ModelProto.parseFrom(fused.model());
        assertThat(count(after.getGraph(), "MultiHeadAttention")).isEqualTo(6);
        assertThat(count(after.getGraph(), "Softmax")).isZero();
        assertThat(count(before.getGraph(), "Softmax")).isEqualTo(6);
        assertThat(after.getGraph().getNodeCount()).isLessThan(before.getGraph().getNodeCount() - 6 * 30);
        assertThat(after.getOpsetImportList()).anyMatch(o -> o.getDomain().equals("com.microsoft"));
        // the graph's interface is unchanged
        assertThat(after.getGraph().getInputList()).isEqualTo(before.getGraph().getInputList());
        assertThat(after.getGraph().getOutputList()).isEqualTo(before.getGraph().getOutputList());
        // a fused model is not fused again
        assertThat(AttentionFusion.fuse(fused.model())).isEmpty();
    }

    @Test
    void aLayerThatDiffersFromThePatternIsLeftAloneAndTheRestStillRuns() throws Exception {
        ModelProto model = ModelProto.parseFrom(defaultModel);
        GraphProto.Builder graph = model.getGraph().toBuilder();
        int changed = -1;
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            if (n.getOpType().equals("Softmax") && n.getName().contains("layer.2/")) {
                // softmax over another axis: a different function, which the fused operator cannot compute
                graph.setNode(i, n.toBuilder().clearAttribute().addAttribute(AttributeProto.newBuilder()
                        .setName("axis").setType(AttributeProto.AttributeType.INT).setI(2)).build());
                changed = i;
            }
        }
        assertThat(changed).isNotNegative();
        byte[] altered = model.toBuilder().setGraph(graph).build().toByteArray();
        AttentionFusion.Fused fused = AttentionFusion.fuse(altered).orElseThrow();
        assertThat(fused.layers()).isEqualTo(5);
        GraphProto g = ModelProto.parseFrom(fused.model()).getGraph();
        assertThat(count(g, "Softmax")).isEqualTo(1);
        assertThat(g.getNodeList()).filteredOn(n -> n.getOpType().equals("Softmax"))
                .allMatch(n -> n.getName().contains("layer.2/"));
        // the partly fused graph gives the altered graph's outputs
        float[] expected = run(altered);
        float[] actual = run(fused.model());
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("output %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void nothingIsFusedInBytesThatAreNotAnEncoderWithThePattern() {
        assertThat(AttentionFusion.fuse(new byte[] {1, 2, 3, 4, 5})).isEmpty();
        byte[] identity = TinyOnnx.identity(new TinyOnnx.Value[] {
            new TinyOnnx.Value("input_ids", TinyOnnx.INT64, 2),
            new TinyOnnx.Value("attention_mask", TinyOnnx.INT64, 2)},
                new TinyOnnx.Value("last_hidden_state", TinyOnnx.INT64, 2));
        assertThat(AttentionFusion.fuse(identity)).isEmpty();
    }

    @Test
    void onlyTheFusingOptimisationLevelsFuse() {
        EncoderOptions basic = EncoderOptions.defaults().withOptimization(GraphOptimization.BASIC);
        assertThat(SessionSettings.of(basic).fusesAttention()).isFalse();
        assertThat(SessionSettings.of(EncoderOptions.defaults()).fusesAttention()).isTrue();
        assertThat(SessionSettings.of(EncoderOptions.defaults().withOptimization(GraphOptimization.EXTENDED))
                .fusesAttention()).isTrue();
        try (OnnxValueClassifier c = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), basic)) {
            assertThat(((OnnxTextEncoder) c.encoder()).fusedAttentionLayers()).isZero();
        }
    }

    @Test
    void aModelTooLargeForTheHeapIsNotFused() {
        // at most 1 GiB, and four copies must fit in the maximum heap
        long largest = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
        assertThat(OrtSessions.roomToFuse(defaultModel.length)).isTrue();
        assertThat(OrtSessions.roomToFuse(largest)).isTrue();
        assertThat(OrtSessions.roomToFuse(largest + 1)).isFalse();
    }

    @Test
    void theProviderTakesFuseAttentionAsAModelOption() {
        try (var c = (OnnxValueClassifier) ValueClassifiers.load(new ClassifierSpec(Optional.empty(),
                PredictionPolicy.defaults(), Map.of("fuse_attention", "false")))) {
            assertThat(((OnnxTextEncoder) c.encoder()).fusedAttentionLayers()).isZero();
        }
        assertThatThrownBy(() -> ValueClassifiers.load(new ClassifierSpec(Optional.empty(),
                PredictionPolicy.defaults(), Map.of("fuse_attention", "no"))))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("fuse_attention must be true or false, was \"no\"");
    }

    private static long count(GraphProto g, String opType) {
        return g.getNodeList().stream().filter(n -> n.getOpType().equals(opType)).count();
    }

    /** The model's output on two real texts of different lengths (padding in the second), flattened. */
    private static float[] run(byte[] model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] ids = {101, 7592, 1010, 2129, 2024, 2017, 1029, 102, 101, 2748, 1012, 102, 0, 0, 0, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
        long[] shape = {2, 8};
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[16]), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                        "token_type_ids", types))) {
            java.nio.FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            // the padded positions' outputs are never used (pooling skips them) and may differ: keep real tokens only
            float[] real = new float[12 * 384];
            System.arraycopy(values, 0, real, 0, 8 * 384);
            System.arraycopy(values, 8 * 384, real, 8 * 384, 4 * 384);
            return real;
        }
    }
}
