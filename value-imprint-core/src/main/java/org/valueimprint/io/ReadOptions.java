package org.valueimprint.io;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How to read a dataset. Build with {@link #builder()}; {@link #defaults()} detects the format, fails on the first
 * bad record, and allows records of up to 16 MiB nested up to 256 deep.
 *
 * @param format the format's name (see {@link DatasetFormats#names()}), or empty to detect it per file
 * @param errorPolicy what to do with a bad record
 * @param maxRecordBytes the largest record accepted, in bytes (UTF-8 as stored, after decompression)
 * @param maxNestingDepth the deepest JSON nesting accepted
 * @param datasetName the dataset name given to every record, or empty to derive it from each file's path
 * @param fieldMapping the field mapping of the {@code generic} format, which requires one
 */
public record ReadOptions(
        Optional<String> format,
        ErrorPolicy errorPolicy,
        int maxRecordBytes,
        int maxNestingDepth,
        Optional<String> datasetName,
        Optional<FieldMapping> fieldMapping) {

    /** The default largest record: 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
    /** The default deepest nesting: 256. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 256;

    private static final ReadOptions DEFAULTS = builder().build();

    /** Validates the components. */
    public ReadOptions {
        requireNonNull(format, "format");
        requireNonNull(errorPolicy, "errorPolicy");
        checkArgument(maxRecordBytes > 0, "maxRecordBytes must be positive, was %s", maxRecordBytes);
        checkArgument(maxNestingDepth > 0, "maxNestingDepth must be positive, was %s", maxNestingDepth);
        requireNonNull(datasetName, "datasetName");
        requireNonNull(fieldMapping, "fieldMapping");
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

        private Builder() {}

        /** Read every file with the named format instead of detecting it. */
        public Builder format(String format) {
            this.format = requireNonNull(format, "format");
            return this;
        }

        /** What to do with a bad record (default {@link ErrorPolicy#FAIL}). */
        public Builder errorPolicy(ErrorPolicy errorPolicy) {
            this.errorPolicy = requireNonNull(errorPolicy, "errorPolicy");
            return this;
        }

        /** The largest record accepted, in bytes (default 16 MiB). */
        public Builder maxRecordBytes(int maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /** The deepest JSON nesting accepted (default 256). */
        public Builder maxNestingDepth(int maxNestingDepth) {
            this.maxNestingDepth = maxNestingDepth;
            return this;
        }

        /** The dataset name given to every record (default: derived from each file's path). */
        public Builder datasetName(String datasetName) {
            this.datasetName = requireNonNull(datasetName, "datasetName");
            return this;
        }

        /** The field mapping for the {@code generic} format; also selects that format when none is named. */
        public Builder fieldMapping(FieldMapping fieldMapping) {
            this.fieldMapping = requireNonNull(fieldMapping, "fieldMapping");
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
                    Optional.ofNullable(fieldMapping));
        }
    }
}
