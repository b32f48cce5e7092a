package org.valueimprint.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import org.valueimprint.onnx.internal.patch.WeightPatch;

/**
 * The side-by-side throughput harness (run it with {@code benchmarks/harness/run.sh}). In one JVM it: loads the
 * library's classifier ({@code default}: the default model, MiniLM int8; {@code fp32}: the default head on the fp32
 * MiniLM encoder, for timing and the strict equivalence check); writes the texts, the library's exact batches, the
 * head and the library's reference embeddings into a work folder, with the encoder's model file and tokenizer laid
 * out for transformers.js; checks that a bare ONNX Runtime session (here) and transformers.js ({@code node bench.mjs
 * check}) give the library's embeddings; then times, repeat after repeat and interleaved, the library's
 * {@code classify}, the bare session on the library's batches, the bare session on batches of 8 in input order, and
 * transformers.js ({@code node bench.mjs time}); and prints and writes one table of medians.
 *
 * <pre>
 * Harness --corpus FILE --work DIR --results DIR --js DIR [--model default|fp32] [--texts 2000] [--repeats 3]
 *         [--node node] [--check-texts 32]
 * </pre>
 * {@code --repeats 0} runs the checks only.
 */
public final class Harness {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final double BARE_MIN_COSINE = 0.9999;
    private static final int WARM_UP_TEXTS = 64;

    private final Map<String, String> args;

    private Harness(Map<String, String> args) {
        this.args = args;
    }

    /** Runs the harness; exits with status 1 and a message when a check fails. */
    public static void main(String[] argv) throws Exception {
        Map<String, String> args = options(argv, "usage: Harness --corpus FILE --work DIR --results DIR --js DIR"
                + " [--model default|fp32] [--texts N] [--repeats N] [--node BIN] [--check-texts N]");
        try {
            new Harness(args).run();
        } catch (CheckFailed e) {
            System.err.println("harness: CHECK FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    /** {@code --name value} pairs; prints {@code usage} and exits with status 2 on anything else. */
    static Map<String, String> options(String[] argv, String usage) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.println(usage);
                System.exit(2);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        return args;
    }

    /** An equivalence check that failed: nothing is timed. */
    static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message);
        }
    }

    private String arg(String name, String fallback) {
        return arg(args, name, fallback);
    }

    /** Option {@code --name}'s value, or {@code fallback}; a missing option without fallback (null) is an error. */
    static String arg(Map<String, String> args, String name, String fallback) {
        String v = args.get(name);
        if (v == null && fallback == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v == null ? fallback : v;
    }

    private void run() throws Exception {
        String model = arg("model", "default");
        int n = Integer.parseInt(arg("texts", "2000"));
        int repeats = Integer.parseInt(arg("repeats", "3"));
        if (repeats < 0) {
            throw new IllegalArgumentException("--repeats must be 0 (checks only) or more, was " + repeats);
        }
        int checkTexts = Integer.parseInt(arg("check-texts", "32"));
        Path corpus = Path.of(arg("corpus", null));
        Path work = Path.of(arg("work", null)).resolve(model);
        Path results = Path.of(arg("results", null));
        Path js = Path.of(arg("js", null));
        String node = arg("node", "node");
        Files.createDirectories(work);
        Files.createDirectories(results);
        String loadBefore = loadAverage();

        List<String> texts = Workload.corpusTexts(corpus, 0, n);
        List<String> warmUp = Workload.corpusTexts(corpus, n, WARM_UP_TEXTS);
        try (OnnxValueClassifier classifier = load(model, work)) {
            OnnxTextEncoder encoder = (OnnxTextEncoder) classifier.encoder();
            Workload library = Workload.libraryBatches(encoder, texts);
            Workload order8 = Workload.inputOrder(texts, library.tokenIds(), 8);
            log("%s: %d texts, %.1f tokens a text on average, %d library batches (padding waste %.1f%%), %d batches"
                    + " of 8 in input order (waste %.1f%%)", classifier.info().id(), n,
                    (double) library.realTokens() / n, library.batches().size(),
                    100.0 * (library.paddedTokens() - library.realTokens()) / library.realTokens(),
                    order8.batches().size(),
                    100.0 * (order8.paddedTokens() - order8.realTokens()) / order8.realTokens());

            // reference: the library's embeddings of the first texts, from a call whose batches equal the timed call's
            int window = encoder.info().batchPolicy().window();
            checkTexts = Math.min(checkTexts, Math.min(n, window));
            float[][] windowVectors = encoder.embed(texts.subList(0, Math.min(n, window)));
            float[][] reference = Arrays.copyOf(windowVectors, checkTexts);
            byte[] modelBytes = encoder.modelBytes();
            long padId = export(work, model, encoder, modelBytes, library, classifier, reference);

            Map<String, Object> env = new LinkedHashMap<>();
            try (BareSession bare = new BareSession(modelBytes, EncoderOptions.defaults(), encoder.outputName())) {
                List<BareSession.Batch> batches = bare.prepare(library, padId);
                List<BareSession.Batch> batches8 = bare.prepare(order8, padId);
                try {
                    double bareCosine = checkBare(bare, batches, reference);
                    log("check: bare ONNX Runtime on the library's batches vs the library, first %d texts: min cosine"
                            + " %.7f (needs > %s)", checkTexts, bareCosine, BARE_MIN_COSINE);
                    JsonNode jsCheck = node(node, js, "check", work, null);
                    log("check: transformers.js vs the library, first %d texts: min cosine %.7f, max |p - p_lib| %.2e"
                            + " (head alone on the library's embeddings: %.2e), token ids equal: %s", checkTexts,
                            jsCheck.get("min_cosine").asDouble(), jsCheck.get("max_probability_diff").asDouble(),
                            jsCheck.get("head_max_diff").asDouble(), jsCheck.get("tokens_equal").asBoolean());

                    env.put("uptime_before", loadBefore);
                    env.put("nproc", Runtime.getRuntime().availableProcessors());
                    env.put("cpu", cpuModel());
                    env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
                    env.put("onnxruntime_java", bare.runtimeVersion());
                    env.put("node", jsCheck.path("node").asText());
                    env.put("onnxruntime_node", jsCheck.path("onnxruntime_node").asText());
                    env.put("transformers_js", jsCheck.path("transformers_js").asText());
                    env.put("js_batching", jsCheck.path("batching").asText());
                    env.put("check_texts", checkTexts);
                    env.put("bare_min_cosine", bareCosine);
                    env.put("js_min_cosine", jsCheck.get("min_cosine").asDouble());
                    env.put("js_max_probability_diff", jsCheck.get("max_probability_diff").asDouble());
                    env.put("js_head_max_diff", jsCheck.get("head_max_diff").asDouble());

                    if (repeats == 0) {
                        log("checks passed; --repeats 0: nothing timed");
                        return;
                    }
                    // warm-up: the library on other texts, the bare session on a few batches
                    classifier.classify(warmUp);
                    bare.runAll(batches.subList(0, Math.min(8, batches.size())));
                    bare.runAll(batches8.subList(0, Math.min(8, batches8.size())));

                    double[][] rates = new double[5][repeats];
                    double sink = 0;
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        List<ValuePrediction> predictions = classifier.classify(texts);
                        rates[0][r] = n / seconds(t0);
                        sink += predictions.get(0).confidence();
                        t0 = System.nanoTime();
                        bare.runAll(batches);
                        rates[1][r] = n / seconds(t0);
                        t0 = System.nanoTime();
                        bare.runAll(batches8);
                        rates[2][r] = n / seconds(t0);
                        Path out = work.resolve("js-time-" + r + ".json");
                        rates[3][r] = node(node, js, "time", work, out).get("texts_per_s").asDouble();
                        out = work.resolve("js-time-input8-" + r + ".json");
                        rates[4][r] = node(node, js, "time", work, out, "input8").get("texts_per_s").asDouble();
                        log("repeat %d/%d: library %.1f, bare %.1f, bare batch 8 %.1f, transformers.js %.1f,"
                                + " transformers.js batch 8 %.1f texts/s (load %s)", r + 1, repeats, rates[0][r],
                                rates[1][r], rates[2][r], rates[3][r], rates[4][r], loadAverage());
                    }
                    env.put("uptime_after", loadAverage());
                    env.put("sink", sink);
                    report(model, classifier, library, order8, rates, env, results);
                } finally {
                    batches.forEach(BareSession.Batch::close);
                    batches8.forEach(BareSession.Batch::close);
                }
            }
        }
    }

    /** The library's classifier: the default model, or the frozen model's head on the fp32 encoder (a bundle in work). */
    private static OnnxValueClassifier load(String model, Path work) throws IOException {
        switch (model) {
            case "default":
                return OnnxValueClassifier.loadDefault();
            case "fp32":
                return OnnxValueClassifier.load(fp32Bundle(work.resolve("bundle")));
            default:
                throw new IllegalArgumentException("--model must be default or fp32, was " + model);
        }
    }

    /**
     * A bundle holding the frozen model's head and taxonomy with the fp32 MiniLM encoder named in its manifest (the
     * default model's weight patch is for the int8 encoder): the head was trained on int8 embeddings, so its
     * predictions on fp32 embeddings only serve for timing.
     */
    static Path fp32Bundle(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode manifest = (ObjectNode) COMPACT.readTree(resource(BundledModels.FROZEN_MODEL + "manifest.json"));
        ObjectNode encoder = (ObjectNode) manifest.get("encoder");
        encoder.put("name", "all-minilm-l6-v2");
        encoder.put("sha256", WeightPatch.sha256(resource("all-minilm-l6-v2.onnx")));
        manifest.put("model_id", manifest.get("model_id").asText() + "/on-fp32-encoder-for-timing");
        Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        for (String file : List.of("head.bin", "taxonomy.json")) {
            Files.write(dir.resolve(file), resource(BundledModels.FROZEN_MODEL + file));
        }
        return dir;
    }

    /**
     * Writes the work folder; returns the tokenizer's padding id. Layout: {@code hf/} (transformers.js's model folder:
     * {@code config.json}, {@code tokenizer.json}, {@code tokenizer_config.json}, {@code onnx/model.onnx}),
     * {@code texts.json}, {@code batches.json} (the library's batches as text indices, each text's token ids, and
     * batches of 8 in input order), {@code head.json} ({@link HeadJson}) and {@code reference.json} (the library's
     * embeddings and probabilities of the first texts).
     */
    static long export(Path work, String model, OnnxTextEncoder encoder, byte[] modelBytes, Workload library,
            OnnxValueClassifier classifier, float[][] reference) throws IOException {
        Path hf = work.resolve("hf");
        Files.createDirectories(hf.resolve("onnx"));
        Files.write(hf.resolve("onnx").resolve("model.onnx"), modelBytes);
        String resourceBase = model.equals("fp32") ? "all-minilm-l6-v2" : "all-minilm-l6-v2-q";
        byte[] tokenizer = resource(resourceBase + "-tokenizer.json");
        // The jar's tokenizer.json pads and truncates to a fixed 128 tokens; the library's encoder switches both off
        // and cuts at its maxLength. transformers.js is told the same: no fixed padding or truncation in the file,
        // truncation to maxLength (tokenizer_config.json and the call), padding to the longest text of each batch.
        Files.write(hf.resolve("tokenizer.json"), unfixedTokenizer(tokenizer));
        int maxLength = encoder.info().maxLength();
        ObjectNode tokenizerConfig = COMPACT.createObjectNode();
        tokenizerConfig.put("tokenizer_class", "BertTokenizer");
        tokenizerConfig.put("do_lower_case", true);
        tokenizerConfig.put("model_max_length", maxLength);
        // the special tokens of all-MiniLM-L6-v2's own tokenizer_config.json (transformers.js pads with pad_token)
        tokenizerConfig.put("unk_token", "[UNK]");
        tokenizerConfig.put("sep_token", "[SEP]");
        tokenizerConfig.put("pad_token", "[PAD]");
        tokenizerConfig.put("cls_token", "[CLS]");
        tokenizerConfig.put("mask_token", "[MASK]");
        Files.write(hf.resolve("tokenizer_config.json"), JSON.writeValueAsBytes(tokenizerConfig));
        ObjectNode config = COMPACT.createObjectNode();
        config.put("model_type", "bert");
        config.putArray("architectures").add("BertModel");
        config.put("hidden_size", encoder.dimension());
        config.put("max_position_embeddings", 512);
        Files.write(hf.resolve("config.json"), JSON.writeValueAsBytes(config));

        Files.write(work.resolve("texts.json"), COMPACT.writeValueAsBytes(library.texts()));
        ObjectNode batches = COMPACT.createObjectNode();
        batches.put("max_length", maxLength);
        ArrayNode planned = batches.putArray("batches");
        for (int[] batch : library.batches()) {
            ArrayNode a = planned.addArray();
            for (int i : batch) {
                a.add(i);
            }
        }
        ArrayNode ids = batches.putArray("token_ids");
        for (long[] seq : library.tokenIds()) {
            ArrayNode a = ids.addArray();
            for (long id : seq) {
                a.add(id);
            }
        }
        Files.write(work.resolve("batches.json"), COMPACT.writeValueAsBytes(batches));
        Files.write(work.resolve("head.json"), COMPACT.writeValueAsBytes(HeadJson.toJson(classifier.head())));

        ObjectNode ref = COMPACT.createObjectNode();
        ref.put("model", classifier.info().id());
        ArrayNode vectors = ref.putArray("embeddings");
        ArrayNode probabilities = ref.putArray("probabilities");
        for (float[] v : reference) {
            ArrayNode a = vectors.addArray();
            for (float x : v) {
                a.add(x);
            }
            ArrayNode p = probabilities.addArray();
            for (double x : classifier.head().probabilities(v)) {
                p.add(x);
            }
        }
        ref.put("min_cosine", model.equals("fp32") ? 0.999 : 0.99);
        // int8: activations are quantised per batch, and the two runtimes differ in version, so embeddings agree to
        // about 0.99 and the MLP's probabilities by up to about 0.1: reported, not checked. fp32 is checked.
        if (model.equals("fp32")) {
            ref.put("max_probability_diff", 0.01);
        } else {
            ref.putNull("max_probability_diff");
        }
        Files.write(work.resolve("reference.json"), COMPACT.writeValueAsBytes(ref));

        JsonNode padding = COMPACT.readTree(tokenizer).path("padding");
        long padId = padding.has("pad_id") ? padding.get("pad_id").asLong() : 0;
        log("wrote %s (model.onnx %d bytes, %d texts, %d batches)", work, modelBytes.length, library.size(),
                library.batches().size());
        return padId;
    }

    /**
     * A {@code tokenizer.json} with its fixed padding and truncation switched off ({@code null}), as the library's
     * encoder loads it; callers pad and truncate per call.
     *
     * @throws IOException if the bytes are not JSON
     */
    static byte[] unfixedTokenizer(byte[] tokenizer) throws IOException {
        ObjectNode tokenizerJson = (ObjectNode) COMPACT.readTree(tokenizer);
        tokenizerJson.putNull("truncation");
        tokenizerJson.putNull("padding");
        return COMPACT.writeValueAsBytes(tokenizerJson);
    }

    /** The bare session's embeddings of the first texts, on the batches that hold them, against the library's. */
    private static double checkBare(BareSession bare, List<BareSession.Batch> batches, float[][] reference)
            throws Exception {
        List<BareSession.Batch> needed = new ArrayList<>();
        for (BareSession.Batch b : batches) {
            if (Arrays.stream(b.members).anyMatch(i -> i < reference.length)) {
                needed.add(b);
            }
        }
        int texts = batches.stream().mapToInt(b -> b.members.length).sum();
        float[][] got = bare.embeddings(needed, texts);
        double min = 1;
        for (int i = 0; i < reference.length; i++) {
            double c = cosine(got[i], reference[i]);
            min = Math.min(min, c);
            if (!(c > BARE_MIN_COSINE)) {
                throw new CheckFailed("the bare session's embedding of text " + i + " has cosine " + c
                        + " to the library's (needs > " + BARE_MIN_COSINE + "): the batches or inputs differ");
            }
        }
        return min;
    }

    /** Runs {@code node bench.mjs MODE WORK OUT [EXTRA...]} in {@code js}; returns the JSON it writes. */
    static JsonNode node(String node, Path js, String mode, Path work, Path out, String... extra)
            throws Exception {
        Path file = out != null ? out : work.resolve("js-" + mode + ".json");
        Files.deleteIfExists(file);
        List<String> command = new ArrayList<>(List.of(node, "bench.mjs", mode, work.toAbsolutePath().toString(),
                file.toAbsolutePath().toString()));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).directory(js.toFile()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroy();
            throw new CheckFailed("node bench.mjs " + mode + " did not finish in 30 minutes");
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(file)) {
            throw new CheckFailed("node bench.mjs " + mode + " failed with status " + p.exitValue()
                    + " (its messages are above)");
        }
        return COMPACT.readTree(file.toFile());
    }

    private static void report(String model, OnnxValueClassifier classifier, Workload library, Workload order8,
            double[][] rates, Map<String, Object> env, Path results) throws IOException {
        String[] names = {
            "library: OnnxValueClassifier.classify (default options)",
            "bare ONNX Runtime: session.run on the library's batches",
            "bare ONNX Runtime: session.run, batches of 8 in input order",
            "transformers.js: tokenise + run + mean pool + head, library's batches",
            "transformers.js: tokenise + run + mean pool + head, batches of 8 in input order"
        };
        String[] keys = {"library", "bare_ort", "bare_ort_batch8_input_order", "transformers_js",
            "transformers_js_batch8_input_order"};
        double[] median = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            median[i] = median(rates[i]);
        }
        StringBuilder md = new StringBuilder();
        md.append("| pipeline | texts/s (median of ").append(rates[0].length)
                .append(") | ratio to bare ORT | library / this |\n|---|---:|---:|---:|\n");
        ObjectNode json = JSON.createObjectNode();
        json.put("model", model);
        json.put("classifier", classifier.info().id());
        json.put("date", Instant.now().toString());
        json.put("texts", library.size());
        json.put("mean_tokens", (double) library.realTokens() / library.size());
        json.put("library_batches", library.batches().size());
        json.put("library_padded_tokens", library.paddedTokens());
        json.put("batch8_padded_tokens", order8.paddedTokens());
        json.put("real_tokens", library.realTokens());
        ObjectNode envNode = json.putObject("environment");
        env.forEach((k, v) -> envNode.putPOJO(k, v));
        ArrayNode rows = json.putArray("rows");
        for (int i = 0; i < keys.length; i++) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.2f |%n", names[i], median[i],
                    median[i] / median[1], median[0] / median[i]));
            ObjectNode row = rows.addObject();
            row.put("key", keys[i]);
            row.put("pipeline", names[i]);
            row.put("texts_per_s", median[i]);
            ArrayNode all = row.putArray("repeats");
            Arrays.stream(rates[i]).forEach(all::add);
            row.put("ratio_to_bare_ort", median[i] / median[1]);
            row.put("library_over_this", median[0] / median[i]);
        }
        double overhead = 1 - median[0] / median[1];
        double overPeer = median[0] / median[3];
        double overNaturalPeer = median[0] / median[4];
        String goals = String.format(Locale.ROOT,
                "Goals: library / bare ORT = %.3f (goal >= 0.95: %s); library / transformers.js = %.2f on the"
                        + " library's batches, %.2f on batches of 8 in input order (goal >= 1.5: %s, %s).%n",
                median[0] / median[1], median[0] / median[1] >= 0.95 ? "met" : "MISSED", overPeer,
                overNaturalPeer, overPeer >= 1.5 ? "met" : "MISSED", overNaturalPeer >= 1.5 ? "met" : "MISSED");
        json.put("library_overhead", overhead);
        json.put("goal_overhead_met", median[0] / median[1] >= 0.95);
        json.put("goal_peer_met", overPeer >= 1.5);
        json.put("goal_natural_peer_met", overNaturalPeer >= 1.5);
        StringBuilder envText = new StringBuilder();
        env.forEach((k, v) -> {
            if (!k.equals("sink")) {
                envText.append("- ").append(k).append(": ").append(v).append('\n');
            }
        });
        String text = "## Side-by-side harness: " + model + " (" + classifier.info().id() + ")\n\n" + library.size()
                + " corpus texts, " + String.format(Locale.ROOT, "%.1f", (double) library.realTokens() / library.size())
                + " tokens a text on average.\n\n" + md + "\n" + goals + "\n" + envText;
        System.out.println();
        System.out.println(text);
        Files.writeString(results.resolve("harness-" + model + ".md"), text, StandardCharsets.UTF_8);
        Files.write(results.resolve("harness-" + model + ".json"), JSON.writeValueAsBytes(json));
        log("wrote %s and %s", results.resolve("harness-" + model + ".md"), results.resolve("harness-" + model
                + ".json"));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static byte[] resource(String name) {
        try (InputStream in = Harness.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("class path resource " + name + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... values) {
        System.out.println("harness: " + String.format(Locale.ROOT, format, values));
    }
}
