package org.valueimprint.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Provenance;
import org.valueimprint.report.Timing;

/** Test helpers: a loopback-only local Spark session, the bundled data, report comparison. */
final class Spark {
    private Spark() {}

    /** A local[2] session on loopback only, with few shuffle partitions and no UI. */
    static SparkSession session(String name) {
        return SparkSession.builder()
                .appName(name)
                .master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
    }

    /** The repository's bundled data ({@code examples/data}), found from the module's directory. */
    static Path data(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("examples").resolve("data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("examples/data/" + relative + " not found");
    }

    /** The report without what legitimately differs between two runs: timing, and how the inputs were named. */
    static AuditReport comparable(AuditReport r) {
        Provenance p = r.provenance();
        return new AuditReport(r.dataset(), r.confidenceLevel(), r.lowConfidenceThreshold(), r.sides(), r.pairs(),
                r.sources(), r.examples(), r.accounting(), new Provenance(p.libraryVersion(), p.classifier(),
                        p.taxonomyId(), p.taxonomyVersion(), p.options(), List.of(), Timing.NONE));
    }
}
