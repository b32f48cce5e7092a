package org.valueimprint.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;

/**
 * What held when the library was first tried with hostile files, kept so: a gzip bomb of one endless line stops at
 * the record size limit, and fifty audits in one JVM leave no file descriptor open and no heap behind.
 */
class HeldGuaranteesTest {
    /**
     * A 240 KB gzip file that expands to 256 MB of one JSON Lines record: refused as too large once the limit is
     * passed, without expanding the rest (a hang or an out-of-memory error would fail the test).
     */
    @Test
    void aGzipBombOfOneEndlessLineStopsAtTheRecordLimit(@TempDir Path dir) throws IOException {
        Path bomb = dir.resolve("bomb.jsonl.gz");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'a');
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            out.write("{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: ".getBytes(UTF_8));
            for (int i = 0; i < 256; i++) {
                out.write(block);
            }
            out.write("\", \"rejected\": \"x\"}\n".getBytes(UTF_8));
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        ReadOptions options = ReadOptions.builder().maxRecordBytes(1 << 20).build();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> {
            try (PreferenceDataset ds = PreferenceDatasets.open(bomb, options)) {
                for (PreferenceRecord r : ds) {
                    assertThat(r).isNull(); // never reached
                }
            }
        }).isInstanceOfSatisfying(DatasetReadException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProblemKind.RECORD_TOO_LARGE);
            assertThat(e.getMessage()).contains("bomb.jsonl.gz");
        }));
    }

    /**
     * Fifty audits of a gzip file in one JVM: none leaves the input open, the open file descriptors do not grow with
     * the number of audits, and the retained heap does not grow. The JVM itself may open a descriptor of its own
     * meanwhile (a jar read for a class first loaded late: the CI saw 70 become 71 once), so the count may rise by a
     * few, never by one an audit.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void fiftyAuditsLeakNoFileDescriptorsAndNoHeap() throws IOException {
        Path input = ValueAuditorTest.HARMLESS;
        ValueAuditor auditor = ValueAuditor.builder(new KeywordClassifier()).threads(2).limit(200)
                .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).build();
        AuditReport first = auditor.audit(input); // warm up class loading and caches
        Map<String, String> fdsBefore = openFileDescriptors();
        long heapBefore = retainedHeap();
        for (int i = 0; i < 50; i++) {
            AuditReport r = auditor.audit(input);
            assertThat(r.accounting().recordsAudited()).isEqualTo(first.accounting().recordsAudited());
        }
        Map<String, String> opened = new TreeMap<>(openFileDescriptors());
        opened.keySet().removeAll(fdsBefore.keySet());
        String inputFile = input.toRealPath().toString();
        assertThat(opened.values()).as("descriptors opened by the audits: %s", opened).doesNotContain(inputFile);
        assertThat(opened).as("descriptors opened by 50 audits: %s", opened).hasSizeLessThan(5);
        // 50 reports of 200 records would keep several MB each if any were retained
        assertThat(retainedHeap() - heapBefore).isLessThan(16L << 20);
    }

    /** The open file descriptors of this process: number to what it points at. */
    private static Map<String, String> openFileDescriptors() throws IOException {
        Map<String, String> open = new TreeMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    open.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) { // the listing's own descriptor, closed once listed
                }
            }
        }
        return open;
    }

    private static long retainedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // the lowest of a few full collections
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
