package org.valueimprint.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Side;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.FieldMapping;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.ReportJson;

/**
 * The Spark audit of the bundled real data equals the local audit of the same records, model and options, whatever
 * the partitioning: with a batch-sensitive fake classifier, so that equal reports also mean equal batches.
 */
class SparkAuditEquivalenceTest {
    private static final ClassifierLoader LOADER =
            ClassifierLoader.custom("batch-sensitive-keyword", BatchSensitiveClassifier::new);
    /** Small batches, so that batches straddle partitions. */
    private static final int BATCH = 24;

    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static ValueClassifier local;

    @BeforeAll
    static void start() {
        spark = Spark.session("SparkAuditEquivalenceTest");
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        local = new BatchSensitiveClassifier();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SparkValueAuditor.Builder spark(ReadOptions read) {
        return SparkValueAuditor.builder(LOADER).batchSize(BATCH).readOptions(read);
    }

    private static ValueAuditor localAuditor(ReadOptions read) {
        return ValueAuditor.builder(local).batchSize(BATCH).readOptions(read).build();
    }

    /** The same rows in {@code partitions} partitions, in the same order. */
    private static Dataset<Row> inPartitions(Dataset<Row> rows, int partitions) {
        List<Row> all = rows.collectAsList();
        return spark.createDataFrame(jsc.parallelize(all, partitions), rows.schema());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8})
    void jsonLinesReportEqualsLocalReportForAnyPartitioning(int partitions) {
        Path file = Spark.data("hh-rlhf/harmless-base/test.jsonl.gz");
        // SKIP: the file's 4 records with an empty final reply are skipped and counted on both sides
        ReadOptions read = ReadOptions.builder().datasetName("harmless-base/test").errorPolicy(ErrorPolicy.SKIP)
                .build();
        AuditReport expected = localAuditor(read).audit(file);

        Dataset<Row> rows = inPartitions(spark.read().json(file.toString()), partitions);
        assertThat(rows.javaRDD().getNumPartitions()).isEqualTo(partitions);
        AuditReport actual = spark(read).build().audit(rows, file.toString());

        assertThat(actual.accounting().recordsRead()).isEqualTo(2312);
        assertThat(actual.accounting().sourceRecords().skipped()).isEqualTo(4);
        assertThat(ReportJson.toJson(Spark.comparable(actual))).isEqualTo(ReportJson.toJson(Spark.comparable(expected)));
        assertThat(Spark.comparable(actual)).isEqualTo(Spark.comparable(expected));
        assertThat(actual.sides().get(0).values().get(0).adjustedShare()).isPresent();
    }

    @Test
    void afterARepartitionTheIndexColumnKeepsTheReport() {
        Path file = Spark.data("hh-rlhf/harmless-base/test.jsonl.gz");
        ReadOptions read = ReadOptions.builder().format("hh-rlhf").datasetName("harmless-base/test")
                .errorPolicy(ErrorPolicy.SKIP).build();
        AuditReport expected = localAuditor(read).audit(file);

        Dataset<Row> rows = spark.read().json(file.toString()).coalesce(1)
                .withColumn("line", functions.monotonically_increasing_id())
                .repartition(5);
        AuditReport actual = spark(read).indexColumn("line").build().audit(rows, file.toString());

        assertThat(Spark.comparable(actual)).isEqualTo(Spark.comparable(expected));
    }

    @Test
    void parquetReadBySparkGivesTheLocalParquetReport() {
        Path file = Spark.data("parquet/ultrafeedback_binarized/data/train_prefs-00000-of-00001.parquet");
        ReadOptions read = ReadOptions.builder().datasetName("ultrafeedback").build();
        AuditReport expected = localAuditor(read).audit(file);

        Dataset<Row> rows = inPartitions(spark.read().parquet(file.toString()), 3);
        AuditReport actual = spark(read).build().audit(rows, file.toString());

        assertThat(actual.accounting().recordsAudited()).isPositive();
        assertThat(Spark.comparable(actual)).isEqualTo(Spark.comparable(expected));
    }

    @Test
    void aColumnMappingReadsAnyTable() {
        Path file = Spark.data("parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet");
        ReadOptions read = ReadOptions.builder().format("generic").datasetName("harmless")
                .fieldMapping(FieldMapping.parse("chosen=good,rejected=bad")).build();
        Dataset<Row> renamed = spark.read().parquet(file.toString()).limit(300)
                .withColumnRenamed("chosen", "good").withColumnRenamed("rejected", "bad");
        Path jsonl = writeJsonLines(renamed);
        AuditReport expected = localAuditor(read).audit(jsonl);

        AuditReport actual = spark(read).build().audit(inPartitions(renamed, 4), jsonl.toString());

        assertThat(actual.accounting().recordsAudited()).isEqualTo(300);
        assertThat(Spark.comparable(actual)).isEqualTo(Spark.comparable(expected));
    }

    @TempDir
    static Path temp;

    private static Path writeJsonLines(Dataset<Row> rows) {
        try {
            Path out = Files.createTempFile(temp, "rows", ".jsonl");
            Files.write(out, rows.toJSON().collectAsList(), StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** 40 good hh-rlhf lines with two bad ones: a chosen side with no turns (line 8) and no rejected side (line 23). */
    private static Path withBadRows() throws IOException {
        Dataset<Row> good = spark.read().json(Spark.data("hh-rlhf/harmless-base/test.jsonl.gz").toString())
                .coalesce(1).limit(40);
        List<String> lines = new ArrayList<>(good.toJSON().collectAsList());
        lines.set(7, "{\"chosen\": \"no turns at all\", \"rejected\": \"\\n\\nHuman: hi\\n\\nAssistant: hello\"}");
        lines.set(22, "{\"chosen\": \"\\n\\nHuman: hi\\n\\nAssistant: hello\"}");
        Path file = temp.resolve("bad-rows.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void badRowsAreSkippedAndCountedAsLocallyUnderSkip() throws IOException {
        Path file = withBadRows();
        ReadOptions read = ReadOptions.builder().format("hh-rlhf").errorPolicy(ErrorPolicy.SKIP).build();
        AuditReport expected = localAuditor(read).audit(file);

        Dataset<Row> rows = inPartitions(spark.read().json(file.toString()), 3);
        AuditReport actual = spark(read).build().audit(rows, file.toString());

        assertThat(actual.accounting().recordsSkipped()).isEqualTo(2);
        assertThat(actual.accounting().recordsRead()).isEqualTo(40);
        assertThat(Spark.comparable(actual)).isEqualTo(Spark.comparable(expected));
    }

    @Test
    void aBadRowUnderFailFailsTheJobNamingTheRow() throws IOException {
        Path file = withBadRows();
        ReadOptions read = ReadOptions.builder().format("hh-rlhf").build();
        assertThatThrownBy(() -> localAuditor(read).audit(file)).isInstanceOf(DatasetReadException.class);

        Dataset<Row> rows = inPartitions(spark.read().json(file.toString()), 3);
        assertThatThrownBy(() -> spark(read).build().audit(rows, "bad-rows.jsonl"))
                .isInstanceOf(DatasetReadException.class)
                .hasMessageStartingWith("bad-rows.jsonl, row 7: ")
                .hasMessageContaining("no \"Assistant:\" turn");
    }

    @Test
    void predictAddsTheLocalClassifiersProbabilitiesToEveryRow() {
        Path file = Spark.data("parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet");
        // the first 80 rows: row 86 has an empty chosen reply, which the hh-rlhf format refuses
        Dataset<Row> rows = inPartitions(spark.read().parquet(file.toString()).limit(80), 3);
        ReadOptions read = ReadOptions.builder().format("hh-rlhf").build();

        Dataset<Row> predicted = SparkValueAuditor.builder(
                        ClassifierLoader.custom("keyword", KeywordClassifier::new))
                .readOptions(read).build().predict(rows, "harmless");
        assertThat(predicted.schema().fieldNames()).containsExactly("chosen", "rejected", "chosen_value",
                "chosen_probabilities", "rejected_value", "rejected_probabilities");

        // the local classifier's predictions of the same records, in order
        List<Map<Side, ValuePrediction>> expected = new ArrayList<>();
        Map<String, Integer> order = new HashMap<>();
        ValueAuditor.builder(new KeywordClassifier()).predictionListener((record, side, prediction) -> {
            int i = order.computeIfAbsent(record.id(), k -> {
                expected.add(new EnumMap<>(Side.class));
                return expected.size() - 1;
            });
            expected.get(i).put(side, prediction);
        }).readOptions(read).build().audit(writeJsonLines(rows));

        List<Row> out = predicted.collectAsList();
        assertThat(out).hasSize(80);
        assertThat(expected).hasSize(80);
        List<String> ids = new KeywordClassifier().taxonomy().values().stream().map(v -> v.id()).toList();
        for (int r = 0; r < out.size(); r++) {
            Row row = out.get(r);
            Map<Side, ValuePrediction> want = expected.get(r);
            for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
                ValuePrediction p = want.get(side);
                assertThat(row.getString(row.fieldIndex(side.key() + "_value"))).isEqualTo(p.top().id());
                Row probs = row.getStruct(row.fieldIndex(side.key() + "_probabilities"));
                for (int i = 0; i < ids.size(); i++) {
                    assertThat(probs.getDouble(probs.fieldIndex(ids.get(i)))).isEqualTo(p.probability(i));
                }
            }
        }
    }
}
