package org.valueimprint.io.internal.formats;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.internal.formats.DamagedRecords.Case;

/**
 * Issue 12, point 6: transcripts without the structure their format requires, and records that mix shapes (a
 * string beside a message list, a one-element list where an object belongs, the fields of two versions of a
 * format), are refused naming the field, in every format that accepts several shapes.
 */
class TranscriptStructureAndShapesTest {
    private static final ProblemKind INVALID = ProblemKind.INVALID_FIELD;
    private static final String HH = "hh-rlhf/corpus-rendering.jsonl";

    static Stream<Case> cases() {
        return Stream.of(
                // hh-rlhf: a side must be a dialogue
                new Case("hh-rlhf", HH, 0, "/chosen", "\"\\n\\nAssistant: Hello.\\n\\nAssistant: Anything else?\"",
                        INVALID, "field \"chosen\" is not a dialogue: the transcript has no \"Human:\" turn (only"
                                + " \"Assistant:\" turns)"),
                new Case("hh-rlhf", HH, 0, "/rejected", "\"Be brief.\\n\\nAssistant: No.\"", INVALID,
                        "field \"rejected\" is not a dialogue: the transcript has no \"Human:\" turn"),
                new Case("hh-rlhf", HH, 0, "/chosen", "\"\\n\\nHuman: Is tea healthy?\"", ProblemKind.EMPTY_RECORD,
                        "the chosen transcript has no \"Assistant:\" turn"),
                new Case("hh-rlhf", HH, 0, "/rejected", "\"Human: Can you recommend a book about the history of"
                        + " tea?\\n\\nAssistant: Try one.\\n\\nHuman: Is it long?\"", INVALID,
                        "field \"rejected\" must end with an assistant turn, ends with a Human turn after the reply"),
                new Case("hh-rlhf", HH, 0, "/chosen", "[{\"role\": \"user\", \"content\": \"Hi\"}]", INVALID,
                        "field \"chosen\" must be a transcript string, was an array of 1 object"),
                // trl: both sides strings or both message lists; a message-list prompt needs list responses
                new Case("trl", "trl/standard_scores.jsonl", 0, "/rejected",
                        "[{\"role\": \"assistant\", \"content\": \"Buy a new house.\"}]", INVALID,
                        "field \"rejected\" is an array of 1 object while \"chosen\" is a string"),
                new Case("trl", "trl/explicit_prompt.jsonl", 0, "/chosen", "\"Because of the calendar.\"", INVALID,
                        "field \"rejected\" is an array of 1 object while \"chosen\" is a string"),
                new Case("trl", "trl/standard_scores.jsonl", 0, "/prompt",
                        "[{\"role\": \"user\", \"content\": \"Give me one tip for saving energy at home.\"}]",
                        INVALID, "field \"prompt\" is a list of messages while \"chosen\" and \"rejected\" are"
                                + " strings"),
                new Case("trl", "trl/implicit_prompt.jsonl", 0, "/chosen/-",
                        "{\"role\": \"user\", \"content\": \"And then?\"}", INVALID,
                        "field \"chosen\" must end with an assistant turn, ends with a Human turn"),
                // sharegpt: chosen and rejected are one message object each, from the assistant
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/chosen",
                        "[{\"from\": \"gpt\", \"value\": \"Done.\"}]", INVALID,
                        "field \"chosen\" must be a message object, was an array of 1 object"),
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/rejected", "\"Sorry, no.\"", INVALID,
                        "field \"rejected\" must be a message object, was a string"),
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/chosen/from", "\"human\"",
                        ProblemKind.EMPTY_RECORD, "field \"chosen\" holds no assistant response"),
                new Case("sharegpt", "sharegpt/tools_and_system.json", 0, "/conversations",
                        "{\"from\": \"human\", \"value\": \"Hi\"}", INVALID,
                        "field \"conversations\" must be an array, was an object"),
                // ultrafeedback and llamafactory-v1: message lists only
                new Case("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl", 0, "/rejected",
                        "\"Just call the police.\"", INVALID, "field \"rejected\" must be an array, was a string"),
                new Case("ultrafeedback", "ultrafeedback/ultrafeedback_binarized.jsonl", 0, "/chosen/-",
                        "{\"role\": \"user\", \"content\": \"Thanks\"}", INVALID,
                        "field \"chosen\" must end with an assistant turn"),
                new Case("llamafactory-v1", "llamafactory-v1/tool_and_reasoning.jsonl", 0, "/chosen_messages",
                        "{\"role\": \"assistant\", \"content\": []}", INVALID,
                        "field \"chosen_messages\" must be an array, was an object"),
                // alpaca and alpaca-pairwise: a string output, or a list of exactly two strings
                new Case("alpaca", "alpaca/alpaca_llamafactory.json", 0, "/output", "[\"One answer.\"]", INVALID,
                        "field \"output\" must be a string, was an array of 1 string"),
                new Case("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json", 0, "/output",
                        "\"Prepare well.\"", INVALID, "field \"output\" must be a list of two strings"),
                new Case("alpaca-pairwise", "alpaca-pairwise/comparison_llamafactory.json", 0, "/output",
                        "[[\"Prepare well.\", \"Panic.\"]]", INVALID, "field \"output\" must be a list of two strings"),
                // gpt4llm-comparison: v1 or v2, never both
                new Case("gpt4llm-comparison", "gpt4llm-comparison/comparison_data_v2.json", 0, "/completion_a",
                        "\"A v1 answer.\"", INVALID, "field \"completion_a\" is a v1 field beside the v2 field"),
                // webgpt: the question is an object
                new Case("webgpt", "webgpt/comparisons.jsonl", 0, "/question",
                        "\"Why does the sky turn red and orange at sunset?\"", INVALID,
                        "field \"question\" must be an object with \"full_text\", was a string"),
                // oasst: replies are a list of message objects
                new Case("oasst", "data:oasst/en_100_tree.jsonl", 0, "/prompt/replies",
                        "{\"message_id\": \"x\", \"role\": \"assistant\", \"text\": \"Hi\"}", INVALID,
                        "field \"replies\" of message 054e1df3"),
                new Case("helpsteer2-nemo", "helpsteer2-nemo/rm_rows.jsonl", 0, "/label",
                        "{\"helpfulness\": 4}", INVALID, "field \"label\" must be an array, was an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRecordWithoutItsFormatsStructureIsRefusedNamingTheField(Case c) {
        c.check();
    }
}
