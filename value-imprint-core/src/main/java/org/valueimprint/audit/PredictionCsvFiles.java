package org.valueimprint.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;
import org.valueimprint.internal.OutputFiles;
import org.valueimprint.report.OutputFileException;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * The prediction CSVs one audit writes ({@link ValueAuditor.Builder#predictionsCsv}), crash-safe.
 *
 * <p>Each CSV is written to a file beside its target and moved into place when the audit has finished, so the target
 * never holds a half-written CSV. Without a checkpoint that file is a temporary one ({@code .NAME.RANDOM.tmp}),
 * removed when the audit fails. With a checkpoint it is {@code NAME.partial}: every checkpoint first forces it to disk
 * and records its length and rows ({@link Checkpoint.CsvState}); a resumed audit cuts it back to that length (dropping
 * rows of batches the checkpoint does not hold, which are classified again) and appends, so the finished CSV holds
 * every record exactly once. The final checkpoint is written before the move; a resume from a finished checkpoint
 * completes a move a kill interrupted and otherwise leaves the finished CSV alone.
 *
 * <p>Used on the audit's calling thread only.
 */
final class PredictionCsvFiles implements PredictionListener {
    /** The suffix of a CSV being written under a checkpoint. */
    static final String PARTIAL_SUFFIX = ".partial";

    private final Map<Path, Path> working = new LinkedHashMap<>(); // target -> file being written
    private final Map<Path, PredictionCsvWriter> writers = new LinkedHashMap<>();
    private final boolean checkpointed;

    private PredictionCsvFiles(boolean checkpointed) {
        this.checkpointed = checkpointed;
    }

    /** A target as the checkpoint names it: absolute and normalised. */
    static Path canonical(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** The file a CSV is written to under a checkpoint, beside its target. */
    static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + PARTIAL_SUFFIX);
    }

    /**
     * Opens the CSVs: fresh ones, or, when resuming, those of the checkpoint cut back to their committed length.
     *
     * @param targets where the finished CSVs go
     * @param checkpointed whether the audit checkpoints (then the CSVs are written to {@code NAME.partial})
     * @param resumed the checkpoint resumed from, if any
     * @param checkpointFile the checkpoint's file, for messages
     * @throws CheckpointException when the checkpoint was made with other CSVs, or a CSV it committed is missing or
     *     shorter than committed
     * @throws OutputFileException when a CSV cannot be created
     */
    static PredictionCsvFiles open(List<Path> targets, ValueTaxonomy taxonomy, boolean checkpointed,
            Optional<Checkpoint> resumed, Optional<Path> checkpointFile) {
        PredictionCsvFiles files = new PredictionCsvFiles(checkpointed);
        List<Path> wanted = targets.stream().map(PredictionCsvFiles::canonical).distinct().toList();
        if (resumed.isPresent()) {
            Set<Path> saved = resumed.get().csvs.stream().map(Checkpoint.CsvState::file)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!saved.equals(new TreeSet<>(wanted))) {
                throw new CheckpointException("cannot resume from the checkpoint " + checkpointFile.orElseThrow()
                        + ": it was made with the predictions CSV " + describe(saved) + ", this run asks for "
                        + describe(wanted) + " (a CSV must see every record, so it cannot be added or dropped when"
                        + " resuming). Ask for the same CSV files, or delete " + checkpointFile.orElseThrow()
                        + " to start afresh.");
            }
        }
        Path current = null;
        try {
            for (Path target : wanted) {
                current = target;
                Optional<Checkpoint.CsvState> state = resumed.flatMap(c -> c.csvs.stream()
                        .filter(s -> s.file().equals(target)).findFirst());
                if (state.isPresent() && resumed.get().complete) {
                    files.finishInterruptedMove(state.get(), checkpointFile.orElseThrow());
                    continue;
                }
                Path file;
                if (checkpointed) {
                    file = partial(target);
                    if (state.isPresent() && !Files.isRegularFile(file)) {
                        throw new CheckpointException("cannot resume from the checkpoint "
                                + checkpointFile.orElseThrow() + ": the partial predictions CSV " + file
                                + " it continues is missing; delete " + checkpointFile.orElseThrow()
                                + " to start afresh");
                    }
                } else {
                    file = OutputFiles.tempFile(target);
                }
                files.working.put(target, file);
                try {
                    files.writers.put(target, PredictionCsvWriter.openCommittable(file, taxonomy,
                            state.map(s -> new PredictionCsvWriter.Committed(s.bytes(), s.rows()))));
                } catch (IOException e) {
                    if (state.isPresent()) {
                        throw new CheckpointException("cannot resume from the checkpoint "
                                + checkpointFile.orElseThrow() + ": " + e.getMessage() + "; delete "
                                + checkpointFile.orElseThrow() + " to start afresh", e);
                    }
                    throw e;
                }
            }
        } catch (IOException e) {
            files.abort();
            throw new OutputFileException("cannot write the predictions CSV " + current + ": " + e, e);
        } catch (RuntimeException e) {
            files.abort();
            throw e;
        }
        return files;
    }

    private static String describe(java.util.Collection<Path> files) {
        return files.isEmpty() ? "none" : files.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** A finished checkpoint's CSV: moves the partial file into place when a kill came between the two. */
    private void finishInterruptedMove(Checkpoint.CsvState state, Path checkpointFile) throws IOException {
        if (Files.isRegularFile(state.partial())) {
            try (var ch = java.nio.channels.FileChannel.open(state.partial(),
                    java.nio.file.StandardOpenOption.WRITE)) {
                if (ch.size() < state.bytes()) {
                    throw new CheckpointException("the partial predictions CSV " + state.partial() + " is shorter"
                            + " than the finished checkpoint " + checkpointFile + " says; delete the checkpoint to"
                            + " start afresh");
                }
                ch.truncate(state.bytes());
                ch.force(true);
            }
            OutputFiles.move(state.partial(), state.file());
        } else if (!Files.isRegularFile(state.file())) {
            throw new CheckpointException("the predictions CSV " + state.file() + " of the finished checkpoint "
                    + checkpointFile + " is missing; delete the checkpoint to audit again and write it afresh");
        }
        // else: the finished CSV is in place; leave it alone
    }

    /** Whether any CSV is being written (none when resuming from a finished checkpoint). */
    boolean writing() {
        return !writers.isEmpty();
    }

    @Override
    public void prediction(PreferenceRecord record, Side side, ValuePrediction prediction) {
        for (Map.Entry<Path, PredictionCsvWriter> e : writers.entrySet()) {
            try {
                e.getValue().prediction(record, side, prediction);
            } catch (UncheckedIOException ex) {
                throw new OutputFileException("cannot write the predictions CSV " + e.getKey() + ": "
                        + ex.getCause(), ex.getCause());
            }
        }
    }

    /**
     * Forces every CSV to disk and says how far each is written, for the checkpoint about to be saved.
     *
     * @param resumedStates the states of a finished checkpoint's CSVs, kept as they are
     * @throws OutputFileException when a CSV cannot be written
     */
    List<Checkpoint.CsvState> commit(List<Checkpoint.CsvState> resumedStates) {
        List<Checkpoint.CsvState> states = new ArrayList<>();
        for (Map.Entry<Path, PredictionCsvWriter> e : writers.entrySet()) {
            try {
                PredictionCsvWriter.Committed c = e.getValue().commit();
                states.add(new Checkpoint.CsvState(e.getKey(), canonical(working.get(e.getKey())), c.bytes(),
                        c.rows()));
            } catch (IOException ex) {
                throw new OutputFileException("cannot write the predictions CSV " + e.getKey() + ": " + ex, ex);
            }
        }
        if (writers.isEmpty()) {
            states.addAll(resumedStates);
        }
        return states;
    }

    /**
     * Closes every CSV and moves it into place: called once the audit has finished (and, with a checkpoint, after
     * the final checkpoint is saved).
     *
     * @throws OutputFileException when a CSV cannot be closed or moved
     */
    void finish() {
        Path current = null;
        try {
            for (Map.Entry<Path, PredictionCsvWriter> e : writers.entrySet()) {
                current = e.getKey();
                e.getValue().close();
                OutputFiles.move(working.get(e.getKey()), e.getKey());
            }
            writers.clear();
        } catch (IOException e) {
            abort();
            throw new OutputFileException("cannot write the predictions CSV " + current + ": " + e, e);
        }
    }

    /**
     * Closes every CSV after a failure. Without a checkpoint the temporary files are removed; with one the partial
     * files stay for the resume (which cuts them back to the checkpoint). Never throws.
     */
    void abort() {
        for (Map.Entry<Path, PredictionCsvWriter> e : writers.entrySet()) {
            try {
                e.getValue().close();
            } catch (IOException | RuntimeException ignored) {
                // the audit's own error is the one to report
            }
        }
        writers.clear();
        if (!checkpointed) {
            for (Path p : working.values()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
