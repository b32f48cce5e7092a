package org.valueimprint.io;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.valueimprint.data.PreferenceRecord;

/**
 * The records of one or more files, read lazily and in order, one file open at a time. Obtained from
 * {@link PreferenceDatasets}. It can be iterated once; {@link #stats()} tells at any time what has been read and
 * skipped. Not thread-safe: read it from one thread (an auditor hands records on to its workers).
 *
 * <p>Iteration throws {@link DatasetReadException} (unchecked) for bad input under {@link ErrorPolicy#FAIL} and for
 * problems with a file itself under any policy.
 */
public final class PreferenceDataset implements Iterable<PreferenceRecord>, AutoCloseable {
    /** One file or stream to read, opened only when reached; {@code path} is null for a stream. */
    record Input(String file, String dataset, Supplier<InputStream> opener, Path path) {
        Input(String file, String dataset, Supplier<InputStream> opener) {
            this(file, dataset, opener, null);
        }
    }

    private final List<Input> inputs;
    private final ReadOptions options;
    private final ReadCounters counters = new ReadCounters();
    private final Map<String, String> formats = new LinkedHashMap<>();
    private FileRecords current;
    private int nextInput;
    private boolean iterated;
    private boolean closed;

    PreferenceDataset(List<Input> inputs, ReadOptions options) {
        this.inputs = List.copyOf(inputs);
        this.options = requireNonNull(options, "options");
    }

    /** The options of this read. */
    public ReadOptions options() {
        return options;
    }

    /** The files (or stream names) this dataset reads, in order. */
    public List<String> files() {
        return inputs.stream().map(Input::file).toList();
    }

    /** The format of each file opened so far (named, or detected from its first records). */
    public Map<String, String> formats() {
        return Map.copyOf(formats);
    }

    /** What has been read so far: records read, accepted, skipped (by reason) and produced. */
    public ReadStats stats() {
        return counters.snapshot();
    }

    /**
     * The records, in file order and record order within a file.
     *
     * @throws IllegalStateException when called a second time or after {@link #close()}
     */
    @Override
    public Iterator<PreferenceRecord> iterator() {
        if (iterated || closed) {
            throw new IllegalStateException("a PreferenceDataset can be iterated only once; open it again");
        }
        iterated = true;
        return new Iterator<>() {
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
        };
    }

    /** The records as a sequential stream; closing the stream closes this dataset. */
    public Stream<PreferenceRecord> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    private PreferenceRecord advance() {
        while (!closed) {
            if (current == null) {
                if (nextInput >= inputs.size()) {
                    return null;
                }
                Input input = inputs.get(nextInput++);
                java.util.Optional<RawSource> container = input.path() == null ? java.util.Optional.empty()
                        : ContainerProviders.open(input.path(), input.file(), options);
                current = container.isPresent()
                        ? new FileRecords(container.get(), input.file(), input.dataset(), options, counters)
                        : new FileRecords(input.opener().get(), input.file(), input.dataset(), options, counters);
            }
            PreferenceRecord r = current.next();
            if (current.format() != null) {
                formats.putIfAbsent(inputs.get(nextInput - 1).file(), current.format().name());
            }
            if (r != null) {
                return r;
            }
            current.close();
            current = null;
        }
        return null;
    }

    /** Closes the file being read, if any. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (current != null) {
            FileRecords c = current;
            current = null;
            c.close();
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
