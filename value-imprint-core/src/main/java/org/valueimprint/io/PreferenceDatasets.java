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
import java.util.function.Supplier;
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
 *
 * <p>Parquet files ({@code .parquet}, such as the Hugging Face Hub's {@code data/train-00000-of-00002.parquet}
 * shards) are read when the module {@code value-imprint-parquet} is on the class path (see {@link
 * ContainerProvider}): each row becomes the JSON-shaped record its format reads. Without it, a Parquet file is an
 * error that says so.
 */
public final class PreferenceDatasets {
    /** The extensions of the files a directory read takes, before any {@code .gz}. */
    public static final Set<String> DATA_EXTENSIONS = Set.of("json", "jsonl", "ndjson", "csv", "tsv", "parquet");

    /** A Hub split written as one shard: {@code test-00000-of-00001}. */
    private static final java.util.regex.Pattern HUB_SINGLE_SHARD = java.util.regex.Pattern.compile("(.+)-00000-of-00001");

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
                        PreferenceDataset.fileOpener(f), f));
            }
        } else {
            inputs.add(new PreferenceDataset.Input(path.toString(), datasetName(path, options),
                    PreferenceDataset.fileOpener(path), path));
        }
        return new PreferenceDataset(inputs, options, true);
    }

    /**
     * Reads a stream: plain or gzip, JSON Lines or a JSON array ({@code name} ending in {@code .csv} or {@code .tsv}
     * selects CSV/TSV). The dataset takes ownership of the stream and closes it. A stream can be read once, so the
     * dataset can be iterated once (see {@link PreferenceDataset}); use {@link #open(Supplier, String, ReadOptions)}
     * for a dataset that can be read again.
     *
     * @param name the name used in records' sources and in error messages
     * @throws NullPointerException if an argument is null
     */
    public static PreferenceDataset open(InputStream in, String name, ReadOptions options) {
        requireNonNull(in, "in");
        requireNonNull(name, "name");
        requireNonNull(options, "options");
        if (name.toLowerCase(Locale.ROOT).endsWith("." + ContainerProviders.PARQUET)) {
            try {
                in.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            throw new DatasetReadException(ProblemKind.UNKNOWN_FORMAT, name, 0, -1,
                    "a Parquet file cannot be read from a stream: open it by its path", null);
        }
        String dataset = options.datasetName().orElse(stem(fileName(name)));
        return new PreferenceDataset(List.of(new PreferenceDataset.Input(name, dataset, () -> in)), options, false);
    }

    /**
     * Reads streams opened on demand, as {@link #open(InputStream, String, ReadOptions)} reads one: {@code opener}
     * is called once per iteration of the dataset, which can therefore be iterated any number of times. Each stream
     * is closed when its iteration ends or the dataset is closed.
     *
     * @param opener opens the data from its start; an {@link java.io.UncheckedIOException} it throws (or a null
     *     stream) fails the iteration with a {@link DatasetReadException} naming {@code name}
     * @param name the name used in records' sources and in error messages
     * @throws NullPointerException if an argument is null
     */
    public static PreferenceDataset open(Supplier<? extends InputStream> opener, String name, ReadOptions options) {
        requireNonNull(opener, "opener");
        requireNonNull(name, "name");
        requireNonNull(options, "options");
        String dataset = options.datasetName().orElse(stem(fileName(name)));
        Supplier<InputStream> checked = () -> {
            InputStream in;
            try {
                in = opener.get();
            } catch (java.io.UncheckedIOException e) {
                throw new DatasetReadException(ProblemKind.IO_ERROR, name, 0, -1,
                        "cannot open: " + Jackson.describe(e.getCause()), e);
            }
            if (in == null) {
                throw new DatasetReadException(ProblemKind.IO_ERROR, name, 0, -1, "cannot open: the opener gave null",
                        null);
            }
            return in;
        };
        return new PreferenceDataset(List.of(new PreferenceDataset.Input(name, dataset, checked)), options, true);
    }

    /**
     * Reads source records that something else has already parsed into the JSON shape the formats read (such as the
     * rows of an Apache Spark table, see {@code value-imprint-spark}): the named or detected format, its validation,
     * the error policy and the accounting are those of a file, with {@link RawRecord#index()} as the record's
     * position (its default identifier is {@code dataset:index}) and {@link RawSource#position} naming it in
     * messages. {@code opener} is called once per iteration, so the dataset can be iterated again when it gives the
     * same records each time. The source is closed when its iteration ends or the dataset is closed.
     *
     * @param opener gives the records from the start
     * @param name the name used in records' sources and in error messages
     * @throws NullPointerException if an argument is null
     */
    public static PreferenceDataset openRecords(Supplier<? extends RawSource> opener, String name,
            ReadOptions options) {
        requireNonNull(opener, "opener");
        requireNonNull(name, "name");
        requireNonNull(options, "options");
        String dataset = options.datasetName().orElse(stem(fileName(name)));
        return new PreferenceDataset(List.of(new PreferenceDataset.Input(name, dataset, null, null,
                () -> requireNonNull(opener.get(), "the opener of " + name + " gave null"))), options, true);
    }

    /**
     * The containers that can be read now, for listings: the built-in ones, then those of the {@link
     * ContainerProvider}s on the class path with their extensions (for example {@code "Parquet (.parquet)"}).
     */
    public static List<String> containers() {
        List<String> out = new ArrayList<>(List.of("JSON Lines", "JSON array", "CSV/TSV (each plain or gzip)"));
        for (ContainerProvider p : ContainerProviders.all()) {
            out.add(p.name() + " (" + p.extensions().stream().sorted().map(e -> "." + e)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        return out;
    }

    /**
     * The data files under a directory, recursively, in order of their relative paths: regular, non-hidden files
     * whose extension (before any {@code .gz}) is one of {@link #DATA_EXTENSIONS}.
     */
    public static List<Path> dataFiles(Path directory) {
        requireNonNull(directory, "directory");
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
     * {@code harmless-base/test}; {@code politune-left.first600.json} gives {@code politune-left.first600}). A Hub
     * split written as a single shard is named after its split, and a Hub {@code data} folder after its parent
     * ({@code hh-rlhf/harmless-base/test-00000-of-00001.parquet} gives {@code harmless-base/test}); the shards of a
     * split written as several keep their shard numbers, so that record ids stay unique.
     */
    public static String datasetName(Path file, ReadOptions options) {
        requireNonNull(file, "file");
        requireNonNull(options, "options");
        if (options.datasetName().isPresent()) {
            return options.datasetName().get();
        }
        String stem = stem(file.getFileName().toString());
        java.util.regex.Matcher shard = HUB_SINGLE_SHARD.matcher(stem);
        if (shard.matches()) {
            stem = shard.group(1); // the one shard of a Hub split is the whole split
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("data")
                && parent.getParent() != null) {
            parent = parent.getParent(); // the Hub's <dataset>/data/<split>-00000-of-00001.parquet
        }
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
