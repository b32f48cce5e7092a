package org.valueimprint.onnx.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * Classifiers of one spec share one loaded model, reference counted; a leaked one is cleaned with a warning naming
 * where it was loaded. Each test uses session settings of its own (inter-op threads no other test asks for), so that
 * models other tests hold open cannot be shared into it.
 */
class SharedModelTest {
    private static EncoderOptions own(int interOpThreads) {
        return EncoderOptions.defaults().withIntraOpThreads(1).withInterOpThreads(interOpThreads);
    }

    @Test
    void aSecondLoadWhileTheFirstIsOpenSharesItsModelAndClosingOneLeavesTheOtherWorking() {
        EncoderOptions options = own(11);
        SessionSettings settings = SessionSettings.of(options);
        List<String> texts = TestTexts.hhRlhfShort(6);
        int loads = SharedModels.loads();
        OnnxValueClassifier first = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), options);
        assertThat(SharedModels.loads()).isEqualTo(loads + 1);
        List<ValuePrediction> expected = first.classify(texts);

        OnnxValueClassifier second = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), options);
        // another batch policy is not another session: shared as well
        OnnxValueClassifier third = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(),
                options.withBatchPolicy(BatchPolicy.defaults().withWindow(64)));
        assertThat(SharedModels.loads()).isEqualTo(loads + 1);
        assertThat(SharedModels.users(settings)).isEqualTo(3);
        assertThat(second.classify(texts)).isEqualTo(expected);
        assertThat(third.classify(texts)).isEqualTo(expected);
        assertThat(second.info()).isEqualTo(first.info());

        first.close();
        first.close(); // a second close does nothing
        assertThat(SharedModels.users(settings)).isEqualTo(2);
        assertThatThrownBy(() -> first.classify(texts)).isInstanceOf(IllegalStateException.class);
        assertThat(second.classify(texts)).isEqualTo(expected);
        third.close();
        assertThat(second.classify(texts)).isEqualTo(expected);
        second.close();
        assertThat(SharedModels.users(settings)).isZero();

        // the model was released: the next load loads it again, and predicts the same
        try (OnnxValueClassifier again = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), options)) {
            assertThat(SharedModels.loads()).isEqualTo(loads + 2);
            assertThat(again.classify(texts)).isEqualTo(expected);
        }
        assertThat(SharedModels.users(settings)).isZero();
    }

    @Test
    void otherSessionSettingsAreAnotherModel() {
        int loads = SharedModels.loads();
        try (OnnxValueClassifier a = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), own(12));
                OnnxValueClassifier b = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), own(13))) {
            assertThat(SharedModels.loads()).isEqualTo(loads + 2);
            assertThat(SharedModels.users(SessionSettings.of(own(12)))).isEqualTo(1);
            assertThat(SharedModels.users(SessionSettings.of(own(13)))).isEqualTo(1);
        }
    }

    @Test
    void concurrentLoadsOfOneSpecLoadOnce() throws Exception {
        EncoderOptions options = own(14);
        int threads = 4;
        int loads = SharedModels.loads();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<OnnxValueClassifier>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), options);
                }));
            }
            start.countDown();
            List<OnnxValueClassifier> classifiers = new ArrayList<>();
            for (Future<OnnxValueClassifier> f : futures) {
                classifiers.add(f.get(300, TimeUnit.SECONDS));
            }
            assertThat(SharedModels.loads()).isEqualTo(loads + 1);
            assertThat(SharedModels.users(SessionSettings.of(options))).isEqualTo(threads);
            List<String> texts = TestTexts.hhRlhfShort(2);
            List<ValuePrediction> expected = classifiers.get(0).classify(texts);
            for (OnnxValueClassifier c : classifiers) {
                assertThat(c.classify(texts)).isEqualTo(expected);
                c.close();
            }
            assertThat(SharedModels.users(SessionSettings.of(options))).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedLoadHoldsNothing(@TempDir Path empty) {
        EncoderOptions options = own(15);
        int loads = SharedModels.loads();
        assertThatThrownBy(() -> OnnxTextEncoder.load(EncoderSource.directory(empty), options))
                .isInstanceOf(ModelException.class).hasMessageContaining("no model.onnx");
        assertThat(SharedModels.users(SessionSettings.of(options))).isZero();
        assertThat(SharedModels.loads()).isEqualTo(loads);
    }

    @Test
    void aLeakedClassifierIsCleanedWithAWarningNamingWhereItWasLoaded() throws InterruptedException {
        EncoderOptions options = own(16);
        SessionSettings settings = SessionSettings.of(options);
        Logger logger = Logger.getLogger(OnnxTextEncoder.class.getName());
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            int leaked = OnnxTextEncoder.leaked();
            // closed classifiers are not leaks
            OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), options).close();
            leakOne(options);
            assertThat(SharedModels.users(settings)).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (SharedModels.users(settings) > 0 && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            assertThat(SharedModels.users(settings)).as("the leaked classifier's share was released").isZero();
            assertThat(OnnxTextEncoder.leaked()).isEqualTo(leaked + 1);
            assertThat(warnings).singleElement().asString()
                    .contains("without close()")
                    .contains(SharedModelTest.class.getName() + ".leakOne(SharedModelTest.java:");
        } finally {
            logger.removeHandler(handler);
        }
    }

    /** Loads a classifier and drops it unclosed. */
    private static void leakOne(EncoderOptions options) {
        OnnxValueClassifier leaked = OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), options);
        assertThat(leaked.classify(TestTexts.hhRlhfShort(1))).hasSize(1);
    }

    @Test
    void theCreationSiteIsTheCallerOutsideTheLibrary() {
        assertThat(OnnxTextEncoder.creationSite())
                .startsWith(SharedModelTest.class.getName() + ".theCreationSiteIsTheCallerOutsideTheLibrary(");
        assertThat(OnnxTextEncoder.leakMessage("classpath:x", "a.B.c(B.java:1)"))
                .contains("classpath:x").contains("loaded at a.B.c(B.java:1)").contains("close()");
    }
}
