package org.valueimprint.onnx.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.HeadKind;
import org.valueimprint.train.TrainedModel;
import org.valueimprint.train.TrainingRequest;

/**
 * A tool, not a test: trains a bundle exactly as {@code value-imprint train} does (the same {@link TrainingRequest},
 * naming the data file, and the same trainer), reading gold lines with {@code id}, {@code text} and a {@code labels}
 * list (or a {@code label}) itself, so that a multi-label model can be rebuilt before the command line's gold reader
 * reads {@code labels} lists.
 *
 * <pre>
 * java -cp ... org.valueimprint.onnx.model.TrainBundle DATA.jsonl TAXONOMY(file or built-in id) ENCODER HEAD SEED OUT \
 *     [GROUP_FIELD]
 * </pre>
 */
public final class TrainBundle {
    private TrainBundle() {}

    /** Trains and saves; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        ValueTaxonomy taxonomy = Files.exists(Path.of(args[1])) ? Taxonomies.load(Path.of(args[1]))
                : Taxonomies.builtIn(args[1]);
        ObjectMapper json = new ObjectMapper();
        List<GoldExample> examples = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        int line = 0;
        for (String s : Files.readAllLines(data, StandardCharsets.UTF_8)) {
            line++;
            if (s.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(s);
            String id = n.has("id") ? n.get("id").asText() : "line-" + line;
            List<String> labels = new ArrayList<>();
            if (n.has("labels")) {
                n.get("labels").forEach(l -> labels.add(l.asText()));
            } else {
                labels.add(n.get("label").asText());
            }
            examples.add(new GoldExample(id, n.get("text").asText(), labels));
            if (args.length > 6) {
                groups.add(n.get(args[6]).asText());
            }
        }
        TrainingRequest request = new TrainingRequest(Optional.of(data), examples, taxonomy, Optional.of(args[2]),
                HeadKind.fromKey(args[3]), Long.parseLong(args[4]), groups);
        TrainedModel model = new OnnxClassifierTrainer().train(request, l -> System.err.println("train: " + l));
        model.save(Path.of(args[5]));
        System.out.println("trained " + model.modelId() + " into " + args[5] + " " + model.facts());
    }
}
