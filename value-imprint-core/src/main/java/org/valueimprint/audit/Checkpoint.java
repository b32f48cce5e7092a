package org.valueimprint.audit;

import static com.google.common.base.Preconditions.checkArgument;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.valueimprint.internal.OutputFiles;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * An audit's saved state: the accumulator, how many input records it holds (always a whole number of batches, or the
 * whole input), the fingerprints of the model, the options and the input it was made with, and how far each
 * prediction CSV of the audit had been written and forced to disk ({@link CsvState}). Written atomically (a
 * temporary file in the same directory, forced to disk, then moved over the old one with
 * {@link StandardCopyOption#ATOMIC_MOVE}), so a kill at any moment leaves either the old checkpoint or the new one.
 *
 * <p>Reading one validates it: its counts must add up (records consumed = audited + skipped, per source and side),
 * else it is refused naming the file. {@link #prepareDirectory} removes the temporary files of killed writes and
 * checks that the directory can be written, before anything is classified.
 */
final class Checkpoint {
    /** The checkpoint's file name inside the checkpoint directory. */
    static final String FILE_NAME = "audit-checkpoint.json";
    private static final String FORMAT = "value-imprint-checkpoint";
    private static final int FORMAT_VERSION = 2;
    private static final String TEMP_PREFIX = FILE_NAME + ".";
    private static final String TEMP_SUFFIX = ".tmp";

    /**
     * What a checkpoint was made with: the model and the input as descriptions for people, and the options that
     * decide the report by name (their SHA-256 fingerprints are saved beside them).
     */
    record Identity(String model, SortedMap<String, String> options, String input) {
        Identity {
            options = Collections.unmodifiableSortedMap(new TreeMap<>(options));
        }

        /** The options as one text, as the checkpoint saves them. */
        String optionsDescription() {
            return options.toString();
        }

        /**
         * Throws unless {@code current} matches: names what differs (the options by name), with both descriptions,
         * and how to start afresh.
         */
        void requireSame(Identity current, Path file) {
            check("model", model, current.model, file, "");
            check("options", optionsDescription(), current.optionsDescription(), file,
                    differingOptions(options, current.options));
            check("input", input, current.input, file, differingParts(input, current.input));
        }

        private static String differingOptions(Map<String, String> saved, Map<String, String> now) {
            Set<String> keys = new TreeSet<>(saved.keySet());
            keys.addAll(now.keySet());
            List<String> differ = new ArrayList<>();
            for (String k : keys) {
                if (!Objects.equals(saved.get(k), now.get(k))) {
                    differ.add(k);
                }
            }
            if (differ.size() > 1) {
                differ.remove(READ_OPTIONS); // its named parts say it better
            }
            StringBuilder sb = new StringBuilder();
            for (String k : differ) {
                sb.append(sb.length() == 0 ? "" : "; ").append(k).append(" was ")
                        .append(saved.getOrDefault(k, "(not set)")).append(", now ")
                        .append(now.getOrDefault(k, "(not set)"));
            }
            return sb.toString();
        }

        private static String differingParts(String saved, String now) {
            List<String> a = List.of(saved.split("; "));
            List<String> b = List.of(now.split("; "));
            List<String> differ = new ArrayList<>();
            for (String part : b) {
                if (!a.contains(part)) {
                    differ.add(part);
                }
            }
            return differ.isEmpty() ? "" : "now " + String.join("; ", differ);
        }

        private static void check(String what, String saved, String now, Path file, String summary) {
            if (!sha256(saved).equals(sha256(now))) {
                throw new CheckpointException("cannot resume from the checkpoint " + file + ": it was made with other "
                        + what + (summary.isEmpty() ? "" : " (" + summary + ")") + " (fingerprint "
                        + sha256(saved).substring(0, 12) + ", now " + sha256(now).substring(0, 12)
                        + ").\n  checkpoint: " + saved + "\n  this run:   " + now
                        + "\nDelete " + file + " or choose another checkpoint directory to start afresh.");
            }
        }
    }

    /** The identity option that holds every read option, whatever its name, beside the named ones. */
    static final String READ_OPTIONS = "read_options";

    /**
     * How far a prediction CSV of the audit is committed: its first {@code bytes} bytes, {@code rows} data rows,
     * were forced to disk when the checkpoint was written.
     *
     * @param file the CSV's final place, absolute and normalised
     * @param partial where it is written until the audit finishes, absolute and normalised
     * @param bytes the committed length in bytes, header included
     * @param rows the committed data rows
     */
    record CsvState(Path file, Path partial, long bytes, long rows) {}

    final Identity identity;
    final long recordsConsumed;
    final boolean complete;
    final AuditAccumulator accumulator;
    final List<CsvState> csvs;

    Checkpoint(Identity identity, long recordsConsumed, boolean complete, AuditAccumulator accumulator,
            List<CsvState> csvs) {
        this.identity = identity;
        this.recordsConsumed = recordsConsumed;
        this.complete = complete;
        this.accumulator = accumulator;
        this.csvs = List.copyOf(csvs);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The SHA-256 of a file's bytes, read as a stream.
     *
     * @throws IOException when the file cannot be read
     */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Makes the checkpoint directory ready before anything is classified: creates it, removes the temporary files
     * that killed checkpoint writes left ({@code audit-checkpoint.json.*.tmp}), and checks that a file can be made
     * in it.
     *
     * @throws CheckpointException naming the path when it is a file, or the directory cannot be made or written
     */
    static void prepareDirectory(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new CheckpointException("the checkpoint directory " + directory + " is a file, not a directory;"
                    + " --checkpoint names a directory");
        }
        Path file = directory.resolve(FILE_NAME);
        if (Files.isDirectory(file)) {
            throw new CheckpointException("the checkpoint " + file + " is a directory; remove it or choose another"
                    + " checkpoint directory");
        }
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> stray = Files.newDirectoryStream(directory, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
                for (Path p : stray) {
                    Files.deleteIfExists(p);
                }
            }
            Files.delete(Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX));
        } catch (IOException e) {
            throw new CheckpointException("cannot write the checkpoint directory " + directory + ": " + e, e);
        }
    }

    /** Writes this checkpoint to {@code file} atomically. */
    void write(Path file) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("format_version", FORMAT_VERSION);
        putIdentity(o, "model", identity.model());
        ObjectNode opts = putIdentity(o, "options", identity.optionsDescription());
        ObjectNode values = opts.putObject("values");
        identity.options().forEach(values::put);
        putIdentity(o, "input", identity.input());
        o.put("records_consumed", recordsConsumed);
        o.put("complete", complete);
        ArrayNode c = o.putArray("predictions_csv");
        for (CsvState s : csvs) {
            ObjectNode e = c.addObject();
            e.put("file", s.file().toString());
            e.put("partial", s.partial().toString());
            e.put("bytes", s.bytes());
            e.put("rows", s.rows());
        }
        o.set("accumulator", accumulator.toJsonTree());
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                Json.MAPPER.writeValue(OutputFiles.nonClosing(out), o);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException("cannot write the checkpoint " + file
                    + ": the file system does not support atomic moves", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: prepareDirectory removes it next time
                }
            }
        }
    }

    private static ObjectNode putIdentity(ObjectNode o, String field, String description) {
        ObjectNode i = o.putObject(field);
        i.put("fingerprint", sha256(description));
        i.put("description", description);
        return i;
    }

    /**
     * Reads the checkpoint at {@code file}, or empty when there is none.
     *
     * @throws CheckpointException when the file cannot be read, is inconsistent, or was made with another model,
     *     options or input than {@code current}
     */
    static Optional<Checkpoint> readIfExists(Path file, Identity current, ValueTaxonomy taxonomy) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode o = Json.MAPPER.readTree(file.toFile());
            if (o == null || !FORMAT.equals(o.path("format").asText())) {
                throw new CheckpointException("the file " + file + " is not an audit checkpoint; delete it or choose"
                        + " another checkpoint directory");
            }
            long version = Json.requireLong(o, "format_version");
            if (version != FORMAT_VERSION) {
                throw new CheckpointException("the checkpoint " + file + " has format version " + version
                        + ", which this library does not read (only " + FORMAT_VERSION + "); delete it to start"
                        + " afresh");
            }
            SortedMap<String, String> options = new TreeMap<>();
            Json.require(Json.require(o, "options"), "values").properties()
                    .forEach(e -> options.put(e.getKey(), e.getValue().asText()));
            Identity identity = new Identity(Json.requireText(Json.require(o, "model"), "description"),
                    options, Json.requireText(Json.require(o, "input"), "description"));
            if (!sha256(identity.optionsDescription()).equals(
                    Json.requireText(Json.require(o, "options"), "fingerprint"))) {
                throw new IllegalArgumentException("its options do not match their fingerprint");
            }
            identity.requireSame(current, file);
            List<CsvState> csvs = new ArrayList<>();
            for (JsonNode e : Json.require(o, "predictions_csv")) {
                csvs.add(new CsvState(Path.of(Json.requireText(e, "file")), Path.of(Json.requireText(e, "partial")),
                        Json.requireLong(e, "bytes"), Json.requireLong(e, "rows")));
            }
            Checkpoint c = new Checkpoint(identity, Json.requireLong(o, "records_consumed"),
                    Json.require(o, "complete").asBoolean(),
                    AuditAccumulator.fromJsonTree(Json.require(o, "accumulator"), taxonomy), csvs);
            c.validate();
            return Optional.of(c);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException("cannot read the checkpoint " + file + ": " + e.getMessage()
                    + "; delete it to start afresh", e);
        }
    }

    /**
     * Checks that the counts add up: records consumed = audited + skipped; the sources' audited records sum to the
     * audited records; on every source and side, texts + missing = the source's audited records, and the texts
     * counted per value plus the abstained ones = the texts; no count is negative; each CSV's rows are within what
     * the audited sides can give.
     *
     * @throws IllegalArgumentException naming the first count that does not add up
     */
    void validate() {
        checkArgument(recordsConsumed >= 0, "records_consumed is negative (%s)", recordsConsumed);
        long audited = accumulator.recordsAudited();
        long skipped = accumulator.recordsSkipped();
        checkArgument(audited >= 0 && skipped >= 0, "negative counts (audited %s, skipped %s)", audited, skipped);
        checkArgument(audited + skipped == recordsConsumed,
                "its counts do not add up: %s records consumed, but %s audited + %s skipped", recordsConsumed,
                audited, skipped);
        long bySource = 0;
        for (Map.Entry<String, SourceTally> e : accumulator.sourceTallies().entrySet()) {
            SourceTally t = e.getValue();
            checkArgument(t.recordsAudited >= 0, "source %s: negative records_audited", e.getKey());
            bySource += t.recordsAudited;
            for (Map.Entry<org.valueimprint.data.Side, SideTally> side : t.sides.entrySet()) {
                SideTally s = side.getValue();
                String where = "source " + e.getKey() + ", side " + side.getKey().key();
                checkArgument(s.n >= 0 && s.missing >= 0 && s.abstained >= 0 && s.lowConfidence >= 0
                        && s.truncated >= 0 && s.textChars >= 0, "%s: a negative count", where);
                checkArgument(s.n + s.missing == t.recordsAudited,
                        "%s: %s texts + %s missing do not make the source's %s audited records", where, s.n,
                        s.missing, t.recordsAudited);
                long counted = s.abstained;
                long top = 0;
                for (int i = 0; i < s.counts.length; i++) {
                    checkArgument(s.counts[i] >= 0 && s.topCounts[i] >= 0, "%s: a negative count", where);
                    counted += s.counts[i];
                    top += s.topCounts[i];
                }
                checkArgument(counted == s.n && top == s.n,
                        "%s: the values counted (%s with the abstained) and the top values (%s) do not make the %s"
                                + " texts", where, counted, top, s.n);
            }
        }
        checkArgument(bySource == audited, "the sources' audited records (%s) do not make the %s audited records",
                bySource, audited);
        for (CsvState s : csvs) {
            checkArgument(s.bytes() > 0 && s.rows() >= 0, "the predictions CSV %s has a negative length or row count",
                    s.file());
        }
    }
}
