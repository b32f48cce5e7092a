package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.valueimprint.data.Side;
import org.valueimprint.stats.ChiSquareTest;
import org.valueimprint.stats.Divergences;
import org.valueimprint.stats.Interval;
import org.valueimprint.stats.Proportions;

/**
 * The value profiles of two or more audit reports set side by side, for one side (chosen by default), as the paper
 * compared hh-rlhf, WebGPT and Alpaca GPT-4-LLM: per value each report's share with its Wilson interval and its
 * difference from the first report with a Newcombe interval; a chi-square test of homogeneity of the whole
 * distribution; the Jensen-Shannon divergence of every pair of reports.
 *
 * <pre>{@code
 * AuditComparison c = AuditComparison.of(List.of(
 *         ReportJson.read(Path.of("hh-rlhf.json")),
 *         ReportJson.read(Path.of("alpaca-gpt4.json"))));        // chosen side
 * for (AuditComparison.ValueRow v : c.values()) {
 *     AuditComparison.Difference d = v.differences().get(0);      // second report minus the first
 *     System.out.printf("%-30s %+.1f pp [%+.1f, %+.1f]%n", v.label(), 100 * d.difference(), 100 * d.ciLow(),
 *             100 * d.ciHigh());
 * }
 * System.out.println(c.homogeneity().test().pValue());
 * ComparisonJson.write(c, Path.of("comparison.json"));
 * HtmlReport.write(c, Path.of("comparison.html"));
 * }</pre>
 *
 * <p><b>What is counted.</b> For each report, the side's {@code n} classified texts fall into the taxonomy's values
 * (by their decided top value, as in {@link ValueShare#count()}) and, when the prediction policy abstained, into
 * "abstained". Shares are {@code count / n}, exactly as in the reports. Intervals are 95% (Wilson for a share,
 * Newcombe's hybrid score interval for a difference of two independent shares), whatever the reports' own confidence
 * level; they are not corrected for multiple comparisons.
 *
 * <p><b>The tests.</b> The chi-square test of homogeneity ({@link ChiSquareTest#homogeneity}) runs on the table
 * reports × categories, where the categories are the values plus "abstained" when any report abstained on some text
 * (so that it tests the same distribution the shares describe); the Jensen-Shannon divergence (base 2, in [0, 1])
 * compares the same count vectors. With large audits the test rejects homogeneity for tiny differences: read the
 * divergence and the per-value differences for the size of the effect.
 *
 * <p><b>Multi-label taxonomies.</b> When the reports' taxonomy is multi-label (each report has its
 * {@link AuditReport#multiLabel() multi-label part}), everything above stays as it is (it compares each text's most
 * probable selected value) and {@link #multiLabel()} adds what a multi-label audit needs: per value, each report's
 * share of texts <i>carrying</i> the value (having it selected) with its Wilson interval, its difference from the
 * first report with a Newcombe interval, and a chi-square test of homogeneity of the table reports × (carries, does
 * not carry). A text may carry several values or none, so these shares do not sum to 1, and the per-value tests are
 * separate tests, not one test of a distribution.
 *
 * <p><b>What is refused.</b> Reports of different taxonomies (another id or version, or other values), a
 * multi-label report with a single-label one, reports without the side, and reports with no text on it. Reports made by different classifiers or with different text
 * budgets are compared but produce a {@link #warnings() warning}, since their differences may come from the
 * measurement rather than the data.
 *
 * <p>Immutable.
 *
 * @param side the side compared
 * @param confidenceLevel the level of every interval: 0.95
 * @param taxonomyId the taxonomy the reports share
 * @param taxonomyVersion its version
 * @param reports the compared reports, in the given order (the first is the baseline of the differences); copied
 * @param values one row per value, in taxonomy order; copied
 * @param homogeneity the chi-square test of homogeneity over the whole distribution
 * @param divergences the Jensen-Shannon divergence of every pair of reports {@code (i, j)}, {@code i < j}, in
 *     lexicographic order of the pair; copied
 * @param warnings what a reader should know before trusting the comparison (different classifiers, different text
 *     budgets, small expected counts); copied; empty when nothing stands out
 * @param multiLabel for reports of a multi-label taxonomy, the values carried per report; empty otherwise
 */
public record AuditComparison(
        Side side,
        double confidenceLevel,
        String taxonomyId,
        String taxonomyVersion,
        List<ComparedReport> reports,
        List<ValueRow> values,
        Homogeneity homogeneity,
        List<Divergence> divergences,
        List<String> warnings,
        Optional<MultiLabelComparison> multiLabel) {

    /** The category name of abstentions in {@link Homogeneity#categories()}. */
    public static final String ABSTAINED = "abstained";
    /** The first category of a per-value multi-label test, {@link CarriedRow#homogeneity()}: texts carrying it. */
    public static final String CARRIES = "carries";
    /** The second category of a per-value multi-label test: texts not carrying the value. */
    public static final String DOES_NOT_CARRY = "does_not_carry";

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if fewer than two reports are given, report names repeat, or the rows (also
     *     the multi-label ones) do not have one share per report and one difference per report after the first
     */
    public AuditComparison {
        requireNonNull(side, "side");
        checkArgument(confidenceLevel > 0 && confidenceLevel < 1, "confidence level %s", confidenceLevel);
        requireNonNull(taxonomyId, "taxonomyId");
        requireNonNull(taxonomyVersion, "taxonomyVersion");
        reports = List.copyOf(reports);
        values = List.copyOf(values);
        requireNonNull(homogeneity, "homogeneity");
        divergences = List.copyOf(divergences);
        warnings = List.copyOf(warnings);
        requireNonNull(multiLabel, "multiLabel");
        checkArgument(reports.size() >= 2, "a comparison needs at least two reports, got %s", reports.size());
        Set<String> names = new HashSet<>();
        for (ComparedReport r : reports) {
            checkArgument(names.add(r.name()), "report name '%s' appears twice", r.name());
        }
        for (ValueRow v : values) {
            checkArgument(v.shares().size() == reports.size(), "%s: %s shares for %s reports", v.id(),
                    v.shares().size(), reports.size());
            checkArgument(v.differences().size() == reports.size() - 1, "%s: %s differences for %s reports", v.id(),
                    v.differences().size(), reports.size());
        }
        int k = reports.size();
        checkArgument(divergences.size() == k * (k - 1) / 2, "%s divergences for %s reports", divergences.size(), k);
        for (CarriedRow v : multiLabel.map(MultiLabelComparison::values).orElse(List.of())) {
            checkArgument(v.shares().size() == k, "%s carried: %s shares for %s reports", v.id(), v.shares().size(),
                    k);
            checkArgument(v.differences().size() == k - 1, "%s carried: %s differences for %s reports", v.id(),
                    v.differences().size(), k);
        }
    }

    /** A comparison of reports of a single-label taxonomy: no {@link #multiLabel()} part. */
    public AuditComparison(Side side, double confidenceLevel, String taxonomyId, String taxonomyVersion,
            List<ComparedReport> reports, List<ValueRow> values, Homogeneity homogeneity,
            List<Divergence> divergences, List<String> warnings) {
        this(side, confidenceLevel, taxonomyId, taxonomyVersion, reports, values, homogeneity, divergences, warnings,
                Optional.empty());
    }

    /**
     * Compares the chosen side of the reports; see {@link #of(List, List, Side)}. Each report is named by its
     * {@link AuditReport#dataset() dataset}, with {@code " (2)"}, {@code " (3)"}, ... added to repeated names.
     */
    public static AuditComparison of(List<AuditReport> reports) {
        return of(reports, Side.CHOSEN);
    }

    /**
     * Compares one side of the reports; see {@link #of(List, List, Side)}. Each report is named by its
     * {@link AuditReport#dataset() dataset}, with {@code " (2)"}, {@code " (3)"}, ... added to repeated names.
     */
    public static AuditComparison of(List<AuditReport> reports, Side side) {
        requireNonNull(reports, "reports");
        List<String> names = new ArrayList<>();
        for (AuditReport r : reports) {
            String base = requireNonNull(r, "report").dataset().isBlank() ? "report" : r.dataset();
            String name = base;
            for (int k = 2; names.contains(name); k++) {
                name = base + " (" + k + ")";
            }
            names.add(name);
        }
        return of(names, reports, side);
    }

    /**
     * Compares one side of two or more reports.
     *
     * @param names a name per report, as tables and charts show it (for example the report's file name); distinct,
     *     not blank
     * @param reports the reports, the first being the baseline of the differences
     * @param side the side to compare
     * @throws IllegalArgumentException if fewer than two reports are given, the names are not distinct and
     *     non-blank or not one per report, two reports use different taxonomies (the message names both reports
     *     and both taxonomies), one report is multi-label and another is not (the message names both), or a report
     *     lacks the side or has no classified text on it
     */
    public static AuditComparison of(List<String> names, List<AuditReport> reports, Side side) {
        requireNonNull(names, "names");
        requireNonNull(reports, "reports");
        requireNonNull(side, "side");
        checkArgument(reports.size() >= 2, "a comparison needs at least two reports, got %s", reports.size());
        checkArgument(names.size() == reports.size(), "%s names for %s reports", names.size(), reports.size());
        Set<String> distinct = new HashSet<>();
        for (String name : names) {
            checkArgument(name != null && !name.isBlank(), "report names must not be blank");
            checkArgument(distinct.add(name), "report name '%s' appears twice", name);
        }

        AuditReport first = reports.get(0);
        List<SideSummary> summaries = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            AuditReport r = requireNonNull(reports.get(i), "report");
            String name = names.get(i);
            checkSameTaxonomy(names.get(0), first, name, r);
            checkSameKind(names.get(0), first, name, r);
            SideSummary s = r.side(side).orElseThrow(() -> new IllegalArgumentException("report '"
                    + name + "' has no " + side.key() + " side (it audited "
                    + r.sides().stream().map(x -> x.side().key()).collect(Collectors.joining(", ")) + ")"));
            checkArgument(s.n() > 0, "report '%s' classified no text on the %s side", names.get(i), side.key());
            summaries.add(s);
        }

        List<ComparedReport> compared = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            AuditReport r = reports.get(i);
            compared.add(new ComparedReport(names.get(i), r.dataset(), summaries.get(i).n(),
                    summaries.get(i).abstained(), r.provenance().classifier().id(),
                    r.provenance().classifier().sha256(),
                    Optional.ofNullable(r.provenance().options().get("text_budget"))));
        }

        List<ValueShare> valueList = summaries.get(0).values();
        List<ValueRow> rows = new ArrayList<>();
        for (int v = 0; v < valueList.size(); v++) {
            List<Share> shares = new ArrayList<>();
            for (SideSummary s : summaries) {
                shares.add(Share.of(s.values().get(v).count(), s.n()));
            }
            rows.add(new ValueRow(valueList.get(v).id(), valueList.get(v).label(), shares,
                    differences(names, shares)));
        }

        boolean withAbstained = summaries.stream().anyMatch(s -> s.abstained() > 0);
        List<String> categories = new ArrayList<>();
        valueList.forEach(v -> categories.add(v.id()));
        if (withAbstained) {
            categories.add(ABSTAINED);
        }
        long[][] table = new long[summaries.size()][categories.size()];
        for (int i = 0; i < summaries.size(); i++) {
            SideSummary s = summaries.get(i);
            for (int v = 0; v < valueList.size(); v++) {
                table[i][v] = s.values().get(v).count();
            }
            if (withAbstained) {
                table[i][valueList.size()] = s.abstained();
            }
        }
        Homogeneity homogeneity = Homogeneity.of(categories, table);

        List<Divergence> divergences = new ArrayList<>();
        for (int i = 0; i < table.length; i++) {
            for (int j = i + 1; j < table.length; j++) {
                divergences.add(new Divergence(names.get(i), names.get(j),
                        Divergences.jensenShannon(table[i], table[j])));
            }
        }

        List<String> warnings = new ArrayList<>();
        Set<String> classifiers = compared.stream().map(c -> c.classifierId() + " " + c.classifierSha256().orElse(""))
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        if (classifiers.size() > 1) {
            warnings.add("the reports were made by different classifiers (" + compared.stream()
                    .map(c -> "'" + c.name() + "': " + c.classifierId()
                            + c.classifierSha256().map(h -> " " + shortHash(h)).orElse(""))
                    .collect(Collectors.joining("; "))
                    + "): differences may come from the models rather than the data");
        }
        Set<Optional<String>> budgets = compared.stream().map(ComparedReport::textBudget)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        if (budgets.size() > 1) {
            warnings.add("the reports classified texts under different text budgets (" + compared.stream()
                    .map(c -> "'" + c.name() + "': " + c.textBudget().orElse("unknown"))
                    .collect(Collectors.joining("; ")) + ")");
        }
        if (homogeneity.cellsBelowFive() > 0) {
            warnings.add(homogeneity.cellsBelowFive() + " of the " + homogeneity.cells() + " cells of the chi-square"
                    + " test have an expected count under 5 (smallest "
                    + Formats.decimal(homogeneity.minimumExpectedCount(), 2)
                    + "): its p-value is only approximate");
        }
        Optional<MultiLabelComparison> multiLabel = first.multiLabel().isPresent()
                ? Optional.of(multiLabel(names, reports, side)) : Optional.empty();
        return new AuditComparison(side, 0.95, first.provenance().taxonomyId(), first.provenance().taxonomyVersion(),
                compared, rows, homogeneity, divergences, warnings, multiLabel);
    }

    /** Each report's difference from the first, with its Newcombe interval: one per share after the first. */
    private static List<Difference> differences(List<String> names, List<Share> shares) {
        List<Difference> differences = new ArrayList<>();
        Share base = shares.get(0);
        for (int i = 1; i < shares.size(); i++) {
            Share other = shares.get(i);
            Interval ci = Proportions.newcombe(other.count(), other.n(), base.count(), base.n());
            differences.add(new Difference(names.get(i), names.get(0), other.share() - base.share(), ci.low(),
                    ci.high()));
        }
        return differences;
    }

    /** The values carried per report, from the reports' multi-label parts (all present, of the same taxonomy). */
    private static MultiLabelComparison multiLabel(List<String> names, List<AuditReport> reports, Side side) {
        List<MultiLabelAnalysis.SideValues> sides = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            String name = names.get(i);
            sides.add(reports.get(i).multiLabel().orElseThrow().side(side).orElseThrow(() ->
                    new IllegalArgumentException("report '" + name + "' has no multi-label figures for the "
                            + side.key() + " side")));
        }
        List<MultiLabelAnalysis.ValueCarried> valueList = sides.get(0).values();
        List<CarriedRow> rows = new ArrayList<>();
        for (int v = 0; v < valueList.size(); v++) {
            List<Share> shares = new ArrayList<>();
            long[][] table = new long[sides.size()][];
            for (int i = 0; i < sides.size(); i++) {
                MultiLabelAnalysis.SideValues s = sides.get(i);
                long count = s.values().get(v).count();
                shares.add(Share.of(count, s.n()));
                table[i] = new long[] {count, s.n() - count};
            }
            rows.add(new CarriedRow(valueList.get(v).id(), valueList.get(v).label(), shares,
                    differences(names, shares), Homogeneity.of(List.of(CARRIES, DOES_NOT_CARRY), table)));
        }
        return new MultiLabelComparison(rows);
    }

    private static void checkSameKind(String firstName, AuditReport first, String name, AuditReport r) {
        if (first.multiLabel().isPresent() != r.multiLabel().isPresent()) {
            String multi = first.multiLabel().isPresent() ? firstName : name;
            String single = first.multiLabel().isPresent() ? name : firstName;
            throw new IllegalArgumentException("cannot compare a multi-label report with a single-label one: '"
                    + multi + "' is a multi-label audit (its texts may carry several values), '" + single
                    + "' a single-label one, though both name taxonomy " + r.provenance().taxonomyId() + " "
                    + r.provenance().taxonomyVersion());
        }
    }

    private static String shortHash(String sha256) {
        return "sha256 " + (sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256);
    }

    private static void checkSameTaxonomy(String firstName, AuditReport first, String name, AuditReport r) {
        Provenance a = first.provenance();
        Provenance b = r.provenance();
        if (!a.taxonomyId().equals(b.taxonomyId()) || !a.taxonomyVersion().equals(b.taxonomyVersion())) {
            throw new IllegalArgumentException("cannot compare reports of different taxonomies: '" + firstName
                    + "' uses " + a.taxonomyId() + " " + a.taxonomyVersion() + ", '" + name + "' uses "
                    + b.taxonomyId() + " " + b.taxonomyVersion());
        }
        List<String> ids = valueIds(first);
        List<String> otherIds = valueIds(r);
        if (!ids.equals(otherIds)) {
            throw new IllegalArgumentException("cannot compare reports of different taxonomies: '" + firstName
                    + "' and '" + name + "' both name taxonomy " + a.taxonomyId() + " " + a.taxonomyVersion()
                    + " but list other values: " + ids + " and " + otherIds);
        }
    }

    /** The value ids of a report's first side (every side lists the taxonomy's values in its order). */
    private static List<String> valueIds(AuditReport r) {
        return r.sides().isEmpty() ? List.of()
                : r.sides().get(0).values().stream().map(ValueShare::id).toList();
    }

    /**
     * The row of a value, by id.
     *
     * @throws IllegalArgumentException if there is none
     */
    public ValueRow value(String id) {
        return values.stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no value '" + id + "' in the comparison"));
    }

    /**
     * The divergence of two reports, by name, in either order.
     *
     * @throws IllegalArgumentException if the comparison has no such pair
     */
    public Divergence divergence(String a, String b) {
        return divergences.stream()
                .filter(d -> (d.first().equals(a) && d.second().equals(b)) || (d.first().equals(b)
                        && d.second().equals(a)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no divergence of '" + a + "' and '" + b + "'"));
    }

    /**
     * One compared report.
     *
     * @param name the name the comparison gives it
     * @param dataset the report's {@link AuditReport#dataset() dataset}
     * @param n the classified texts of the compared side
     * @param abstained those for which the prediction policy decided no value
     * @param classifierId the classifier's id, from the report's provenance
     * @param classifierSha256 the classifier's SHA-256, or empty when it has none
     * @param textBudget the audit's text budget, from the report's options, or empty when it does not say
     */
    public record ComparedReport(
            String name, String dataset, long n, long abstained, String classifierId,
            Optional<String> classifierSha256, Optional<String> textBudget) {
        /**
         * Validates the components.
         *
         * @throws IllegalArgumentException if a count is negative or {@code abstained > n}
         */
        public ComparedReport {
            requireNonNull(name, "name");
            requireNonNull(dataset, "dataset");
            requireNonNull(classifierId, "classifierId");
            requireNonNull(classifierSha256, "classifierSha256");
            requireNonNull(textBudget, "textBudget");
            Checks.count(n, "n");
            Checks.count(abstained, "abstained");
            checkArgument(abstained <= n, "%s: abstained %s > n %s", name, abstained, n);
        }

        /** {@code abstained / n} (0 when {@code n = 0}). */
        public double abstainedShare() {
            return n == 0 ? 0 : (double) abstained / n;
        }
    }

    /**
     * One value across the reports.
     *
     * @param id the value's id
     * @param label its label
     * @param shares one per report, in report order; copied
     * @param differences one per report after the first, in report order: that report's share minus the first's;
     *     copied
     */
    public record ValueRow(String id, String label, List<Share> shares, List<Difference> differences) {
        /** Validates and copies the components. */
        public ValueRow {
            requireNonNull(id, "id");
            requireNonNull(label, "label");
            shares = List.copyOf(shares);
            differences = List.copyOf(differences);
        }
    }

    /**
     * A value's share in one report.
     *
     * @param count the texts counted for the value
     * @param n the side's classified texts
     * @param share {@code count / n}
     * @param ciLow the lower bound of the 95% Wilson interval
     * @param ciHigh its upper bound
     */
    public record Share(long count, long n, double share, double ciLow, double ciHigh) {
        /**
         * Validates the components.
         *
         * @throws IllegalArgumentException if {@code count} is not in [0, n], or the share or interval is not in
         *     [0, 1] and ordered
         */
        public Share {
            checkArgument(count >= 0 && count <= n, "count %s not in [0, %s]", count, n);
            Checks.share(share, "share");
            Checks.interval(ciLow, ciHigh, "share");
        }

        /**
         * The share {@code count / n} with its 95% Wilson interval.
         *
         * @throws IllegalArgumentException if {@code n <= 0} or {@code count} is not in [0, n]
         */
        public static Share of(long count, long n) {
            checkArgument(n > 0, "n must be positive, was %s", n);
            Interval ci = Proportions.wilson(count, n);
            return new Share(count, n, (double) count / n, ci.low(), ci.high());
        }
    }

    /**
     * What a comparison of multi-label reports adds: per value, the share of each report's texts carrying it.
     *
     * @param values one row per value, in taxonomy order; copied
     */
    public record MultiLabelComparison(List<CarriedRow> values) {
        /** The note written with the multi-label part of a comparison. */
        public static final String NOTE = "a text may carry several values or none: the shares of a report do not"
                + " sum to 1, and each value has its own test";

        /** Copies the components. */
        public MultiLabelComparison {
            values = List.copyOf(values);
        }

        /**
         * The row of a value, by id.
         *
         * @throws IllegalArgumentException if there is none
         */
        public CarriedRow value(String id) {
            return values.stream().filter(v -> v.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no value '" + id + "' in the comparison"));
        }
    }

    /**
     * One value of a multi-label taxonomy across the reports: how many texts carry it.
     *
     * @param id the value's id
     * @param label its label
     * @param shares one per report, in report order: the texts of the side carrying the value, of the side's
     *     {@code n}; copied
     * @param differences one per report after the first, in report order: that report's share minus the first's,
     *     with its Newcombe interval; copied
     * @param homogeneity the chi-square test of homogeneity of the table reports × ({@link #CARRIES},
     *     {@link #DOES_NOT_CARRY}): does the share carrying the value differ between the reports?
     */
    public record CarriedRow(String id, String label, List<Share> shares, List<Difference> differences,
            Homogeneity homogeneity) {
        /** Validates and copies the components. */
        public CarriedRow {
            requireNonNull(id, "id");
            requireNonNull(label, "label");
            shares = List.copyOf(shares);
            differences = List.copyOf(differences);
            requireNonNull(homogeneity, "homogeneity");
        }
    }

    /**
     * A value's share in one report minus its share in the first report.
     *
     * @param report the report's name
     * @param baseline the first report's name
     * @param difference {@code share(report) - share(baseline)}, in [-1, 1]
     * @param ciLow the lower bound of the 95% Newcombe interval of the difference
     * @param ciHigh its upper bound
     */
    public record Difference(String report, String baseline, double difference, double ciLow, double ciHigh) {
        /**
         * Validates the components.
         *
         * @throws IllegalArgumentException if a number is outside [-1, 1] or the interval is not ordered
         */
        public Difference {
            requireNonNull(report, "report");
            requireNonNull(baseline, "baseline");
            checkArgument(difference >= -1 && difference <= 1, "difference %s", difference);
            checkArgument(ciLow >= -1 && ciLow <= ciHigh && ciHigh <= 1, "interval [%s, %s]", ciLow, ciHigh);
        }

        /** Whether the interval excludes 0 (a difference at the 95% level, without correction for multiplicity). */
        public boolean excludesZero() {
            return ciLow > 0 || ciHigh < 0;
        }
    }

    /**
     * The chi-square test of homogeneity of the reports' distributions.
     *
     * @param categories the columns of the table: for {@link AuditComparison#homogeneity()}, the value ids, then
     *     {@link #ABSTAINED} when any report abstained; for a {@link CarriedRow#homogeneity() multi-label value},
     *     {@link #CARRIES} and {@link #DOES_NOT_CARRY}; copied
     * @param test the statistic, degrees of freedom and p-value (columns and rows with no count are left out)
     * @param minimumExpectedCount the smallest expected count among the cells tested
     * @param cellsBelowFive the cells tested whose expected count is under 5 (the chi-square approximation is poor
     *     when there are many)
     * @param cells the cells tested: non-empty rows times non-empty columns
     */
    public record Homogeneity(
            List<String> categories, ChiSquareTest test, double minimumExpectedCount, int cellsBelowFive, int cells) {
        /**
         * Validates and copies the components.
         *
         * @throws IllegalArgumentException if a count is negative or {@code cellsBelowFive > cells}
         */
        public Homogeneity {
            categories = List.copyOf(categories);
            requireNonNull(test, "test");
            checkArgument(minimumExpectedCount >= 0, "minimum expected count %s", minimumExpectedCount);
            checkArgument(cellsBelowFive >= 0 && cellsBelowFive <= cells, "%s cells below 5 of %s", cellsBelowFive,
                    cells);
        }

        /** Whether {@link #categories()} holds {@link #ABSTAINED}. */
        public boolean includesAbstained() {
            return categories.contains(ABSTAINED);
        }

        static Homogeneity of(List<String> categories, long[][] table) {
            ChiSquareTest test = ChiSquareTest.homogeneity(table);
            int columns = categories.size();
            long[] rowTotals = new long[table.length];
            long[] columnTotals = new long[columns];
            long total = 0;
            for (int r = 0; r < table.length; r++) {
                for (int c = 0; c < columns; c++) {
                    rowTotals[r] += table[r][c];
                    columnTotals[c] += table[r][c];
                    total += table[r][c];
                }
            }
            double min = Double.POSITIVE_INFINITY;
            int below = 0;
            int cells = 0;
            for (int r = 0; r < table.length; r++) {
                for (int c = 0; c < columns; c++) {
                    if (rowTotals[r] == 0 || columnTotals[c] == 0) {
                        continue;
                    }
                    double expected = (double) rowTotals[r] * columnTotals[c] / total;
                    min = Math.min(min, expected);
                    below += expected < 5 ? 1 : 0;
                    cells++;
                }
            }
            return new Homogeneity(categories, test, cells == 0 ? 0 : min, below, cells);
        }
    }

    /**
     * The Jensen-Shannon divergence of two reports' distributions over the {@link Homogeneity#categories()}.
     *
     * @param first the first report's name
     * @param second the second report's name
     * @param jensenShannon the divergence in bits: 0 for identical distributions, at most 1
     */
    public record Divergence(String first, String second, double jensenShannon) {
        /**
         * Validates the components.
         *
         * @throws IllegalArgumentException if the divergence is outside [0, 1]
         */
        public Divergence {
            requireNonNull(first, "first");
            requireNonNull(second, "second");
            Checks.share(jensenShannon, "jensen_shannon");
        }
    }
}
