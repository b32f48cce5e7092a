package org.valueimprint.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import org.valueimprint.internal.ServiceLookup;

/** Finds the {@link ContainerProvider} of a file, through the context class loader and the library's own. */
final class ContainerProviders {
    /** The extension of Parquet files, read by the module {@code value-imprint-parquet} when it is on the class path. */
    static final String PARQUET = "parquet";

    private ContainerProviders() {}

    private static final ServiceLookup<ContainerProvider> SERVICES = ServiceLookup.of(ContainerProvider.class);

    /** The providers found now, each class once (see {@link ServiceLookup}). */
    static List<ContainerProvider> all() {
        try {
            return SERVICES.providers();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a container provider could not be loaded: " + e.getMessage(), e);
        }
    }

    /** The provider claiming the file's extension, if any. */
    static Optional<ContainerProvider> forFile(Path file) {
        String ext = extension(file);
        return all().stream().filter(p -> p.extensions().contains(ext)).findFirst();
    }

    /**
     * Opens a file with its provider, or empty when the core reads it itself.
     *
     * @throws DatasetReadException when the file is Parquet and no provider reads it, or it cannot be opened
     */
    static Optional<RawSource> open(Path file, String name, ReadOptions options) {
        Optional<ContainerProvider> provider = forFile(file);
        if (provider.isEmpty()) {
            if (PARQUET.equals(extension(file))) {
                throw missingParquet(name);
            }
            return Optional.empty();
        }
        try {
            return Optional.of(provider.get().open(file, name, options));
        } catch (IOException e) {
            throw new DatasetReadException(Jackson.kindOf(e), name, 0, -1, "cannot read as "
                    + provider.get().name() + ": " + Jackson.describe(e), e);
        }
    }

    /** The error for a Parquet file when value-imprint-parquet is not on the class path. */
    static DatasetReadException missingParquet(String name) {
        return new DatasetReadException(ProblemKind.UNKNOWN_FORMAT, name, 0, -1, "a Parquet file needs the module"
                + " value-imprint-parquet (Maven org.valueimprint:value-imprint-parquet) on the class path; the"
                + " value-imprint command ships it", null);
    }

    /** The lower-case extension of a file name, without the dot. */
    static String extension(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }
}
