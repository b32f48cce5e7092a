package org.valueimprint.parquet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RawRecord;
import org.valueimprint.io.RawSource;
import org.valueimprint.io.ReadOptions;

/**
 * The rows of one Parquet file as {@link RawRecord}s, one row group in memory at a time. Problems with the file
 * (not Parquet, truncated, an unsupported codec, a corrupt page) end the read with a {@link DatasetReadException}
 * naming the row and its row group; a row with invalid UTF-8 or over the size limit is a skippable row problem.
 */
final class ParquetSource implements RawSource {
    private final Path path;
    private final String file;
    private final ReadOptions options;
    private final FileChannel channel;
    private final MessageType fileSchema;
    private final List<RowGroup> groups;
    /** The 0-based index of each row group's first row, and the total row count at the end. */
    private final long[] firstRows;
    private MessageType schema;
    private int group = -1;
    private long rowInGroup;
    private long groupRows;
    private long index;
    private RecordReader<com.fasterxml.jackson.databind.node.ObjectNode> reader;
    private JsonRowMaterializer materializer;

    ParquetSource(Path path, String file, ReadOptions options) throws IOException {
        this.path = path;
        this.file = file;
        this.options = options;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        ParquetFooter footer;
        try {
            footer = ParquetFooter.read(channel);
        } catch (ParquetFooter.FileProblem e) {
            channel.close();
            throw new DatasetReadException(e.kind, file, 0, -1, e.getMessage(), e.getCause());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.fileSchema = footer.schema();
        this.schema = fileSchema;
        this.groups = footer.metadata().isSetRow_groups() ? footer.metadata().getRow_groups() : List.of();
        this.firstRows = new long[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            firstRows[g + 1] = firstRows[g] + groups.get(g).getNum_rows();
        }
    }

    /** The file's schema. */
    MessageType fileSchema() {
        return fileSchema;
    }

    @Override
    public RawRecord next() {
        while (rowInGroup >= groupRows) {
            if (group + 1 >= groups.size()) {
                return null;
            }
            openGroup(group + 1);
        }
        long row = index;
        com.fasterxml.jackson.databind.node.ObjectNode node;
        try {
            node = reader.read();
        } catch (RuntimeException e) {
            throw new DatasetReadException(ProblemKind.CORRUPT_INPUT, file, position(row), row,
                    "the row cannot be decoded: " + e.getMessage(), e);
        }
        rowInGroup++;
        index++;
        if (materializer.problem() != null) {
            ProblemKind kind = materializer.problem() == JsonRowMaterializer.Problem.INVALID_UTF8
                    ? ProblemKind.INVALID_UTF8 : ProblemKind.RECORD_TOO_LARGE;
            return RawRecord.problem(row, 0, kind, materializer.problemDetail() + " (" + position(row) + ")");
        }
        return RawRecord.of(node, row, 0);
    }

    private void openGroup(int g) {
        RowGroup rowGroup = groups.get(g);
        long first = firstRows[g];
        RowGroupPages pages;
        MessageColumnIO io;
        try {
            io = new ColumnIOFactory(false).getColumnIO(schema, fileSchema, true);
            pages = RowGroupPages.read(channel, rowGroup, schema.getColumns());
        } catch (Decompression.UnsupportedCodecException e) {
            throw new DatasetReadException(ProblemKind.IO_ERROR, file, position(first), first, e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new DatasetReadException(ProblemKind.TRUNCATED_INPUT, file, position(first), first,
                    "the file is truncated: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new DatasetReadException(ProblemKind.CORRUPT_INPUT, file, position(first), first,
                    "row group " + g + " cannot be read: " + e.getMessage(), e);
        }
        materializer = new JsonRowMaterializer(schema, options.maxRecordBytes());
        try {
            reader = io.getRecordReader(pages, materializer);
        } catch (RuntimeException e) {
            throw new DatasetReadException(ProblemKind.CORRUPT_INPUT, file, position(first), first,
                    "row group " + g + " cannot be decoded: " + e.getMessage(), e);
        }
        group = g;
        rowInGroup = 0;
        groupRows = rowGroup.getNum_rows();
    }

    /** Reads only the columns named (those in the file), from the next row group on; all when none is there. */
    @Override
    public void project(Set<String> fields) {
        List<Type> kept = new ArrayList<>();
        for (Type t : fileSchema.getFields()) {
            if (fields.contains(t.getName())) {
                kept.add(t);
            }
        }
        schema = kept.isEmpty() ? fileSchema : new MessageType(fileSchema.getName(), kept);
    }

    /** The columns read from the next row group on. */
    MessageType schema() {
        return schema;
    }

    @Override
    public String position(long row) {
        int g = Arrays.binarySearch(firstRows, row);
        g = g >= 0 ? g : -g - 2;
        // Rows past the end (none in practice) are placed in the last group.
        g = Math.max(0, Math.min(g, Math.max(0, groups.size() - 1)));
        while (g + 1 < groups.size() && firstRows[g + 1] <= row) {
            g++;
        }
        return "row " + row + " (row group " + g + ")";
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "Parquet " + path;
    }
}
