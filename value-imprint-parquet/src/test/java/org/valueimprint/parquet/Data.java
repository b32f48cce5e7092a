package org.valueimprint.parquet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;

/** The repository's bundled data ({@code examples/data}), found from the module's directory. */
final class Data {
    private Data() {}

    static Path path(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("examples").resolve("data").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("examples/data/" + relative + " not found above " + Path.of("")
                .toAbsolutePath());
    }

    static List<PreferenceRecord> readAll(Path path, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(path, options)) {
            List<PreferenceRecord> out = new ArrayList<>();
            ds.forEach(out::add);
            return out;
        }
    }
}
