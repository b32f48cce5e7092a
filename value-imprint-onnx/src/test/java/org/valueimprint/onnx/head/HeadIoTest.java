package org.valueimprint.onnx.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ModelException;

/** {@link HeadIo}: round trips, the documented layout, and clear refusals of files that are not heads. */
class HeadIoTest {
    private static final SyntheticData DATA = SyntheticData.clusters(new int[] {30, 30, 30}, 6, 1.5, 1);
    private static final Head SOFTMAX = HeadTrainer.of(TrainingOptions.softmax()).train(DATA.x, DATA.y, 3).head()
            .withTemperature(1.37);
    private static final Head MLP = HeadTrainer.of(TrainingOptions.mlp(5).withEpochs(5)).train(DATA.x, DATA.y, 3)
            .head();
    private static final Head MULTI = SoftmaxHead.of(new float[][] {{1, 2}}, new float[] {-0.5f}, true)
            .withTemperature(0.25);

    @Test
    void roundTripsEveryKindBitForBit() throws IOException {
        for (Head head : List.of(SOFTMAX, MLP, MULTI)) {
            byte[] bytes = bytes(head);
            Head back = HeadIo.read(new ByteArrayInputStream(bytes));
            assertThat(back).isEqualTo(head).hasSameHashCodeAs(head);
            assertThat(back.getClass()).isEqualTo(head.getClass());
            assertThat(back.temperature()).isEqualTo(head.temperature());
            assertThat(bytes(back)).isEqualTo(bytes);
            for (float[] x : DATA.x) {
                if (x.length == head.inputDimension()) {
                    assertThat(back.probabilities(x)).containsExactly(head.probabilities(x));
                }
            }
        }
    }

    @Test
    void followsTheDocumentedLayout() throws IOException {
        SoftmaxHead head = SoftmaxHead.of(new float[][] {{1, 2}, {3, 4}}, new float[] {5, 6}, false)
                .withTemperature(2);
        byte[] bytes = bytes(head);
        assertThat(bytes).hasSize(36 + 6 * 4 + 4);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("VIHD");
        assertThat(List.of(b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20), b.getInt(24)))
                .containsExactly(1, 1, 0, 2, 0, 2);
        assertThat(b.getDouble(28)).isEqualTo(2.0);
        float[] tensors = new float[6];
        for (int i = 0; i < 6; i++) {
            tensors[i] = b.getFloat(36 + 4 * i);
        }
        assertThat(tensors).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void readsExactlyOneHeadFromAStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeadIo.write(SOFTMAX, out);
        HeadIo.write(MLP, out);
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(HeadIo.read(in)).isEqualTo(SOFTMAX);
        assertThat(HeadIo.read(in)).isEqualTo(MLP);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Property(tries = 60)
    void refusesEveryTruncation(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        byte[] bytes = bytes(MLP);
        int length = cut % bytes.length;
        assertThatThrownBy(() -> HeadIo.read(new ByteArrayInputStream(Arrays.copyOf(bytes, length))))
                .isInstanceOf(ModelException.class)
                .hasMessageMatching(length == 0 ? ".*not a Value Imprint head file.*empty.*" : ".*truncated.*");
    }

    @Test
    void refusesForeignFiles() {
        for (String foreign : List.of("{\"format\": \"value-imprint-head\"}", "PK\u0003\u0004 a zip file",
                "\u0008\u0007\u0012\u0004onnx model proto")) {
            assertThatThrownBy(() -> read(foreign.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("not a Value Imprint head file");
        }
    }

    @Test
    void refusesCorruptionNewerVersionsAndImpossibleShapes() throws IOException {
        byte[] corrupt = bytes(SOFTMAX);
        corrupt[40] ^= 1;
        assertThatThrownBy(() -> read(corrupt)).hasMessageContaining("corrupt head file: CRC-32");

        byte[] newer = bytes(SOFTMAX);
        newer[4] = 2;
        assertThatThrownBy(() -> read(newer)).hasMessageContaining("format version 2 is not supported")
                .hasMessageContaining("upgrade");

        byte[] kind = bytes(SOFTMAX);
        kind[8] = 9;
        assertThatThrownBy(() -> read(kind)).hasMessageContaining("unknown head kind 9");

        byte[] huge = bytes(SOFTMAX);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(16, Integer.MAX_VALUE);
        assertThatThrownBy(() -> read(huge)).hasMessageContaining("input dimension = 2147483647");

        byte[] temperature = bytes(SOFTMAX);
        ByteBuffer.wrap(temperature).order(ByteOrder.LITTLE_ENDIAN).putDouble(28, -1);
        assertThatThrownBy(() -> read(temperature)).hasMessageContaining("temperature must be positive");
    }

    @Test
    void describesTheHeadInJson() throws IOException {
        JsonNode json = new ObjectMapper().readTree(HeadIo.describe(MLP));
        assertThat(json.get("format").asText()).isEqualTo("value-imprint-head");
        assertThat(json.get("kind").asText()).isEqualTo("MLP");
        assertThat(json.get("activation").asText()).isEqualTo("softmax");
        assertThat(json.get("inputDimension").asInt()).isEqualTo(6);
        assertThat(json.get("hiddenUnits").asInt()).isEqualTo(5);
        assertThat(json.get("classes").asInt()).isEqualTo(3);
        assertThat(json.get("parameters").asInt()).isEqualTo(6 * 5 + 5 + 5 * 3 + 3);
        assertThat(json.get("tensors").toString())
                .isEqualTo("[{\"name\":\"W1\",\"shape\":[5,6]},{\"name\":\"b1\",\"shape\":[5]},"
                        + "{\"name\":\"W2\",\"shape\":[3,5]},{\"name\":\"b2\",\"shape\":[3]}]");
        assertThat(json.get("sha256").asText()).isEqualTo(HeadIo.sha256(MLP)).hasSize(64);
        assertThat(HeadIo.sha256(MLP)).isNotEqualTo(HeadIo.sha256(MLP.withTemperature(2)));
        JsonNode multi = new ObjectMapper().readTree(HeadIo.describe(MULTI));
        assertThat(multi.get("activation").asText()).isEqualTo("sigmoid");
        assertThat(multi.get("temperature").asDouble()).isEqualTo(0.25);
        assertThat(multi.has("hiddenUnits")).isFalse();
    }

    private static Head read(byte[] bytes) throws IOException {
        return HeadIo.read(new ByteArrayInputStream(bytes));
    }

    private static byte[] bytes(Head head) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeadIo.write(head, out);
        return out.toByteArray();
    }
}
