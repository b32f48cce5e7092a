package org.valueimprint.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.ReadOptions;

/**
 * The bundled real Parquet files, damaged at random (bytes overwritten anywhere, footer included, or the file cut
 * short), read under both error policies: records, or a {@link DatasetReadException} naming the file; never another
 * exception, never a hang, never an allocation the damaged header asks for.
 */
class ParquetCorruptionPropertiesTest {
    private static final List<String> FILES = List.of(
            "parquet/hh-rlhf/harmless-base/test-00000-of-00001.parquet",
            "parquet/ultrafeedback_binarized/data/train_prefs-00000-of-00001.parquet",
            "parquet/oasst1/validation-00000-of-00001.parquet");

    private final Path dir;

    ParquetCorruptionPropertiesTest() throws IOException {
        dir = Files.createTempDirectory("parquet-corrupt");
    }

    @AfterProperty
    void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    @Property(tries = 150)
    void damagedFilesGiveRecordsOrATypedError(@ForAll("file") String name, @ForAll("damage") List<Integer> damage,
            @ForAll boolean cut, @ForAll boolean skip) throws IOException {
        byte[] bytes = Files.readAllBytes(Data.path(name));
        // overwrite bytes: positions and values drawn, biased towards the footer at the end
        for (int i = 0; i + 1 < damage.size(); i += 2) {
            int at = Math.floorMod(damage.get(i), bytes.length);
            if (damage.get(i) % 3 == 0) {
                at = bytes.length - 1 - Math.floorMod(damage.get(i), Math.min(bytes.length, 4096));
            }
            bytes[at] = (byte) (int) damage.get(i + 1);
        }
        if (cut && !damage.isEmpty()) {
            bytes = java.util.Arrays.copyOf(bytes, Math.floorMod(damage.get(0), bytes.length));
        }
        Path file = dir.resolve("damaged-" + System.nanoTime() + ".parquet");
        Files.write(file, bytes);
        ReadOptions options = ReadOptions.builder().errorPolicy(skip ? ErrorPolicy.SKIP : ErrorPolicy.FAIL).build();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                Data.readAll(file, options);
            } catch (DatasetReadException e) {
                assertThat(e.getMessage()).contains(file.getFileName().toString());
            } catch (UncheckedIOException e) {
                throw new AssertionError("an untyped I/O error: " + e, e);
            }
        });
    }

    @Provide
    Arbitrary<String> file() {
        return Arbitraries.of(FILES);
    }

    @Provide
    Arbitrary<List<Integer>> damage() {
        return Arbitraries.integers().list().ofMinSize(2).ofMaxSize(16);
    }
}
