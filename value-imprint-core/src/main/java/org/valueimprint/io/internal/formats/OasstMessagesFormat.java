package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.GroupedDatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.RecordContext;

/**
 * OpenAssistant's flat message table (oasst1 / oasst2 as published on Hugging Face, as JSON Lines or CSV): one message
 * per row, linked to its parent by {@code parent_id}, for example
 * {@code {"message_id": "6ab2…", "parent_id": "054e…", "message_tree_id": "054e…", "role": "assistant", "text": "…",
 * "rank": 0, "deleted": false, "lang": "en"}}.
 *
 * <p>The rows of one tree (same {@code message_tree_id}) are read together as a group; they must be contiguous, as
 * they are in the published files. Each group is rebuilt into the nested tree (the root is the row whose
 * {@code parent_id} is null or empty) and read exactly as {@link OasstFormat} reads a nested export, so the pairs,
 * ids and metadata are the same as from the tree export. A group whose rows name a parent not in the group, or
 * that has no single root, is an invalid record.
 */
final class OasstMessagesFormat implements GroupedDatasetFormat {
    private final OasstFormat trees = new OasstFormat();

    @Override
    public String name() {
        return "oasst-messages";
    }

    @Override
    public String description() {
        return "OpenAssistant flat message table: one message per row {\"message_id\", \"parent_id\","
                + " \"message_tree_id\", \"role\", \"text\", \"rank\"}, rows of a tree contiguous";
    }

    /** The message columns the tree reader uses: the table's other columns (labels, emojis, ...) are not decoded. */
    @Override
    public Optional<Set<String>> fields() {
        return Optional.of(Set.of("message_id", "parent_id", "message_tree_id", "role", "text", "rank", "lang",
                "deleted"));
    }

    @Override
    public int detect(JsonNode record) {
        return JsonFields.hasAll(record, "message_id", "parent_id", "message_tree_id", "role", "text")
                && !record.has("replies") ? 95 : 0;
    }

    @Override
    public String groupKey(JsonNode record) throws InvalidRecordException {
        return JsonFields.requireId(record, "message_tree_id");
    }

    @Override
    public void readGroup(List<JsonNode> records, List<RecordContext> contexts, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        for (JsonNode row : records) {
            ObjectNode node = ((ObjectNode) row).deepCopy();
            node.putArray("replies");
            String id = JsonFields.requireId(row, "message_id");
            if (byId.put(id, node) != null) {
                throw InvalidRecordException.invalidField("message_id", "\"" + id + "\" appears twice in its tree");
            }
        }
        ObjectNode root = null;
        for (ObjectNode node : byId.values()) {
            String parent = JsonFields.optionalId(node, "parent_id").orElse("");
            if (parent.isEmpty()) {
                if (root != null) {
                    throw InvalidRecordException.invalidField("parent_id", "the tree has two roots: \""
                            + root.get("message_id").asText() + "\" and \"" + node.get("message_id").asText() + "\"");
                }
                root = node;
            } else {
                ObjectNode parentNode = byId.get(parent);
                if (parentNode == null) {
                    throw InvalidRecordException.invalidField("parent_id", "\"" + parent + "\" of message \""
                            + node.get("message_id").asText() + "\" is not in its tree (are the tree's rows"
                            + " contiguous?)");
                }
                ((ArrayNode) parentNode.get("replies")).add(node);
            }
        }
        if (root == null) {
            throw InvalidRecordException.invalidField("parent_id", "the tree has no root message (no row with an"
                    + " empty parent_id)");
        }
        trees.read(root, contexts.get(0), out);
    }
}
