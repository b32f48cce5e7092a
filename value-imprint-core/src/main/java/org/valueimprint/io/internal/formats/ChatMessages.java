package org.valueimprint.io.internal.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.Role;
import org.valueimprint.data.Scores;
import org.valueimprint.data.Turn;
import org.valueimprint.io.InvalidRecordException;
import org.valueimprint.io.JsonFields;
import org.valueimprint.io.ProblemKind;

/**
 * What the chat-style formats ({@code trl}, {@code ultrafeedback}, {@code sharegpt}, {@code llamafactory-v1}) share:
 * message lists, message content, role names, scores and extra fields.
 *
 * <p>A message is an object with a role key and a content key ({@code {"role": "user", "content": "Hi"}}, or
 * {@code {"from": "human", "value": "Hi"}} in ShareGPT). Content is a string, or a list of parts such as
 * {@code [{"type": "text", "text": "Hi"}]} (TRL, OpenAI) or {@code [{"type": "text", "value": "Hi"}]} (LLaMA-Factory
 * v1): the text parts are concatenated with nothing between them, as chat templates render them; other parts
 * (images, tool calls, reasoning) are left out.
 *
 * <p>Roles are read with {@link Role#parse(String)}, plus the tool roles of chat data: a tool's output
 * ({@code tool}, {@code observation}, {@code function}, {@code ipython}) is input to the model, so it becomes a
 * {@link Role#USER} turn, as chat templates render it inside a user turn; a tool call ({@code function_call}) is
 * the model's own output, so it becomes an {@link Role#ASSISTANT} turn.
 */
final class ChatMessages {
    private static final String KNOWN_ROLES =
            "system, user, human, assistant, gpt, tool, observation, function_call (and the other spellings of these)";

    private ChatMessages() {}

    /**
     * The messages of a list as a conversation.
     *
     * @param list the list
     * @param field the list's field name, for messages ({@code chosen}, {@code conversations})
     * @param roleKey the key of a message's role ({@code role} or {@code from})
     * @param contentKey the key of a message's content ({@code content} or {@code value})
     * @throws InvalidRecordException when a message is not an object, lacks its role or content, or has an unknown
     *     role
     */
    static Conversation conversation(JsonNode list, String field, String roleKey, String contentKey)
            throws InvalidRecordException {
        List<Turn> turns = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            turns.add(turn(list.get(i), field + "[" + i + "]", roleKey, contentKey));
        }
        return new Conversation(turns);
    }

    /** Like {@link #conversation}, but an empty list is an {@link ProblemKind#EMPTY_RECORD} problem. */
    static Conversation nonEmptyConversation(JsonNode list, String field, String roleKey, String contentKey)
            throws InvalidRecordException {
        if (list.isEmpty()) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "field \"" + field + "\" holds no messages");
        }
        return conversation(list, field, roleKey, contentKey);
    }

    /** One message as a turn; {@code path} names it in problems ({@code chosen[2]}). */
    static Turn turn(JsonNode message, String path, String roleKey, String contentKey)
            throws InvalidRecordException {
        if (!message.isObject()) {
            throw InvalidRecordException.invalidField(path, "must be a message object, was "
                    + JsonFields.describeValue(message));
        }
        String roleName = text(member(message, roleKey, path), path + "." + roleKey);
        Role role = role(roleName).orElseThrow(() -> InvalidRecordException.invalidField(path + "." + roleKey,
                "holds the unknown role \"" + roleName + "\"; known roles: " + KNOWN_ROLES));
        return new Turn(role, content(member(message, contentKey, path), path + "." + contentKey));
    }

    /** A role name as spelt by chat data, tool roles included (see the class comment). */
    static Optional<Role> role(String name) {
        Optional<Role> role = Role.parse(name);
        if (role.isPresent()) {
            return role;
        }
        switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "tool": case "observation": case "function": case "ipython":
                return Optional.of(Role.USER);
            case "function_call":
                return Optional.of(Role.ASSISTANT);
            default:
                return Optional.empty();
        }
    }

    /**
     * Message content: a string, or the concatenated text of a list of parts. A number or boolean is refused, not
     * read as its text.
     */
    static String content(JsonNode content, String path) throws InvalidRecordException {
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw InvalidRecordException.invalidField(path, "must be a string or a list of parts, was "
                    + JsonFields.describeValue(content));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partPath = path + "[" + i + "]";
            if (!part.isObject()) {
                throw InvalidRecordException.invalidField(partPath, "must be a part object, was "
                        + JsonFields.describeValue(part));
            }
            JsonNode type = part.get("type");
            if (type != null && !type.isNull() && !"text".equals(type.asText())) {
                continue;
            }
            String key = part.hasNonNull("value") && !part.hasNonNull("text") ? "value" : "text";
            text.append(text(member(part, key, partPath), partPath + "." + key));
        }
        return text.toString();
    }

    /** The member {@code key} of an object, which must be present and not null; {@code path} names the object. */
    private static JsonNode member(JsonNode object, String key, String path) throws InvalidRecordException {
        JsonNode node = object.get(key);
        if (node == null || node.isNull()) {
            throw InvalidRecordException.missingField(path + "." + key);
        }
        return node;
    }

    /** A string node's text; {@code path} names it. Numbers and booleans are refused. */
    private static String text(JsonNode node, String path) throws InvalidRecordException {
        return JsonFields.text(node, path);
    }

    /**
     * Checks one side's response, the turns after the prompt: it must hold an assistant turn and end with one (a
     * side that goes on with a user turn after its reply has no final answer to compare), and that last assistant
     * turn must not be blank. Earlier assistant turns may be (a tool call has no text).
     *
     * @param response the response turns
     * @param field the field the side comes from ({@code chosen}), named in problems
     * @return the response
     * @throws InvalidRecordException {@link ProblemKind#EMPTY_RECORD} for no assistant turn or a blank last one,
     *     {@link ProblemKind#INVALID_FIELD} for a response that does not end with the assistant's turn
     */
    static Conversation response(Conversation response, String field) throws InvalidRecordException {
        List<Turn> turns = response.turns();
        if (turns.stream().noneMatch(t -> t.role() == Role.ASSISTANT)) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "field \"" + field + "\" holds no assistant"
                    + " response" + (turns.isEmpty() ? "" : " after the prompt (its last turn is a "
                    + turns.get(turns.size() - 1).role().displayName() + " turn)"));
        }
        Turn last = turns.get(turns.size() - 1);
        if (last.role() != Role.ASSISTANT) {
            throw InvalidRecordException.invalidField(field, "must end with an assistant turn, ends with a "
                    + last.role().displayName() + " turn after the reply");
        }
        if (last.text().isBlank()) {
            throw new InvalidRecordException(ProblemKind.EMPTY_RECORD, "field \"" + field + "\" holds an empty"
                    + " assistant response (nothing to compare)");
        }
        return response;
    }

    /**
     * The scores in two fields, when present.
     *
     * @throws InvalidRecordException when only one of them is present, or one is not a finite number
     */
    static Optional<Scores> scores(JsonNode record, String chosenField, String rejectedField)
            throws InvalidRecordException {
        OptionalDouble chosen = JsonFields.optionalNumber(record, chosenField);
        OptionalDouble rejected = JsonFields.optionalNumber(record, rejectedField);
        if (chosen.isEmpty() && rejected.isEmpty()) {
            return Optional.empty();
        }
        if (chosen.isEmpty()) {
            throw InvalidRecordException.missingField(chosenField);
        }
        if (rejected.isEmpty()) {
            throw InvalidRecordException.missingField(rejectedField);
        }
        return Optional.of(new Scores(chosen.getAsDouble(), rejected.getAsDouble()));
    }

    /** A tie: the two responses are identical, or the dataset scored them equally. */
    static boolean tie(Conversation chosen, Conversation rejected, Optional<Scores> scores) {
        return chosen.equals(rejected) || scores.map(s -> s.chosen() == s.rejected()).orElse(false);
    }

    /**
     * The record's other fields as metadata: a scalar field as its text, an object's scalar members as
     * {@code field.member}; lists, deeper objects and nulls are left out.
     */
    static Map<String, String> extraFields(JsonNode record, Set<String> known) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : record.properties()) {
            JsonNode value = field.getValue();
            if (known.contains(field.getKey()) || value.isNull()) {
                continue;
            }
            if (value.isValueNode()) {
                metadata.put(field.getKey(), value.asText());
            } else if (value.isObject()) {
                for (Map.Entry<String, JsonNode> member : value.properties()) {
                    if (member.getValue().isValueNode() && !member.getValue().isNull()) {
                        metadata.put(field.getKey() + "." + member.getKey(), member.getValue().asText());
                    }
                }
            }
        }
        return metadata;
    }

    /** Whether a node is a list whose first element looks like a message (an object with {@code roleKey}). */
    static boolean isMessageList(JsonNode node, String roleKey) {
        return node != null && node.isArray() && node.size() > 0 && node.get(0).isObject()
                && node.get(0).has(roleKey);
    }
}
