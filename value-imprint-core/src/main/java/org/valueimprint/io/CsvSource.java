package org.valueimprint.io;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CSV or TSV with a header row: each row becomes an object of strings keyed by the header (names trimmed; a name
 * given twice is refused). Quoted fields may span lines; blank lines are skipped. Rows are read value by value
 * (Jackson's CSV parser, without a schema), so that:
 * <ul>
 *   <li>a row with more values than the header has columns is a skippable problem, not the end of the read;</li>
 *   <li>a row over the size limit (the UTF-8 size of its values and separators) is refused while it is being read,
 *       at most one value past the limit, and the rest of it is skipped when the next record is asked for;</li>
 *   <li>bytes that are not UTF-8 end the read naming their line ({@link Utf8LineReader});</li>
 *   <li>a quote that is never closed ends the read naming the line where it opens, not the end of the file.</li>
 * </ul>
 * Other syntax errors end the read with the line they are on.
 */
final class CsvSource implements RawSource {
    private final CsvParser parser;
    private final String file;
    private final int maxBytes;
    private List<String> header;
    private long index;
    private boolean draining;
    /** The line of the row being skipped. */
    private long drainLine;
    /** The line where the value being read starts (where an unclosed quote opens). */
    private long valueLine;

    CsvSource(InputStream in, String file, char separator, ReadOptions options) throws IOException {
        this.file = file;
        this.maxBytes = options.maxRecordBytes();
        CsvFactory factory = CsvFactory.builder().streamReadConstraints(Jackson.constraints(options)).build();
        this.parser = (CsvParser) factory.createParser(new Utf8LineReader(in));
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(separator));
    }

    @Override
    public RawRecord next() {
        try {
            if (draining) {
                draining = false;
                long skipped = 0;
                for (JsonToken t = nextToken(); t != null && t != JsonToken.END_ARRAY; t = nextToken()) {
                    skipped += parser.getValueAsString("").length() + 1; // the rest of a row that was refused
                    if (skipped > MAX_SKIP_FACTOR * maxBytes) {
                        throw new DatasetReadException(ProblemKind.RECORD_TOO_LARGE, file, drainLine, index - 1,
                                RawSource.endlessRecord(maxBytes), null);
                    }
                }
            }
            if (header == null && !readHeader()) {
                return null;
            }
            while (true) {
                JsonToken start = nextToken();
                if (start == null) {
                    return null;
                }
                long line = Math.max(0, parser.currentLocation().getLineNr());
                ObjectNode row = JsonNodeFactory.instance.objectNode();
                int column = 0;
                long bytes = 0;
                String first = null;
                for (JsonToken t = nextToken(); t != null && t != JsonToken.END_ARRAY; t = nextToken()) {
                    String value = parser.getValueAsString("");
                    if (column == 0) {
                        first = value;
                    }
                    bytes += utf8Length(value) + (column == 0 ? 0 : 1);
                    if (column >= header.size()) {
                        draining = true;
                        drainLine = line;
                        return RawRecord.problem(index++, line, ProblemKind.MALFORMED_JSON, "the row has more values"
                                + " than the header has columns (" + header.size() + "); the first extra value is \""
                                + value + "\"");
                    }
                    if (bytes > maxBytes) {
                        draining = true;
                        drainLine = line;
                        return RawRecord.problem(index++, line, ProblemKind.RECORD_TOO_LARGE,
                                "record exceeds the limit of " + maxBytes + " bytes");
                    }
                    row.put(header.get(column), value);
                    column++;
                }
                if (column == 1 && first.isEmpty() && header.size() > 1) {
                    continue; // a blank line
                }
                return RawRecord.of(row, index++, line);
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Reads the header row; false when the file has none. */
    private boolean readHeader() throws IOException {
        if (nextToken() == null) {
            return false;
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long bytes = 0;
        for (JsonToken t = nextToken(); t != null && t != JsonToken.END_ARRAY; t = nextToken()) {
            String name = parser.getValueAsString("").trim();
            bytes += utf8Length(name) + 1;
            if (bytes > maxBytes) {
                throw new DatasetReadException(ProblemKind.RECORD_TOO_LARGE, file, 1, -1,
                        "the header row exceeds the limit of " + maxBytes + " bytes", null);
            }
            if (!seen.add(name)) {
                throw new DatasetReadException(ProblemKind.MALFORMED_JSON, file, 1, -1,
                        "the header names the column \"" + name + "\" twice", null);
            }
            names.add(name);
        }
        header = List.copyOf(names);
        return true;
    }

    /** The next token, noting where a value would start; an end of input inside a row is a truncated file. */
    private JsonToken nextToken() throws IOException {
        valueLine = Math.max(1, parser.currentLocation().getLineNr());
        JsonToken t = parser.nextToken();
        if (t == null && parser.getParsingContext().inArray()) {
            throw new DatasetReadException(ProblemKind.TRUNCATED_INPUT, file, valueLine, index,
                    "the file ends inside a row", null);
        }
        return t;
    }

    private DatasetReadException failure(IOException e) {
        if (e instanceof Utf8LineReader.MalformedUtf8Exception) {
            return new DatasetReadException(ProblemKind.INVALID_UTF8, file,
                    ((Utf8LineReader.MalformedUtf8Exception) e).line(), index, e.getMessage(), e);
        }
        if (e instanceof StreamConstraintsException) {
            return new DatasetReadException(Jackson.kindOf(e), file, valueLine, index, "a value starting on this"
                    + " line is longer than the limit of " + maxBytes + " characters (is a closing quote missing?)",
                    e);
        }
        if (e instanceof JsonParseException && String.valueOf(e.getMessage()).contains("Missing closing quote")) {
            return new DatasetReadException(ProblemKind.MALFORMED_JSON, file, valueLine, index,
                    "a quoted value opens on this line and is never closed", e);
        }
        long line = Jackson.lineOf(e);
        return new DatasetReadException(Jackson.kindOf(e), file, line > 0 ? line : valueLine, index,
                Jackson.describe(e), e);
    }

    /** The UTF-8 size of a string. */
    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
