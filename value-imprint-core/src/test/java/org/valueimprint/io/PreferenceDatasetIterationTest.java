package org.valueimprint.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.data.PreferenceRecord;

/**
 * Issue 15, point 10: a {@link PreferenceDataset} is an {@link Iterable} that can be iterated again (files, stream
 * suppliers), or says clearly that it cannot (a bare stream); {@link PreferenceDataset#formats()} keeps file order.
 * On the real data bundled under {@code examples/data}.
 */
class PreferenceDatasetIterationTest {
    private static final String HH = "hh-rlhf/harmless-base/test.jsonl.gz";
    /** The bundled files are read whole with SKIP: harmless-base has 4 records without a final reply. */
    private static final ReadOptions SKIP = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();

    private static List<PreferenceRecord> all(Iterable<PreferenceRecord> records) {
        List<PreferenceRecord> out = new ArrayList<>();
        for (PreferenceRecord r : records) {
            out.add(r);
        }
        return out;
    }

    @Test
    void aSecondForEachReadsTheFileAgainAndStatsDescribeTheLatestPass() {
        try (PreferenceDataset ds = PreferenceDatasets.open(TestData.path(HH), SKIP)) {
            assertThat(ds.reiterable()).isTrue();
            assertThat(ds.stats().recordsRead()).isZero();
            List<PreferenceRecord> first = all(ds);
            ReadStats afterFirst = ds.stats();
            List<PreferenceRecord> second = all(ds);
            assertThat(first).hasSizeGreaterThan(1000);
            assertThat(second).isEqualTo(first);
            assertThat(ds.stats()).isEqualTo(afterFirst);
            assertThat(ds.stats().recordsProduced()).isEqualTo(first.size());
            assertThat(ds.stats().recordsSkipped()).isEqualTo(4);
            assertThat(ds.stream().count()).isEqualTo(first.size());
        }
    }

    @Test
    void twoIteratorsAtOnceAreIndependent() {
        try (PreferenceDataset ds = PreferenceDatasets.open(TestData.path(HH), SKIP)) {
            Iterator<PreferenceRecord> a = ds.iterator();
            a.next();
            a.next();
            Iterator<PreferenceRecord> b = ds.iterator();
            List<PreferenceRecord> fromB = new ArrayList<>();
            while (b.hasNext()) {
                fromB.add(b.next());
                if (a.hasNext()) {
                    a.next();
                }
            }
            assertThat(fromB).hasSize((int) ds.stats().recordsProduced()).isEqualTo(all(ds));
        }
    }

    @Test
    void closingEndsEveryIterationAndRefusesNewOnes() {
        PreferenceDataset ds = PreferenceDatasets.open(TestData.path(HH));
        Iterator<PreferenceRecord> it = ds.iterator();
        assertThat(it.hasNext()).isTrue();
        it.next();
        ds.close();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(ds::iterator).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed")
                .hasMessageContaining("test.jsonl.gz");
    }

    @Test
    void aStreamSupplierIsOpenedOncePerIteration() {
        Path file = TestData.path("helpsteer2/test-rm.jsonl");
        AtomicInteger opened = new AtomicInteger();
        Supplier<InputStream> opener = () -> {
            opened.incrementAndGet();
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try (PreferenceDataset ds = PreferenceDatasets.open(opener, "test-rm.jsonl", ReadOptions.defaults())) {
            assertThat(opened).hasValue(0);
            List<PreferenceRecord> first = all(ds);
            List<PreferenceRecord> second = all(ds);
            assertThat(opened).hasValue(2);
            assertThat(first).isNotEmpty().isEqualTo(second);
            assertThat(first).extracting(PreferenceRecord::id)
                    .isEqualTo(TestData.readAll(file).stream().map(PreferenceRecord::id).toList());
        }
    }

    @Test
    void aFailingSupplierIsADatasetProblemNamingTheStream() {
        Supplier<InputStream> broken = () -> {
            throw new UncheckedIOException(new IOException("connection reset"));
        };
        try (PreferenceDataset ds = PreferenceDatasets.open(broken, "remote.jsonl", ReadOptions.defaults())) {
            assertThatThrownBy(() -> all(ds)).isInstanceOfSatisfying(DatasetReadException.class,
                    e -> assertThat(e.kind()).isEqualTo(ProblemKind.IO_ERROR))
                    .hasMessageContaining("remote.jsonl").hasMessageContaining("connection reset");
        }
        try (PreferenceDataset ds = PreferenceDatasets.open(() -> null, "null.jsonl", ReadOptions.defaults())) {
            assertThatThrownBy(() -> all(ds)).isInstanceOf(DatasetReadException.class)
                    .hasMessageContaining("null.jsonl");
        }
    }

    @Test
    void formatsKeepTheOrderInWhichFilesWereOpened(@TempDir Path dir) throws IOException {
        String[][] copies = {
            {"a-politune.json", "politune/politune-left.first600.json"},
            {"b-llamafactory.jsonl", "llamafactory/v1_dpo_demo.jsonl"},
            {"c-ultrafeedback.jsonl", "ultrafeedback/ultrafeedback_binarized.flattened.jsonl"},
            {"d-helpsteer2.jsonl", "helpsteer2/test-rm.jsonl"},
            {"e-hh.jsonl.gz", HH},
            {"f-gpt4llm.json", "gpt4llm/comparison_gpt4_data_en.subset.json"},
            {"g-oasst.jsonl", "oasst/en_100_tree.jsonl"},
        };
        for (String[] c : copies) {
            Files.copy(TestData.path(c[1]), dir.resolve(c[0]));
        }
        try (PreferenceDataset ds = PreferenceDatasets.open(dir, SKIP)) {
            ds.stream().count();
            assertThat(ds.formats().keySet()).containsExactlyElementsOf(ds.files());
            assertThat(ds.formats().values()).doesNotContainNull()
                    .containsSubsequence("trl", "llamafactory-v1", "helpsteer2-nemo", "hh-rlhf", "oasst");
            assertThat(ds.formats()).containsEntry(dir.resolve("e-hh.jsonl.gz").toString(), "hh-rlhf");
            assertThatThrownBy(() -> ds.formats().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
