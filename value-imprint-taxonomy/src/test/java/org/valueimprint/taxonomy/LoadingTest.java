package org.valueimprint.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadingTest {

    private static ValueTaxonomy fixture(String name) throws IOException {
        try (InputStream in = LoadingTest.class.getResourceAsStream(name)) {
            return name.endsWith(".json") ? Taxonomies.readJson(in, name) : Taxonomies.readYaml(in, name);
        }
    }

    private static String yaml(ValueTaxonomy t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Taxonomies.writeYaml(t, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsACustomJsonTaxonomyWithoutFrameworks() throws IOException {
        ValueTaxonomy t = fixture("assistant-conduct.json");
        assertThat(t.id()).isEqualTo("assistant-conduct");
        assertThat(t.version()).isEqualTo("0.3");
        assertThat(t.frameworks()).isEmpty();
        assertThat(t.groups()).isEmpty();
        assertThat(t.multiLabel()).isFalse();
        assertThat(t.labels()).containsExactly("Helpfulness", "Honesty", "Harmlessness", "Respect for autonomy");
        assertThat(t.values()).allSatisfy(v -> assertThat(v.framework()).isEmpty());
        assertThat(t.resolve("safety").id()).isEqualTo("harmlessness");
        assertThat(t.resolve("respect  FOR autonomy").id()).isEqualTo("respect-autonomy");
        assertThat(t.byId("honesty").orElseThrow().examples()).singleElement()
                .satisfies(e -> assertThat(e).startsWith("Human: Who won"));
        assertThat(t.byId("helpfulness").orElseThrow().cues()).containsExactly("task completed", "clear steps");
    }

    @Test
    void readsSchwartzHigherOrderValuesAsMultiLabelYaml() throws IOException {
        ValueTaxonomy t = fixture("schwartz-higher-order.yaml");
        assertThat(t.id()).isEqualTo("schwartz-higher-order");
        assertThat(t.version()).as("an unquoted YAML number keeps its text").isEqualTo("1.10");
        assertThat(t.multiLabel()).isTrue();
        assertThat(t.description()).startsWith("The four higher-order values").doesNotContain("\n");
        assertThat(t.labels()).containsExactly("Openness to change", "Self-enhancement", "Conservation",
                "Self-transcendence");
        assertThat(t.valuesInGroup("personal-focus")).extracting(HumanValue::id)
                .containsExactly("openness-to-change", "self-enhancement");
        assertThat(t.group("social-focus").orElseThrow().description()).isEmpty();
        assertThat(t.resolve("self enhancement").id()).isEqualTo("self-enhancement");
        assertThat(t.byId("self-transcendence").orElseThrow().definition())
                .isEqualTo("Concern for the welfare and interests of others,\nclose and distant.\n");
        assertThat(t.byId("self-transcendence").orElseThrow().examples()).singleElement()
                .satisfies(e -> assertThat(e).contains("\n\nAssistant: "));
    }

    @Test
    void loadPicksTheFormatByExtensionThenByContent(@TempDir Path dir) throws IOException {
        ValueTaxonomy vi = ValueTaxonomy.valueImprint();
        String json = Taxonomies.toJson(vi);
        String yaml = yaml(vi);
        for (String name : new String[] {"a.json", "A.JSON", "b.txt", "no-extension"}) {
            Path file = dir.resolve(name);
            Files.writeString(file, "\uFEFF \n" + json);
            assertThat(Taxonomies.load(file)).as(name).isEqualTo(vi);
        }
        for (String name : new String[] {"a.yaml", "a.yml", "c.taxonomy"}) {
            Path file = dir.resolve(name);
            Files.writeString(file, yaml);
            assertThat(Taxonomies.load(file)).as(name).isEqualTo(vi);
        }
        // JSON is YAML too: a .yaml file holding JSON is read as YAML and gives the same taxonomy.
        Path jsonInYaml = dir.resolve("json.yaml");
        Files.writeString(jsonInYaml, json);
        assertThat(Taxonomies.load(jsonInYaml)).isEqualTo(vi);
        // YAML in a .json file is refused as a JSON syntax error.
        Path yamlInJson = dir.resolve("yaml.json");
        Files.writeString(yamlInJson, yaml);
        assertThatThrownBy(() -> Taxonomies.load(yamlInJson)).isInstanceOf(TaxonomyValidationException.class)
                .hasMessageContaining("line 1, column 1");
    }

    @Test
    void loadOfAMissingFileIsAnIoError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> Taxonomies.load(missing)).isInstanceOf(TaxonomyException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void writesTidyJsonOmittingDefaults() throws IOException {
        ValueTaxonomy t = fixture("assistant-conduct.json");
        String json = Taxonomies.toJson(t);
        assertThat(json).startsWith("{\n  \"id\": \"assistant-conduct\",\n  \"version\": \"0.3\",\n")
                .endsWith("}\n")
                .doesNotContain("multi_label", "groups_required", "\"frameworks\"", "\"groups\"", "\"framework\"",
                        "x-owner", "[ ]", "\"\"");
        assertThat(json).contains("\"aliases\": [\n        \"Helpful\"\n      ],");
        assertThat(Taxonomies.readJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "again"))
                .isEqualTo(t);
    }

    @Test
    void writesTidyYaml() throws IOException {
        ValueTaxonomy t = fixture("schwartz-higher-order.yaml");
        String yaml = yaml(t);
        assertThat(yaml).startsWith("id: schwartz-higher-order\nversion: \"1.10\"\nname: Schwartz higher-order values\n")
                .contains("multi_label: true\n")
                .contains("  - id: personal-focus\n")
                .contains("definition: |\n      Concern for the welfare and interests of others,\n")
                .doesNotContain("---", "groups_required", "frameworks");
        assertThat(Taxonomies.readYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "again"))
                .isEqualTo(t);
        assertThat(yaml(ValueTaxonomy.valueImprint())).contains("label: Justice & Human/Animal Rights\n");
    }

    @Test
    void writingLeavesTheStreamOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Taxonomies.writeJson(ValueTaxonomy.valueImprint(), out);
        Taxonomies.writeYaml(ValueTaxonomy.valueImprint(), out);
        assertThat(closed[0]).isFalse();
        assertThat(out.size()).isGreaterThan(1000);
    }
}
