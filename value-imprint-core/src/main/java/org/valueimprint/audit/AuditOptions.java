package org.valueimprint.audit;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.valueimprint.data.Side;
import org.valueimprint.data.TextBudget;
import org.valueimprint.io.ReadOptions;

/**
 * The options of a {@link ValueAuditor}, set through {@link ValueAuditor.Builder}.
 *
 * @param sides the sides classified, each separately; not empty
 * @param textBudget how much of each text the classifier sees
 * @param textBudgetDescription the budget as text, for provenance and checkpoints, such as {@code "chars:1200"}
 * @param batchSize records per batch: the batch's distinct texts, all sides together, go to the classifier in one
 *     call; batches are
 *     consecutive input records, so their composition never depends on thread timing
 * @param threads worker threads calling the classifier
 * @param readOptions how {@link ValueAuditor#audit(Path...)} reads files
 * @param limit audit only the first this many records
 * @param sample audit a seeded random sample of this many records (of the first {@code limit}, when both are set)
 * @param lowConfidenceThreshold a text whose top probability is under this counts as low-confidence
 * @param examplesPerValue examples kept per side and value
 * @param checkpointDirectory where to checkpoint and from where to resume; empty for none
 * @param checkpointInterval batches between checkpoints
 * @param settings further settings that change the report but are decided outside the auditor, such as the
 *     classifier's prediction policy ({@code abstain_below}): name to value, copied and sorted; they enter
 *     {@link #describe()}, hence the report's provenance and the checkpoint's identity
 */
public record AuditOptions(
        Set<Side> sides,
        TextBudget textBudget,
        String textBudgetDescription,
        int batchSize,
        int threads,
        ReadOptions readOptions,
        OptionalLong limit,
        Optional<Sample> sample,
        double lowConfidenceThreshold,
        int examplesPerValue,
        Optional<Path> checkpointDirectory,
        int checkpointInterval,
        Map<String, String> settings) {

    /** The names {@link #describe()} gives the auditor's own options; a setting may not take one. */
    public static final Set<String> OPTION_NAMES = Set.of("sides", "text_budget", "batch_size", "format", "on_error",
            "max_record_bytes", "max_nesting_depth", "dataset_name", "field_mapping", "limit", "sample",
            "low_confidence_threshold", "examples_per_value", "max_skipped_share");

    /** The options without further settings; see the canonical constructor. */
    public AuditOptions(Set<Side> sides, TextBudget textBudget, String textBudgetDescription, int batchSize,
            int threads, ReadOptions readOptions, OptionalLong limit, Optional<Sample> sample,
            double lowConfidenceThreshold, int examplesPerValue, Optional<Path> checkpointDirectory,
            int checkpointInterval) {
        this(sides, textBudget, textBudgetDescription, batchSize, threads, readOptions, limit, sample,
                lowConfidenceThreshold, examplesPerValue, checkpointDirectory, checkpointInterval, Map.of());
    }

    /**
     * A seeded random sample: {@code size} records drawn uniformly without replacement by reservoir sampling with
     * {@link java.util.Random}{@code (seed)}, then audited in input order. The same input, size and seed always
     * give the same sample.
     *
     * @param size how many records; positive
     * @param seed the random seed
     */
    public record Sample(long size, long seed) {
        /**
         * Validates the size.
         *
         * @throws IllegalArgumentException if {@code size} is not positive or over {@link Integer#MAX_VALUE} - 8
         */
        public Sample {
            checkArgument(size > 0 && size <= Integer.MAX_VALUE - 8, "sample size must be in [1, %s], was %s",
                    Integer.MAX_VALUE - 8, size);
        }
    }

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if a number is out of range or no side is given
     */
    public AuditOptions {
        requireNonNull(sides, "sides");
        checkArgument(!sides.isEmpty(), "at least one side must be audited");
        sides = Collections.unmodifiableSet(EnumSet.copyOf(sides));
        requireNonNull(textBudget, "textBudget");
        requireNonNull(textBudgetDescription, "textBudgetDescription");
        checkArgument(batchSize > 0, "batchSize must be positive, was %s", batchSize);
        checkArgument(threads > 0, "threads must be positive, was %s", threads);
        requireNonNull(readOptions, "readOptions");
        requireNonNull(limit, "limit");
        checkArgument(limit.isEmpty() || limit.getAsLong() >= 0, "limit must be >= 0, was %s", limit);
        requireNonNull(sample, "sample");
        checkArgument(lowConfidenceThreshold >= 0 && lowConfidenceThreshold <= 1,
                "lowConfidenceThreshold must be in [0, 1], was %s", lowConfidenceThreshold);
        checkArgument(examplesPerValue >= 0, "examplesPerValue must be >= 0, was %s", examplesPerValue);
        requireNonNull(checkpointDirectory, "checkpointDirectory");
        checkArgument(checkpointInterval > 0, "checkpointInterval must be positive, was %s", checkpointInterval);
        requireNonNull(settings, "settings");
        settings.forEach((k, v) -> {
            checkArgument(k != null && !k.isBlank() && v != null, "a setting needs a name and a value: %s=%s", k, v);
            checkArgument(!OPTION_NAMES.contains(k), "the setting %s is one of the auditor's own options", k);
        });
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /**
     * The options that decide the report's content, as text, sorted by name: {@code sides}, {@code text_budget},
     * {@code batch_size}, {@code format}, {@code on_error}, {@code max_record_bytes}, {@code max_nesting_depth},
     * {@code dataset_name}, {@code field_mapping}, {@code max_skipped_share}, {@code limit}, {@code sample}, {@code low_confidence_threshold},
     * {@code examples_per_value}, and then the {@link #settings()}. Threads and checkpointing are left out: they
     * never change a report. Reports carry this map in their provenance, and checkpoints compare it when resuming.
     */
    public Map<String, String> describe() {
        Map<String, String> m = new TreeMap<>();
        m.put("sides", sides.stream().map(Side::key).collect(Collectors.joining(",")));
        m.put("text_budget", textBudgetDescription);
        m.put("batch_size", Integer.toString(batchSize));
        m.put("format", readOptions.format().orElse("detect"));
        m.put("on_error", readOptions.errorPolicy().name().toLowerCase(Locale.ROOT));
        m.put("max_record_bytes", Integer.toString(readOptions.maxRecordBytes()));
        m.put("max_nesting_depth", Integer.toString(readOptions.maxNestingDepth()));
        m.put("max_skipped_share", Double.toString(readOptions.maxSkippedShare()));
        m.put("dataset_name", readOptions.datasetName().orElse("from file names"));
        m.put("field_mapping", readOptions.fieldMapping().map(Object::toString).orElse("none"));
        m.put("limit", limit.isPresent() ? Long.toString(limit.getAsLong()) : "none");
        m.put("sample", sample.map(s -> s.size() + " records, seed " + s.seed()).orElse("none"));
        m.put("low_confidence_threshold", Double.toString(lowConfidenceThreshold));
        m.put("examples_per_value", Integer.toString(examplesPerValue));
        m.putAll(settings);
        return Collections.unmodifiableMap(m);
    }
}
