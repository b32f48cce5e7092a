package org.valueimprint.audit;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The child process of {@link CheckpointTest#aKilledProcessResumesToTheSameReport}: audits the first records of the
 * hh-rlhf harmless test file slowly (skipping the records the reader refuses), checkpointing after every batch,
 * until the test kills it.
 *
 * <p>Arguments: checkpoint directory, record limit, batch size, milliseconds to sleep per classifier call, and
 * optionally a predictions CSV to write ({@link ValueAuditor.Builder#predictionsCsv}).
 */
public final class CheckpointChild {
    private CheckpointChild() {}

    public static void main(String[] args) {
        Path checkpoint = Path.of(args[0]);
        long limit = Long.parseLong(args[1]);
        int batch = Integer.parseInt(args[2]);
        long sleep = Long.parseLong(args[3]);
        ValueAuditor.Builder b = ValueAuditor.builder(new KeywordClassifier(sleep, Integer.MAX_VALUE, Optional.empty()))
                .readOptions(ValueAuditorTest.SKIP).limit(limit).batchSize(batch).checkpoint(checkpoint, 1);
        if (args.length > 4) {
            b.predictionsCsv(Path.of(args[4]));
        }
        b.build().audit(ValueAuditorTest.HARMLESS);
        System.out.println("finished");
    }
}
