package org.valueimprint.spark;

import java.util.Iterator;
import java.util.function.LongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RawRecord;
import org.valueimprint.io.RawSource;
import scala.Tuple2;

/**
 * Rows of a Spark table, each with its position, as the source records of a read: the formats, their validation,
 * the error policy and the accounting then work as for a file. Remembers the row it gave last, so that a reader of
 * the records made from it can tell which row they came from.
 */
final class RowSource implements RawSource {
    private final Iterator<Tuple2<Row, Long>> rows;
    private final StructType schema;
    private final LongFunction<String> position;
    private Row lastRow;
    private long lastIndex = -1;

    /**
     * @param rows the rows, each with its 0-based position
     * @param position names a position in messages
     */
    RowSource(Iterator<Tuple2<Row, Long>> rows, StructType schema, LongFunction<String> position) {
        this.rows = rows;
        this.schema = schema;
        this.position = position;
    }

    @Override
    public RawRecord next() {
        if (!rows.hasNext()) {
            return null;
        }
        Tuple2<Row, Long> t = rows.next();
        lastRow = t._1();
        lastIndex = t._2();
        try {
            return RawRecord.of(RowJson.toJson(t._1(), schema), lastIndex, 0);
        } catch (RuntimeException e) {
            return RawRecord.problem(lastIndex, 0, ProblemKind.INVALID_FIELD,
                    "the row cannot be turned into a record: " + e);
        }
    }

    @Override
    public String position(long index) {
        return position.apply(index);
    }

    /** The row given last, or null. */
    Row lastRow() {
        return lastRow;
    }

    /** The position of the row given last, or -1. */
    long lastIndex() {
        return lastIndex;
    }

    @Override
    public void close() {}
}
