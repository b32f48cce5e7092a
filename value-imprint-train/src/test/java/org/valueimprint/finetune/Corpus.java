package org.valueimprint.finetune;

import java.nio.file.Path;
import java.util.List;
import org.valueimprint.data.TextBudget;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Real texts from the annotated corpus bundled in the repository (tests run in the module folder). */
final class Corpus {
    static final Path FILE = Path.of("../examples/data/annotations/value-imprint-annotations.jsonl");

    private Corpus() {}

    /** Every {@code 700}th text of the corpus, cut to 1,200 characters as in training, {@code n} of them. */
    static List<String> texts(int n) {
        List<GoldExample> all = GoldExamples.readAll(FILE, ValueTaxonomy.valueImprint());
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> TextBudget.chars(1200).fit(all.get(i * 700 % all.size()).text()))
                .toList();
    }
}
