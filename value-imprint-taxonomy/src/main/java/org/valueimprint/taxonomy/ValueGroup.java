package org.valueimprint.taxonomy;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A roll-up group of values, such as the Value Imprint taxonomy's
 * "information-utility" and "prosocial-democratic" groups. A value may belong to several groups.
 *
 * <p>Instances are immutable. Whether {@code id} follows the id syntax ({@code [a-z0-9][a-z0-9._-]*}) and is unique
 * is checked when a {@link ValueTaxonomy} is built, not here.
 *
 * @param id the group's id, referred to by {@link HumanValue#groups()}; non-blank
 * @param label the human-readable name; non-blank
 * @param description a longer description; may be empty, never null
 */
public record ValueGroup(String id, String label, String description) {

    /**
     * Creates a group.
     *
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException if {@code id} or {@code label} is blank
     */
    public ValueGroup {
        requireNonNull(id, "id");
        requireNonNull(label, "label");
        requireNonNull(description, "description");
        checkArgument(!id.isBlank(), "group id must not be blank");
        checkArgument(!label.isBlank(), "group label must not be blank (id '%s')", id);
    }
}
