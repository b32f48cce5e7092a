package org.valueimprint.onnx.head;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A tool, not a test: the learning curve of a trained head on the annotated Value Imprint corpus. For k examples per
 * value (drawn at random, seeds 1 to 5), a head is trained with {@link TrainingOptions#softmax()} on the 7k drawn
 * texts' embeddings and scored on every other text; prints the mean and standard deviation of macro F1 (the mean of
 * the seven per-value F1s) and accuracy.
 *
 * <pre>
 * java -cp ... org.valueimprint.onnx.head.SingleLabelLearningCurve EMB.f32 CORPUS.jsonl K...
 * </pre>
 */
public final class SingleLabelLearningCurve {
    private SingleLabelLearningCurve() {}

    /** Runs the tool. */
    public static void main(String[] args) throws IOException {
        ValueTaxonomy vi = ValueTaxonomy.valueImprint();
        ObjectMapper json = new ObjectMapper();
        List<Integer> y = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode n = json.readTree(line);
                y.add(vi.indexOf(n.get("label").asText()));
            }
        }
        float[][] x = MultiLabelCrossValidationTool.embeddings(Path.of(args[0]), y.size());
        int classes = vi.size();
        for (int a = 2; a < args.length; a++) {
            int k = Integer.parseInt(args[a]);
            double[] macro = new double[5];
            double[] accuracy = new double[5];
            for (int seed = 1; seed <= 5; seed++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < y.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(seed));
                int[] taken = new int[classes];
                boolean[] train = new boolean[y.size()];
                List<Integer> rows = new ArrayList<>();
                for (int i : order) {
                    if (taken[y.get(i)] < k) {
                        taken[y.get(i)]++;
                        train[i] = true;
                        rows.add(i);
                    }
                }
                float[][] tx = new float[rows.size()][];
                int[] ty = new int[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    tx[r] = x[rows.get(r)];
                    ty[r] = y.get(rows.get(r));
                }
                Head head = HeadTrainer.of(TrainingOptions.softmax()).train(tx, ty, classes).head();
                int[][] confusion = new int[classes][classes];
                int n = 0;
                int right = 0;
                for (int i = 0; i < y.size(); i++) {
                    if (train[i]) {
                        continue;
                    }
                    double[] p = head.probabilities(x[i]);
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        best = p[c] > p[best] ? c : best;
                    }
                    confusion[y.get(i)][best]++;
                    n++;
                    right += best == y.get(i) ? 1 : 0;
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    int tp = confusion[c][c];
                    int fp = 0;
                    int fn = 0;
                    for (int o = 0; o < classes; o++) {
                        fp += o == c ? 0 : confusion[o][c];
                        fn += o == c ? 0 : confusion[c][o];
                    }
                    sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
                }
                macro[seed - 1] = sum / classes;
                accuracy[seed - 1] = (double) right / n;
            }
            System.out.printf(Locale.ROOT, "k=%d: macro F1 %.3f ± %.3f, accuracy %.3f ± %.3f%n", k, mean(macro),
                    sd(macro), mean(accuracy), sd(accuracy));
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
