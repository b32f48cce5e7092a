package org.valueimprint.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON Lines: one JSON value per line; blank lines are skipped but counted. Lines are read with their own buffer
 * so that a line over the size limit is never held: reading stops one byte past the limit and reports the problem,
 * and the rest of the line is drained (without being held) only when the next record is asked for, so that under
 * {@link ErrorPolicy#FAIL} endless input without a newline ends at the limit. Lines are decoded as strict UTF-8 and
 * parsed one at a time, so a bad line is a skippable problem and the next line reads normally.
 */
final class JsonLinesSource implements RawSource {
    private final InputStream in;
    private final String file;
    private final int maxBytes;
    private final ObjectMapper mapper;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[1 << 12];
    private long lineNumber;
    private long index;
    /** Whether the rest of an over-limit line is still to be skipped. */
    private boolean draining;

    JsonLinesSource(InputStream in, String file, ReadOptions options) {
        this.in = in;
        this.file = file;
        this.maxBytes = options.maxRecordBytes();
        this.mapper = Jackson.mapper(options, true);
    }

    @Override
    public RawRecord next() {
        while (true) {
            long length;
            try {
                length = readLine();
            } catch (IOException e) {
                throw new DatasetReadException(Jackson.kindOf(e), file, lineNumber + 1, -1, Jackson.describe(e), e);
            }
            if (length < 0) {
                return null;
            }
            lineNumber++;
            int start = 0;
            int end = (int) Math.min(length, maxBytes);
            if (lineNumber == 1 && end >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
                start = 3; // UTF-8 byte order mark
            }
            if (isBlank(start, end) && length <= maxBytes) {
                continue;
            }
            long recordIndex = index++;
            if (length > maxBytes) {
                return RawRecord.problem(recordIndex, lineNumber, ProblemKind.RECORD_TOO_LARGE,
                        "record exceeds the limit of " + maxBytes + " bytes (the line is longer)");
            }
            String text;
            try {
                text = decoder.reset().decode(ByteBuffer.wrap(line, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                return RawRecord.problem(recordIndex, lineNumber, ProblemKind.INVALID_UTF8,
                        "invalid UTF-8 at byte " + (firstInvalidUtf8(start, end) + 1) + " of the line");
            }
            try {
                JsonNode node = mapper.readTree(text);
                return RawRecord.of(node, recordIndex, lineNumber);
            } catch (IOException e) {
                ProblemKind kind = Jackson.kindOf(e);
                // Within one line, input that ends early is a malformed record, not a truncated file.
                return RawRecord.problem(recordIndex, lineNumber,
                        kind == ProblemKind.TRUNCATED_INPUT ? ProblemKind.MALFORMED_JSON : kind, Jackson.describe(e));
            }
        }
    }

    /**
     * Reads one line (without its terminator) into {@code line}; -1 at the end. A line longer than maxBytes is read
     * only to maxBytes + 1 bytes, returning that length, and the rest of it is drained at the next call.
     */
    private long readLine() throws IOException {
        if (draining) {
            draining = false;
            drain();
        }
        long length = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return any ? stripCr(length) : -1;
                }
            }
            any = true;
            int from = chunkPos;
            int nl = -1;
            for (int i = from; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int to = nl < 0 ? chunkLen : nl;
            int n = to - from;
            // Keep one byte past the limit to tell "over" from "at", and stop there.
            int keep = (int) Math.min(n, maxBytes + 1L - length);
            ensureCapacity((int) length + keep);
            System.arraycopy(chunk, from, line, (int) length, keep);
            length += keep;
            if (keep < n || (nl < 0 && length > maxBytes)) {
                chunkPos = from + keep;
                draining = true;
                return length;
            }
            chunkPos = nl < 0 ? chunkLen : nl + 1;
            if (nl >= 0) {
                return stripCr(length);
            }
        }
    }

    /** Skips the rest of the current line and its terminator, holding nothing, up to the skipping distance. */
    private void drain() throws IOException {
        long drained = 0;
        long most = MAX_SKIP_FACTOR * maxBytes;
        while (true) {
            if (drained > most) {
                throw new DatasetReadException(ProblemKind.RECORD_TOO_LARGE, file, lineNumber, index - 1,
                        RawSource.endlessRecord(maxBytes), null);
            }
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return;
                }
            }
            for (int i = chunkPos; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    chunkPos = i + 1;
                    return;
                }
            }
            drained += chunkLen - chunkPos;
            chunkPos = chunkLen;
        }
    }

    private long stripCr(long length) {
        if (length > 0 && length <= maxBytes && line[(int) length - 1] == '\r') {
            return length - 1;
        }
        return length;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > line.length) {
            line = Arrays.copyOf(line, Math.max(capacity, Math.min(line.length * 2, maxBytes + 1)));
        }
    }

    private boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private int firstInvalidUtf8(int start, int end) {
        CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer bytes = ByteBuffer.wrap(line, start, end - start);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(end - start + 1);
        probe.decode(bytes, out, true);
        return bytes.position() - start;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
