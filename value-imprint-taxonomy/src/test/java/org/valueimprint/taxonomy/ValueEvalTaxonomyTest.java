package org.valueimprint.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in Touché23-ValueEval taxonomy against the task's own value files, copied into this module's test resources. */
class ValueEvalTaxonomyTest {
    private static JsonNode data(String name) throws IOException {
        try (java.io.InputStream in = ValueEvalTaxonomyTest.class.getResourceAsStream("valueeval/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void hasTheTwentyCategoriesSpeltAndOrderedAsTheTask() throws IOException {
        JsonNode categories = data("value-categories.json");
        List<String> labels = new ArrayList<>();
        categories.fieldNames().forEachRemaining(labels::add);
        ValueTaxonomy t = ValueTaxonomy.valueEval();
        assertThat(t.id()).isEqualTo("valueeval");
        assertThat(t.multiLabel()).isTrue();
        assertThat(labels).hasSize(20);
        assertThat(t.labels()).containsExactlyElementsOf(labels);
    }

    @Test
    void carriesTheFiftyFourFinerValuesAsCuesOfTheirCategory() throws IOException {
        JsonNode categories = data("value-categories.json");
        int total = 0;
        for (HumanValue v : ValueTaxonomy.valueEval().values()) {
            List<String> finer = new ArrayList<>();
            categories.get(v.label()).fieldNames().forEachRemaining(finer::add);
            assertThat(v.cues()).as(v.label()).containsExactlyElementsOf(finer);
            finer.forEach(f -> assertThat(v.definition()).contains(f));
            total += finer.size();
        }
        assertThat(total).isEqualTo(54);
    }

    @Test
    void groupsFollowSchwartzHigherOrderValues() throws IOException {
        JsonNode values = data("values.webis-argvalues-22.json").get("values");
        ValueTaxonomy t = ValueTaxonomy.valueEval();
        assertThat(t.groups()).extracting(ValueGroup::label)
                .containsExactly("Openness to change", "Self-enhancement", "Conservation", "Self-transcendence");
        for (JsonNode v : values) {
            HumanValue category = t.resolve(v.get("level2").asText());
            for (JsonNode group : v.get("level3")) {
                assertThat(category.groups()).as(category.label())
                        .contains(group.asText().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            }
        }
        assertThat(t.resolve("Humility").groups()).containsExactly("conservation", "self-transcendence");
    }

    @Test
    void isTheSameTaxonomyByIdAndRoundTripsThroughTheFileFormat() {
        ValueTaxonomy t = Taxonomies.builtIn(" ValueEval ");
        assertThat(t).isSameAs(ValueTaxonomy.valueEval());
        assertThat(Taxonomies.builtIn("value-imprint")).isSameAs(ValueTaxonomy.valueImprint());
        assertThat(Taxonomies.readJson(new java.io.ByteArrayInputStream(
                Taxonomies.toJson(t).getBytes(java.nio.charset.StandardCharsets.UTF_8)), "round trip")).isEqualTo(t);
        assertThat(t.description()).contains("CC BY-SA 4.0");
        assertThatThrownBy(() -> Taxonomies.builtIn("schwartz")).isInstanceOf(TaxonomyException.class)
                .hasMessageContaining("value-imprint, valueeval");
    }
}
