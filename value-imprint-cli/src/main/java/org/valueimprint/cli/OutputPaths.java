package org.valueimprint.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks on the files a command writes, made before anything is opened for writing or classified.
 *
 * <ul>
 *   <li>{@link #refuseOverlap}: no output is an input, lies inside an input directory (it would be read as input, or
 *       replace it), or is another output under a second name. Paths are compared as real paths: symbolic links
 *       resolved ({@link Path#toRealPath}) for the part that exists, the rest normalised, so {@code ./in.csv}, an
 *       absolute path and a link to the file are the same file.</li>
 *   <li>{@link #requireWritable}: the output is not a directory or another non-regular file, and a file can be
 *       created in its directory.</li>
 * </ul>
 * Both end the command with an {@link OutputException}: exit code {@value ValueImprintCommand#USAGE} and one line
 * naming the option and the file.
 */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * The real path of {@code path}: {@link Path#toRealPath} of its longest existing part (links resolved), then the
     * rest of its names, normalised.
     */
    static Path real(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Deque<Path> rest = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null) {
            try {
                Path resolved = existing.toRealPath();
                for (Path name : rest) {
                    resolved = resolved.resolve(name);
                }
                return resolved.normalize();
            } catch (IOException e) {
                if (existing.getFileName() != null) {
                    rest.addFirst(existing.getFileName());
                }
                existing = existing.getParent();
            }
        }
        return absolute;
    }

    /**
     * Refuses outputs that would destroy or feed an input, or collide with each other.
     *
     * @param inputs the files and directories the command reads
     * @param outputs each output with the option that names it, such as {@code --out}
     * @param inputsInsideOutputs whether an input inside an output (a directory the command fills) is refused too
     * @throws OutputException naming the option, the output and the input
     */
    static void refuseOverlap(List<Path> inputs, Map<Path, String> outputs, boolean inputsInsideOutputs) {
        Map<Path, Path> realOutputs = new LinkedHashMap<>();
        for (Map.Entry<Path, String> o : outputs.entrySet()) {
            Path out = real(o.getKey());
            String option = o.getValue();
            Path before = realOutputs.put(out, o.getKey());
            if (before != null && !before.equals(o.getKey())) {
                throw new OutputException(option + " " + o.getKey() + " is the same file as " + before
                        + ": give each output once");
            }
            for (Path input : inputs) {
                Path in = real(input);
                if (out.equals(in)) {
                    throw new OutputException(option + " " + o.getKey() + " is the input " + input
                            + ": writing it would destroy the data; choose another file");
                }
                if (Files.isDirectory(in) && out.startsWith(in)) {
                    throw new OutputException(option + " " + o.getKey() + " lies inside the input directory "
                            + input + ", whose files are read as input; write it elsewhere");
                }
                if (inputsInsideOutputs && in.startsWith(out)) {
                    throw new OutputException(option + " " + o.getKey() + " holds the input " + input
                            + ", which writing it could replace; write it elsewhere");
                }
            }
        }
    }

    /**
     * Checks that {@code file} can be written, before the command does its work: it is not a directory or another
     * non-regular file, and its (existing) directory accepts a new file.
     *
     * @throws OutputException naming the option and the file otherwise
     */
    static void requireWritable(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new OutputException("cannot write " + file + " (" + option + "): it is a directory");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new OutputException("cannot write " + file + " (" + option + "): it is not a regular file");
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.delete(Files.createTempFile(dir, ".value-imprint-check.", ".tmp"));
        } catch (IOException e) {
            throw new OutputException("cannot write " + file + " (" + option + "): its directory " + dir
                    + " does not accept new files (" + e + ")");
        }
    }
}
