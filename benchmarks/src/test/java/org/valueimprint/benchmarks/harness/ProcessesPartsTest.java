package org.valueimprint.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** The pure parts of the side-by-side harness's whole-process mode; nothing here is timed. */
class ProcessesPartsTest {
    /** The bundled annotated corpus (tests run in the module folder). */
    private static final Path CORPUS = Path.of("../examples/data/annotations/value-imprint-annotations.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachRoundRunsEveryPipelineOnceAndEachGoesFirstInTurn() {
        List<String> p = Processes.PIPELINES;
        assertThat(Processes.order(p, 0)).containsExactly("library", "bare_ort", "transformers_js");
        assertThat(Processes.order(p, 1)).containsExactly("bare_ort", "transformers_js", "library");
        assertThat(Processes.order(p, 2)).containsExactly("transformers_js", "library", "bare_ort");
        assertThat(Processes.order(p, 3)).isEqualTo(Processes.order(p, 0));
        Set<String> firsts = new HashSet<>();
        for (int r = 0; r < 7; r++) {
            assertThat(Processes.order(p, r)).containsExactlyInAnyOrderElementsOf(p);
            firsts.add(Processes.order(p, r).get(0));
        }
        assertThat(firsts).containsExactlyInAnyOrderElementsOf(p);
        assertThatThrownBy(() -> Processes.order(p, -1)).hasMessageContaining("round");
    }

    @Test
    void mediansAndSpeedRatiosArePerRound() {
        assertThat(ProcessReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(ProcessReport.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThatThrownBy(() -> ProcessReport.median(List.of())).hasMessageContaining("no values");
        // the library took 10, 20, 10 s; transformers.js 15, 20, 30 s: 1.5, 1.0, 3.0 times faster, median 1.5
        assertThat(ProcessReport.speedRatios(List.of(10.0, 20.0, 10.0), List.of(15.0, 20.0, 30.0)))
                .containsExactly(1.5, 1.0, 3.0);
        assertThatThrownBy(() -> ProcessReport.speedRatios(List.of(1.0), List.of(1.0, 2.0)))
                .hasMessageContaining("1 runs against 2");

        ProcessReport.Pipeline p = new ProcessReport.Pipeline("library", "the library", "java -jar x",
                List.of(50.0, 40.0, 45.0, 100.0));
        assertThat(p.median()).isEqualTo(47.5);
        assertThat(p.min()).isEqualTo(40.0);
        assertThat(p.max()).isEqualTo(100.0);
        assertThat(p.textsPerSecond(2000)).isCloseTo(2000 / 47.5, within(1e-12));
    }

    @Test
    void agreementIsTheShareOfEqualTopValues() {
        assertThat(Processes.agreement(new int[] {1, 2, 3, 4}, new int[] {1, 2, 0, 4})).isEqualTo(0.75);
        assertThatThrownBy(() -> Processes.agreement(new int[] {1}, new int[] {1, 2}))
                .hasMessageContaining("cannot compare 1 predictions with 2");
    }

    @Test
    void theGoldFileHoldsTheFirstHhRlhfTextsOfTheCorpusAndEvaluateCanReadIt(@TempDir Path dir) throws Exception {
        List<HhRlhfGold.Line> lines = HhRlhfGold.select(CORPUS, 300);

        // the same selection made by hand: every corpus line whose source starts with hh-rlhf, in file order
        List<JsonNode> expected = new ArrayList<>();
        int others = 0;
        for (String s : Files.readAllLines(CORPUS)) {
            JsonNode node = JSON.readTree(s);
            if (expected.size() == 300) {
                break;
            }
            if (node.get("source").asText().startsWith("hh-rlhf")) {
                expected.add(node);
            } else {
                others++;
            }
        }
        assertThat(others).as("the first 300 hh-rlhf texts are interleaved with other sources").isPositive();
        assertThat(lines).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(lines.get(i).id()).isEqualTo(expected.get(i).get("id").asText());
            assertThat(lines.get(i).text()).isEqualTo(expected.get(i).get("text").asText());
            assertThat(lines.get(i).label()).isEqualTo(expected.get(i).get("label").asText());
            assertThat(lines.get(i).source()).startsWith("hh-rlhf");
        }

        Path gold = dir.resolve("gold.jsonl");
        HhRlhfGold.write(lines, gold);
        List<GoldExample> read = GoldExamples.readAll(gold, ValueTaxonomy.valueImprint());
        assertThat(read).hasSize(300);
        assertThat(read.get(0).text()).isEqualTo(lines.get(0).text());
        assertThat(read.get(299).text()).isEqualTo(lines.get(299).text());
    }

    @Test
    void askingForMoreHhRlhfTextsThanTheCorpusHoldsFailsClearly() {
        assertThatThrownBy(() -> HhRlhfGold.select(CORPUS, 7000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CORPUS.toString())
                .hasMessageContaining("holds only 6203 texts whose source starts with hh-rlhf; asked for 7000");
        assertThatThrownBy(() -> HhRlhfGold.select(CORPUS, 0)).hasMessageContaining("at least 1");
    }

    @Test
    void aCorpusLineWithoutASourceIsNamed(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.writeString(corpus, "{\"id\":\"a\",\"source\":\"hh-rlhf/x\",\"text\":\"t\",\"label\":\"Care\"}\n"
                + "{\"id\":\"b\",\"text\":\"t\",\"label\":\"Care\"}\n");
        assertThatThrownBy(() -> HhRlhfGold.select(corpus, 1))
                .hasMessage(corpus + " line 2 has no string field 'source'");
    }

    @Test
    void theResultsWriterWritesEveryRunTheMediansAndTheRatios(@TempDir Path dir) throws Exception {
        Instant date = Instant.parse("2026-11-27T04:07:55.123Z");
        List<List<String>> orders = List.of(Processes.order(Processes.PIPELINES, 0),
                Processes.order(Processes.PIPELINES, 1), Processes.order(Processes.PIPELINES, 2));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("nproc", 2);
        env.put("cpu", "AMD EPYC");
        ProcessReport report = new ProcessReport(date, 2000, List.of(
                new ProcessReport.Pipeline("library", "the library", "java -jar v.jar evaluate", List.of(40.0, 44.0,
                        42.0)),
                new ProcessReport.Pipeline("bare_ort", "bare", "java -cp CLASSPATH BareProcess", List.of(50.0,
                        44.0, 63.0)),
                new ProcessReport.Pipeline("transformers_js", "transformers.js", "node bench.mjs classify",
                        List.of(60.0, 66.0, 50.4))),
                orders, env, Map.of("top_agreement_library_transformers_js", 0.97));

        Path json = report.write(dir.resolve("results"));
        assertThat(json.getFileName().toString()).isEqualTo("processes-20261127T040755Z.json");
        String md = Files.readString(dir.resolve("results").resolve("processes-20261127T040755Z.md"));

        JsonNode root = JSON.readTree(json.toFile());
        assertThat(root.get("texts").asInt()).isEqualTo(2000);
        assertThat(root.get("rounds").asInt()).isEqualTo(3);
        assertThat(root.get("orders").get(1).get(0).asText()).isEqualTo("bare_ort");
        JsonNode library = root.get("pipelines").get(0);
        assertThat(library.get("seconds")).hasSize(3);
        assertThat(library.get("median_s").asDouble()).isEqualTo(42.0);
        assertThat(library.get("min_s").asDouble()).isEqualTo(40.0);
        assertThat(library.get("max_s").asDouble()).isEqualTo(44.0);
        assertThat(library.get("texts_per_s").asDouble()).isCloseTo(2000 / 42.0, within(1e-9));
        JsonNode overJs = root.get("speed_ratios").get("library_over_transformers_js");
        // per round 60/40 = 1.5, 66/44 = 1.5, 50.4/42 = 1.2: median 1.5 (not 60/42, the ratio of the medians)
        assertThat(overJs.get("per_round").get(2).asDouble()).isCloseTo(1.2, within(1e-12));
        assertThat(overJs.get("median").asDouble()).isCloseTo(1.5, within(1e-12));
        JsonNode overBare = root.get("speed_ratios").get("library_over_bare_ort");
        assertThat(overBare.get("median").asDouble()).isCloseTo(1.25, within(1e-12)); // 1.25, 1.0, 1.5
        assertThat(root.get("environment").get("cpu").asText()).isEqualTo("AMD EPYC");
        assertThat(root.get("checks").get("top_agreement_library_transformers_js").asDouble()).isEqualTo(0.97);

        assertThat(md).contains("| the library | 42.00 | 40.00 | 44.00 | 47.6 |")
                .contains("| 3 | transformers_js, library, bare_ort | 42.00 | 63.00 | 50.40 | 1.20 | 1.50 |")
                .contains("library / transformers.js median **1.50** (1.20 to 1.50)")
                .contains("- cpu: AMD EPYC");
    }

    @Test
    void aLibraryBaselineGetsItsOwnPerRoundRatio(@TempDir Path dir) throws Exception {
        List<String> keys = List.of("library", "library_baseline", "bare_ort", "transformers_js");
        List<List<String>> orders = List.of(Processes.order(keys, 0), Processes.order(keys, 1));
        ProcessReport report = new ProcessReport(Instant.parse("2026-12-07T16:00:00Z"), 100, List.of(
                new ProcessReport.Pipeline("library", "l", "c", List.of(20.0, 25.0)),
                new ProcessReport.Pipeline("library_baseline", "lb", "c --model-option fuse_attention=false",
                        List.of(22.0, 25.0)),
                new ProcessReport.Pipeline("bare_ort", "b", "c", List.of(30.0, 30.0)),
                new ProcessReport.Pipeline("transformers_js", "j", "c", List.of(40.0, 40.0))),
                orders, Map.of(), Map.of());
        // per round 22/20 = 1.1 and 25/25 = 1.0
        assertThat(report.libraryOverBaseline()).containsExactly(1.1, 1.0);
        JsonNode ratio = JSON.readTree(report.write(dir).toFile()).get("speed_ratios")
                .get("library_over_library_baseline");
        assertThat(ratio.get("median").asDouble()).isCloseTo(1.05, within(1e-12));
        assertThat(report.toMarkdown())
                .contains("| 1 | library, library_baseline, bare_ort, transformers_js | 20.00 | 22.00 | 30.00 | 40.00"
                        + " | 2.00 | 1.50 | 1.10 |")
                .contains("Library / its baseline (same round): median **1.050** (1.000 to 1.100)");
        ProcessReport without = new ProcessReport(Instant.now(), 100, List.of(report.pipeline("library"),
                report.pipeline("bare_ort"), report.pipeline("transformers_js")),
                List.of(Processes.order(Processes.PIPELINES, 0), Processes.order(Processes.PIPELINES, 1)), Map.of(),
                Map.of());
        assertThat(without.libraryOverBaseline()).isEmpty();
        assertThat(without.toMarkdown()).doesNotContain("baseline");
        assertThat(JSON.readTree(without.toJson()).get("speed_ratios").has("library_over_library_baseline"))
                .isFalse();
    }

    @Test
    void baselineOptionsAreCommaSeparatedPairs() {
        assertThat(Processes.baselineOptions("fuse_attention=false")).containsExactly("fuse_attention=false");
        assertThat(Processes.baselineOptions("threads=1, fuse_attention=false"))
                .containsExactly("threads=1", "fuse_attention=false");
        assertThatThrownBy(() -> Processes.baselineOptions("fuse_attention")).hasMessageContaining(
                "\"fuse_attention\" is not KEY=VALUE");
        assertThatThrownBy(() -> Processes.baselineOptions("a=1,,b=2")).hasMessageContaining("\"\" is not");
    }

    @Test
    void aReportNeedsTheThreePipelinesWithOneRunARound() {
        List<List<String>> one = List.of(Processes.PIPELINES);
        ProcessReport.Pipeline lib = new ProcessReport.Pipeline("library", "l", "c", List.of(1.0));
        ProcessReport.Pipeline bare = new ProcessReport.Pipeline("bare_ort", "b", "c", List.of(1.0));
        ProcessReport.Pipeline js = new ProcessReport.Pipeline("transformers_js", "j", "c", List.of(1.0, 2.0));
        assertThatThrownBy(() -> new ProcessReport(Instant.now(), 10, List.of(lib, bare), one, Map.of(), Map.of()))
                .hasMessageContaining("no pipeline transformers_js");
        assertThatThrownBy(() -> new ProcessReport(Instant.now(), 10, List.of(lib, bare, js), one, Map.of(),
                Map.of())).hasMessageContaining("transformers_js has 2 runs for 1 rounds");
    }

    @Test
    void theBareProcessTokenisesAsTheLibraryDoes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Harness.unfixedTokenizer(Harness.resource("all-minilm-l6-v2-q-tokenizer.json")));
        List<String> texts = HhRlhfGold.select(CORPUS, 40).stream().map(HhRlhfGold.Line::text).toList();
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"));
                HuggingFaceTokenizer tokenizer = BareProcess.tokenizer(file)) {
            boolean truncated = false;
            for (int start = 0; start < texts.size(); start += BareProcess.BATCH) {
                List<String> batch = texts.subList(start, start + BareProcess.BATCH);
                Encoding[] encodings = tokenizer.batchEncode(batch);
                for (int j = 0; j < batch.size(); j++) {
                    long[] want = encoder.tokenIds(batch.get(j));
                    long[] ids = encodings[j].getIds();
                    long[] mask = encodings[j].getAttentionMask();
                    int real = (int) java.util.Arrays.stream(mask).sum();
                    assertThat(java.util.Arrays.copyOf(ids, real)).as("text %s", start + j).containsExactly(want);
                    truncated |= want.length == BareProcess.MAX_LENGTH;
                }
            }
            assertThat(truncated).as("some text is cut at the maximum length").isTrue();
        }
    }

    @Test
    void meanPoolingCountsOnlyTheMaskedPositions() {
        // batch 2, length 3, dimension 2; the second sequence has one padding position
        FloatBuffer hidden = FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 99, 99});
        float[][] pooled = BareProcess.meanPool(hidden, new long[] {2, 3, 2}, new long[][] {{1, 1, 1}, {1, 1, 0}});
        assertThat(pooled[0]).containsExactly(3, 4);
        assertThat(pooled[1]).containsExactly(20, 30);
    }
}
