package org.valueimprint.onnx.zeroshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.internal.MultiLabelScores;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A tool, not a test: zero-shot from definitions alone (a {@link PrototypeClassifier} with no example, its default
 * calibration and threshold, and selecting each text's 1 to 4 most similar values, a rule that needs no label) on the ValueEval validation split, and the all-ones baseline, scored as
 * Touché23-ValueEval does (macro F1 = mean of the 20 per-category F1s).
 *
 * <pre>
 * java -cp ... org.valueimprint.onnx.zeroshot.ZeroShotValueEval examples/data/valueeval/validation.jsonl ENCODER...
 * </pre>
 */
public final class ZeroShotValueEval {
    private ZeroShotValueEval() {}

    /** Runs the tool. */
    public static void main(String[] args) throws IOException {
        ValueTaxonomy ve = ValueTaxonomy.valueEval();
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        List<boolean[]> gold = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            JsonNode n = json.readTree(line);
            texts.add(n.get("text").asText());
            boolean[] row = new boolean[ve.size()];
            n.get("labels").forEach(l -> row[ve.indexOf(l.asText())] = true);
            gold.add(row);
        }
        boolean[][] y = gold.toArray(new boolean[0][]);
        boolean[][] ones = new boolean[y.length][ve.size()];
        for (boolean[] row : ones) {
            java.util.Arrays.fill(row, true);
        }
        MultiLabelScores all = MultiLabelScores.of(y, ones);
        System.out.printf(Locale.ROOT, "all-ones: macro F1 %.4f micro F1 %.4f%n", all.macroF1(), all.microF1());
        for (int a = 1; a < args.length; a++) {
            try (PrototypeClassifier c = PrototypeClassifier.builder(OnnxTextEncoder.load(EncoderSource.named(
                    args[a])), ve).ownsEncoder(true).build()) {
                boolean[][] selected = new boolean[y.length][];
                int i = 0;
                for (int from = 0; from < texts.size(); from += 256) {
                    for (ValuePrediction p : c.classify(texts.subList(from, Math.min(texts.size(), from + 256)))) {
                        selected[i] = new boolean[ve.size()];
                        for (int v = 0; v < ve.size(); v++) {
                            selected[i][v] = p.isSelected(v);
                        }
                        i++;
                    }
                }
                MultiLabelScores s = MultiLabelScores.of(y, selected);
                System.out.printf(Locale.ROOT, "zero-shot %s (%s): macro F1 %.4f micro F1 %.4f%n", args[a],
                        c.calibration(), s.macroF1(), s.microF1());
                double[][] cos = new double[y.length][];
                for (int from = 0; from < texts.size(); from += 256) {
                    double[][] part = c.similarities(texts.subList(from, Math.min(texts.size(), from + 256)));
                    System.arraycopy(part, 0, cos, from, part.length);
                }
                for (int top = 1; top <= 4; top++) {
                    boolean[][] chosen = new boolean[y.length][ve.size()];
                    for (int r = 0; r < y.length; r++) {
                        Integer[] order = new Integer[ve.size()];
                        for (int v = 0; v < order.length; v++) {
                            order[v] = v;
                        }
                        int row = r;
                        java.util.Arrays.sort(order, (p, q) -> Double.compare(cos[row][q], cos[row][p]));
                        for (int t = 0; t < top; t++) {
                            chosen[r][order[t]] = true;
                        }
                    }
                    MultiLabelScores k = MultiLabelScores.of(y, chosen);
                    System.out.printf(Locale.ROOT, "zero-shot %s, the %d most similar values: macro F1 %.4f micro F1"
                            + " %.4f%n", args[a], top, k.macroF1(), k.microF1());
                }
            }
        }
    }
}
