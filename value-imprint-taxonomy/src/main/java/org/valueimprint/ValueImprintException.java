package org.valueimprint;

/**
 * The base of every exception the library throws for a problem with its inputs, models, options or state: unchecked,
 * with a message that names the file (and the line, row or field) where there is one. Catch it to handle any library
 * failure in one place; catch a subtype to handle one kind:
 *
 * <ul>
 *   <li>{@code org.valueimprint.taxonomy.TaxonomyException}: a taxonomy file that cannot be read, and its subtype
 *       {@code TaxonomyValidationException}: an invalid taxonomy, with every problem listed;</li>
 *   <li>{@code org.valueimprint.io.DatasetReadException}: a dataset that cannot be read, naming the file and line,
 *       and {@code InvalidRecordException}: one record that does not fit its format (thrown by formats, turned into
 *       a {@code DatasetReadException} or a skip by the reader);</li>
 *   <li>{@code org.valueimprint.classify.ModelException}: a model that cannot be loaded or fails;</li>
 *   <li>{@code org.valueimprint.audit.CheckpointException}: a checkpoint of another audit, or an inconsistent one;</li>
 *   <li>{@code org.valueimprint.report.InvalidReportException}: a report file that is not a valid report;
 *       {@code OutputFileException}: an output that could not be written during an audit.</li>
 * </ul>
 *
 * <p>The one rule for checked {@link java.io.IOException}: it is declared only by methods whose whole job is to move
 * bytes to or from one file or stream the caller names (the report writers' {@code write(report, path)}, {@code
 * ReportJson.read}, {@code Evaluation.writeJson}, {@code Taxonomies.writeJson}, {@code HeadIo}), as
 * {@link java.nio.file.Files} does, so that the caller decides what a failed disk means. Loading and saving a model
 * bundle (a directory of files checked against its manifest) report a {@code ModelException} either way. Everything else, including a failure of the file system while a dataset, taxonomy or model is being
 * read (which surfaces in the middle of an iteration), is a {@code ValueImprintException} naming the file. Wrong
 * arguments are {@link IllegalArgumentException}, {@link NullPointerException} or {@link IndexOutOfBoundsException}
 * at the call, naming the argument; those are bugs in the caller, not problems of the data.
 */
public class ValueImprintException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message (which names the file, line or field concerned, where there is one). */
    public ValueImprintException(String message) {
        super(message);
    }

    /** An exception with a message and its cause. */
    public ValueImprintException(String message, Throwable cause) {
        super(message, cause);
    }
}
