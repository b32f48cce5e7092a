package org.valueimprint.benchmarks.harness;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole-process mode's texts: the first texts of the annotated corpus whose {@code source} starts with
 * {@value #SOURCE_PREFIX} (real hh-rlhf texts with their gold labels), in file order, as they stand in the corpus,
 * and the gold JSON Lines file that {@code value-imprint evaluate --gold} reads.
 */
public final class HhRlhfGold {
    /** The prefix of the {@code source} field that selects a corpus line. */
    public static final String SOURCE_PREFIX = "hh-rlhf";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HhRlhfGold() {}

    /**
     * One selected corpus line.
     *
     * @param id the corpus line's {@code id}
     * @param source its {@code source}, starting with {@value #SOURCE_PREFIX}
     * @param text its {@code text}, unchanged
     * @param label its gold {@code label}
     */
    public record Line(String id, String source, String text, String label) {
        /** Checks that no field is null. */
        public Line {
            requireNonNull(id, "id");
            requireNonNull(source, "source");
            requireNonNull(text, "text");
            requireNonNull(label, "label");
        }
    }

    /**
     * The first {@code count} lines of {@code corpus} (JSON lines with string fields {@code id}, {@code source},
     * {@code text} and {@code label}) whose {@code source} starts with {@value #SOURCE_PREFIX}, in file order; other
     * lines are skipped unread beyond their {@code source}.
     *
     * @throws IllegalArgumentException if {@code count} is not positive, the corpus holds fewer such lines (naming
     *     the file and how many it holds), or a line is not JSON or lacks a field (naming the file and line)
     * @throws UncheckedIOException if the file cannot be read
     */
    public static List<Line> select(Path corpus, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of texts must be at least 1, was " + count);
        }
        List<Line> out = new ArrayList<>(count);
        int lineNumber = 0;
        int found = 0;
        try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String s;
            while ((s = reader.readLine()) != null) {
                lineNumber++;
                if (s.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(s);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(corpus + " line " + lineNumber + " is not JSON: "
                            + e.getOriginalMessage(), e);
                }
                String source = field(node, "source", corpus, lineNumber);
                if (!source.startsWith(SOURCE_PREFIX)) {
                    continue;
                }
                found++;
                if (out.size() < count) {
                    out.add(new Line(field(node, "id", corpus, lineNumber), source, field(node, "text", corpus,
                            lineNumber), field(node, "label", corpus, lineNumber)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + corpus + ": " + e.getMessage(), e);
        }
        if (found < count) {
            throw new IllegalArgumentException(corpus + " holds only " + found + " texts whose source starts with "
                    + SOURCE_PREFIX + "; asked for " + count + " (lower --texts)");
        }
        return List.copyOf(out);
    }

    /**
     * Writes the gold file: one JSON object a line with {@code id}, {@code text} and {@code label}, UTF-8, in the
     * given order.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(List<Line> lines, Path gold) {
        try (BufferedWriter w = Files.newBufferedWriter(gold, StandardCharsets.UTF_8)) {
            for (Line line : lines) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", line.id());
                o.put("text", line.text());
                o.put("label", line.label());
                w.write(JSON.writeValueAsString(o));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + gold + ": " + e.getMessage(), e);
        }
    }

    private static String field(JsonNode node, String name, Path corpus, int line) {
        JsonNode v = node.get(name);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(corpus + " line " + line + " has no string field '" + name + "'");
        }
        return v.asText();
    }
}
