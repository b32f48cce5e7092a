package org.valueimprint.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe output files: every writer of this library that writes a whole file at once ({@link ReportJson},
 * {@link HtmlReport}, {@link MarkdownReport}, {@link ComparisonJson}, the prediction CSV of an audit) writes it to a
 * temporary file in the target's own directory, forces it to disk, and then moves it over the target
 * ({@link StandardCopyOption#ATOMIC_MOVE}, or {@link StandardCopyOption#REPLACE_EXISTING} where the file system
 * cannot move atomically). A kill, a full disk or a failing writer therefore leaves either the old file or the new
 * one, never a truncated one; on failure the temporary file is removed.
 *
 * <p>Temporary files are named {@code .NAME.RANDOM.tmp} beside the target {@code NAME}.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /** Something that writes the content of a file to a stream, which it must not close. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the content.
         *
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code text} (UTF-8) to {@code target} atomically: see the class comment.
     *
     * @throws IOException when the file cannot be written; the target is then left as it was
     */
    public static void writeString(Path target, String text) throws IOException {
        requireNonNull(text, "text");
        write(target, out -> out.write(text.getBytes(UTF_8)));
    }

    /**
     * Writes what {@code body} writes to {@code target} atomically: see the class comment.
     *
     * @throws IOException when the file cannot be written or {@code body} fails; the target is then left as it was
     *     and no temporary file remains
     */
    public static void write(Path target, Body body) throws IOException {
        requireNonNull(target, "target");
        requireNonNull(body, "body");
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a directory");
        }
        Path temp = tempFile(target);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(
                        new NonClosing(Channels.newOutputStream(channel)), 1 << 16);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * A new, empty temporary file beside {@code target}, in the same directory (so that {@link #move} can be atomic),
     * named {@code .NAME.RANDOM.tmp}.
     *
     * @throws IOException when the file cannot be created (the directory is missing or not writable)
     */
    public static Path tempFile(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = absolute.getFileName() == null ? "output" : absolute.getFileName().toString();
        return Files.createTempFile(dir, "." + name + ".", ".tmp");
    }

    /**
     * Moves {@code source} over {@code target}: atomically where the file system can, else replacing it.
     *
     * @throws IOException when the move fails
     */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * A stream over {@code out} whose {@code close()} only flushes, so that a writer closing its stream (Jackson
     * does) does not close the channel before it is forced to disk.
     */
    public static OutputStream nonClosing(OutputStream out) {
        return new NonClosing(out);
    }

    /** Flushes instead of closing, so that a body closing its stream does not close the channel early. */
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
