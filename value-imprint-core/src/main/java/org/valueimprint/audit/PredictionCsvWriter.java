package org.valueimprint.audit;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Writes one CSV row per classified text while an audit streams, for users' own analysis: a
 * {@link PredictionListener} to pass to {@link ValueAuditor.Builder#predictionListener}.
 *
 * <pre>{@code
 * try (ValueClassifier classifier = ValueClassifiers.loadDefault();
 *         PredictionCsvWriter csv = PredictionCsvWriter.open(Path.of("predictions.csv"), classifier.taxonomy())) {
 *     AuditReport report = ValueAuditor.builder(classifier).predictionListener(csv).build()
 *             .audit(Path.of("hh-rlhf/harmless-base/test.jsonl.gz"));
 * }
 * }</pre>
 *
 * <p><b>Columns</b>, in this order: {@code record_id}, {@code source} (the record's dataset name), {@code file},
 * {@code line} (1-based; empty when the reader does not know it), {@code side} ({@code chosen}, {@code rejected} or
 * {@code prompt}), {@code top_value} (the label of the most probable value), {@code confidence} (its probability),
 * {@code abstained} ({@code true} when the prediction policy decided no value), then one column per value of the
 * taxonomy, in its order, headed by the value's label and holding its probability. A label equal to one of the fixed
 * column names (ignoring case) is headed {@code p(label)} instead, so that every header is distinct.
 *
 * <p>For a multi-label taxonomy a column {@code selected_values} comes after {@code abstained}: the labels of the
 * values the policy selected, in taxonomy order, separated by {@code " | "} (empty when it abstained), so that a
 * reader sees which values each text carries; {@code top_value} stays the most probable value, selected or not.
 *
 * <p><b>Format.</b> RFC 4180: UTF-8 without byte-order mark, comma-separated, CRLF line ends, a header row; a field
 * that holds a comma, a double quote, a line break, or leading or trailing spaces is enclosed in double quotes with
 * inner quotes doubled. Numbers are written by {@link Double#toString(double)} (shortest exact form, such as
 * {@code 0.0625} or {@code 1.0E-5}), so they read back to the same double. Rows come in the auditor's order: input
 * order, and within a record chosen, rejected, prompt.
 *
 * <p><b>Lifecycle.</b> The header is written when the writer is made; rows are buffered and reach the file when the
 * buffer fills, on {@link #flush()} and on {@link #close()} (which flushes, then closes the file; closing twice does
 * nothing). A write failure stops the audit with an {@link UncheckedIOException}. Thread-safe.
 *
 * <p><b>Crash safety.</b> A writer made with {@link #open(Path, ValueTaxonomy)} writes the file in place. For a CSV
 * that is never left half-written and that survives a kill and a resume with every record exactly once, let the
 * auditor write it: {@link ValueAuditor.Builder#predictionsCsv(Path)}.
 */
public final class PredictionCsvWriter implements PredictionListener, Closeable {
    /** The columns before the value columns. */
    public static final List<String> FIXED_COLUMNS = List.of(
            "record_id", "source", "file", "line", "side", "top_value", "confidence", "abstained");

    /** The column of a multi-label taxonomy's selected values, after {@link #FIXED_COLUMNS}. */
    public static final String SELECTED_COLUMN = "selected_values";

    private static final String EOL = "\r\n";

    private final Writer out;
    private final FileChannel channel; // the file, when this writer owns one and can commit it; else null
    private final ValueTaxonomy taxonomy;
    private final List<String> header;
    private long rows;
    private boolean closed;

    /**
     * A writer to a stream, which it owns: {@link #close()} closes it. Writes the header at once.
     *
     * @param out where to write (buffered here when it is not a {@link BufferedWriter})
     * @param taxonomy the taxonomy of the predictions to come: it names the value columns
     * @throws UncheckedIOException when the header cannot be written
     */
    public PredictionCsvWriter(Writer out, ValueTaxonomy taxonomy) {
        this(out, null, taxonomy, true, 0);
    }

    private PredictionCsvWriter(Writer out, FileChannel channel, ValueTaxonomy taxonomy, boolean writeHeader,
            long rows) {
        requireNonNull(out, "out");
        this.taxonomy = requireNonNull(taxonomy, "taxonomy");
        this.channel = channel;
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
        this.header = header(taxonomy);
        this.rows = rows;
        if (writeHeader) {
            try {
                writeRow(header);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the CSV header", e);
            }
        }
    }

    /**
     * A writer to {@code file} that can {@link #commit()}: a new file (replacing any) with the header when
     * {@code resume} is empty; else the file as a checkpoint left it: cut back to the committed length (dropping any
     * rows written after the checkpoint) and continued from there, without a new header.
     *
     * @throws IOException when the file cannot be opened, or is shorter than the committed length
     */
    static PredictionCsvWriter openCommittable(Path file, ValueTaxonomy taxonomy, Optional<Committed> resume)
            throws IOException {
        FileChannel ch;
        if (resume.isEmpty()) {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            ch = FileChannel.open(file, StandardOpenOption.WRITE);
            long size = ch.size();
            long bytes = resume.get().bytes();
            if (size < bytes) {
                ch.close();
                throw new IOException("the partial CSV " + file + " holds " + size + " bytes, fewer than the "
                        + bytes + " the checkpoint committed");
            }
            ch.truncate(bytes);
            ch.position(bytes);
        }
        try {
            Writer w = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8);
            return new PredictionCsvWriter(w, ch, taxonomy, resume.isEmpty(), resume.map(Committed::rows).orElse(0L));
        } catch (UncheckedIOException e) {
            ch.close();
            throw e.getCause();
        }
    }

    /**
     * How much of a CSV is written and forced to disk.
     *
     * @param bytes the length in bytes, header included
     * @param rows the data rows
     */
    record Committed(long bytes, long rows) {}

    /**
     * Writes every row so far through to the disk (flush, then force) and says how much that is. Only for writers
     * made by {@link #openCommittable}.
     *
     * @throws IOException when writing or forcing fails
     */
    synchronized Committed commit() throws IOException {
        if (channel == null || closed) {
            throw new IllegalStateException("this CSV writer cannot commit");
        }
        out.flush();
        channel.force(false);
        return new Committed(channel.size(), rows);
    }

    /**
     * A writer to a new file (UTF-8), replacing any file there. Writes the header at once.
     *
     * @throws IOException when the file cannot be created or the header written
     */
    public static PredictionCsvWriter open(Path file, ValueTaxonomy taxonomy) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(taxonomy, "taxonomy");
        Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        try {
            return new PredictionCsvWriter(w, taxonomy);
        } catch (UncheckedIOException e) {
            w.close();
            throw e.getCause();
        }
    }

    /** The header row: {@link #FIXED_COLUMNS} and then one column per value; see the class comment. */
    public static List<String> header(ValueTaxonomy taxonomy) {
        List<String> h = new ArrayList<>(FIXED_COLUMNS);
        if (taxonomy.multiLabel()) {
            h.add(SELECTED_COLUMN);
        }
        Set<String> taken = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        taken.addAll(h);
        for (HumanValue v : taxonomy.values()) {
            String name = taken.contains(v.label()) ? "p(" + v.label() + ")" : v.label();
            taken.add(name);
            h.add(name);
        }
        return List.copyOf(h);
    }

    /** The header this writer wrote. */
    public List<String> header() {
        return header;
    }

    /** The data rows written so far (not counting the header). */
    public synchronized long rows() {
        return rows;
    }

    /**
     * Writes the row of one prediction.
     *
     * @throws IllegalArgumentException if the prediction is of another taxonomy than the writer's
     * @throws IllegalStateException if the writer is closed
     * @throws UncheckedIOException when writing fails
     */
    @Override
    public synchronized void prediction(PreferenceRecord record, Side side, ValuePrediction prediction) {
        requireNonNull(record, "record");
        requireNonNull(side, "side");
        requireNonNull(prediction, "prediction");
        if (closed) {
            throw new IllegalStateException("the prediction CSV writer is closed");
        }
        checkArgument(prediction.taxonomy().equals(taxonomy), "a prediction of taxonomy %s for a CSV of taxonomy %s",
                prediction.taxonomy().id(), taxonomy.id());
        RecordSource source = record.source();
        List<String> row = new ArrayList<>(header.size());
        row.add(record.id());
        row.add(source.dataset());
        row.add(source.file());
        row.add(source.line() > 0 ? Long.toString(source.line()) : "");
        row.add(side.key());
        row.add(prediction.top().label());
        row.add(Double.toString(prediction.confidence()));
        row.add(Boolean.toString(prediction.abstained()));
        if (taxonomy.multiLabel()) {
            row.add(String.join(" | ", prediction.selected().stream().map(HumanValue::label).toList()));
        }
        for (int i = 0; i < prediction.size(); i++) {
            row.add(Double.toString(prediction.probability(i)));
        }
        try {
            writeRow(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the prediction of record " + record.id() + " ("
                    + source.describe() + ") to the CSV", e);
        }
        rows++;
    }

    /**
     * Writes buffered rows through to the file.
     *
     * @throws IOException when writing fails
     */
    public synchronized void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /**
     * Flushes and closes the file. Closing again does nothing.
     *
     * @throws IOException when flushing or closing fails
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.flush();
        } finally {
            out.close();
        }
    }

    private void writeRow(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields.get(i)));
        }
        out.write(EOL);
    }

    /** The field as RFC 4180 writes it: quoted, inner quotes doubled, when it needs to be. */
    static String quote(String field) {
        boolean needs = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || (!field.isEmpty() && (Character.isWhitespace(field.charAt(0))
                        || Character.isWhitespace(field.charAt(field.length() - 1))));
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PredictionCsvWriter{%s, %d rows%s}", taxonomy.id(), rows,
                closed ? ", closed" : "");
    }
}
