package org.valueimprint.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * A JSON array of records, streamed element by element: only one element is held at a time. A syntax error ends
 * the read (what follows it cannot be found reliably); an element over the size limit, or one with a key repeated in
 * an object, is a skippable problem named at the element's first line. The limit is enforced while an element is
 * built ({@link BoundedParser}): reading stops at most one string past it, and the rest of the element is skipped,
 * without being held, only when the next record is asked for.
 */
final class JsonArraySource implements RawSource {
    private final BoundedParser parser;
    private final ObjectMapper mapper;
    private final String file;
    private final int maxBytes;
    private long index;
    private boolean started;
    private boolean done;
    /** Whether the rest of an over-limit element is still to be skipped. */
    private boolean draining;
    /** Where the element being skipped starts, and its line. */
    private long drainStart;
    private long drainLine;

    JsonArraySource(InputStream in, String file, ReadOptions options) throws IOException {
        this.mapper = Jackson.mapper(options, false);
        this.parser = new BoundedParser(mapper.getFactory().createParser(in));
        this.file = file;
        this.maxBytes = options.maxRecordBytes();
    }

    @Override
    public RawRecord next() {
        if (done) {
            return null;
        }
        try {
            if (draining) {
                drainElement();
            }
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
            long startOffset = BoundedParser.offset(parser.currentTokenLocation());
            long recordIndex = index;
            JsonNode node;
            parser.arm(startOffset, maxBytes);
            try {
                node = mapper.readTree(parser);
                index++;
            } catch (BoundedParser.LimitExceeded e) {
                index++;
                draining = true;
                drainStart = startOffset;
                drainLine = line;
                return RawRecord.problem(recordIndex, line, ProblemKind.RECORD_TOO_LARGE,
                        "record exceeds the limit of " + maxBytes + " bytes");
            } catch (JsonProcessingException e) {
                if (Jackson.duplicateKey(e).isEmpty()) {
                    throw e;
                }
                // The tree check throws after the repeated key's value: skip the rest of the element, so that a
                // repeated key is a record problem (skippable) like in JSON Lines, named at the element's line.
                index++;
                draining = true;
                drainStart = startOffset;
                drainLine = line;
                return RawRecord.problem(recordIndex, line, Jackson.kindOf(e), Jackson.describe(e)
                        .replaceFirst(" \\(column (\\d+)\\)$", " (at line " + Jackson.lineOf(e) + ", column $1)"));
            } finally {
                parser.disarm();
            }
            long size = BoundedParser.offset(parser.currentLocation()) - startOffset;
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

    /** Skips the rest of an element whose read was stopped at the size limit: tokens only, nothing is held. */
    private void drainElement() throws IOException {
        draining = false;
        long most = MAX_SKIP_FACTOR * maxBytes;
        while (parser.getParsingContext().getNestingDepth() > 1) {
            if (parser.nextToken() == null) {
                throw fatal(ProblemKind.TRUNCATED_INPUT, "the file ends before the array is closed");
            }
            if (BoundedParser.offset(parser.currentLocation()) - drainStart > most) {
                done = true;
                throw new DatasetReadException(ProblemKind.RECORD_TOO_LARGE, file, drainLine, index - 1,
                        RawSource.endlessRecord(maxBytes), null);
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
