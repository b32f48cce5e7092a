package org.valueimprint.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.data.Side;
import org.valueimprint.eval.ClassMetrics;
import org.valueimprint.eval.Evaluation;
import org.valueimprint.eval.Evaluator;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.HtmlReport;
import org.valueimprint.report.MarkdownReport;
import org.valueimprint.report.MultiLabelAnalysis;
import org.valueimprint.report.ReportJson;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;
import org.valueimprint.train.ValueClassifierTrainers;

/**
 * A custom multi-label taxonomy end to end on the public API (the Java twin of
 * {@code examples/custom-multilabel/run.sh}): load the taxonomy from YAML, train a head on a few dozen labelled texts,
 * evaluate it on held-out texts, audit a small preference dataset and write its reports.
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
 *     org.valueimprint.examples.CustomTaxonomyExample examples/custom-multilabel target/custom-multilabel
 * </pre>
 */
public final class CustomTaxonomyExample {
    private CustomTaxonomyExample() {}

    /**
     * Arguments: the example's directory (with {@code taxonomy.yaml}, {@code train.jsonl}, {@code test.jsonl} and
     * {@code pairs.jsonl}), then the output directory (created; its files are replaced).
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/custom-multilabel");
        Path out = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/custom-multilabel"));

        // 1. The taxonomy, in the same file format as the built-in ones ("multi_label: true").
        ValueTaxonomy taxonomy = Taxonomies.load(dir.resolve("taxonomy.yaml"));

        // 2. Train: lines with "text" and "labels" (a list; [] for a text that carries none of the values).
        Path trainFile = dir.resolve("train.jsonl");
        List<GoldExample> train = GoldExamples.readAll(trainFile, taxonomy);
        TrainedModel model = ValueClassifierTrainers.train(
                TrainingRequest.of(train, taxonomy).withData(trainFile), line -> System.err.println("train: " + line));
        model.save(out.resolve("model"));   // later: value-imprint audit --model OUT/model INPUT...
        System.out.println("trained " + model.modelId() + ": " + model.facts());

        try (ValueClassifier classifier = model.classifier()) {
            // 3. Evaluate on texts the head never saw.
            Evaluation evaluation = Evaluator.builder().build().evaluate(classifier, dir.resolve("test.jsonl"));
            evaluation.writeJson(out.resolve("evaluation.json"));
            System.out.printf(Locale.ROOT, "held out: macro F1 %.3f, micro F1 %.3f, subset accuracy %.3f (n = %d)%n",
                    evaluation.macroF1(), evaluation.microF1(), evaluation.subsetAccuracy(), evaluation.n());
            for (ClassMetrics c : evaluation.perClass()) {
                System.out.printf(Locale.ROOT, "  %-10s F1 %.3f (support %d)%n", c.label(), c.f1(), c.support());
            }

            // 4. Audit: each value's share of the texts that carry it (shares do not sum to 1), per side.
            AuditReport report = ValueAuditor.builder(classifier).build().audit(dir.resolve("pairs.jsonl"));
            MultiLabelAnalysis carried = report.multiLabel().orElseThrow();
            for (Side side : List.of(Side.CHOSEN, Side.REJECTED)) {
                MultiLabelAnalysis.SideValues values = carried.side(side).orElseThrow();
                System.out.println(side + " (" + values.n() + " texts):");
                for (MultiLabelAnalysis.ValueCarried v : values.values()) {
                    System.out.printf(Locale.ROOT, "  %-10s %5.1f%% [%4.1f, %4.1f]%n", v.label(), 100 * v.share(),
                            100 * v.ciLow(), 100 * v.ciHigh());
                }
            }
            ReportJson.write(report, out.resolve("audit.json"));
            HtmlReport.write(report, out.resolve("audit.html"));
            MarkdownReport.write(report, out.resolve("audit.md"));
            System.out.println("wrote " + out.resolve("model") + ", evaluation.json, audit.json, audit.html and "
                    + "audit.md in " + out);
        }
    }
}
