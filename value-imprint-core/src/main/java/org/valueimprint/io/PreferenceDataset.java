package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.valueimprint.data.PreferenceRecord;

/**
 * The records of one or more files, read lazily and in order, one file open at a time. Obtained from
 * {@link PreferenceDatasets}. Not thread-safe: read it from one thread (an auditor hands records on to its workers).
 *
 * <p><b>Iterating more than once.</b> A dataset opened from files ({@link PreferenceDatasets#open(Path, ReadOptions)})
 * or from a stream supplier ({@link PreferenceDatasets#open(Supplier, String, ReadOptions)}) is re-iterable, as a Java
 * {@link Iterable} is expected to be: each {@link #iterator()} (each for-each loop, each {@link #stream()}) reads the
 * files again from the start, independently of any other. A dataset opened from an {@link InputStream}
 * ({@link PreferenceDatasets#open(InputStream, String, ReadOptions)}) cannot be read twice; its second iterator
 * throws {@link IllegalStateException} saying so ({@link #reiterable()} tells which kind a dataset is). After
 * {@link #close()} no iterator can be obtained.
 *
 * <p>{@link #stats()} tells what the latest iteration has read and skipped so far; {@link #formats()} the format of
 * each file opened so far, in the order the files were opened.
 *
 * <p>Iteration throws {@link DatasetReadException} (unchecked) for bad input under {@link ErrorPolicy#FAIL} and for
 * problems with a file itself under any policy.
 */
public final class PreferenceDataset implements Iterable<PreferenceRecord>, AutoCloseable {
    /** One file or stream to read, opened only when reached; {@code path} is null for a stream. */
    record Input(String file, String dataset, Supplier<InputStream> opener, Path path,
            Supplier<? extends RawSource> records) {
        Input(String file, String dataset, Supplier<InputStream> opener, Path path) {
            this(file, dataset, opener, path, null);
        }

        Input(String file, String dataset, Supplier<InputStream> opener) {
            this(file, dataset, opener, null, null);
        }
    }

    private final List<Input> inputs;
    private final ReadOptions options;
    private final boolean reiterable;
    private final Map<String, String> formats = new LinkedHashMap<>();
    private final Set<Pass> open = new LinkedHashSet<>();
    private Pass latest;
    private boolean iterated;
    private boolean closed;

    PreferenceDataset(List<Input> inputs, ReadOptions options, boolean reiterable) {
        this.inputs = List.copyOf(inputs);
        this.options = requireNonNull(options, "options");
        this.reiterable = reiterable;
    }

    /** The options of this read. */
    public ReadOptions options() {
        return options;
    }

    /** The files (or stream names) this dataset reads, in order. */
    public List<String> files() {
        return inputs.stream().map(Input::file).toList();
    }

    /**
     * Whether this dataset can be iterated more than once: true when opened from files or a stream supplier, false
     * when opened from an {@link InputStream}.
     */
    public boolean reiterable() {
        return reiterable;
    }

    /**
     * The format of each file opened so far (named, or detected from its first records), in the order the files were
     * opened; an unmodifiable copy.
     */
    public Map<String, String> formats() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(formats));
    }

    /**
     * What the latest iteration has read so far: records read, accepted, skipped (by reason) and produced. All zero
     * before the first iteration.
     */
    public ReadStats stats() {
        return latest == null ? new ReadCounters().snapshot() : latest.counters.snapshot();
    }

    /**
     * The records, in file order and record order within a file, read from the start (see the class comment for
     * which datasets can be iterated more than once).
     *
     * @throws IllegalStateException after {@link #close()}, or when a dataset opened from an {@link InputStream} is
     *     iterated a second time
     */
    @Override
    public Iterator<PreferenceRecord> iterator() {
        if (closed) {
            throw new IllegalStateException("this PreferenceDataset (" + String.join(", ", files())
                    + ") is closed; open it again");
        }
        if (iterated && !reiterable) {
            throw new IllegalStateException("a PreferenceDataset read from an InputStream (" + String.join(", ",
                    files()) + ") can be iterated only once: open it from a file, or with"
                    + " PreferenceDatasets.open(Supplier<InputStream>, name, options), to read it again");
        }
        iterated = true;
        Pass pass = new Pass();
        latest = pass;
        return pass;
    }

    /**
     * The records as a sequential stream, read from the start as by {@link #iterator()}; closing the stream closes
     * this dataset.
     *
     * @throws IllegalStateException as {@link #iterator()} does
     */
    public Stream<PreferenceRecord> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** One iteration: its own position, open file and counters. */
    private final class Pass implements Iterator<PreferenceRecord> {
        private final ReadCounters counters = new ReadCounters();
        private FileRecords current;
        private int nextInput;
        private boolean done;
        private PreferenceRecord next;

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public PreferenceRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            PreferenceRecord r = next;
            next = null;
            return r;
        }

        private PreferenceRecord advance() {
            while (!closed && !done) {
                if (current == null) {
                    if (nextInput >= inputs.size()) {
                        done = true;
                        return null;
                    }
                    Input input = inputs.get(nextInput++);
                    java.util.Optional<RawSource> container = input.records() != null
                            ? java.util.Optional.of(input.records().get())
                            : input.path() == null ? java.util.Optional.empty()
                            : ContainerProviders.open(input.path(), input.file(), options);
                    current = container.isPresent()
                            ? new FileRecords(container.get(), input.file(), input.dataset(), options, counters)
                            : new FileRecords(input.opener().get(), input.file(), input.dataset(), options,
                                    counters);
                    open.add(this);
                }
                PreferenceRecord r = current.next();
                if (current.format() != null) {
                    formats.putIfAbsent(inputs.get(nextInput - 1).file(), current.format().name());
                }
                if (r != null) {
                    return r;
                }
                closeFile();
            }
            return null;
        }

        void closeFile() {
            open.remove(this);
            if (current != null) {
                FileRecords c = current;
                current = null;
                c.close();
            }
        }
    }

    /** Closes the files being read, if any, and ends every iteration. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Pass p : List.copyOf(open)) {
            p.closeFile();
        }
    }

    static Supplier<InputStream> fileOpener(Path path) {
        return () -> {
            try {
                return Files.newInputStream(path);
            } catch (IOException e) {
                throw new DatasetReadException(ProblemKind.IO_ERROR, path.toString(), 0, -1,
                        "cannot open: " + Jackson.describe(e), e);
            }
        };
    }
}
