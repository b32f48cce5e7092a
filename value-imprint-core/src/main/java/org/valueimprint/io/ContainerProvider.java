package org.valueimprint.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a container that the core does not read itself, such as Parquet (module {@code value-imprint-parquet}),
 * into the same {@link RawRecord}s that JSON Lines gives: the formats, their validation, the error policy and the
 * accounting then work unchanged. Found with {@link java.util.ServiceLoader} (through the thread's context class
 * loader and the library's own), from {@code META-INF/services/org.valueimprint.io.ContainerProvider}; a file is
 * given to the provider that claims its extension.
 */
public interface ContainerProvider {
    /** The container's name for messages, for example {@code "Parquet"}. */
    String name();

    /** The file name extensions this provider reads, lower-case and without the dot, for example {@code parquet}. */
    Set<String> extensions();

    /**
     * Opens a file. Problems with the file itself (not the container it claims to be, truncated, unreadable) may be
     * thrown here as a {@link DatasetReadException} naming {@code name}, or as an {@link IOException}.
     *
     * @param file the file
     * @param name the name to use in messages and in records' sources
     * @param options the read's options
     */
    RawSource open(Path file, String name, ReadOptions options) throws IOException;
}
