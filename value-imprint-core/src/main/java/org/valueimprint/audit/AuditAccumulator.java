package org.valueimprint.audit;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.data.Conversation;
import org.valueimprint.data.PreferencePair;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;
import org.valueimprint.data.TextBudget;
import org.valueimprint.io.ProblemKind;
import org.valueimprint.io.ReadStats;
import org.valueimprint.report.Accounting;
import org.valueimprint.report.AuditReport;
import org.valueimprint.report.Example;
import org.valueimprint.report.Provenance;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * The running totals of an audit, from which an {@link AuditReport} is made. {@link ValueAuditor} fills one; a
 * distributed audit (threads, checkpoints, Spark partitions) fills one per part and {@link #merge merges} them.
 *
 * <p>What it holds, per source dataset and audited side: the number of texts, the count per value (the decided value:
 * the top value, or for a multi-label taxonomy the most probable selected one; abstentions apart), the count per top
 * value (for adjusted classify-and-count), the probability sums, abstentions, low-confidence texts, truncated texts
 * and total text length; per source, the pair counts (the joint table of top values and the preference analysis's
 * counts by length-ratio bin); the most typical examples per side and value; and the accounting: records audited and
 * records skipped by reason (the reader's reasons, added with {@link #addReadStats}, and the auditor's own), and,
 * in their own unit, the source records (lines, array elements, rows) the readers read, accepted and skipped
 * ({@link #sourceRecords()}; see {@link Accounting} for the two units).
 *
 * <p>For a multi-label taxonomy it also holds, per source and side, the co-occurrence of selected values (whose
 * diagonal counts the texts carrying each value), and per source, for each value, the untied pairs where only the
 * chosen side carries it, only the rejected side, or both; the report's
 * {@link org.valueimprint.report.MultiLabelAnalysis} is made from them. These totals merge exactly like the others;
 * the JSON form of a single-label accumulator is unchanged.
 *
 * <p><b>Exact and order-independent.</b> Every total is an integer: counts are {@code long}s and probabilities are
 * added in fixed point (each rounded to a multiple of 2^-32), so addition is associative; examples are a top-K
 * under a total order (probability descending, then record id, source and excerpt ascending). Hence
 * {@link #merge} is associative and commutative, and accumulating a list of records gives the same accumulator as
 * merging the accumulations of the parts of any partition of that list, in any order. Two accumulators are
 * {@link #equals equal} when all their totals are.
 *
 * <p>Mutable and not thread-safe: confine each accumulator to one thread and merge at the end. {@link #merge}
 * leaves both operands unchanged and returns a new accumulator. {@link #toJson()} and {@link #fromJson} make a
 * lossless copy (for checkpoints and for shipping partial results between machines).
 *
 * <pre>{@code
 * AuditAccumulator part1 = new AuditAccumulator(taxonomy, EnumSet.of(Side.CHOSEN, Side.REJECTED), 0.5, 3);
 * AuditAccumulator part2 = ...;                              // filled elsewhere with the same settings
 * part1.add(record, Map.of(Side.CHOSEN, chosenText, Side.REJECTED, rejectedText));
 * AuditReport report = part1.merge(part2).toReport("my data", taxonomy, classifier.knownConfusion(), provenance);
 * }</pre>
 */
public final class AuditAccumulator {
    /** The skip reason of a record with no text on any audited side. */
    public static final String NO_TEXT = "no_text";
    /** The skip reason of a record left out by a random sample. */
    public static final String NOT_SAMPLED = Accounting.NOT_SAMPLED;

    private static final String FORMAT = "value-imprint-accumulator";
    private static final int FORMAT_VERSION = 1;
    private static final TextBudget EXCERPT = TextBudget.chars(Example.MAX_EXCERPT_CHARS - TextBudget.ELLIPSIS.length());
    /** Most typical first: probability descending, then record id, source and excerpt ascending. */
    static final Comparator<Example> EXAMPLE_ORDER = Comparator.comparingDouble(Example::probability).reversed()
            .thenComparing(Example::recordId).thenComparing(Example::source).thenComparing(Example::excerpt);

    private final String taxonomyId;
    private final String taxonomyVersion;
    private final List<String> valueIds;
    private final boolean multiLabel;
    private final Set<Side> sides;
    private final double lowConfidenceThreshold;
    private final int examplesPerValue;
    private long recordsAudited;
    private final TreeMap<String, Long> skipped = new TreeMap<>();
    private long sourceRead;
    private long sourceAccepted;
    private final TreeMap<String, Long> sourceSkipped = new TreeMap<>();
    private final TreeMap<String, SourceTally> sources = new TreeMap<>();
    private final EnumMap<Side, List<TreeSet<Example>>> examples = new EnumMap<>(Side.class);

    /**
     * An empty accumulator.
     *
     * @param taxonomy the taxonomy the classifier predicts
     * @param sides the audited sides; not empty
     * @param lowConfidenceThreshold a text whose top probability is under this counts as low-confidence; in [0, 1]
     * @param examplesPerValue how many examples to keep per side and value; 0 or more
     * @throws IllegalArgumentException if {@code sides} is empty or a number is out of range
     */
    public AuditAccumulator(ValueTaxonomy taxonomy, Set<Side> sides, double lowConfidenceThreshold,
            int examplesPerValue) {
        this(requireNonNull(taxonomy, "taxonomy").id(), taxonomy.version(),
                taxonomy.values().stream().map(v -> v.id()).toList(), taxonomy.multiLabel(), sides,
                lowConfidenceThreshold, examplesPerValue);
    }

    private AuditAccumulator(String taxonomyId, String taxonomyVersion, List<String> valueIds, boolean multiLabel,
            Set<Side> sides, double lowConfidenceThreshold, int examplesPerValue) {
        requireNonNull(sides, "sides");
        checkArgument(!sides.isEmpty(), "at least one side must be audited");
        checkArgument(lowConfidenceThreshold >= 0 && lowConfidenceThreshold <= 1,
                "lowConfidenceThreshold must be in [0, 1], was %s", lowConfidenceThreshold);
        checkArgument(examplesPerValue >= 0, "examplesPerValue must be >= 0, was %s", examplesPerValue);
        this.taxonomyId = taxonomyId;
        this.taxonomyVersion = taxonomyVersion;
        this.valueIds = List.copyOf(valueIds);
        this.multiLabel = multiLabel;
        this.sides = Collections.unmodifiableSet(EnumSet.copyOf(sides));
        this.lowConfidenceThreshold = lowConfidenceThreshold;
        this.examplesPerValue = examplesPerValue;
        for (Side s : this.sides) {
            List<TreeSet<Example>> perValue = new ArrayList<>();
            for (int i = 0; i < valueIds.size(); i++) {
                perValue.add(new TreeSet<>(EXAMPLE_ORDER));
            }
            examples.put(s, perValue);
        }
    }

    /** The audited sides. */
    public Set<Side> sides() {
        return sides;
    }

    /** The low-confidence threshold. */
    public double lowConfidenceThreshold() {
        return lowConfidenceThreshold;
    }

    /** How many examples are kept per side and value. */
    public int examplesPerValue() {
        return examplesPerValue;
    }

    /** The records added with at least one classified side. */
    public long recordsAudited() {
        return recordsAudited;
    }

    /** The records skipped, all reasons together. */
    public long recordsSkipped() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The records skipped per reason; an unmodifiable copy sorted by reason. */
    public Map<String, Long> skippedByReason() {
        return Collections.unmodifiableMap(new TreeMap<>(skipped));
    }

    /**
     * The source records (lines, array elements, rows) the readers read, accepted and skipped, as added with
     * {@link #addReadStats}; {@link Accounting.SourceRecords#NONE} when none were added.
     */
    public Accounting.SourceRecords sourceRecords() {
        long skippedSources = sourceSkipped.values().stream().mapToLong(Long::longValue).sum();
        return new Accounting.SourceRecords(sourceRead, sourceAccepted, skippedSources, sourceSkipped);
    }

    /** The texts classified, all sides and sources together. */
    public long textsClassified() {
        long n = 0;
        for (SourceTally t : sources.values()) {
            for (SideTally s : t.sides.values()) {
                n += s.n;
            }
        }
        return n;
    }

    /** The per-source counts, for validating checkpoints; not a copy. */
    Map<String, SourceTally> sourceTallies() {
        return sources;
    }

    /** The source dataset names seen so far, sorted. */
    public Set<String> sourceNames() {
        return Collections.unmodifiableSet(sources.navigableKeySet());
    }

    /**
     * Adds one record: the classified texts of its audited sides. A record with no classified side is counted as
     * skipped for {@link #NO_TEXT}; otherwise it is audited, and each audited side missing from {@code classified}
     * counts as missing for that side. Sides in {@code classified} that are not audited are ignored.
     *
     * <p>When the record is a {@link PreferencePair} with both its chosen and rejected sides classified, it also
     * enters the pair counts: the joint table of top values and, unless it is a tie, the preference analysis.
     *
     * @throws IllegalArgumentException if a prediction is for another number of values than this accumulator's
     */
    public void add(PreferenceRecord record, Map<Side, ClassifiedText> classified) {
        requireNonNull(record, "record");
        requireNonNull(classified, "classified");
        EnumMap<Side, ClassifiedText> present = new EnumMap<>(Side.class);
        for (Map.Entry<Side, ClassifiedText> e : classified.entrySet()) {
            if (sides.contains(e.getKey())) {
                checkArgument(e.getValue().prediction().size() == valueIds.size(),
                        "a prediction of %s values for a taxonomy of %s", e.getValue().prediction().size(),
                        valueIds.size());
                present.put(e.getKey(), e.getValue());
            }
        }
        if (present.isEmpty()) {
            addSkipped(NO_TEXT, 1);
            return;
        }
        recordsAudited++;
        SourceTally source = sources.computeIfAbsent(record.source().dataset(),
                k -> new SourceTally(sides, valueIds.size(), multiLabel));
        source.recordsAudited++;
        for (Side side : sides) {
            ClassifiedText text = present.get(side);
            SideTally tally = source.sides.get(side);
            if (text == null) {
                tally.missing++;
                continue;
            }
            tally.add(text, lowConfidenceThreshold);
            int counted = SideTally.countedValue(text.prediction());
            if (counted >= 0 && examplesPerValue > 0) {
                offerExample(record, side, counted, text.prediction().probability(counted));
            }
        }
        ClassifiedText chosen = present.get(Side.CHOSEN);
        ClassifiedText rejected = present.get(Side.REJECTED);
        if (record instanceof PreferencePair pair && chosen != null && rejected != null) {
            source.pairs.add(chosen.prediction().topIndex(), rejected.prediction().topIndex(), pair.tie(),
                    pair.chosen().textLength(), pair.rejected().textLength());
            if (multiLabel && !pair.tie()) {
                source.pairs.addCarried(chosen.prediction(), rejected.prediction());
            }
        }
    }

    private void offerExample(PreferenceRecord record, Side side, int value, double probability) {
        TreeSet<Example> top = examples.get(side).get(value);
        if (top.size() >= examplesPerValue) {
            Example worst = top.last();
            int c = Double.compare(probability, worst.probability());
            if (c < 0 || (c == 0 && record.id().compareTo(worst.recordId()) > 0)) {
                return; // cannot enter the top-K: skip rendering the excerpt
            }
        }
        top.add(new Example(record.id(), record.source().dataset(), side, valueIds.get(value), probability,
                excerpt(record, side)));
        while (top.size() > examplesPerValue) {
            top.pollLast();
        }
    }

    /** The start of a side's response (the prompt for the prompt side), at most 300 characters. */
    static String excerpt(PreferenceRecord record, Side side) {
        Conversation c;
        switch (side) {
            case CHOSEN:
                c = record.chosen();
                break;
            case REJECTED:
                c = record instanceof PreferencePair p ? p.rejected() : Conversation.empty();
                break;
            default:
                c = record.prompt();
                break;
        }
        return EXCERPT.fit(c.render());
    }

    /**
     * Counts {@code count} records as skipped for {@code reason} (a lower-case key such as {@code no_text}).
     *
     * @throws IllegalArgumentException if {@code count < 0} or the reason is blank
     */
    public void addSkipped(String reason, long count) {
        requireNonNull(reason, "reason");
        checkArgument(!reason.isBlank(), "reason must not be blank");
        checkArgument(count >= 0, "count must be >= 0, was %s", count);
        if (count > 0) {
            skipped.merge(reason, count, Long::sum);
        }
    }

    /**
     * Adds a reader's figures: its skipped records, each under its {@link ProblemKind#key()}, and its source records
     * read and accepted (for {@link #sourceRecords()}). Call it once per read, with the read's final statistics.
     */
    public void addReadStats(ReadStats stats) {
        requireNonNull(stats, "stats");
        for (Map.Entry<ProblemKind, Long> e : stats.skippedByReason().entrySet()) {
            addSkipped(e.getKey().key(), e.getValue());
            if (e.getValue() > 0) {
                sourceSkipped.merge(e.getKey().key(), e.getValue(), Long::sum);
            }
        }
        sourceAccepted += stats.recordsAccepted();
        sourceRead += stats.recordsRead();
    }

    /**
     * Returns a new accumulator holding the totals of this one and {@code other}; neither changes. Associative and
     * commutative.
     *
     * @throws IllegalArgumentException if the two were made with different taxonomies, sides, low-confidence
     *     thresholds or examples per value
     */
    public AuditAccumulator merge(AuditAccumulator other) {
        requireNonNull(other, "other");
        checkArgument(sameSettings(other), "cannot merge accumulators with different settings: %s and %s",
                settings(), other.settings());
        AuditAccumulator out = copy();
        out.addAll(other);
        return out;
    }

    /** A copy that changes independently of this one. */
    public AuditAccumulator copy() {
        AuditAccumulator out = new AuditAccumulator(taxonomyId, taxonomyVersion, valueIds, multiLabel, sides,
                lowConfidenceThreshold, examplesPerValue);
        out.addAll(this);
        return out;
    }

    private void addAll(AuditAccumulator o) {
        recordsAudited += o.recordsAudited;
        o.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
        sourceRead += o.sourceRead;
        sourceAccepted += o.sourceAccepted;
        o.sourceSkipped.forEach((k, v) -> sourceSkipped.merge(k, v, Long::sum));
        o.sources.forEach((name, tally) -> sources.computeIfAbsent(name,
                k -> new SourceTally(sides, valueIds.size(), multiLabel)).addAll(tally));
        for (Side s : sides) {
            for (int i = 0; i < valueIds.size(); i++) {
                TreeSet<Example> mine = examples.get(s).get(i);
                mine.addAll(o.examples.get(s).get(i));
                while (mine.size() > examplesPerValue) {
                    mine.pollLast();
                }
            }
        }
    }

    private boolean sameSettings(AuditAccumulator o) {
        return taxonomyId.equals(o.taxonomyId) && taxonomyVersion.equals(o.taxonomyVersion)
                && valueIds.equals(o.valueIds) && multiLabel == o.multiLabel && sides.equals(o.sides)
                && Double.compare(lowConfidenceThreshold, o.lowConfidenceThreshold) == 0
                && examplesPerValue == o.examplesPerValue;
    }

    private String settings() {
        return "{taxonomy " + taxonomyId + " " + taxonomyVersion + ", sides " + sides + ", low confidence < "
                + lowConfidenceThreshold + ", " + examplesPerValue + " examples per value}";
    }

    /**
     * Makes the report.
     *
     * @param dataset what was audited, for people
     * @param taxonomy the taxonomy this accumulator was made with (for labels, frameworks and groups)
     * @param confusion the classifier's known confusion, for adjusted shares; empty for none
     * @param provenance where the report comes from
     * @throws IllegalArgumentException if the taxonomy is not the one this accumulator was made with
     */
    public AuditReport toReport(String dataset, ValueTaxonomy taxonomy, Optional<KnownConfusion> confusion,
            Provenance provenance) {
        requireNonNull(taxonomy, "taxonomy");
        checkArgument(taxonomy.id().equals(taxonomyId) && taxonomy.version().equals(taxonomyVersion)
                        && taxonomy.values().stream().map(v -> v.id()).toList().equals(valueIds),
                "the accumulator was made with taxonomy %s %s, not %s %s", taxonomyId, taxonomyVersion,
                taxonomy.id(), taxonomy.version());
        checkArgument(taxonomy.multiLabel() == multiLabel, "the accumulator was made with a %s taxonomy",
                multiLabel ? "multi-label" : "single-label");
        return new ReportAssembler(taxonomy, sides, confusion).assemble(dataset, lowConfidenceThreshold,
                recordsAudited, skipped, sourceRecords(), sources, examples, provenance);
    }

    /** This accumulator as a JSON text, read back by {@link #fromJson}. */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(toJsonTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode toJsonTree() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("format_version", FORMAT_VERSION);
        ObjectNode t = o.putObject("taxonomy");
        t.put("id", taxonomyId);
        t.put("version", taxonomyVersion);
        ArrayNode ids = t.putArray("values");
        valueIds.forEach(ids::add);
        if (multiLabel) {
            t.put("multi_label", true);
        }
        ArrayNode s = o.putArray("sides");
        sides.forEach(side -> s.add(side.key()));
        o.put("low_confidence_threshold", lowConfidenceThreshold);
        o.put("examples_per_value", examplesPerValue);
        o.put("records_audited", recordsAudited);
        ObjectNode sk = o.putObject("skipped_by_reason");
        skipped.forEach(sk::put);
        ObjectNode so = o.putObject("source_records");
        so.put("read", sourceRead);
        so.put("accepted", sourceAccepted);
        ObjectNode ssk = so.putObject("skipped_by_reason");
        sourceSkipped.forEach(ssk::put);
        ObjectNode src = o.putObject("sources");
        sources.forEach((name, tally) -> src.set(name, tally.toJson()));
        ObjectNode ex = o.putObject("examples");
        examples.forEach((side, perValue) -> {
            ObjectNode bySide = ex.putObject(side.key());
            for (int i = 0; i < valueIds.size(); i++) {
                ArrayNode list = bySide.putArray(valueIds.get(i));
                for (Example e : perValue.get(i)) {
                    ObjectNode en = list.addObject();
                    en.put("record_id", e.recordId());
                    en.put("source", e.source());
                    en.put("probability", e.probability());
                    en.put("excerpt", e.excerpt());
                }
            }
        });
        return o;
    }

    /**
     * Reads an accumulator written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @param taxonomy the taxonomy it must have been made with
     * @throws IllegalArgumentException if the text is not such an accumulator or was made with another taxonomy
     */
    public static AuditAccumulator fromJson(String json, ValueTaxonomy taxonomy) {
        try {
            return fromJsonTree(Json.MAPPER.readTree(requireNonNull(json, "json")), taxonomy);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an accumulator: " + e.getOriginalMessage(), e);
        }
    }

    static AuditAccumulator fromJsonTree(JsonNode o, ValueTaxonomy taxonomy) {
        requireNonNull(taxonomy, "taxonomy");
        if (!o.isObject() || !FORMAT.equals(o.path("format").asText())) {
            throw new IllegalArgumentException("not an accumulator: \"format\" is not \"" + FORMAT + "\"");
        }
        long version = Json.requireLong(o, "format_version");
        checkArgument(version == FORMAT_VERSION, "accumulator format version %s is not supported (only %s)", version,
                FORMAT_VERSION);
        JsonNode t = Json.require(o, "taxonomy");
        List<String> ids = new ArrayList<>();
        Json.require(t, "values").forEach(v -> ids.add(v.asText()));
        List<String> expected = taxonomy.values().stream().map(v -> v.id()).toList();
        String tid = Json.requireText(t, "id");
        String tversion = Json.requireText(t, "version");
        checkArgument(tid.equals(taxonomy.id()) && tversion.equals(taxonomy.version()) && ids.equals(expected),
                "the accumulator was made with taxonomy %s %s %s, not %s %s %s", tid, tversion, ids, taxonomy.id(),
                taxonomy.version(), expected);
        boolean multiLabel = t.path("multi_label").asBoolean(false);
        checkArgument(multiLabel == taxonomy.multiLabel(), "the accumulator was made with a %s taxonomy, but %s %s "
                + "is %s", multiLabel ? "multi-label" : "single-label", taxonomy.id(), taxonomy.version(),
                taxonomy.multiLabel() ? "multi-label" : "single-label");
        EnumSet<Side> sides = EnumSet.noneOf(Side.class);
        for (JsonNode s : Json.require(o, "sides")) {
            sides.add(side(s.asText()));
        }
        AuditAccumulator acc = new AuditAccumulator(tid, tversion, ids, multiLabel, sides,
                Json.requireDouble(o, "low_confidence_threshold"), (int) Json.requireLong(o, "examples_per_value"));
        acc.recordsAudited = Json.requireLong(o, "records_audited");
        Json.require(o, "skipped_by_reason").properties().forEach(e -> {
            checkArgument(e.getValue().canConvertToExactIntegral(), "skipped count of %s is not an integer",
                    e.getKey());
            acc.addSkipped(e.getKey(), e.getValue().longValue());
        });
        JsonNode so = o.get("source_records"); // absent in accumulators written before it existed
        if (so != null) {
            acc.sourceRead = Json.requireLong(so, "read");
            acc.sourceAccepted = Json.requireLong(so, "accepted");
            Json.require(so, "skipped_by_reason").properties().forEach(e -> {
                checkArgument(e.getValue().canConvertToExactIntegral() && e.getValue().longValue() > 0,
                        "source records skipped for %s is not a positive integer", e.getKey());
                acc.sourceSkipped.put(e.getKey(), e.getValue().longValue());
            });
            acc.sourceRecords(); // checks that they add up
        }
        Json.require(o, "sources").properties().forEach(e ->
                acc.sources.put(e.getKey(), SourceTally.fromJson(e.getValue(), sides, ids.size(), multiLabel)));
        JsonNode ex = Json.require(o, "examples");
        for (Side side : sides) {
            JsonNode bySide = Json.require(ex, side.key());
            for (int i = 0; i < ids.size(); i++) {
                for (JsonNode en : Json.require(bySide, ids.get(i))) {
                    acc.examples.get(side).get(i).add(new Example(Json.requireText(en, "record_id"),
                            Json.requireText(en, "source"), side, ids.get(i), Json.requireDouble(en, "probability"),
                            Json.requireText(en, "excerpt")));
                }
            }
        }
        return acc;
    }

    private static Side side(String key) {
        for (Side s : Side.values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown side \"" + key + "\"");
    }

    /** Equal when made with the same settings and holding the same totals and examples. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AuditAccumulator a && sameSettings(a) && recordsAudited == a.recordsAudited
                && skipped.equals(a.skipped) && sourceRead == a.sourceRead && sourceAccepted == a.sourceAccepted
                && sourceSkipped.equals(a.sourceSkipped) && sources.equals(a.sources) && examplesEqual(a);
    }

    private boolean examplesEqual(AuditAccumulator a) {
        for (Side s : sides) {
            for (int i = 0; i < valueIds.size(); i++) {
                if (!new ArrayList<>(examples.get(s).get(i)).equals(new ArrayList<>(a.examples.get(s).get(i)))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(recordsAudited) * 31 + sources.hashCode();
    }

    /** A one-line summary: records audited and skipped, texts classified, sources. */
    @Override
    public String toString() {
        return "AuditAccumulator{" + recordsAudited + " audited, " + recordsSkipped() + " skipped, "
                + textsClassified() + " texts, sources " + sources.keySet() + "}";
    }
}
