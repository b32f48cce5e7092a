package org.valueimprint.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.io.TestData;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** {@link Evaluator.Builder#threads}: batches classified at the same time give the evaluation of one at a time. */
class ConcurrentEvaluationTest {
    private static final Path CORPUS = TestData.path("annotations/value-imprint-annotations.jsonl");

    @Test
    void severalThreadsGiveTheSameEvaluationFromAFileAndFromMemory() {
        Evaluator.Builder b = Evaluator.builder().batchSize(97).bootstrapResamples(50).clock(Fixtures.FIXED_CLOCK);
        Evaluation one;
        Evaluation three;
        Evaluation threeInMemory;
        try (KeywordClassifier slow = new KeywordClassifier(2, Integer.MAX_VALUE, Optional.empty())) {
            one = b.build().evaluate(slow, CORPUS);
            three = b.threads(3).build().evaluate(slow, CORPUS);
            threeInMemory = b.goldData(CORPUS.toString(), GoldExamples.sha256(CORPUS)).build()
                    .evaluate(slow, GoldExamples.readAll(CORPUS, ValueTaxonomy.valueImprint()));
        }
        assertThat(one.n()).isEqualTo(8195);
        assertThat(three).isEqualTo(one);
        assertThat(threeInMemory).isEqualTo(one);
        assertThat(three.accuracy()).isGreaterThan(0);
    }

    @Test
    void aClassifiersFailureInAWorkerReachesTheCaller() {
        List<GoldExample> examples = GoldExamples.readAll(CORPUS, ValueTaxonomy.valueImprint()).subList(0, 2000);
        try (KeywordClassifier failing = new KeywordClassifier(0, 5, Optional.empty())) {
            assertThatThrownBy(() -> Evaluator.builder().batchSize(100).threads(2).build()
                    .evaluate(failing, examples))
                    .isInstanceOf(IllegalStateException.class).hasMessage("simulated crash after 5 calls");
        }
    }

    @Test
    void threadsMustBePositive() {
        assertThatThrownBy(() -> Evaluator.builder().threads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be positive");
    }
}
