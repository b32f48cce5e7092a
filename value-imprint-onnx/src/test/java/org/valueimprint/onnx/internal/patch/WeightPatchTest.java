package org.valueimprint.onnx.internal.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.valueimprint.onnx.internal.OnnxTensors.floats;

import ai.onnx.proto.OnnxMl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/** The weight patch file, its application to the MiniLM models, and the int8 quantisation it relies on. */
class WeightPatchTest {
    private static byte[] fp32;
    private static byte[] int8;

    static synchronized byte[] fp32() {
        if (fp32 == null) {
            fp32 = resource("all-minilm-l6-v2.onnx");
        }
        return fp32;
    }

    static synchronized byte[] int8() {
        if (int8 == null) {
            int8 = resource("all-minilm-l6-v2-q.onnx");
        }
        return int8;
    }

    private static byte[] resource(String name) {
        try (InputStream in = WeightPatchTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 50)
    void roundTripsThroughItsFile(@ForAll("patches") WeightPatch patch) throws IOException {
        WeightPatch back = WeightPatch.read(new ByteArrayInputStream(patch.toBytes()));
        assertThat(back).isEqualTo(patch);
        assertThat(back.toBytes()).isEqualTo(patch.toBytes());
    }

    @Property(tries = 200)
    void halfPrecisionIsWithinItsRounding(@ForAll float value) {
        float back = Half.toFloat(Half.fromFloat(value));
        if (Float.isNaN(value)) {
            assertThat(back).isNaN();
        } else if (Math.abs(value) > 65504f) {
            assertThat(Math.abs(back)).isGreaterThanOrEqualTo(65504f);
        } else if (Math.abs(value) >= 6.1e-5f) {
            assertThat((double) Math.abs(back - value)).isLessThanOrEqualTo(Math.abs(value) * 0x1p-11);
        } else {
            assertThat((double) Math.abs(back - value)).isLessThanOrEqualTo(0x1p-25);
        }
    }

    @Provide
    Arbitrary<WeightPatch> patches() {
        Arbitrary<PatchTensor> tensor = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
                Arbitraries.of(Storage.values()),
                Arbitraries.longs().between(0, 5).array(long[].class).ofMinSize(0).ofMaxSize(3),
                Arbitraries.randoms())
                .as((name, storage, dims, random) -> {
                    long count = 1;
                    for (long d : dims) {
                        count *= d;
                    }
                    byte[] data = new byte[(int) count * storage.bytesPerValue()];
                    random.nextBytes(data);
                    return new PatchTensor(name, storage, dims, data);
                });
        Arbitrary<Map<String, String>> provenance = Arbitraries.maps(
                Arbitraries.strings().ofMaxLength(10), Arbitraries.strings().ofMaxLength(30)).ofMaxSize(4);
        Arbitrary<String> sha = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        return Combinators.combine(sha, provenance, tensor.list().ofMaxSize(5).uniqueElements(PatchTensor::name))
                .as(WeightPatch::of);
    }

    @Test
    void refusesAnotherBaseModel() {
        WeightPatch patch = PatchBuilder.build(int8(), Map.of("encoder.layer.5.output.dense.bias", new float[384]),
                Map.of("encoder.layer.5.output.dense.bias", new long[] {384}), Storage.FLOAT16, Map.of());
        assertThatThrownBy(() -> patch.apply(fp32()))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(WeightPatch.sha256(int8()))
                .hasMessageContaining(WeightPatch.sha256(fp32()))
                .hasMessageContaining("refusing");
    }

    @Test
    void refusesWrongDimensionsAndUnknownTensors() {
        WeightPatch wrong = WeightPatch.of(WeightPatch.sha256(int8()), Map.of(), List.of(PatchTensor.ofFloats(
                "encoder.layer.5.output.dense.bias", new long[] {383}, new float[383], Storage.FLOAT32)));
        assertThatThrownBy(() -> wrong.apply(int8())).isInstanceOf(ModelException.class)
                .hasMessageContaining("[383]").hasMessageContaining("[384]");
        WeightPatch unknown = WeightPatch.of(WeightPatch.sha256(int8()), Map.of(), List.of(PatchTensor.ofFloats(
                "no.such.tensor", new long[] {1}, new float[1], Storage.FLOAT32)));
        assertThatThrownBy(() -> unknown.apply(int8())).isInstanceOf(ModelException.class)
                .hasMessageContaining("no.such.tensor");
    }

    @Test
    void quantisingTheFp32WeightsGivesTheInt8ModelsOwn() throws Exception {
        Map<String, OnnxMl.TensorProto> f = initializers(fp32());
        Map<String, OnnxMl.TensorProto> q = initializers(int8());
        int checked = 0;
        for (String name : f.keySet()) {
            if (!name.startsWith("onnx::MatMul_")) {
                continue;
            }
            OnnxMl.TensorProto w = f.get(name);
            int rows = (int) w.getDims(0);
            int cols = (int) w.getDims(1);
            PatchBuilder.Quantized mine = PatchBuilder.quantize(floats(w), rows, cols);
            assertThat(mine.values()).as(name).isEqualTo(q.get(name + "_quantized").getRawData().toByteArray());
            assertThat(mine.scales()).as(name).isEqualTo(floats(q.get(name + "_scale")));
            checked++;
        }
        assertThat(checked).isEqualTo(36);
    }

    @Test
    void aPatchOfTheBaseWeightsLeavesTheInt8EncoderUnchanged() throws Exception {
        Map<String, OnnxMl.TensorProto> f = initializers(fp32());
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> dims = new LinkedHashMap<>();
        for (String name : List.of("onnx::MatMul_852", "onnx::MatMul_863", "encoder.layer.5.output.dense.bias",
                "encoder.layer.5.output.LayerNorm.weight")) {
            values.put(name, floats(f.get(name)));
            dims.put(name, f.get(name).getDimsList().stream().mapToLong(Long::longValue).toArray());
        }
        WeightPatch patch = PatchBuilder.build(int8(), values, dims, Storage.FLOAT32, Map.of("test", "identity"));
        assertThat(patch.tensors()).extracting(PatchTensor::name).contains("onnx::MatMul_852_quantized",
                "onnx::MatMul_852_scale", "encoder.layer.5.output.dense.bias");
        List<String> texts = List.of("Human: How do I bake bread?\n\nAssistant: Mix flour, water, yeast and salt.",
                "Human: Is it fair to pay women less?\n\nAssistant: No. Equal work deserves equal pay.");
        float[][] plain;
        float[][] patched;
        try (OnnxTextEncoder base = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"))) {
            plain = base.embed(texts);
        }
        EncoderSource source = EncoderSource.named("all-minilm-l6-v2-q").withModelTransform("patch", patch::apply);
        try (OnnxTextEncoder enc = OnnxTextEncoder.load(source)) {
            patched = enc.embed(texts);
            assertThat(enc.info().id()).contains("patch");
        }
        for (int i = 0; i < texts.size(); i++) {
            assertThat(patched[i]).containsExactly(plain[i]);
        }
    }

    static Map<String, OnnxMl.TensorProto> initializers(byte[] model) throws IOException {
        Map<String, OnnxMl.TensorProto> out = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : OnnxMl.ModelProto.parseFrom(model).getGraph().getInitializerList()) {
            out.put(t.getName(), t);
        }
        return out;
    }

}
