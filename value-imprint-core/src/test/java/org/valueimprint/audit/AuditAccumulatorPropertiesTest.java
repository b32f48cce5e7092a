package org.valueimprint.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.RecordSource;
import org.valueimprint.data.Side;
import org.valueimprint.data.SingleResponse;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Provenance;
import org.valueimprint.report.SideSummary;
import org.valueimprint.report.SourceSummary;
import org.valueimprint.report.Timing;
import org.valueimprint.report.ValueShare;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.classify.ClassifierInfo;

/**
 * The accumulator is exact and order-independent: merging is commutative and associative, and accumulating a list
 * gives what merging the accumulations of any partition of it gives.
 */
class AuditAccumulatorPropertiesTest {
    private static final ValueTaxonomy TAXONOMY = ValueTaxonomy.valueImprint();
    private static final EnumSet<Side> SIDES = EnumSet.allOf(Side.class);
    private static final String[] SOURCES = {"alpha", "beta", "gamma"};

    /** One record with its classified sides, or (when {@code record} is null) a skip. */
    record Item(PreferenceRecord record, Map<Side, ClassifiedText> texts, String skipReason) {}

    static List<Item> items(long seed, int size) {
        Random random = new Random(seed);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (random.nextInt(12) == 0) {
                items.add(new Item(null, Map.of(), random.nextBoolean() ? "missing_field" : "malformed_json"));
                continue;
            }
            RecordSource source = new RecordSource(SOURCES[random.nextInt(SOURCES.length)], "f.jsonl", i, i + 1);
            String id = "r" + random.nextInt(40); // repeated ids: ties among examples are broken by the other keys
            Conversation prompt = random.nextInt(5) == 0 ? Conversation.empty() : Conversation.user("q" + i);
            PreferenceRecord record = random.nextInt(6) == 0
                    ? new SingleResponse(id, source, prompt, Conversation.assistant(text(random)), Map.of())
                    : PreferencePair.of(id, source, prompt, Conversation.assistant(text(random)),
                            Conversation.assistant(text(random))).withTie(random.nextInt(8) == 0);
            Map<Side, ClassifiedText> texts = new EnumMap<>(Side.class);
            for (Side side : Side.values()) {
                if (record.transcript(side).isPresent() && random.nextInt(5) != 0) {
                    texts.put(side, new ClassifiedText(prediction(random), random.nextInt(3000),
                            random.nextInt(4) == 0));
                }
            }
            items.add(new Item(record, texts, null));
        }
        return items;
    }

    private static String text(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(60);
        for (int i = 0; i < n; i++) {
            sb.append("ab c".charAt(random.nextInt(4)));
        }
        return sb.toString();
    }

    /** Coarse probabilities (weights 0-4), so that top values and example probabilities often tie. */
    private static ValuePrediction prediction(Random random) {
        double[] w = new double[TAXONOMY.size()];
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextInt(5);
            sum += w[i];
        }
        if (sum == 0) {
            w[random.nextInt(w.length)] = 1;
            sum = 1;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        PredictionPolicy policy = random.nextInt(4) == 0 ? PredictionPolicy.defaults().withAbstainBelow(0.4)
                : PredictionPolicy.defaults();
        return ValuePrediction.of(TAXONOMY, w, policy);
    }

    static AuditAccumulator accumulate(List<Item> items) {
        AuditAccumulator acc = new AuditAccumulator(TAXONOMY, SIDES, 0.5, 2);
        for (Item item : items) {
            if (item.record() == null) {
                acc.addSkipped(item.skipReason(), 1);
            } else {
                acc.add(item.record(), item.texts());
            }
        }
        return acc;
    }

    @Property(tries = 200)
    void mergeIsCommutative(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
            @ForAll @IntRange(min = 0, max = 60) int size) {
        List<Item> items = items(seed, size);
        int cut = items.size() / 2;
        AuditAccumulator a = accumulate(items.subList(0, cut));
        AuditAccumulator b = accumulate(items.subList(cut, items.size()));
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property(tries = 200)
    void mergeIsAssociative(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
            @ForAll @IntRange(min = 0, max = 60) int size) {
        List<Item> items = items(seed, size);
        int third = items.size() / 3;
        AuditAccumulator a = accumulate(items.subList(0, third));
        AuditAccumulator b = accumulate(items.subList(third, 2 * third));
        AuditAccumulator c = accumulate(items.subList(2 * third, items.size()));
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property(tries = 200)
    void anyPartitionMergesToTheWhole(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
            @ForAll @IntRange(min = 0, max = 80) int size, @ForAll @IntRange(min = 1, max = 5) int parts) {
        List<Item> items = items(seed, size);
        AuditAccumulator whole = accumulate(items);
        Random random = new Random(~seed);
        List<List<Item>> partition = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            partition.add(new ArrayList<>());
        }
        for (Item item : items) {
            partition.get(random.nextInt(parts)).add(item); // not contiguous: any subset
        }
        List<AuditAccumulator> accumulated = new ArrayList<>();
        for (List<Item> part : partition) {
            Collections.shuffle(part, random); // and in any order within a part
            accumulated.add(accumulate(part));
        }
        Collections.shuffle(accumulated, random);
        AuditAccumulator merged = accumulated.get(0);
        for (int i = 1; i < accumulated.size(); i++) {
            merged = merged.merge(accumulated.get(i));
        }
        assertThat(merged).isEqualTo(whole);
        assertThat(report(merged)).isEqualTo(report(whole));
    }

    @Property(tries = 200)
    void countsAddUp(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
            @ForAll @IntRange(min = 0, max = 80) int size) {
        List<Item> items = items(seed, size);
        AuditAccumulator acc = accumulate(items);
        long records = items.stream().filter(i -> i.record() != null).count();
        long noText = items.stream().filter(i -> i.record() != null && i.texts().isEmpty()).count();
        long skippedByReader = items.size() - records;
        assertThat(acc.recordsAudited()).isEqualTo(records - noText);
        assertThat(acc.recordsSkipped()).isEqualTo(skippedByReader + noText);
        AuditReport report = report(acc);
        assertThat(report.accounting().recordsRead()).isEqualTo(items.size());
        for (SideSummary s : report.sides()) {
            long counted = s.values().stream().mapToLong(ValueShare::count).sum();
            assertThat(counted + s.abstained()).isEqualTo(s.n());
            assertThat(s.n() + s.missing()).isEqualTo(report.accounting().recordsAudited());
            long classified = items.stream().filter(i -> i.texts().containsKey(s.side())).count();
            assertThat(s.n()).isEqualTo(classified);
        }
        long perSource = report.sources().stream().mapToLong(SourceSummary::recordsAudited).sum();
        assertThat(report.sources().isEmpty() || perSource == report.accounting().recordsAudited()).isTrue();
    }

    @Property(tries = 100)
    void jsonRoundTripIsLossless(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed,
            @ForAll @IntRange(min = 0, max = 60) int size) {
        AuditAccumulator acc = accumulate(items(seed, size));
        AuditAccumulator back = AuditAccumulator.fromJson(acc.toJson(), TAXONOMY);
        assertThat(back).isEqualTo(acc);
        assertThat(back.toJson()).isEqualTo(acc.toJson());
    }

    @Property(tries = 100)
    void mergeLeavesItsOperandsUnchanged(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
        List<Item> items = items(seed, 30);
        AuditAccumulator a = accumulate(items.subList(0, 15));
        AuditAccumulator b = accumulate(items.subList(15, 30));
        String before = a.toJson() + b.toJson();
        a.merge(b);
        assertThat(a.toJson() + b.toJson()).isEqualTo(before);
    }

    @Test
    void refusesToMergeAccumulatorsWithOtherSettings() {
        AuditAccumulator a = new AuditAccumulator(TAXONOMY, SIDES, 0.5, 2);
        assertThatThrownBy(() -> a.merge(new AuditAccumulator(TAXONOMY, SIDES, 0.6, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different settings");
        assertThatThrownBy(() -> a.merge(new AuditAccumulator(TAXONOMY, EnumSet.of(Side.CHOSEN), 0.5, 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedPointSumsDoNotDependOnOrder() {
        // 0.1 + 0.2 + 0.3 in doubles depends on the order; the fixed-point totals do not
        assertThat((0.1 + 0.2) + 0.3).isNotEqualTo(0.1 + (0.2 + 0.3));
        long left = (SideTally.fixedPoint(0.1) + SideTally.fixedPoint(0.2)) + SideTally.fixedPoint(0.3);
        long right = SideTally.fixedPoint(0.1) + (SideTally.fixedPoint(0.2) + SideTally.fixedPoint(0.3));
        assertThat(left).isEqualTo(right);
        assertThat(left / SideTally.FIXED_POINT_ONE).isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void lengthRatioBinsAreExact() {
        assertThat(PairTally.bin(49, 100)).isZero(); // 0.49
        assertThat(PairTally.bin(50, 100)).isEqualTo(1); // 0.5 opens the second bin
        assertThat(PairTally.bin(4, 5)).isEqualTo(2); // 0.8 opens the middle bin
        assertThat(PairTally.bin(5, 4)).isEqualTo(3); // 1.25 opens the fourth
        assertThat(PairTally.bin(2, 1)).isEqualTo(4); // 2 opens the last
        assertThat(PairTally.bin(199, 100)).isEqualTo(3);
        assertThat(PairTally.bin(0, 0)).isEqualTo(2); // two empty responses: even
        assertThat(PairTally.bin(3, 0)).isEqualTo(4); // an empty rejected response: the last bin
        assertThat(PairTally.bin(0, 3)).isZero();
    }

    static AuditReport report(AuditAccumulator acc) {
        Provenance provenance = new Provenance("test", new ClassifierInfo("c", "c", "", Map.of()), TAXONOMY.id(),
                TAXONOMY.version(), Map.of(), List.of(), Timing.NONE);
        return acc.toReport("property", TAXONOMY, Optional.empty(), provenance);
    }
}
