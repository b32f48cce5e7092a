package org.valueimprint.eval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Reads gold-labelled texts from JSON Lines: one object a line with a string {@code text}, a string {@code label}
 * (a value's id, label or alias in the taxonomy, matched as {@link ValueTaxonomy#resolve}) and optionally an
 * {@code id} (string or integer); other fields are ignored. This is the format of the bundled annotated corpus
 * ({@code examples/data/annotations/value-imprint-annotations.jsonl}).
 *
 * <p>Instead of {@code label}, a line may carry {@code labels}: a list of distinct labels, each resolved like
 * {@code label}. For a {@link ValueTaxonomy#multiLabel() multi-label} taxonomy the list may hold any number of values
 * (none included), and a line with only {@code label} counts as a one-element list. For a single-label taxonomy the
 * list must hold exactly one value. When a line has both fields, {@code label} must be among {@code labels}.
 *
 * <pre>{@code
 * ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
 * try (Stream<GoldExample> examples = GoldExamples.stream(Path.of("gold.jsonl"), taxonomy)) {
 *     examples.forEach(e -> ...);
 * }
 * String checksum = GoldExamples.sha256(Path.of("gold.jsonl"));   // for provenance
 * }</pre>
 *
 * <p>The file is UTF-8 (a leading byte-order mark is ignored), plain or gzip-compressed (told by its magic bytes).
 * Blank lines are skipped. Ids are not checked for uniqueness. Reading streams line by line: memory does not grow
 * with the file. The first bad line ends the read with a {@link DatasetReadException} that names the file, the
 * 1-based line and the problem: {@link ProblemKind#MISSING_FIELD} for a missing or null {@code text} or
 * {@code label} (and {@code labels}); {@link ProblemKind#INVALID_FIELD} for a field of the wrong type, a label the
 * taxonomy does not know (the message lists the taxonomy's labels), a repeated label, or a count of labels that the
 * taxonomy does not allow; {@link ProblemKind#MALFORMED_JSON},
 * {@link ProblemKind#INVALID_UTF8}, {@link ProblemKind#RECORD_TOO_LARGE} (a line over 32 MiB),
 * {@link ProblemKind#TRUNCATED_INPUT}, {@link ProblemKind#CORRUPT_INPUT} and {@link ProblemKind#IO_ERROR} as their
 * names say.
 */
public final class GoldExamples {
    /** The longest line accepted, in bytes. */
    static final int MAX_LINE_BYTES = 32 << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .build();

    private GoldExamples() {}

    /**
     * Streams the examples of a gold file, lazily and in file order. The stream holds the file open: close it
     * (try-with-resources). Problems surface as a {@link DatasetReadException} when the bad line is reached; a file
     * that cannot be opened at all raises one at once.
     *
     * @param file a JSON Lines file, plain or gzip
     * @param taxonomy the taxonomy that labels are resolved in
     * @throws DatasetReadException ({@link ProblemKind#IO_ERROR}) if the file cannot be opened
     */
    public static Stream<GoldExample> stream(Path file, ValueTaxonomy taxonomy) {
        requireNonNull(file, "file");
        requireNonNull(taxonomy, "taxonomy");
        LineIterator lines = new LineIterator(file, taxonomy);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(lines::close);
    }

    /**
     * Reads every example of a gold file into memory.
     *
     * @param file a JSON Lines file, plain or gzip
     * @param taxonomy the taxonomy that labels are resolved in
     * @return the examples in file order; unmodifiable
     * @throws DatasetReadException on the first bad line, naming the file and line
     */
    public static List<GoldExample> readAll(Path file, ValueTaxonomy taxonomy) {
        try (Stream<GoldExample> examples = stream(file, taxonomy)) {
            return examples.toList();
        }
    }

    /**
     * Which values of {@code taxonomy} each example carries: row i, column c is true when example i's labels include
     * the value at index c (single- and multi-label examples alike).
     *
     * @throws IllegalArgumentException if a label is not one of the taxonomy's
     */
    public static boolean[][] labelMatrix(List<GoldExample> examples, ValueTaxonomy taxonomy) {
        boolean[][] labels = new boolean[examples.size()][taxonomy.size()];
        for (int i = 0; i < labels.length; i++) {
            for (String label : examples.get(i).labels()) {
                int c = taxonomy.indexOf(label);
                if (c < 0) {
                    throw new IllegalArgumentException("example " + examples.get(i).id() + ": \"" + label
                            + "\" is not a value of the taxonomy " + taxonomy.id());
                }
                labels[i][c] = true;
            }
        }
        return labels;
    }

    /**
     * The SHA-256 of a file's bytes as stored (compressed bytes for a gzip file), in lower-case hex.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public static String sha256(Path file) {
        requireNonNull(file, "file");
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Reads lines as bytes, decodes each strictly, and parses it. */
    private static final class LineIterator implements Iterator<GoldExample>, AutoCloseable {
        private final Path file;
        private final String name;
        private final ValueTaxonomy taxonomy;
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
        private final byte[] chunk = new byte[1 << 16];
        private int position;
        private int limit;
        private long lineNumber;
        private GoldExample next;
        private boolean done;

        LineIterator(Path file, ValueTaxonomy taxonomy) {
            this.file = file;
            this.name = file.toString();
            this.taxonomy = taxonomy;
            this.in = open();
        }

        private InputStream open() {
            InputStream raw = null;
            try {
                raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                raw.mark(2);
                int b1 = raw.read();
                int b2 = raw.read();
                raw.reset();
                if (b1 == 0x1f && b2 == 0x8b) {
                    return new GZIPInputStream(raw, 1 << 16);
                }
                return raw;
            } catch (IOException e) {
                closeQuietly(raw);
                throw problem(problemKind(e), 0, "cannot open: " + describe(e), e);
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                byte[] line = readLine();
                if (line == null) {
                    done = true;
                    close();
                } else {
                    next = parse(line);
                }
            }
            return next != null;
        }

        @Override
        public GoldExample next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            GoldExample out = next;
            next = null;
            return out;
        }

        /** The next line's bytes without its terminator, or null at the end of the file. */
        private byte[] readLine() {
            buffer.reset();
            try {
                if (position == limit && !fill()) {
                    return null;
                }
                lineNumber++;
                while (true) {
                    int start = position;
                    while (position < limit && chunk[position] != '\n') {
                        position++;
                    }
                    if (buffer.size() + (position - start) > MAX_LINE_BYTES) {
                        throw problem(ProblemKind.RECORD_TOO_LARGE, lineNumber,
                                "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB", null);
                    }
                    buffer.write(chunk, start, position - start);
                    if (position < limit) {
                        position++; // the newline
                        break;
                    }
                    if (!fill()) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw problem(problemKind(e), lineNumber, describe(e), e);
            }
            return buffer.toByteArray();
        }

        /** Reads the next chunk; false at the end of the file. */
        private boolean fill() throws IOException {
            int n = in.read(chunk, 0, chunk.length);
            while (n == 0) {
                n = in.read(chunk, 0, chunk.length);
            }
            position = 0;
            limit = Math.max(0, n);
            return n > 0;
        }

        /** The example on a line, or null for a blank line. */
        private GoldExample parse(byte[] bytes) {
            String line;
            try {
                line = decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw problem(ProblemKind.INVALID_UTF8, lineNumber, "bytes that are not valid UTF-8", e);
            }
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                return null;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw problem(ProblemKind.MALFORMED_JSON, lineNumber,
                        "not valid JSON: " + e.getOriginalMessage().replace('\n', ' '), e);
            }
            if (node == null || !node.isObject()) {
                throw problem(ProblemKind.MALFORMED_JSON, lineNumber,
                        "expected a JSON object, found " + (node == null ? "nothing" : node.getNodeType()), null);
            }
            String text = requiredString(node, "text");
            List<String> labels = labels(node);
            String id = "line-" + lineNumber;
            JsonNode idNode = node.get("id");
            if (idNode != null && !idNode.isNull()) {
                if (!idNode.isTextual() && !idNode.isIntegralNumber()) {
                    throw problem(ProblemKind.INVALID_FIELD, lineNumber,
                            "field \"id\" must be a string or an integer, found " + idNode.getNodeType(), null);
                }
                id = idNode.asText();
            }
            return new GoldExample(id, text, labels);
        }

        /**
         * The line's gold labels, resolved: from {@code labels} (a list) when present, else from {@code label}. A
         * single-label taxonomy needs exactly one; when both fields are present, {@code label} must be among
         * {@code labels}.
         */
        private List<String> labels(JsonNode node) {
            JsonNode list = node.get("labels");
            JsonNode single = node.get("label");
            boolean hasSingle = single != null && !single.isNull();
            if (list == null || list.isNull()) {
                if (!hasSingle && taxonomy.multiLabel()) {
                    throw problem(ProblemKind.MISSING_FIELD, lineNumber,
                            "missing field \"labels\" (a list of labels; or \"label\" for one)", null);
                }
                return List.of(resolve(requiredString(node, "label")));
            }
            if (!list.isArray()) {
                throw problem(ProblemKind.INVALID_FIELD, lineNumber,
                        "field \"labels\" must be a list of strings, found " + list.getNodeType(), null);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode element : list) {
                if (!element.isTextual()) {
                    throw problem(ProblemKind.INVALID_FIELD, lineNumber,
                            "field \"labels\" must be a list of strings, has " + element.getNodeType(), null);
                }
                String label = resolve(element.textValue());
                if (out.contains(label)) {
                    throw problem(ProblemKind.INVALID_FIELD, lineNumber,
                            "field \"labels\" names \"" + label + "\" twice", null);
                }
                out.add(label);
            }
            if (!taxonomy.multiLabel() && out.size() != 1) {
                throw problem(ProblemKind.INVALID_FIELD, lineNumber, "field \"labels\" has " + out.size()
                        + " labels " + out + " but taxonomy " + taxonomy.id() + " is single-label: give exactly one",
                        null);
            }
            if (hasSingle) {
                String label = resolve(requiredString(node, "label"));
                if (!out.contains(label)) {
                    throw problem(ProblemKind.INVALID_FIELD, lineNumber, "field \"label\" (\"" + label
                            + "\") is not among field \"labels\" " + out, null);
                }
            }
            return List.copyOf(out);
        }

        /** A label resolved in the taxonomy, spelled as the taxonomy spells it. */
        private String resolve(String label) {
            int index = taxonomy.indexOf(label);
            if (index < 0) {
                throw problem(ProblemKind.INVALID_FIELD, lineNumber, "unknown label \"" + label + "\"; taxonomy "
                        + taxonomy.id() + " " + taxonomy.version() + " has: " + String.join(", ", taxonomy.labels()),
                        null);
            }
            return taxonomy.labels().get(index);
        }

        private String requiredString(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw problem(ProblemKind.MISSING_FIELD, lineNumber, "missing field \"" + field + "\"", null);
            }
            if (!value.isTextual()) {
                throw problem(ProblemKind.INVALID_FIELD, lineNumber,
                        "field \"" + field + "\" must be a string, found " + value.getNodeType(), null);
            }
            return value.textValue();
        }

        private DatasetReadException problem(ProblemKind kind, long line, String detail, Throwable cause) {
            close();
            done = true;
            return new DatasetReadException(kind, name, line, -1, detail, cause);
        }

        private static ProblemKind problemKind(IOException e) {
            if (e instanceof EOFException) {
                return ProblemKind.TRUNCATED_INPUT;
            }
            if (e instanceof ZipException) {
                return ProblemKind.CORRUPT_INPUT;
            }
            return ProblemKind.IO_ERROR;
        }

        private static String describe(IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof EOFException) {
                m = "the file ends in the middle of its compressed stream (" + m + ")";
            }
            return m.replace('\n', ' ');
        }

        @Override
        public void close() {
            closeQuietly(in);
        }

        private static void closeQuietly(InputStream stream) {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // nothing useful to do: reading is over
                }
            }
        }
    }
}
