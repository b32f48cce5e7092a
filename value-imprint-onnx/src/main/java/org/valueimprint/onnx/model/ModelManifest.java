package org.valueimprint.onnx.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.ModelException;

/**
 * The {@code manifest.json} of a model bundle: what the model predicts, which encoder and head it is made of (with
 * their SHA-256 so that a head is never used on another encoder), how it was trained, and how it is known to
 * confuse values.
 *
 * <pre>{@code
 * {"format": "value-imprint-model/1", "model_id": "value-imprint-default-1", "description": "...",
 *  "taxonomy": {"id": "value-imprint", "version": "1.0"}, "labels": ["Well-being/Peace", ...],
 *  "encoder": {"name": "all-minilm-l6-v2-q", "sha256": "...", "pooling": "MEAN", "max_length": 256,
 *              "text_prefix": "",
 *              "patch": {"file": "encoder.patch", "sha256": "...", "base_sha256": "..."}},   // optional
 *  "head": {"file": "head.bin", "sha256": "...", "kind": "SOFTMAX", "temperature": 1.31},
 *  "text_chars": 1200,
 *  "training": {"corpus_sha256": "...", "examples": "7195", "seed": "42", "cv_macro_f1": "0.74", ...},
 *  "known_confusion": {"labels": [...], "counts": [[...], ...], "source": "5-fold CV ..."}}
 * }</pre>
 *
 * @param modelId a stable identifier, reported in provenance
 * @param description one line for people
 * @param taxonomyId the id of the taxonomy the head predicts ({@code taxonomy.json} in the bundle)
 * @param taxonomyVersion its version
 * @param labels the head's output order: the taxonomy's labels
 * @param encoder the encoder
 * @param head the head
 * @param textChars the character budget texts were cut to for training (0: none); audits use the same
 * @param training how the model was trained (free-form facts: corpus checksum and size, seed, date, metrics)
 * @param knownConfusion out-of-fold confusion counts, when measured
 */
public record ModelManifest(
        String modelId,
        String description,
        String taxonomyId,
        String taxonomyVersion,
        List<String> labels,
        EncoderRef encoder,
        HeadRef head,
        int textChars,
        Map<String, String> training,
        Optional<KnownConfusion> knownConfusion) {

    /** The format this library writes and reads. */
    public static final String FORMAT = "value-imprint-model/1";
    /** The manifest's file name in a bundle. */
    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Validates and copies the components. */
    public ModelManifest {
        requireNonNull(modelId, "modelId");
        requireNonNull(description, "description");
        requireNonNull(taxonomyId, "taxonomyId");
        requireNonNull(taxonomyVersion, "taxonomyVersion");
        labels = List.copyOf(labels);
        requireNonNull(encoder, "encoder");
        requireNonNull(head, "head");
        training = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(training));
        requireNonNull(knownConfusion, "knownConfusion");
    }

    /**
     * The encoder a head was trained on.
     *
     * @param name a known Maven-jar encoder name ({@code all-minilm-l6-v2-q}, ...), or empty when the bundle
     *     carries the encoder's files in {@code encoder/}
     * @param sha256 the SHA-256 of the encoder's {@code model.onnx}
     * @param pooling MEAN or CLS
     * @param maxLength the maximum tokens per text
     * @param textPrefix the prefix put before every text (e5's {@code "query: "}), or empty
     * @param patch a weight patch applied to the named (or bundled) encoder before it is loaded; {@code sha256} is
     *     then the SHA-256 of the patched model
     */
    public record EncoderRef(String name, String sha256, String pooling, int maxLength, String textPrefix,
            Optional<PatchRef> patch) {
        /** Validates the components. */
        public EncoderRef {
            requireNonNull(name, "name");
            requireNonNull(sha256, "sha256");
            requireNonNull(pooling, "pooling");
            requireNonNull(textPrefix, "textPrefix");
            requireNonNull(patch, "patch");
        }

        /** An encoder without a weight patch. */
        public EncoderRef(String name, String sha256, String pooling, int maxLength, String textPrefix) {
            this(name, sha256, pooling, maxLength, textPrefix, Optional.empty());
        }
    }

    /**
     * A weight patch of the encoder ({@link org.valueimprint.onnx.patch.WeightPatch}).
     *
     * @param file the patch file in the bundle
     * @param sha256 the SHA-256 of the patch file
     * @param baseSha256 the SHA-256 of the base model it applies to
     */
    public record PatchRef(String file, String sha256, String baseSha256) {
        /** Validates the components. */
        public PatchRef {
            requireNonNull(file, "file");
            requireNonNull(sha256, "sha256");
            requireNonNull(baseSha256, "baseSha256");
        }
    }

    /**
     * The head.
     *
     * @param file the head file in the bundle
     * @param sha256 the SHA-256 of the head file
     * @param kind SOFTMAX or MLP
     * @param temperature the fitted temperature (also stored in the head file)
     */
    public record HeadRef(String file, String sha256, String kind, double temperature) {
        /** Validates the components. */
        public HeadRef {
            requireNonNull(file, "file");
            requireNonNull(sha256, "sha256");
            requireNonNull(kind, "kind");
        }
    }

    /** The manifest as JSON. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("model_id", modelId);
        root.put("description", description);
        ObjectNode taxonomy = root.putObject("taxonomy");
        taxonomy.put("id", taxonomyId);
        taxonomy.put("version", taxonomyVersion);
        ArrayNode labelArray = root.putArray("labels");
        labels.forEach(labelArray::add);
        ObjectNode e = root.putObject("encoder");
        e.put("name", encoder.name());
        e.put("sha256", encoder.sha256());
        e.put("pooling", encoder.pooling());
        e.put("max_length", encoder.maxLength());
        e.put("text_prefix", encoder.textPrefix());
        encoder.patch().ifPresent(p -> {
            ObjectNode patch = e.putObject("patch");
            patch.put("file", p.file());
            patch.put("sha256", p.sha256());
            patch.put("base_sha256", p.baseSha256());
        });
        ObjectNode h = root.putObject("head");
        h.put("file", head.file());
        h.put("sha256", head.sha256());
        h.put("kind", head.kind());
        h.put("temperature", head.temperature());
        root.put("text_chars", textChars);
        ObjectNode t = root.putObject("training");
        training.forEach(t::put);
        knownConfusion.ifPresent(c -> {
            ObjectNode k = root.putObject("known_confusion");
            ArrayNode l = k.putArray("labels");
            c.labels().forEach(l::add);
            ArrayNode rows = k.putArray("counts");
            for (long[] row : c.counts()) {
                ArrayNode r = rows.addArray();
                for (long v : row) {
                    r.add(v);
                }
            }
            k.put("source", c.source());
        });
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e1) {
            throw new IllegalStateException(e1);
        }
    }

    /**
     * Reads a manifest.
     *
     * @param where the manifest's location, for messages
     * @throws ModelException when it is not valid JSON, is of another format, or misses a field
     */
    public static ModelManifest fromJson(String json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelException(where + ": not a valid model manifest: " + e.getMessage(), e);
        }
        String format = text(root, "format", where);
        if (!FORMAT.equals(format)) {
            throw new ModelException(where + ": model format \"" + format + "\" is not supported; this library reads "
                    + FORMAT);
        }
        List<String> labels = new ArrayList<>();
        node(root, "labels", where).forEach(n -> labels.add(n.asText()));
        JsonNode e = node(root, "encoder", where);
        JsonNode h = node(root, "head", where);
        JsonNode t = node(root, "taxonomy", where);
        Map<String, String> training = new LinkedHashMap<>();
        JsonNode tr = root.path("training");
        tr.fieldNames().forEachRemaining(k -> training.put(k, tr.get(k).asText()));
        Optional<KnownConfusion> confusion = Optional.empty();
        JsonNode k = root.get("known_confusion");
        if (k != null && !k.isNull()) {
            List<String> cl = new ArrayList<>();
            node(k, "labels", where).forEach(n -> cl.add(n.asText()));
            JsonNode rows = node(k, "counts", where);
            long[][] counts = new long[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                counts[i] = new long[rows.get(i).size()];
                for (int j = 0; j < counts[i].length; j++) {
                    counts[i][j] = rows.get(i).get(j).asLong();
                }
            }
            try {
                confusion = Optional.of(new KnownConfusion(cl, counts, text(k, "source", where)));
            } catch (IllegalArgumentException ex) {
                throw new ModelException(where + ": invalid known_confusion: " + ex.getMessage(), ex);
            }
        }
        return new ModelManifest(
                text(root, "model_id", where),
                root.path("description").asText(""),
                text(t, "id", where),
                text(t, "version", where),
                labels,
                new EncoderRef(e.path("name").asText(""), text(e, "sha256", where), text(e, "pooling", where),
                        node(e, "max_length", where).asInt(), e.path("text_prefix").asText(""), patch(e, where)),
                new HeadRef(text(h, "file", where), text(h, "sha256", where), text(h, "kind", where),
                        node(h, "temperature", where).asDouble()),
                root.path("text_chars").asInt(0),
                training,
                confusion);
    }

    private static Optional<PatchRef> patch(JsonNode encoder, String where) {
        JsonNode p = encoder.get("patch");
        if (p == null || p.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new PatchRef(text(p, "file", where), text(p, "sha256", where),
                text(p, "base_sha256", where)));
    }

    private static JsonNode node(JsonNode parent, String field, String where) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw new ModelException(where + ": the model manifest misses \"" + field + "\"");
        }
        return n;
    }

    private static String text(JsonNode parent, String field, String where) {
        return node(parent, field, where).asText();
    }
}
