package org.valueimprint.benchmarks.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.valueimprint.benchmarks.BenchmarkTexts;

class PaddingWasteTest {
    @Test
    void theAuditorsCallsAreRecordedOnePerBatchEachTextOnce() {
        Path harmless = BenchmarkTexts.root().resolve(BenchmarkTexts.HH_RLHF).resolve("harmless-base/test.jsonl.gz");
        List<List<String>> calls = PaddingWaste.auditorCalls(List.of(harmless), 256);
        // 2,312 records, 4 of them without a final reply refused: 2,308 in batches of 256
        assertThat(calls).hasSize(10);
        assertThat(calls).allSatisfy(call -> assertThat(call).doesNotHaveDuplicates());
        assertThat(calls.get(0)).hasSizeBetween(256, 512);
        assertThat(calls.get(9)).hasSizeBetween(4, 8); // the last batch: 4 records
    }
}
