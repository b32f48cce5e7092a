package org.valueimprint.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class RoundTripPropertiesTest {

    @Property(tries = 300)
    void jsonWriteThenReadGivesAnEqualTaxonomy(@ForAll("taxonomies") ValueTaxonomy t) {
        String json = Taxonomies.toJson(t);
        ValueTaxonomy back = Taxonomies.readJson(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "generated.json");
        assertThat(back).isEqualTo(t);
        assertThat(Taxonomies.toJson(back)).isEqualTo(json);
    }

    @Property(tries = 300)
    void yamlWriteThenReadGivesAnEqualTaxonomy(@ForAll("taxonomies") ValueTaxonomy t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Taxonomies.writeYaml(t, out);
        ValueTaxonomy back = Taxonomies.readYaml(new ByteArrayInputStream(out.toByteArray()), "generated.yaml");
        assertThat(back).isEqualTo(t);
    }

    @Property(tries = 500)
    void garbageBytesGiveATaxonomyOrAValidationException(@ForAll @Size(max = 300) byte[] bytes) {
        readBothWays(bytes);
    }

    @Property(tries = 500)
    void corruptedTaxonomyFilesGiveATaxonomyOrAValidationException(
            @ForAll("corruptions") byte[] bytes) {
        readBothWays(bytes);
    }

    /** Either reading succeeds or it throws TaxonomyValidationException; any other exception fails the property. */
    private static void readBothWays(byte[] bytes) {
        try {
            Taxonomies.readJson(new ByteArrayInputStream(bytes), "garbage.json");
        } catch (TaxonomyValidationException expected) {
            assertThat(expected.problems()).isNotEmpty();
        }
        try {
            Taxonomies.readYaml(new ByteArrayInputStream(bytes), "garbage.yaml");
        } catch (TaxonomyValidationException expected) {
            assertThat(expected.problems()).isNotEmpty();
        }
    }

    /** Valid taxonomy files with a few bytes overwritten, inserted or cut: closer to real mistakes than noise. */
    @Provide
    Arbitrary<byte[]> corruptions() throws IOException {
        ByteArrayOutputStream yaml = new ByteArrayOutputStream();
        Taxonomies.writeYaml(ValueTaxonomy.valueImprint(), yaml);
        List<byte[]> sources = List.of(
                Taxonomies.toJson(ValueTaxonomy.valueImprint()).getBytes(StandardCharsets.UTF_8),
                yaml.toByteArray());
        Arbitrary<byte[]> source = Arbitraries.of(sources);
        return source.flatMap(bytes -> Combinators.combine(
                        Arbitraries.integers().between(0, bytes.length - 1).list().ofMinSize(1).ofMaxSize(8),
                        Arbitraries.bytes().list().ofSize(8),
                        Arbitraries.integers().between(0, 2))
                .as((positions, replacements, mode) -> corrupt(bytes, positions, replacements, mode)));
    }

    private static byte[] corrupt(byte[] original, List<Integer> positions, List<Byte> replacements, int mode) {
        if (mode == 2) { // truncate
            return java.util.Arrays.copyOf(original, positions.get(0));
        }
        List<Byte> bytes = new ArrayList<>();
        for (byte b : original) {
            bytes.add(b);
        }
        for (int i = 0; i < positions.size(); i++) {
            int at = Math.min(positions.get(i), bytes.size() - 1);
            if (mode == 0) {
                bytes.set(at, replacements.get(i));
            } else {
                bytes.add(at, replacements.get(i));
            }
        }
        byte[] result = new byte[bytes.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = bytes.get(i);
        }
        return result;
    }

    // ---- generators of valid taxonomies ----

    private static final String[] EMOJI = {"\uD83D\uDE00", "\uD83C\uDF0D", "\u2764\uFE0F", "\uD83D\uDC3E"};

    /** Unicode text: Latin, accented, Greek, Cyrillic, CJK, Arabic, emoji, punctuation YAML cares about, spaces. */
    private static Arbitrary<String> text(int maxPieces) {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                        .ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u00c0', '\u00ff').withCharRange('\u03b1', '\u03c9')
                        .withCharRange('\u0430', '\u044f').withCharRange('\u4e00', '\u4e20')
                        .withCharRange('\u0627', '\u064a').ofMinLength(1).ofMaxLength(5),
                Arbitraries.strings().withChars(" \t\n/&:#-'\"*!%@`|>{}[],?~\\").ofMinLength(1).ofMaxLength(3),
                Arbitraries.of("true", "no", "null", "~", "1.10", "0x1F", "1e5", "- ", ": ", " #", "Human: ",
                        "\n\nAssistant: ", "---", "..."),
                Arbitraries.of(EMOJI));
        return piece.list().ofMinSize(1).ofMaxSize(maxPieces).map(pieces -> String.join("", pieces));
    }

    private static Arbitrary<String> nonBlankText(int maxPieces) {
        return text(maxPieces).filter(s -> !s.isBlank());
    }

    private static Arbitrary<String> optionalText() {
        return Arbitraries.oneOf(Arbitraries.just(""), text(6));
    }

    private static Arbitrary<String> ids() {
        Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('0', '9');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("._-").ofMaxLength(10);
        return Combinators.combine(first, rest).as((f, r) -> f + r);
    }

    private static Arbitrary<List<String>> texts(int max) {
        return nonBlankText(8).list().ofMaxSize(max);
    }

    @Provide
    Arbitrary<ValueTaxonomy> taxonomies() {
        Arbitrary<Integer> valueCount = Arbitraries.integers().between(2, 6);
        return valueCount.flatMap(n -> Combinators.combine(
                ids().list().ofSize(n + 7).uniqueElements(),
                // labels, then up to 2 aliases per value: unique ignoring case and spacing
                nonBlankText(4).list().ofSize(3 * n).uniqueElements(ValueTaxonomy::normalizeLabel),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 2).list().ofSize(n),
                Arbitraries.integers().between(0, 1000).list().ofSize(n),
                Combinators.combine(nonBlankText(3), nonBlankText(4), optionalText(),
                        Arbitraries.of(true, false), Arbitraries.of(true, false)).as(List::<Object>of),
                Combinators.combine(nonBlankText(12), texts(3), texts(2), optionalText())
                        .as(List::<Object>of).list().ofSize(n))
                .as((ids, names, frameworkCount, groupCount, aliasCounts, picks, header, details) -> {
                    ValueTaxonomy.Builder b = ValueTaxonomy.builder(ids.get(0))
                            .version((String) header.get(0))
                            .name((String) header.get(1))
                            .description((String) header.get(2))
                            .multiLabel((Boolean) header.get(3))
                            .groupsRequired((Boolean) header.get(4));
                    List<String> frameworkIds = ids.subList(1, 1 + frameworkCount);
                    List<String> groupIds = ids.subList(4, 4 + groupCount);
                    String description = (String) details.get(0).get(3);
                    frameworkIds.forEach(id -> b.addFramework(new Framework(id, "F " + id, description)));
                    groupIds.forEach(id -> b.addGroup(new ValueGroup(id, "G " + id, "")));
                    for (int i = 0; i < n; i++) {
                        List<Object> d = details.get(i);
                        int pick = picks.get(i);
                        String framework = frameworkIds.isEmpty() ? "" : frameworkIds.get(pick % frameworkIds.size());
                        List<String> groups = new ArrayList<>();
                        for (int g = 0; g < groupIds.size(); g++) {
                            if (((pick >> g) & 1) == 1 || (g == 0 && (Boolean) header.get(4))) {
                                groups.add(groupIds.get(g));
                            }
                        }
                        @SuppressWarnings("unchecked")
                        List<String> cues = (List<String>) d.get(1);
                        @SuppressWarnings("unchecked")
                        List<String> examples = (List<String>) d.get(2);
                        b.addValue(new HumanValue(ids.get(7 + i), names.get(i),
                                names.subList(n + 2 * i, n + 2 * i + aliasCounts.get(i)), (String) d.get(0),
                                framework, groups, cues, examples));
                    }
                    return b.build();
                }));
    }
}
