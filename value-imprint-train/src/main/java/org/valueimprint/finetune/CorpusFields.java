package org.valueimprint.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * What the annotated corpus says of each text beyond its text and label, in the order of the examples read from it:
 * the annotators' secondary values ({@code also}, as class indices) and whether the text was drawn at random
 * ({@code "sample": "random"}, as opposed to the enrichment rounds), and the group each text belongs to for folds
 * that keep groups whole.
 *
 * @param secondary every text's secondary classes (empty for none)
 * @param random whether each text was drawn at random
 * @param groups every text's group: the value of the group field when one is named, else the text's id
 */
record CorpusFields(int[][] secondary, boolean[] random, List<String> groups) {
    /** As {@link #read(Path, List, ValueTaxonomy, String)} without a group field. */
    static CorpusFields read(Path corpus, List<GoldExample> examples, ValueTaxonomy taxonomy) throws IOException {
        return read(corpus, examples, taxonomy, null);
    }

    /**
     * Reads the fields of {@code examples} from {@code corpus} by id.
     *
     * @param groupField the field naming each text's group (every line must have it), or null for none
     * @throws IOException if the file cannot be read, a secondary value is not one of the taxonomy's, or a line lacks
     *     the group field (naming the file and line)
     */
    static CorpusFields read(Path corpus, List<GoldExample> examples, ValueTaxonomy taxonomy, String groupField)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, int[]> secondaryById = new HashMap<>();
        Map<String, Boolean> randomById = new HashMap<>();
        Map<String, String> groupById = new HashMap<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            JsonNode also = node.path("also");
            int[] classes = new int[also.size()];
            for (int i = 0; i < classes.length; i++) {
                classes[i] = taxonomy.indexOf(also.get(i).asText());
                if (classes[i] < 0) {
                    throw new IOException(corpus + ":" + lineNumber + ": unknown secondary value \""
                            + also.get(i).asText() + "\"");
                }
            }
            String id = node.path("id").asText();
            secondaryById.put(id, classes);
            randomById.put(id, "random".equals(node.path("sample").asText()));
            if (groupField != null) {
                JsonNode group = node.get(groupField);
                if (group == null || group.isNull() || group.isContainerNode()) {
                    throw new IOException(corpus + ":" + lineNumber + ": no text field \"" + groupField
                            + "\" (the group field)");
                }
                groupById.put(id, group.asText().strip());
            }
        }
        int[][] secondary = new int[examples.size()][];
        boolean[] random = new boolean[examples.size()];
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < secondary.length; i++) {
            String id = examples.get(i).id();
            secondary[i] = secondaryById.getOrDefault(id, new int[0]);
            random[i] = randomById.getOrDefault(id, false);
            groups.add(groupField == null ? id : groupById.get(id));
        }
        return new CorpusFields(secondary, random, List.copyOf(groups));
    }
}
