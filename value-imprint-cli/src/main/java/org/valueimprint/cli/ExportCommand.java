package org.valueimprint.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.valueimprint.classify.ModelException;
import org.valueimprint.onnx.export.OnnxExport;
import org.valueimprint.onnx.model.OnnxValueClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code value-imprint export}: writes a model bundle (or the default model) as one standalone ONNX file, with the
 * bundle's encoder weight patch applied: by default encoder, pooling and head fused into one graph that outputs
 * probabilities; with {@code --encoder-only} the (patched) encoder alone.
 */
@Command(name = "export", description = "Write a model bundle as one standalone ONNX file (weight patch applied).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "The model bundle (default: the built-in model).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path out;

    @Option(names = "--encoder-only", description = "Write the encoder alone, without pooling and head.")
    boolean encoderOnly;

    @Option(names = "--logits", description = "End the fused graph with the tempered logits, not probabilities.")
    boolean logits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (model != null && !Files.isRegularFile(model.resolve("manifest.json"))) {
            throw new ModelException(model + " is not a model bundle: it has no manifest.json");
        }
        if (model != null) {
            OutputPaths.refuseOverlap(List.of(model), Map.of(out, "--out"), false);
        }
        try (OnnxValueClassifier classifier = model == null ? OnnxValueClassifier.loadDefault()
                : OnnxValueClassifier.load(model)) {
            if (encoderOnly) {
                OnnxExport.exportEncoder(classifier, out);
            } else {
                OnnxExport.export(classifier, out, logits ? OnnxExport.Output.LOGITS : OnnxExport.Output.PROBABILITIES);
            }
            spec.commandLine().getOut().println("wrote " + out + " (" + classifier.manifest().modelId() + ")");
        }
        return ValueImprintCommand.OK;
    }
}
