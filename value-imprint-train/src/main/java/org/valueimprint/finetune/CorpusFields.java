package org.valueimprint.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * What the annotated corpus says of each text beyond its text and label, in the order of the examples read from it:
 * the annotators' secondary values ({@code also}, as class indices) and whether the text was drawn at random
 * ({@code "sample": "random"}, as opposed to the enrichment rounds).
 *
 * @param secondary every text's secondary classes (empty for none)
 * @param random whether each text was drawn at random
 */
record CorpusFields(int[][] secondary, boolean[] random) {
    /**
     * Reads the fields of {@code examples} from {@code corpus} by id.
     *
     * @throws IOException if the file cannot be read, or a secondary value is not one of the taxonomy's (naming the
     *     file and line)
     */
    static CorpusFields read(Path corpus, List<GoldExample> examples, ValueTaxonomy taxonomy) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, int[]> secondaryById = new HashMap<>();
        Map<String, Boolean> randomById = new HashMap<>();
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
        }
        int[][] secondary = new int[examples.size()][];
        boolean[] random = new boolean[examples.size()];
        for (int i = 0; i < secondary.length; i++) {
            secondary[i] = secondaryById.getOrDefault(examples.get(i).id(), new int[0]);
            random[i] = randomById.getOrDefault(examples.get(i).id(), false);
        }
        return new CorpusFields(secondary, random);
    }
}
