package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** How batches are cut, and how little they pad on real hh-rlhf texts. */
class BatchPolicyTest {
    @Test
    void cutsSortedSequencesByBudgetAndSizeByHand() {
        BatchPolicy policy = new BatchPolicy(512, 12, 3);
        // sorted: #1 (3), #3 (3), #0 (5), #2 (9); #0 would make 3 x 5 = 15 > 12; #2 would make 2 x 9 = 18 > 12
        assertThat(policy.plan(new int[] {5, 3, 9, 3})).containsExactly(new int[] {1, 3}, new int[] {0},
                new int[] {2});
        // a sequence longer than the budget goes alone; the size limit cuts equal lengths
        assertThat(policy.plan(new int[] {20, 2, 2, 2, 2})).containsExactly(new int[] {1, 2, 3}, new int[] {4},
                new int[] {0});
        assertThat(policy.plan(new int[0])).isEmpty();
    }

    @Test
    void paddingWasteByHand() {
        // batches {3, 3} and {5, 9}: padded 6 + 18 = 24 tokens for 20 real ones
        assertThat(BatchPolicy.paddingWaste(new int[] {5, 3, 9, 3}, List.of(new int[] {1, 3}, new int[] {0, 2})))
                .isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(BatchPolicy.paddingWaste(new int[0], List.of())).isZero();
    }

    @Test
    void validatesItsComponents() {
        assertThatThrownBy(() -> new BatchPolicy(0, 1, 1)).hasMessageContaining("window");
        assertThatThrownBy(() -> BatchPolicy.defaults().withMaxPaddedTokens(0)).hasMessageContaining("maxPaddedTokens");
        assertThatThrownBy(() -> BatchPolicy.defaults().withMaxBatchSize(-1)).hasMessageContaining("maxBatchSize");
        assertThat(BatchPolicy.defaults()).isEqualTo(new BatchPolicy(512, 8192, 32));
        assertThat(BatchPolicy.defaults().withWindow(64).window()).isEqualTo(64);
    }

    @Property
    void everySequenceIsInExactlyOneBatchWithinTheLimits(
            @ForAll @Size(max = 300) List<@IntRange(min = 1, max = 512) Integer> lengthList,
            @ForAll @IntRange(min = 1, max = 10_000) int budget, @ForAll @IntRange(min = 1, max = 64) int maxSize) {
        int[] lengths = lengthList.stream().mapToInt(Integer::intValue).toArray();
        BatchPolicy policy = new BatchPolicy(512, budget, maxSize);
        List<int[]> batches = policy.plan(lengths);

        int[] seen = new int[lengths.length];
        int previousLength = 0;
        for (int[] batch : batches) {
            assertThat(batch.length).isBetween(1, maxSize);
            int max = 0;
            for (int i : batch) {
                seen[i]++;
                assertThat(lengths[i]).isGreaterThanOrEqualTo(previousLength); // sorted across batches
                previousLength = lengths[i];
                max = Math.max(max, lengths[i]);
            }
            if (batch.length > 1) {
                assertThat((long) batch.length * max).isLessThanOrEqualTo(budget);
            }
        }
        assertThat(Arrays.stream(seen).allMatch(count -> count == 1)).isTrue();
        assertThat(policy.plan(lengths)).containsExactlyElementsOf(batches); // the input alone decides
    }

    @Test
    void sortedBatchesOfRealHhRlhfTextsWasteUnderTenPercentOnPadding() {
        List<String> texts = TestTexts.hhRlhf(512);
        int[] lengths = TestTexts.minilmQ().sequenceLengths(texts);
        assertThat(lengths).hasSize(512);
        BatchPolicy policy = BatchPolicy.defaults();
        double sorted = BatchPolicy.paddingWaste(lengths, policy.plan(lengths));
        List<int[]> inOrder = new ArrayList<>(); // what batches of 32 in input order would waste
        for (int start = 0; start < lengths.length; start += 32) {
            inOrder.add(java.util.stream.IntStream.range(start, Math.min(lengths.length, start + 32)).toArray());
        }
        double unsorted = BatchPolicy.paddingWaste(lengths, inOrder);
        System.out.printf("[encoder] padding waste on %d hh-rlhf texts (mean %.0f tokens): sorted %.2f%%,"
                + " batches of 32 in input order %.1f%%, %d batches%n", lengths.length,
                Arrays.stream(lengths).average().orElse(0), 100 * sorted, 100 * unsorted,
                policy.plan(lengths).size());
        assertThat(sorted).isLessThan(0.10);
        assertThat(sorted).isLessThan(unsorted);
    }
}
