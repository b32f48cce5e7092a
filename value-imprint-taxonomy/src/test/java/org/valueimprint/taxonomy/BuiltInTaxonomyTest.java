package org.valueimprint.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInTaxonomyTest {

    private final ValueTaxonomy vi = ValueTaxonomy.valueImprint();

    @Test
    void hasTheSevenValuesOfTable1InOrder() {
        assertThat(vi.id()).isEqualTo("value-imprint");
        assertThat(vi.version()).isEqualTo("1.0");
        assertThat(vi.multiLabel()).isFalse();
        assertThat(vi.size()).isEqualTo(7);
        assertThat(vi.values()).extracting(HumanValue::id).containsExactly(
                "well-being-peace", "information-seeking", "justice-rights", "duty-accountability",
                "wisdom-knowledge", "civility-tolerance", "empathy-helpfulness");
        assertThat(vi.labels()).containsExactly(
                "Well-being/Peace", "Information Seeking", "Justice & Human/Animal Rights", "Duty/Accountability",
                "Wisdom/Knowledge", "Civility/Tolerance", "Empathy/Helpfulness");
    }

    @Test
    void labelsAreExactlyTheCorpusLabels() {
        // The label strings of CODEBOOK.md / value-imprint-annotations.jsonl, copied here so the test needs no file.
        assertThat(vi.labels()).containsExactlyInAnyOrder("Information Seeking", "Wisdom/Knowledge",
                "Well-being/Peace", "Empathy/Helpfulness", "Civility/Tolerance", "Duty/Accountability",
                "Justice & Human/Animal Rights");
    }

    @Test
    void filesValuesUnderThePapersFrameworks() {
        assertThat(vi.frameworks()).extracting(Framework::id)
                .containsExactly("utilitarianism", "deontological-ethics", "virtue-ethics");
        assertThat(vi.frameworks()).extracting(Framework::label)
                .containsExactly("Utilitarianism", "Deontological Ethics", "Virtue Ethics");
        assertThat(vi.valuesInFramework("utilitarianism")).extracting(HumanValue::label)
                .containsExactly("Well-being/Peace", "Information Seeking");
        assertThat(vi.valuesInFramework("deontological-ethics")).extracting(HumanValue::label)
                .containsExactly("Justice & Human/Animal Rights", "Duty/Accountability");
        assertThat(vi.valuesInFramework("virtue-ethics")).extracting(HumanValue::label)
                .containsExactly("Wisdom/Knowledge", "Civility/Tolerance", "Empathy/Helpfulness");
    }

    @Test
    void rollsValuesUpIntoTwoGroups() {
        assertThat(vi.groups()).extracting(ValueGroup::id).containsExactly("information-utility", "prosocial-democratic");
        assertThat(vi.valuesInGroup("information-utility")).extracting(HumanValue::id)
                .containsExactly("information-seeking", "wisdom-knowledge");
        assertThat(vi.valuesInGroup("prosocial-democratic")).extracting(HumanValue::id)
                .containsExactly("well-being-peace", "justice-rights", "duty-accountability", "civility-tolerance",
                        "empathy-helpfulness");
        assertThat(vi.values()).allSatisfy(v -> assertThat(v.groups()).hasSize(1));
    }

    @Test
    void everyValueHasDefinitionCuesAndExamplesInCorpusStyle() {
        assertThat(vi.values()).allSatisfy(v -> {
            assertThat(v.definition()).isNotBlank();
            assertThat(v.cues()).isNotEmpty();
            assertThat(v.examples()).hasSizeBetween(1, 2)
                    .allSatisfy(e -> assertThat(e).startsWith("Human: ").contains("\n\nAssistant: "));
        });
        assertThat(vi.byId("information-seeking").orElseThrow().cues())
                .contains("efficiency", "desire fulfilment", "interest achievement");
    }

    @Test
    void descriptionSaysWhatIsThePapersAndWhatIsOurs() {
        assertThat(vi.description()).contains("Obi et al. (2024)", "2411.11937", "From the paper",
                "Added by this project", "roll-up groups", "cue lists", "ids", "alias");
    }

    @Test
    void isLoadedOnce() {
        assertThat(ValueTaxonomy.valueImprint()).isSameAs(vi);
    }

    @Test
    void findsValuesById() {
        assertThat(vi.byId("duty-accountability")).map(HumanValue::label).hasValue("Duty/Accountability");
        assertThat(vi.byId("Duty/Accountability")).isEmpty();
        assertThat(vi.byId("no-such-value")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Justice & Human/Animal Rights", "justice & human/animal rights", "  JUSTICE   &  Human/Animal\tRights ",
        "Justice/Human Rights & Animal Rights", "justice/human rights & animal rights",
        " Justice/Human  Rights &\nAnimal Rights", "Justice/Human & Animal Rights", "JUSTICE/HUMAN & ANIMAL RIGHTS",
        "justice-rights"})
    void resolvesEverySpellingOfJustice(String text) {
        assertThat(vi.resolve(text).id()).isEqualTo("justice-rights");
        assertThat(vi.indexOf(text)).isEqualTo(2);
    }

    @Test
    void findsValuesByLabelIgnoringCaseAndSpacing() {
        assertThat(vi.byLabel("well-being/peace")).map(HumanValue::id).hasValue("well-being-peace");
        assertThat(vi.byLabel(" Information   Seeking ")).map(HumanValue::id).hasValue("information-seeking");
        assertThat(vi.byLabel("Justice/Human Rights & Animal Rights")).map(HumanValue::id).hasValue("justice-rights");
        assertThat(vi.byLabel("information-seeking")).as("ids are not labels").isEmpty();
        assertThat(vi.byLabel("Information")).isEmpty();
    }

    @Test
    void indexOfFollowsTheValueOrder() {
        for (int i = 0; i < vi.size(); i++) {
            assertThat(vi.indexOf(vi.values().get(i).id())).isEqualTo(i);
            assertThat(vi.indexOf(vi.labels().get(i))).isEqualTo(i);
        }
        assertThat(vi.indexOf("Loyalty")).isEqualTo(-1);
    }

    @Test
    void resolveOfAnUnknownLabelListsTheKnownOnes() {
        assertThatThrownBy(() -> vi.resolve("Loyalty"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Loyalty'")
                .hasMessageContaining("value-imprint")
                .hasMessageContaining(String.join(", ", vi.labels()));
    }

    @Test
    void unknownFrameworkOrGroupIsRefusedOrEmpty() {
        assertThat(vi.framework("virtue-ethics")).map(Framework::label).hasValue("Virtue Ethics");
        assertThat(vi.framework("care-ethics")).isEmpty();
        assertThat(vi.group("prosocial-democratic")).isPresent();
        assertThat(vi.group("x")).isEmpty();
        assertThatThrownBy(() -> vi.valuesInFramework("care-ethics"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("care-ethics").hasMessageContaining("virtue-ethics");
        assertThatThrownBy(() -> vi.valuesInGroup("x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("information-utility");
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThatThrownBy(() -> vi.byId(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> vi.byLabel(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> vi.resolve(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isImmutable() {
        List<HumanValue> values = vi.values();
        assertThatThrownBy(() -> values.add(values.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> values.get(0).cues().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> vi.labels().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theResourceIsWhatTheWriterWrites() throws IOException {
        String resource;
        try (InputStream in = ValueTaxonomy.class.getResourceAsStream("value-imprint.json")) {
            resource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(Taxonomies.toJson(vi)).isEqualTo(resource);
    }

    @Test
    void equalsAndToStringAreValueBased() {
        ValueTaxonomy copy = Taxonomies.readJson(
                new java.io.ByteArrayInputStream(Taxonomies.toJson(vi).getBytes(StandardCharsets.UTF_8)), "copy");
        assertThat(copy).isNotSameAs(vi).isEqualTo(vi).hasSameHashCodeAs(vi);
        assertThat(vi.toString()).contains("value-imprint", "1.0", "Well-being/Peace", "Empathy/Helpfulness");
    }
}
