package org.valueimprint.taxonomy;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One human value of a {@link ValueTaxonomy}: what a classifier predicts and an audit counts.
 *
 * <p>Instances are immutable: the lists are copied with {@link List#copyOf}, so they are unmodifiable and hold no
 * nulls. This constructor checks only nulls and blank ids and labels; the rest (id syntax, uniqueness of ids, labels
 * and aliases, a non-blank definition, declared framework and groups) is checked when a {@link ValueTaxonomy} is
 * built, so that every problem of a taxonomy file is reported at once.
 *
 * @param id the stable machine id, such as {@code "wisdom-knowledge"}; non-blank
 * @param label the display label, exactly as used in annotated data, such as {@code "Wisdom/Knowledge"}; non-blank
 * @param aliases other spellings of the label that lookups accept (see {@link ValueTaxonomy#byLabel})
 * @param definition what the value covers, in a sentence or a few; used for zero-shot classification
 * @param framework the id of the value's {@link Framework}, or the empty string when the taxonomy declares none
 * @param groups the ids of the {@link ValueGroup}s the value rolls up into; may be empty
 * @param cues sub-values and typical topics that signal the value
 * @param examples short example texts that carry the value, in the {@code Human: ...\n\nAssistant: ...} form
 */
public record HumanValue(
        String id,
        String label,
        List<String> aliases,
        String definition,
        String framework,
        List<String> groups,
        List<String> cues,
        List<String> examples) {

    /**
     * Creates a value, copying the lists.
     *
     * @throws NullPointerException if any argument or list element is null
     * @throws IllegalArgumentException if {@code id} or {@code label} is blank
     */
    public HumanValue {
        requireNonNull(id, "id");
        requireNonNull(label, "label");
        requireNonNull(definition, "definition");
        requireNonNull(framework, "framework");
        aliases = List.copyOf(requireNonNull(aliases, "aliases"));
        groups = List.copyOf(requireNonNull(groups, "groups"));
        cues = List.copyOf(requireNonNull(cues, "cues"));
        examples = List.copyOf(requireNonNull(examples, "examples"));
        checkArgument(!id.isBlank(), "value id must not be blank");
        checkArgument(!label.isBlank(), "value label must not be blank (id '%s')", id);
    }

    /**
     * Creates a value with no aliases, framework, groups, cues or examples.
     *
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException if {@code id} or {@code label} is blank
     */
    public HumanValue(String id, String label, String definition) {
        this(id, label, List.of(), definition, "", List.of(), List.of(), List.of());
    }

    /** Returns whether this value rolls up into the group with the given id. */
    public boolean inGroup(String groupId) {
        return groups.contains(groupId);
    }
}
