package org.valueimprint.benchmarks.parquet;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;

/**
 * Reading a large Parquet file against the same records in JSON Lines, side by side in one JVM (run it with
 * {@code -Xmx256m}: {@code benchmarks/parquet-read.sh}). Not a unit test.
 *
 * <p>The Parquet file is made from the bundled, pyarrow-written hh-rlhf helpful-base file (2,354 real records,
 * zstd, several row groups): its row groups are copied {@code copies} times into one file with a new footer, so the
 * pages are exactly as pyarrow wrote them. The JSON Lines file holds the original {@code test.jsonl.gz} lines the
 * same number of times (uncompressed). Both are read through {@link PreferenceDatasets} with the format detected,
 * alternately, {@code rounds} times; each read reports records per second and the heap's peak.
 *
 * <p>Arguments: {@code [work directory] [copies (default 425: 1,000,450 rows)] [rounds (default 3)]}.
 */
public final class ParquetReadBenchmark {
    private ParquetReadBenchmark() {}

    /** Runs the benchmark and prints one line per read and a summary. */
    public static void main(String[] args) throws IOException {
        Path work = Path.of(args.length > 0 ? args[0] : "benchmarks/target/parquet-read");
        int copies = args.length > 1 ? Integer.parseInt(args[1]) : 425;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path root = dataRoot();
        Files.createDirectories(work);
        Path parquet = work.resolve("helpful-base-x" + copies + ".parquet");
        Path jsonl = work.resolve("helpful-base-x" + copies + ".jsonl");
        long rows = writeParquet(root.resolve("parquet/hh-rlhf/helpful-base/test-00000-of-00001.parquet"), parquet,
                copies);
        long lines = writeJsonLines(root.resolve("hh-rlhf/helpful-base/test.jsonl.gz"), jsonl, copies);
        if (rows != lines) {
            throw new IllegalStateException(rows + " Parquet rows but " + lines + " JSON Lines records");
        }
        System.out.printf("records %,d; Parquet %,d bytes; JSON Lines %,d bytes; max heap %d MiB; %s, %d cores%n",
                rows, Files.size(parquet), Files.size(jsonl), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        double[] best = {0, 0};
        long[] peak = {0, 0};
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 2; i++) {
                Path file = i == 0 ? jsonl : parquet;
                Result r = read(file);
                if (r.records != rows) {
                    throw new IllegalStateException(file + " gave " + r.records + " records, not " + rows);
                }
                best[i] = Math.max(best[i], r.recordsPerSecond());
                peak[i] = Math.max(peak[i], r.peakHeapBytes);
                System.out.printf("round %d  %-10s %,10d records  %6.2f s  %,9.0f records/s  peak heap %4d MiB%n",
                        round + 1, i == 0 ? "JSON Lines" : "Parquet", r.records, r.seconds, r.recordsPerSecond(),
                        r.peakHeapBytes >> 20);
            }
        }
        System.out.printf("best: JSON Lines %,.0f records/s, Parquet %,.0f records/s (Parquet / JSON Lines = %.2f);"
                + " peak heap JSON Lines %d MiB, Parquet %d MiB%n", best[0], best[1], best[1] / best[0],
                peak[0] >> 20, peak[1] >> 20);
    }

    private record Result(long records, double seconds, long peakHeapBytes) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    private static Result read(Path file) {
        System.gc();
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                heap.add(pool);
            }
        }
        long start = System.nanoTime();
        long n;
        try (PreferenceDataset ds = PreferenceDatasets.open(file, ReadOptions.defaults())) {
            n = ds.stream().count();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Result(n, seconds, peak);
    }

    /** Copies the row groups of {@code source} {@code copies} times into {@code target}; returns the row count. */
    static long writeParquet(Path source, Path target, int copies) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        int footerLength = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - footerLength,
                footerLength));
        List<RowGroup> groups = meta.getRow_groups();
        long dataStart = 4;
        long dataEnd = bytes.length - 8 - footerLength;
        List<RowGroup> out = new ArrayList<>();
        long rows = 0;
        try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            o.write("PAR1".getBytes(StandardCharsets.US_ASCII));
            for (int c = 0; c < copies; c++) {
                long shift = (long) c * (dataEnd - dataStart);
                o.write(bytes, (int) dataStart, (int) (dataEnd - dataStart));
                for (RowGroup g : groups) {
                    RowGroup copy = g.deepCopy();
                    for (ColumnChunk chunk : copy.getColumns()) {
                        chunk.setFile_offset(chunk.getFile_offset() + shift);
                        ColumnMetaData m = chunk.getMeta_data();
                        m.setData_page_offset(m.getData_page_offset() + shift);
                        if (m.isSetDictionary_page_offset()) {
                            m.setDictionary_page_offset(m.getDictionary_page_offset() + shift);
                        }
                        m.unsetIndex_page_offset();
                        chunk.unsetColumn_index_offset();
                        chunk.unsetColumn_index_length();
                        chunk.unsetOffset_index_offset();
                        chunk.unsetOffset_index_length();
                    }
                    if (copy.isSetFile_offset()) {
                        copy.setFile_offset(copy.getFile_offset() + shift);
                    }
                    copy.setOrdinal((short) out.size());
                    out.add(copy);
                    rows += copy.getNum_rows();
                }
            }
            meta.setRow_groups(out);
            meta.setNum_rows(rows);
            ByteArrayOutputStream footer = new ByteArrayOutputStream();
            Util.writeFileMetaData(meta, footer);
            footer.writeTo(o);
            o.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
            o.write("PAR1".getBytes(StandardCharsets.US_ASCII));
        }
        return rows;
    }

    /** Writes the lines of a gzip JSON Lines file {@code copies} times; returns the record count. */
    static long writeJsonLines(Path source, Path target, int copies) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(source)), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (int c = 0; c < copies; c++) {
                for (String line : lines) {
                    w.write(line);
                    w.write('\n');
                }
            }
        }
        return (long) lines.size() * copies;
    }

    private static Path dataRoot() {
        String configured = System.getProperty("valueimprint.root");
        Path dir = configured != null ? Path.of(configured).toAbsolutePath() : Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("examples/data/parquet"))) {
                return dir.resolve("examples/data");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("examples/data/parquet not found; run from the repository or set"
                + " -Dvalueimprint.root");
    }
}
