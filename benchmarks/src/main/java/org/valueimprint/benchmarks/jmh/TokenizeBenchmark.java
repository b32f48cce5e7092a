package org.valueimprint.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.valueimprint.benchmarks.BenchmarkTexts;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * Tokenisation alone: {@link org.valueimprint.onnx.encoder.OnnxTextEncoder#tokenIds(String)} of the default model's
 * encoder over {@value #TEXTS} corpus texts ({@link BenchmarkTexts#sample(int)}, cut to 1,200 characters). One
 * invocation tokenises the whole list; the score is texts per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenizeBenchmark {
    /** Texts per invocation. */
    public static final int TEXTS = 256;

    private OnnxValueClassifier classifier;
    private List<String> texts;

    /** Loads the default model and the texts. */
    @Setup(Level.Trial)
    public void setUp() {
        classifier = Models.classifier(Models.DEFAULT, EncoderOptions.defaults());
        texts = BenchmarkTexts.sample(TEXTS);
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        classifier.close();
    }

    /** Tokenises every text of the list. */
    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public void tokenIds(Blackhole bh) {
        var encoder = Models.encoder(classifier);
        for (String text : texts) {
            bh.consume(encoder.tokenIds(text));
        }
    }
}
