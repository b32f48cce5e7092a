package org.valueimprint.benchmarks.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JmhTable} on JMH JSON written the way JMH writes it. */
class JmhTableTest {
    @TempDir
    Path dir;

    private static String result(String benchmark, String params, String mode, double score, String error,
            String unit) {
        return String.format(Locale.ROOT, """
                {"jmhVersion": "1.37", "benchmark": "org.valueimprint.benchmarks.jmh.%s", "mode": "%s",
                 "threads": 1, "forks": 1, "jvm": "java", "jdkVersion": "17.0.15", "vmName": "OpenJDK 64-Bit Server VM",
                 "vmVersion": "17.0.15+6", "warmupIterations": 2, "warmupTime": "5 s", "warmupBatchSize": 1,
                 "measurementIterations": 3, "measurementTime": "5 s", "measurementBatchSize": 1,
                 "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": %s, "scoreConfidence": [0, 0], "scoreUnit": "%s",
                                   "rawData": [[1, 2, 3]]},
                 "secondaryMetrics": {}}""", benchmark, mode, params, score, error, unit);
    }

    private Path write(String... results) throws IOException {
        Path json = dir.resolve("jmh-test.json");
        Files.writeString(json, "[" + String.join(",", results) + "]");
        return json;
    }

    @Test
    void comparisonsAreRatiosOfTheSameRun() throws IOException {
        Path json = write(
                result("ClassifyBenchmark.classify", "\"model\": \"default\", \"threads\": \"1\","
                        + " \"batchPolicy\": \"sorted\"", "thrpt", 120.0, "4.0", "ops/s"),
                result("ClassifyBenchmark.classify", "\"model\": \"fp32\", \"threads\": \"1\","
                        + " \"batchPolicy\": \"sorted\"", "thrpt", 48.0, "2.0", "ops/s"),
                result("ClassifyBenchmark.classify", "\"model\": \"default\", \"threads\": \"2\","
                        + " \"batchPolicy\": \"sorted\"", "thrpt", 180.0, "\"NaN\"", "ops/s"),
                result("ClassifyBenchmark.classify", "\"model\": \"default\", \"threads\": \"1\","
                        + " \"batchPolicy\": \"inputOrder8\"", "thrpt", 100.0, "3.0", "ops/s"));
        String md = JmhTable.markdown(json);
        assertThat(md)
                .contains("| fp32 / int8 (default) | threads=1, batchPolicy=sorted | 0.40 |")
                .contains("| 2 threads / 1 thread | model=default, batchPolicy=sorted | 1.50 |")
                .contains("| sorted / inputOrder8 | model=default, threads=1 | 1.20 |")
                .contains("| default | 2 | sorted | 180 |")
                .contains("| fp32 | 1 | sorted | 48.0 ± 2.00 |")
                .contains("17.0.15")
                .doesNotContain("### ONNX session alone");
    }

    @Test
    void sessionRowsGiveTextsAndTokensPerSecondAndTheAuditRecordsPerSecond() throws IOException {
        Path json = write(
                result("SessionBenchmark.run", "\"batch\": \"8\", \"sequence\": \"128\", \"model\": \"default\","
                        + " \"threads\": \"1\"", "thrpt", 10.0, "1.0", "ops/s"),
                result("AuditBenchmark.audit", "\"records\": \"64\", \"auditThreads\": \"1\"", "avgt", 2000.0,
                        "100.0", "ms/op"));
        Files.writeString(dir.resolve("jmh-test.env"), "date=2026-11-27T02:00:00Z\nnproc=2\ncpu=Some CPU\n"
                + "uptime_before=load average: 1.00\n");
        String md = JmhTable.markdown(json);
        assertThat(md)
                .contains("| default | 1 | 8 | 128 | 10.0 ± 1.00 | 80.0 | 10,240 |")
                .contains("| 64 | 1 | 2,000 ± 100 | 32.0 |")
                .contains("| Machine | 2 CPUs (`nproc`), Some CPU |")
                .contains("| Date | 2026-11-27T02:00:00Z |");
    }

    @Test
    void theReadmeBlockIsReplacedAndAMissingBlockIsRefused() {
        String readme = "# T\n\n" + JmhTable.BEGIN + "\nold\n" + JmhTable.END + "\n\nafter\n";
        assertThat(JmhTable.replaceGenerated(readme, "new\n", "README.md"))
                .isEqualTo("# T\n\n" + JmhTable.BEGIN + "\nnew\n" + JmhTable.END + "\n\nafter\n");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JmhTable.replaceGenerated("# T\n", "new\n", "README.md"))
                .withMessageContaining("README.md");
    }
}
