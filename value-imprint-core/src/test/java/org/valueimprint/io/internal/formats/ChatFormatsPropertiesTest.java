package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;

/**
 * The chat-style formats on arbitrary JSON objects built from their own field names: {@code detect} never throws
 * and returns 0..100, and {@code read} either makes pairs or throws {@link InvalidRecordException}, nothing else.
 */
class ChatFormatsPropertiesTest {
    private static final List<DatasetFormat> FORMATS =
            List.of(new TrlFormat(), new UltraFeedbackFormat(), new ShareGptFormat(), new LlamaFactoryV1Format());
    private static final String[] KEYS = {
        "prompt", "chosen", "rejected", "score_chosen", "score_rejected", "prompt_id", "conversations", "system",
        "chosen_messages", "rejected_messages", "role", "content", "from", "value", "type", "text", "metadata",
    };

    @Property(tries = 2000)
    void detectAndReadNeverThrowAnythingElse(@ForAll("records") JsonNode record) {
        for (DatasetFormat format : FORMATS) {
            assertThat(format.detect(record)).as(format.name()).isBetween(0, 100);
            try {
                List<PreferenceRecord> out = ChatFixtures.readRecord(format, record);
                assertThat(out).hasSize(1).first().isInstanceOf(PreferencePair.class);
            } catch (InvalidRecordException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Provide
    Arbitrary<JsonNode> records() {
        return object(3);
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(4).map(TextNode::valueOf),
                Arbitraries.of("user", "assistant", "gpt", "human", "system", "tool", "narrator", "text", "image",
                        "NaN", "1e400", "2.5", "").map(TextNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(NullNode.getInstance(), BooleanNode.TRUE, DoubleNode.valueOf(Double.NaN)));
        if (depth == 0) {
            return scalars;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalars),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> array(depth - 1))),
                net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1))));
    }

    private static Arbitrary<JsonNode> array(int depth) {
        return value(depth).list().ofMaxSize(4).map(items -> {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            items.forEach(array::add);
            return array;
        });
    }

    private static Arbitrary<JsonNode> object(int depth) {
        return Arbitraries.maps(Arbitraries.of(KEYS), value(depth)).ofMaxSize(6).map(fields -> {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            fields.forEach(object::set);
            return object;
        });
    }
}
