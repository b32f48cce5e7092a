package org.valueimprint.examples.spark;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;
import org.valueimprint.spark.ClassifierLoader;
import org.valueimprint.spark.SparkValueAuditor;

/**
 * Records per second of the Spark audit in {@code local[2]} against {@link ValueAuditor} with 2 threads, on the same
 * machine, records and default model, side by side in one run, and the overhead ratio (not a unit test). Arguments:
 * a Parquet file of hh-rlhf records (default: the bundled harmless-base test split) and how many records (default
 * 400). Run with {@code examples/spark-job/run-local.sh --benchmark [FILE [N]]}.
 */
public final class SparkAuditBenchmark {
    private SparkAuditBenchmark() {}

    /** Runs the benchmark and prints one line per audit and the ratio. */
    public static void main(String[] args) {
        String file = args.length > 0 ? args[0]
                : "examples/data/parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        ReadOptions read = ReadOptions.builder().format("hh-rlhf").datasetName("bench")
                .errorPolicy(org.valueimprint.io.ErrorPolicy.SKIP).build();
        SparkSession spark = SparkSession.builder().appName("value-imprint benchmark").master("local[2]")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Dataset<Row> source = spark.read().parquet(file).limit(n).coalesce(1);
            List<Row> rows = source.collectAsList();
            Dataset<Row> table = spark.createDataFrame(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 4), source.schema())
                    .cache();
            table.count();

            // warm-up: loads the model in this JVM (executors share the driver's JVM in local mode)
            SparkValueAuditor.builder(ClassifierLoader.defaultModel()).readOptions(read).build()
                    .audit(table.limit(16), "warm-up");

            long t0 = System.nanoTime();
            AuditReport onSpark = SparkValueAuditor.builder(ClassifierLoader.defaultModel()).readOptions(read)
                    .build().audit(table, file);
            double sparkSeconds = (System.nanoTime() - t0) / 1e9;

            List<String> jsonl = source.toJSON().collectAsList();
            AuditReport local;
            double localSeconds;
            try (ValueClassifier classifier = ValueClassifiers.loadDefault()) {
                Path tmp = java.nio.file.Files.createTempFile("bench", ".jsonl");
                java.nio.file.Files.write(tmp, jsonl);
                long t1 = System.nanoTime();
                local = ValueAuditor.builder(classifier).threads(2).readOptions(read).build().audit(tmp);
                localSeconds = (System.nanoTime() - t1) / 1e9;
                java.nio.file.Files.delete(tmp);
            }
            long records = onSpark.accounting().recordsAudited();
            System.out.printf("records %d, texts %d, %d cores%n", records, onSpark.accounting().textsClassified(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("ValueAuditor (2 threads): %.1f s, %.1f records/s%n", localSeconds,
                    local.accounting().recordsAudited() / localSeconds);
            System.out.printf("Spark local[2], 4 partitions: %.1f s, %.1f records/s%n", sparkSeconds,
                    records / sparkSeconds);
            System.out.printf("overhead ratio (Spark time / local time): %.2f%n", sparkSeconds / localSeconds);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            spark.stop();
        }
    }
}
