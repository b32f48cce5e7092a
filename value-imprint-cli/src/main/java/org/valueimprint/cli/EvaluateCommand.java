package org.valueimprint.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.onnx.model.OnnxClassifierProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code value-imprint evaluate}: classifies the texts of a gold file and compares the predictions with its labels.
 * Prints accuracy, macro F1, weighted F1 and the per-value table ({@link Evaluation#toTable()}); {@code --out}
 * writes {@link Evaluation#toJson()}, whose keys include {@code n}, {@code accuracy}, {@code macro_f1},
 * {@code weighted_f1}, {@code per_class} (label to {@code precision}, {@code recall}, {@code f1}, {@code support})
 * and {@code confusion} ({@code labels}, {@code matrix} with gold rows and predicted columns, {@code abstained}).
 * For a multi-label model the gold lines carry {@code labels} lists and the JSON adds {@code micro_f1},
 * {@code subset_accuracy}, {@code label_cardinality} and the rest described in {@link Evaluation}.
 */
@Command(name = "evaluate", sortOptions = false,
        description = {"Evaluate a model against gold labels: accuracy, macro F1, weighted F1 and per-value "
                + "precision, recall and F1.",
            "Gold lines carry 'text' and 'label' (a value's label or id), as the annotated corpus "
                + "examples/data/annotations/value-imprint-annotations.jsonl does; for a multi-label taxonomy, "
                + "'labels' (a list), and the table adds micro F1, subset accuracy and label cardinality."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--gold", paramLabel = "FILE.jsonl", required = true,
            description = "The gold file: JSON Lines with 'text' and 'label' (or 'labels', a list; plain or gzip).")
    Path gold;

    @Mixin
    ModelOptions model;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Write the evaluation as JSON to FILE.json.")
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
            description = "Texts per classifier call (default 256).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N",
            description = "Batches classified at the same time (default: the available processors); each runs ONNX"
                    + " Runtime on one thread unless --model-option threads=N says otherwise, as audit does. Never"
                    + " changes the evaluation.")
    Integer threads;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "1000",
            description = "Bootstrap resamples for the macro F1 interval (default 1000; 0 for none).")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "The seed of the bootstrap (default 42).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (out != null) {
            List<Path> read = model.model == null ? List.of(gold) : List.of(gold, model.model);
            OutputPaths.refuseOverlap(read, Map.of(out, "--out"), false);
            OutputKind.of(out, EnumSet.of(OutputKind.JSON), spec.commandLine(), "--out");
            OutputPaths.requireWritable(out, "--out");
        }
        if (batchSize <= 0) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be positive, was " + batchSize);
        }
        if (bootstrap < 0) {
            throw new ParameterException(spec.commandLine(), "--bootstrap must be >= 0, was " + bootstrap);
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers <= 0 || workers > AuditCommand.maxThreads()) {
            throw new ParameterException(spec.commandLine(), "--threads must be in [1, " + AuditCommand.maxThreads()
                    + "], was " + workers);
        }
        model.classifierSpec();
        if (!Files.isRegularFile(gold)) {
            throw new BadInputException("--gold " + gold + ": no such file");
        }
        Evaluator evaluator = Evaluator.builder().batchSize(batchSize).bootstrapResamples(bootstrap).seed(seed)
                .threads(workers).build();
        Evaluation evaluation;
        try (ValueClassifier classifier = model.load(workers > 1
                ? Map.of(OnnxClassifierProvider.THREADS_OPTION, "1") : Map.of())) {
            try {
                evaluation = evaluator.evaluate(classifier, gold);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(gold + ": " + e.getMessage(), e);
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.print(evaluation.toTable());
        w.flush();
        if (out != null) {
            try {
                evaluation.writeJson(out);
            } catch (java.io.IOException e) {
                throw new OutputException(out, e);
            }
            spec.commandLine().getErr().println("wrote " + out + " (JSON)");
        }
        return ValueImprintCommand.OK;
    }
}
