package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;

/** The flat OpenAssistant message table, checked against the tree export of the same trees. */
class OasstMessagesFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Flattens the bundled tree export into one message per row, as oasst1's message table has it. */
    private Path flatten(boolean shuffleWithinTree) throws IOException {
        Path out = dir.resolve("messages.jsonl");
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String line : Files.readAllLines(TestData.path("oasst/en_100_tree.jsonl"))) {
                JsonNode tree = JSON.readTree(line);
                List<ObjectNode> rows = new ArrayList<>();
                collect(tree.get("prompt"), null, tree.get("message_tree_id").asText(), rows);
                if (shuffleWithinTree) {
                    Collections.reverse(rows); // children before parents: grouping must not depend on row order
                }
                for (ObjectNode row : rows) {
                    w.write(JSON.writeValueAsString(row));
                    w.write('\n');
                }
            }
        }
        return out;
    }

    private static void collect(JsonNode node, String parent, String treeId, List<ObjectNode> rows) {
        ObjectNode row = ((ObjectNode) node).deepCopy();
        row.remove("replies");
        row.put("parent_id", parent);
        row.put("message_tree_id", treeId);
        rows.add(row);
        for (JsonNode reply : node.get("replies")) {
            collect(reply, node.get("message_id").asText(), treeId, rows);
        }
    }

    @Test
    void theFlatTableGivesTheSamePairsAsTheTreeExport() throws IOException {
        List<PreferenceRecord> fromTrees = TestData.readAll(TestData.path("oasst/en_100_tree.jsonl"));
        for (boolean reversed : new boolean[] {false, true}) {
            Path flat = flatten(reversed);
            try (PreferenceDataset ds = PreferenceDatasets.open(flat)) {
                List<PreferenceRecord> fromRows = ds.stream().toList();
                assertThat(ds.formats()).containsValue("oasst-messages");
                assertThat(fromRows).hasSize(754);
                // Same pairs; only the tree export's tree_state metadata is missing from the rows.
                if (!reversed) {
                    assertThat(fromRows).extracting(PreferenceRecord::id)
                            .containsExactlyElementsOf(fromTrees.stream().map(PreferenceRecord::id).toList());
                } else {
                    assertThat(fromRows).extracting(PreferenceRecord::id)
                            .containsExactlyInAnyOrderElementsOf(fromTrees.stream().map(PreferenceRecord::id).toList());
                }
                PreferencePair a = (PreferencePair) fromTrees.get(0);
                PreferencePair b = (PreferencePair) fromRows.stream().filter(r -> r.id().equals(a.id())).findFirst()
                        .orElseThrow();
                assertThat(b.prompt()).isEqualTo(a.prompt());
                assertThat(b.chosen()).isEqualTo(a.chosen());
                assertThat(b.rejected()).isEqualTo(a.rejected());
                assertThat(ds.stats().recordsRead()).isEqualTo(1167);
                assertThat(ds.stats().recordsAccepted()).isEqualTo(1167);
            }
        }
    }

    @Test
    void aTreeWhoseRowsAreNotContiguousIsAnInvalidGroup() throws IOException {
        Path f = dir.resolve("split.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"message_id\":\"r\",\"parent_id\":null,\"message_tree_id\":\"t1\",\"role\":\"prompter\",\"text\":\"Q?\"}",
                "{\"message_id\":\"a\",\"parent_id\":\"r\",\"message_tree_id\":\"t1\",\"role\":\"assistant\",\"text\":\"A\",\"rank\":0}",
                "{\"message_id\":\"x\",\"parent_id\":null,\"message_tree_id\":\"t2\",\"role\":\"prompter\",\"text\":\"X?\"}",
                "{\"message_id\":\"b\",\"parent_id\":\"r\",\"message_tree_id\":\"t1\",\"role\":\"assistant\",\"text\":\"B\",\"rank\":1}",
                ""));
        assertThatThrownBy(() -> TestData.readAll(f)).isInstanceOfSatisfying(DatasetReadException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProblemKind.INVALID_FIELD);
            assertThat(e.line()).contains(4L);
            assertThat(e.getMessage()).contains("\"r\" of message \"b\" is not in its tree");
        });
        try (PreferenceDataset ds = PreferenceDatasets.open(f,
                ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())) {
            assertThat(ds.stream().count()).isZero(); // t1's first part has one ranked reply: no pair
            assertThat(ds.stats().recordsRead()).isEqualTo(4);
            assertThat(ds.stats().recordsAccepted()).isEqualTo(3);
            assertThat(ds.stats().skippedByReason()).containsEntry(ProblemKind.INVALID_FIELD, 1L);
        }
    }

    @Test
    void aCsvTableWithEmptyParentsReadsToo() throws IOException {
        Path f = dir.resolve("messages.csv");
        Files.writeString(f, "message_id,parent_id,message_tree_id,role,text,rank,deleted,lang\n"
                + "r,,t1,prompter,Is tea healthy?,,False,en\n"
                + "a,r,t1,assistant,\"In moderation, yes.\",0.0,False,en\n"
                + "b,r,t1,assistant,No.,1.0,False,en\n");
        List<PreferenceRecord> records = TestData.readAll(f);
        assertThat(records).hasSize(1);
        PreferencePair p = (PreferencePair) records.get(0);
        assertThat(p.id()).isEqualTo("r:a>b");
        assertThat(p.chosen().turns().get(0).text()).isEqualTo("In moderation, yes.");
        assertThat(p.prompt().render()).isEqualTo("Human: Is tea healthy?");
    }
}
