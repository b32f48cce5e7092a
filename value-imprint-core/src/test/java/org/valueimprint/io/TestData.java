package org.valueimprint.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.valueimprint.data.PreferenceRecord;

/** The real data bundled under {@code examples/data}, found from the module's directory. */
public final class TestData {
    private TestData() {}

    /** The bundled data directory, {@code <repo>/examples/data}. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("examples").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("examples/data not found above " + Path.of("").toAbsolutePath());
    }

    /** A file under the bundled data directory, for example {@code hh-rlhf/harmless-base/test.jsonl.gz}. */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing test data " + p);
        }
        return p;
    }

    /** A fixture under {@code src/test/resources/fixtures}, for example {@code trl/explicit_prompt.jsonl}. */
    public static Path fixture(String relative) {
        java.net.URL url = TestData.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalStateException("missing fixture " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads every record of a file or directory with the given options. */
    public static List<PreferenceRecord> readAll(Path path, ReadOptions options) {
        try (PreferenceDataset ds = PreferenceDatasets.open(path, options)) {
            List<PreferenceRecord> out = new ArrayList<>();
            ds.forEach(out::add);
            return out;
        }
    }

    /** Reads every record of a file or directory with the default options (format detected, fail on error). */
    public static List<PreferenceRecord> readAll(Path path) {
        return readAll(path, ReadOptions.defaults());
    }
}
