package org.valueimprint.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * A JSON array of records, streamed element by element: only one element is held at a time. A syntax error ends
 * the read (what follows it cannot be found reliably); an element over the size limit, or one with a key repeated in
 * an object, is a skippable problem named at the element's first line.
 */
final class JsonArraySource implements RawSource {
    private final JsonParser parser;
    private final ObjectMapper mapper;
    private final String file;
    private final int maxBytes;
    private long index;
    private boolean started;
    private boolean done;

    JsonArraySource(InputStream in, String file, ReadOptions options) throws IOException {
        this.mapper = Jackson.mapper(options, false);
        this.parser = mapper.getFactory().createParser(in);
        this.file = file;
        this.maxBytes = options.maxRecordBytes();
    }

    @Override
    public RawRecord next() {
        if (done) {
            return null;
        }
        try {
            if (!started) {
                started = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw fatal(ProblemKind.MALFORMED_JSON, "expected a JSON array of records");
                }
            }
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw fatal(ProblemKind.TRUNCATED_INPUT, "the file ends before the array is closed");
            }
            if (token == JsonToken.END_ARRAY) {
                done = true;
                if (parser.nextToken() != null) {
                    throw fatal(ProblemKind.MALFORMED_JSON, "unexpected data after the end of the top-level array");
                }
                return null;
            }
            long line = parser.currentTokenLocation().getLineNr();
            long startOffset = parser.currentTokenLocation().getByteOffset();
            JsonStreamContext array = token.isStructStart() ? parser.getParsingContext().getParent()
                    : parser.getParsingContext();
            JsonNode node;
            try {
                node = mapper.readTree(parser);
            } catch (JsonProcessingException e) {
                if (Jackson.duplicateKey(e).isEmpty()) {
                    throw e;
                }
                // The tree check throws after the repeated key's value: skip the rest of the element, so that a
                // repeated key is a record problem (skippable) like in JSON Lines, named at the element's line.
                skipRestOf(array);
                return RawRecord.problem(index++, line, Jackson.kindOf(e), Jackson.describe(e)
                        .replaceFirst(" \\(column (\\d+)\\)$", " (at line " + Jackson.lineOf(e) + ", column $1)"));
            }
            long size = parser.currentLocation().getByteOffset() - startOffset;
            long recordIndex = index++;
            if (startOffset >= 0 && size > maxBytes) {
                return RawRecord.problem(recordIndex, line, ProblemKind.RECORD_TOO_LARGE,
                        "record of " + size + " bytes exceeds the limit of " + maxBytes + " bytes");
            }
            return RawRecord.of(node, recordIndex, line);
        } catch (IOException e) {
            done = true;
            long line = Jackson.lineOf(e);
            throw new DatasetReadException(Jackson.kindOf(e), file, line > 0 ? line : currentLine(), index,
                    Jackson.describe(e), e);
        }
    }

    /** Reads tokens until the parser is back in the array that holds the current element. */
    private void skipRestOf(JsonStreamContext array) throws IOException {
        while (parser.getParsingContext() != array) {
            if (parser.nextToken() == null) {
                throw new JsonEOFException(parser, null, "the file ends before the array is closed");
            }
        }
    }

    private long currentLine() {
        return Math.max(0, parser.currentLocation().getLineNr());
    }

    private DatasetReadException fatal(ProblemKind kind, String detail) {
        done = true;
        return new DatasetReadException(kind, file, currentLine(), -1, detail, null);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
