package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.RecordContext;

/**
 * The instruction-style formats on arbitrary records built from their own field names and awkward values: detection
 * never throws and scores 0 to 100; reading either yields records or throws {@link InvalidRecordException}, never
 * another exception.
 */
class InstructFormatsPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<DatasetFormat> FORMATS = List.of(
            new AlpacaFormat(), new AlpacaPairwiseFormat(), new Gpt4LlmComparisonFormat(), new HelpSteer2NemoFormat());
    private static final String[] FIELDS = {
        "instruction", "input", "output", "system", "history", "user_input", "completion_a", "completion_b",
        "responses_and_scores", "response", "score", "source", "text", "label"};
    private static final String[] STRINGS = {
        "", " ", "\n", "Hello", "NaN", "-100", "<extra_id_0>", "<extra_id_1>", "<extra_id_2>",
        "<extra_id_0>System\n", "<extra_id_0>System\nsys\n<extra_id_1>User\nhi\n<extra_id_1>Assistant\nhello\n<extra_id_2>",
        "<extra_id_0>System\n<extra_id_1>Assistant\n<extra_id_2>", "<extra_id_0><extra_id_1><extra_id_1>\n\n",
        "<extra_id_0>System\n\n<extra_id_1>\n<extra_id_1>User"};
    private static final RecordContext CONTEXT =
            new RecordContext(new RecordSource("props", "props.jsonl", 0, 1), ReadOptions.defaults());

    @Property(tries = 2000)
    void formatsNeverThrowAnythingButInvalidRecord(@ForAll Random random) {
        JsonNode record = object(random, 0);
        for (DatasetFormat format : FORMATS) {
            assertThat(format.detect(record)).isBetween(0, 100);
            List<PreferenceRecord> out = new ArrayList<>();
            try {
                format.read(record, CONTEXT, out::add);
                assertThat(out).isNotEmpty();
                out.forEach(r -> {
                    assertThat(r.chosen().isEmpty()).isFalse();
                    if (r instanceof PreferencePair p) {
                        assertThat(p.rejected().isEmpty()).isFalse();
                    }
                });
            } catch (InvalidRecordException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode node = NODES.objectNode();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            node.set(FIELDS[random.nextInt(FIELDS.length)], value(random, depth + 1));
        }
        return node;
    }

    private static JsonNode value(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 8);
        switch (kind) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.booleanNode(random.nextBoolean());
            case 2:
                return random.nextBoolean() ? NODES.numberNode(random.nextInt(21) - 10)
                        : NODES.numberNode(random.nextBoolean() ? -100.0 : random.nextDouble() * 10);
            case 3:
            case 4:
                return NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 5:
            case 6: {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(10);
                for (int i = 0; i < n; i++) {
                    array.add(value(random, depth + 1));
                }
                return array;
            }
            default:
                return object(random, depth);
        }
    }
}
