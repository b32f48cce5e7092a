package org.valueimprint.onnx.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.ModelException;
import org.valueimprint.train.HeadKind;

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
 *  "head": {"file": "head.bin", "sha256": "...", "kind": "SOFTMAX", "temperature": 1.31,
 *           "thresholds": {"Achievement": 0.27, ...}},                                      // multi-label only
 *  "text_chars": 1200,
 *  "training": {"corpus_sha256": "...", "examples": "7195", "seed": "42", "cv_macro_f1": "0.74", ...},
 *  "known_confusion": {"labels": [...], "counts": [[...], ...], "source": "5-fold CV ..."}}
 * }</pre>
 *
 * <p>Reading is defensive, since a bundle may come from anywhere: {@link #fromJson} checks every field's type and
 * value, the file names it takes ({@code head.file}, {@code encoder.patch.file}) must be relative paths that stay
 * inside the bundle, and the loader refuses symbolic links that lead out of the bundle and files larger than the cap
 * of their kind ({@link #MAX_MANIFEST_BYTES}, {@link #MAX_TAXONOMY_BYTES}, {@link #MAX_HEAD_BYTES},
 * {@link #MAX_PATCH_BYTES}; 2 GB for an encoder's {@code model.onnx}) before reading them. Each refusal is a
 * {@link ModelException} of one line naming the manifest (or file) and the field.
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
    /** The largest {@code max_length} (tokens per text) a manifest may state. */
    public static final int MAX_MAX_LENGTH = 1 << 16;
    /** The largest manifest read, in bytes (4 MiB). */
    public static final long MAX_MANIFEST_BYTES = 4L << 20;
    /** The largest {@code taxonomy.json} read from a bundle, in bytes (4 MiB). */
    public static final long MAX_TAXONOMY_BYTES = 4L << 20;
    /** The largest head file read, in bytes (64 MiB; the bundled heads are 11 KB and 400 KB). */
    public static final long MAX_HEAD_BYTES = 64L << 20;
    /** The largest encoder weight patch read, in bytes (1 GiB; the bundled ones are 10.8 MB and 7.2 MB). */
    public static final long MAX_PATCH_BYTES = 1L << 30;

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
     * A weight patch of the encoder ({@link org.valueimprint.onnx.internal.patch.WeightPatch}).
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
     * @param thresholds a multi-label head's decision threshold per label, in (0, 1], chosen by cross-validation
     *     (the classifier selects a value when its probability reaches its threshold); empty for a single-label
     *     head, and for bundles written before multi-label heads, which then use the prediction policy's thresholds.
     *     Written as {@code "thresholds": {"label": t, ...}} in the {@code head} object, in label order; copied
     */
    public record HeadRef(String file, String sha256, String kind, double temperature,
            Map<String, Double> thresholds) {
        /** Validates and copies the components. */
        public HeadRef {
            requireNonNull(file, "file");
            requireNonNull(sha256, "sha256");
            requireNonNull(kind, "kind");
            thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
            thresholds.forEach((label, t) -> {
                if (!(t > 0 && t <= 1)) {
                    throw new IllegalArgumentException("the threshold of " + label + " must be in (0, 1], was " + t);
                }
            });
        }

        /** A head without decision thresholds (single-label). */
        public HeadRef(String file, String sha256, String kind, double temperature) {
            this(file, sha256, kind, temperature, Map.of());
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
        if (!head.thresholds().isEmpty()) {
            ObjectNode th = h.putObject("thresholds");
            head.thresholds().forEach(th::put);
        }
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
     * Reads a manifest, checking every field's type and value: a missing field, a field of the wrong JSON type, an
     * unknown pooling or head kind, a maximum length outside [1, {@value #MAX_MAX_LENGTH}], a temperature that is not
     * a positive finite number, a negative {@code text_chars}, a SHA-256 that is not 64 hexadecimal digits, or a file
     * name that is absolute or leaves the bundle ({@code ..}) is refused with one line naming the manifest and the
     * field.
     *
     * @param where the manifest's location, for messages
     * @throws ModelException when it is not valid JSON, is of another format, or a field is missing or invalid
     */
    public static ModelManifest fromJson(String json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelException(where + ": not a valid model manifest: " + e.getMessage(), e);
        }
        Fields f = new Fields(where);
        if (root == null || !root.isObject()) {
            throw new ModelException(where + ": not a valid model manifest: not a JSON object");
        }
        String format = f.text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new ModelException(where + ": model format \"" + format + "\" is not supported; this library reads "
                    + FORMAT);
        }
        List<String> labels = f.texts(root, "labels");
        if (labels.isEmpty()) {
            throw f.invalid("labels", "must name at least one label");
        }
        JsonNode e = f.object(root, "encoder");
        JsonNode h = f.object(root, "head");
        JsonNode t = f.object(root, "taxonomy");
        Map<String, String> training = new LinkedHashMap<>();
        JsonNode tr = root.get("training");
        if (tr != null && !tr.isNull()) {
            if (!tr.isObject()) {
                throw f.invalid("training", "must be an object, was " + tr.getNodeType().name().toLowerCase());
            }
            tr.fieldNames().forEachRemaining(k -> {
                JsonNode v = tr.get(k);
                if (!v.isValueNode()) {
                    throw f.invalid("training." + k, "must be a string or number, was "
                            + v.getNodeType().name().toLowerCase());
                }
                training.put(k, v.asText());
            });
        }
        Optional<KnownConfusion> confusion = Optional.empty();
        JsonNode k = root.get("known_confusion");
        if (k != null && !k.isNull()) {
            f.prefix = "known_confusion.";
            if (!k.isObject()) {
                throw f.invalid("", "must be an object");
            }
            List<String> cl = f.texts(k, "labels");
            JsonNode rows = f.node(k, "counts");
            if (!rows.isArray()) {
                throw f.invalid("counts", "must be an array of arrays of counts");
            }
            long[][] counts = new long[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                JsonNode row = rows.get(i);
                if (!row.isArray()) {
                    throw f.invalid("counts[" + i + "]", "must be an array of counts");
                }
                counts[i] = new long[row.size()];
                for (int j = 0; j < counts[i].length; j++) {
                    JsonNode c = row.get(j);
                    if (!c.isIntegralNumber() || !c.canConvertToLong() || c.longValue() < 0) {
                        throw f.invalid("counts[" + i + "][" + j + "]", "must be a count (an integer >= 0), was " + c);
                    }
                    counts[i][j] = c.longValue();
                }
            }
            String source = f.text(k, "source");
            f.prefix = "";
            try {
                confusion = Optional.of(new KnownConfusion(cl, counts, source));
            } catch (IllegalArgumentException ex) {
                throw new ModelException(where + ": invalid known_confusion: " + ex.getMessage(), ex);
            }
        }
        f.prefix = "taxonomy.";
        String taxonomyId = f.text(t, "id");
        String taxonomyVersion = f.text(t, "version");
        f.prefix = "encoder.";
        String name = f.optionalText(e, "name", "");
        String encoderSha = f.sha256(e, "sha256");
        String pooling = f.text(e, "pooling");
        if (!pooling.equals("MEAN") && !pooling.equals("CLS")) {
            throw f.invalid("pooling", "must be MEAN or CLS, was \"" + pooling + "\"");
        }
        int maxLength = f.integer(e, "max_length", 1, MAX_MAX_LENGTH);
        String prefix = f.optionalText(e, "text_prefix", "");
        Optional<PatchRef> patch = Optional.empty();
        JsonNode p = e.get("patch");
        if (p != null && !p.isNull()) {
            f.prefix = "encoder.patch.";
            if (!p.isObject()) {
                throw f.invalid("", "must be an object");
            }
            patch = Optional.of(new PatchRef(f.file(p, "file"), f.sha256(p, "sha256"), f.sha256(p, "base_sha256")));
        }
        f.prefix = "head.";
        String headFile = f.file(h, "file");
        String headSha = f.sha256(h, "sha256");
        String kind = f.text(h, "kind");
        if (Arrays.stream(HeadKind.values()).noneMatch(v -> v.name().equals(kind))) {
            throw f.invalid("kind", "must be one of " + Arrays.toString(HeadKind.values()) + ", was \"" + kind
                    + "\"");
        }
        double temperature = f.number(h, "temperature");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw f.invalid("temperature", "must be a positive number, was " + h.get("temperature"));
        }
        Map<String, Double> thresholds = new LinkedHashMap<>();
        JsonNode th = h.get("thresholds");
        if (th != null && !th.isNull()) {
            if (!th.isObject()) {
                throw f.invalid("thresholds", "must be an object of label: threshold, was " + th.getNodeType());
            }
            for (var it = th.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!labels.contains(entry.getKey())) {
                    throw f.invalid("thresholds." + entry.getKey(), "is not one of the manifest's labels");
                }
                JsonNode v = entry.getValue();
                if (!v.isNumber() || !(v.doubleValue() > 0 && v.doubleValue() <= 1)) {
                    throw f.invalid("thresholds." + entry.getKey(), "must be a number in (0, 1], was " + v);
                }
                thresholds.put(entry.getKey(), v.doubleValue());
            }
        }
        f.prefix = "";
        int textChars = root.has("text_chars") && !root.get("text_chars").isNull()
                ? f.integer(root, "text_chars", 0, Integer.MAX_VALUE) : 0;
        return new ModelManifest(
                f.text(root, "model_id"),
                f.optionalText(root, "description", ""),
                taxonomyId,
                taxonomyVersion,
                labels,
                new EncoderRef(name, encoderSha, pooling, maxLength, prefix, patch),
                new HeadRef(headFile, headSha, kind, temperature, thresholds),
                textChars,
                training,
                confusion);
    }

    /**
     * Checks a file name from a manifest: relative, made of plain names separated by {@code /}, and not leaving the
     * bundle ({@code ..}), so that it can only name a file inside the bundle.
     *
     * @return the name, normalised ({@code ./} segments removed)
     * @throws IllegalArgumentException saying what is wrong
     */
    static String checkFileName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("must name a file, was empty");
        }
        if (name.startsWith("/") || name.startsWith("\\") || name.contains("\\") || name.indexOf(':') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("must be a relative path inside the bundle, was \"" + name + "\"");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("must stay inside the bundle, was \"" + name + "\"");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("must name a file, was \"" + name + "\"");
        }
        return String.join("/", parts);
    }

    /** Typed access to a manifest's fields; every failure is one line naming the manifest and the field. */
    private static final class Fields {
        private final String where;
        String prefix = "";

        Fields(String where) {
            this.where = where;
        }

        ModelException invalid(String field, String problem) {
            String name = (prefix + field).replaceAll("\\.$", "");
            return new ModelException(where + ": the model manifest's \"" + name + "\" " + problem);
        }

        JsonNode node(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull()) {
                throw new ModelException(where + ": the model manifest misses \"" + prefix + field + "\"");
            }
            return n;
        }

        JsonNode object(JsonNode parent, String field) {
            JsonNode n = node(parent, field);
            if (!n.isObject()) {
                throw invalid(field, "must be an object, was " + type(n));
            }
            return n;
        }

        String text(JsonNode parent, String field) {
            JsonNode n = node(parent, field);
            if (!n.isTextual()) {
                throw invalid(field, "must be a string, was " + type(n) + " " + n);
            }
            return n.textValue();
        }

        String optionalText(JsonNode parent, String field, String absent) {
            JsonNode n = parent.get(field);
            return n == null || n.isNull() ? absent : text(parent, field);
        }

        List<String> texts(JsonNode parent, String field) {
            JsonNode n = node(parent, field);
            if (!n.isArray()) {
                throw invalid(field, "must be an array of strings, was " + type(n));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                if (!n.get(i).isTextual()) {
                    throw invalid(field + "[" + i + "]", "must be a string, was " + type(n.get(i)) + " " + n.get(i));
                }
                out.add(n.get(i).textValue());
            }
            return out;
        }

        int integer(JsonNode parent, String field, int min, int max) {
            JsonNode n = node(parent, field);
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
                throw invalid(field, "must be an integer in [" + min + ", " + max + "], was " + n);
            }
            return n.intValue();
        }

        double number(JsonNode parent, String field) {
            JsonNode n = node(parent, field);
            if (!n.isNumber()) {
                throw invalid(field, "must be a number, was " + type(n) + " " + n);
            }
            return n.doubleValue();
        }

        String sha256(JsonNode parent, String field) {
            String v = text(parent, field);
            if (!v.matches("[0-9a-f]{64}")) {
                throw invalid(field, "must be a SHA-256 (64 lower-case hexadecimal digits), was \""
                        + (v.length() > 80 ? v.substring(0, 80) + "..." : v) + "\"");
            }
            return v;
        }

        String file(JsonNode parent, String field) {
            String v = text(parent, field);
            try {
                return checkFileName(v);
            } catch (IllegalArgumentException e) {
                throw invalid(field, e.getMessage());
            }
        }

        private static String type(JsonNode n) {
            return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
