package org.valueimprint.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.internal.OutputFiles;

/**
 * A training run's whole state after a finished epoch, kept so that a killed run goes on with the next epoch and ends
 * with the weights of a run never stopped, bit for bit: the weights, the best epoch's weights, AdamW's moments and
 * step count, the step, the early-stopping bookkeeping and the epoch log (the order of the batches is replayed from
 * the seed). Two files: {@code NAME.json} (the scalars, what identifies the run, and the size and SHA-256 of the
 * tensors) and {@code NAME-epoch-E.bin} beside it (the tensors, {@link TensorFiles}). Each is written to a temporary
 * file and moved into place, the tensors first, so a kill at any moment leaves the previous epoch's state or this one.
 */
final class ResumeState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "value-imprint-fine-tune-resume/1";

    /**
     * The state after epoch {@code epoch}.
     *
     * @param identity what a run that may resume from this state must match (name to value)
     * @param best the best epoch's weights; the same map as {@code weights} when the best epoch is this one
     */
    record Snapshot(Map<String, String> identity, int epoch, int step, int skipped, double bestF1, int bestEpoch,
            boolean stop, List<String> history, Map<String, float[]> weights, Map<String, float[]> best,
            Map<String, float[]> adamFirst, Map<String, float[]> adamSecond, int adamSteps) {}

    private ResumeState() {}

    /** Writes {@code s} to {@code json} and its tensors beside it, then removes older epochs' tensors. */
    static void write(Path json, Snapshot s, Map<String, long[]> shapes) throws IOException {
        Path bin = tensorsFile(json, s.epoch());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        put(tensors, "w:", s.weights(), shapes);
        if (s.best() != s.weights()) {
            put(tensors, "best:", s.best(), shapes);
        }
        put(tensors, "m:", s.adamFirst(), shapes);
        put(tensors, "v:", s.adamSecond(), shapes);
        OutputFiles.write(bin, out -> TensorFiles.write(out, tensors));

        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode id = root.putObject("identity");
        s.identity().forEach(id::put);
        root.put("epoch", s.epoch());
        root.put("step", s.step());
        root.put("skipped_steps", s.skipped());
        root.put("best_f1", s.bestF1());
        root.put("best_epoch", s.bestEpoch());
        root.put("stopped", s.stop());
        root.put("adam_steps", s.adamSteps());
        root.putPOJO("history", s.history());
        root.put("tensors", bin.getFileName().toString());
        root.put("tensors_bytes", Files.size(bin));
        root.put("tensors_sha256", GoldExamples.sha256(bin));
        OutputFiles.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        for (Path old : tensorFiles(json)) {
            if (!old.equals(bin)) {
                Files.deleteIfExists(old);
            }
        }
    }

    /**
     * The state in {@code json}, if there is one.
     *
     * @throws IllegalStateException if the state is of another run (naming what differs), or damaged
     */
    static Optional<Snapshot> read(Path json, Map<String, String> identity) throws IOException {
        if (!Files.exists(json)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw damaged(json, "it is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw damaged(json, "it is not a fine-tuning resume state (format " + FORMAT + ")");
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> e : identity.entrySet()) {
            String saved = root.path("identity").path(e.getKey()).asText(null);
            if (!e.getValue().equals(saved)) {
                differences.add(e.getKey() + " (" + saved + " there, " + e.getValue() + " now)");
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the resume state " + json + " is of another training run: its "
                    + String.join("; ", differences) + " differ. Delete " + json
                    + " to start this run over, or train into another --out");
        }
        Path bin = json.resolveSibling(root.path("tensors").asText(""));
        if (!bin.getParent().equals(json.getParent()) || !Files.isRegularFile(bin)) {
            throw damaged(json, "its tensors " + bin.getFileName() + " are missing");
        }
        if (Files.size(bin) != root.path("tensors_bytes").asLong(-1)
                || !GoldExamples.sha256(bin).equals(root.path("tensors_sha256").asText())) {
            throw damaged(json, "its tensors " + bin + " are not the ones it recorded (size or SHA-256)");
        }
        Map<String, Tensor> tensors = TensorFiles.read(bin);
        Map<String, float[]> weights = take(tensors, "w:");
        Map<String, float[]> best = take(tensors, "best:");
        List<String> history = new ArrayList<>();
        root.path("history").forEach(h -> history.add(h.asText()));
        return Optional.of(new Snapshot(identity, root.path("epoch").asInt(), root.path("step").asInt(),
                root.path("skipped_steps").asInt(), root.path("best_f1").asDouble(), root.path("best_epoch").asInt(),
                root.path("stopped").asBoolean(), history, weights, best.isEmpty() ? weights : best,
                take(tensors, "m:"), take(tensors, "v:"), root.path("adam_steps").asInt()));
    }

    /** Removes the state in {@code json} and its tensors (after the run's results are written). */
    static void delete(Path json) throws IOException {
        for (Path bin : tensorFiles(json)) {
            Files.deleteIfExists(bin);
        }
        Files.deleteIfExists(json);
    }

    /** The hex SHA-256 of {@code text} (UTF-8), for the identity of large inputs. */
    static String digest(String text) {
        return HexFormat.of().formatHex(messageDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hex SHA-256 of float arrays (their bits, in map order), for the identity of weights and caches. */
    static String digest(Iterable<float[]> arrays) {
        MessageDigest md = messageDigest();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
        for (float[] a : arrays) {
            buffer.putInt(a.length);
            for (float x : a) {
                if (buffer.remaining() < Float.BYTES) {
                    md.update(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putFloat(x);
            }
            if (buffer.remaining() < Integer.BYTES) {
                md.update(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
        md.update(buffer.array(), 0, buffer.position());
        return HexFormat.of().formatHex(md.digest());
    }

    private static Path tensorsFile(Path json, int epoch) {
        return json.resolveSibling(stem(json) + "-epoch-" + epoch + ".bin");
    }

    /** The state's tensor files, and the temporary files a killed write left beside {@code json}. */
    private static List<Path> tensorFiles(Path json) throws IOException {
        List<Path> out = new ArrayList<>();
        Path dir = json.toAbsolutePath().getParent();
        if (Files.isDirectory(dir)) {
            // OutputFiles names its temporary files .NAME.RANDOM.tmp: a killed write leaves one behind
            String stem = stem(json);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                    "{" + stem + "-epoch-*.bin," + "." + stem + "-epoch-*.tmp," + "." + stem + ".json.*.tmp}")) {
                files.forEach(p -> out.add(json.resolveSibling(p.getFileName())));
            }
        }
        return out;
    }

    private static String stem(Path json) {
        return json.getFileName().toString().replaceFirst("\\.json$", "");
    }

    private static void put(Map<String, Tensor> out, String prefix, Map<String, float[]> values,
            Map<String, long[]> shapes) {
        values.forEach((name, data) -> out.put(prefix + name, new Tensor(prefix + name, shapes.get(name), data)));
    }

    private static Map<String, float[]> take(Map<String, Tensor> tensors, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), t.data());
            }
        });
        return out;
    }

    private static IllegalStateException damaged(Path json, String why) {
        return new IllegalStateException("the resume state " + json + " is damaged: " + why + ". Delete " + json
                + " to start this run over");
    }

    private static MessageDigest messageDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
