package org.valueimprint.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.data.Side;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.ReadOptions;

/**
 * Everything a task needs to read and classify its rows as the driver's auditor would: the serializable form of a
 * {@link SparkValueAuditor}'s options (the core's option types are not serializable), rebuilt into a
 * {@link ValueAuditor} on each executor.
 */
record AuditSpec(
        ClassifierLoader loader,
        String name,
        ArrayList<Side> sides,
        int budgetChars,
        int batchSize,
        int threads,
        double lowConfidenceThreshold,
        int examplesPerValue,
        TreeMap<String, String> settings,
        String format,
        ErrorPolicy errorPolicy,
        int maxRecordBytes,
        int maxNestingDepth,
        String datasetName,
        ArrayList<String> fieldMapping) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The form of read options; a custom format object cannot travel, only a format's name. */
    static AuditSpec of(ClassifierLoader loader, String name, EnumSet<Side> sides, int budgetChars, int batchSize,
            int threads, double lowConfidenceThreshold, int examplesPerValue, TreeMap<String, String> settings,
            ReadOptions read) {
        if (read.customFormat().isPresent()) {
            throw new IllegalArgumentException("a format given as an object (" + read.format().orElseThrow()
                    + ") cannot be sent to Spark executors: list it in META-INF/services/org.valueimprint.io"
                    + ".DatasetFormat in the job's jar and name it");
        }
        ArrayList<String> mapping = read.fieldMapping().map(m -> new ArrayList<>(java.util.Arrays.asList(m.chosen(),
                m.rejected().orElse(null), m.prompt().orElse(null), m.id().orElse(null), m.tie().orElse(null),
                m.chosenScore().orElse(null), m.rejectedScore().orElse(null)))).orElse(null);
        return new AuditSpec(loader, name, new ArrayList<>(sides), budgetChars, batchSize, threads,
                lowConfidenceThreshold, examplesPerValue, new TreeMap<>(settings), read.format().orElse(null),
                read.errorPolicy(), read.maxRecordBytes(), read.maxNestingDepth(), read.datasetName().orElse(null),
                mapping);
    }

    /** This spec with the format named (as detected on the driver). */
    AuditSpec withFormat(String detected) {
        return new AuditSpec(loader, name, sides, budgetChars, batchSize, threads, lowConfidenceThreshold,
                examplesPerValue, settings, detected, errorPolicy, maxRecordBytes, maxNestingDepth, datasetName,
                fieldMapping);
    }

    /** The read options. */
    ReadOptions readOptions() {
        ReadOptions.Builder b = ReadOptions.builder().errorPolicy(errorPolicy).maxRecordBytes(maxRecordBytes)
                .maxNestingDepth(maxNestingDepth);
        if (format != null) {
            b.format(format);
        }
        if (datasetName != null) {
            b.datasetName(datasetName);
        }
        if (fieldMapping != null) {
            List<String> m = fieldMapping;
            b.fieldMapping(new FieldMapping(m.get(0), Optional.ofNullable(m.get(1)), Optional.ofNullable(m.get(2)),
                    Optional.ofNullable(m.get(3)), Optional.ofNullable(m.get(4)), Optional.ofNullable(m.get(5)),
                    Optional.ofNullable(m.get(6))));
        }
        return b.build();
    }

    /** The auditor of these options over {@code classifier}, with {@code threads} workers. */
    ValueAuditor auditor(ValueClassifier classifier, int workerThreads) {
        ValueAuditor.Builder b = ValueAuditor.builder(classifier).sides(EnumSet.copyOf(sides))
                .textBudgetChars(budgetChars).batchSize(batchSize).threads(workerThreads)
                .readOptions(readOptions()).lowConfidenceThreshold(lowConfidenceThreshold)
                .examplesPerValue(examplesPerValue);
        settings.forEach(b::setting);
        return b.build();
    }
}
