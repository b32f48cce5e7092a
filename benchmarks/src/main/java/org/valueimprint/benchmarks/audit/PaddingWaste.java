package org.valueimprint.benchmarks.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;
import org.valueimprint.data.TextBudget;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;

/**
 * Prints the padding waste (padded tokens over real tokens, less 1) of the batches an audit of a dataset feeds the
 * default encoder: the auditor's classifier calls (both sides' distinct texts of {@code N} consecutive records, cut to
 * 1,200 characters) cut by the encoder's {@link BatchPolicy}, for several auditor batch sizes, beside batches of 8
 * texts in input order.
 *
 * <pre>
 * java -cp CP org.valueimprint.benchmarks.audit.PaddingWaste FILE_OR_DIRECTORY... [RECORDS_PER_CALL...]
 * </pre>
 */
public final class PaddingWaste {
    private PaddingWaste() {}

    /** Runs the measurement; see the class comment. */
    public static void main(String[] args) {
        List<Path> inputs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            if (arg.chars().allMatch(Character::isDigit)) {
                sizes.add(Integer.parseInt(arg));
            } else {
                inputs.add(Path.of(arg));
            }
        }
        if (inputs.isEmpty()) {
            System.err.println("usage: PaddingWaste FILE_OR_DIRECTORY... [RECORDS_PER_CALL...]");
            System.exit(2);
        }
        if (sizes.isEmpty()) {
            sizes = List.of(64, 128, 256);
        }
        List<PreferenceRecord> records = new ArrayList<>();
        for (Path input : inputs) {
            try (PreferenceDataset dataset = PreferenceDatasets.open(input)) {
                dataset.forEach(records::add);
            }
        }
        TextBudget budget = TextBudget.chars(1200);
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults())) {
            BatchPolicy policy = EncoderOptions.defaults().batchPolicy();
            System.out.printf(Locale.ROOT, "%s: %,d records%n", inputs, records.size());
            for (int size : sizes) {
                long[] totals = new long[3]; // real, padded, texts
                for (int from = 0; from < records.size(); from += size) {
                    List<String> call = distinctTexts(records.subList(from, Math.min(records.size(), from + size)),
                            budget);
                    for (int w = 0; w < call.size(); w += policy.window()) {
                        int[] lengths = encoder.sequenceLengths(call.subList(w, Math.min(call.size(),
                                w + policy.window())));
                        add(totals, lengths, policy.plan(lengths));
                    }
                }
                System.out.printf(Locale.ROOT, "auditor batch %4d records, encoder %s: %,d texts, %,d real tokens"
                        + " (%.0f a text), padding waste %.1f%%%n", size, policy, totals[2], totals[0],
                        (double) totals[0] / totals[2], 100.0 * (totals[1] - totals[0]) / totals[0]);
            }
            List<String> all = new ArrayList<>();
            for (int from = 0; from < records.size(); from += 64) {
                all.addAll(distinctTexts(records.subList(from, Math.min(records.size(), from + 64)), budget));
            }
            int[] lengths = encoder.sequenceLengths(all);
            List<int[]> inOrder = new ArrayList<>();
            for (int i = 0; i < lengths.length; i += 8) {
                int[] batch = new int[Math.min(8, lengths.length - i)];
                for (int j = 0; j < batch.length; j++) {
                    batch[j] = i + j;
                }
                inOrder.add(batch);
            }
            long[] totals = new long[3];
            add(totals, lengths, inOrder);
            System.out.printf(Locale.ROOT, "batches of 8 texts in input order: padding waste %.1f%%%n",
                    100.0 * (totals[1] - totals[0]) / totals[0]);
        }
    }

    /** The auditor's input for one batch of records: each distinct fitted text of both sides, in order. */
    static List<String> distinctTexts(List<PreferenceRecord> batch, TextBudget budget) {
        Set<String> texts = new LinkedHashSet<>();
        for (PreferenceRecord r : batch) {
            for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
                Optional<Conversation> c = r.transcript(side);
                if (c.isPresent() && !c.get().isEmpty()) {
                    texts.add(budget.fit(c.get().render()));
                }
            }
        }
        return List.copyOf(texts);
    }

    private static void add(long[] totals, int[] lengths, List<int[]> batches) {
        for (int[] batch : batches) {
            int max = 0;
            for (int i : batch) {
                totals[0] += lengths[i];
                max = Math.max(max, lengths[i]);
            }
            totals[1] += (long) max * batch.length;
            totals[2] += batch.length;
        }
    }
}
