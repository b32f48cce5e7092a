package org.valueimprint.report;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.valueimprint.audit.KeywordClassifier;
import org.valueimprint.audit.ValueAuditor;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.io.ErrorPolicy;
import org.valueimprint.io.PreferenceDataset;
import org.valueimprint.io.PreferenceDatasets;
import org.valueimprint.io.ReadOptions;
import org.valueimprint.io.TestData;
import org.valueimprint.stats.Interval;
import org.valueimprint.stats.Proportions;
import org.valueimprint.taxonomy.Framework;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueGroup;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * Reports for the writer tests: a real audit of bundled hh-rlhf records by the keyword test classifier, a hostile
 * audit whose names, labels, ids and texts carry markup and URLs, and reports made from value counts.
 */
final class ReportFixtures {
    /** The number of records read from each of the two hh-rlhf files of {@link #hhRlhfAudit()}. */
    static final int RECORDS_PER_FILE = 150;

    private static AuditReport hhRlhf;

    private ReportFixtures() {}

    /**
     * The first 150 accepted records of the bundled hh-rlhf harmless-base and helpful-base test files (read with
     * {@link ErrorPolicy#SKIP}: harmless-base line 87 and helpful-base line 121 have no final reply and are refused,
     * so these are lines 1 to 151 of each but that one), both sides audited by
     * the {@link KeywordClassifier} with a known confusion matrix (so adjusted shares exist) and a policy that
     * abstains under 0.3 (so texts without any keyword abstain). Two sources, so per-source summaries exist.
     */
    static synchronized AuditReport hhRlhfAudit() {
        if (hhRlhf == null) {
            List<PreferenceRecord> records = new ArrayList<>();
            for (String f : List.of("hh-rlhf/harmless-base/test.jsonl.gz", "hh-rlhf/helpful-base/test.jsonl.gz")) {
                try (PreferenceDataset ds = PreferenceDatasets.open(TestData.path(f),
                        ReadOptions.builder().errorPolicy(ErrorPolicy.SKIP).build())) {
                    Iterator<PreferenceRecord> it = ds.iterator();
                    for (int i = 0; i < RECORDS_PER_FILE && it.hasNext(); i++) {
                        records.add(it.next());
                    }
                }
            }
            ValueClassifier classifier = new Abstaining(new KeywordClassifier(0, Integer.MAX_VALUE,
                    Optional.of(confusion())), 0.3);
            hhRlhf = ValueAuditor.builder(classifier).batchSize(32).build().audit(records, "hh-rlhf test sample");
        }
        return hhRlhf;
    }

    /**
     * The first 25 records of each of the five bundled hh-rlhf files, as {@code ./value-imprint audit
     * examples/data/hh-rlhf} reads them: five sources with long names, for layout checks.
     */
    static AuditReport fiveSourceAudit() {
        List<PreferenceRecord> records = new ArrayList<>();
        for (String f : List.of("harmless-base/test.jsonl.gz", "harmless-base-train-first5000/preference_train.json",
                "helpful-base/test.jsonl.gz", "helpful-online/test.jsonl.gz",
                "helpful-rejection-sampled/test.jsonl.gz")) {
            try (PreferenceDataset ds = PreferenceDatasets.open(TestData.path("hh-rlhf/" + f),
                    ReadOptions.defaults())) {
                Iterator<PreferenceRecord> it = ds.iterator();
                for (int i = 0; i < 25 && it.hasNext(); i++) {
                    records.add(it.next());
                }
            }
        }
        ValueClassifier classifier = new KeywordClassifier(0, Integer.MAX_VALUE, Optional.of(confusion()));
        return ValueAuditor.builder(classifier).batchSize(32).build().audit(records, "hh-rlhf, five files");
    }

    /** A plausible cross-validated confusion matrix of the built-in taxonomy: 80% on the diagonal. */
    static KnownConfusion confusion() {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        long[][] counts = new long[t.size()][t.size()];
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                counts[i][j] = i == j ? 160 : 4 + (i + 2 * j) % 5;
            }
        }
        return new KnownConfusion(t.labels(), counts, "5-fold CV on a test corpus");
    }

    // ------------------------------------------------------------------ hostile

    /** A label with markup, a pipe, quotes and an ampersand that looks like a character reference. */
    static final String HOSTILE_LABEL = "A <b>bold</b> | \"quoted\" &amp; value";
    /** The dataset name given to the hostile audit. */
    static final String HOSTILE_NAME = "evil <script>alert('name')</script> | set";
    /** A response text with a script, an image by URL and a link. */
    static final String HOSTILE_TEXT = "Sure <script>alert(\"x\")</script> see <img src=https://img.example/x.png>"
            + " and https://evil.example/page | *bold* [link](http://a.example) plain alpha";

    /** A taxonomy whose labels need escaping (one of them equal to a CSV column name). */
    static ValueTaxonomy hostileTaxonomy() {
        return ValueTaxonomy.builder("hostile-test").version("1").name("Hostile test taxonomy")
                .addFramework(new Framework("frame-x", "Frame <i>X</i>", "a framework"))
                .addGroup(new ValueGroup("group-y", "Group & <y>", "a group"))
                .addValue(new HumanValue("alpha", HOSTILE_LABEL, List.of(), "texts saying alpha", "frame-x",
                        List.of("group-y"), List.of(), List.of()))
                .addValue(new HumanValue("beta", "side", List.of(), "texts saying beta", "frame-x",
                        List.of("group-y"), List.of(), List.of()))
                .addValue(new HumanValue("gamma", "Plain gamma", List.of(), "texts saying gamma", "frame-x",
                        List.of("group-y"), List.of(), List.of()))
                .build();
    }

    /**
     * An audit of six hostile records (ids with markup, quotes, commas and line breaks; texts with scripts and URLs;
     * two sources whose names hold markup) with {@link WordClassifier} over {@link #hostileTaxonomy()}.
     */
    static AuditReport hostileAudit() {
        List<PreferenceRecord> records = hostileRecords();
        try (WordClassifier c = new WordClassifier(hostileTaxonomy())) {
            return ValueAuditor.builder(c).build().audit(records, HOSTILE_NAME);
        }
    }

    static List<PreferenceRecord> hostileRecords() {
        List<PreferenceRecord> r = new ArrayList<>();
        String[][] rows = {
            {"<script>id1</script>", HOSTILE_TEXT, "beta is fine"},
            {"id \"2\", with comma", "alpha wins here", "gamma, then beta"},
            {"id\nwith newline", "gamma <b>tag</b>", "alpha & https://x.example"},
            {"plain-4", "beta beta", "alpha"},
            {"plain-5", "alpha again, longer text here", "gamma"},
            {"plain-6", "nothing special", "beta"},
        };
        for (int i = 0; i < rows.length; i++) {
            String dataset = i < 3 ? "src <one>" : "src|two";
            r.add(PreferencePair.of(rows[i][0], new RecordSource(dataset, dataset + ".jsonl", i, i + 1),
                    Conversation.user("Question <" + i + ">?"), Conversation.assistant(rows[i][1]),
                    Conversation.assistant(rows[i][2])));
        }
        return r;
    }

    /**
     * A classifier over any taxonomy: the value whose id occurs last in the (lower-cased) text gets 0.8, the others
     * share the rest; a text with none gets equal probabilities.
     */
    static final class WordClassifier implements ValueClassifier {
        private final ValueTaxonomy taxonomy;

        WordClassifier(ValueTaxonomy taxonomy) {
            this.taxonomy = taxonomy;
        }

        @Override
        public ValueTaxonomy taxonomy() {
            return taxonomy;
        }

        @Override
        public ClassifierInfo info() {
            return new ClassifierInfo("word-test <1>", "value ids as words", "", Map.of("rule", "last id wins"));
        }

        @Override
        public List<ValuePrediction> classify(List<String> texts) {
            List<ValuePrediction> out = new ArrayList<>();
            int k = taxonomy.size();
            for (String text : texts) {
                String lower = text.toLowerCase(Locale.ROOT);
                int best = -1;
                int at = -1;
                for (int v = 0; v < k; v++) {
                    int i = lower.lastIndexOf(taxonomy.values().get(v).id());
                    if (i > at) {
                        at = i;
                        best = v;
                    }
                }
                double[] p = new double[k];
                for (int v = 0; v < k; v++) {
                    p[v] = best < 0 ? 1.0 / k : v == best ? 0.8 : 0.2 / (k - 1);
                }
                out.add(ValuePrediction.of(taxonomy, p));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    /** Applies a prediction policy that abstains under a threshold to another classifier's predictions. */
    static final class Abstaining implements ValueClassifier {
        private final ValueClassifier inner;
        private final PredictionPolicy policy;

        Abstaining(ValueClassifier inner, double abstainBelow) {
            this.inner = inner;
            this.policy = PredictionPolicy.defaults().withAbstainBelow(abstainBelow);
        }

        @Override
        public ValueTaxonomy taxonomy() {
            return inner.taxonomy();
        }

        @Override
        public ClassifierInfo info() {
            return inner.info();
        }

        @Override
        public List<ValuePrediction> classify(List<String> texts) {
            return inner.classify(texts).stream().map(p -> p.withPolicy(policy)).toList();
        }

        @Override
        public Optional<KnownConfusion> knownConfusion() {
            return inner.knownConfusion();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    // ------------------------------------------------------------------ from counts

    /** The counts, in taxonomy order, of a paper-like hh-rlhf chosen side (n = 8,552). */
    static final long[] HH_RLHF = {610, 3420, 190, 1290, 2310, 560, 172};
    /** Of a GPT-4-LLM comparisons chosen side (n = 3,000). */
    static final long[] GPT4_LLM = {150, 1320, 45, 240, 1050, 90, 105};
    /** Of an Alpaca-GPT4 side (n = 2,000). */
    static final long[] ALPACA = {84, 1010, 22, 96, 700, 30, 58};

    /** A report of the built-in taxonomy with only a chosen side, made from its value counts. */
    static AuditReport fromCounts(String dataset, long[] counts, long abstained, String classifierId) {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        return fromCounts(dataset, counts, abstained, classifierId, t.id(), t.version(), "chars:1200");
    }

    /**
     * A report with only a chosen side, made from value counts of the built-in taxonomy's values, its provenance
     * naming the given classifier, taxonomy and text budget. Mean probabilities are {@code 0.9 share + 0.1 / 7};
     * there are no adjusted shares, pairs, sources or examples.
     */
    static AuditReport fromCounts(String dataset, long[] counts, long abstained, String classifierId,
            String taxonomyId, String taxonomyVersion, String textBudget) {
        ValueTaxonomy t = ValueTaxonomy.valueImprint();
        long n = abstained;
        for (long c : counts) {
            n += c;
        }
        List<ValueShare> values = new ArrayList<>();
        for (int v = 0; v < counts.length; v++) {
            HumanValue hv = t.values().get(v);
            Interval ci = Proportions.wilson(counts[v], n);
            double share = (double) counts[v] / n;
            values.add(new ValueShare(hv.id(), hv.label(), counts[v], share, ci.low(), ci.high(),
                    0.9 * share + 0.1 / counts.length * (n - abstained) / n, OptionalDouble.empty()));
        }
        List<RollUp> frameworks = new ArrayList<>();
        for (Framework f : t.frameworks()) {
            frameworks.add(rollUp(f.id(), f.label(), t.valuesInFramework(f.id()), values, n));
        }
        List<RollUp> groups = new ArrayList<>();
        for (ValueGroup g : t.groups()) {
            groups.add(rollUp(g.id(), g.label(), t.valuesInGroup(g.id()), values, n));
        }
        SideSummary side = new SideSummary(Side.CHOSEN, n, 0, values, Optional.empty(), frameworks, groups,
                abstained, (double) abstained / n, abstained, (double) abstained / n, 0, 640.0);
        Provenance provenance = new Provenance("test", new ClassifierInfo(classifierId, "a test classifier", "",
                Map.of()), taxonomyId, taxonomyVersion, Map.of("text_budget", textBudget, "sides", "chosen"),
                List.of(dataset + ".jsonl"), Timing.NONE);
        return new AuditReport(dataset, 0.95, 0.5, List.of(side), Optional.empty(), List.of(), List.of(),
                new Accounting(n, n, 0, Map.of(), n), provenance);
    }

    private static RollUp rollUp(String id, String label, List<HumanValue> members, List<ValueShare> values,
            long n) {
        long count = 0;
        double mean = 0;
        for (HumanValue m : members) {
            ValueShare v = values.stream().filter(x -> x.id().equals(m.id())).findFirst().orElseThrow();
            count += v.count();
            mean += v.meanProbability();
        }
        Interval ci = Proportions.wilson(count, n);
        return new RollUp(id, label, members.stream().map(HumanValue::id).toList(), count, (double) count / n,
                ci.low(), ci.high(), Math.min(1, mean), OptionalDouble.empty());
    }
}
