package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.valueimprint.internal.OutputFiles;

/**
 * Writes an {@link AuditComparison} as JSON, in the versioned schema documented in {@code docs/comparison-schema.md}.
 *
 * <pre>{@code
 * ComparisonJson.write(AuditComparison.of(List.of(a, b, c)), Path.of("comparison.json"));
 * }</pre>
 *
 * <p>The top level holds {@code kind} ({@value #KIND}), {@code schema_version} ({@value #SCHEMA_VERSION}),
 * {@code side}, {@code confidence_level}, {@code taxonomy} ({@code id}, {@code version}), {@code reports},
 * {@code values} (per value its {@code shares}, one per report, and its {@code differences} from the first report),
 * {@code homogeneity} (the chi-square test), {@code divergences} (Jensen-Shannon, per pair of reports) and
 * {@code warnings}; for reports of a multi-label taxonomy also {@code multi_label} (per value, each report's share of
 * texts carrying it, its difference from the first report and a chi-square test), absent otherwise. Keys are
 * snake_case; shares, bounds and differences are fractions (not percentages), written so
 * that they read back exactly. The {@code kind} key tells a comparison from an audit report, which has none.
 */
public final class ComparisonJson {
    /** The value of the top-level {@code kind} key. */
    public static final String KIND = "value-imprint-comparison";
    /** The schema version this class writes. */
    public static final int SCHEMA_VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ComparisonJson() {}

    /** The comparison as an indented JSON text. */
    public static String toJson(AuditComparison comparison) {
        return ReportJson.indented(toTree(comparison));
    }

    /**
     * Writes the comparison to a file (UTF-8), replacing it atomically ({@link OutputFiles}).
     *
     * @throws IOException when the file cannot be written
     */
    public static void write(AuditComparison comparison, Path file) throws IOException {
        requireNonNull(file, "file");
        OutputFiles.write(file, out -> write(comparison, out));
    }

    /**
     * Writes the comparison to a stream (UTF-8), which is flushed but not closed.
     *
     * @throws IOException when writing fails
     */
    public static void write(AuditComparison comparison, OutputStream out) throws IOException {
        ReportJson.write(toTree(comparison), out);
    }

    /** The comparison as a JSON tree. */
    public static ObjectNode toTree(AuditComparison c) {
        requireNonNull(c, "comparison");
        ObjectNode o = NODES.objectNode();
        o.put("kind", KIND);
        o.put("schema_version", SCHEMA_VERSION);
        o.put("side", c.side().key());
        o.put("confidence_level", c.confidenceLevel());
        ObjectNode taxonomy = o.putObject("taxonomy");
        taxonomy.put("id", c.taxonomyId());
        taxonomy.put("version", c.taxonomyVersion());
        ArrayNode reports = o.putArray("reports");
        for (AuditComparison.ComparedReport r : c.reports()) {
            ObjectNode ro = reports.addObject();
            ro.put("name", r.name());
            ro.put("dataset", r.dataset());
            ro.put("n", r.n());
            ro.put("abstained", r.abstained());
            ro.put("abstained_share", r.abstainedShare());
            ObjectNode classifier = ro.putObject("classifier");
            classifier.put("id", r.classifierId());
            classifier.put("sha256", r.classifierSha256().orElse(""));
            ro.put("text_budget", r.textBudget().orElse(""));
        }
        ArrayNode values = o.putArray("values");
        for (AuditComparison.ValueRow v : c.values()) {
            ObjectNode vo = values.addObject();
            vo.put("id", v.id());
            vo.put("label", v.label());
            vo.set("shares", shares(c, v.shares()));
            vo.set("differences", differences(v.differences()));
        }
        o.set("homogeneity", homogeneity(c.homogeneity()));
        ArrayNode divergences = o.putArray("divergences");
        for (AuditComparison.Divergence d : c.divergences()) {
            ObjectNode dO = divergences.addObject();
            dO.put("first", d.first());
            dO.put("second", d.second());
            dO.put("jensen_shannon", d.jensenShannon());
        }
        ArrayNode warnings = o.putArray("warnings");
        c.warnings().forEach(warnings::add);
        c.multiLabel().ifPresent(m -> {
            ObjectNode mo = o.putObject("multi_label");
            mo.put("note", AuditComparison.MultiLabelComparison.NOTE);
            ArrayNode carried = mo.putArray("values");
            for (AuditComparison.CarriedRow v : m.values()) {
                ObjectNode vo = carried.addObject();
                vo.put("id", v.id());
                vo.put("label", v.label());
                vo.set("shares", shares(c, v.shares()));
                vo.set("differences", differences(v.differences()));
                vo.set("homogeneity", homogeneity(v.homogeneity()));
            }
        });
        return o;
    }

    private static ArrayNode shares(AuditComparison c, List<AuditComparison.Share> list) {
        ArrayNode shares = NODES.arrayNode();
        for (int i = 0; i < list.size(); i++) {
            AuditComparison.Share s = list.get(i);
            ObjectNode so = shares.addObject();
            so.put("report", c.reports().get(i).name());
            so.put("count", s.count());
            so.put("n", s.n());
            so.put("share", s.share());
            so.put("ci_low", s.ciLow());
            so.put("ci_high", s.ciHigh());
        }
        return shares;
    }

    private static ArrayNode differences(List<AuditComparison.Difference> list) {
        ArrayNode differences = NODES.arrayNode();
        for (AuditComparison.Difference d : list) {
            ObjectNode dO = differences.addObject();
            dO.put("report", d.report());
            dO.put("baseline", d.baseline());
            dO.put("difference", d.difference());
            dO.put("ci_low", d.ciLow());
            dO.put("ci_high", d.ciHigh());
            dO.put("excludes_zero", d.excludesZero());
        }
        return differences;
    }

    private static ObjectNode homogeneity(AuditComparison.Homogeneity h) {
        ObjectNode ho = NODES.objectNode();
        ho.put("test", "pearson chi-square test of homogeneity");
        ArrayNode categories = ho.putArray("categories");
        h.categories().forEach(categories::add);
        ho.put("statistic", h.test().statistic());
        ho.put("degrees_of_freedom", h.test().degreesOfFreedom());
        ho.put("p_value", h.test().pValue());
        ho.put("minimum_expected_count", h.minimumExpectedCount());
        ho.put("cells_below_five", h.cellsBelowFive());
        ho.put("cells", h.cells());
        return ho;
    }
}
