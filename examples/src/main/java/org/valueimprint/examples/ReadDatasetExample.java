package org.valueimprint.examples;

import java.nio.file.Path;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;
import org.valueimprint.data.TextBudget;
import org.valueimprint.data.TextView;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;

/**
 * Reads any supported preference dataset (format detected) and prints its first pairs as a classifier would see
 * them, then the accounting of what was read.
 */
public final class ReadDatasetExample {
    private ReadDatasetExample() {}

    /** Argument: a dataset file or directory. */
    public static void main(String[] args) {
        Path input = Path.of(args.length > 0 ? args[0] : "examples/data/politune/politune-left.first600.json");
        ReadOptions options = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
        TextView chosen = TextView.of(Side.CHOSEN).withBudget(TextBudget.chars(300));
        try (PreferenceDataset dataset = PreferenceDatasets.open(input, options)) {
            long pairs = 0;
            for (PreferenceRecord record : dataset) {
                if (record instanceof PreferencePair && pairs++ < 3) {
                    System.out.println(record.id() + " (" + record.source().describe() + ")");
                    System.out.println(chosen.text(record).orElseThrow());
                    System.out.println();
                }
            }
            System.out.println(dataset.formats());
            System.out.println(dataset.stats());
        }
    }
}
