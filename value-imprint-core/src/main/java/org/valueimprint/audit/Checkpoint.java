package org.valueimprint.audit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * An audit's saved state: the accumulator, how many input records it holds (always a whole number of batches, or the
 * whole input), and the fingerprints of the model, the options and the input it was made with. Written atomically
 * (a temporary file in the same directory, forced to disk, then moved over the old one with
 * {@link StandardCopyOption#ATOMIC_MOVE}), so a kill at any moment leaves either the old checkpoint or the new one.
 */
final class Checkpoint {
    /** The checkpoint's file name inside the checkpoint directory. */
    static final String FILE_NAME = "audit-checkpoint.json";
    private static final String FORMAT = "value-imprint-checkpoint";
    private static final int FORMAT_VERSION = 1;

    /** What a checkpoint was made with, as descriptions for people and their SHA-256 fingerprints. */
    record Identity(String model, String options, String input) {
        /**
         * Throws unless {@code current} matches: names what differs, with both descriptions, and how to start
         * afresh.
         */
        void requireSame(Identity current, Path file) {
            check("model", model, current.model, file);
            check("options", options, current.options, file);
            check("input", input, current.input, file);
        }

        private static void check(String what, String saved, String now, Path file) {
            if (!sha256(saved).equals(sha256(now))) {
                throw new CheckpointException("cannot resume from the checkpoint " + file + ": it was made with other "
                        + what + " (fingerprint " + sha256(saved).substring(0, 12) + ", now "
                        + sha256(now).substring(0, 12) + ").\n  checkpoint: " + saved + "\n  this run:   " + now
                        + "\nDelete " + file + " or choose another checkpoint directory to start afresh.");
            }
        }
    }

    final Identity identity;
    final long recordsConsumed;
    final boolean complete;
    final AuditAccumulator accumulator;

    Checkpoint(Identity identity, long recordsConsumed, boolean complete, AuditAccumulator accumulator) {
        this.identity = identity;
        this.recordsConsumed = recordsConsumed;
        this.complete = complete;
        this.accumulator = accumulator;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Writes this checkpoint to {@code file} atomically. */
    void write(Path file) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("format_version", FORMAT_VERSION);
        putIdentity(o, "model", identity.model());
        putIdentity(o, "options", identity.options());
        putIdentity(o, "input", identity.input());
        o.put("records_consumed", recordsConsumed);
        o.put("complete", complete);
        o.set("accumulator", accumulator.toJsonTree());
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, FILE_NAME + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                Json.MAPPER.writeValue(new NonClosing(out), o);
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
                    // best effort: a stray temporary file is harmless
                }
            }
        }
    }

    private static void putIdentity(ObjectNode o, String field, String description) {
        ObjectNode i = o.putObject(field);
        i.put("fingerprint", sha256(description));
        i.put("description", description);
    }

    /**
     * Reads the checkpoint at {@code file}, or empty when there is none.
     *
     * @throws CheckpointException when the file cannot be read or was made with another model, options or input
     *     than {@code current}
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
            Identity identity = new Identity(Json.requireText(Json.require(o, "model"), "description"),
                    Json.requireText(Json.require(o, "options"), "description"),
                    Json.requireText(Json.require(o, "input"), "description"));
            identity.requireSame(current, file);
            return Optional.of(new Checkpoint(identity, Json.requireLong(o, "records_consumed"),
                    Json.require(o, "complete").asBoolean(),
                    AuditAccumulator.fromJsonTree(Json.require(o, "accumulator"), taxonomy)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException("cannot read the checkpoint " + file + ": " + e.getMessage()
                    + "; delete it to start afresh", e);
        }
    }

    /** Keeps the channel open until the checkpoint is forced to disk. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
