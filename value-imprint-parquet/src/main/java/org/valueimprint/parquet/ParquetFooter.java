package org.valueimprint.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.TimeUnit;
import org.apache.parquet.format.Util;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.valueimprint.io.ProblemKind;

/** A Parquet file's footer: its Thrift metadata and its schema, read from the end of the file. */
record ParquetFooter(FileMetaData metadata, MessageType schema) {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENCRYPTED_MAGIC = "PARE".getBytes(StandardCharsets.US_ASCII);
    /** The largest footer read: a footer larger than this is taken as corrupt. */
    static final int MAX_FOOTER_BYTES = 256 * 1024 * 1024;

    /** A problem with the file as a whole, before any row: its kind and what is wrong. */
    static final class FileProblem extends Exception {
        private static final long serialVersionUID = 1L;
        final ProblemKind kind;

        FileProblem(ProblemKind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }
    }

    /** Reads the footer of a file. */
    static ParquetFooter read(FileChannel channel) throws IOException, FileProblem {
        long size = channel.size();
        byte[] head = new byte[4];
        if (size < 4 || readFully(channel, 0, head) < 4 || !(java.util.Arrays.equals(head, MAGIC)
                || java.util.Arrays.equals(head, ENCRYPTED_MAGIC))) {
            throw new FileProblem(ProblemKind.CORRUPT_INPUT,
                    "not a Parquet file: it does not start with the magic bytes PAR1", null);
        }
        if (java.util.Arrays.equals(head, ENCRYPTED_MAGIC)) {
            throw new FileProblem(ProblemKind.IO_ERROR, "an encrypted Parquet file (PARE): not supported", null);
        }
        byte[] tail = new byte[8];
        if (size < 12 || readFully(channel, size - 8, tail) < 8
                || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
            throw new FileProblem(ProblemKind.TRUNCATED_INPUT, "the file ends before its Parquet footer (" + size
                    + " bytes, no closing magic bytes PAR1): it is truncated or still being written", null);
        }
        int length = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length <= 0 || length > MAX_FOOTER_BYTES || length > size - 12) {
            throw new FileProblem(ProblemKind.CORRUPT_INPUT, "the Parquet footer length " + Integer.toUnsignedString(
                    length) + " does not fit a file of " + size + " bytes", null);
        }
        byte[] footer = new byte[length];
        readFully(channel, size - 8 - length, footer);
        FileMetaData metadata;
        try {
            metadata = Util.readFileMetaData(new ByteArrayInputStream(footer));
        } catch (IOException | RuntimeException e) {
            throw new FileProblem(ProblemKind.CORRUPT_INPUT, "the Parquet footer cannot be read: " + e.getMessage(),
                    e);
        }
        try {
            return new ParquetFooter(metadata, schema(metadata.getSchema()));
        } catch (RuntimeException e) {
            throw new FileProblem(ProblemKind.CORRUPT_INPUT, "the Parquet schema cannot be read: " + e.getMessage(),
                    e);
        }
    }

    /** Reads {@code into.length} bytes at {@code position}, or fewer at the end of the file; returns how many. */
    static int readFully(FileChannel channel, long position, byte[] into) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                break;
            }
        }
        return buffer.position();
    }

    /** The schema from the footer's depth-first list of elements. */
    static MessageType schema(List<SchemaElement> elements) {
        Iterator<SchemaElement> it = elements.iterator();
        SchemaElement root = it.next();
        MessageType message = new MessageType(root.getName(), children(it, root.getNum_children()));
        if (it.hasNext()) {
            throw new IllegalArgumentException("the schema lists more elements than its tree holds");
        }
        return message;
    }

    private static List<Type> children(Iterator<SchemaElement> it, int count) {
        List<Type> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!it.hasNext()) {
                throw new IllegalArgumentException("the schema ends inside a group");
            }
            SchemaElement e = it.next();
            Type.Repetition repetition = repetition(e);
            LogicalTypeAnnotation annotation = annotation(e);
            Type field;
            if (e.isSetNum_children() && !e.isSetType()) {
                List<Type> members = children(it, e.getNum_children());
                field = members.isEmpty() || annotation == null ? new GroupType(repetition, e.getName(), members)
                        : org.apache.parquet.schema.Types.buildGroup(repetition).as(annotation).addFields(
                                members.toArray(new Type[0])).named(e.getName());
            } else {
                PrimitiveTypeName primitive = e.getType() == org.apache.parquet.format.Type.BYTE_ARRAY
                        ? PrimitiveTypeName.BINARY : PrimitiveTypeName.valueOf(e.getType().name());
                field = new PrimitiveType(repetition, primitive, e.isSetType_length() ? e.getType_length() : 0,
                        e.getName()).withLogicalTypeAnnotation(annotation);
            }
            fields.add(field);
        }
        return fields;
    }

    private static Type.Repetition repetition(SchemaElement e) {
        FieldRepetitionType r = e.isSetRepetition_type() ? e.getRepetition_type() : FieldRepetitionType.OPTIONAL;
        return Type.Repetition.valueOf(r.name());
    }

    /** The element's logical type, from its logicalType union or else its legacy converted type; null for none. */
    static LogicalTypeAnnotation annotation(SchemaElement e) {
        if (e.isSetLogicalType()) {
            LogicalType t = e.getLogicalType();
            if (t.isSetSTRING()) {
                return LogicalTypeAnnotation.stringType();
            } else if (t.isSetMAP()) {
                return LogicalTypeAnnotation.mapType();
            } else if (t.isSetLIST()) {
                return LogicalTypeAnnotation.listType();
            } else if (t.isSetENUM()) {
                return LogicalTypeAnnotation.enumType();
            } else if (t.isSetDECIMAL()) {
                return LogicalTypeAnnotation.decimalType(t.getDECIMAL().getScale(), t.getDECIMAL().getPrecision());
            } else if (t.isSetDATE()) {
                return LogicalTypeAnnotation.dateType();
            } else if (t.isSetTIME()) {
                return LogicalTypeAnnotation.timeType(t.getTIME().isIsAdjustedToUTC(), unit(t.getTIME().getUnit()));
            } else if (t.isSetTIMESTAMP()) {
                return LogicalTypeAnnotation.timestampType(t.getTIMESTAMP().isIsAdjustedToUTC(),
                        unit(t.getTIMESTAMP().getUnit()));
            } else if (t.isSetINTEGER()) {
                return LogicalTypeAnnotation.intType(t.getINTEGER().getBitWidth(), t.getINTEGER().isIsSigned());
            } else if (t.isSetJSON()) {
                return LogicalTypeAnnotation.jsonType();
            } else if (t.isSetBSON()) {
                return LogicalTypeAnnotation.bsonType();
            } else if (t.isSetUUID()) {
                return LogicalTypeAnnotation.uuidType();
            }
            return null; // a type this reader does not interpret: the plain physical value is used
        }
        if (!e.isSetConverted_type()) {
            return null;
        }
        ConvertedType c = e.getConverted_type();
        switch (c) {
            case UTF8:
                return LogicalTypeAnnotation.stringType();
            case MAP:
            case MAP_KEY_VALUE:
                return LogicalTypeAnnotation.mapType();
            case LIST:
                return LogicalTypeAnnotation.listType();
            case ENUM:
                return LogicalTypeAnnotation.enumType();
            case DECIMAL:
                return LogicalTypeAnnotation.decimalType(e.getScale(), e.getPrecision());
            case DATE:
                return LogicalTypeAnnotation.dateType();
            case TIME_MILLIS:
                return LogicalTypeAnnotation.timeType(true, LogicalTypeAnnotation.TimeUnit.MILLIS);
            case TIME_MICROS:
                return LogicalTypeAnnotation.timeType(true, LogicalTypeAnnotation.TimeUnit.MICROS);
            case TIMESTAMP_MILLIS:
                return LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS);
            case TIMESTAMP_MICROS:
                return LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS);
            case UINT_8:
                return LogicalTypeAnnotation.intType(8, false);
            case UINT_16:
                return LogicalTypeAnnotation.intType(16, false);
            case UINT_32:
                return LogicalTypeAnnotation.intType(32, false);
            case UINT_64:
                return LogicalTypeAnnotation.intType(64, false);
            case INT_8:
                return LogicalTypeAnnotation.intType(8, true);
            case INT_16:
                return LogicalTypeAnnotation.intType(16, true);
            case INT_32:
                return LogicalTypeAnnotation.intType(32, true);
            case INT_64:
                return LogicalTypeAnnotation.intType(64, true);
            case JSON:
                return LogicalTypeAnnotation.jsonType();
            case BSON:
                return LogicalTypeAnnotation.bsonType();
            default:
                return null;
        }
    }

    private static LogicalTypeAnnotation.TimeUnit unit(TimeUnit unit) {
        if (unit.isSetMILLIS()) {
            return LogicalTypeAnnotation.TimeUnit.MILLIS;
        }
        return unit.isSetMICROS() ? LogicalTypeAnnotation.TimeUnit.MICROS : LogicalTypeAnnotation.TimeUnit.NANOS;
    }
}
