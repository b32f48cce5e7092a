package org.valueimprint.io.internal.formats;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.internal.formats.DamagedRecords.Case;

/**
 * Issue 12, point 2: an empty or blank response ({@code "chosen": ""}, spaces only, a message list whose final
 * assistant turn is empty) holds nothing to compare and is refused as {@link ProblemKind#EMPTY_RECORD}, naming the
 * field, in every format; the record is skipped and counted under {@code --on-error skip}.
 */
class EmptyResponsesAreRefusedTest {
    private static final ProblemKind EMPTY = ProblemKind.EMPTY_RECORD;

    static Stream<Case> cases() {
        return Stream.of(
                new Case("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl", 0, "/chosen", "\"\"", EMPTY,
                        "the chosen transcript is empty"),
                new Case("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl", 0, "/rejected", "\"  \\n\\n \"", EMPTY,
                        "the rejected transcript is empty"),
                new Case("hh-rlhf", "hh-rlhf/corpus-rendering.jsonl", 0, "/chosen", "\"Human: Can you recommend a book"
                        + " about the history of tea?\\n\\nAssistant: Try it.\\n\\nHuman: Is it long?\\n\\nAssistant: \"",
                        EMPTY, "field \"chosen\" holds an empty assistant response"),
                new Case("alpaca", "alpaca/alpaca_llamafactory.json", 0, "/output", "\"\"", EMPTY,
                        "field \"output\" is empty"),
                new Case("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json", 0, "/output/1",
                        "\" \\t \"", EMPTY, "field \"output\" holds an empty rejected response"),
                new Case("generic", "generic/pairs.jsonl", 0, "/answers/good", "\"\"", EMPTY,
                        "field \"answers.good\" is empty"),
                new Case("generic", "generic/pairs.jsonl", 0, "/answers/bad", "\"   \"", EMPTY,
                        "field \"answers.bad\" is empty"),
                new Case("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v1.json", 0, "/completion_b",
                        "\" \"", EMPTY, "field \"completion_b\" is empty"),
                new Case("helpsteer2-nemo", "helpsteer2-nemo/rm_rows.jsonl", 0, "/text",
                        "\"<extra_id_0>System\\n\\n<extra_id_1>User\\nHi\\n<extra_id_1>Assistant\\n \\n<extra_id_2>\"",
                        EMPTY, "the assistant's response is empty"),
                new Case("llamafactory-v1", "llamafactory-v1/tool_and_reasoning.jsonl", 0,
                        "/rejected_messages/4/content/0/value", "\"\"", EMPTY,
                        "field \"rejected_messages\" holds an empty assistant response"),
                new Case("oasst", "data:oasst/en_100_tree.jsonl", 0, "/prompt/replies/2/text", "\"  \"", EMPTY,
                        "field \"text\" of ranked assistant message 8f5fa95e"),
                new Case("pku-saferlhf", "pku-saferlhf/pku.jsonl", 0, "/response_1", "\"\"", EMPTY,
                        "field \"response_1\" is empty"),
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/chosen/value", "\"\"", EMPTY,
                        "field \"chosen\" holds an empty assistant response"),
                new Case("shp", "shp/shp.jsonl", 0, "/human_ref_B", "\" \\n\"", EMPTY,
                        "field \"human_ref_B\" is empty"),
                new Case("trl", "trl/standard_scores.jsonl", 0, "/chosen", "\"\"", EMPTY,
                        "field \"chosen\" holds an empty assistant response"),
                new Case("trl", "trl/explicit_prompt.jsonl", 0, "/rejected/0/content", "\"   \"", EMPTY,
                        "field \"rejected\" holds an empty assistant response"),
                new Case("trl", "trl/implicit_prompt.jsonl", 0, "/chosen/3", "{\"role\": \"assistant\","
                        + " \"content\": \"\"}", EMPTY, "field \"chosen\" holds an empty assistant response"),
                new Case("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl", 0, "/chosen/1/content",
                        "\"\"", EMPTY, "field \"chosen\" holds an empty assistant response"),
                new Case("webgpt", "webgpt/comparisons.jsonl", 0, "/answer_1", "\"\"", EMPTY,
                        "field \"answer_1\" is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anEmptyResponseIsRefusedNamingTheFieldUnderBothPolicies(Case c) {
        c.check();
    }
}
