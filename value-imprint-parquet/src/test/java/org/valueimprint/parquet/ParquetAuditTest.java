package org.valueimprint.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.ReportJson;

/**
 * An audit of a Hub-style folder of Parquet shards equals the audit of the same records in JSON Lines, apart from
 * the names of the input files.
 */
class ParquetAuditTest {
    @TempDir
    Path dir;

    @Test
    void auditOfTheParquetHhRlhfFilesEqualsTheAuditOfTheJsonLinesOnes() throws IOException {
        Path hub = dir.resolve("hub");
        Path jsonl = dir.resolve("jsonl");
        for (String part : new String[] {"helpful-base", "harmless-base"}) {
            Files.createDirectories(hub.resolve(part));
            Files.createDirectories(jsonl.resolve(part));
            Files.copy(Data.path("parquet/hh-rlhf/" + part + "/test-00000-of-00001.parquet"),
                    hub.resolve(part).resolve("test-00000-of-00001.parquet"));
            Files.copy(Data.path("hh-rlhf/" + part + "/test.jsonl.gz"), jsonl.resolve(part).resolve("test.jsonl.gz"));
        }
        // SKIP: both containers refuse the same 8 records with an empty final reply
        ValueAuditor auditor = ValueAuditor.builder(new CueClassifier())
                .readOptions(ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build()).build();
        AuditReport fromParquet = auditor.audit(hub);
        AuditReport fromJsonl = auditor.audit(jsonl);

        ObjectNode a = withoutInputNames(ReportJson.toTree(fromParquet));
        ObjectNode b = withoutInputNames(ReportJson.toTree(fromJsonl));
        java.util.List<String> differences = new java.util.ArrayList<>();
        diff("", a, b, differences);
        assertThat(differences).isEmpty();
        assertThat(a).isEqualTo(b);
        assertThat(a.toString()).contains("helpful-base/test").contains("harmless-base/test");
    }

    private static void diff(String path, JsonNode a, JsonNode b, java.util.List<String> out) {
        if (a.isContainerNode() && b.isContainerNode() && a.size() == b.size() && a.getNodeType() == b.getNodeType()) {
            if (a.isObject()) {
                a.fieldNames().forEachRemaining(n -> diff(path + "." + n, a.get(n),
                        b.has(n) ? b.get(n) : com.fasterxml.jackson.databind.node.MissingNode.getInstance(), out));
            } else {
                for (int i = 0; i < a.size(); i++) {
                    diff(path + "[" + i + "]", a.get(i), b.get(i), out);
                }
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " <> " + b);
        }
    }

    /** The report with every string naming an input file (or the folder) blanked, and timings removed. */
    private ObjectNode withoutInputNames(ObjectNode report) {
        ObjectNode copy = report.deepCopy();
        ((ObjectNode) copy.get("provenance")).remove("timing");
        blank(copy);
        return copy;
    }

    private void blank(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            java.util.List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = o.get(name);
                if (v.isTextual() && (v.textValue().contains(dir.toString()) || v.textValue().endsWith(".parquet")
                        || v.textValue().endsWith(".jsonl.gz"))) {
                    o.put(name, "<input>");
                } else {
                    blank(v);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                if (v.isTextual() && (v.textValue().contains(dir.toString()) || v.textValue().endsWith(".parquet")
                        || v.textValue().endsWith(".jsonl.gz"))) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i,
                            com.fasterxml.jackson.databind.node.TextNode.valueOf("<input>"));
                } else {
                    blank(v);
                }
            }
        }
    }
}
