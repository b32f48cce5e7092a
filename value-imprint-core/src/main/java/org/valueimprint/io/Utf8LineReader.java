package org.valueimprint.io;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding that knows its line: bytes that are not UTF-8 end the read with a
 * {@link MalformedUtf8Exception} naming the 1-based line they are on and the byte (the JDK's decoders say only
 * {@code Input length = 1}). A line ends at {@code \n}, {@code \r\n} or a lone {@code \r}.
 */
final class Utf8LineReader extends Reader {
    /** Bytes that are not UTF-8, with the line they are on. */
    static final class MalformedUtf8Exception extends CharConversionException {
        private static final long serialVersionUID = 1L;

        private final long line;

        MalformedUtf8Exception(long line, String message) {
            super(message);
            this.line = line;
        }

        /** The 1-based line of the bad bytes. */
        long line() {
            return line;
        }
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private boolean endOfInput;
    private boolean flushed;
    private long line = 1;
    private boolean afterCr;
    private MalformedUtf8Exception pending;

    Utf8LineReader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending != null) {
            throw pending;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (out.position() == off) {
            if (!bytes.hasRemaining() && !endOfInput) {
                fill();
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                count(cbuf, off, out.position());
                byte bad = bytes.get(bytes.position());
                pending = new MalformedUtf8Exception(line, String.format(java.util.Locale.ROOT,
                        "bytes that are not UTF-8 (byte 0x%02X%s); is the file in another encoding, such as"
                                + " Latin-1 or Windows-1252? Convert it to UTF-8", bad & 0xff,
                        result.isMalformed() && result.length() > 1 ? " and the next " + (result.length() - 1) : ""));
                if (out.position() > off) {
                    return out.position() - off;
                }
                throw pending;
            }
            if (endOfInput && !bytes.hasRemaining()) {
                if (!flushed) {
                    decoder.flush(out);
                    flushed = true;
                }
                if (out.position() == off) {
                    return -1;
                }
            } else if (result.isUnderflow() && out.position() == off) {
                fill();
            }
        }
        count(cbuf, off, out.position());
        return out.position() - off;
    }

    private void fill() throws IOException {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
        } finally {
            bytes.flip();
        }
    }

    /** Counts the line ends among the characters handed out. */
    private void count(char[] cbuf, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = cbuf[i];
            if (c == '\n') {
                if (!afterCr) {
                    line++;
                }
                afterCr = false;
            } else if (c == '\r') {
                line++;
                afterCr = true;
            } else {
                afterCr = false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
