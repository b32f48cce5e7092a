package org.valueimprint.onnx.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.ValuePrediction;

/**
 * {@code close()} while other threads classify: calls in progress finish with whole predictions, later calls fail
 * with a clear {@link IllegalStateException} saying the classifier is closed; nothing else is thrown, nothing crashes.
 */
class CloseDuringClassificationTest {
    private static final List<String> BATCH = Collections.nCopies(8,
            "Human: How do vaccines work?\n\nAssistant: They train the immune system to recognise a germ.");

    @Test
    void closeDuringClassificationGivesACleanError() throws Exception {
        OnnxValueClassifier classifier = OnnxValueClassifier.loadDefault();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch started = new CountDownLatch(4);
        try {
            List<Future<RuntimeException>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    started.countDown();
                    while (true) {
                        try {
                            List<ValuePrediction> p = classifier.classify(BATCH);
                            assertThat(p).hasSize(BATCH.size());
                        } catch (RuntimeException e) {
                            return e;
                        }
                    }
                }));
            }
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            classifier.close();
            for (Future<RuntimeException> w : workers) {
                RuntimeException e = w.get(60, TimeUnit.SECONDS);
                assertThat(e).isInstanceOf(IllegalStateException.class);
                assertThat(e.getMessage()).contains("closed");
            }
        } finally {
            pool.shutdownNow();
            classifier.close(); // a second close does nothing
        }
    }
}
