package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.data.Side;
import org.valueimprint.io.TestData;

class ReportJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AuditReport full;
    private static JsonSchema schema;

    @BeforeAll
    static void setUp() throws IOException {
        full = ReportSamples.full();
        Path schemaFile = TestData.root().getParent().getParent().resolve("docs").resolve("report.schema.json");
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(schemaFile.toFile()));
    }

    private static Set<ValidationMessage> validate(JsonNode document) {
        return schema.validate(document);
    }

    @Test
    void theSampleFillsEveryPart() {
        assertThat(full.sources()).hasSize(2);
        assertThat(full.pairs()).isPresent();
        assertThat(full.examples()).isNotEmpty();
        assertThat(full.side(Side.CHOSEN).orElseThrow().adjustmentMethod()).isPresent();
        assertThat(full.accounting().skippedByReason()).containsKey("not_sampled");
    }

    @Test
    void readingWhatWasWrittenGivesTheSameReport(@TempDir Path dir) throws IOException {
        assertThat(ReportJson.fromJson(ReportJson.toJson(full))).isEqualTo(full);
        Path file = dir.resolve("report.json");
        ReportJson.write(full, file);
        assertThat(ReportJson.read(file)).isEqualTo(full);
        // writing is deterministic
        assertThat(ReportJson.toJson(ReportJson.read(file))).isEqualTo(Files.readString(file));
    }

    @Test
    void aPromptOnlyReportWithoutPairsRoundTrips() {
        AuditReport prompts = ValueAuditor.builder(new KeywordClassifier()).sides(Side.PROMPT).limit(40).build()
                .audit(TestData.path("hh-rlhf/harmless-base/test.jsonl.gz"));
        assertThat(prompts.pairs()).isEmpty();
        assertThat(ReportJson.fromJson(ReportJson.toJson(prompts))).isEqualTo(prompts);
        assertThat(validate(ReportJson.toTree(prompts))).isEmpty();
    }

    @Test
    void theWrittenReportValidatesAgainstTheJsonSchema() {
        assertThat(validate(ReportJson.toTree(full))).isEmpty();
    }

    @Test
    void aMultiLabelReportWithSourcesValidatesAndRoundTrips() {
        AuditReport r = MultiLabelSourcesTest.twoSources();
        ObjectNode doc = ReportJson.toTree(r);
        assertThat(validate(doc)).isEmpty();
        assertThat(ReportJson.fromTree(doc)).isEqualTo(r);
        ((ObjectNode) doc.get("multi_label").get("sources").get(0).get("sides").get("chosen").get("values").get(0))
                .put("share", 1.5);
        assertThat(validate(doc)).extracting(m -> m.getInstanceLocation().toString())
                .contains("$.multi_label.sources[0].sides.chosen.values[0].share");
    }

    @Test
    void theSchemaIsNotVacuous() {
        ObjectNode doc = ReportJson.toTree(full);
        ((ObjectNode) doc.get("accounting")).remove("records_read");
        ((ObjectNode) doc.get("sides").get("chosen").get("values").get(0)).put("share", 1.5);
        ((ObjectNode) doc.get("sides").get("rejected").get("values").get(1)).put("colour", "red");
        doc.put("schema_version", 2);
        assertThat(validate(doc)).extracting(m -> m.getInstanceLocation().toString()).contains(
                "$.accounting", "$.sides.chosen.values[0].share", "$.sides.rejected.values[1]", "$.schema_version");
    }

    @Test
    void theKeysToolsRelyOnAreSpelledExactly() {
        JsonNode doc = ReportJson.toTree(full);
        assertThat(doc.get("schema_version").asInt()).isEqualTo(1);
        JsonNode accounting = doc.get("accounting");
        assertThat(accounting.get("records_read").asLong()).isEqualTo(full.accounting().recordsRead());
        assertThat(accounting.get("records_audited").asLong()).isEqualTo(full.accounting().recordsAudited());
        assertThat(accounting.get("records_skipped").asLong()).isEqualTo(full.accounting().recordsSkipped());
        assertThat(accounting.get("skipped_by_reason").isObject()).isTrue();
        for (String side : List.of("chosen", "rejected")) {
            JsonNode values = doc.get("sides").get(side).get("values");
            assertThat(values.isArray()).isTrue();
            assertThat(values).hasSize(7);
            for (JsonNode v : values) {
                for (String key : List.of("label", "count", "share", "ci_low", "ci_high", "mean_probability",
                        "adjusted_share")) {
                    assertThat(v.has(key)).as("%s has %s", side, key).isTrue();
                }
            }
        }
        assertThat(doc.get("provenance").get("classifier").get("id").asText()).isEqualTo("keyword-test-1");
        assertThat(doc.get("provenance").get("taxonomy").get("id").asText()).isEqualTo("value-imprint");
        // without a known confusion, adjusted_share is null
        JsonNode plain = ReportJson.toTree(ValueAuditor.builder(new KeywordClassifier()).limit(5).build()
                .audit(TestData.path("hh-rlhf/harmless-base/test.jsonl.gz")));
        assertThat(plain.get("sides").get("chosen").get("values").get(0).get("adjusted_share").isNull()).isTrue();
        assertThat(plain.get("sides").get("chosen").get("adjustment_method").isNull()).isTrue();
    }

    @Test
    void readingRefusesNewerSchemasAndNamesTheBadField() {
        ObjectNode newer = ReportJson.toTree(full);
        newer.put("schema_version", 2);
        assertThatThrownBy(() -> ReportJson.fromTree(newer)).isInstanceOf(InvalidReportException.class)
                .hasMessageContaining("schema_version 2 is not supported");
        ObjectNode missing = ReportJson.toTree(full);
        ((ObjectNode) missing.get("accounting")).remove("records_read");
        assertThatThrownBy(() -> ReportJson.fromTree(missing)).hasMessageContaining("/accounting/records_read: missing");
        ObjectNode wrongType = ReportJson.toTree(full);
        ((ObjectNode) wrongType.get("sides").get("chosen").get("values").get(2)).put("count", "many");
        assertThatThrownBy(() -> ReportJson.fromTree(wrongType))
                .hasMessageContaining("/sides/chosen/values/2/count: must be an integer");
        ObjectNode inconsistent = ReportJson.toTree(full);
        ((ObjectNode) inconsistent.get("accounting")).put("records_read", 1);
        assertThatThrownBy(() -> ReportJson.fromTree(inconsistent)).hasMessageContaining("inconsistent report")
                .hasMessageContaining("records read (1)");
        assertThatThrownBy(() -> ReportJson.fromJson("[1, 2")).hasMessageContaining("not a JSON report");
    }

    @Test
    void unknownFieldsAreIgnoredOnReading() {
        ObjectNode later = ReportJson.toTree(full);
        later.put("a_later_minor_addition", true);
        assertThat(ReportJson.fromTree(later)).isEqualTo(full);
    }

    @Test
    void accountingMustAddUp() {
        assertThatThrownBy(() -> new Accounting(10, 7, 2, Map.of("malformed_json", 2L), 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records read (10)");
        assertThatThrownBy(() -> new Accounting(10, 7, 3, Map.of("malformed_json", 2L), 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adds up to 2, not 3");
        assertThat(new Accounting(10, 7, 3, Map.of("malformed_json", 2L, "no_text", 1L), 14).skippedByReason())
                .containsExactly(Map.entry("malformed_json", 2L), Map.entry("no_text", 1L));
    }
}
