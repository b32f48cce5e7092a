package org.valueimprint.onnx.hf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.valueimprint.classify.ModelException;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Maps a model's labels one to one onto a taxonomy's values. A model label named in the explicit map goes to the
 * value the map names (by id, label or alias); any other label goes to the value it names itself (by id, label or
 * alias, ignoring case and runs of whitespace, as {@link ValueTaxonomy#indexOf} matches). Every model label must map
 * to a value, no two to the same one, and every value must be mapped to.
 */
final class LabelMapping {
    private LabelMapping() {}

    /**
     * For each model output, in order, the index of its value in the taxonomy.
     *
     * @param labels the model's labels, index = output
     * @param explicit model label to value id (or label); keys matched ignoring case and surrounding whitespace
     * @param where the model, for messages
     * @throws ModelException naming what does not map: an explicit key that is no model label, an explicit target
     *     or a model label that is no value of the taxonomy (listing the taxonomy's labels), two labels on one value,
     *     or values no label maps to
     */
    static int[] map(List<String> labels, ValueTaxonomy taxonomy, Map<String, String> explicit, String where) {
        String taxonomyName = "taxonomy " + taxonomy.id() + " " + taxonomy.version();
        String known = "; the taxonomy's labels: " + String.join(", ", taxonomy.labels());
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : explicit.entrySet()) {
            String key = key(e.getKey());
            if (labels.stream().noneMatch(l -> key(l).equals(key))) {
                throw new ModelException("the label map names \"" + e.getKey() + "\", which is not a label of "
                        + where + "; its labels: " + String.join(", ", labels));
            }
            if (taxonomy.indexOf(e.getValue()) < 0) {
                throw new ModelException("the label map maps \"" + e.getKey() + "\" to \"" + e.getValue()
                        + "\", which is not a value of " + taxonomyName + known);
            }
            if (byKey.put(key, e.getValue()) != null) {
                throw new ModelException("the label map names \"" + e.getKey() + "\" twice");
            }
        }
        int[] out = new int[labels.size()];
        int[] owner = new int[taxonomy.size()];
        java.util.Arrays.fill(owner, -1);
        List<String> unmapped = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            String target = byKey.getOrDefault(key(label), label);
            int index = taxonomy.indexOf(target);
            out[i] = index;
            if (index < 0) {
                unmapped.add("\"" + label + "\"");
                continue;
            }
            if (owner[index] >= 0) {
                throw new ModelException("the labels \"" + labels.get(owner[index]) + "\" and \"" + label + "\" of "
                        + where + " both map to the value " + taxonomy.values().get(index).label() + " of "
                        + taxonomyName);
            }
            owner[index] = i;
        }
        if (!unmapped.isEmpty()) {
            throw new ModelException("the label" + (unmapped.size() == 1 ? " " : "s ") + String.join(", ", unmapped)
                    + " of " + where + (unmapped.size() == 1 ? " maps" : " map") + " to no value of " + taxonomyName
                    + " (labels are matched by value id, label or alias, ignoring case; or give a label map)"
                    + known);
        }
        List<String> missing = new ArrayList<>();
        for (int v = 0; v < owner.length; v++) {
            if (owner[v] < 0) {
                missing.add(taxonomy.values().get(v).label());
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelException("no label of " + where + " maps to the value" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + " of " + taxonomyName + ", so its probabilities cannot cover the"
                    + " taxonomy; the model's labels: " + String.join(", ", labels));
        }
        return out;
    }

    private static String key(String label) {
        return label.strip().toLowerCase(Locale.ROOT);
    }
}
