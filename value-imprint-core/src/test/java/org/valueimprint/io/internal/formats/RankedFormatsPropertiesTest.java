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
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.RecordContext;

/**
 * The ranked and scored formats and {@code generic} on arbitrary records built from their own field names and
 * awkward values: detection never throws and scores 0 to 100; reading yields records or throws
 * {@link InvalidRecordException}, never another exception. OpenAssistant trees of random shape give exactly the
 * pairs that a separate count finds.
 */
class RankedFormatsPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<DatasetFormat> FORMATS = List.of(
            new OasstFormat(), new WebGptFormat(), new ShpFormat(), new PkuSafeRlhfFormat(), new GenericFormat());
    private static final String[] FIELDS = {
        "message_tree_id", "tree_state", "prompt", "message_id", "text", "role", "rank", "deleted", "replies", "lang",
        "question", "full_text", "id", "dataset", "answer_0", "answer_1", "score_0", "score_1", "quotes_0", "extract",
        "history", "human_ref_A", "human_ref_B", "labels", "score_A", "score_B", "post_id", "c_root_id_A",
        "c_root_id_B", "domain", "response_0", "response_1", "better_response_id", "safer_response_id",
        "is_response_0_safe"};
    private static final String[] STRINGS = {
        "", " ", "0", "1", "-1", "0.5", "NaN", "Infinity", "1e400", "prompter", "assistant", "true", "False", "yes",
        "Hello"};
    private static final ReadOptions OPTIONS = ReadOptions.builder().fieldMapping(FieldMapping.parse(
            "prompt=question.full_text,chosen=answer_0,rejected=answer_1,id=id,tie=deleted,chosen_score=score_0,"
                    + "rejected_score=score_1")).build();
    private static final RecordContext CONTEXT =
            new RecordContext(new RecordSource("props", "props.jsonl", 0, 1), OPTIONS);

    @Property(tries = 2000)
    void formatsNeverThrowAnythingButInvalidRecord(@ForAll Random random) {
        JsonNode record = random.nextBoolean() ? object(random, 0) : everyField(random);
        for (DatasetFormat format : FORMATS) {
            assertThat(format.detect(record)).isBetween(0, 100);
            List<PreferenceRecord> out = new ArrayList<>();
            try {
                format.read(record, CONTEXT, out::add);
            } catch (InvalidRecordException expected) {
                assertThat(expected.getMessage()).isNotBlank();
                continue;
            }
            for (PreferenceRecord r : out) {
                assertThat(r.chosen().isEmpty()).isFalse();
                if (r instanceof PreferencePair p) {
                    assertThat(p.rejected().isEmpty()).isFalse();
                    p.scores().ifPresent(s -> {
                        assertThat(s.chosen()).isFinite();
                        assertThat(s.rejected()).isFinite();
                        if (format instanceof WebGptFormat) {
                            assertThat(s.chosen()).isGreaterThanOrEqualTo(s.rejected());
                            assertThat(p.tie()).isEqualTo(s.chosen() == s.rejected());
                        }
                    });
                }
            }
        }
    }

    @Property(tries = 500)
    void oasstTreesGiveEveryRankedAssistantPair(@ForAll Random random) throws InvalidRecordException {
        ObjectNode root = message(random, "prompter", 0, new int[] {0});
        JsonNode record = random.nextBoolean() ? root
                : NODES.objectNode().put("message_tree_id", "t").set("prompt", root);
        List<PreferenceRecord> out = new ArrayList<>();
        new OasstFormat().read(record, CONTEXT, out::add);
        assertThat(out).hasSize(expectedPairs(root));
        assertThat(out.stream().map(PreferenceRecord::id).distinct()).hasSize(out.size());
        for (PreferenceRecord r : out) {
            PreferencePair p = (PreferencePair) r;
            assertThat(Integer.parseInt(p.metadata().get("rank_chosen")))
                    .isLessThan(Integer.parseInt(p.metadata().get("rank_rejected")));
            assertThat(p.prompt().size() % 2).isEqualTo(1); // root prompter, then alternating, ending on a prompter
        }
    }

    /** A well-formed message with random replies, ranks (some tied, some null) and deleted flags. */
    private static ObjectNode message(Random random, String role, int depth, int[] ids) {
        ObjectNode node = NODES.objectNode();
        node.put("message_id", "m" + ids[0]++);
        node.put("text", role + " says " + random.nextInt(100));
        node.put("role", role);
        node.put("deleted", depth > 0 && random.nextInt(8) == 0);
        if (depth > 0 && random.nextInt(4) > 0) {
            node.put("rank", random.nextInt(4));
        } else {
            node.putNull("rank");
        }
        ArrayNode replies = node.putArray("replies");
        int n = depth > 4 ? 0 : random.nextInt(4);
        String next = role.equals("prompter") ? "assistant" : "prompter";
        for (int i = 0; i < n; i++) {
            replies.add(message(random, next, depth + 1, ids));
        }
        return node;
    }

    /** The pairs a tree should give, counted without the format: a plain recursion over non-deleted messages. */
    private static int expectedPairs(JsonNode message) {
        if (message.get("deleted").asBoolean()) {
            return 0;
        }
        List<Integer> ranks = new ArrayList<>();
        int n = 0;
        for (JsonNode reply : message.get("replies")) {
            if (!reply.get("deleted").asBoolean() && reply.get("role").asText().equals("assistant")
                    && !reply.get("rank").isNull()) {
                ranks.add(reply.get("rank").asInt());
            }
            n += expectedPairs(reply);
        }
        for (int i = 0; i < ranks.size(); i++) {
            for (int j = i + 1; j < ranks.size(); j++) {
                n += ranks.get(i).equals(ranks.get(j)) ? 0 : 1;
            }
        }
        return n;
    }

    /** A record with many of the formats' fields, each with an arbitrary value. */
    private static ObjectNode everyField(Random random) {
        ObjectNode node = NODES.objectNode();
        for (String field : FIELDS) {
            if (random.nextInt(6) > 0) {
                node.set(field, value(random, 1));
            }
        }
        return node;
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode node = NODES.objectNode();
        int n = random.nextInt(8);
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
                return random.nextBoolean() ? NODES.numberNode(random.nextInt(5) - 2)
                        : NODES.numberNode(random.nextBoolean() ? 1e308 * 10 : random.nextDouble() * 2 - 1);
            case 3:
            case 4:
                return NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 5:
            case 6: {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(4);
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
