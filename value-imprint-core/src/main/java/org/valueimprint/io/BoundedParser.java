package org.valueimprint.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;

/**
 * A parser that counts the input consumed while a value is read and aborts the read, with {@link LimitExceeded},
 * as soon as the value passes a size: the size limit is enforced while the value is being built, never after. The
 * check runs after every token, so at most one string (itself bounded by the parser's string length limit) is
 * read past the limit. The underlying parser stays consistent: the rest of the value can be skipped and the next
 * one read.
 */
final class BoundedParser extends JsonParserDelegate {
    /** Thrown (without a stack trace) when the value being read passes its limit. */
    static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitExceeded() {
            super("the value passes the size limit", null, false, false);
        }
    }

    private static final LimitExceeded LIMIT_EXCEEDED = new LimitExceeded();

    private long endOffset = Long.MAX_VALUE;

    BoundedParser(JsonParser parser) {
        super(parser);
    }

    /** The offset (bytes, or characters for a parser reading characters) of a location, or -1. */
    static long offset(JsonLocation location) {
        long bytes = location.getByteOffset();
        return bytes >= 0 ? bytes : location.getCharOffset();
    }

    /** Aborts reads once the input consumed passes {@code start + limit}. */
    void arm(long start, long limit) {
        endOffset = start < 0 ? Long.MAX_VALUE : start + limit;
    }

    /** Stops checking. */
    void disarm() {
        endOffset = Long.MAX_VALUE;
    }

    private void check() {
        if (endOffset != Long.MAX_VALUE && offset(delegate.currentLocation()) > endOffset) {
            throw LIMIT_EXCEEDED;
        }
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = super.nextToken();
        check();
        return t;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken t = super.nextValue();
        check();
        return t;
    }

    @Override
    public String nextFieldName() throws IOException {
        String name = super.nextFieldName();
        check();
        return name;
    }

    @Override
    public boolean nextFieldName(SerializableString str) throws IOException {
        boolean match = super.nextFieldName(str);
        check();
        return match;
    }

    @Override
    public String nextTextValue() throws IOException {
        String text = super.nextTextValue();
        check();
        return text;
    }

    @Override
    public int nextIntValue(int defaultValue) throws IOException {
        int v = super.nextIntValue(defaultValue);
        check();
        return v;
    }

    @Override
    public long nextLongValue(long defaultValue) throws IOException {
        long v = super.nextLongValue(defaultValue);
        check();
        return v;
    }

    @Override
    public Boolean nextBooleanValue() throws IOException {
        Boolean v = super.nextBooleanValue();
        check();
        return v;
    }
}
