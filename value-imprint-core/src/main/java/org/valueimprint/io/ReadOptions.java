package org.valueimprint.io;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How to read a dataset. Build with {@link #builder()}; {@link #defaults()} detects the format, fails on the first
 * bad record, allows records of up to 16 MiB nested up to 256 deep, and (when skipping) fails a file of which more
 * than half the records were skipped.
 *
 * @param format the format's name (see {@link DatasetFormats#names()}), or empty to detect it per file
 * @param errorPolicy what to do with a bad record
 * @param maxRecordBytes the largest record accepted, in bytes (UTF-8 as stored, after decompression)
 * @param maxNestingDepth the deepest JSON nesting accepted
 * @param datasetName the dataset name given to every record, or empty to derive it from each file's path
 * @param fieldMapping the field mapping of the {@code generic} format, which requires one
 * @param customFormat a format given as an object ({@link Builder#format(DatasetFormat)}) rather than found by name;
 *     when present, {@code format} is its name
 * @param maxSkippedShare under {@link ErrorPolicy#SKIP}, the largest share of a file's source records that may be
 *     skipped, in [0, 1]: a file that skips more, or that yields no good record at all (even with 1), ends the read
 *     with a {@link DatasetReadException} of kind {@link ProblemKind#TOO_MANY_SKIPPED} naming its first problem.
 *     Decided per file, at its end (records before the end have already been handed on)
 */
public record ReadOptions(
        Optional<String> format,
        ErrorPolicy errorPolicy,
        int maxRecordBytes,
        int maxNestingDepth,
        Optional<String> datasetName,
        Optional<FieldMapping> fieldMapping,
        Optional<DatasetFormat> customFormat,
        double maxSkippedShare) {

    /** The default largest record: 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
    /** The default deepest nesting: 256. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 256;
    /** The default largest share of a file's records that may be skipped: 0.5. */
    public static final double DEFAULT_MAX_SKIPPED_SHARE = 0.5;

    private static final ReadOptions DEFAULTS = builder().build();

    /** Validates the components. */
    public ReadOptions {
        requireNonNull(format, "format");
        requireNonNull(errorPolicy, "errorPolicy");
        checkArgument(maxRecordBytes > 0, "maxRecordBytes must be positive, was %s", maxRecordBytes);
        checkArgument(maxNestingDepth > 0, "maxNestingDepth must be positive, was %s", maxNestingDepth);
        requireNonNull(datasetName, "datasetName");
        requireNonNull(fieldMapping, "fieldMapping");
        requireNonNull(customFormat, "customFormat");
        checkArgument(customFormat.isEmpty() || format.equals(customFormat.map(DatasetFormat::name)),
                "format %s is not the name of customFormat %s", format, customFormat.map(DatasetFormat::name));
        checkArgument(maxSkippedShare >= 0 && maxSkippedShare <= 1,
                "maxSkippedShare must be in [0, 1], was %s", maxSkippedShare);
    }

    /** Detect the format, fail on the first bad record, default limits. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format.orElse(null);
        b.errorPolicy = errorPolicy;
        b.maxRecordBytes = maxRecordBytes;
        b.maxNestingDepth = maxNestingDepth;
        b.datasetName = datasetName.orElse(null);
        b.fieldMapping = fieldMapping.orElse(null);
        b.customFormat = customFormat.orElse(null);
        b.maxSkippedShare = maxSkippedShare;
        return b;
    }

    /** Builds {@link ReadOptions}. */
    public static final class Builder {
        private String format;
        private ErrorPolicy errorPolicy = ErrorPolicy.FAIL;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;
        private String datasetName;
        private FieldMapping fieldMapping;
        private DatasetFormat customFormat;
        private double maxSkippedShare = DEFAULT_MAX_SKIPPED_SHARE;

        private Builder() {}

        /**
         * Read every file with the named format instead of detecting it. The name is looked up when a file is opened
         * (see {@link DatasetFormats}), so an unknown name fails then, naming the file and the known formats.
         *
         * @throws NullPointerException if {@code format} is null
         * @throws IllegalArgumentException if {@code format} is blank
         */
        public Builder format(String format) {
            requireNonNull(format, "format");
            checkArgument(!format.isBlank(), "format must not be blank");
            this.format = format;
            this.customFormat = null;
            return this;
        }

        /**
         * Read every file with this format object instead of detecting it: a format of the caller's own, used as
         * given, whether or not it is registered as a service (and whatever class loader it comes from).
         *
         * @throws NullPointerException if {@code format} or its name is null
         * @throws IllegalArgumentException if its name is blank
         */
        public Builder format(DatasetFormat format) {
            requireNonNull(format, "format");
            String name = requireNonNull(format.name(), "format.name()");
            checkArgument(!name.isBlank(), "format.name() must not be blank (%s)", format.getClass().getName());
            this.format = name;
            this.customFormat = format;
            return this;
        }

        /** What to do with a bad record (default {@link ErrorPolicy#FAIL}). */
        public Builder errorPolicy(ErrorPolicy errorPolicy) {
            this.errorPolicy = requireNonNull(errorPolicy, "errorPolicy");
            return this;
        }

        /**
         * The largest record accepted, in bytes (default 16 MiB).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxRecordBytes(int maxRecordBytes) {
            checkArgument(maxRecordBytes > 0, "maxRecordBytes must be positive, was %s", maxRecordBytes);
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /**
         * The deepest JSON nesting accepted (default 256).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxNestingDepth(int maxNestingDepth) {
            checkArgument(maxNestingDepth > 0, "maxNestingDepth must be positive, was %s", maxNestingDepth);
            this.maxNestingDepth = maxNestingDepth;
            return this;
        }

        /**
         * The dataset name given to every record (default: derived from each file's path).
         *
         * @throws NullPointerException if {@code datasetName} is null
         */
        public Builder datasetName(String datasetName) {
            this.datasetName = requireNonNull(datasetName, "datasetName");
            return this;
        }

        /** The field mapping for the {@code generic} format; also selects that format when none is named. */
        public Builder fieldMapping(FieldMapping fieldMapping) {
            this.fieldMapping = requireNonNull(fieldMapping, "fieldMapping");
            return this;
        }

        /**
         * Under {@link ErrorPolicy#SKIP}, the largest share of a file's source records that may be skipped, in
         * [0, 1] (default 0.5). A file that yields no good record fails even with 1.
         */
        public Builder maxSkippedShare(double maxSkippedShare) {
            this.maxSkippedShare = maxSkippedShare;
            return this;
        }

        /** The options. */
        public ReadOptions build() {
            return new ReadOptions(
                    Optional.ofNullable(format),
                    errorPolicy,
                    maxRecordBytes,
                    maxNestingDepth,
                    Optional.ofNullable(datasetName),
                    Optional.ofNullable(fieldMapping),
                    Optional.ofNullable(customFormat),
                    maxSkippedShare);
        }
    }
}
