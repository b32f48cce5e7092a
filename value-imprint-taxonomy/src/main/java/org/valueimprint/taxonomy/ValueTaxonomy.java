package org.valueimprint.taxonomy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A taxonomy of human values: an ordered list of {@link HumanValue}s, optionally filed under ethics
 * {@link Framework}s and rolled up into {@link ValueGroup}s.
 *
 * <p>The built-in taxonomy is {@link #valueImprint()}, the seven values of Obi et al. (2024), Table 1. Custom
 * taxonomies are read with {@link Taxonomies#load} (JSON or YAML, see {@code docs/taxonomy-format.md}) or built
 * with {@link #builder(String)}:
 *
 * <pre>{@code
 * ValueTaxonomy taxonomy = ValueTaxonomy.builder("my-values")
 *     .version("1")
 *     .name("My values")
 *     .addValue(new HumanValue("care", "Care", "Protecting and helping others."))
 *     .addValue(new HumanValue("fairness", "Fairness", "Treating people equally and justly."))
 *     .build();
 * HumanValue care = taxonomy.resolve("care");        // by id
 * int index = taxonomy.indexOf("  FAIRNESS ");       // by label, ignoring case and spacing: 1
 * }</pre>
 *
 * <p>Instances are immutable and always valid: every way of making one checks the rules listed in
 * {@code docs/taxonomy-format.md} and throws a {@link TaxonomyValidationException} that lists every problem.
 * The order of {@link #values()} is significant: it is the order of a classifier's outputs ({@link #indexOf}).
 * Two taxonomies are equal when all their fields are equal.
 */
public final class ValueTaxonomy {

    private static final String BUILT_IN_RESOURCE = "/org/valueimprint/taxonomy/value-imprint.json";
    private static final String VALUE_EVAL_RESOURCE = "/org/valueimprint/taxonomy/valueeval.json";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final String id;
    private final String version;
    private final String name;
    private final String description;
    private final boolean multiLabel;
    private final boolean groupsRequired;
    private final List<Framework> frameworks;
    private final List<ValueGroup> groups;
    private final List<HumanValue> values;
    private final List<String> labels;
    private final Map<String, Integer> indexById = new HashMap<>();
    private final Map<String, Integer> indexByLabel = new HashMap<>();

    /** Not validated here: callers are {@link TaxonomyCodec#fromTree}, which validates, and {@link Builder}. */
    ValueTaxonomy(String id, String version, String name, String description, boolean multiLabel,
            boolean groupsRequired, List<Framework> frameworks, List<ValueGroup> groups, List<HumanValue> values) {
        this.id = requireNonNull(id, "id");
        this.version = requireNonNull(version, "version");
        this.name = requireNonNull(name, "name");
        this.description = requireNonNull(description, "description");
        this.multiLabel = multiLabel;
        this.groupsRequired = groupsRequired;
        this.frameworks = List.copyOf(frameworks);
        this.groups = List.copyOf(groups);
        this.values = List.copyOf(values);
        this.labels = this.values.stream().map(HumanValue::label).toList();
        for (int i = 0; i < this.values.size(); i++) {
            HumanValue value = this.values.get(i);
            indexById.putIfAbsent(value.id(), i);
            indexByLabel.putIfAbsent(normalizeLabel(value.label()), i);
            for (String alias : value.aliases()) {
                indexByLabel.putIfAbsent(normalizeLabel(alias), i);
            }
        }
    }

    /**
     * Returns the built-in Value Imprint taxonomy (id {@code value-imprint}): the seven values of Obi et al. (2024),
     * Table 1, under Utilitarianism, Deontological Ethics and Virtue Ethics, rolled up into the groups
     * {@code information-utility} and {@code prosocial-democratic}. Single label, no "none" class.
     *
     * <p>Loaded once from the resource {@code /org/valueimprint/taxonomy/value-imprint.json}; always the same
     * instance.
     */
    public static ValueTaxonomy valueImprint() {
        return BuiltIn.INSTANCE;
    }

    /**
     * Returns the built-in Touché23-ValueEval taxonomy (id {@code valueeval}, version {@code 2023}): the 20 value
     * categories of SemEval-2023 Task 4 after Schwartz's refined theory of basic values, in the task's order, each
     * labelled exactly as the task's {@code value-categories.json} spells it (such as {@code Self-direction: thought}),
     * with its finer values (54 in all) as cues and in its definition, and rolled up into Schwartz's four
     * higher-order groups ({@code openness-to-change}, {@code self-enhancement}, {@code conservation},
     * {@code self-transcendence}; Hedonism, Face and Humility are in two). Multi-label: a text may carry several
     * categories or none. Derived from the Touché23-ValueEval value files, CC BY-SA 4.0.
     *
     * <p>Loaded once from the resource {@code /org/valueimprint/taxonomy/valueeval.json}, a taxonomy file in the
     * format users write ({@code docs/taxonomy-format.md}); always the same instance.
     */
    public static ValueTaxonomy valueEval() {
        return BuiltInValueEval.INSTANCE;
    }

    private static final class BuiltIn {
        static final ValueTaxonomy INSTANCE = loadResource(BUILT_IN_RESOURCE);
    }

    private static final class BuiltInValueEval {
        static final ValueTaxonomy INSTANCE = loadResource(VALUE_EVAL_RESOURCE);
    }

    private static ValueTaxonomy loadResource(String resource) {
        try (InputStream in = ValueTaxonomy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the classpath");
            }
            return Taxonomies.readJson(in, "classpath:" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Returns a builder for a taxonomy with the given id. Its {@code version} and {@code name} must be set before
     * {@link Builder#build()}.
     *
     * @throws NullPointerException if {@code id} is null
     */
    public static Builder builder(String id) {
        return new Builder(requireNonNull(id, "id"));
    }

    /** Returns the id, such as {@code value-imprint}; matches {@code [a-z0-9][a-z0-9._-]*}. */
    public String id() {
        return id;
    }

    /** Returns the version, such as {@code 1.0}; non-blank. */
    public String version() {
        return version;
    }

    /** Returns the human-readable name; non-blank. */
    public String name() {
        return name;
    }

    /** Returns the description, or the empty string when there is none. */
    public String description() {
        return description;
    }

    /**
     * Returns whether a text may carry several values of this taxonomy at once (false for the built-in, which gives
     * each text exactly one value).
     */
    public boolean multiLabel() {
        return multiLabel;
    }

    /**
     * Returns whether every value must belong to at least one group when the taxonomy declares groups (the default,
     * true; a file turns it off with {@code "groups_required": false}).
     */
    public boolean groupsRequired() {
        return groupsRequired;
    }

    /** Returns the values in their defined order, which is the order of a classifier's outputs; at least two. */
    public List<HumanValue> values() {
        return values;
    }

    /** Returns the number of values. */
    public int size() {
        return values.size();
    }

    /** Returns the labels of {@link #values()}, in the same order. */
    public List<String> labels() {
        return labels;
    }

    /** Returns the declared ethics frameworks, in their defined order; may be empty. */
    public List<Framework> frameworks() {
        return frameworks;
    }

    /** Returns the declared roll-up groups, in their defined order; may be empty. */
    public List<ValueGroup> groups() {
        return groups;
    }

    /**
     * Returns the value with exactly this id.
     *
     * @throws NullPointerException if {@code id} is null
     */
    public Optional<HumanValue> byId(String id) {
        Integer index = indexById.get(requireNonNull(id, "id"));
        return index == null ? Optional.empty() : Optional.of(values.get(index));
    }

    /**
     * Returns the value whose label or one of whose aliases matches {@code label}, ignoring case, leading and trailing
     * whitespace, and the length of runs of whitespace: {@code " well-being/PEACE "} finds "Well-being/Peace".
     *
     * @throws NullPointerException if {@code label} is null
     */
    public Optional<HumanValue> byLabel(String label) {
        Integer index = indexByLabel.get(normalizeLabel(requireNonNull(label, "label")));
        return index == null ? Optional.empty() : Optional.of(values.get(index));
    }

    /**
     * Returns the value with this id or, failing that, this label or alias (as {@link #byLabel}). Ids are tried
     * first, so a label that equals another value's id finds that other value.
     *
     * @throws NullPointerException if {@code idOrLabel} is null
     * @throws IllegalArgumentException if no value matches; the message names the text and lists the known labels
     */
    public HumanValue resolve(String idOrLabel) {
        return find(idOrLabel).orElseThrow(() -> new IllegalArgumentException(
                "Unknown value '" + idOrLabel + "' in taxonomy " + id + " " + version + "; known labels: "
                        + String.join(", ", labels)));
    }

    /**
     * Returns the position in {@link #values()} of the value with this id, label or alias (matched as
     * {@link #resolve}), or -1 when there is none.
     *
     * @throws NullPointerException if {@code idOrLabel} is null
     */
    public int indexOf(String idOrLabel) {
        return find(idOrLabel).map(values::indexOf).orElse(-1);
    }

    private Optional<HumanValue> find(String idOrLabel) {
        requireNonNull(idOrLabel, "idOrLabel");
        Optional<HumanValue> value = byId(idOrLabel.strip());
        return value.isPresent() ? value : byLabel(idOrLabel);
    }

    /**
     * Returns the values filed under the framework with this id, in their defined order.
     *
     * @throws NullPointerException if {@code frameworkId} is null
     * @throws IllegalArgumentException if the taxonomy declares no framework with this id
     */
    public List<HumanValue> valuesInFramework(String frameworkId) {
        if (framework(frameworkId).isEmpty()) {
            throw new IllegalArgumentException("Unknown framework '" + frameworkId + "' in taxonomy " + id
                    + "; declared: " + describeIds(frameworks.stream().map(Framework::id).toList()));
        }
        return values.stream().filter(v -> v.framework().equals(frameworkId)).toList();
    }

    /**
     * Returns the values that roll up into the group with this id, in their defined order.
     *
     * @throws NullPointerException if {@code groupId} is null
     * @throws IllegalArgumentException if the taxonomy declares no group with this id
     */
    public List<HumanValue> valuesInGroup(String groupId) {
        if (group(groupId).isEmpty()) {
            throw new IllegalArgumentException("Unknown group '" + groupId + "' in taxonomy " + id
                    + "; declared: " + describeIds(groups.stream().map(ValueGroup::id).toList()));
        }
        return values.stream().filter(v -> v.inGroup(groupId)).toList();
    }

    /**
     * Returns the framework with this id.
     *
     * @throws NullPointerException if {@code id} is null
     */
    public Optional<Framework> framework(String id) {
        requireNonNull(id, "id");
        return frameworks.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /**
     * Returns the group with this id.
     *
     * @throws NullPointerException if {@code id} is null
     */
    public Optional<ValueGroup> group(String id) {
        requireNonNull(id, "id");
        return groups.stream().filter(g -> g.id().equals(id)).findFirst();
    }

    /**
     * The form in which labels and aliases are compared: stripped, runs of whitespace made one space, lower case.
     */
    static String normalizeLabel(String label) {
        return WHITESPACE.matcher(label.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    static String describeIds(List<String> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof ValueTaxonomy t
                && id.equals(t.id) && version.equals(t.version) && name.equals(t.name)
                && description.equals(t.description) && multiLabel == t.multiLabel
                && groupsRequired == t.groupsRequired && frameworks.equals(t.frameworks)
                && groups.equals(t.groups) && values.equals(t.values));
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version, name, description, multiLabel, groupsRequired, frameworks, groups, values);
    }

    /** Returns a short description: id, version and labels, such as {@code ValueTaxonomy[my-values 1: Care, ...]}. */
    @Override
    public String toString() {
        return "ValueTaxonomy[" + id + " " + version + ": " + String.join(", ", labels) + "]";
    }

    /**
     * Builds a {@link ValueTaxonomy} programmatically. Not thread-safe; each {@link #build()} makes a new, validated
     * taxonomy from the builder's current state.
     */
    public static final class Builder {
        private final String id;
        private String version = "";
        private String name = "";
        private String description = "";
        private boolean multiLabel;
        private boolean groupsRequired = true;
        private final List<Framework> frameworks = new ArrayList<>();
        private final List<ValueGroup> groups = new ArrayList<>();
        private final List<HumanValue> values = new ArrayList<>();

        private Builder(String id) {
            this.id = id;
        }

        /** Sets the version (required, non-blank). */
        public Builder version(String version) {
            this.version = requireNonNull(version, "version");
            return this;
        }

        /** Sets the human-readable name (required, non-blank). */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /** Sets the description (optional; empty by default). */
        public Builder description(String description) {
            this.description = requireNonNull(description, "description");
            return this;
        }

        /** Sets whether a text may carry several values at once (false by default). */
        public Builder multiLabel(boolean multiLabel) {
            this.multiLabel = multiLabel;
            return this;
        }

        /** Sets whether every value must be in a group when groups are declared (true by default). */
        public Builder groupsRequired(boolean groupsRequired) {
            this.groupsRequired = groupsRequired;
            return this;
        }

        /** Declares a framework, after those declared before. */
        public Builder addFramework(Framework framework) {
            frameworks.add(requireNonNull(framework, "framework"));
            return this;
        }

        /** Declares a group, after those declared before. */
        public Builder addGroup(ValueGroup group) {
            groups.add(requireNonNull(group, "group"));
            return this;
        }

        /** Adds a value, after those added before. */
        public Builder addValue(HumanValue value) {
            values.add(requireNonNull(value, "value"));
            return this;
        }

        /** Adds the values, in order, after those added before. */
        public Builder addValues(Iterable<HumanValue> values) {
            requireNonNull(values, "values").forEach(this::addValue);
            return this;
        }

        /**
         * Returns a new taxonomy.
         *
         * @throws TaxonomyValidationException listing every problem, with locations as in a file (such as
         *     {@code /values/2/definition}); its {@link TaxonomyValidationException#source() source} is "builder"
         */
        public ValueTaxonomy build() {
            ValueTaxonomy draft = new ValueTaxonomy(id, version, name, description, multiLabel, groupsRequired,
                    frameworks, groups, values);
            return TaxonomyCodec.fromTree(TaxonomyCodec.toTree(draft), "builder");
        }
    }
}
