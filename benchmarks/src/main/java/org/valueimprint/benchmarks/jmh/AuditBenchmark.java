package org.valueimprint.benchmarks.jmh;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.benchmarks.BenchmarkTexts;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.report.AuditReport;

/**
 * {@link ValueAuditor#audit(Path...)} of the first {@code records} records of the bundled hh-rlhf
 * {@value #FILE} (under {@value BenchmarkTexts#HH_RLHF}), read by the library's own reader, with the default model
 * and the auditor's defaults (chosen and rejected sides, texts cut to 1,200 characters, batches of 64 records) and
 * {@code auditThreads} worker threads. One operation is one whole audit, reading included; the score is
 * milliseconds per audit (records per second: {@code records × 1000 / score}; two texts a record).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AuditBenchmark {
    /** The audited file, relative to {@value BenchmarkTexts#HH_RLHF}: the smallest of the bundled test files. */
    public static final String FILE = "harmless-base/test.jsonl.gz";

    /** Records audited. */
    @Param({"64"})
    public int records;

    /** The auditor's worker threads. */
    @Param({"1"})
    public int auditThreads;

    private OnnxValueClassifier classifier;
    private ValueAuditor auditor;
    private Path file;

    /** Loads the default model and builds the auditor. */
    @Setup(Level.Trial)
    public void setUp() {
        classifier = Models.classifier(Models.DEFAULT, EncoderOptions.defaults());
        auditor = ValueAuditor.builder(classifier).limit(records).threads(auditThreads).build();
        file = BenchmarkTexts.hhRlhf(FILE);
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        classifier.close();
    }

    /** One audit. */
    @Benchmark
    public AuditReport audit() {
        return auditor.audit(file);
    }
}
