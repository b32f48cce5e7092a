package org.valueimprint.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.taxonomy.TaxonomyValidationException.Problem;

class ValidationTest {

    private static ValueTaxonomy json(String text) {
        return Taxonomies.readJson(stream(text), "test.json");
    }

    private static ValueTaxonomy yaml(String text) {
        return Taxonomies.readYaml(stream(text), "test.yaml");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static TaxonomyValidationException jsonProblems(String text) {
        return catchThrowableOfType(TaxonomyValidationException.class, () -> json(text));
    }

    private static TaxonomyValidationException yamlProblems(String text) {
        return catchThrowableOfType(TaxonomyValidationException.class, () -> yaml(text));
    }

    /** A valid taxonomy with frameworks and groups, with {@code %s} where a test puts one more value. */
    private static final String WITH_FRAMEWORKS_AND_GROUPS = """
            {"id": "t", "version": "1", "name": "T",
             "frameworks": [{"id": "f1", "label": "F1"}, {"id": "f2", "label": "F2"}],
             "groups": [{"id": "g1", "label": "G1"}, {"id": "g2", "label": "G2"}],
             "values": [
               {"id": "a", "label": "A", "definition": "Def A.", "framework": "f1", "groups": ["g1"]},
               {"id": "b", "label": "B", "definition": "Def B.", "framework": "f2", "groups": ["g1", "g2"]},
               %s
             ]}
            """;

    private static TaxonomyValidationException withExtraValue(String value) {
        return jsonProblems(WITH_FRAMEWORKS_AND_GROUPS.formatted(value));
    }

    private static final String VALID_EXTRA =
            "{\"id\": \"c\", \"label\": \"C\", \"definition\": \"Def C.\", \"framework\": \"f1\", \"groups\": [\"g2\"]}";

    @Test
    void theBaseDocumentIsValid() {
        ValueTaxonomy t = json(WITH_FRAMEWORKS_AND_GROUPS.formatted(VALID_EXTRA));
        assertThat(t.labels()).containsExactly("A", "B", "C");
        assertThat(t.valuesInGroup("g1")).extracting(HumanValue::id).containsExactly("a", "b");
        assertThat(t.groupsRequired()).isTrue();
    }

    @Test
    void reportsEveryProblemAtOnceWithLocations() {
        TaxonomyValidationException e = jsonProblems("""
                {"id": "Bad Id", "name": "T", "colour": "red",
                 "frameworks": [{"id": "f", "label": "F"}, {"id": "f", "label": "F again"}],
                 "values": [
                   {"id": "a", "label": "Care", "definition": "x", "framework": "f"},
                   {"id": "a", "label": " CARE ", "definition": "", "framework": "nope"},
                   {"label": "Third", "definition": "y", "framework": "f", "groups": ["g"]}
                 ]}
                """);
        assertThat(e.source()).isEqualTo("test.json");
        assertThat(e.problems()).extracting(Problem::location).contains(
                "/id", "", "/colour", "/frameworks/1/id", "/values/1/id", "/values/1/label", "/values/1/definition",
                "/values/1/framework", "/values/2", "/values/2/groups/0");
        assertThat(e.problems()).hasSize(10);
        assertThat(e.getMessage())
                .startsWith("Invalid taxonomy in test.json (10 problems):\n")
                .contains("  /id: id 'Bad Id' must match [a-z0-9][a-z0-9._-]*")
                .contains("  (document): missing required key 'version'")
                .contains("  /colour: unknown key 'colour'")
                .contains("  /frameworks/1/id: duplicate framework id 'f' (also at /frameworks/0/id)")
                .contains("  /values/1/id: duplicate value id 'a' (also at /values/0/id)")
                .contains("  /values/1/label: label or alias ' CARE ' duplicates the one at /values/0/label")
                .contains("  /values/1/definition: must not be blank")
                .contains("  /values/1/framework: framework 'nope' is not declared; declared: f")
                .contains("  /values/2: missing required key 'id'")
                .contains("  /values/2/groups/0: group 'g' is not declared; declared: none");
        assertThat(e.getMessage().lines()).hasSize(11);
    }

    @Test
    void duplicateValueIds() {
        assertThat(withExtraValue(VALID_EXTRA.replace("\"c\"", "\"a\"")).problems())
                .containsExactly(new Problem("/values/2/id", "duplicate value id 'a' (also at /values/0/id)"));
    }

    @Test
    void duplicateLabelsIgnoringCaseAndSpacing() {
        assertThat(withExtraValue(VALID_EXTRA.replace("\"C\"", "\"  b \"")).problems())
                .extracting(Problem::location).containsExactly("/values/2/label");
    }

    @Test
    void aliasesClashWithLabelsAndWithEachOther() {
        TaxonomyValidationException e = withExtraValue(VALID_EXTRA.replace("\"label\": \"C\"",
                "\"label\": \"C\", \"aliases\": [\"a\", \"Cee\", \"CEE\", \"c\"]"));
        assertThat(e.problems()).extracting(Problem::location)
                .containsExactly("/values/2/aliases/0", "/values/2/aliases/2", "/values/2/aliases/3");
        assertThat(e.getMessage()).contains("duplicates the one at /values/0/label")
                .contains("duplicates the one at /values/2/aliases/1").contains("ignoring case and spacing");
    }

    @Test
    void blankIdLabelDefinitionAliasCueAndExample() {
        TaxonomyValidationException e = withExtraValue("""
                {"id": " ", "label": "", "definition": " \\n ", "framework": "f1", "groups": ["g1"],
                 "aliases": [" "], "cues": ["ok", ""], "examples": ["\\t"]}""");
        assertThat(e.problems()).extracting(Problem::location).containsExactlyInAnyOrder("/values/2/id",
                "/values/2/label", "/values/2/definition", "/values/2/aliases/0", "/values/2/cues/1",
                "/values/2/examples/0");
        assertThat(e.problems()).extracting(Problem::message).containsOnly("must not be blank");
    }

    @Test
    void missingRequiredFields() {
        TaxonomyValidationException e = jsonProblems("{\"values\": [{}, {\"id\": \"b\"}]}");
        assertThat(e.problems()).containsExactly(
                new Problem("", "missing required key 'id'"),
                new Problem("", "missing required key 'version'"),
                new Problem("", "missing required key 'name'"),
                new Problem("/values/0", "missing required key 'id'"),
                new Problem("/values/0", "missing required key 'label'"),
                new Problem("/values/0", "missing required key 'definition'"),
                new Problem("/values/1", "missing required key 'label'"),
                new Problem("/values/1", "missing required key 'definition'"));
        assertThat(jsonProblems("{\"id\": \"t\", \"version\": \"1\", \"name\": \"T\"}").problems())
                .containsExactly(new Problem("", "missing required key 'values'"));
    }

    @Test
    void frameworkMustBeDeclared() {
        assertThat(withExtraValue(VALID_EXTRA.replace("\"f1\"", "\"f3\"")).problems())
                .containsExactly(new Problem("/values/2/framework", "framework 'f3' is not declared; declared: f1, f2"));
    }

    @Test
    void frameworkIsRequiredWhenFrameworksAreDeclared() {
        TaxonomyValidationException e = withExtraValue(VALID_EXTRA.replace(", \"framework\": \"f1\"", ""));
        assertThat(e.problems()).extracting(Problem::location).containsExactly("/values/2");
        assertThat(e.getMessage()).contains("a value needs a framework when the taxonomy declares frameworks");
    }

    @Test
    void frameworkIsRefusedWhenNoneAreDeclared() {
        TaxonomyValidationException e = jsonProblems("""
                {"id": "t", "version": "1", "name": "T", "values": [
                  {"id": "a", "label": "A", "definition": "x", "framework": "virtue"},
                  {"id": "b", "label": "B", "definition": "y"}]}""");
        assertThat(e.problems()).containsExactly(
                new Problem("/values/0/framework", "framework 'virtue' is not declared; declared: none"));
    }

    @Test
    void groupMustBeDeclaredAndListedOnce() {
        TaxonomyValidationException e = withExtraValue(
                VALID_EXTRA.replace("[\"g2\"]", "[\"g2\", \"g9\", \"g2\"]"));
        assertThat(e.problems()).containsExactly(
                new Problem("/values/2/groups/1", "group 'g9' is not declared; declared: g1, g2"),
                new Problem("/values/2/groups/2", "group 'g2' is listed twice"));
    }

    @Test
    void everyValueNeedsAGroupWhenGroupsAreDeclaredUnlessTurnedOff() {
        String noGroup = VALID_EXTRA.replace(", \"groups\": [\"g2\"]", "");
        TaxonomyValidationException e = withExtraValue(noGroup);
        assertThat(e.problems()).extracting(Problem::location).containsExactly("/values/2");
        assertThat(e.getMessage()).contains("value 'c' is in no group").contains("\"groups_required\": false");

        ValueTaxonomy t = json(WITH_FRAMEWORKS_AND_GROUPS.formatted(noGroup)
                .replace("\"name\": \"T\",", "\"name\": \"T\", \"groups_required\": false,"));
        assertThat(t.groupsRequired()).isFalse();
        assertThat(t.byId("c").orElseThrow().groups()).isEmpty();
        assertThat(Taxonomies.toJson(t)).contains("\"groups_required\": false");
    }

    @Test
    void duplicateFrameworkAndGroupIds() {
        TaxonomyValidationException e = jsonProblems(WITH_FRAMEWORKS_AND_GROUPS.formatted(VALID_EXTRA)
                .replace("{\"id\": \"f2\", \"label\": \"F2\"}", "{\"id\": \"f1\", \"label\": \"F2\"}")
                .replace("{\"id\": \"g2\", \"label\": \"G2\"}", "{\"id\": \"g1\", \"label\": \"G2\"}"));
        assertThat(e.problems()).extracting(Problem::location).contains("/frameworks/1/id", "/groups/1/id");
        assertThat(e.getMessage()).contains("duplicate framework id 'f1' (also at /frameworks/0/id)")
                .contains("duplicate group id 'g1' (also at /groups/0/id)");
    }

    @Test
    void fewerThanTwoValues() {
        assertThat(jsonProblems("""
                {"id": "t", "version": "1", "name": "T", "values": [{"id": "a", "label": "A", "definition": "x"}]}
                """).problems()).containsExactly(new Problem("/values", "a taxonomy needs at least 2 values, found 1"));
        assertThat(jsonProblems("{\"id\": \"t\", \"version\": \"1\", \"name\": \"T\", \"values\": []}").problems())
                .containsExactly(new Problem("/values", "a taxonomy needs at least 2 values, found 0"));
    }

    @Test
    void idsMustMatchTheIdSyntax() {
        for (String bad : List.of("Care", "-care", ".care", "_x", "care value", "caré", "a/b")) {
            TaxonomyValidationException e = withExtraValue(VALID_EXTRA.replace("\"id\": \"c\"",
                    "\"id\": \"" + bad + "\""));
            assertThat(e.problems()).as(bad).extracting(Problem::location).containsExactly("/values/2/id");
            assertThat(e.getMessage()).contains("must match [a-z0-9][a-z0-9._-]*");
        }
        for (String good : List.of("c", "0", "care.v2", "a_b-c", "9lives")) {
            assertThat(json(WITH_FRAMEWORKS_AND_GROUPS.formatted(VALID_EXTRA.replace("\"id\": \"c\"",
                    "\"id\": \"" + good + "\""))).byId(good)).as(good).isPresent();
        }
    }

    @Test
    void wrongTypesAreNamed() {
        TaxonomyValidationException e = jsonProblems("""
                {"id": "t", "version": 1.0, "name": ["T"], "multi_label": "yes", "values": [
                  {"id": "a", "label": "A", "definition": "x", "cues": "one"},
                  {"id": "b", "label": "B", "definition": "y", "aliases": [2]},
                  "c"]}""");
        assertThat(e.problems()).containsExactly(
                new Problem("/version", "must be a string, found a number"),
                new Problem("/name", "must be a string, found a list"),
                new Problem("/multi_label", "must be true or false, found a string"),
                new Problem("/values/2", "must be an object, found a string"),
                new Problem("/values/0/cues", "must be a list of strings, found a string"),
                new Problem("/values/1/aliases/0", "must be a string, found a number"));
    }

    @Test
    void unknownKeysAreRefusedAtEveryLevelExceptXKeys() {
        TaxonomyValidationException e = jsonProblems(WITH_FRAMEWORKS_AND_GROUPS.formatted(VALID_EXTRA)
                .replace("\"name\": \"T\",", "\"name\": \"T\", \"multilabel\": true, \"x-owner\": {\"any\": [1]},")
                .replace("\"definition\": \"Def A.\"", "\"defintion\": \"Def A.\", \"x-note\": \"fine\""));
        assertThat(e.problems()).extracting(Problem::location)
                .containsExactly("/multilabel", "/values/0/defintion", "/values/0");
        assertThat(e.getMessage()).contains("unknown key 'multilabel'; allowed keys are id, version, name,")
                .contains("any key starting with 'x-'");
    }

    @Test
    void keysInPointersAreEscaped() {
        assertThat(jsonProblems(WITH_FRAMEWORKS_AND_GROUPS.formatted(VALID_EXTRA)
                .replace("\"name\": \"T\",", "\"name\": \"T\", \"a/b~c\": 1,")).problems())
                .extracting(Problem::location).containsExactly("/a~1b~0c");
    }

    @Test
    void jsonSyntaxErrorNamesTheLineAndColumn() {
        TaxonomyValidationException e = jsonProblems("{\"id\": \"t\",\n  \"version\": \"1\",\n  \"name\": }\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).location()).isEqualTo("line 3, column 11");
        assertThat(e.getMessage()).contains("test.json").contains("line 3, column 11: Unexpected character ('}'");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        TaxonomyValidationException e = yamlProblems("id: t\nversion: '1'\nname: [unclosed\nvalues: []\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).location()).startsWith("line 4");
        assertThat(e.getMessage()).contains("test.yaml");
    }

    @Test
    void duplicateKeysAreRefusedWithTheirLine() {
        TaxonomyValidationException e = jsonProblems("{\"id\": \"t\",\n \"id\": \"u\"}");
        assertThat(e.problems()).containsExactly(new Problem("line 2, column 2", "duplicate key 'id'"));
        assertThat(yamlProblems("id: t\nname: a\nname: b\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.location()).startsWith("line 3"))
                .satisfies(p -> assertThat(p.message()).containsIgnoringCase("duplicate").contains("'name'"));
    }

    @Test
    void emptyNonObjectAndTrailingDocumentsAreRefused() {
        assertThat(jsonProblems("  \n").problems()).containsExactly(
                new Problem("line 1, column 1", "the document is empty"));
        assertThat(yamlProblems("# only a comment\n").problems()).extracting(Problem::message)
                .containsExactly("the document is empty");
        assertThat(jsonProblems("[1, 2]").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("must be an object", "found a list"));
        assertThat(yamlProblems("just a sentence").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("found a string"));
        String valid = Taxonomies.toJson(ValueTaxonomy.valueImprint());
        assertThat(jsonProblems(valid + "{}").problems()).singleElement()
                .satisfies(p -> assertThat(p.location()).startsWith("line "));
        assertThat(yamlProblems("id: a\n---\nid: b\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("only one YAML document is allowed"));
    }

    @Test
    void yamlBillionLaughsIsRefusedClearly() {
        StringBuilder lol = new StringBuilder("id: lol\nversion: '1'\nname: lol\na: &a [\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            lol.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                lol.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            lol.append("]\n");
            previous = c;
        }
        long start = System.nanoTime();
        TaxonomyValidationException e = yamlProblems(lol.toString());
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("line 5, column 8");
            assertThat(p.message()).isEqualTo(
                    "YAML aliases (*a) are not supported in taxonomy files: write the value out in full");
        });
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(jsonProblems("{\"x-deep\": " + deep + "}").getMessage()).contains("nesting depth");
        TaxonomyValidationException e = yamlProblems("x-deep: " + deep + "\n");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).containsIgnoringCase("depth");
    }

    @Test
    void aFileOverOneMebibyteIsRefused(@TempDir Path dir) throws Exception {
        String big = "{\"id\": \"t\", \"description\": \"" + "x".repeat(Taxonomies.MAX_BYTES) + "\"}";
        Path file = dir.resolve("big.json");
        Files.writeString(file, big);
        TaxonomyValidationException e = catchThrowableOfType(TaxonomyValidationException.class,
                () -> Taxonomies.load(file));
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.getMessage()).contains(file.toString()).contains("over the limit of 1048576 bytes (1 MiB)");

        TaxonomyValidationException fromStream = yamlProblems("x".repeat(Taxonomies.MAX_BYTES + 1));
        assertThat(fromStream.getMessage()).contains("test.yaml")
                .contains("more than 1048576 bytes, over the limit of 1048576 bytes");
    }

    @Test
    void aFileJustUnderTheLimitIsRead(@TempDir Path dir) throws Exception {
        String base = Taxonomies.toJson(ValueTaxonomy.valueImprint());
        String padding = " ".repeat(Taxonomies.MAX_BYTES - base.getBytes(StandardCharsets.UTF_8).length);
        Path file = dir.resolve("padded.json");
        Files.writeString(file, base + padding);
        assertThat(Files.size(file)).isEqualTo(Taxonomies.MAX_BYTES);
        assertThat(Taxonomies.load(file)).isEqualTo(ValueTaxonomy.valueImprint());
    }

    @Test
    void invalidEncodingIsAProblemNotACrash() {
        byte[] latin1 = "{\"id\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Taxonomies.readJson(new ByteArrayInputStream(latin1), "latin1.json"))
                .isInstanceOf(TaxonomyValidationException.class).hasMessageContaining("latin1.json");
        assertThatThrownBy(() -> Taxonomies.readYaml(new ByteArrayInputStream(latin1), "latin1.yaml"))
                .isInstanceOf(TaxonomyValidationException.class).hasMessageContaining("latin1.yaml");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "\u0000", "id: \u0001abc", "a: !!binary 'not base64?'", "? [a, b]\n: c", "%YAML 9.9\n---\na: b",
        "a: !!timestamp x", "a: !custom x", "a: &x [1]\nb: &x [2]", "{a: 1, b", "- [", "a: 'unclosed", "\t- a",
        "a: b\n  c: d", "a: |\n x\n  y\n", "\uFEFF\uFEFFa: b", "a: \"\\uZZZZ\""})
    void oddYamlIsAProblemNotACrash(String text) {
        assertThatThrownBy(() -> yaml(text)).isInstanceOf(TaxonomyValidationException.class)
                .hasMessageContaining("test.yaml");
    }

    @Test
    void theBuilderValidatesTheSameWay() {
        TaxonomyValidationException e = catchThrowableOfType(TaxonomyValidationException.class,
                () -> ValueTaxonomy.builder("Mine")
                        .name("Mine")
                        .addGroup(new ValueGroup("g", "G", ""))
                        .addValue(new HumanValue("a", "A", List.of(), "", "", List.of("g"), List.of(), List.of()))
                        .addValue(new HumanValue("b", "a", "Def."))
                        .build());
        assertThat(e.source()).isEqualTo("builder");
        assertThat(e.problems()).containsExactlyInAnyOrder(
                new Problem("/id", "id 'Mine' must match [a-z0-9][a-z0-9._-]* (lower-case letters and digits, then"
                        + " also '.', '_' or '-')"),
                new Problem("/version", "must not be blank"),
                new Problem("/values/0/definition", "must not be blank"),
                new Problem("/values/1", "value 'b' is in no group; when a taxonomy declares groups every value must"
                        + " be in at least one (set \"groups_required\": false to allow values without a group)"),
                new Problem("/values/1/label", "label or alias 'a' duplicates the one at /values/0/label (labels and"
                        + " aliases must be unique, ignoring case and spacing)"));
    }

    @Test
    void theBuilderBuildsAnEqualTaxonomyToTheFile() {
        ValueTaxonomy built = ValueTaxonomy.builder("t").version("1").name("T")
                .addFramework(new Framework("f1", "F1", "")).addFramework(new Framework("f2", "F2", ""))
                .addGroup(new ValueGroup("g1", "G1", "")).addGroup(new ValueGroup("g2", "G2", ""))
                .addValue(new HumanValue("a", "A", List.of(), "Def A.", "f1", List.of("g1"), List.of(), List.of()))
                .addValue(new HumanValue("b", "B", List.of(), "Def B.", "f2", List.of("g1", "g2"), List.of(),
                        List.of()))
                .addValue(new HumanValue("c", "C", List.of(), "Def C.", "f1", List.of("g2"), List.of(), List.of()))
                .build();
        assertThat(built).isEqualTo(json(WITH_FRAMEWORKS_AND_GROUPS.formatted(VALID_EXTRA)));
    }

    @Test
    void recordsRefuseNullsAndBlankIdsAndCopyTheirLists() {
        assertThatThrownBy(() -> new HumanValue(" ", "A", "d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id must not be blank");
        assertThatThrownBy(() -> new HumanValue("a", "", "d")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label must not be blank");
        assertThatThrownBy(() -> new HumanValue("a", "A", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Framework("", "F", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ValueGroup("g", " ", "")).isInstanceOf(IllegalArgumentException.class);
        List<String> cues = new java.util.ArrayList<>(List.of("one"));
        HumanValue v = new HumanValue("a", "A", List.of(), "d", "", List.of(), cues, List.of());
        cues.add("two");
        assertThat(v.cues()).containsExactly("one");
        assertThatThrownBy(() -> v.cues().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anExceptionNeedsAProblem() {
        assertThatThrownBy(() -> new TaxonomyValidationException("s", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new TaxonomyValidationException("s", List.of(new Problem("/x", "bad"))).getMessage())
                .isEqualTo("Invalid taxonomy in s (1 problem):\n  /x: bad");
    }
}
