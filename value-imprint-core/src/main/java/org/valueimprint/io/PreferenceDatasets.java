package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens preference datasets: a file, a directory of files, or a stream.
 *
 * <pre>{@code
 * ReadOptions options = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
 * try (PreferenceDataset dataset = PreferenceDatasets.open(Path.of("hh-rlhf"), options)) {
 *     long pairs = dataset.stream().filter(r -> r instanceof PreferencePair).count();
 *     System.out.println(pairs + " pairs; " + dataset.stats().skippedByReason());
 * }
 * }</pre>
 *
 * <p>Files are plain or gzip (told by magic bytes; a file named {@code .gz} that is not gzip, an empty one
 * included, is refused), UTF-8 text (a UTF-8 byte order mark is dropped; UTF-16 and UTF-32 are refused, as is any
 * NUL byte among the first bytes), in one of three containers: CSV/TSV or JSON Lines
 * when the name's extension (before any {@code .gz}) says so ({@code .csv}, {@code .tsv}, {@code .jsonl},
 * {@code .ndjson}), otherwise a JSON array when the first non-blank character is {@code [}, else JSON Lines.
 * The {@link DatasetFormat format} is named in the options, or detected per file from its first records.
 */
public final class PreferenceDatasets {
    /** The extensions of the files a directory read takes, before any {@code .gz}. */
    public static final Set<String> DATA_EXTENSIONS = Set.of("json", "jsonl", "ndjson", "csv", "tsv");

    private static final Set<String> SPLIT_NAMES = Set.of("train", "test", "validation", "valid", "dev", "eval");

    private PreferenceDatasets() {}

    /** Opens a file or directory with the default options (format detected, fail on the first bad record). */
    public static PreferenceDataset open(Path path) {
        return open(path, ReadOptions.defaults());
    }

    /**
     * Opens a file, or a directory: every data file in it and its subdirectories ({@link #dataFiles(Path)}), in
     * name order. Nothing is read until the dataset is iterated.
     *
     * @throws DatasetReadException when the path does not exist or a directory holds no data file
     */
    public static PreferenceDataset open(Path path, ReadOptions options) {
        requireNonNull(path, "path");
        requireNonNull(options, "options");
        if (!Files.exists(path)) {
            throw new DatasetReadException(ProblemKind.IO_ERROR, path.toString(), 0, -1, "no such file or directory",
                    null);
        }
        List<PreferenceDataset.Input> inputs = new ArrayList<>();
        if (Files.isDirectory(path)) {
            List<Path> files = dataFiles(path);
            if (files.isEmpty()) {
                throw new DatasetReadException(ProblemKind.IO_ERROR, path.toString(), 0, -1,
                        "the directory holds no data file (" + String.join(", ", DATA_EXTENSIONS.stream().sorted()
                                .toList()) + ", optionally gzipped)", null);
            }
            for (Path f : files) {
                inputs.add(new PreferenceDataset.Input(f.toString(), datasetName(f, options),
                        PreferenceDataset.fileOpener(f)));
            }
        } else {
            inputs.add(new PreferenceDataset.Input(path.toString(), datasetName(path, options),
                    PreferenceDataset.fileOpener(path)));
        }
        return new PreferenceDataset(inputs, options);
    }

    /**
     * Reads a stream: plain or gzip, JSON Lines or a JSON array ({@code name} ending in {@code .csv} or {@code .tsv}
     * selects CSV/TSV). The dataset takes ownership of the stream and closes it.
     *
     * @param name the name used in records' sources and in error messages
     */
    public static PreferenceDataset open(InputStream in, String name, ReadOptions options) {
        requireNonNull(in, "in");
        requireNonNull(name, "name");
        String dataset = options.datasetName().orElse(stem(fileName(name)));
        return new PreferenceDataset(List.of(new PreferenceDataset.Input(name, dataset, () -> in)), options);
    }

    /**
     * The data files under a directory, recursively, in order of their relative paths: regular, non-hidden files
     * whose extension (before any {@code .gz}) is one of {@link #DATA_EXTENSIONS}.
     */
    public static List<Path> dataFiles(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(directory.relativize(p)))
                    .filter(p -> DATA_EXTENSIONS.contains(extension(p.getFileName().toString())))
                    .sorted(Comparator.comparing(p -> directory.relativize(p).toString()))
                    .toList();
        } catch (IOException e) {
            throw new DatasetReadException(ProblemKind.IO_ERROR, directory.toString(), 0, -1,
                    "cannot list: " + Jackson.describe(e), e);
        }
    }

    /**
     * The dataset name of a file when the options give none: the file name without its extensions, prefixed with
     * the parent directory's name when the file is named after a split ({@code harmless-base/test.jsonl.gz} gives
     * {@code harmless-base/test}; {@code politune-left.first600.json} gives {@code politune-left.first600}).
     */
    public static String datasetName(Path file, ReadOptions options) {
        if (options.datasetName().isPresent()) {
            return options.datasetName().get();
        }
        String stem = stem(file.getFileName().toString());
        Path parent = file.toAbsolutePath().getParent();
        if (SPLIT_NAMES.contains(stem.toLowerCase(Locale.ROOT)) && parent != null && parent.getFileName() != null) {
            return parent.getFileName() + "/" + stem;
        }
        return stem;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String fileName(String name) {
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(slash + 1);
    }

    /** The extension before any {@code .gz}, lower-case, without the dot. */
    private static String extension(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }

    /** The name without {@code .gz} and without its data extension. */
    private static String stem(String fileName) {
        String n = fileName;
        if (n.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        int dot = n.lastIndexOf('.');
        if (dot > 0 && DATA_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            n = n.substring(0, dot);
        }
        return n;
    }
}
