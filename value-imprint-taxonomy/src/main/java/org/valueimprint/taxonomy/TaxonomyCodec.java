package org.valueimprint.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.valueimprint.taxonomy.TaxonomyValidationException.Problem;

/**
 * Converts between the document tree of a taxonomy file and {@link ValueTaxonomy}, and holds every validation rule,
 * so that files and the builder are checked the same way. See {@code docs/taxonomy-format.md}.
 */
final class TaxonomyCodec {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final List<String> TOP_KEYS = List.of("id", "version", "name", "description", "multi_label",
            "groups_required", "frameworks", "groups", "values");
    private static final List<String> ENTRY_KEYS = List.of("id", "label", "description");
    private static final List<String> VALUE_KEYS = List.of("id", "label", "aliases", "definition", "framework",
            "groups", "cues", "examples");

    private TaxonomyCodec() {}

    /**
     * Validates a document tree and returns the taxonomy it describes.
     *
     * @throws TaxonomyValidationException listing every problem found
     */
    static ValueTaxonomy fromTree(JsonNode root, String source) {
        return new Checker(source).taxonomy(root);
    }

    /** Returns the document tree of a taxonomy, omitting empty lists, empty strings and default settings. */
    static ObjectNode toTree(ValueTaxonomy t) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("id", t.id());
        root.put("version", t.version());
        root.put("name", t.name());
        putIfNotEmpty(root, "description", t.description());
        if (t.multiLabel()) {
            root.put("multi_label", true);
        }
        if (!t.groupsRequired()) {
            root.put("groups_required", false);
        }
        if (!t.frameworks().isEmpty()) {
            ArrayNode frameworks = root.putArray("frameworks");
            t.frameworks().forEach(f -> entry(frameworks.addObject(), f.id(), f.label(), f.description()));
        }
        if (!t.groups().isEmpty()) {
            ArrayNode groups = root.putArray("groups");
            t.groups().forEach(g -> entry(groups.addObject(), g.id(), g.label(), g.description()));
        }
        ArrayNode values = root.putArray("values");
        for (HumanValue v : t.values()) {
            ObjectNode value = values.addObject();
            value.put("id", v.id());
            value.put("label", v.label());
            putIfNotEmpty(value, "aliases", v.aliases());
            value.put("definition", v.definition());
            putIfNotEmpty(value, "framework", v.framework());
            putIfNotEmpty(value, "groups", v.groups());
            putIfNotEmpty(value, "cues", v.cues());
            putIfNotEmpty(value, "examples", v.examples());
        }
        return root;
    }

    private static void entry(ObjectNode node, String id, String label, String description) {
        node.put("id", id);
        node.put("label", label);
        putIfNotEmpty(node, "description", description);
    }

    private static void putIfNotEmpty(ObjectNode node, String key, String text) {
        if (!text.isEmpty()) {
            node.put(key, text);
        }
    }

    private static void putIfNotEmpty(ObjectNode node, String key, List<String> texts) {
        if (!texts.isEmpty()) {
            ArrayNode array = node.putArray(key);
            texts.forEach(array::add);
        }
    }

    /** Escapes a key for use in a JSON Pointer (RFC 6901). */
    static String pointer(String parent, Object key) {
        return parent + "/" + key.toString().replace("~", "~0").replace("/", "~1");
    }

    /** Walks a document tree once, collecting problems; builds the taxonomy only when there are none. */
    private static final class Checker {
        private final String source;
        private final List<Problem> problems = new ArrayList<>();

        Checker(String source) {
            this.source = source;
        }

        ValueTaxonomy taxonomy(JsonNode root) {
            if (!root.isObject()) {
                problem("", "a taxonomy must be an object (a mapping of keys to values), found " + kind(root));
                throw new TaxonomyValidationException(source, problems);
            }
            checkKeys(root, "", TOP_KEYS);
            String id = id(root, "");
            String version = text(root, "version", "", true);
            String name = text(root, "name", "", true);
            String description = text(root, "description", "", false);
            boolean multiLabel = bool(root, "multi_label", false);
            boolean groupsRequired = bool(root, "groups_required", true);

            List<Framework> frameworks = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> e : objects(root, "frameworks", "", false).entrySet()) {
                String at = e.getKey();
                checkKeys(e.getValue(), at, ENTRY_KEYS);
                String entryId = id(e.getValue(), at);
                String label = text(e.getValue(), "label", at, true);
                frameworks.add(entryId.isEmpty() || label.isEmpty() ? null
                        : new Framework(entryId, label, text(e.getValue(), "description", at, false)));
            }
            List<ValueGroup> groups = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> e : objects(root, "groups", "", false).entrySet()) {
                String at = e.getKey();
                checkKeys(e.getValue(), at, ENTRY_KEYS);
                String entryId = id(e.getValue(), at);
                String label = text(e.getValue(), "label", at, true);
                groups.add(entryId.isEmpty() || label.isEmpty() ? null
                        : new ValueGroup(entryId, label, text(e.getValue(), "description", at, false)));
            }
            Set<String> frameworkIds = unique(ids(root, "frameworks"), "framework");
            Set<String> groupIds = unique(ids(root, "groups"), "group");

            Map<String, ObjectNode> valueNodes = objects(root, "values", "", true);
            List<HumanValue> values = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> e : valueNodes.entrySet()) {
                values.add(value(e.getValue(), e.getKey(), frameworkIds, groupIds, groupsRequired));
            }
            if (root.has("values") && root.get("values").isArray() && valueNodes.size() < 2) {
                problem("/values", "a taxonomy needs at least 2 values, found " + valueNodes.size());
            }
            unique(ids(root, "values"), "value");
            uniqueLabels(valueNodes);

            if (!problems.isEmpty()) {
                throw new TaxonomyValidationException(source, problems);
            }
            return new ValueTaxonomy(id, version, name, description, multiLabel, groupsRequired, frameworks, groups,
                    values);
        }

        private HumanValue value(ObjectNode node, String at, Set<String> frameworkIds, Set<String> groupIds,
                boolean groupsRequired) {
            checkKeys(node, at, VALUE_KEYS);
            String id = id(node, at);
            String label = text(node, "label", at, true);
            List<String> aliases = texts(node, "aliases", at);
            String definition = text(node, "definition", at, true);
            String framework = text(node, "framework", at, false);
            List<String> groups = texts(node, "groups", at);
            List<String> cues = texts(node, "cues", at);
            List<String> examples = texts(node, "examples", at);

            if (framework.isBlank() && !frameworkIds.isEmpty()) {
                if (node.get("framework") == null || node.get("framework").isTextual()) {
                    problem(node.has("framework") ? pointer(at, "framework") : at, "a value needs a framework when"
                            + " the taxonomy declares frameworks; declared: " + String.join(", ", frameworkIds));
                }
            } else if (!framework.isEmpty() && !frameworkIds.contains(framework)) {
                problem(pointer(at, "framework"), "framework '" + framework + "' is not declared; declared: "
                        + ValueTaxonomy.describeIds(List.copyOf(frameworkIds)));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < groups.size(); i++) {
                String group = groups.get(i);
                String groupAt = pointer(pointer(at, "groups"), i);
                if (!seen.add(group)) {
                    problem(groupAt, "group '" + group + "' is listed twice");
                } else if (!groupIds.contains(group)) {
                    problem(groupAt, "group '" + group + "' is not declared; declared: "
                            + ValueTaxonomy.describeIds(List.copyOf(groupIds)));
                }
            }
            if (!groupIds.isEmpty() && groupsRequired && groups.isEmpty()) {
                problem(at, "value '" + id + "' is in no group; when a taxonomy declares groups every value must be"
                        + " in at least one (set \"groups_required\": false to allow values without a group)");
            }
            if (id.isEmpty() || label.isEmpty()) {
                return null;
            }
            return new HumanValue(id, label, aliases, definition, framework, groups, cues, examples);
        }

        /** Reports labels and aliases that clash, ignoring case and spacing, across all values. */
        private void uniqueLabels(Map<String, ObjectNode> valueNodes) {
            Map<String, String> firstAt = new HashMap<>();
            for (Map.Entry<String, ObjectNode> e : valueNodes.entrySet()) {
                List<String[]> names = new ArrayList<>();
                JsonNode label = e.getValue().get("label");
                if (label != null && label.isTextual()) {
                    names.add(new String[] {pointer(e.getKey(), "label"), label.asText()});
                }
                JsonNode aliases = e.getValue().get("aliases");
                if (aliases != null && aliases.isArray()) {
                    for (int i = 0; i < aliases.size(); i++) {
                        if (aliases.get(i).isTextual()) {
                            names.add(new String[] {pointer(pointer(e.getKey(), "aliases"), i),
                                    aliases.get(i).asText()});
                        }
                    }
                }
                for (String[] name : names) {
                    if (name[1].isBlank()) {
                        continue;
                    }
                    String previous = firstAt.putIfAbsent(ValueTaxonomy.normalizeLabel(name[1]), name[0]);
                    if (previous != null) {
                        problem(name[0], "label or alias '" + name[1] + "' duplicates the one at " + previous
                                + " (labels and aliases must be unique, ignoring case and spacing)");
                    }
                }
            }
        }

        /** Returns the id text at each entry of an array, keyed by its pointer, skipping those without one. */
        private static Map<String, String> ids(JsonNode root, String arrayKey) {
            Map<String, String> ids = new LinkedHashMap<>();
            JsonNode array = root.get(arrayKey);
            if (array != null && array.isArray()) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode id = array.get(i).get("id");
                    if (id != null && id.isTextual() && !id.asText().isBlank()) {
                        ids.put(pointer(pointer("/" + arrayKey, i), "id"), id.asText());
                    }
                }
            }
            return ids;
        }

        private Set<String> unique(Map<String, String> ids, String what) {
            Map<String, String> firstAt = new HashMap<>();
            for (Map.Entry<String, String> e : ids.entrySet()) {
                String previous = firstAt.putIfAbsent(e.getValue(), e.getKey());
                if (previous != null) {
                    problem(e.getKey(), "duplicate " + what + " id '" + e.getValue() + "' (also at " + previous + ")");
                }
            }
            return new LinkedHashSet<>(ids.values());
        }

        private void checkKeys(JsonNode node, String at, List<String> allowed) {
            node.fieldNames().forEachRemaining(key -> {
                if (!allowed.contains(key) && !key.startsWith("x-")) {
                    problem(pointer(at, key), "unknown key '" + key + "'; allowed keys are " + String.join(", ",
                            allowed) + ", and any key starting with 'x-'");
                }
            });
        }

        /** Returns the required id at {@code at}, or "" after reporting a problem. */
        private String id(JsonNode node, String at) {
            String id = text(node, "id", at, true);
            if (!id.isEmpty() && !ID.matcher(id).matches()) {
                problem(pointer(at, "id"), "id '" + id + "' must match " + ID.pattern()
                        + " (lower-case letters and digits, then also '.', '_' or '-')");
                return "";
            }
            return id;
        }

        /** Returns the text at {@code key}, or "" after reporting a problem; blank counts as missing if required. */
        private String text(JsonNode node, String key, String at, boolean required) {
            JsonNode value = node.get(key);
            if (value == null) {
                if (required) {
                    problem(at, "missing required key '" + key + "'");
                }
                return "";
            }
            if (!value.isTextual()) {
                problem(pointer(at, key), "must be a string, found " + kind(value));
                return "";
            }
            if (required && value.asText().isBlank()) {
                problem(pointer(at, key), "must not be blank");
                return "";
            }
            return value.asText();
        }

        /** Returns the list of non-blank strings at {@code key} (empty when absent), reporting problems. */
        private List<String> texts(JsonNode node, String key, String at) {
            JsonNode array = node.get(key);
            List<String> texts = new ArrayList<>();
            if (array == null) {
                return texts;
            }
            if (!array.isArray()) {
                problem(pointer(at, key), "must be a list of strings, found " + kind(array));
                return texts;
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (!item.isTextual()) {
                    problem(pointer(pointer(at, key), i), "must be a string, found " + kind(item));
                } else if (item.asText().isBlank()) {
                    problem(pointer(pointer(at, key), i), "must not be blank");
                } else {
                    texts.add(item.asText());
                }
            }
            return texts;
        }

        private boolean bool(JsonNode node, String key, boolean defaultValue) {
            JsonNode value = node.get(key);
            if (value == null) {
                return defaultValue;
            }
            if (!value.isBoolean()) {
                problem(pointer("", key), "must be true or false, found " + kind(value));
                return defaultValue;
            }
            return value.booleanValue();
        }

        /** Returns the objects in the list at {@code key}, keyed by pointer, reporting entries that are not objects. */
        private Map<String, ObjectNode> objects(JsonNode node, String key, String at, boolean required) {
            Map<String, ObjectNode> objects = new LinkedHashMap<>();
            JsonNode array = node.get(key);
            if (array == null) {
                if (required) {
                    problem(at, "missing required key '" + key + "'");
                }
                return objects;
            }
            if (!array.isArray()) {
                problem(pointer(at, key), "must be a list, found " + kind(array));
                return objects;
            }
            for (int i = 0; i < array.size(); i++) {
                String itemAt = pointer(pointer(at, key), i);
                if (array.get(i).isObject()) {
                    objects.put(itemAt, (ObjectNode) array.get(i));
                } else {
                    problem(itemAt, "must be an object, found " + kind(array.get(i)));
                }
            }
            return objects;
        }

        private void problem(String location, String message) {
            problems.add(new Problem(location, message));
        }

        private static String kind(JsonNode node) {
            switch (node.getNodeType()) {
                case STRING: return "a string";
                case NUMBER: return "a number";
                case BOOLEAN: return "a boolean (in YAML, quote words such as yes, no, on, off, true and false)";
                case NULL: return "null (in YAML, an empty value or ~ is null: quote it or remove the key)";
                case ARRAY: return "a list";
                case OBJECT: return "an object";
                default: return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " value";
            }
        }
    }
}
