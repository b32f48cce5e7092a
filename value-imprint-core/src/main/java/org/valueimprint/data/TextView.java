package org.valueimprint.data;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Which text of a record a classifier sees: a {@link Side} rendered with {@link Conversation#render()} and fitted
 * to a {@link TextBudget}.
 *
 * <pre>{@code
 * TextView view = TextView.of(Side.CHOSEN).withBudget(TextBudget.chars(1200));
 * Optional<String> text = view.text(record); // "Human: ...\n\nAssistant: ..."
 * }</pre>
 *
 * @param side which side
 * @param budget how much of it
 */
public record TextView(Side side, TextBudget budget) {
    /** Validates the components. */
    public TextView {
        requireNonNull(side, "side");
        requireNonNull(budget, "budget");
    }

    /** The whole text of a side, with no budget. */
    public static TextView of(Side side) {
        return new TextView(side, TextBudget.unlimited());
    }

    /** This view with another budget. */
    public TextView withBudget(TextBudget budget) {
        return new TextView(side, budget);
    }

    /** The rendered, fitted text of this view's side, or empty when the record has no such side. */
    public Optional<String> text(PreferenceRecord record) {
        return record.transcript(side).map(c -> budget.fit(c.render()));
    }
}
