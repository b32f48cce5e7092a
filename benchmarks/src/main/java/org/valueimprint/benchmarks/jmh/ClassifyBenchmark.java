package org.valueimprint.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.valueimprint.benchmarks.BenchmarkTexts;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * {@link OnnxValueClassifier#classify(List)} end to end (tokenisation, batching, the model, pooling, the head) on
 * {@value #TEXTS} corpus texts ({@link BenchmarkTexts#sample(int)}, cut to 1,200 characters), for each model
 * ({@value Models#DEFAULT}: int8 encoder; {@value Models#FP32}: the same head over the fp32 encoder), ONNX Runtime
 * intra-op thread count and batch policy ({@value Models#SORTED}, {@value Models#INPUT_ORDER_8}; see
 * {@link Models}). One invocation classifies the whole list; the score is texts per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassifyBenchmark {
    /** Texts per invocation. */
    public static final int TEXTS = 64;

    /** The model. */
    @Param({Models.DEFAULT, Models.FP32})
    public String model;

    /** ONNX Runtime intra-op threads. */
    @Param({"1", "2"})
    public int threads;

    /** The batch policy. */
    @Param({Models.SORTED, Models.INPUT_ORDER_8})
    public String batchPolicy;

    private OnnxValueClassifier classifier;
    private List<String> texts;

    /** Loads the classifier and the texts. */
    @Setup(Level.Trial)
    public void setUp() {
        classifier = Models.classifier(model, Models.options(threads, batchPolicy));
        texts = BenchmarkTexts.sample(TEXTS);
    }

    /** Closes the classifier. */
    @TearDown(Level.Trial)
    public void tearDown() {
        classifier.close();
    }

    /** Classifies the list; returned so that JMH consumes it. */
    @Benchmark
    @OperationsPerInvocation(TEXTS)
    public List<ValuePrediction> classify() {
        return classifier.classify(texts);
    }
}
