package org.valueimprint.taxonomy;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * An ethics framework under which a taxonomy files its values, such as the Value Imprint taxonomy's
 * Utilitarianism, Deontological Ethics and Virtue Ethics.
 *
 * <p>Instances are immutable. Whether {@code id} follows the id syntax ({@code [a-z0-9][a-z0-9._-]*}) and is unique
 * is checked when a {@link ValueTaxonomy} is built, not here.
 *
 * @param id the framework's id, referred to by {@link HumanValue#framework()}; non-blank
 * @param label the human-readable name; non-blank
 * @param description a longer description; may be empty, never null
 */
public record Framework(String id, String label, String description) {

    /**
     * Creates a framework.
     *
     * @throws NullPointerException if any argument is null
     * @throws IllegalArgumentException if {@code id} or {@code label} is blank
     */
    public Framework {
        requireNonNull(id, "id");
        requireNonNull(label, "label");
        requireNonNull(description, "description");
        checkArgument(!id.isBlank(), "framework id must not be blank");
        checkArgument(!label.isBlank(), "framework label must not be blank (id '%s')", id);
    }
}
