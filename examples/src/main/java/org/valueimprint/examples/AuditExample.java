package org.valueimprint.examples;

import java.nio.file.Path;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.HtmlReport;
import org.valueimprint.report.ReportJson;
import org.valueimprint.report.ValueShare;

/**
 * Audits a preference dataset with the default model and writes HTML and JSON reports.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" org.valueimprint.examples.AuditExample \
 *     examples/data/hh-rlhf/harmless-base/test.jsonl.gz 200
 * </pre>
 */
public final class AuditExample {
    private AuditExample() {}

    /** Arguments: the dataset (file or directory), then optionally the number of records to audit. */
    public static void main(String[] args) throws Exception {
        Path input = Path.of(args.length > 0 ? args[0] : "examples/data/hh-rlhf/harmless-base/test.jsonl.gz");
        long limit = args.length > 1 ? Long.parseLong(args[1]) : 200;
        try (ValueClassifier classifier = ValueClassifiers.loadDefault()) {
            // Skip and count the records a reader refuses (harmless-base line 87, for one, has an empty last
            // reply) rather than stop at the first: the report's accounting says how many and why.
            AuditReport report = ValueAuditor.builder(classifier).limit(limit)
                    .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).build().audit(input);
            for (ValueShare v : report.side(org.valueimprint.data.Side.CHOSEN).orElseThrow().values()) {
                System.out.printf("%-30s %5.1f%% [%4.1f, %4.1f]%n", v.label(), 100 * v.share(), 100 * v.ciLow(),
                        100 * v.ciHigh());
            }
            System.out.println("records read " + report.accounting().recordsRead() + ", audited "
                    + report.accounting().recordsAudited() + ", skipped " + report.accounting().skippedByReason());
            HtmlReport.write(report, Path.of("audit.html"));
            ReportJson.write(report, Path.of("audit.json"));
            System.out.println("wrote audit.html and audit.json");
        }
    }
}
