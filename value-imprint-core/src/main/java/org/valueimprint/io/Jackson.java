package org.valueimprint.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/** Jackson set up with a read's limits, and the mapping of Jackson's and the JDK's exceptions to problems. */
final class Jackson {
    private Jackson() {}

    static StreamReadConstraints constraints(ReadOptions options) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(options.maxNestingDepth())
                .maxStringLength(options.maxRecordBytes())
                .maxDocumentLength(-1)
                .build();
    }

    /**
     * A mapper with the read's limits that refuses a key repeated in one object (last-wins would silently lose
     * data). With {@code wholeInput} a parse must consume its whole input (one JSON Lines line), and the parser
     * itself refuses duplicates ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}). Without it, it reads one
     * value from a parser positioned inside a larger document (an array element); there duplicates are refused
     * when the element's tree is built ({@link DeserializationFeature#FAIL_ON_READING_DUP_TREE_KEY}), after the
     * repeated key's value, so that the parser is left at a token boundary and the rest of the element can be
     * skipped: the parser's own check throws in the middle of a token and leaves it unable to go on.
     */
    static ObjectMapper mapper(ReadOptions options, boolean wholeInput) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints(options))
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, wholeInput).build();
        return JsonMapper.builder(factory).configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, wholeInput)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /**
     * The key that an exception reports as repeated in one object, from either duplicate check, or empty when the
     * exception is about something else.
     */
    static Optional<String> duplicateKey(IOException e) {
        if (!(e instanceof JsonProcessingException)) {
            return Optional.empty();
        }
        Matcher m = DUPLICATE.matcher(String.valueOf(((JsonProcessingException) e).getOriginalMessage()));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final Pattern DUPLICATE =
            Pattern.compile("^Duplicate field '(.*)'(?: for `ObjectNode`.*)?$", Pattern.DOTALL);

    /** The problem kind of an exception thrown while reading. */
    static ProblemKind kindOf(IOException e) {
        if (duplicateKey(e).isPresent()) {
            return ProblemKind.INVALID_FIELD;
        }
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("nesting") ? ProblemKind.NESTING_TOO_DEEP : ProblemKind.RECORD_TOO_LARGE;
        }
        if (e instanceof JsonEOFException || e instanceof EOFException) {
            return ProblemKind.TRUNCATED_INPUT;
        }
        if (e instanceof ZipException) {
            return ProblemKind.CORRUPT_INPUT;
        }
        if (e instanceof CharConversionException || e instanceof CharacterCodingException) {
            return ProblemKind.INVALID_UTF8;
        }
        if (e instanceof JsonProcessingException) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Invalid UTF-8") || m.contains("Invalid UTF8")) {
                return ProblemKind.INVALID_UTF8;
            }
            if (m.contains("Unexpected end-of-input")) {
                return ProblemKind.TRUNCATED_INPUT;
            }
            return ProblemKind.MALFORMED_JSON;
        }
        return ProblemKind.IO_ERROR;
    }

    /** A one-line description of an exception, without Jackson's source excerpt. */
    static String describe(IOException e) {
        String message;
        Optional<String> duplicate = duplicateKey(e);
        if (duplicate.isPresent()) {
            JsonProcessingException j = (JsonProcessingException) e;
            message = "field \"" + shorten(duplicate.get()) + "\" appears twice in one object (JSON objects must not"
                    + " repeat a key: one of the values would be lost)";
            if (j.getLocation() != null && j.getLocation().getColumnNr() > 0) {
                message += " (column " + j.getLocation().getColumnNr() + ")";
            }
        } else if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            message = j.getOriginalMessage();
            if (j.getLocation() != null && j.getLocation().getColumnNr() > 0) {
                message += " (column " + j.getLocation().getColumnNr() + ")";
            }
        } else if (e instanceof EOFException) {
            message = "the file ends in the middle of a record or of its compressed stream"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        } else {
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return message.replace('\n', ' ');
    }

    private static String shorten(String key) {
        return key.length() > 60 ? key.substring(0, 60) + "..." : key;
    }

    /** The 1-based line Jackson reports for an exception, or 0. */
    static long lineOf(IOException e) {
        if (e instanceof JsonProcessingException && ((JsonProcessingException) e).getLocation() != null) {
            return Math.max(0, ((JsonProcessingException) e).getLocation().getLineNr());
        }
        return 0;
    }
}
