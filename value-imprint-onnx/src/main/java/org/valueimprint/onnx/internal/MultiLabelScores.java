package org.valueimprint.onnx.internal;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Multi-label scores of the ONNX trainer's cross-validation and of the measurement tools. Not API: multi-label
 * evaluation belongs to {@code org.valueimprint.eval}; this small helper lets the trainer write a multi-label
 * model's {@code evaluation.json} meanwhile. Computed as Touché23-ValueEval defines them: per class precision,
 * recall and F1 of the selected values against the gold ones (F1 = 2 TP / (2 TP + FP + FN), 0 when the class is
 * neither gold nor selected anywhere); macro F1 = the mean of the per-class F1s; micro F1 = 2 TP / (2 TP + FP + FN)
 * over all (row, class) pairs.
 *
 * @param precision per class
 * @param recall per class
 * @param f1 per class
 * @param support gold positives per class
 * @param macroF1 mean of {@code f1}
 * @param microF1 pooled F1
 */
public record MultiLabelScores(double[] precision, double[] recall, double[] f1, int[] support, double macroF1,
        double microF1) {

    /**
     * Scores {@code selected} against {@code gold} (same shape).
     *
     * @throws IllegalArgumentException when there are no rows or the row counts differ
     */
    public static MultiLabelScores of(boolean[][] gold, boolean[][] selected) {
        checkArgument(gold.length == selected.length && gold.length > 0, "%s gold rows, %s predicted", gold.length,
                selected.length);
        int k = gold[0].length;
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        int[] support = new int[k];
        long tpAll = 0;
        long fpAll = 0;
        long fnAll = 0;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < gold.length; i++) {
                if (gold[i][c] && selected[i][c]) {
                    tp++;
                } else if (selected[i][c]) {
                    fp++;
                } else if (gold[i][c]) {
                    fn++;
                }
            }
            support[c] = tp + fn;
            precision[c] = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            recall[c] = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            f1[c] = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            sum += f1[c];
            tpAll += tp;
            fpAll += fp;
            fnAll += fn;
        }
        double micro = tpAll == 0 ? 0 : 2.0 * tpAll / (2.0 * tpAll + fpAll + fnAll);
        return new MultiLabelScores(precision, recall, f1, support, sum / k, micro);
    }

    /** Selects class {@code c} of a row when its probability reaches {@code thresholds[c]}. */
    public static boolean[][] select(double[][] probabilities, double[] thresholds) {
        boolean[][] out = new boolean[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            out[i] = new boolean[thresholds.length];
            for (int c = 0; c < thresholds.length; c++) {
                out[i][c] = probabilities[i][c] >= thresholds[c];
            }
        }
        return out;
    }

    /**
     * These scores as JSON, with the keys of the evaluate command's multi-label output: {@code macro_f1},
     * {@code micro_f1} and {@code per_class} ({@code label}, {@code precision}, {@code recall}, {@code f1},
     * {@code support}), after {@code facts} (string pairs, such as what was scored, first).
     *
     * @param labels the class labels, in order
     * @param facts leading key-value pairs
     */
    public String toJson(List<String> labels, java.util.Map<String, String> facts) {
        checkArgument(labels.size() == f1.length, "%s labels for %s classes", labels.size(), f1.length);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        facts.forEach(root::put);
        root.put("macro_f1", macroF1);
        root.put("micro_f1", microF1);
        ArrayNode per = root.putArray("per_class");
        for (int c = 0; c < f1.length; c++) {
            ObjectNode o = per.addObject();
            o.put("label", labels.get(c));
            o.put("precision", precision[c]);
            o.put("recall", recall[c]);
            o.put("f1", f1[c]);
            o.put("support", support[c]);
        }
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
