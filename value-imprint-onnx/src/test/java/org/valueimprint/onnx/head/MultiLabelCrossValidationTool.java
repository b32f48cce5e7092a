package org.valueimprint.onnx.head;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.valueimprint.onnx.internal.MultiLabelScores;

/**
 * Cross-validates multi-label heads on precomputed embeddings and, optionally, scores one spec once on a held-out
 * split. A tool, not a test (the ValueEval measurements of docs/valueeval.md):
 *
 * <pre>
 * java -cp ... org.valueimprint.onnx.head.MultiLabelCrossValidationTool \
 *     --train EMB.f32 --train-gold training.jsonl --labels value-categories-order.txt [--groups GROUPS.txt] \
 *     [--validation EMB.f32 --validation-gold validation.jsonl] [--folds 5] [--seed 42] [--threads 2] SPEC...
 * </pre>
 *
 * With {@code --groups} (one group a line, in the gold file's order), folds keep groups whole
 * ({@link HeadCrossValidator#groupFolds}). Embeddings: float32 little-endian [rows x dimension], rows in the gold file's order; the gold files are JSONL
 * with a {@code labels} list. The class order is the order of first appearance in {@code --labels} (one label a
 * line). SPEC: {@code linear:WEIGHTS:L2} (sigmoid outputs, L-BFGS) or {@code mlp:HIDDEN:WEIGHTS:L2} (Adam, early
 * stopping 10%/5), WEIGHTS {@code none} or {@code balanced}; {@code +per} appended to a spec restricts examples to
 * at most N per class for a learning curve ({@code linear:balanced:0.1+per25}). For each spec it prints the
 * cross-validated macro and micro F1 at threshold 0.5 (uncalibrated), with per-value F1-maximising thresholds chosen
 * on the out-of-fold predictions after per-value Platt calibration, and the training time; with a validation split,
 * the head trained on all training rows, calibrated and thresholded as in cross-validation, is scored on it.
 */
public final class MultiLabelCrossValidationTool {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MultiLabelCrossValidationTool() {}

    /** Runs the tool; see the class comment. */
    public static void main(String[] args) throws IOException {
        Path train = null;
        Path trainGold = null;
        Path validation = null;
        Path validationGold = null;
        Path labelFile = null;
        Path groupFile = null;
        int folds = 5;
        long seed = 42;
        int threads = 1;
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--train" -> train = Path.of(args[++i]);
                case "--train-gold" -> trainGold = Path.of(args[++i]);
                case "--validation" -> validation = Path.of(args[++i]);
                case "--validation-gold" -> validationGold = Path.of(args[++i]);
                case "--labels" -> labelFile = Path.of(args[++i]);
                case "--folds" -> folds = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--groups" -> groupFile = Path.of(args[++i]);
                default -> specs.add(args[i]);
            }
        }
        List<String> classes = Files.readAllLines(labelFile, StandardCharsets.UTF_8).stream()
                .filter(s -> !s.isBlank()).toList();
        boolean[][] y = gold(trainGold, classes);
        float[][] x = embeddings(train, y.length);
        boolean[][] vy = validation == null ? null : gold(validationGold, classes);
        float[][] vx = validation == null ? null : embeddings(validation, vy.length);
        for (String spec : specs) {
            int per = Integer.MAX_VALUE;
            String base = spec;
            if (spec.contains("+per")) {
                per = Integer.parseInt(spec.substring(spec.indexOf("+per") + 4));
                base = spec.substring(0, spec.indexOf("+per"));
            }
            TrainingOptions options = options(base).withSeed(seed).withThreads(threads);
            int[] rows = per == Integer.MAX_VALUE ? all(y.length) : subsample(y, per, seed);
            float[][] sx = new float[rows.length][];
            boolean[][] sy = new boolean[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                sx[i] = x[rows[i]];
                sy[i] = y[rows[i]];
            }
            long t0 = System.nanoTime();
            CrossValidationResult cv;
            if (groupFile == null) {
                cv = HeadCrossValidator.crossValidateMultiLabel(sx, sy, folds, seed, options);
            } else {
                List<String> all = Files.readAllLines(groupFile, StandardCharsets.UTF_8);
                List<String> groups = new ArrayList<>();
                for (int row : rows) {
                    groups.add(all.get(row));
                }
                cv = HeadCrossValidator.crossValidateMultiLabel(sx, sy,
                        HeadCrossValidator.groupFolds(groups, folds, seed), options);
            }
            double cvSeconds = (System.nanoTime() - t0) / 1e9;
            double[][] logits = cv.logits();
            double[] half = new double[classes.size()];
            Arrays.fill(half, 0.5);
            MultiLabelScores raw = MultiLabelScores.of(sy, MultiLabelScores.select(cv.probabilities(), half));
            PerValueCalibration calibration = PerValueCalibration.fit(logits, sy);
            double[][] calibrated = calibration.probabilities(logits);
            double[] thresholds = DecisionThresholds.maximiseF1(calibrated, sy);
            MultiLabelScores tuned = MultiLabelScores.of(sy, MultiLabelScores.select(calibrated, thresholds));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "%-34s rows %5d  cv@0.5 macro %.4f micro %.4f | cv tuned macro %.4f micro %.4f | %.0f s",
                    spec, rows.length, raw.macroF1(), raw.microF1(), tuned.macroF1(), tuned.microF1(), cvSeconds));
            if (vx != null) {
                Head head = calibration.applyTo(HeadTrainer.of(options).trainMultiLabel(sx, sy).head());
                MultiLabelScores v = MultiLabelScores.of(vy,
                        MultiLabelScores.select(head.probabilities(vx), thresholds));
                line.append(String.format(Locale.ROOT, " | VALIDATION macro %.4f micro %.4f", v.macroF1(),
                        v.microF1()));
                StringBuilder per1 = new StringBuilder("    per-class validation F1:");
                for (int c = 0; c < classes.size(); c++) {
                    per1.append(String.format(Locale.ROOT, " %s=%.3f", classes.get(c), v.f1()[c]));
                }
                line.append('\n').append(per1);
            }
            StringBuilder perCv = new StringBuilder("    per-class cv F1 (tuned):");
            for (int c = 0; c < classes.size(); c++) {
                perCv.append(String.format(Locale.ROOT, " %.3f", tuned.f1()[c]));
            }
            System.out.println(line);
            System.out.println(perCv);
            System.out.flush();
        }
    }

    static TrainingOptions options(String spec) {
        String[] p = spec.split(":");
        return switch (p[0]) {
            case "linear" -> TrainingOptions.softmax().withClassWeights(weights(p[1])).withL2(Double.parseDouble(p[2]));
            case "mlp" -> TrainingOptions.mlp(Integer.parseInt(p[1])).withClassWeights(weights(p[2]))
                    .withL2(Double.parseDouble(p[3]));
            default -> throw new IllegalArgumentException("unknown spec " + spec);
        };
    }

    private static ClassWeights weights(String s) {
        return ClassWeights.valueOf(s.toUpperCase(Locale.ROOT));
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /**
     * A learning-curve sample: rows are taken in a seeded random order and kept while some class they carry has
     * fewer than {@code per} kept rows (rows with no class are kept in the proportion they have overall), so each
     * class gets about {@code per} positive examples (a rare class with fewer gets all of them).
     */
    static int[] subsample(boolean[][] y, int per, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        int[] kept = new int[y[0].length];
        List<Integer> out = new ArrayList<>();
        for (int i : order) {
            boolean need = false;
            for (int c = 0; c < kept.length; c++) {
                need |= y[i][c] && kept[c] < per;
            }
            if (need) {
                out.add(i);
                for (int c = 0; c < kept.length; c++) {
                    kept[c] += y[i][c] ? 1 : 0;
                }
            }
        }
        return out.stream().sorted().mapToInt(Integer::intValue).toArray();
    }

    static boolean[][] gold(Path file, List<String> classes) throws IOException {
        List<boolean[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            boolean[] row = new boolean[classes.size()];
            for (JsonNode l : node.get("labels")) {
                int c = classes.indexOf(l.asText());
                if (c < 0) {
                    throw new IllegalArgumentException(file + ": unknown label " + l);
                }
                row[c] = true;
            }
            rows.add(row);
        }
        return rows.toArray(new boolean[0][]);
    }

    static float[][] embeddings(Path file, int rows) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int dimension = bytes.length / Float.BYTES / rows;
        if ((long) dimension * rows * Float.BYTES != bytes.length) {
            throw new IllegalArgumentException(file + " has " + bytes.length + " bytes, not " + rows + " rows");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[rows][dimension];
        for (int i = 0; i < rows; i++) {
            b.asFloatBuffer().get(out[i]);
            b.position(b.position() + dimension * Float.BYTES);
        }
        return out;
    }
}
