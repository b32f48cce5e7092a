package org.valueimprint.benchmarks.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Prints the padding waste (padded tokens over real tokens, less 1) of the batches an audit of a dataset feeds the
 * default encoder: the classifier calls a {@link ValueAuditor} makes (both sides' distinct texts of {@code N}
 * consecutive records, cut to 1,200 characters), recorded, then cut by the encoder's {@link BatchPolicy}, for several
 * auditor batch sizes, beside batches of 8 texts in input order.
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
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"),
                EncoderOptions.defaults())) {
            BatchPolicy policy = EncoderOptions.defaults().batchPolicy();
            System.out.printf(Locale.ROOT, "%s%n", inputs);
            List<String> firstAudit = null;
            for (int size : sizes) {
                List<List<String>> calls = auditorCalls(inputs, size);
                long[] totals = new long[3]; // real, padded, texts
                for (List<String> call : calls) {
                    for (int w = 0; w < call.size(); w += policy.window()) {
                        int[] lengths = encoder.sequenceLengths(call.subList(w, Math.min(call.size(),
                                w + policy.window())));
                        add(totals, lengths, policy.plan(lengths));
                    }
                }
                System.out.printf(Locale.ROOT, "auditor batch %4d records, encoder %s: %,d texts, %,d real tokens"
                        + " (%.0f a text), padding waste %.1f%%%n", size, policy, totals[2], totals[0],
                        (double) totals[0] / totals[2], 100.0 * (totals[1] - totals[0]) / totals[0]);
                if (firstAudit == null) {
                    firstAudit = calls.stream().flatMap(List::stream).toList();
                }
            }
            int[] lengths = encoder.sequenceLengths(firstAudit);
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

    /**
     * The texts of every classifier call a {@link ValueAuditor} makes when it audits {@code inputs} in batches of
     * {@code recordsPerBatch} records, recorded by a classifier that predicts nothing of interest. Records the readers
     * refuse (13 of the hh-rlhf test split have no final reply) are skipped, as {@code --on-error skip} does.
     */
    static List<List<String>> auditorCalls(List<Path> inputs, int recordsPerBatch) {
        List<List<String>> calls = new ArrayList<>();
        ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
        double[] uniform = new double[taxonomy.labels().size()];
        Arrays.fill(uniform, 1.0 / uniform.length);
        ValueClassifier recording = new ValueClassifier() {
            @Override
            public ValueTaxonomy taxonomy() {
                return taxonomy;
            }

            @Override
            public ClassifierInfo info() {
                return new ClassifierInfo("recording", "records the auditor's calls", "", Map.of());
            }

            @Override
            public List<ValuePrediction> classify(List<String> texts) {
                calls.add(List.copyOf(texts));
                return Collections.nCopies(texts.size(), ValuePrediction.of(taxonomy, uniform));
            }

            @Override
            public void close() {}
        };
        ValueAuditor.builder(recording).batchSize(recordsPerBatch)
                .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).build()
                .audit(inputs.toArray(Path[]::new));
        return calls;
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
