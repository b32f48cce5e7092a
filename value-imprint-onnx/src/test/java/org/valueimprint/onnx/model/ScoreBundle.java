package org.valueimprint.onnx.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.internal.MultiLabelScores;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A tool, not a test: classifies a multi-label gold file ({@code id}, {@code text}, {@code labels}) with a model
 * loaded as {@code --model} loads it (a bundle directory or a bundled name such as {@code valueeval}), times it, and
 * writes the scores as {@link MultiLabelScores#toJson} does ({@code macro_f1}, {@code micro_f1}, {@code per_class}).
 *
 * <pre>
 * java -cp ... org.valueimprint.onnx.model.ScoreBundle MODEL GOLD.jsonl OUT.json
 * </pre>
 */
public final class ScoreBundle {
    private ScoreBundle() {}

    /** Runs the tool. */
    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        List<List<String>> gold = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            JsonNode n = json.readTree(line);
            texts.add(n.get("text").asText());
            List<String> labels = new ArrayList<>();
            n.get("labels").forEach(l -> labels.add(l.asText()));
            gold.add(labels);
        }
        try (ValueClassifier c = ValueClassifiers.load(ClassifierSpec.of(Path.of(args[0])))) {
            ValueTaxonomy t = c.taxonomy();
            c.classify(texts.subList(0, 64)); // warm-up
            long start = System.nanoTime();
            List<ValuePrediction> predictions = c.classify(texts);
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean[][] y = new boolean[texts.size()][t.size()];
            boolean[][] s = new boolean[texts.size()][t.size()];
            for (int i = 0; i < texts.size(); i++) {
                for (String l : gold.get(i)) {
                    y[i][t.indexOf(l)] = true;
                }
                for (int v = 0; v < t.size(); v++) {
                    s[i][v] = predictions.get(i).isSelected(v);
                }
            }
            MultiLabelScores scores = MultiLabelScores.of(y, s);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("model", c.info().id());
            facts.put("gold", args[1]);
            facts.put("texts", Integer.toString(texts.size()));
            facts.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
            facts.put("texts_per_second", String.format(Locale.ROOT, "%.1f", texts.size() / seconds));
            facts.put("load_average", Files.readString(Path.of("/proc/loadavg")).trim());
            facts.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
            Files.writeString(Path.of(args[2]), scores.toJson(t.labels(), facts));
            System.out.printf(Locale.ROOT, "%s: macro F1 %.4f micro F1 %.4f, %d texts in %.1f s (%.1f texts/s)%n",
                    c.info().id(), scores.macroF1(), scores.microF1(), texts.size(), seconds, texts.size() / seconds);
        }
    }
}
