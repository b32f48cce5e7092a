package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.internal.formats.DamagedRecords.Case;

/**
 * Issue 12, point 1: a text field holding a number, a boolean or a list of numbers is refused as
 * {@link ProblemKind#INVALID_FIELD}, naming the field and what it held, never read as the text "1", "0.87" or
 * "true". Every format, on a real record of its fixture (or of the bundled data) after a good one.
 */
class WrongTypesAreRefusedTest {
    private static final ProblemKind INVALID = ProblemKind.INVALID_FIELD;

    static Stream<Case> cases() {
        return Stream.of(
                new Case("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl", 0, "/chosen", "1", INVALID,
                        "field \"chosen\" must be a transcript string, was a number (1)"),
                new Case("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl", 0, "/rejected", "[1, 2]", INVALID,
                        "field \"rejected\" must be a transcript string, was an array of 2 numbers"),
                new Case("alpaca", "alpaca/alpaca_llamafactory.json", 0, "/output", "0.87", INVALID,
                        "field \"output\" must be a string, was a number (0.87)"),
                new Case("alpaca", "alpaca/alpaca_llamafactory.json", 0, "/instruction", "true", INVALID,
                        "field \"instruction\" must be a string, was a boolean (true)"),
                new Case("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json", 0, "/output/0", "1",
                        INVALID, "field \"output\" must be a list of two strings [chosen, rejected]"),
                new Case("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json", 0, "/input", "12",
                        INVALID, "field \"input\" must be a string, was a number (12)"),
                new Case("generic", "generic/pairs.jsonl", 0, "/answers/good", "true", INVALID,
                        "field \"answers.good\" must be a string, was a boolean (true)"),
                new Case("generic", "generic/pairs.jsonl", 0, "/question/text", "[1, 2, 3]", INVALID,
                        "field \"question.text\" must be a string, was an array of 3 numbers"),
                new Case("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v1.json", 0, "/completion_a",
                        "1", INVALID, "field \"completion_a\" must be a string, was a number (1)"),
                new Case("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v2.json", 0,
                        "/responses_and_scores/1/response", "0.5", INVALID,
                        "field \"responses_and_scores[1].response\" must be a string, was a number (0.5)"),
                new Case("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v1.json", 0, "/user_input",
                        "false", INVALID, "field \"user_input\" must be a string, was a boolean (false)"),
                new Case("helpsteer2-nemo", "helpsteer2-nemo/rm_rows.jsonl", 0, "/text", "5", INVALID,
                        "field \"text\" must be a string, was a number (5)"),
                new Case("llamafactory-v1", "llamafactory-v1/tool_and_reasoning.jsonl", 0,
                        "/chosen_messages/4/content/1/value", "1", INVALID,
                        "field \"chosen_messages[4].content[1].value\" must be a string, was a number (1)"),
                new Case("llamafactory-v1", "llamafactory-v1/tool_and_reasoning.jsonl", 0,
                        "/rejected_messages/4/content", "0.87", INVALID,
                        "field \"rejected_messages[4].content\" must be a string or a list of parts, was a number"
                                + " (0.87)"),
                new Case("oasst", "data:oasst/en_100_tree.jsonl", 0, "/prompt/replies/1/text", "1", INVALID,
                        "field \"text\" of message 03334b2a"),
                new Case("oasst", "data:oasst/en_100_tree.jsonl", 0, "/prompt/replies/0/role", "1", INVALID,
                        "field \"role\" of message fa783ef0"),
                new Case("pku-saferlhf", "pku-saferlhf/pku.jsonl", 0, "/response_0", "1", INVALID,
                        "field \"response_0\" must be a string, was a number (1)"),
                new Case("pku-saferlhf", "pku-saferlhf/pku.jsonl", 0, "/prompt", "true", INVALID,
                        "field \"prompt\" must be a string, was a boolean (true)"),
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/chosen/value", "1", INVALID,
                        "field \"chosen.value\" must be a string or a list of parts, was a number (1)"),
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/conversations/0/value", "true",
                        INVALID, "field \"conversations[0].value\" must be a string or a list of parts, was a"
                                + " boolean (true)"),
                new Case("shp", "shp/shp.jsonl", 0, "/human_ref_A", "52", INVALID,
                        "field \"human_ref_A\" must be a string, was a number (52)"),
                new Case("shp", "shp/shp.jsonl", 0, "/history", "[1]", INVALID,
                        "field \"history\" must be a string, was an array of 1 number"),
                new Case("trl", "trl/standard_scores.jsonl", 0, "/chosen", "1", INVALID,
                        "field \"chosen\" must be a string or a list of messages, was a number (1)"),
                new Case("trl", "trl/standard_scores.jsonl", 0, "/rejected", "true", INVALID,
                        "field \"rejected\" must be a string or a list of messages, was a boolean (true)"),
                new Case("trl", "trl/standard_scores.jsonl", 0, "/chosen", "[1, 2]", INVALID,
                        "field \"chosen[0]\" must be a message object, was a number (1)"),
                new Case("trl", "trl/standard_scores.jsonl", 0, "/prompt", "0.87", INVALID,
                        "field \"prompt\" must be a string or a list of messages, was a number (0.87)"),
                new Case("trl", "trl/explicit_prompt.jsonl", 0, "/chosen/0/content", "1", INVALID,
                        "field \"chosen[0].content\" must be a string or a list of parts, was a number (1)"),
                new Case("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl", 0, "/chosen/1/content",
                        "0.87", INVALID, "field \"chosen[1].content\" must be a string or a list of parts, was a"
                                + " number (0.87)"),
                new Case("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl", 0, "/rejected/1/role",
                        "2", INVALID, "field \"rejected[1].role\" must be a string, was a number (2)"),
                new Case("webgpt", "webgpt/comparisons.jsonl", 0, "/answer_0", "1", INVALID,
                        "field \"answer_0\" must be a string, was a number (1)"),
                new Case("webgpt", "webgpt/comparisons.jsonl", 0, "/question/full_text", "true", INVALID,
                        "field \"question.full_text\" must be a string, was a boolean (true)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aTextFieldOfTheWrongTypeIsRefusedNamingTheFieldUnderBothPolicies(Case c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGoodRecordItWasMadeFromIsRead(Case c) {
        assertThat(DamagedRecords.readAll(DamagedRecords.FILE, c.good() + "\n",
                DamagedRecords.options(c.format(), org.valueimprint.io.ErrorPolicy.FAIL)).getKey()).isNotEmpty();
    }
}
