package org.valueimprint.audit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.data.Side;
import org.valueimprint.report.Accounting;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Example;
import org.valueimprint.report.LengthBin;
import org.valueimprint.report.LengthPreference;
import org.valueimprint.report.MultiLabelAnalysis;
import org.valueimprint.report.PairAnalysis;
import org.valueimprint.report.PreferenceAnalysis;
import org.valueimprint.report.Provenance;
import org.valueimprint.report.RollUp;
import org.valueimprint.report.SideSummary;
import org.valueimprint.report.SourceSummary;
import org.valueimprint.report.ValuePreference;
import org.valueimprint.report.ValueShare;
import org.valueimprint.stats.AdjustedClassifyAndCount;
import org.valueimprint.stats.Interval;
import org.valueimprint.stats.Proportions;
import org.valueimprint.taxonomy.Framework;
import org.valueimprint.taxonomy.HumanValue;
import org.valueimprint.taxonomy.ValueGroup;
import org.valueimprint.taxonomy.ValueTaxonomy;

/** Turns an accumulator's totals into the report's records: shares, intervals, roll-ups, adjusted shares. */
final class ReportAssembler {
    static final double CONFIDENCE_LEVEL = 0.95;
    private static final String[] BIN_LABELS = {"<0.5", "0.5-0.8", "0.8-1.25", "1.25-2", ">=2"};
    private static final double[] BIN_LOWS = {0, 0.5, 0.8, 1.25, 2};

    private final ValueTaxonomy taxonomy;
    private final Set<Side> sides;
    private final double[][] confusionRates; // reordered to the taxonomy's order; null when not usable
    private final Optional<String> method;

    ReportAssembler(ValueTaxonomy taxonomy, Set<Side> sides, Optional<KnownConfusion> confusion) {
        this.taxonomy = taxonomy;
        this.sides = sides;
        this.confusionRates = confusion.map(this::rates).orElse(null);
        this.method = confusionRates == null ? Optional.empty()
                : Optional.of(AdjustedClassifyAndCount.methodName(confusion.get().source()));
    }

    /** The confusion rates in the taxonomy's order, or null when its labels do not match the taxonomy's values. */
    private double[][] rates(KnownConfusion confusion) {
        int k = taxonomy.size();
        if (confusion.labels().size() != k) {
            return null;
        }
        int[] index = new int[k];
        boolean[] seen = new boolean[k];
        for (int i = 0; i < k; i++) {
            index[i] = taxonomy.indexOf(confusion.labels().get(i));
            if (index[i] < 0 || seen[index[i]]) {
                return null;
            }
            seen[index[i]] = true;
        }
        double[][] r = confusion.rates();
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[index[i]][index[j]] = r[i][j];
            }
        }
        return out;
    }

    AuditReport assemble(String dataset, double lowConfidenceThreshold, long recordsAudited,
            Map<String, Long> skipped, Accounting.SourceRecords sourceRecords, TreeMap<String, SourceTally> sources,
            EnumMap<Side, List<TreeSet<Example>>> examples, Provenance provenance) {
        SourceTally total = new SourceTally(sides, taxonomy.size(), taxonomy.multiLabel());
        sources.values().forEach(total::addAll);
        List<SideSummary> sideSummaries = sideSummaries(total);
        Optional<PairAnalysis> pairs = pairAnalysis(total);
        List<SourceSummary> perSource = new ArrayList<>();
        if (sources.size() > 1) {
            sources.forEach((name, tally) ->
                    perSource.add(new SourceSummary(name, tally.recordsAudited, sideSummaries(tally),
                            pairAnalysis(tally))));
        }
        List<Example> exampleList = new ArrayList<>();
        examples.forEach((side, perValue) -> perValue.forEach(exampleList::addAll));
        long skippedTotal = skipped.values().stream().mapToLong(Long::longValue).sum();
        long texts = sideSummaries.stream().mapToLong(SideSummary::n).sum();
        Accounting accounting = new Accounting(recordsAudited + skippedTotal, recordsAudited, skippedTotal, skipped,
                texts, sourceRecords);
        return new AuditReport(dataset, CONFIDENCE_LEVEL, lowConfidenceThreshold, sideSummaries, pairs, perSource,
                exampleList, accounting, provenance,
                taxonomy.multiLabel() ? Optional.of(multiLabel(total, perSource.isEmpty() ? new TreeMap<>()
                        : sources)) : Optional.empty());
    }

    /**
     * The multi-label part of a report, from the totals over all sources and, when the report breaks the top values
     * down by source ({@code sources} not empty), from each source's totals.
     */
    private MultiLabelAnalysis multiLabel(SourceTally total, TreeMap<String, SourceTally> sources) {
        int k = taxonomy.size();
        List<MultiLabelAnalysis.SideValues> sideValues = new ArrayList<>();
        for (Side side : sides) {
            SideTally t = total.sides.get(side);
            List<List<Long>> table = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<Long> row = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    row.add(t.cooccurrence[i][j]);
                }
                table.add(row);
            }
            sideValues.add(new MultiLabelAnalysis.SideValues(side, t.n, carried(t), table, meanValuesPerText(t),
                    t.abstained));
        }
        List<MultiLabelAnalysis.SourceValues> perSource = new ArrayList<>();
        sources.forEach((name, tally) -> {
            List<MultiLabelAnalysis.SourceSide> sourceSides = new ArrayList<>();
            for (Side side : sides) {
                SideTally t = tally.sides.get(side);
                sourceSides.add(new MultiLabelAnalysis.SourceSide(side, t.n, carried(t), meanValuesPerText(t),
                        t.abstained));
            }
            perSource.add(new MultiLabelAnalysis.SourceValues(name, sourceSides));
        });
        Optional<List<MultiLabelAnalysis.CarriedPreference>> pairs = Optional.empty();
        if (sides.contains(Side.CHOSEN) && sides.contains(Side.REJECTED)) {
            PairTally p = total.pairs;
            List<MultiLabelAnalysis.CarriedPreference> list = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                HumanValue v = taxonomy.values().get(i);
                long c = p.chosenOnly[i];
                long r = p.rejectedOnly[i];
                Interval ci = Proportions.wilson(c, c + r);
                list.add(new MultiLabelAnalysis.CarriedPreference(v.id(), v.label(), c, r, p.bothCarry[i], p.compared,
                        c + r == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) c / (c + r)),
                        ci.low(), ci.high(), exactMcNemar(c, r)));
            }
            pairs = Optional.of(list);
        }
        return new MultiLabelAnalysis(taxonomy.values().stream().map(HumanValue::id).toList(), sideValues, pairs,
                perSource);
    }

    /** Per value, in taxonomy order, the texts of a side carrying it, their share and its Wilson interval. */
    private List<MultiLabelAnalysis.ValueCarried> carried(SideTally t) {
        List<MultiLabelAnalysis.ValueCarried> values = new ArrayList<>();
        for (int i = 0; i < taxonomy.size(); i++) {
            HumanValue v = taxonomy.values().get(i);
            long count = t.carried(i);
            Interval ci = Proportions.wilson(count, t.n);
            values.add(new MultiLabelAnalysis.ValueCarried(v.id(), v.label(), count, share(count, t.n), ci.low(),
                    ci.high()));
        }
        return values;
    }

    /** The mean number of values a text of a side carries (0 without texts). */
    private static double meanValuesPerText(SideTally t) {
        long carriedTotal = 0;
        for (int i = 0; i < t.size; i++) {
            carriedTotal += t.carried(i);
        }
        return t.n == 0 ? 0 : (double) carriedTotal / t.n;
    }

    /**
     * The two-sided exact McNemar p-value: twice the smaller binomial tail of {@code min(b, c)} in {@code b + c}
     * fair coin flips, at most 1; 1 when {@code b + c = 0}. Summed in log space, so it does not underflow for
     * large counts.
     */
    static double exactMcNemar(long b, long c) {
        long m = b + c;
        if (m == 0) {
            return 1;
        }
        long x = Math.min(b, c);
        double logTerm = -m * Math.log(2); // log C(m, 0) / 2^m
        double logSum = logTerm;
        for (long i = 0; i < x; i++) {
            logTerm += Math.log((double) (m - i) / (i + 1));
            double hi = Math.max(logSum, logTerm);
            logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
        }
        return Math.min(1, 2 * Math.exp(logSum));
    }

    private List<SideSummary> sideSummaries(SourceTally tally) {
        List<SideSummary> out = new ArrayList<>();
        for (Side side : sides) {
            out.add(sideSummary(side, tally.sides.get(side)));
        }
        return out;
    }

    private SideSummary sideSummary(Side side, SideTally t) {
        int k = taxonomy.size();
        double[] adjusted = null;
        if (confusionRates != null && t.n > 0) {
            double[] q = new double[k];
            for (int i = 0; i < k; i++) {
                q[i] = (double) t.topCounts[i] / t.n;
            }
            adjusted = AdjustedClassifyAndCount.adjust(q, confusionRates);
        }
        List<ValueShare> values = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            HumanValue v = taxonomy.values().get(i);
            Interval ci = Proportions.wilson(t.counts[i], t.n);
            values.add(new ValueShare(v.id(), v.label(), t.counts[i], share(t.counts[i], t.n), ci.low(), ci.high(),
                    t.meanProbability(i), adjusted == null ? OptionalDouble.empty() : OptionalDouble.of(adjusted[i])));
        }
        List<RollUp> frameworks = new ArrayList<>();
        for (Framework f : taxonomy.frameworks()) {
            frameworks.add(rollUp(f.id(), f.label(), taxonomy.valuesInFramework(f.id()), t, adjusted));
        }
        List<RollUp> groups = new ArrayList<>();
        for (ValueGroup g : taxonomy.groups()) {
            groups.add(rollUp(g.id(), g.label(), taxonomy.valuesInGroup(g.id()), t, adjusted));
        }
        return new SideSummary(side, t.n, t.missing, values, adjusted == null ? Optional.empty() : method,
                frameworks, groups, t.abstained, share(t.abstained, t.n), t.lowConfidence,
                share(t.lowConfidence, t.n), t.truncated, t.n == 0 ? 0 : (double) t.textChars / t.n);
    }

    private RollUp rollUp(String id, String label, List<HumanValue> members, SideTally t, double[] adjusted) {
        long count = 0;
        double mean = 0;
        double adj = 0;
        List<String> ids = new ArrayList<>();
        for (HumanValue v : members) {
            int i = taxonomy.values().indexOf(v);
            ids.add(v.id());
            count += t.counts[i];
            mean += t.meanProbability(i);
            if (adjusted != null) {
                adj += adjusted[i];
            }
        }
        Interval ci = Proportions.wilson(count, t.n);
        return new RollUp(id, label, ids, count, share(count, t.n), ci.low(), ci.high(), Math.min(1, mean),
                adjusted == null ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1, adj)));
    }

    private Optional<PairAnalysis> pairAnalysis(SourceTally tally) {
        if (!sides.contains(Side.CHOSEN) || !sides.contains(Side.REJECTED)) {
            return Optional.empty();
        }
        PairTally p = tally.pairs;
        int k = taxonomy.size();
        List<List<Long>> joint = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            List<Long> row = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                row.add(p.joint[i][j]);
            }
            joint.add(row);
        }
        List<LengthBin> bins = new ArrayList<>();
        for (int b = 0; b < PairTally.BINS; b++) {
            bins.add(new LengthBin(BIN_LABELS[b], BIN_LOWS[b],
                    b + 1 < PairTally.BINS ? OptionalDouble.of(BIN_LOWS[b + 1]) : OptionalDouble.empty(),
                    p.binPairs[b]));
        }
        List<ValuePreference> values = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            HumanValue v = taxonomy.values().get(i);
            long chosen = 0;
            long rejected = 0;
            List<ValuePreference.BinCounts> byBin = new ArrayList<>();
            double weighted = 0;
            long weight = 0;
            for (int b = 0; b < PairTally.BINS; b++) {
                long c = p.chosenByBin[b][i];
                long r = p.rejectedByBin[b][i];
                chosen += c;
                rejected += r;
                byBin.add(new ValuePreference.BinCounts(c, r));
                if (c + r > 0) {
                    weighted += p.binPairs[b] * ((double) c / (c + r));
                    weight += p.binPairs[b];
                }
            }
            Interval ci = Proportions.wilson(chosen, chosen + rejected);
            boolean any = chosen + rejected > 0;
            values.add(new ValuePreference(v.id(), v.label(), chosen, rejected,
                    any ? OptionalDouble.of((double) chosen / (chosen + rejected)) : OptionalDouble.empty(),
                    ci.low(), ci.high(),
                    any ? OptionalDouble.of(Math.min(1, Math.max(0, weighted / weight))) : OptionalDouble.empty(),
                    byBin));
        }
        PreferenceAnalysis preference = new PreferenceAnalysis(p.compared, p.differing, bins, values,
                lengthPreference(p.lengthDiffering), lengthPreference(p.lengthAll));
        return Optional.of(new PairAnalysis(p.pairs, p.ties, taxonomy.values().stream().map(HumanValue::id).toList(),
                taxonomy.labels(), joint, preference));
    }

    private static LengthPreference lengthPreference(long[] counts) {
        long longer = counts[0];
        long shorter = counts[1];
        Interval ci = Proportions.wilson(longer, longer + shorter);
        return new LengthPreference(longer, shorter, counts[2],
                longer + shorter == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) longer / (longer + shorter)),
                ci.low(), ci.high());
    }

    private static double share(long count, long n) {
        return n == 0 ? 0 : (double) count / n;
    }
}
