package org.valueimprint.examples.spark;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.HtmlReport;
import org.valueimprint.report.ReportJson;
import org.valueimprint.spark.ClassifierLoader;
import org.valueimprint.spark.SparkValueAuditor;

/**
 * A Spark job that audits a Parquet or JSON Lines table with the default model and writes the report (JSON and HTML)
 * on the driver. Submit the shaded jar ({@code target/value-imprint-example-spark-job-*-job.jar}):
 *
 * <pre>
 * spark-submit --class org.valueimprint.examples.spark.AuditTableJob \
 *   --executor-memory 2g --executor-cores 4 \
 *   value-imprint-example-spark-job-0.1.0-SNAPSHOT-job.jar \
 *   s3a://bucket/hh-rlhf/harmless-base/ hh-rlhf harmless-base/test report
 * </pre>
 *
 * <p>Arguments: the table (a Parquet file or folder, or {@code .jsonl[.gz]}), the format ({@code detect} to detect
 * it), the dataset name, the output prefix ({@code PREFIX.json}, {@code PREFIX.html}). Locally:
 * {@code examples/spark-job/run-local.sh}.
 */
public final class AuditTableJob {
    private AuditTableJob() {}

    /** Runs the job; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: AuditTableJob TABLE FORMAT|detect DATASET_NAME OUTPUT_PREFIX");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("value-imprint audit").getOrCreate();
        try {
            String table = args[0];
            Dataset<Row> rows = table.endsWith(".jsonl") || table.endsWith(".jsonl.gz") || table.endsWith(".json")
                    ? spark.read().json(table) : spark.read().parquet(table);
            ReadOptions.Builder read = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).datasetName(args[2]);
            if (!args[1].equals("detect")) {
                read.format(args[1]);
            }
            AuditReport report = SparkValueAuditor.builder(ClassifierLoader.defaultModel())
                    .readOptions(read.build()).build().audit(rows, table);
            ReportJson.write(report, Path.of(args[3] + ".json"));
            HtmlReport.write(report, Path.of(args[3] + ".html"));
            System.out.printf("audited %d records (%d skipped) in %s; wrote %s.json and %s.html%n",
                    report.accounting().recordsAudited(), report.accounting().recordsSkipped(),
                    report.provenance().timing().duration(), args[3], args[3]);
        } finally {
            spark.stop();
        }
    }
}
