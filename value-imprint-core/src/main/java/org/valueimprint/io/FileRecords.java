package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;

/**
 * The records of one file or stream: decompression, encoding check, container, format (named or detected from the
 * first records), and the error policy. Produces records one source record at a time.
 *
 * <p>A file named {@code .gz} must be gzip (a zero-byte {@code .gz} is a failed download, not an empty dataset). Text
 * must be UTF-8 (a UTF-8 byte order mark is dropped); UTF-16 and UTF-32 (a byte order mark, or NUL bytes among the
 * first bytes) are refused at once. Under {@link ErrorPolicy#SKIP}, a file that yields no good record, or whose
 * share of skipped records passes {@link ReadOptions#maxSkippedShare()}, fails at its end with its first problem.
 */
final class FileRecords implements Closeable {
    /** How many good source records detection looks at. */
    static final int DETECTION_SAMPLE = 5;
    /** How many bad source records detection buffers while looking for good ones before giving up. */
    static final int DETECTION_MAX_BAD = 10_000;
    /** How many bytes at the start of a file are looked at for byte order marks and NUL bytes. */
    static final int ENCODING_PROBE_BYTES = 1024;

    private final String file;
    private final String dataset;
    private final ReadOptions options;
    private final ReadCounters counters;
    private final RawSource source;
    private final Deque<RawRecord> replay = new ArrayDeque<>();
    private final Deque<PreferenceRecord> pending = new ArrayDeque<>();
    private DatasetFormat format;
    private final List<JsonNode> groupNodes = new ArrayList<>();
    private final List<RecordContext> groupContexts = new ArrayList<>();
    private String groupKey;
    private long fileAccepted;
    private long fileSkipped;
    private SkippedRecord firstSkipped;
    private boolean ended;

    FileRecords(InputStream raw, String file, String dataset, ReadOptions options, ReadCounters counters) {
        this.file = file;
        this.dataset = dataset;
        this.options = options;
        this.counters = counters;
        try {
            BufferedInputStream text = decompress(raw, file);
            checkEncoding(text, file);
            this.source = openContainer(text, file, options);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new DatasetReadException(Jackson.kindOf(e), file, 0, -1, Jackson.describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
        this.format = namedFormat(options, file);
        counters.fileOpened();
    }

    /**
     * The records of a container opened by a {@link ContainerProvider} (such as Parquet): the same formats, error
     * policy and accounting as for a stream.
     */
    FileRecords(RawSource source, String file, String dataset, ReadOptions options, ReadCounters counters) {
        this.file = file;
        this.dataset = dataset;
        this.options = options;
        this.counters = counters;
        this.source = source;
        this.format = namedFormat(options, file);
        if (format != null) {
            format.fields().ifPresent(source::project);
        }
        counters.fileOpened();
    }

    /** The format in use: named, or detected once the first records have been read; null before that. */
    DatasetFormat format() {
        return format;
    }

    /** The next record, or null at the end of the file. */
    PreferenceRecord next() {
        while (pending.isEmpty()) {
            RawRecord raw = nextRaw();
            if (raw == null) {
                flushGroup();
                checkSkippedShare();
                return pending.poll();
            }
            process(raw);
        }
        return pending.poll();
    }

    private RawRecord nextRaw() {
        if (format == null) {
            detect();
        }
        return replay.isEmpty() ? source.next() : replay.poll();
    }

    private void process(RawRecord raw) {
        if (!raw.ok()) {
            problem(raw.index(), raw.line(), raw.problem(), raw.detail(), null);
            return;
        }
        RecordSource where = new RecordSource(dataset, file, raw.index(), raw.line());
        JsonNode node = raw.node();
        if (!node.isObject()) {
            problem(raw.index(), raw.line(), ProblemKind.INVALID_FIELD,
                    "a record must be a JSON object, was " + JsonFields.describe(node), null);
            return;
        }
        RecordContext context = new RecordContext(where, options);
        if (format instanceof GroupedDatasetFormat) {
            addToGroup((GroupedDatasetFormat) format, node, context);
            return;
        }
        List<PreferenceRecord> out = new ArrayList<>(1);
        try {
            format.read(node, context, out::add);
        } catch (InvalidRecordException e) {
            problem(raw.index(), raw.line(), e.kind(), e.getMessage(), e);
            return;
        } catch (RuntimeException e) {
            problem(raw.index(), raw.line(), ProblemKind.INVALID_FIELD,
                    "the " + format.name() + " format could not read this record: " + e, e);
            return;
        }
        counters.accepted(out.size());
        fileAccepted++;
        pending.addAll(out);
    }

    /** Adds a record to the group being collected, reading the previous group first when the key changes. */
    private void addToGroup(GroupedDatasetFormat grouped, JsonNode node, RecordContext context) {
        RecordSource where = context.source();
        String key;
        try {
            key = grouped.groupKey(node);
        } catch (InvalidRecordException e) {
            problem(where.index(), where.line(), e.kind(), e.getMessage(), e);
            return;
        }
        if (!groupNodes.isEmpty() && !key.equals(groupKey)) {
            flushGroup();
        }
        if (groupNodes.size() >= grouped.maxGroupRecords()) {
            throw new DatasetReadException(ProblemKind.RECORD_TOO_LARGE, file, where.line(), where.index(),
                    "group \"" + key + "\" has more than " + grouped.maxGroupRecords() + " records (the records of"
                            + " one group must be contiguous in the file)", null);
        }
        groupKey = key;
        groupNodes.add(node);
        groupContexts.add(context);
    }

    /** Reads the group being collected, if any. */
    private void flushGroup() {
        if (groupNodes.isEmpty()) {
            return;
        }
        List<PreferenceRecord> out = new ArrayList<>();
        int size = groupNodes.size();
        try {
            ((GroupedDatasetFormat) format).readGroup(List.copyOf(groupNodes), List.copyOf(groupContexts), out::add);
            counters.acceptedGroup(size, out.size());
            fileAccepted += size;
            pending.addAll(out);
        } catch (RuntimeException e) { // InvalidRecordException among them
            ProblemKind kind = e instanceof InvalidRecordException ? ((InvalidRecordException) e).kind()
                    : ProblemKind.INVALID_FIELD;
            String detail = "group \"" + groupKey + "\" of " + size + " records: " + e.getMessage();
            List<RecordContext> contexts = List.copyOf(groupContexts);
            groupNodes.clear();
            groupContexts.clear();
            for (RecordContext c : contexts) {
                problem(c.source().index(), c.source().line(), kind, detail, e);
            }
        } finally {
            groupNodes.clear();
            groupContexts.clear();
        }
    }

    private void problem(long index, long line, ProblemKind kind, String detail, Throwable cause) {
        if (options.errorPolicy() == ErrorPolicy.FAIL || !kind.skippable()) {
            String where = format == null || format == NO_RECORDS ? detail
                    : detail + " [format " + format.name() + "]";
            String position = index >= 0 ? source.position(index) : null;
            throw position != null ? new DatasetReadException(kind, file, position, index, where, cause)
                    : new DatasetReadException(kind, file, line, index, where, cause);
        }
        SkippedRecord skipped = new SkippedRecord(file, line, index, kind, Excerpts.cut(detail));
        counters.skipped(skipped);
        fileSkipped++;
        if (firstSkipped == null) {
            firstSkipped = skipped;
        }
    }

    /**
     * At the end of the file: fails when records were skipped and none was good, or when the share skipped passes
     * the limit. The exception points at the first skipped record and says why it was skipped. Only once per file.
     */
    private void checkSkippedShare() {
        if (ended) {
            return;
        }
        ended = true;
        if (fileSkipped == 0) {
            return;
        }
        long read = fileAccepted + fileSkipped;
        double share = (double) fileSkipped / read;
        String what;
        if (fileAccepted == 0) {
            what = "no record of this file could be read (" + fileSkipped + " of " + read + " skipped)";
        } else if (share > options.maxSkippedShare()) {
            what = String.format(Locale.ROOT, "%d of %d records of this file were skipped (%s%%), more than the"
                    + " maximum skipped share of %s%%", fileSkipped, read, percent(share),
                    percent(options.maxSkippedShare()));
        } else {
            return;
        }
        SkippedRecord first = firstSkipped;
        String formatName = format == null || format == NO_RECORDS ? "" : " [format " + format.name() + "]";
        throw new DatasetReadException(ProblemKind.TOO_MANY_SKIPPED, file, first.line(), first.index(),
                what + "; skipping is for a few bad records in a good file. The first problem ("
                        + firstPosition(first) + "), "
                        + first.kind().key() + ": " + first.detail() + formatName,
                null);
    }

    /** Where a skipped record was: its line, or the container's own position (a Parquet row), or its index. */
    private String firstPosition(SkippedRecord r) {
        if (r.line() > 0) {
            return "line " + r.line();
        }
        String position = r.index() >= 0 ? source.position(r.index()) : null;
        return position != null ? position : "record " + r.index();
    }

    private static String percent(double share) {
        double p = share * 100;
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.1f", p);
    }

    /** Reads up to {@link #DETECTION_SAMPLE} good records, keeps them for replay, and picks the best format. */
    private void detect() {
        List<JsonNode> sample = new ArrayList<>();
        int bad = 0;
        while (sample.size() < DETECTION_SAMPLE) {
            RawRecord raw = source.next();
            if (raw == null) {
                break;
            }
            replay.add(raw);
            if (raw.ok() && raw.node().isObject()) {
                sample.add(raw.node());
            } else if (options.errorPolicy() == ErrorPolicy.FAIL || ++bad >= DETECTION_MAX_BAD) {
                // Under FAIL the read ends at this record anyway: read no further (an endless record, or input
                // without newlines, must end at the size limit).
                break;
            }
        }
        if (sample.isEmpty() && bad < DETECTION_MAX_BAD) {
            // Nothing to detect from: an empty file, or one whose every record is bad. Any format reports those
            // records the same way, so use a placeholder that never sees a good record.
            format = NO_RECORDS;
            return;
        }
        DatasetFormat best = null;
        long bestScore = 0;
        for (DatasetFormat candidate : DatasetFormats.all()) {
            long score = 0;
            for (JsonNode node : sample) {
                score += Math.max(0, safeDetect(candidate, node));
            }
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        if (best == null) {
            JsonNode first = sample.isEmpty() ? null : sample.get(0);
            List<String> fields = new ArrayList<>();
            if (first != null) {
                first.fieldNames().forEachRemaining(fields::add);
            }
            throw new DatasetReadException(ProblemKind.UNKNOWN_FORMAT, file, 0, -1,
                    "no known format matches the first " + sample.size() + " records"
                            + (first == null ? "" : " (fields: " + String.join(", ", fields) + ")")
                            + ". Name a format, or map the fields with the generic format. Known formats:\n"
                            + DatasetFormats.describeAll(),
                    null);
        }
        format = best;
        best.fields().ifPresent(source::project);
    }

    private static int safeDetect(DatasetFormat format, JsonNode node) {
        try {
            return format.detect(node);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static DatasetFormat namedFormat(ReadOptions options, String file) {
        if (options.customFormat().isPresent()) {
            return options.customFormat().get();
        }
        if (options.format().isPresent()) {
            String name = options.format().get();
            return DatasetFormats.byName(name).orElseThrow(() -> new DatasetReadException(ProblemKind.UNKNOWN_FORMAT,
                    file, 0, -1, "unknown format \"" + name + "\". Known formats:\n" + DatasetFormats.describeAll(),
                    null));
        }
        if (options.fieldMapping().isPresent()) {
            return DatasetFormats.byName("generic").orElseThrow(
                    () -> new IllegalStateException("the generic format is not available"));
        }
        return null;
    }

    /**
     * Wraps the stream in a gzip decoder when it starts with the gzip magic bytes. A file named {@code .gz} that
     * does not (an empty one included) is refused: it is a failed download or a mislabelled file, not a dataset.
     */
    static BufferedInputStream decompress(InputStream raw, String file) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream ? (BufferedInputStream) raw
                : new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        if (file.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            throw new DatasetReadException(ProblemKind.CORRUPT_INPUT, file, 0, -1, b1 == -1
                    ? "the file is empty, but a gzip file holds at least a header (a failed download?)"
                    : "the file is named .gz but is not gzip (it does not start with the gzip magic bytes 1f 8b)",
                    null);
        }
        return in;
    }

    /**
     * Refuses text that is not UTF-8, looking at the first {@link #ENCODING_PROBE_BYTES} bytes: a UTF-16 or UTF-32
     * byte order mark, or a NUL byte (never in UTF-8 text, always among the first bytes of UTF-16 or UTF-32 text
     * of mostly ASCII, and all there is in {@code /dev/zero}). Skips a UTF-8 byte order mark.
     */
    static void checkEncoding(BufferedInputStream in, String file) throws IOException {
        byte[] head = new byte[ENCODING_PROBE_BYTES];
        in.mark(ENCODING_PROBE_BYTES);
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.reset();
        String encoding = byteOrderMark(head, n);
        if (encoding != null) {
            throw new DatasetReadException(ProblemKind.UNSUPPORTED_ENCODING, file, 0, -1, "the file is " + encoding
                    + " text (it starts with a " + encoding + " byte order mark); convert it to UTF-8, for example"
                    + " with iconv -f " + encoding + " -t UTF-8", null);
        }
        if (n >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
            in.skipNBytes(3); // UTF-8 byte order mark
        }
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                throw new DatasetReadException(ProblemKind.UNSUPPORTED_ENCODING, file, 0, -1,
                        "the file holds a NUL byte (at byte " + (i + 1) + "): it is not UTF-8 text (UTF-16 or UTF-32"
                                + " without a byte order mark, or binary data?); convert it to UTF-8", null);
            }
        }
    }

    /** The encoding a UTF-16 or UTF-32 byte order mark at the start names, or null. */
    private static String byteOrderMark(byte[] b, int n) {
        if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == (byte) 0xFE && b[3] == (byte) 0xFF) {
            return "UTF-32BE";
        }
        if (n >= 4 && b[0] == (byte) 0xFF && b[1] == (byte) 0xFE && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (n >= 2 && b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) {
            return "UTF-16BE";
        }
        if (n >= 2 && b[0] == (byte) 0xFF && b[1] == (byte) 0xFE) {
            return "UTF-16LE";
        }
        return null;
    }

    /**
     * CSV/TSV or JSON Lines by name ({@code .csv}, {@code .tsv}, {@code .jsonl}, {@code .ndjson}, before any
     * {@code .gz}); otherwise a JSON array when the first non-blank byte is '[', else JSON Lines.
     */
    static RawSource openContainer(InputStream in, String file, ReadOptions options) throws IOException {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return new CsvSource(in, file, ',', options);
        }
        if (name.endsWith(".tsv")) {
            return new CsvSource(in, file, '\t', options);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return new JsonLinesSource(in, file, options);
        }
        return firstNonBlankByte(in) == '[' ? new JsonArraySource(in, file, options)
                : new JsonLinesSource(in, file, options);
    }

    private static int firstNonBlankByte(InputStream in) throws IOException {
        int limit = 1 << 16;
        in.mark(limit);
        try {
            for (int i = 0; i < limit; i++) {
                int b = in.read();
                if (b == -1) {
                    return -1;
                }
                if (i < 3 && (b == 0xEF || b == 0xBB || b == 0xBF)) {
                    continue; // byte order mark
                }
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b;
                }
            }
            return -1;
        } finally {
            in.reset();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            throw new DatasetReadException(ProblemKind.IO_ERROR, file, 0, -1, Jackson.describe(e), e);
        }
    }

    /** Stands in for a format when a file has no good record to detect one from. */
    private static final DatasetFormat NO_RECORDS = new DatasetFormat() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String description() {
            return "no record to detect a format from";
        }

        @Override
        public int detect(JsonNode record) {
            return 0;
        }

        @Override
        public void read(JsonNode record, RecordContext context, java.util.function.Consumer<PreferenceRecord> out)
                throws InvalidRecordException {
            throw new InvalidRecordException(ProblemKind.INVALID_FIELD, "no format could be detected");
        }
    };

}
