package org.valueimprint.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a Spark {@link Row} into the JSON-shaped record the dataset formats read, with the type table of the
 * Parquet module's {@code JsonRowMaterializer}, so that a table read by Spark and the same data read from a file
 * give the same records:
 *
 * <table>
 * <caption>Spark types and the JSON values they become</caption>
 * <tr><th>Spark type</th><th>JSON value</th></tr>
 * <tr><td>StringType (also char/varchar)</td><td>string</td></tr>
 * <tr><td>ByteType, ShortType, IntegerType, LongType</td><td>integer</td></tr>
 * <tr><td>FloatType, DoubleType</td><td>floating-point number</td></tr>
 * <tr><td>DecimalType</td><td>decimal number</td></tr>
 * <tr><td>BooleanType</td><td>boolean</td></tr>
 * <tr><td>BinaryType</td><td>binary (base64 text when written out)</td></tr>
 * <tr><td>DateType</td><td>string {@code 2024-05-01}</td></tr>
 * <tr><td>TimestampType</td><td>string, ISO-8601 instant {@code 2024-05-01T13:45:00Z}</td></tr>
 * <tr><td>TimestampNTZType</td><td>string, ISO-8601 local date-time</td></tr>
 * <tr><td>ArrayType</td><td>array (null elements stay null)</td></tr>
 * <tr><td>StructType</td><td>object with one key per field</td></tr>
 * <tr><td>MapType</td><td>object (keys as text)</td></tr>
 * <tr><td>a null value</td><td>the key with {@code null}</td></tr>
 * <tr><td>any other type</td><td>its text</td></tr>
 * </table>
 */
final class RowJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RowJson() {}

    /** The record of a top-level row of a table with this schema. */
    static ObjectNode toJson(Row row, StructType schema) {
        ObjectNode out = NODES.objectNode();
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            out.set(fields[i].name(), row.isNullAt(i) ? NODES.nullNode() : value(row.get(i), fields[i].dataType()));
        }
        return out;
    }

    private static JsonNode value(Object v, DataType type) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (type instanceof StructType struct) {
            return toJson((Row) v, struct);
        }
        if (type instanceof ArrayType array) {
            ArrayNode out = NODES.arrayNode();
            for (Object e : asList(v)) {
                out.add(value(e, array.elementType()));
            }
            return out;
        }
        if (type instanceof MapType map) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<?, ?> e : asMap(v).entrySet()) {
                out.set(String.valueOf(e.getKey()), value(e.getValue(), map.valueType()));
            }
            return out;
        }
        if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType) {
            return NODES.numberNode(((Number) v).intValue());
        }
        if (type instanceof LongType) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (type instanceof FloatType) {
            return NODES.numberNode(((Number) v).floatValue());
        }
        if (type instanceof DoubleType) {
            return NODES.numberNode(((Number) v).doubleValue());
        }
        if (type instanceof DecimalType) {
            return NODES.numberNode(v instanceof BigDecimal b ? b : new BigDecimal(v.toString()));
        }
        if (type instanceof BooleanType) {
            return NODES.booleanNode((Boolean) v);
        }
        if (type instanceof BinaryType) {
            return NODES.binaryNode((byte[]) v);
        }
        if (v instanceof Date d) {
            return NODES.textNode(d.toLocalDate().toString());
        }
        if (v instanceof LocalDate d) {
            return NODES.textNode(d.toString());
        }
        if (v instanceof Timestamp t) {
            return NODES.textNode(t.toInstant().toString());
        }
        if (v instanceof Instant t) {
            return NODES.textNode(t.toString());
        }
        if (v instanceof LocalDateTime t) {
            return NODES.textNode(t.toString());
        }
        return NODES.textNode(v.toString());
    }

    private static List<?> asList(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava(seq);
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        throw new IllegalArgumentException("an array column holds a " + v.getClass().getName());
    }

    private static Map<?, ?> asMap(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        if (v instanceof scala.collection.Map<?, ?> m) {
            return scala.jdk.javaapi.CollectionConverters.asJava(m);
        }
        throw new IllegalArgumentException("a map column holds a " + v.getClass().getName());
    }
}
