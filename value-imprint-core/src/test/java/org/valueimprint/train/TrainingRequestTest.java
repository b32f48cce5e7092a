package org.valueimprint.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** {@link TrainingRequest}: what is checked before any training, label resolution, and the data's provenance hash. */
class TrainingRequestTest {
    private static final ValueTaxonomy VI = ValueTaxonomy.valueImprint();
    private static final String A = VI.labels().get(0);
    private static final String B = VI.labels().get(1);

    @TempDir
    Path dir;

    private static List<GoldExample> twoValues() {
        return List.of(new GoldExample("1", "Human: What is 2+2?\n\nAssistant: 4.", A),
                new GoldExample("2", "Human: I feel sad.\n\nAssistant: I'm sorry.", B));
    }

    @Test
    void defaultsAndWithersKeepTheExamples() {
        TrainingRequest r = TrainingRequest.of(twoValues(), VI);
        assertThat(r.data()).isEmpty();
        assertThat(r.encoder()).isEmpty();
        assertThat(r.head()).isEqualTo(HeadKind.SOFTMAX);
        assertThat(r.seed()).isEqualTo(TrainingRequest.DEFAULT_SEED);
        TrainingRequest changed = r.withEncoder("my-encoder").withHead(HeadKind.MLP).withSeed(7)
                .withData(Path.of("x.jsonl"));
        assertThat(changed.encoder()).contains("my-encoder");
        assertThat(changed.head()).isEqualTo(HeadKind.MLP);
        assertThat(changed.seed()).isEqualTo(7);
        assertThat(changed.data()).contains(Path.of("x.jsonl"));
        assertThat(changed.examples()).isEqualTo(r.examples());
        assertThat(changed.dataName()).isEqualTo("x.jsonl");
        assertThat(r.dataName()).isEqualTo("2 in-memory examples");
    }

    @Test
    void labelsAreResolvedToTheTaxonomysSpelling() {
        HumanValue b = VI.values().get(1);
        TrainingRequest r = TrainingRequest.of(List.of(new GoldExample("1", "t", "  " + A.toUpperCase() + " "),
                new GoldExample("2", "u", b.id())), VI);
        assertThat(r.examples()).extracting(GoldExample::label).containsExactly(A, B);
    }

    @Test
    void anUnknownLabelIsRefusedNamingTheExample() {
        List<GoldExample> examples = new ArrayList<>(twoValues());
        examples.add(new GoldExample("line-3", "text", "Kindness"));
        assertThatThrownBy(() -> TrainingRequest.of(examples, VI)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example line-3").hasMessageContaining("\"Kindness\"")
                .hasMessageContaining("not a value of the taxonomy " + VI.id()).hasMessageContaining(A);
    }

    @Test
    void fewerThanTwoValuesOrNoExampleAreRefused() {
        List<GoldExample> one = List.of(new GoldExample("1", "a", A), new GoldExample("2", "b", A.toLowerCase()));
        assertThatThrownBy(() -> TrainingRequest.of(one, VI)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fewer than two values").hasMessageContaining("all 2 are labelled \"" + A);
        assertThatThrownBy(() -> TrainingRequest.of(List.of(), VI)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no training example");
        assertThatThrownBy(() -> new TrainingRequest(Optional.empty(), twoValues(), VI, Optional.empty(), null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("head");
    }

    @Test
    void theDataFileIsHashedAsItsBytes() throws IOException {
        Path file = Files.writeString(dir.resolve("d.jsonl"), "abc", StandardCharsets.UTF_8);
        assertThat(TrainingRequest.of(twoValues(), VI).withData(file).dataSha256())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Path missing = dir.resolve("in-memory");
        assertThatThrownBy(() -> TrainingRequest.of(twoValues(), VI).withData(missing).dataSha256())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void inMemoryExamplesAreHashedByContentWithUnambiguousFieldBoundaries() {
        String h = TrainingRequest.of(twoValues(), VI).dataSha256();
        assertThat(h).hasSize(64).isEqualTo(TrainingRequest.of(new ArrayList<>(twoValues()), VI).dataSha256());
        // Moving a character from the id into the text changes the hash: fields are length-prefixed.
        List<GoldExample> shifted = List.of(new GoldExample("", "1Human: What is 2+2?\n\nAssistant: 4.", A),
                twoValues().get(1));
        assertThat(TrainingRequest.of(shifted, VI).dataSha256()).isNotEqualTo(h);
        List<GoldExample> reversed = new ArrayList<>(twoValues());
        Collections.reverse(reversed);
        assertThat(TrainingRequest.of(reversed, VI).dataSha256()).isNotEqualTo(h);
        // The hash is of the resolved labels: an alias spelling gives the same provenance.
        List<GoldExample> idLabels = List.of(new GoldExample("1", twoValues().get(0).text(), VI.values().get(0).id()),
                twoValues().get(1));
        assertThat(TrainingRequest.of(idLabels, VI).dataSha256()).isEqualTo(h);
    }

    @Property(tries = 200)
    void anyChangedTextChangesTheHash(@ForAll @Size(min = 2, max = 6) List<String> texts, @ForAll String extra) {
        List<GoldExample> examples = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new GoldExample("e" + i, texts.get(i), i % 2 == 0 ? A : B));
        }
        String h = TrainingRequest.of(examples, VI).dataSha256();
        List<GoldExample> changed = new ArrayList<>(examples);
        changed.set(0, new GoldExample("e0", texts.get(0) + extra + "x", A));
        assertThat(TrainingRequest.of(changed, VI).dataSha256()).isNotEqualTo(h);
        assertThat(TrainingRequest.of(List.copyOf(examples), VI).dataSha256()).isEqualTo(h);
    }

    @Test
    void aMultiLabelTaxonomyTakesAnyNumberOfLabelsPerExampleResolvedToItsSpelling() {
        ValueTaxonomy ve = ValueTaxonomy.valueEval();
        List<GoldExample> examples = List.of(
                new GoldExample("a", "one", List.of("achievement", "HEDONISM")),
                new GoldExample("b", "two", List.of()),
                new GoldExample("c", "three", List.of("Face")));
        TrainingRequest r = TrainingRequest.of(examples, ve);
        assertThat(r.examples()).extracting(GoldExample::labels).containsExactly(
                List.of("Achievement", "Hedonism"), List.of(), List.of("Face"));
        // the same value twice under two spellings is refused, naming the example
        assertThatThrownBy(() -> TrainingRequest.of(List.of(
                new GoldExample("d", "x", List.of("Face", "face")), new GoldExample("e", "y", List.of("Humility"))),
                ve)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example d");
        // no example carrying any value
        assertThatThrownBy(() -> TrainingRequest.of(List.of(new GoldExample("f", "z", List.of())), ve))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none of the 1 examples");
        // the in-memory hash covers every label: dropping one changes it
        String h = r.dataSha256();
        assertThat(TrainingRequest.of(List.of(new GoldExample("a", "one", List.of("Achievement")), examples.get(1),
                examples.get(2)), ve).dataSha256()).isNotEqualTo(h);
    }

    @Test
    void aSingleLabelTaxonomyRefusesAnExampleWithNoLabelOrSeveral() {
        assertThatThrownBy(() -> TrainingRequest.of(List.of(new GoldExample("x", "t",
                List.of("Well-being/Peace", "Wisdom/Knowledge")), new GoldExample("y", "u", "Wisdom/Knowledge")), VI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example x has 2 labels")
                .hasMessageContaining("single-label");
        assertThatThrownBy(() -> TrainingRequest.of(List.of(new GoldExample("x", "t", List.of()),
                new GoldExample("y", "u", "Wisdom/Knowledge")), VI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("example x has 0 labels");
    }

    @Test
    void groupsAreOnePerExampleOrNone() {
        TrainingRequest r = TrainingRequest.of(twoValues(), VI);
        assertThat(r.groups()).isEmpty();
        List<String> groups = new ArrayList<>();
        r.examples().forEach(e -> groups.add("g" + groups.size() % 2));
        assertThat(r.withGroups(groups).groups()).isEqualTo(groups);
        assertThat(r.withGroups(groups).withSeed(9).withHead(HeadKind.MLP).groups()).isEqualTo(groups);
        assertThatThrownBy(() -> r.withGroups(groups.subList(0, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 groups for " + r.examples().size() + " examples");
    }

    @Test
    void headKeys() {
        assertThat(HeadKind.fromKey(" MLP ")).isEqualTo(HeadKind.MLP);
        assertThat(HeadKind.SOFTMAX.key()).isEqualTo("softmax");
        assertThatThrownBy(() -> HeadKind.fromKey("forest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"forest\"").hasMessageContaining("softmax, mlp");
    }
}
