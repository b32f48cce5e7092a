package org.valueimprint.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * The pair counts of one source: the joint table of top values and the preference analysis's counts by length-ratio
 * bin. Exact integers only. Mutable; confined to one thread.
 *
 * <p>For a multi-label taxonomy it also counts, per value and over the compared (untied) pairs, those where only the
 * chosen side carries the value (has it selected), only the rejected side, or both; null arrays for a single-label
 * taxonomy, whose JSON form is unchanged.
 */
final class PairTally {
    /** The number of length-ratio bins: {@code < 0.5, [0.5, 0.8), [0.8, 1.25), [1.25, 2), >= 2}. */
    static final int BINS = 5;
    /** The index of the bin holding ratio 1. */
    static final int EVEN_BIN = 2;

    final int size;
    long pairs;
    long ties;
    long compared;
    long differing;
    final long[][] joint;
    final long[] binPairs = new long[BINS];
    final long[][] chosenByBin;
    final long[][] rejectedByBin;
    /** Longer chosen, shorter chosen, equal length: among differing pairs, then among all compared pairs. */
    final long[] lengthDiffering = new long[3];
    final long[] lengthAll = new long[3];
    /** Multi-label only (else null): per value, compared pairs where only the chosen side carries it. */
    final long[] chosenOnly;
    /** Multi-label only (else null): per value, compared pairs where only the rejected side carries it. */
    final long[] rejectedOnly;
    /** Multi-label only (else null): per value, compared pairs where both sides carry it. */
    final long[] bothCarry;

    PairTally(int size) {
        this(size, false);
    }

    PairTally(int size, boolean multiLabel) {
        this.size = size;
        this.joint = new long[size][size];
        this.chosenByBin = new long[BINS][size];
        this.rejectedByBin = new long[BINS][size];
        this.chosenOnly = multiLabel ? new long[size] : null;
        this.rejectedOnly = multiLabel ? new long[size] : null;
        this.bothCarry = multiLabel ? new long[size] : null;
    }

    /** Adds the selected values of a compared (untied) pair's two sides (multi-label). */
    void addCarried(org.valueimprint.classify.ValuePrediction chosen,
            org.valueimprint.classify.ValuePrediction rejected) {
        for (int i = 0; i < size; i++) {
            boolean c = chosen.isSelected(i);
            boolean r = rejected.isSelected(i);
            if (c && r) {
                bothCarry[i]++;
            } else if (c) {
                chosenOnly[i]++;
            } else if (r) {
                rejectedOnly[i]++;
            }
        }
    }

    /**
     * The length-ratio bin of {@code chosen / rejected}, computed in exact integer arithmetic: a rejected length of
     * 0 gives the last bin, or the even bin when the chosen length is 0 too.
     */
    static int bin(long chosen, long rejected) {
        if (rejected == 0) {
            return chosen == 0 ? EVEN_BIN : BINS - 1;
        }
        if (2 * chosen < rejected) {
            return 0; // ratio < 0.5
        }
        if (5 * chosen < 4 * rejected) {
            return 1; // ratio < 0.8
        }
        if (4 * chosen < 5 * rejected) {
            return 2; // ratio < 1.25
        }
        if (chosen < 2 * rejected) {
            return 3; // ratio < 2
        }
        return 4;
    }

    private static int lengthOutcome(long chosen, long rejected) {
        return chosen > rejected ? 0 : chosen < rejected ? 1 : 2;
    }

    void add(int chosenTop, int rejectedTop, boolean tie, long chosenLength, long rejectedLength) {
        pairs++;
        joint[chosenTop][rejectedTop]++;
        if (tie) {
            ties++;
            return;
        }
        compared++;
        int outcome = lengthOutcome(chosenLength, rejectedLength);
        lengthAll[outcome]++;
        if (chosenTop != rejectedTop) {
            differing++;
            lengthDiffering[outcome]++;
            int b = bin(chosenLength, rejectedLength);
            binPairs[b]++;
            chosenByBin[b][chosenTop]++;
            rejectedByBin[b][rejectedTop]++;
        }
    }

    void addAll(PairTally o) {
        pairs += o.pairs;
        ties += o.ties;
        compared += o.compared;
        differing += o.differing;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                joint[i][j] += o.joint[i][j];
            }
        }
        for (int b = 0; b < BINS; b++) {
            binPairs[b] += o.binPairs[b];
            for (int i = 0; i < size; i++) {
                chosenByBin[b][i] += o.chosenByBin[b][i];
                rejectedByBin[b][i] += o.rejectedByBin[b][i];
            }
        }
        for (int i = 0; i < 3; i++) {
            lengthDiffering[i] += o.lengthDiffering[i];
            lengthAll[i] += o.lengthAll[i];
        }
        if (chosenOnly != null) {
            for (int i = 0; i < size; i++) {
                chosenOnly[i] += o.chosenOnly[i];
                rejectedOnly[i] += o.rejectedOnly[i];
                bothCarry[i] += o.bothCarry[i];
            }
        }
    }

    PairTally copy() {
        PairTally c = new PairTally(size, chosenOnly != null);
        c.addAll(this);
        return c;
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("pairs", pairs);
        o.put("ties", ties);
        o.put("compared", compared);
        o.put("differing", differing);
        putMatrix(o, "joint", joint);
        Json.putLongs(o, "bin_pairs", binPairs);
        putMatrix(o, "chosen_by_bin", chosenByBin);
        putMatrix(o, "rejected_by_bin", rejectedByBin);
        Json.putLongs(o, "length_differing", lengthDiffering);
        Json.putLongs(o, "length_all", lengthAll);
        if (chosenOnly != null) {
            Json.putLongs(o, "value_chosen_only", chosenOnly);
            Json.putLongs(o, "value_rejected_only", rejectedOnly);
            Json.putLongs(o, "value_both", bothCarry);
        }
        return o;
    }

    static PairTally fromJson(JsonNode o, int size, boolean multiLabel) {
        PairTally t = new PairTally(size, multiLabel);
        t.pairs = Json.requireLong(o, "pairs");
        t.ties = Json.requireLong(o, "ties");
        t.compared = Json.requireLong(o, "compared");
        t.differing = Json.requireLong(o, "differing");
        readMatrix(o, "joint", t.joint);
        Json.readLongs(o, "bin_pairs", t.binPairs);
        readMatrix(o, "chosen_by_bin", t.chosenByBin);
        readMatrix(o, "rejected_by_bin", t.rejectedByBin);
        Json.readLongs(o, "length_differing", t.lengthDiffering);
        Json.readLongs(o, "length_all", t.lengthAll);
        if (multiLabel) {
            Json.readLongs(o, "value_chosen_only", t.chosenOnly);
            Json.readLongs(o, "value_rejected_only", t.rejectedOnly);
            Json.readLongs(o, "value_both", t.bothCarry);
        }
        return t;
    }

    private static void putMatrix(ObjectNode o, String field, long[][] m) {
        Json.putMatrix(o, field, m);
    }

    private static void readMatrix(JsonNode o, String field, long[][] into) {
        Json.readMatrix(o, field, into);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairTally t && pairs == t.pairs && ties == t.ties && compared == t.compared
                && differing == t.differing && Arrays.deepEquals(joint, t.joint)
                && Arrays.equals(binPairs, t.binPairs) && Arrays.deepEquals(chosenByBin, t.chosenByBin)
                && Arrays.deepEquals(rejectedByBin, t.rejectedByBin)
                && Arrays.equals(lengthDiffering, t.lengthDiffering) && Arrays.equals(lengthAll, t.lengthAll)
                && Arrays.equals(chosenOnly, t.chosenOnly) && Arrays.equals(rejectedOnly, t.rejectedOnly)
                && Arrays.equals(bothCarry, t.bothCarry);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pairs) * 31 + Arrays.deepHashCode(joint);
    }
}
