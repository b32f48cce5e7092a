package org.valueimprint.parquet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Turns Parquet rows into the JSON-shaped records that the {@link org.valueimprint.io.DatasetFormat dataset formats}
 * read, so that a Parquet file goes through the same formats, validation, error policy and accounting as the same
 * records in JSON Lines. A row becomes the object that {@code pyarrow}'s or the Hub's JSON export of it would be:
 *
 * <table>
 * <caption>From Parquet to JSON</caption>
 * <tr><th>Parquet (physical type, logical type)</th><th>JSON node</th></tr>
 * <tr><td>the row, and any group without LIST or MAP</td><td>object, one key per field, in schema order</td></tr>
 * <tr><td>an optional field with no value</td><td>the key with {@code null}</td></tr>
 * <tr><td>LIST (3-level {@code list.element}, or the legacy 2-level layouts)</td><td>array ({@code null} elements
 *     kept)</td></tr>
 * <tr><td>a repeated field outside a LIST</td><td>array (empty when it has no value)</td></tr>
 * <tr><td>MAP</td><td>object keyed by the keys' text</td></tr>
 * <tr><td>BINARY / FIXED_LEN_BYTE_ARRAY with STRING, ENUM or JSON</td><td>string (strict UTF-8; JSON stays a
 *     string)</td></tr>
 * <tr><td>BINARY / FIXED_LEN_BYTE_ARRAY otherwise (also BSON)</td><td>binary (base64 text when written out)</td></tr>
 * <tr><td>UUID</td><td>string {@code 8-4-4-4-12}</td></tr>
 * <tr><td>BOOLEAN</td><td>boolean</td></tr>
 * <tr><td>INT32, INT64 (signed, or INT(8..32, unsigned))</td><td>integer number</td></tr>
 * <tr><td>INT64 with INT(64, unsigned)</td><td>integer number (as unsigned)</td></tr>
 * <tr><td>FLOAT, DOUBLE</td><td>floating-point number</td></tr>
 * <tr><td>DECIMAL (any physical type)</td><td>decimal number</td></tr>
 * <tr><td>DATE</td><td>string {@code 2024-05-01}</td></tr>
 * <tr><td>TIME</td><td>string {@code 13:45:00.123}</td></tr>
 * <tr><td>TIMESTAMP, and the legacy INT96</td><td>string, ISO-8601 instant {@code 2024-05-01T13:45:00Z} (a
 *     timestamp not adjusted to UTC is written the same way, as its wall-clock reading)</td></tr>
 * </table>
 *
 * <p>A Spark {@code Row} mapper mirrors this table with Spark's types (struct, array, map, string, binary, the
 * numbers, date and timestamp), so that a format reads a row alike wherever it comes from.
 *
 * <p>Strings are decoded strictly: invalid UTF-8, or a row whose text and bytes exceed {@code maxRowBytes}, does not
 * stop the read; the row is finished (with U+FFFD in place of the bad bytes) and {@link #problem()} says what is
 * wrong, for the reader to report or skip it like a bad JSON Lines line. Strings stored in a dictionary are decoded
 * once per row group. Not thread-safe: one instance per file being read.
 */
public final class JsonRowMaterializer extends RecordMaterializer<ObjectNode> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What is wrong with the row just read. */
    public enum Problem {
        /** A string column holds bytes that are not valid UTF-8. */
        INVALID_UTF8,
        /** The row's strings and bytes together exceed the limit. */
        ROW_TOO_LARGE
    }

    private final ObjectConverter root;
    private final long maxRowBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private ObjectNode current;
    private long rowBytes;
    private Problem problem;
    private String problemDetail;

    /**
     * A materializer for rows of {@code schema} (the file's schema, or a projection of it).
     *
     * @param schema the schema of the rows read
     * @param maxRowBytes the most bytes of text and binary one row may hold before it is flagged
     *     {@link Problem#ROW_TOO_LARGE}
     */
    public JsonRowMaterializer(MessageType schema, long maxRowBytes) {
        requireNonNull(schema, "schema");
        this.maxRowBytes = maxRowBytes;
        this.root = new ObjectConverter(schema, node -> current = (ObjectNode) node) {
            @Override
            public void start() {
                rowBytes = 0;
                problem = null;
                problemDetail = null;
                super.start();
            }
        };
    }

    @Override
    public ObjectNode getCurrentRecord() {
        return current;
    }

    @Override
    public GroupConverter getRootConverter() {
        return root;
    }

    /** The problem with the row just read, or null when it read well. */
    public Problem problem() {
        return problem;
    }

    /** What is wrong with the row just read, or null when it read well. */
    public String problemDetail() {
        return problemDetail;
    }

    private void flag(Problem p, String detail) {
        if (problem == null) {
            problem = p;
            problemDetail = detail;
        }
    }

    private void count(int bytes, String field) {
        rowBytes += bytes;
        if (rowBytes > maxRowBytes) {
            flag(Problem.ROW_TOO_LARGE, "row of more than " + maxRowBytes + " bytes of text (limit reached in"
                    + " column \"" + field + "\")");
        }
    }

    private String text(Binary b, String field) {
        count(b.length(), field);
        try {
            return utf8.reset().decode(b.toByteBuffer()).toString();
        } catch (CharacterCodingException e) {
            flag(Problem.INVALID_UTF8, "invalid UTF-8 in column \"" + field + "\"");
            return b.toStringUsingUTF8();
        }
    }

    /** The converter of one field, delivering each value it completes to {@code sink}. */
    private Converter converter(Type type, Consumer<JsonNode> sink) {
        if (type.isPrimitive()) {
            return new ValueConverter(type.asPrimitiveType(), sink);
        }
        GroupType group = type.asGroupType();
        LogicalTypeAnnotation a = group.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && group.getFieldCount() == 1
                && group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            return new ListConverter(group, sink);
        }
        if (a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation && group.getFieldCount() == 1
                && !group.getType(0).isPrimitive() && group.getType(0).asGroupType().getFieldCount() >= 1) {
            return new MapConverter(group, sink);
        }
        return new ObjectConverter(group, sink);
    }

    /** A struct: an object with one key per field; optional fields with no value are null. */
    private class ObjectConverter extends GroupConverter {
        private final GroupType type;
        private final Converter[] fields;
        private final boolean[] repeated;
        private final String[] names;
        private final Consumer<JsonNode> sink;
        private ObjectNode node;

        ObjectConverter(GroupType type, Consumer<JsonNode> sink) {
            this.type = type;
            this.sink = sink;
            int n = type.getFieldCount();
            fields = new Converter[n];
            repeated = new boolean[n];
            names = new String[n];
            for (int i = 0; i < n; i++) {
                Type field = type.getType(i);
                String name = field.getName();
                names[i] = name;
                repeated[i] = field.isRepetition(Type.Repetition.REPEATED);
                if (repeated[i]) {
                    fields[i] = converter(field, v -> ((ArrayNode) node.get(name)).add(v));
                } else {
                    fields[i] = converter(field, v -> node.set(name, v));
                }
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return fields[fieldIndex];
        }

        @Override
        public void start() {
            node = NODES.objectNode();
            for (int i = 0; i < names.length; i++) {
                if (repeated[i]) {
                    node.putArray(names[i]);
                } else {
                    node.putNull(names[i]);
                }
            }
        }

        @Override
        public void end() {
            sink.accept(node);
        }

        @Override
        public String toString() {
            return "object " + type.getName();
        }
    }

    /**
     * A LIST: an array. The repeated field is the element itself (legacy 2-level lists: a primitive, a group of
     * several fields, or a group named {@code array} or {@code <list>_tuple}) or wraps it (the standard 3-level
     * {@code list.element}).
     */
    private class ListConverter extends GroupConverter {
        private final Converter repeated;
        private final Consumer<JsonNode> sink;
        private ArrayNode array;

        ListConverter(GroupType list, Consumer<JsonNode> sink) {
            this.sink = sink;
            Type r = list.getType(0);
            boolean wrapper = !r.isPrimitive() && r.asGroupType().getFieldCount() == 1
                    && !r.getName().equals("array") && !r.getName().equals(list.getName() + "_tuple");
            if (wrapper) {
                repeated = new ElementConverter(r.asGroupType().getType(0), v -> array.add(v));
            } else {
                repeated = converter(r, v -> array.add(v));
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return repeated;
        }

        @Override
        public void start() {
            array = NODES.arrayNode();
        }

        @Override
        public void end() {
            sink.accept(array);
        }
    }

    /** The repeated wrapper of a 3-level list: one element per repetition, null when the element is absent. */
    private class ElementConverter extends GroupConverter {
        private final Converter element;
        private final Consumer<JsonNode> sink;
        private JsonNode value;

        ElementConverter(Type element, Consumer<JsonNode> sink) {
            this.sink = sink;
            this.element = converter(element, v -> value = v);
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return element;
        }

        @Override
        public void start() {
            value = null;
        }

        @Override
        public void end() {
            sink.accept(value == null ? NODES.nullNode() : value);
        }
    }

    /** A MAP: an object keyed by the keys' text (a repeated {@code key_value} group of key and value). */
    private class MapConverter extends GroupConverter {
        private final GroupConverter entry;
        private final Consumer<JsonNode> sink;
        private ObjectNode map;
        private JsonNode key;
        private JsonNode value;

        MapConverter(GroupType type, Consumer<JsonNode> sink) {
            this.sink = sink;
            GroupType kv = type.getType(0).asGroupType();
            Converter keyConverter = converter(kv.getType(0), v -> key = v);
            Converter valueConverter = kv.getFieldCount() > 1 ? converter(kv.getType(1), v -> value = v) : null;
            this.entry = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return fieldIndex == 0 ? keyConverter : valueConverter;
                }

                @Override
                public void start() {
                    key = null;
                    value = null;
                }

                @Override
                public void end() {
                    map.set(key == null ? "null" : key.asText(), value == null ? NODES.nullNode() : value);
                }
            };
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return entry;
        }

        @Override
        public void start() {
            map = NODES.objectNode();
        }

        @Override
        public void end() {
            sink.accept(map);
        }
    }

    /** A primitive value, with the logical type's reading; dictionary strings decoded once per dictionary. */
    private class ValueConverter extends PrimitiveConverter {
        private final PrimitiveType type;
        private final LogicalTypeAnnotation logical;
        private final Consumer<JsonNode> sink;
        private final boolean text;
        private JsonNode[] dictionary;
        private int[] dictionaryBytes;

        ValueConverter(PrimitiveType type, Consumer<JsonNode> sink) {
            this.type = type;
            this.logical = type.getLogicalTypeAnnotation();
            this.sink = sink;
            this.text = logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary d) {
            int size = d.getMaxId() + 1;
            dictionary = new JsonNode[size];
            dictionaryBytes = new int[size];
            for (int id = 0; id < size; id++) {
                switch (type.getPrimitiveTypeName()) {
                    case BINARY:
                    case FIXED_LEN_BYTE_ARRAY:
                    case INT96:
                        // Decoded lazily: a dictionary entry with a bad string flags only the rows that use it.
                        break;
                    case INT32:
                        dictionary[id] = intNode(d.decodeToInt(id));
                        break;
                    case INT64:
                        dictionary[id] = longNode(d.decodeToLong(id));
                        break;
                    case FLOAT:
                        dictionary[id] = NODES.numberNode(d.decodeToFloat(id));
                        break;
                    case DOUBLE:
                        dictionary[id] = NODES.numberNode(d.decodeToDouble(id));
                        break;
                    case BOOLEAN:
                        dictionary[id] = NODES.booleanNode(d.decodeToBoolean(id));
                        break;
                    default:
                        break;
                }
            }
            this.dictionarySource = d;
        }

        private Dictionary dictionarySource;

        @Override
        public void addValueFromDictionary(int id) {
            JsonNode cached = dictionary[id];
            if (cached == null) {
                Binary b = dictionarySource.decodeToBinary(id);
                JsonNode node = binaryNode(b);
                if (problem == null) {
                    dictionary[id] = node; // only a string that decoded well is reused
                    dictionaryBytes[id] = b.length();
                }
                sink.accept(node);
                return;
            }
            if (dictionaryBytes[id] > 0) {
                count(dictionaryBytes[id], type.getName());
            }
            sink.accept(cached);
        }

        @Override
        public void addBinary(Binary value) {
            sink.accept(binaryNode(value));
        }

        @Override
        public void addBoolean(boolean value) {
            sink.accept(NODES.booleanNode(value));
        }

        @Override
        public void addDouble(double value) {
            sink.accept(NODES.numberNode(value));
        }

        @Override
        public void addFloat(float value) {
            sink.accept(NODES.numberNode(value));
        }

        @Override
        public void addInt(int value) {
            sink.accept(intNode(value));
        }

        @Override
        public void addLong(long value) {
            sink.accept(longNode(value));
        }

        private JsonNode intNode(int v) {
            if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                return NODES.numberNode(BigDecimal.valueOf(v, ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)
                        logical).getScale()));
            }
            if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                return NODES.textNode(LocalDate.ofEpochDay(v).toString());
            }
            if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                return NODES.textNode(LocalTime.ofNanoOfDay(v * 1_000_000L).toString());
            }
            if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
                    && !((LogicalTypeAnnotation.IntLogicalTypeAnnotation) logical).isSigned()) {
                return NODES.numberNode(Integer.toUnsignedLong(v));
            }
            return NODES.numberNode(v);
        }

        private JsonNode longNode(long v) {
            if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                return NODES.numberNode(BigDecimal.valueOf(v, ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)
                        logical).getScale()));
            }
            if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
                return NODES.textNode(instant(v, ((LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) logical)
                        .getUnit()).toString());
            }
            if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                long nanos = ((LogicalTypeAnnotation.TimeLogicalTypeAnnotation) logical).getUnit()
                        == LogicalTypeAnnotation.TimeUnit.MICROS ? v * 1_000L : v;
                return NODES.textNode(LocalTime.ofNanoOfDay(nanos).toString());
            }
            if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
                    && !((LogicalTypeAnnotation.IntLogicalTypeAnnotation) logical).isSigned() && v < 0) {
                return NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
            }
            return NODES.numberNode(v);
        }

        private JsonNode binaryNode(Binary b) {
            if (text) {
                return NODES.textNode(text(b, type.getName()));
            }
            count(b.length(), type.getName());
            if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                return NODES.numberNode(new BigDecimal(new BigInteger(b.getBytes()),
                        ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) logical).getScale()));
            }
            if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation && b.length() == 16) {
                ByteBuffer u = b.toByteBuffer();
                return NODES.textNode(new java.util.UUID(u.getLong(), u.getLong()).toString());
            }
            if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96 && b.length() == 12) {
                ByteBuffer t = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long nanosOfDay = t.getLong();
                int julianDay = t.getInt();
                return NODES.textNode(Instant.ofEpochSecond((julianDay - 2_440_588L) * 86_400L, nanosOfDay)
                        .toString());
            }
            return NODES.binaryNode(b.getBytes());
        }

        private Instant instant(long v, LogicalTypeAnnotation.TimeUnit unit) {
            switch (unit) {
                case MILLIS:
                    return Instant.ofEpochMilli(v);
                case MICROS:
                    return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
                default:
                    return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
            }
        }
    }

    /** The top-level field names of a schema, in order (for messages). */
    static List<String> fieldNames(GroupType schema) {
        return schema.getFields().stream().map(Type::getName).toList();
    }
}
