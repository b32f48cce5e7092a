package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.ReadStats;
import org.valueimprint.io.TestData;

/** What the reader property tests share: one real file per format, and the check that a read ends well. */
final class FormatReadsPropertiesSupport {
    private FormatReadsPropertiesSupport() {}

    /** A format and a real file of it (a fixture, or {@code data:} for the bundled data). */
    record FormatFile(String format, String file) {
        /** The file's bytes ({@code flat:} makes OpenAssistant's flat message table from the first trees). */
        byte[] bytes() {
            if (file.startsWith("flat:")) {
                return flatMessages(file.substring(5));
            }
            try {
                return Files.readAllBytes(file.startsWith("data:") ? TestData.path(file.substring(5))
                        : TestData.fixture(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The file's name, which picks its container. */
        String name() {
            return file.startsWith("flat:") ? "messages.jsonl" : file.substring(file.lastIndexOf('/') + 1);
        }

        @Override
        public String toString() {
            return format + " " + name();
        }
    }

    /** Every built-in format with a real file of it. */
    static final List<FormatFile> FILES = List.of(
            new FormatFile("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl"),
            new FormatFile("alpaca", "alpaca/alpaca_llamafactory.json"),
            new FormatFile("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json"),
            new FormatFile("generic", "generic/pairs.jsonl"),
            new FormatFile("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v1.json"),
            new FormatFile("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v2.json"),
            new FormatFile("helpsteer2-nemo", "helpsteer2-nemo/rm_rows.jsonl"),
            new FormatFile("llamafactory-v1", "llamafactory-v1/tool_and_reasoning.jsonl"),
            new FormatFile("oasst", "oasst/edge_cases.jsonl"),
            new FormatFile("oasst", "data:oasst/en_100_message.jsonl"),
            new FormatFile("oasst-messages", "flat:oasst/en_100_tree.jsonl"),
            new FormatFile("pku-saferlhf", "pku-saferlhf/pku.jsonl"),
            new FormatFile("sharegpt", "sharegpt/tools_and_system.json"),
            new FormatFile("shp", "shp/shp.jsonl"),
            new FormatFile("trl", "trl/explicit_prompt.jsonl"),
            new FormatFile("trl", "trl/standard_scores.jsonl"),
            new FormatFile("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl"),
            new FormatFile("webgpt", "webgpt/comparisons.jsonl"));

    /** The messages of the first three trees of a tree export, one row per message (OpenAssistant's flat table). */
    static byte[] flatMessages(String treeFile) {
        StringBuilder out = new StringBuilder();
        try {
            List<String> lines = Files.readAllLines(TestData.path(treeFile));
            for (String line : lines.subList(0, 3)) {
                com.fasterxml.jackson.databind.JsonNode tree = DamagedRecords.JSON.readTree(line);
                String treeId = tree.get("message_tree_id").asText();
                java.util.Deque<com.fasterxml.jackson.databind.JsonNode> stack = new java.util.ArrayDeque<>();
                stack.push(tree.get("prompt"));
                while (!stack.isEmpty()) {
                    com.fasterxml.jackson.databind.node.ObjectNode row =
                            ((com.fasterxml.jackson.databind.node.ObjectNode) stack.pop()).deepCopy();
                    com.fasterxml.jackson.databind.JsonNode replies = row.remove("replies");
                    row.put("message_tree_id", treeId);
                    out.append(row).append('\n');
                    if (replies != null) {
                        replies.forEach(stack::push);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code bytes} as {@code name} with the format named (or detected when {@code format} is null) under
     * {@code policy}, within 10 seconds: it must give records whose counts add up, or a {@link DatasetReadException}
     * naming the file; any other exception, or a hang, fails.
     */
    static void readsToRecordsOrATypedError(byte[] bytes, String name, String format, ErrorPolicy policy) {
        ReadOptions options = format == null ? ReadOptions.builder().errorPolicy(policy).build()
                : DamagedRecords.options(format, policy);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (PreferenceDataset ds = PreferenceDatasets.open(new ByteArrayInputStream(bytes), name, options)) {
                long n = ds.stream().count();
                ReadStats stats = ds.stats();
                assertThat(stats.recordsProduced()).isEqualTo(n);
                assertThat(stats.recordsSkipped()).isLessThanOrEqualTo(stats.recordsRead());
            } catch (DatasetReadException expected) {
                assertThat(expected.kind()).isNotNull();
                assertThat(expected.getMessage()).startsWith(name);
            }
        });
    }
}
