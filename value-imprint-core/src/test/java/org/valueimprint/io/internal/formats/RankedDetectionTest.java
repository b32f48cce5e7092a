package org.valueimprint.io.internal.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.valueimprint.io.internal.formats.RankedFixtures.fixture;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.valueimprint.io.DatasetReadException;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;

/** Detection with no format named: the ranked formats claim their own files and no other bundled file. */
class RankedDetectionTest {
    private static final Set<String> RANKED = Set.of("oasst", "webgpt", "shp", "pku-saferlhf", "generic");

    @Test
    void eachFileIsDetectedAsItsFormat() {
        Map<Path, String> expected = new LinkedHashMap<>();
        expected.put(TestData.path("oasst/en_100_tree.jsonl"), "oasst");
        expected.put(TestData.path("oasst/en_100_message.jsonl"), "oasst");
        expected.put(fixture("oasst/edge_cases.jsonl"), "oasst");
        expected.put(fixture("webgpt/comparisons.jsonl"), "webgpt");
        expected.put(fixture("shp/shp.jsonl"), "shp");
        expected.put(fixture("pku-saferlhf/pku.jsonl"), "pku-saferlhf");
        expected.forEach((file, format) -> assertThat(detected(file)).as(file.toString()).isEqualTo(format));
    }

    @Test
    void noOtherBundledFileIsClaimedByARankedFormat() {
        for (Path file : PreferenceDatasets.dataFiles(TestData.root())) {
            if (file.getParent().getFileName().toString().equals("oasst")) {
                continue;
            }
            assertThat(detected(file)).as(file.toString()).isNotIn(RANKED);
        }
    }

    /** The format detected for a file from its first records, or "unknown". */
    private static String detected(Path file) {
        ReadOptions skip = ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build();
        try (PreferenceDataset ds = PreferenceDatasets.open(file, skip)) {
            ds.iterator().hasNext();
            return ds.formats().get(file.toString());
        } catch (DatasetReadException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ProblemKind.UNKNOWN_FORMAT);
            return "unknown";
        }
    }
}
