package org.valueimprint.benchmarks.harness;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * The side-by-side harness's whole-process mode ({@code benchmarks/harness/run.sh --processes}): times fresh
 * processes, wall clock from fork to exit, on the first N hh-rlhf texts of the annotated corpus, in interleaved
 * rounds whose order rotates, after an untimed warm-up round whose outputs are checked:
 *
 * <ul>
 *   <li>{@code library}: {@code java -jar value-imprint.jar evaluate --gold GOLD --out OUT} (the default model, as a
 *       user runs it);
 *   <li>{@code bare_ort}: {@link BareProcess} (ONNX Runtime from Java, batches of 8 in input order);
 *   <li>{@code transformers_js}: {@code node bench.mjs classify WORK OUT} (batches of 8 in input order);
 *   <li>{@code library_baseline}, with {@code --library-baseline KEY=VALUE[,KEY=VALUE...]} only: the library's
 *       command with those {@code --model-option} settings (such as {@code fuse_attention=false}), timed in the same
 *       rounds, so that a change's before and after are measured side by side.
 * </ul>
 *
 * <pre>
 * Processes --corpus FILE --work DIR --results DIR --js DIR --jar value-imprint.jar [--runs 7] [--texts 2000]
 *           [--node node] [--min-agreement 0.9] [--library-baseline KEY=VALUE[,KEY=VALUE...]]
 * </pre>
 */
public final class Processes {
    /** The pipelines without a baseline, in the order of round 1. */
    static final List<String> PIPELINES = List.of(ProcessReport.LIBRARY, ProcessReport.BARE,
            ProcessReport.TRANSFORMERS_JS);
    /** The texts a call of the evaluate command's classifier ({@code --batch-size}'s default). */
    private static final int EVALUATE_BATCH = 256;
    /** How far the evaluate command's accuracy may be from the library's in-process accuracy. */
    static final double ACCURACY_TOLERANCE = 0.01;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> args;

    private Processes(Map<String, String> args) {
        this.args = args;
    }

    /** Runs the whole-process mode; exits with status 1 and a message when a check or a process fails. */
    public static void main(String[] argv) throws Exception {
        Map<String, String> args = Harness.options(argv, "usage: Processes --corpus FILE --work DIR --results DIR"
                + " --js DIR --jar JAR [--runs N] [--texts N] [--node BIN] [--min-agreement X]"
                + " [--library-baseline KEY=VALUE[,KEY=VALUE...]]");
        try {
            new Processes(args).run();
        } catch (Harness.CheckFailed | IllegalArgumentException e) {
            System.err.println("processes: FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The order of round {@code round} (0-based): the pipelines rotated left by {@code round}, so that over
     * {@code k} consecutive rounds of {@code k} pipelines each goes first once.
     */
    static <T> List<T> order(List<T> pipelines, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round must be 0 or more, was " + round);
        }
        List<T> out = new ArrayList<>(pipelines.size());
        for (int i = 0; i < pipelines.size(); i++) {
            out.add(pipelines.get((round + i) % pipelines.size()));
        }
        return List.copyOf(out);
    }

    /**
     * The {@code --model-option} settings of {@code --library-baseline}: comma-separated {@code KEY=VALUE} pairs.
     *
     * @throws IllegalArgumentException for an empty list or a pair without {@code =}
     */
    static List<String> baselineOptions(String baseline) {
        List<String> out = new ArrayList<>();
        for (String pair : baseline.split(",")) {
            String p = pair.strip();
            if (p.indexOf('=') <= 0) {
                throw new IllegalArgumentException("--library-baseline: \"" + p + "\" is not KEY=VALUE");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /** The share of positions where two equally long arrays hold the same value. */
    static double agreement(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("cannot compare " + a.length + " predictions with " + b.length);
        }
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    private String arg(String name, String fallback) {
        return Harness.arg(args, name, fallback);
    }

    private void run() throws Exception {
        int n = Integer.parseInt(arg("texts", "2000"));
        int runs = Integer.parseInt(arg("runs", "7"));
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, was " + runs);
        }
        double minAgreement = Double.parseDouble(arg("min-agreement", "0.9"));
        Path corpus = Path.of(arg("corpus", null));
        Path work = Path.of(arg("work", null)).resolve("processes").toAbsolutePath();
        Path results = Path.of(arg("results", null));
        Path js = Path.of(arg("js", null)).toAbsolutePath();
        Path jar = Path.of(arg("jar", null)).toAbsolutePath();
        String node = arg("node", "node");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--jar " + jar + ": no such file (build it with ./value-imprint)");
        }
        Files.createDirectories(work.resolve("out"));
        Files.createDirectories(work.resolve("logs"));

        // 1. prepare, untimed: the gold file, the texts and model folder for node and the bare process, and the
        // library's own predictions for the agreement check
        List<HhRlhfGold.Line> lines = HhRlhfGold.select(corpus, n);
        Path gold = work.resolve("gold.jsonl");
        HhRlhfGold.write(lines, gold);
        List<String> texts = lines.stream().map(HhRlhfGold.Line::text).toList();
        int[] libraryTop = new int[n];
        double inProcessAccuracy;
        String ortJava;
        try (OnnxValueClassifier classifier = OnnxValueClassifier.loadDefault()) {
            OnnxTextEncoder encoder = (OnnxTextEncoder) classifier.encoder();
            Harness.export(work, "default", encoder, encoder.modelBytes(), Workload.libraryBatches(encoder, texts),
                    classifier, new float[0][]);
            List<ValuePrediction> predictions = new ArrayList<>(n);
            for (int start = 0; start < n; start += EVALUATE_BATCH) {
                predictions.addAll(classifier.classify(texts.subList(start, Math.min(n, start + EVALUATE_BATCH))));
            }
            for (int i = 0; i < n; i++) {
                libraryTop[i] = predictions.get(i).topIndex();
            }
            inProcessAccuracy = Evaluator.builder().bootstrapResamples(0).build().evaluate(classifier.taxonomy(),
                    lines.stream().map(HhRlhfGold.Line::label).toList(), predictions).accuracy();
            ortJava = OrtEnvironment.getEnvironment().getVersion();
        }
        log("prepared %s: %d hh-rlhf texts from %s, the library's in-process accuracy %.4f", work, n, corpus,
                inProcessAccuracy);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Command> commands = new LinkedHashMap<>();
        List<String> evaluate = List.of(java, "-jar", jar.toString(), "evaluate", "--gold", gold.toString(), "--out",
                "OUT");
        commands.put(ProcessReport.LIBRARY, new Command(
                "library: value-imprint evaluate (default model), whole process", evaluate, null, Map.of()));
        String baseline = arg("library-baseline", null);
        if (baseline != null) {
            List<String> argv = new ArrayList<>(evaluate);
            for (String option : baselineOptions(baseline)) {
                argv.add("--model-option");
                argv.add(option);
            }
            commands.put(ProcessReport.BASELINE, new Command(
                    "library baseline: value-imprint evaluate --model-option " + baseline + ", whole process",
                    argv, null, Map.of()));
        }
        commands.put(ProcessReport.BARE, new Command(
                "bare ONNX Runtime from Java: tokenise + session.run + mean pool + head, batches of 8 in input order",
                List.of(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                        BareProcess.class.getName(), work.toString(), "OUT"),
                null, Map.of("RUST_FLAVOR", "cpu", "OPT_OUT_TRACKING", "true")));
        commands.put(ProcessReport.TRANSFORMERS_JS, new Command(
                "transformers.js: tokenise + run + mean pool + head, batches of 8 in input order",
                List.of(node, "bench.mjs", "classify", work.toString(), "OUT"), js, Map.of()));

        List<String> keys = List.copyOf(commands.keySet());
        String loadBefore = Harness.loadAverage();
        // 2. the warm-up round: not counted; its outputs are checked before anything is timed
        for (String key : order(keys, 0)) {
            double s = commands.get(key).run(work, key + "-warm-up");
            log("warm-up: %s %.2f s", key, s);
        }
        Map<String, Object> checks = check(work, libraryTop, inProcessAccuracy, minAgreement);
        if (baseline != null) {
            checks.put("baseline_evaluate_accuracy", JSON.readTree(work.resolve("out")
                    .resolve(ProcessReport.BASELINE + "-warm-up.json").toFile()).path("accuracy").asDouble());
        }

        // 3. the timed rounds, interleaved, the order rotating
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        keys.forEach(k -> seconds.put(k, new ArrayList<>()));
        List<List<String>> orders = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            List<String> order = order(keys, r);
            orders.add(order);
            StringBuilder line = new StringBuilder();
            for (String key : order) {
                double s = commands.get(key).run(work, key + "-" + (r + 1));
                seconds.get(key).add(s);
                line.append(String.format(Locale.ROOT, " %s %.2f s,", key, s));
            }
            log("round %d/%d:%s load %s", r + 1, runs, line, Harness.loadAverage());
        }

        Map<String, Object> env = new LinkedHashMap<>();
        env.put("load_before", loadBefore);
        env.put("load_after", Harness.loadAverage());
        env.put("nproc", Runtime.getRuntime().availableProcessors());
        env.put("cpu", Harness.cpuModel());
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("onnxruntime_java", ortJava);
        env.put("node", output(List.of(node, "--version")));
        env.put("onnxruntime_node", packageVersion(js, "onnxruntime-node"));
        env.put("transformers_js", packageVersion(js, "@huggingface/transformers"));
        env.put("corpus", corpus.toString());
        List<ProcessReport.Pipeline> pipelines = new ArrayList<>();
        commands.forEach((key, c) -> pipelines.add(new ProcessReport.Pipeline(key, c.name(), c.shown(),
                seconds.get(key))));
        ProcessReport report = new ProcessReport(Instant.now(), n, pipelines, orders, env, checks);
        Path written = report.write(results);
        System.out.println();
        System.out.println(report.toMarkdown());
        log("wrote %s and %s", written, written.resolveSibling(report.baseName() + ".md"));
    }

    /**
     * Checks the warm-up round's outputs: the evaluate command's accuracy is within {@value #ACCURACY_TOLERANCE} of
     * the library's in-process accuracy (the same model and calls of 256 texts; the command line may run ONNX Runtime
     * with other thread settings, which can flip a text at a tie), and the three pipelines' top values agree on at least {@code minAgreement} of the
     * texts (int8 activations are quantised per batch and the runtimes differ, so a few texts near a tie may flip).
     */
    private static Map<String, Object> check(Path work, int[] libraryTop, double inProcessAccuracy,
            double minAgreement) throws IOException {
        JsonNode evaluation = JSON.readTree(work.resolve("out").resolve("library-warm-up.json").toFile());
        double cliAccuracy = evaluation.path("accuracy").asDouble(Double.NaN);
        if (evaluation.path("n").asInt() != libraryTop.length || !(Math.abs(cliAccuracy - inProcessAccuracy) <= ACCURACY_TOLERANCE)) {
            throw new Harness.CheckFailed("value-imprint evaluate gave n " + evaluation.path("n").asInt()
                    + ", accuracy " + cliAccuracy + "; the library in process gave n " + libraryTop.length
                    + ", accuracy " + inProcessAccuracy);
        }
        int[] bare = top(work.resolve("out").resolve(ProcessReport.BARE + "-warm-up.json"), libraryTop.length);
        int[] js = top(work.resolve("out").resolve(ProcessReport.TRANSFORMERS_JS + "-warm-up.json"),
                libraryTop.length);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("evaluate_accuracy", cliAccuracy);
        checks.put("in_process_accuracy", inProcessAccuracy);
        checks.put("top_agreement_library_bare_ort", agreement(libraryTop, bare));
        checks.put("top_agreement_library_transformers_js", agreement(libraryTop, js));
        checks.put("top_agreement_bare_ort_transformers_js", agreement(bare, js));
        checks.put("min_agreement", minAgreement);
        log("checks: %s", checks);
        for (Map.Entry<String, Object> e : checks.entrySet()) {
            if (e.getKey().startsWith("top_agreement") && (double) e.getValue() < minAgreement) {
                throw new Harness.CheckFailed(e.getKey() + " is " + e.getValue() + ", under " + minAgreement
                        + ": the pipelines do not do the same work");
            }
        }
        return checks;
    }

    private static int[] top(Path file, int n) throws IOException {
        JsonNode top = JSON.readTree(file.toFile()).path("top");
        if (top.size() != n) {
            throw new Harness.CheckFailed(file + " holds " + top.size() + " predictions for " + n + " texts");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = top.get(i).asInt();
        }
        return out;
    }

    /**
     * One pipeline's command; {@code OUT} in {@code argv} stands for its output file.
     *
     * @param name what it runs, in words
     * @param argv the command line
     * @param directory where it runs (null: here)
     * @param environment variables added to the inherited environment
     */
    record Command(String name, List<String> argv, Path directory, Map<String, String> environment) {
        /** The command line as shown in the results (the class path elided). */
        String shown() {
            List<String> shown = new ArrayList<>();
            environment.forEach((k, v) -> shown.add(k + "=" + v));
            for (int i = 0; i < argv.size(); i++) {
                boolean classPath = i > 0 && argv.get(i - 1).equals("-cp");
                shown.add(classPath ? "CLASSPATH" : argv.get(i));
            }
            return (directory == null ? "" : "(cd " + directory + ") ") + String.join(" ", shown);
        }

        /**
         * Runs it once, its output to {@code work/out/NAME.json} and its messages to {@code work/logs/NAME.log};
         * returns the wall seconds from start to exit.
         *
         * @throws Harness.CheckFailed if it fails, runs over 60 minutes, or writes no output
         */
        double run(Path work, String name) throws IOException, InterruptedException {
            Path out = work.resolve("out").resolve(name + ".json");
            Path log = work.resolve("logs").resolve(name + ".log");
            Files.deleteIfExists(out);
            List<String> command = argv.stream().map(a -> a.equals("OUT") ? out.toString() : a).toList();
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.environment().putAll(environment);
            long t0 = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(60, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!done) {
                p.destroyForcibly();
                throw new Harness.CheckFailed(name + " did not finish in 60 minutes; see " + log);
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                throw new Harness.CheckFailed(name + " failed with status " + p.exitValue() + " (output "
                        + (Files.isRegularFile(out) ? "written" : "missing") + "); see " + log + ": "
                        + lastLines(log));
            }
            return seconds;
        }
    }

    private static String lastLines(Path log) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size()));
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return s;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String packageVersion(Path js, String name) {
        Path file = js.resolve("node_modules").resolve(name.replace('/', File.separatorChar))
                .resolve("package.json");
        try {
            return JSON.readTree(file.toFile()).path("version").asText("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... values) {
        System.out.println("processes: " + String.format(Locale.ROOT, format, values));
    }
}
