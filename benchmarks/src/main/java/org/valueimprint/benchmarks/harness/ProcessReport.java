package org.valueimprint.benchmarks.harness;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one whole-process run ({@link Processes}): every timed run's wall seconds per pipeline, in rounds,
 * with the medians and the per-round speed ratios, as JSON and Markdown ({@link #write}).
 *
 * <p>A speed ratio "library / X" is X's seconds divided by the library's seconds in the same round: how many times
 * faster the library's whole process is (above 1: the library is faster). Its median over the rounds is the headline
 * figure; ratios are taken within a round, never across rounds, so that a change in machine load between rounds
 * does not enter them.
 *
 * @param date when the timing ended
 * @param texts the texts every run classifies
 * @param pipelines the pipelines, each with one run a round; must hold {@link #LIBRARY}, {@link #BARE} and
 *     {@link #TRANSFORMERS_JS}, and may hold {@link #BASELINE}
 * @param orders the order the pipelines ran in, one list of keys a round
 * @param environment the machine and versions, by name (in insertion order)
 * @param checks the sanity checks' figures, by name (in insertion order)
 */
public record ProcessReport(Instant date, int texts, List<Pipeline> pipelines, List<List<String>> orders,
        Map<String, Object> environment, Map<String, Object> checks) {
    /** The library pipeline's key. */
    public static final String LIBRARY = "library";
    /** The bare ONNX Runtime pipeline's key. */
    public static final String BARE = "bare_ort";
    /** The transformers.js pipeline's key. */
    public static final String TRANSFORMERS_JS = "transformers_js";
    /** The optional library baseline's key: the library's command with other model options. */
    public static final String BASELINE = "library_baseline";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * One pipeline's timed runs.
     *
     * @param key its key ({@link #LIBRARY}, {@link #BARE}, {@link #TRANSFORMERS_JS})
     * @param name what it runs, in words
     * @param command the command line of one run
     * @param seconds wall seconds from fork to exit, one a round, in round order
     */
    public record Pipeline(String key, String name, String command, List<Double> seconds) {
        /** Copies the list; needs at least one run. */
        public Pipeline {
            requireNonNull(key, "key");
            requireNonNull(name, "name");
            requireNonNull(command, "command");
            seconds = List.copyOf(seconds);
            if (seconds.isEmpty()) {
                throw new IllegalArgumentException("pipeline " + key + " has no runs");
            }
        }

        /** The median of the runs' seconds. */
        public double median() {
            return ProcessReport.median(seconds);
        }

        /** The fastest run's seconds. */
        public double min() {
            return Collections.min(seconds);
        }

        /** The slowest run's seconds. */
        public double max() {
            return Collections.max(seconds);
        }

        /** Texts per second of the median run. */
        public double textsPerSecond(int texts) {
            return texts / median();
        }
    }

    /** Copies the collections; checks that the three pipelines are there, with one run a round each. */
    public ProcessReport {
        requireNonNull(date, "date");
        pipelines = List.copyOf(pipelines);
        orders = orders.stream().map(List::copyOf).toList();
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        if (texts < 1) {
            throw new IllegalArgumentException("texts must be at least 1, was " + texts);
        }
        for (String key : List.of(LIBRARY, BARE, TRANSFORMERS_JS)) {
            if (pipelines.stream().noneMatch(p -> p.key().equals(key))) {
                throw new IllegalArgumentException("no pipeline " + key);
            }
        }
        for (Pipeline p : pipelines) {
            if (p.seconds().size() != orders.size()) {
                throw new IllegalArgumentException("pipeline " + p.key() + " has " + p.seconds().size()
                        + " runs for " + orders.size() + " rounds");
            }
        }
    }

    /** The median of some values (the mean of the middle two for an even count). */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values");
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /**
     * Per round, {@code other}'s seconds divided by {@code base}'s: how many times faster {@code base} ran.
     *
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static List<Double> speedRatios(List<Double> base, List<Double> other) {
        if (base.size() != other.size()) {
            throw new IllegalArgumentException(base.size() + " runs against " + other.size());
        }
        List<Double> out = new ArrayList<>(base.size());
        for (int r = 0; r < base.size(); r++) {
            out.add(other.get(r) / base.get(r));
        }
        return List.copyOf(out);
    }

    /** The number of timed rounds. */
    public int rounds() {
        return orders.size();
    }

    /** The pipeline with this key. */
    public Pipeline pipeline(String key) {
        return pipelines.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pipeline " + key));
    }

    /** Per round, how many times faster the library's process ran than transformers.js's. */
    public List<Double> libraryOverTransformersJs() {
        return speedRatios(pipeline(LIBRARY).seconds(), pipeline(TRANSFORMERS_JS).seconds());
    }

    /** Per round, how many times faster the library's process ran than the bare ONNX Runtime process. */
    public List<Double> libraryOverBare() {
        return speedRatios(pipeline(LIBRARY).seconds(), pipeline(BARE).seconds());
    }

    /** Per round, how many times faster the library's process ran than its baseline's; empty without one. */
    public List<Double> libraryOverBaseline() {
        return pipelines.stream().anyMatch(p -> p.key().equals(BASELINE))
                ? speedRatios(pipeline(LIBRARY).seconds(), pipeline(BASELINE).seconds())
                : List.of();
    }

    /** The results' base file name: {@code processes-<UTC time>}, such as {@code processes-20261127T040755Z}. */
    public String baseName() {
        return "processes-" + STAMP.format(date);
    }

    /** The JSON: every run, the medians, the ratios per round and their medians, the machine and the checks. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", date.toString());
        root.put("texts", texts);
        root.put("rounds", rounds());
        ArrayNode orderNode = root.putArray("orders");
        orders.forEach(o -> o.forEach(orderNode.addArray()::add));
        ArrayNode rows = root.putArray("pipelines");
        for (Pipeline p : pipelines) {
            ObjectNode row = rows.addObject();
            row.put("key", p.key());
            row.put("pipeline", p.name());
            row.put("command", p.command());
            p.seconds().forEach(row.putArray("seconds")::add);
            row.put("median_s", p.median());
            row.put("min_s", p.min());
            row.put("max_s", p.max());
            row.put("texts_per_s", p.textsPerSecond(texts));
        }
        ObjectNode ratios = root.putObject("speed_ratios");
        ratio(ratios.putObject("library_over_transformers_js"), libraryOverTransformersJs());
        ratio(ratios.putObject("library_over_bare_ort"), libraryOverBare());
        if (!libraryOverBaseline().isEmpty()) {
            ratio(ratios.putObject("library_over_library_baseline"), libraryOverBaseline());
        }
        ObjectNode env = root.putObject("environment");
        environment.forEach(env::putPOJO);
        ObjectNode checkNode = root.putObject("checks");
        checks.forEach(checkNode::putPOJO);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ratio(ObjectNode node, List<Double> perRound) {
        perRound.forEach(node.putArray("per_round")::add);
        node.put("median", median(perRound));
        node.put("min", Collections.min(perRound));
        node.put("max", Collections.max(perRound));
    }

    /** The Markdown: the medians table, the rounds table, the ratios, the machine and the checks. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Whole processes: ").append(texts).append(" hh-rlhf texts, ").append(rounds())
                .append(rounds() == 1 ? " timed round" : " interleaved rounds").append("\n\n");
        md.append("Wall seconds from fork to exit of a fresh process (start-up, model load, tokenising, inference,"
                + " head, output).\n\n");
        md.append("| pipeline | median s | min s | max s | texts/s (median) |\n|---|---:|---:|---:|---:|\n");
        for (Pipeline p : pipelines) {
            md.append(format("| %s | %.2f | %.2f | %.2f | %.1f |%n", p.name(), p.median(), p.min(), p.max(),
                    p.textsPerSecond(texts)));
        }
        List<Double> overJs = libraryOverTransformersJs();
        List<Double> overBare = libraryOverBare();
        List<Double> overBaseline = libraryOverBaseline();
        boolean baseline = !overBaseline.isEmpty();
        md.append("\n| round | order |");
        pipelines.forEach(p -> md.append(' ').append(p.key()).append(" s |"));
        md.append(" library / transformers.js | library / bare |").append(baseline ? " library / baseline |" : "")
                .append("\n|---:|---|");
        pipelines.forEach(p -> md.append("---:|"));
        md.append("---:|---:|").append(baseline ? "---:|" : "").append('\n');
        for (int r = 0; r < rounds(); r++) {
            md.append("| ").append(r + 1).append(" | ").append(String.join(", ", orders.get(r))).append(" |");
            for (Pipeline p : pipelines) {
                md.append(format(" %.2f |", p.seconds().get(r)));
            }
            md.append(format(" %.2f | %.2f |", overJs.get(r), overBare.get(r)));
            md.append(baseline ? format(" %.2f |%n", overBaseline.get(r)) : System.lineSeparator());
        }
        md.append(format("%nSpeed ratios (the other's seconds / the library's, same round; above 1: the library is"
                + " faster): library / transformers.js median **%.2f** (%.2f to %.2f); library / bare ONNX Runtime"
                + " median **%.2f** (%.2f to %.2f).%n%n", median(overJs), Collections.min(overJs),
                Collections.max(overJs), median(overBare), Collections.min(overBare), Collections.max(overBare)));
        if (baseline) {
            md.append(format("Library / its baseline (same round): median **%.3f** (%.3f to %.3f).%n%n",
                    median(overBaseline), Collections.min(overBaseline), Collections.max(overBaseline)));
        }
        md.append("Commands:\n\n");
        pipelines.forEach(p -> md.append("- ").append(p.key()).append(": `").append(p.command()).append("`\n"));
        md.append("\nMachine:\n\n");
        environment.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nChecks (before timing, on the warm-up round's outputs):\n\n");
        checks.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    /**
     * Writes {@code <baseName>.json} and {@code .md} into {@code dir} (created if needed); returns the JSON file.
     *
     * @throws IOException if a file cannot be written
     */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(baseName() + ".json");
        Files.writeString(json, toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(baseName() + ".md"), toMarkdown(), StandardCharsets.UTF_8);
        return json;
    }

    private static String format(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
