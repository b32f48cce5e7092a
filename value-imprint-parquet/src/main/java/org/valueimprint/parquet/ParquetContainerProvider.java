package org.valueimprint.parquet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.valueimprint.io.ContainerProvider;
import org.valueimprint.io.RawSource;
import org.valueimprint.io.ReadOptions;

/**
 * Reads {@code .parquet} files for {@link org.valueimprint.io.PreferenceDatasets}: found through
 * {@code META-INF/services}, so putting this module on the class path is all it takes. Each row becomes a JSON
 * object as {@link JsonRowMaterializer} describes, and goes through the dataset formats like a JSON Lines line;
 * row groups are read one at a time, and only the columns the format needs once it is known.
 */
public final class ParquetContainerProvider implements ContainerProvider {
    /** Creates the provider (used by {@link java.util.ServiceLoader}). */
    public ParquetContainerProvider() {}

    @Override
    public String name() {
        return "Parquet";
    }

    @Override
    public Set<String> extensions() {
        return Set.of("parquet");
    }

    @Override
    public RawSource open(Path file, String name, ReadOptions options) throws IOException {
        return new ParquetSource(file, name, options);
    }
}
