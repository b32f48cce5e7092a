package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Role;
import org.valueimprint.data.Turn;
import org.valueimprint.io.DatasetFormat;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.RecordContext;

/**
 * OpenAssistant (oasst1, oasst2) conversation trees, one tree per source record, in either export:
 *
 * <ul>
 *   <li>the tree export, {@code {"message_tree_id", "tree_state", "prompt": node}}, for example
 *       {@code {"message_tree_id": "054e…", "tree_state": "ready_for_export", "prompt": {"message_id": "054e…",
 *       "text": "How can I find the best 401k plan?", "role": "prompter", "replies": [...]}}};
 *   <li>the nested node export: the root node itself, with every key present and explicit nulls, for example
 *       {@code {"message_id": "054e…", "parent_id": null, "text": "How can I …?", "role": "prompter", "rank": null,
 *       "deleted": false, "replies": [...], ...}}.
 * </ul>
 *
 * <p>A node has {@code message_id}, {@code text}, {@code role} ({@code prompter} or {@code assistant}),
 * {@code rank} (the place among its siblings, 0 = best; null when unranked), {@code deleted}, {@code lang} and
 * {@code replies} (its child nodes); other keys are ignored.
 *
 * <p>Each pair of ranked assistant replies to the same message becomes a {@link PreferencePair}: all
 * {@code n(n-1)/2} pairs of a sibling set with {@code n} ranked replies (see {@link #rankedPairs}). The prompt is the
 * conversation from the root down to the replies' parent; the better-ranked reply is chosen. Ranked prompter
 * replies (follow-up questions ranked against each other) make no pairs: an audit looks at what the assistant was
 * rewarded for, as OpenAssistant's own reward-model data does. Deleted messages are skipped with everything below
 * them. A tree without ranked replies is read and yields no pairs.
 *
 * <p>A pair's id is {@code <parent message id>:<chosen message id>><rejected message id>}; its metadata holds
 * {@code rank_chosen}, {@code rank_rejected}, {@code message_tree_id} (the root message's id in the nested node
 * export, which is the same in OpenAssistant data), the parent message's {@code lang}, and {@code tree_state} in the
 * tree export.
 *
 * <p>Texts and roles must be strings (a number is refused, not read as its text); message ids may be strings or
 * whole numbers. A ranked assistant reply with a blank text would make pairs with nothing to compare: the whole tree
 * is refused as {@link ProblemKind#EMPTY_RECORD}, naming the message. Prompter texts on the way down may be empty.
 */
final class OasstFormat implements DatasetFormat {

    @Override
    public String name() {
        return "oasst";
    }

    @Override
    public String description() {
        return "OpenAssistant trees: {\"message_tree_id\", \"prompt\": node} or nested nodes {\"message_id\", \"text\","
                + " \"role\", \"rank\", \"replies\"}; one pair per two ranked sibling replies";
    }

    @Override
    public int detect(JsonNode record) {
        if (JsonFields.hasAll(record, "message_tree_id", "prompt")
                && JsonFields.hasAll(record.get("prompt"), "message_id", "role", "replies")) {
            return 100;
        }
        return JsonFields.hasAll(record, "message_id", "text", "role", "replies") ? 95 : 0;
    }

    @Override
    public void read(JsonNode record, RecordContext context, Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        JsonNode root;
        Map<String, String> treeMetadata = new LinkedHashMap<>();
        if (record.has("message_id")) {
            root = record;
            treeMetadata.put("message_tree_id", JsonFields.optionalId(record, "message_tree_id")
                    .orElse(JsonFields.requireId(record, "message_id")));
        } else {
            root = JsonFields.require(record, "prompt");
            if (!root.isObject()) {
                throw InvalidRecordException.invalidField("prompt", "must be a message object, was "
                        + JsonFields.describe(root));
            }
            treeMetadata.put("message_tree_id", JsonFields.requireId(record, "message_tree_id"));
            JsonFields.optionalText(record, "tree_state").ifPresent(s -> treeMetadata.put("tree_state", s));
        }

        // Depth first, in document order, with an explicit stack so that deep trees cannot overflow the call stack.
        Deque<Branch> stack = new ArrayDeque<>();
        stack.push(new Branch(root, Conversation.empty()));
        while (!stack.isEmpty()) {
            Branch branch = stack.pop();
            JsonNode node = branch.node();
            if (isDeleted(node)) {
                continue;
            }
            String id = messageId(node);
            Conversation path = branch.prompt().append(Conversation.of(new Turn(role(node, id), text(node, id))));
            List<JsonNode> replies = replies(node, id);
            Map<String, String> metadata = new LinkedHashMap<>(treeMetadata);
            JsonFields.optionalText(node, "lang").ifPresent(lang -> metadata.put("lang", lang));
            rankedPairs(id, replies, path, metadata, context.source(), out);
            for (int i = replies.size() - 1; i >= 0; i--) {
                stack.push(new Branch(replies.get(i), path));
            }
        }
    }

    /**
     * Turns the ranked assistant replies to one message into preference pairs, one per two replies of different
     * ranks, the better-ranked (lower) one chosen, in order of the better reply's rank and then the worse one's.
     * Deleted replies, unranked replies and prompter replies are left out. Kept apart from the tree walk so that a
     * reader of flat message tables (one message per row with {@code parent_id}) can group siblings and reuse it.
     *
     * @param parentId the id of the message the siblings reply to; starts each pair's id
     * @param siblings the replies to that message, as message objects
     * @param prompt the conversation from the root down to and including that message
     * @param metadata metadata for every pair (for example {@code message_tree_id}, {@code lang}); ranks are added
     * @param source where the pairs come from
     * @param out receives the pairs
     * @throws InvalidRecordException when a reply lacks an id, role or text, has a rank that is not a whole
     *     number of at least 0, or is a ranked assistant reply with a blank text ({@link ProblemKind#EMPTY_RECORD})
     */
    static void rankedPairs(
            String parentId,
            List<JsonNode> siblings,
            Conversation prompt,
            Map<String, String> metadata,
            RecordSource source,
            Consumer<PreferenceRecord> out)
            throws InvalidRecordException {
        List<Ranked> ranked = new ArrayList<>();
        for (JsonNode reply : siblings) {
            if (isDeleted(reply)) {
                continue;
            }
            String id = messageId(reply);
            Role role = role(reply, id);
            String text = text(reply, id);
            OptionalInt rank = rank(reply, id);
            if (role == Role.ASSISTANT && rank.isPresent()) {
                if (text.isBlank()) {
                    throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "field \"text\" of ranked assistant"
                            + " message " + id + " is an empty response (nothing to compare)");
                }
                ranked.add(new Ranked(id, text, rank.getAsInt()));
            }
        }
        ranked.sort(Comparator.comparingInt(Ranked::rank)); // stable: equal ranks keep document order
        for (int i = 0; i < ranked.size(); i++) {
            for (int j = i + 1; j < ranked.size(); j++) {
                Ranked better = ranked.get(i);
                Ranked worse = ranked.get(j);
                if (better.rank() == worse.rank()) {
                    continue;
                }
                Map<String, String> pairMetadata = new LinkedHashMap<>(metadata);
                pairMetadata.put("rank_chosen", Integer.toString(better.rank()));
                pairMetadata.put("rank_rejected", Integer.toString(worse.rank()));
                out.accept(PreferencePair.of(
                                parentId + ":" + better.id() + ">" + worse.id(),
                                source,
                                prompt,
                                Conversation.assistant(better.text()),
                                Conversation.assistant(worse.text()))
                        .withMetadata(pairMetadata));
            }
        }
    }

    /** A message still to visit, with the conversation leading to it. */
    private record Branch(JsonNode node, Conversation prompt) {}

    /** A ranked reply. */
    private record Ranked(String id, String text, int rank) {}

    private static String messageId(JsonNode message) throws InvalidRecordException {
        if (!message.isObject()) {
            throw new InvalidRecordException(ProblemKind.INVALID_FIELD,
                    "a message must be an object, was " + JsonFields.describe(message));
        }
        String id = JsonFields.requireId(message, "message_id");
        if (id.isEmpty()) {
            throw InvalidRecordException.invalidField("message_id", "must not be empty");
        }
        return id;
    }

    private static Role role(JsonNode message, String id) throws InvalidRecordException {
        JsonNode roleNode = JsonFields.find(message, "role").orElseThrow(
                () -> new InvalidRecordException(ProblemKind.MISSING_FIELD,
                        "missing field \"role\" in message " + id));
        if (!roleNode.isTextual()) {
            throw new InvalidRecordException(ProblemKind.INVALID_FIELD, "field \"role\" of message " + id
                    + " must be a string, was " + JsonFields.describeValue(roleNode));
        }
        String role = roleNode.textValue();
        return Role.parse(role).orElseThrow(() -> new InvalidRecordException(ProblemKind.INVALID_FIELD,
                "field \"role\" of message " + id + " must be prompter or assistant, was " + message.get("role")));
    }

    private static String text(JsonNode message, String id) throws InvalidRecordException {
        JsonNode text = JsonFields.find(message, "text").orElseThrow(
                () -> new InvalidRecordException(ProblemKind.MISSING_FIELD,
                        "missing field \"text\" in message " + id));
        if (!text.isTextual()) {
            throw new InvalidRecordException(ProblemKind.INVALID_FIELD,
                    "field \"text\" of message " + id + " must be a string, was " + JsonFields.describeValue(text));
        }
        return text.asText();
    }

    private static List<JsonNode> replies(JsonNode message, String id) throws InvalidRecordException {
        JsonNode replies = JsonFields.find(message, "replies").orElse(null);
        if (replies == null) {
            return List.of();
        }
        if (!replies.isArray()) {
            throw new InvalidRecordException(ProblemKind.INVALID_FIELD,
                    "field \"replies\" of message " + id + " must be an array, was " + JsonFields.describe(replies));
        }
        List<JsonNode> list = new ArrayList<>(replies.size());
        replies.forEach(list::add);
        return list;
    }

    /**
     * A reply's rank: a whole number of at least 0, or a string of one ({@code "1.0"} from a table); empty when the
     * rank is absent, null or an empty string.
     */
    private static OptionalInt rank(JsonNode message, String id) throws InvalidRecordException {
        JsonNode rank = message.get("rank");
        if (rank == null || rank.isNull() || rank.isTextual() && rank.asText().isBlank()) {
            return OptionalInt.empty();
        }
        double value = Double.NaN;
        if (rank.isNumber()) {
            value = rank.asDouble();
        } else if (rank.isTextual()) {
            try {
                value = Double.parseDouble(rank.asText().strip());
            } catch (NumberFormatException e) {
                // not a number: refused below
            }
        }
        if (!(value >= 0 && value <= Integer.MAX_VALUE && value == Math.rint(value))) {
            throw new InvalidRecordException(ProblemKind.INVALID_FIELD,
                    "field \"rank\" of message " + id + " must be a whole number of at least 0, was " + rank);
        }
        return OptionalInt.of((int) value);
    }

    /** Whether a message is marked deleted ({@code true}, or {@code "true"} from a table); absent means no. */
    private static boolean isDeleted(JsonNode message) {
        JsonNode deleted = message.get("deleted");
        return deleted != null && (deleted.asBoolean() || "true".equalsIgnoreCase(deleted.asText().strip()));
    }
}
