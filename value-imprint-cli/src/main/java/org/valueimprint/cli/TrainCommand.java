package org.valueimprint.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.valueimprint.classify.ClassifierSpec;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValueClassifiers;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.HeadKind;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;
import org.valueimprint.train.ValueClassifierTrainer;
import org.valueimprint.train.ValueClassifierTrainers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code value-imprint train}: trains a classifier on labelled texts and writes a model bundle that {@code --model}
 * loads. The data is read and checked here (a bad line is bad input, exit code 3, naming the file and line, and so is
 * a request that {@link TrainingRequest} or the trainer refuses); the training itself is done in memory by the first
 * {@link ValueClassifierTrainer} that {@link ValueClassifierTrainers} finds for the request, the
 * {@link TrainedModel} is saved into {@code --out}, and the bundle is then loaded back through
 * {@link ValueClassifiers} to prove it usable (exit code 4 when it is not, or when no trainer handles the request).
 */
@Command(name = "train", sortOptions = false,
        description = {"Train a classifier on labelled texts and write a model bundle usable by --model.",
            "Data lines carry 'text' and 'label', as the annotated corpus "
                + "examples/data/annotations/value-imprint-annotations.jsonl does."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "FILE.jsonl", required = true,
            description = "Labelled texts: JSON Lines with 'text' and 'label' (plain or gzip).")
    Path data;

    @Option(names = "--taxonomy", paramLabel = "FILE|ID",
            description = "The taxonomy to predict, JSON or YAML, or a built-in one by id: value-imprint, valueeval"
                    + " (default: the built-in Value Imprint taxonomy).")
    Path taxonomy;

    @Option(names = "--encoder", paramLabel = "NAME|DIR",
            description = "The text encoder: a known name (such as all-minilm-l6-v2-q) or a directory with "
                    + "model.onnx and tokenizer.json (default: the trainer's default).")
    String encoder;

    @Option(names = "--head", paramLabel = "softmax|mlp", defaultValue = "softmax",
            description = "The head on the embeddings: softmax (logistic regression, the default) or mlp.")
    String head;

    @Option(names = "--group-field", paramLabel = "FIELD",
            description = "A field of every data line naming its group (such as its topic); cross-validation then keeps"
                    + " each group in one fold, so scores, calibration and thresholds are those of unseen groups.")
    String groupField;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "The random seed (default 42).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "The directory to write the model bundle into (new or empty).")
    Path out;

    @Option(names = "--overwrite", description = "Write into --out even when it is not empty.")
    boolean overwrite;

    @Option(names = "--quiet", description = "Print no training progress on standard error.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        HeadKind headKind = head();
        List<Path> read = new java.util.ArrayList<>(List.of(data));
        boolean builtInTaxonomy = taxonomy != null && !Files.exists(taxonomy)
                && Taxonomies.BUILT_IN_IDS.contains(taxonomy.toString());
        if (taxonomy != null && !builtInTaxonomy) {
            read.add(taxonomy);
        }
        if (encoder != null && Files.exists(Path.of(encoder))) {
            read.add(Path.of(encoder));
        }
        OutputPaths.refuseOverlap(read, java.util.Map.of(out, "--out"), true);
        checkOut();
        ValueTaxonomy t = taxonomy == null ? ValueTaxonomy.valueImprint()
                : builtInTaxonomy ? Taxonomies.builtIn(taxonomy.toString()) : Taxonomies.load(taxonomy);
        if (!Files.isRegularFile(data)) {
            throw new BadInputException("--data " + data + ": no such file");
        }
        List<GoldExample> examples = GoldExamples.readAll(data, t);
        if (examples.isEmpty()) {
            throw new BadInputException(data + " holds no example");
        }
        TrainingRequest request;
        try {
            request = new TrainingRequest(Optional.of(data), examples, t, Optional.ofNullable(encoder), headKind, seed,
                    groupField == null ? List.of() : groups(examples));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("cannot train on " + data + ": " + e.getMessage(), e);
        }
        ValueClassifierTrainer trainer = ValueClassifierTrainers.forRequest(request);
        PrintWriter err = spec.commandLine().getErr();
        TrainedModel result;
        try {
            result = trainer.train(request, line -> {
                if (!quiet) {
                    err.println("train: " + line);
                    err.flush();
                }
            });
        } catch (IllegalArgumentException e) {
            throw new BadInputException("cannot train on " + data + ": " + e.getMessage(), e);
        }
        result.save(out);
        try (ValueClassifier check = ValueClassifiers.load(ClassifierSpec.of(out))) {
            if (!check.taxonomy().equals(t)) {
                throw new ModelException("the bundle written to " + out + " predicts the taxonomy "
                        + check.taxonomy().id() + " " + check.taxonomy().version() + ", not " + t.id() + " "
                        + t.version());
            }
        } catch (ModelException e) {
            throw new ModelException("the trainer " + trainer.name() + " wrote a bundle to " + out
                    + " that cannot be loaded: " + e.getMessage(), e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "trained %s (%s, %s head, %d examples, taxonomy %s %s) into %s%n", result.modelId(),
                trainer.name(), headKind.key(), examples.size(), t.id(), t.version(), out);
        result.facts().forEach((k, v) -> w.printf(Locale.ROOT, "  %s: %s%n", k, v));
        w.printf("use it with: value-imprint audit --model %s INPUT...%n", out);
        w.flush();
        return ValueImprintCommand.OK;
    }

    private HeadKind head() {
        try {
            return HeadKind.fromKey(head);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--head must be softmax or mlp, was \"" + head + "\"");
        }
    }

    private void checkOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is a file, not a directory");
        }
        if (Files.isDirectory(out) && !overwrite) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new ParameterException(spec.commandLine(), "--out " + out + " is not empty; choose a new "
                            + "directory or add --overwrite");
                }
            }
        }
    }

    /**
     * The {@code --group-field} value of each example, in order: read from the data lines, which are matched to the
     * examples by id (an example without an {@code id} field is {@code line-N}, as the gold reader names it).
     *
     * @throws BadInputException naming the file and line when a line lacks the field or it is not a string or number
     */
    private List<String> groups(List<GoldExample> examples) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, String> byId = new java.util.HashMap<>();
        byte[] bytes = Files.readAllBytes(data);
        java.io.InputStream in = new java.io.ByteArrayInputStream(bytes);
        if (bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            in = new java.util.zip.GZIPInputStream(in);
        }
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                java.nio.charset.StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode node = json.readTree(line.startsWith("\uFEFF")
                        ? line.substring(1) : line);
                com.fasterxml.jackson.databind.JsonNode g = node.get(groupField);
                if (g == null || !g.isValueNode() || g.isNull()) {
                    throw new BadInputException(data + ", line " + n + ": --group-field \"" + groupField
                            + "\" is missing or not a string or number");
                }
                com.fasterxml.jackson.databind.JsonNode id = node.get("id");
                byId.put(id == null || id.isNull() ? "line-" + n : id.asText(), g.asText());
            }
        }
        List<String> out = new java.util.ArrayList<>(examples.size());
        for (GoldExample e : examples) {
            out.add(byId.get(e.id()));
        }
        return out;
    }
}
