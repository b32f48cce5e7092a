package org.valueimprint.onnx.zeroshot;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.valueimprint.taxonomy.HumanValue;

/**
 * Which texts a value's zero-shot prototype is built from, and how much each counts. A value contributes four kinds
 * of text, each kind with a total weight shared equally among its texts:
 *
 * <ul>
 *   <li>its label (one text, {@code "Well-being/Peace"});
 *   <li>its definition, rendered by {@code definitionTemplate} (one text);
 *   <li>its cues, each rendered by {@code cueTemplate} (one text per cue);
 *   <li>its example texts, as they are (one text per example).
 * </ul>
 *
 * Templates may use the placeholders {@code {label}}, {@code {definition}} and (cue template only) {@code {cue}}.
 * The prototype is the L2-normalised weighted sum of the unit embeddings of these texts: {@code normalise(Σ_kind
 * weight_kind · mean of the kind's embeddings)}. A kind with zero weight, or with no texts (a value without cues or
 * examples), is left out, so only the ratios of the weights matter; a value left with no text at all is an error.
 *
 * <p>{@link #defaults()} was chosen by measurement on the annotated corpus (7,195 texts, four encoders; every recipe
 * tried is listed in {@code docs/zero-shot.md}). What mattered most: the cues, written as a request
 * ({@code "Human: Can you help me with {cue}?"}), which sound like the conversations being classified; definitions and
 * labels on their own scored far lower (macro F1 about 0.30 and 0.21 against 0.49 for the cues).
 *
 * @param definitionTemplate how the definition is written, such as {@code "{definition}"} or
 *     {@code "{label}: {definition}"}; must mention {@code {definition}}
 * @param cueTemplate how each cue is written, such as {@code "{cue}"} or {@code "{label}: {cue}"}; must mention
 *     {@code {cue}}
 * @param labelWeight the weight of the label text; at least 0
 * @param definitionWeight the weight of the definition text; at least 0
 * @param cuesWeight the total weight of the cue texts; at least 0
 * @param examplesWeight the total weight of the example texts; at least 0
 */
public record PrototypeRecipe(
        String definitionTemplate,
        String cueTemplate,
        double labelWeight,
        double definitionWeight,
        double cuesWeight,
        double examplesWeight) {

    private static final PrototypeRecipe DEFAULTS =
            new PrototypeRecipe("{definition}", "Human: Can you help me with {cue}?", 0, 0.25, 3, 1);

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a template lacks its placeholder, a weight is negative or not finite, or
     *     every weight is 0
     */
    public PrototypeRecipe {
        requireNonNull(definitionTemplate, "definitionTemplate");
        requireNonNull(cueTemplate, "cueTemplate");
        checkArgument(definitionTemplate.contains("{definition}"),
                "definitionTemplate must contain {definition}, was '%s'", definitionTemplate);
        checkArgument(cueTemplate.contains("{cue}"), "cueTemplate must contain {cue}, was '%s'", cueTemplate);
        checkWeight("labelWeight", labelWeight);
        checkWeight("definitionWeight", definitionWeight);
        checkWeight("cuesWeight", cuesWeight);
        checkWeight("examplesWeight", examplesWeight);
        checkArgument(labelWeight > 0 || definitionWeight > 0 || cuesWeight > 0 || examplesWeight > 0,
                "at least one weight must be positive");
    }

    /**
     * The measured default: the cues written as {@code "Human: Can you help me with {cue}?"} (weight 3 in all), the
     * example texts (weight 1 in all), the definition as it is (weight 0.25), no label text. Mean macro F1 0.518 over
     * four encoders on the annotated corpus: the best of the 36 recipes tried that keep the definition in every
     * prototype (so that a value without cues or examples still has one), 0.001 under the best of all.
     */
    public static PrototypeRecipe defaults() {
        return DEFAULTS;
    }

    /** The definition alone, as it is: the simplest recipe, the baseline of {@code docs/zero-shot.md}. */
    public static PrototypeRecipe definitionOnly() {
        return new PrototypeRecipe("{definition}", "{cue}", 0, 1, 0, 0);
    }

    /** This recipe with other weights for the label, definition, cues and examples. */
    public PrototypeRecipe withWeights(double label, double definition, double cues, double examples) {
        return new PrototypeRecipe(definitionTemplate, cueTemplate, label, definition, cues, examples);
    }

    /** This recipe with other templates for the definition and the cues. */
    public PrototypeRecipe withTemplates(String definition, String cue) {
        return new PrototypeRecipe(definition, cue, labelWeight, definitionWeight, cuesWeight, examplesWeight);
    }

    /**
     * The texts of a value's prototype and their weights, in a fixed order (label, definition, cues in the value's
     * order, examples in the value's order); texts of zero weight are left out. The weights sum to 1.
     *
     * @throws IllegalArgumentException if the value has no text of any kind with a positive weight (a recipe of
     *     cues only, for a value without cues)
     */
    public List<WeightedText> texts(HumanValue value) {
        requireNonNull(value, "value");
        List<WeightedText> raw = new ArrayList<>();
        if (labelWeight > 0) {
            raw.add(new WeightedText(value.label(), labelWeight));
        }
        if (definitionWeight > 0) {
            raw.add(new WeightedText(fill(definitionTemplate, value, ""), definitionWeight));
        }
        if (cuesWeight > 0) {
            for (String cue : value.cues()) {
                raw.add(new WeightedText(fill(cueTemplate, value, cue), cuesWeight / value.cues().size()));
            }
        }
        if (examplesWeight > 0) {
            for (String example : value.examples()) {
                raw.add(new WeightedText(example, examplesWeight / value.examples().size()));
            }
        }
        checkArgument(!raw.isEmpty(), "value %s has no prototype text under the recipe %s", value.id(), describe());
        double total = 0;
        for (WeightedText t : raw) {
            total += t.weight();
        }
        List<WeightedText> out = new ArrayList<>(raw.size());
        for (WeightedText t : raw) {
            out.add(new WeightedText(t.text(), t.weight() / total));
        }
        return List.copyOf(out);
    }

    /**
     * A one-line description, such as
     * {@code definition "{definition}" 0.25, cues "Human: Can you help me with {cue}?" 3, label 0, examples 1}.
     */
    public String describe() {
        return String.format(Locale.ROOT, "definition \"%s\" %s, cues \"%s\" %s, label %s, examples %s",
                definitionTemplate, number(definitionWeight), cueTemplate, number(cuesWeight), number(labelWeight),
                number(examplesWeight));
    }

    private static String fill(String template, HumanValue value, String cue) {
        return template.replace("{label}", value.label()).replace("{definition}", value.definition())
                .replace("{cue}", cue);
    }

    private static String number(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    private static void checkWeight(String name, double w) {
        checkArgument(Double.isFinite(w) && w >= 0, "%s must be finite and at least 0, was %s", name, w);
    }

    /**
     * One text of a prototype and its share of the prototype.
     *
     * @param text the text that is embedded
     * @param weight its weight, positive
     */
    public record WeightedText(String text, double weight) {
        /** Validates the components. */
        public WeightedText {
            requireNonNull(text, "text");
            checkArgument(weight > 0 && Double.isFinite(weight), "weight must be positive, was %s", weight);
        }
    }
}
