package org.valueimprint.onnx.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.valueimprint.classify.ModelException;

/**
 * What this library reads of a Hugging Face {@code config.json}: the labels in output order ({@code id2label}), whether
 * the model is multi-label ({@code problem_type}), and its architecture for provenance.
 *
 * @param labels the label of each output, index = id
 * @param multiLabel {@code problem_type} is {@code multi_label_classification}
 * @param architecture {@code architectures[0]}, else {@code model_type}, else empty
 */
record HfConfig(List<String> labels, boolean multiLabel, String architecture) {
    static final String MULTI_LABEL = "multi_label_classification";
    static final String SINGLE_LABEL = "single_label_classification";

    HfConfig {
        labels = List.copyOf(labels);
    }

    /**
     * Reads {@code file}.
     *
     * @throws ModelException when it is missing, is not JSON, has no {@code id2label} object, its ids are not
     *     0 .. n-1 each once, a label is blank, or {@code problem_type} is neither classification type
     */
    static HfConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("no " + file.getFileName() + " in " + file.getParent() + ": a Hugging Face"
                    + " sequence-classification export needs config.json (with id2label), model.onnx and"
                    + " tokenizer.json");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(file + " is not a JSON object");
        }
        JsonNode id2label = root.get("id2label");
        if (id2label == null || !id2label.isObject() || id2label.isEmpty()) {
            throw new ModelException(file + " has no id2label object: it does not say what the model's outputs are");
        }
        String[] labels = new String[id2label.size()];
        for (Map.Entry<String, JsonNode> f : id2label.properties()) {
            int id;
            try {
                id = Integer.parseInt(f.getKey().strip());
            } catch (NumberFormatException e) {
                throw new ModelException(file + ": id2label key \"" + f.getKey() + "\" is not an integer id", e);
            }
            if (id < 0 || id >= labels.length || labels[id] != null) {
                throw new ModelException(file + ": id2label must number its " + labels.length + " labels 0 to "
                        + (labels.length - 1) + " once each; found id " + id + " in " + id2label);
            }
            String label = f.getValue().asText("");
            if (!f.getValue().isValueNode() || label.isBlank()) {
                throw new ModelException(file + ": id2label gives id " + id + " no label");
            }
            labels[id] = label;
        }
        JsonNode problem = root.get("problem_type");
        boolean multiLabel = false;
        if (problem != null && !problem.isNull()) {
            String p = problem.asText();
            if (p.equals(MULTI_LABEL)) {
                multiLabel = true;
            } else if (!p.equals(SINGLE_LABEL)) {
                throw new ModelException(file + ": problem_type \"" + p + "\" is not a classification; expected "
                        + SINGLE_LABEL + " or " + MULTI_LABEL);
            }
        }
        String architecture = "";
        JsonNode architectures = root.get("architectures");
        if (architectures != null && architectures.isArray() && !architectures.isEmpty()) {
            architecture = architectures.get(0).asText("");
        } else if (root.hasNonNull("model_type")) {
            architecture = root.get("model_type").asText("");
        }
        return new HfConfig(new ArrayList<>(Arrays.asList(labels)), multiLabel, architecture);
    }

    /** Whether {@code file} is a JSON object with a non-empty {@code id2label} object; never throws. */
    static boolean hasLabels(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode id2label = root == null ? null : root.get("id2label");
            return id2label != null && id2label.isObject() && !id2label.isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
