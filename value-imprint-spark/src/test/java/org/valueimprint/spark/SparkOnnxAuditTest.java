package org.valueimprint.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.ReportJson;

/**
 * The default ONNX model (int8: a text's probabilities depend slightly on its batch-mates) gives the Spark audit the
 * very report of the local audit, because the Spark audit classifies the same batches; and the module runs on
 * Spark's Jackson 2.21.
 */
class SparkOnnxAuditTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Spark.session("SparkOnnxAuditTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void theModuleRunsOnSparksJackson() {
        assertThat(PackageVersion.VERSION.getMajorVersion()).isEqualTo(2);
        assertThat(PackageVersion.VERSION.getMinorVersion()).isEqualTo(21);
        assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.getMinorVersion()).isEqualTo(21);
    }

    @Test
    void theDefaultModelsSparkReportEqualsItsLocalReport() {
        Path file = Spark.data("parquet/hh-rlhf/helpful-base/test-00000-of-00001.parquet");
        ReadOptions read = ReadOptions.builder().format("hh-rlhf").datasetName("helpful-base/test").build();
        Dataset<Row> sample = spark.read().parquet(file.toString()).limit(60).coalesce(1)
                .withColumn("line", org.apache.spark.sql.functions.monotonically_increasing_id());
        List<Row> rows = sample.collectAsList();
        Dataset<Row> partitioned = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3), sample.schema());

        AuditReport actual = SparkValueAuditor.builder(ClassifierLoader.defaultModel()).batchSize(16)
                .readOptions(read).indexColumn("line").build().audit(partitioned, "helpful-base sample");

        ValueClassifier local = ExecutorClassifiers.get(ClassifierLoader.defaultModel()
                .withDefaultOption(SparkValueAuditor.THREADS_OPTION, "1"));
        AuditReport expected = ValueAuditor.builder(local).batchSize(16).readOptions(read).build()
                .audit(rowsAsRecords(sample, read), "helpful-base sample");

        assertThat(actual.accounting().recordsAudited()).isEqualTo(60);
        assertThat(ReportJson.toJson(Spark.comparable(actual)))
                .isEqualTo(ReportJson.toJson(Spark.comparable(expected)));
    }

    /** The same rows read locally, through the same formats, as JSON Lines. */
    private static List<org.valueimprint.data.PreferenceRecord> rowsAsRecords(Dataset<Row> rows, ReadOptions read) {
        String jsonl = String.join("\n", rows.toJSON().collectAsList());
        try (var ds = org.valueimprint.io.PreferenceDatasets.open(
                new java.io.ByteArrayInputStream(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "helpful-base sample", read)) {
            return ds.stream().toList();
        }
    }
}
