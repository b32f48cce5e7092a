package org.valueimprint.io;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which fields of a JSON Lines or CSV record hold what, for the {@code generic} format. Field names may be dotted
 * paths into nested objects ({@code question.full_text}). Without a rejected field every record is read as a
 * {@link org.valueimprint.data.SingleResponse}.
 *
 * <pre>{@code
 * FieldMapping mapping = FieldMapping.parse("prompt=question,chosen=answer_a,rejected=answer_b,id=uid");
 * }</pre>
 *
 * @param chosen the field with the chosen (or only) response; required
 * @param rejected the field with the rejected response
 * @param prompt the field with the prompt
 * @param id the field with the record's identifier
 * @param tie the field with a tie flag ({@code true}/{@code false}, {@code 1}/{@code 0})
 * @param chosenScore the field with the chosen response's score
 * @param rejectedScore the field with the rejected response's score
 */
public record FieldMapping(
        String chosen,
        Optional<String> rejected,
        Optional<String> prompt,
        Optional<String> id,
        Optional<String> tie,
        Optional<String> chosenScore,
        Optional<String> rejectedScore) {

    /** Validates the components. */
    public FieldMapping {
        checkArgument(!requireNonNull(chosen, "chosen").isBlank(), "the chosen field must be named");
        requireNonNull(rejected, "rejected");
        requireNonNull(prompt, "prompt");
        requireNonNull(id, "id");
        requireNonNull(tie, "tie");
        requireNonNull(chosenScore, "chosenScore");
        requireNonNull(rejectedScore, "rejectedScore");
    }

    /** A mapping of prompt, chosen and rejected fields. */
    public static FieldMapping of(String prompt, String chosen, String rejected) {
        return new FieldMapping(
                chosen,
                Optional.of(rejected),
                Optional.of(prompt),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Parses {@code role=field} pairs separated by commas, with roles {@code chosen} (required), {@code rejected},
     * {@code prompt}, {@code id}, {@code tie}, {@code chosen_score} and {@code rejected_score}.
     *
     * @throws IllegalArgumentException naming the unknown role or the malformed pair
     */
    public static FieldMapping parse(String spec) {
        Map<String, String> roles = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            checkArgument(eq > 0 && eq < trimmed.length() - 1, "expected role=field, got \"%s\"", trimmed);
            String role = trimmed.substring(0, eq).strip().toLowerCase(Locale.ROOT).replace('-', '_');
            checkArgument(
                    role.matches("chosen|rejected|prompt|id|tie|chosen_score|rejected_score"),
                    "unknown role \"%s\" in field mapping; known: chosen, rejected, prompt, id, tie, chosen_score,"
                            + " rejected_score",
                    role);
            checkArgument(roles.put(role, trimmed.substring(eq + 1).strip()) == null, "role \"%s\" given twice", role);
        }
        checkArgument(roles.containsKey("chosen"), "the field mapping \"%s\" names no chosen field", spec);
        return new FieldMapping(
                roles.get("chosen"),
                Optional.ofNullable(roles.get("rejected")),
                Optional.ofNullable(roles.get("prompt")),
                Optional.ofNullable(roles.get("id")),
                Optional.ofNullable(roles.get("tie")),
                Optional.ofNullable(roles.get("chosen_score")),
                Optional.ofNullable(roles.get("rejected_score")));
    }
}
