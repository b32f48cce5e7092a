package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.data.Side;
import org.valueimprint.internal.OutputFiles;

/**
 * Writes an {@link AuditReport} as JSON and reads it back: the versioned schema documented in
 * {@code docs/report-schema.md} and {@code docs/report.schema.json} (JSON Schema draft 2020-12).
 *
 * <pre>{@code
 * ReportJson.write(report, Path.of("report.json"));
 * AuditReport same = ReportJson.read(Path.of("report.json"));   // equals report
 * }</pre>
 *
 * <p>The top level holds {@code schema_version} ({@value #SCHEMA_VERSION}), {@code dataset},
 * {@code confidence_level}, {@code low_confidence_threshold}, {@code accounting}, {@code sides} (an object keyed by
 * {@code chosen}, {@code rejected}, {@code prompt}, each with its {@code values} list), {@code pairs},
 * {@code sources}, {@code examples} and {@code provenance}. Keys are snake_case; absent optional numbers are
 * {@code null}; numbers are written so that they read back exactly, so {@code read(write(r))} equals {@code r}.
 *
 * <p>Reading checks the schema version (a report of a later major version is refused) and every field the schema
 * requires; unknown fields are ignored, so later minor additions stay readable.
 */
public final class ReportJson {
    /** The schema version this class writes and reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReportJson() {}

    /** The report as an indented JSON text. */
    public static String toJson(AuditReport report) {
        return indented(toTree(report));
    }

    /** A JSON tree as indented text: the layout of every JSON file this package writes. */
    static String indented(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a JSON tree, indented, to a stream, which is flushed but not closed. */
    static void write(JsonNode tree, OutputStream out) throws IOException {
        requireNonNull(out, "out");
        MAPPER.writeValue(out, tree);
        out.flush();
    }

    /** Writes the report to a file (UTF-8), replacing it atomically ({@link OutputFiles}). */
    public static void write(AuditReport report, Path file) throws IOException {
        requireNonNull(file, "file");
        JsonNode tree = toTree(report);
        OutputFiles.write(file, out -> write(tree, out));
    }

    /** Writes the report to a stream (UTF-8), which is flushed but not closed. */
    public static void write(AuditReport report, OutputStream out) throws IOException {
        write(toTree(report), out);
    }

    /** Reads a report from a JSON text; see {@link #fromTree}. */
    public static AuditReport fromJson(String json) {
        try {
            return fromTree(MAPPER.readTree(requireNonNull(json, "json")));
        } catch (JsonProcessingException e) {
            throw new InvalidReportException("not a JSON report: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a report from a file.
     *
     * @throws IOException when the file cannot be read
     * @throws InvalidReportException when it is not a valid report; the message names the file and the field
     */
    public static AuditReport read(Path file) throws IOException {
        requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (InvalidReportException e) {
            throw new InvalidReportException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a report from a stream (UTF-8), which is not closed. */
    public static AuditReport read(InputStream in) throws IOException {
        requireNonNull(in, "in");
        JsonNode tree;
        try {
            tree = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidReportException("not a JSON report: " + e.getOriginalMessage(), e);
        }
        return fromTree(tree);
    }

    // ---------------------------------------------------------------- writing

    /** The report as a JSON tree (for embedding in another document, such as a comparison). */
    public static ObjectNode toTree(AuditReport r) {
        requireNonNull(r, "report");
        ObjectNode o = NODES.objectNode();
        o.put("schema_version", SCHEMA_VERSION);
        o.put("dataset", r.dataset());
        o.put("confidence_level", r.confidenceLevel());
        o.put("low_confidence_threshold", r.lowConfidenceThreshold());
        o.set("accounting", accounting(r.accounting()));
        o.set("sides", sides(r.sides()));
        if (r.pairs().isPresent()) {
            o.set("pairs", pairs(r.pairs().get()));
        } else {
            o.putNull("pairs");
        }
        ArrayNode sources = o.putArray("sources");
        for (SourceSummary s : r.sources()) {
            ObjectNode so = sources.addObject();
            so.put("source", s.source());
            so.put("records_audited", s.recordsAudited());
            so.set("sides", sides(s.sides()));
            if (s.pairs().isPresent()) {
                so.set("pairs", pairs(s.pairs().get()));
            } else {
                so.putNull("pairs");
            }
        }
        ArrayNode examples = o.putArray("examples");
        for (Example e : r.examples()) {
            ObjectNode eo = examples.addObject();
            eo.put("record_id", e.recordId());
            eo.put("source", e.source());
            eo.put("side", e.side().key());
            eo.put("value_id", e.valueId());
            eo.put("probability", e.probability());
            eo.put("excerpt", e.excerpt());
        }
        o.set("provenance", provenance(r.provenance()));
        r.multiLabel().ifPresent(m -> o.set("multi_label", multiLabel(m)));
        return o;
    }

    /** The note written with every multi-label part. */
    static final String MULTI_LABEL_NOTE = "a text may carry several values or none: the shares of a side do not "
            + "sum to 1";

    private static ObjectNode multiLabel(MultiLabelAnalysis m) {
        ObjectNode o = NODES.objectNode();
        o.put("note", MULTI_LABEL_NOTE);
        ArrayNode ids = o.putArray("value_ids");
        m.valueIds().forEach(ids::add);
        ObjectNode sides = o.putObject("sides");
        for (MultiLabelAnalysis.SideValues s : m.sides()) {
            ObjectNode so = sides.putObject(s.side().key());
            so.put("n", s.n());
            so.put("mean_values_per_text", s.meanValuesPerText());
            so.put("no_value", s.noValue());
            so.set("values", carried(s.values()));
            ArrayNode table = so.putArray("cooccurrence");
            for (List<Long> row : s.cooccurrence()) {
                ArrayNode r = table.addArray();
                row.forEach(r::add);
            }
        }
        if (m.pairs().isPresent()) {
            ArrayNode pairs = o.putArray("pairs");
            for (MultiLabelAnalysis.CarriedPreference c : m.pairs().get()) {
                ObjectNode co = pairs.addObject();
                co.put("id", c.id());
                co.put("label", c.label());
                co.put("chosen_only", c.chosenOnly());
                co.put("rejected_only", c.rejectedOnly());
                co.put("both", c.both());
                co.put("compared_pairs", c.compared());
                putOptional(co, "chosen_share", c.chosenShare());
                co.put("ci_low", c.ciLow());
                co.put("ci_high", c.ciHigh());
                co.put("p_value", c.pValue());
            }
        } else {
            o.putNull("pairs");
        }
        ArrayNode sources = o.putArray("sources");
        for (MultiLabelAnalysis.SourceValues source : m.sources()) {
            ObjectNode so = sources.addObject();
            so.put("source", source.source());
            ObjectNode sourceSides = so.putObject("sides");
            for (MultiLabelAnalysis.SourceSide s : source.sides()) {
                ObjectNode side = sourceSides.putObject(s.side().key());
                side.put("n", s.n());
                side.put("mean_values_per_text", s.meanValuesPerText());
                side.put("no_value", s.noValue());
                side.set("values", carried(s.values()));
            }
        }
        return o;
    }

    private static ArrayNode carried(List<MultiLabelAnalysis.ValueCarried> carried) {
        ArrayNode values = NODES.arrayNode();
        for (MultiLabelAnalysis.ValueCarried v : carried) {
            ObjectNode vo = values.addObject();
            vo.put("id", v.id());
            vo.put("label", v.label());
            vo.put("count", v.count());
            vo.put("share", v.share());
            vo.put("ci_low", v.ciLow());
            vo.put("ci_high", v.ciHigh());
        }
        return values;
    }

    private static MultiLabelAnalysis.ValueCarried readCarried(Reader v) {
        return new MultiLabelAnalysis.ValueCarried(v.text("id"), v.text("label"), v.integer("count"),
                v.number("share"), v.number("ci_low"), v.number("ci_high"));
    }

    private static MultiLabelAnalysis readMultiLabel(Reader m) {
        List<String> ids = m.list("value_ids", Reader::asText);
        Reader sidesNode = m.object("sides");
        List<MultiLabelAnalysis.SideValues> sides = new ArrayList<>();
        for (Side side : Side.values()) {
            sidesNode.optionalObject(side.key()).ifPresent(s -> sides.add(new MultiLabelAnalysis.SideValues(side,
                    s.integer("n"), s.list("values", ReportJson::readCarried),
                    s.list("cooccurrence", row -> row.list(null, Reader::asLong)), s.number("mean_values_per_text"),
                    s.integer("no_value"))));
        }
        Optional<List<MultiLabelAnalysis.CarriedPreference>> pairs = m.node.path("pairs").isArray()
                ? Optional.of(m.list("pairs", c -> new MultiLabelAnalysis.CarriedPreference(c.text("id"),
                        c.text("label"), c.integer("chosen_only"), c.integer("rejected_only"), c.integer("both"),
                        c.integer("compared_pairs"), c.optionalNumber("chosen_share"), c.number("ci_low"),
                        c.number("ci_high"), c.number("p_value"))))
                : Optional.empty();
        // a report written before the per-source breakdown existed has no "sources" here
        List<MultiLabelAnalysis.SourceValues> sources = m.node.has("sources")
                ? m.list("sources", so -> {
                    Reader sidesOfSource = so.object("sides");
                    List<MultiLabelAnalysis.SourceSide> list = new ArrayList<>();
                    for (Side side : Side.values()) {
                        sidesOfSource.optionalObject(side.key()).ifPresent(s -> list.add(
                                new MultiLabelAnalysis.SourceSide(side, s.integer("n"),
                                        s.list("values", ReportJson::readCarried), s.number("mean_values_per_text"),
                                        s.integer("no_value"))));
                    }
                    return new MultiLabelAnalysis.SourceValues(so.text("source"), list);
                })
                : List.of();
        return new MultiLabelAnalysis(ids, sides, pairs, sources);
    }

    private static ObjectNode accounting(Accounting a) {
        ObjectNode o = NODES.objectNode();
        o.put("records_read", a.recordsRead());
        o.put("records_audited", a.recordsAudited());
        o.put("records_skipped", a.recordsSkipped());
        ObjectNode by = o.putObject("skipped_by_reason");
        a.skippedByReason().forEach(by::put);
        o.put("texts_classified", a.textsClassified());
        Accounting.SourceRecords src = a.sourceRecords();
        o.put("source_records_read", src.read());
        o.put("source_records_accepted", src.accepted());
        o.put("source_records_skipped", src.skipped());
        ObjectNode sby = o.putObject("source_skipped_by_reason");
        src.skippedByReason().forEach(sby::put);
        o.put("records_produced", a.recordsProduced());
        ObjectNode nby = o.putObject("records_not_audited_by_reason");
        a.recordsNotAuditedByReason().forEach(nby::put);
        o.put("records_not_sampled", a.recordsNotSampled());
        return o;
    }

    private static ObjectNode sides(List<SideSummary> sides) {
        ObjectNode o = NODES.objectNode();
        for (SideSummary s : sides) {
            o.set(s.side().key(), side(s));
        }
        return o;
    }

    private static ObjectNode side(SideSummary s) {
        ObjectNode o = NODES.objectNode();
        o.put("n", s.n());
        o.put("missing", s.missing());
        ArrayNode values = o.putArray("values");
        for (ValueShare v : s.values()) {
            ObjectNode vo = values.addObject();
            vo.put("id", v.id());
            vo.put("label", v.label());
            vo.put("count", v.count());
            vo.put("share", v.share());
            vo.put("ci_low", v.ciLow());
            vo.put("ci_high", v.ciHigh());
            vo.put("mean_probability", v.meanProbability());
            putOptional(vo, "adjusted_share", v.adjustedShare());
        }
        if (s.adjustmentMethod().isPresent()) {
            o.put("adjustment_method", s.adjustmentMethod().get());
        } else {
            o.putNull("adjustment_method");
        }
        o.set("frameworks", rollUps(s.frameworks()));
        o.set("groups", rollUps(s.groups()));
        o.put("abstained", s.abstained());
        o.put("abstained_share", s.abstainedShare());
        o.put("low_confidence", s.lowConfidence());
        o.put("low_confidence_share", s.lowConfidenceShare());
        o.put("truncated", s.truncated());
        o.put("mean_text_length", s.meanTextLength());
        return o;
    }

    private static ArrayNode rollUps(List<RollUp> rollUps) {
        ArrayNode a = NODES.arrayNode();
        for (RollUp r : rollUps) {
            ObjectNode o = a.addObject();
            o.put("id", r.id());
            o.put("label", r.label());
            ArrayNode ids = o.putArray("value_ids");
            r.valueIds().forEach(ids::add);
            o.put("count", r.count());
            o.put("share", r.share());
            o.put("ci_low", r.ciLow());
            o.put("ci_high", r.ciHigh());
            o.put("mean_probability", r.meanProbability());
            putOptional(o, "adjusted_share", r.adjustedShare());
        }
        return a;
    }

    private static ObjectNode pairs(PairAnalysis p) {
        ObjectNode o = NODES.objectNode();
        o.put("pairs", p.pairs());
        o.put("tie_pairs", p.tiePairs());
        ArrayNode ids = o.putArray("value_ids");
        p.valueIds().forEach(ids::add);
        ArrayNode labels = o.putArray("labels");
        p.labels().forEach(labels::add);
        ArrayNode joint = o.putArray("joint");
        for (List<Long> row : p.joint()) {
            ArrayNode r = joint.addArray();
            row.forEach(r::add);
        }
        PreferenceAnalysis a = p.preference();
        ObjectNode pref = o.putObject("preference");
        pref.put("compared_pairs", a.comparedPairs());
        pref.put("differing_pairs", a.differingPairs());
        ArrayNode bins = pref.putArray("bins");
        for (LengthBin b : a.bins()) {
            ObjectNode bo = bins.addObject();
            bo.put("label", b.label());
            bo.put("low_ratio", b.lowRatio());
            putOptional(bo, "high_ratio", b.highRatio());
            bo.put("pairs", b.pairs());
        }
        ArrayNode values = pref.putArray("values");
        for (ValuePreference v : a.values()) {
            ObjectNode vo = values.addObject();
            vo.put("id", v.id());
            vo.put("label", v.label());
            vo.put("chosen", v.chosen());
            vo.put("rejected", v.rejected());
            putOptional(vo, "win_rate", v.winRate());
            vo.put("ci_low", v.ciLow());
            vo.put("ci_high", v.ciHigh());
            putOptional(vo, "length_adjusted_win_rate", v.lengthAdjustedWinRate());
            ArrayNode byBin = vo.putArray("by_length_bin");
            for (ValuePreference.BinCounts c : v.byLengthBin()) {
                ObjectNode co = byBin.addObject();
                co.put("chosen", c.chosen());
                co.put("rejected", c.rejected());
            }
        }
        pref.set("length_differing", length(a.lengthDiffering()));
        pref.set("length_all", length(a.lengthAll()));
        return o;
    }

    private static ObjectNode length(LengthPreference l) {
        ObjectNode o = NODES.objectNode();
        o.put("longer_chosen", l.longerChosen());
        o.put("shorter_chosen", l.shorterChosen());
        o.put("equal_length", l.equalLength());
        putOptional(o, "longer_chosen_share", l.longerChosenShare());
        o.put("ci_low", l.ciLow());
        o.put("ci_high", l.ciHigh());
        return o;
    }

    private static ObjectNode provenance(Provenance p) {
        ObjectNode o = NODES.objectNode();
        o.put("library_version", p.libraryVersion());
        ObjectNode c = o.putObject("classifier");
        c.put("id", p.classifier().id());
        c.put("description", p.classifier().description());
        c.put("sha256", p.classifier().sha256().orElse(""));
        ObjectNode details = c.putObject("details");
        new java.util.TreeMap<>(p.classifier().details()).forEach(details::put);
        ObjectNode t = o.putObject("taxonomy");
        t.put("id", p.taxonomyId());
        t.put("version", p.taxonomyVersion());
        ObjectNode options = o.putObject("options");
        p.options().forEach(options::put);
        ArrayNode inputs = o.putArray("inputs");
        p.inputs().forEach(inputs::add);
        Timing tm = p.timing();
        ObjectNode timing = o.putObject("timing");
        timing.put("started", tm.started().toString());
        timing.put("duration_seconds", tm.duration().toMillis() / 1000.0);
        timing.put("threads", tm.threads());
        timing.put("texts_classified", tm.textsClassified());
        timing.put("texts_per_second", tm.textsPerSecond());
        timing.put("resumed_records", tm.resumedRecords());
        return o;
    }

    private static void putOptional(ObjectNode o, String field, OptionalDouble value) {
        if (value.isPresent()) {
            o.put(field, value.getAsDouble());
        } else {
            o.putNull(field);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a report from a JSON tree.
     *
     * @throws InvalidReportException when the tree is not a valid report of a supported schema version; the
     *     message names the field (as a JSON pointer) and what is wrong
     */
    public static AuditReport fromTree(JsonNode tree) {
        requireNonNull(tree, "tree");
        Reader r = new Reader(tree, "");
        long version = r.integer("schema_version");
        if (version > SCHEMA_VERSION || version < 1) {
            throw new InvalidReportException("schema_version " + version + " is not supported: this library reads"
                    + " version " + SCHEMA_VERSION + " (upgrade the library to read newer reports)");
        }
        try {
            Accounting acc = readAccounting(r.object("accounting"));
            List<SideSummary> sides = sides(r.object("sides"));
            Optional<PairAnalysis> pairs = r.optionalObject("pairs").map(ReportJson::readPairs);
            List<SourceSummary> sources = r.list("sources", s -> new SourceSummary(s.text("source"),
                    s.integer("records_audited"), sides(s.object("sides")),
                    s.optionalObject("pairs").map(ReportJson::readPairs)));
            List<Example> examples = r.list("examples", e -> new Example(e.text("record_id"), e.text("source"),
                    side(e, "side"), e.text("value_id"), e.number("probability"), e.text("excerpt")));
            Provenance provenance = readProvenance(r.object("provenance"));
            Optional<MultiLabelAnalysis> multiLabel = r.optionalObject("multi_label")
                    .map(ReportJson::readMultiLabel);
            return new AuditReport(r.text("dataset"), r.number("confidence_level"),
                    r.number("low_confidence_threshold"), sides, pairs, sources, examples, acc, provenance,
                    multiLabel);
        } catch (InvalidReportException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException e) { // a report record's own checks
            throw new InvalidReportException("inconsistent report: " + e.getMessage(), e);
        }
    }

    private static List<SideSummary> sides(Reader o) {
        List<SideSummary> out = new ArrayList<>();
        for (Side side : Side.values()) {
            Optional<Reader> s = o.optionalObject(side.key());
            s.ifPresent(r -> out.add(readSide(side, r)));
        }
        Iterator<String> names = o.node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (java.util.Arrays.stream(Side.values()).noneMatch(s -> s.key().equals(name))) {
                throw new InvalidReportException(o.path + "/" + name + ": unknown side (expected chosen, rejected"
                        + " or prompt)");
            }
        }
        return out;
    }

    private static SideSummary readSide(Side side, Reader s) {
        List<ValueShare> values = s.list("values", v -> new ValueShare(v.text("id"), v.text("label"),
                v.integer("count"), v.number("share"), v.number("ci_low"), v.number("ci_high"),
                v.number("mean_probability"), v.optionalNumber("adjusted_share")));
        return new SideSummary(side, s.integer("n"), s.integer("missing"), values,
                s.optionalText("adjustment_method"), s.list("frameworks", ReportJson::readRollUp),
                s.list("groups", ReportJson::readRollUp), s.integer("abstained"), s.number("abstained_share"),
                s.integer("low_confidence"), s.number("low_confidence_share"), s.integer("truncated"),
                s.number("mean_text_length"));
    }

    private static RollUp readRollUp(Reader r) {
        return new RollUp(r.text("id"), r.text("label"), r.list("value_ids", Reader::asText), r.integer("count"),
                r.number("share"), r.number("ci_low"), r.number("ci_high"), r.number("mean_probability"),
                r.optionalNumber("adjusted_share"));
    }

    /**
     * The accounting; a report written before the source-record figures existed has only the original ones, and
     * gets the figures {@link Accounting#Accounting(long, long, long, Map, long)} assumes.
     */
    private static Accounting readAccounting(Reader a) {
        long read = a.integer("records_read");
        long audited = a.integer("records_audited");
        long skipped = a.integer("records_skipped");
        Map<String, Long> byReason = a.longMap("skipped_by_reason");
        long texts = a.integer("texts_classified");
        if (!a.node.has("source_records_read")) {
            return new Accounting(read, audited, skipped, byReason, texts);
        }
        Accounting acc = new Accounting(read, audited, skipped, byReason, texts, new Accounting.SourceRecords(
                a.integer("source_records_read"), a.integer("source_records_accepted"),
                a.integer("source_records_skipped"), a.longMap("source_skipped_by_reason")));
        check(a, "records_produced", a.integer("records_produced"), acc.recordsProduced());
        check(a, "records_not_sampled", a.integer("records_not_sampled"), acc.recordsNotSampled());
        Map<String, Long> notAudited = new TreeMap<>(a.longMap("records_not_audited_by_reason"));
        if (!notAudited.equals(acc.recordsNotAuditedByReason())) {
            throw new InvalidReportException(a.path + "/records_not_audited_by_reason: " + notAudited
                    + " does not match the other figures, which give " + acc.recordsNotAuditedByReason());
        }
        return acc;
    }

    private static void check(Reader r, String field, long found, long expected) {
        if (found != expected) {
            throw new InvalidReportException(r.path + "/" + field + ": " + found
                    + " does not match the other figures, which give " + expected);
        }
    }

    private static PairAnalysis readPairs(Reader p) {
        List<List<Long>> joint = p.list("joint", row -> row.list(null, Reader::asLong));
        Reader a = p.object("preference");
        List<LengthBin> bins = a.list("bins", b -> new LengthBin(b.text("label"), b.number("low_ratio"),
                b.optionalNumber("high_ratio"), b.integer("pairs")));
        List<ValuePreference> values = a.list("values", v -> new ValuePreference(v.text("id"), v.text("label"),
                v.integer("chosen"), v.integer("rejected"), v.optionalNumber("win_rate"), v.number("ci_low"),
                v.number("ci_high"), v.optionalNumber("length_adjusted_win_rate"),
                v.list("by_length_bin", c -> new ValuePreference.BinCounts(c.integer("chosen"),
                        c.integer("rejected")))));
        PreferenceAnalysis preference = new PreferenceAnalysis(a.integer("compared_pairs"),
                a.integer("differing_pairs"), bins, values, readLength(a.object("length_differing")),
                readLength(a.object("length_all")));
        return new PairAnalysis(p.integer("pairs"), p.integer("tie_pairs"), p.list("value_ids", Reader::asText),
                p.list("labels", Reader::asText), joint, preference);
    }

    private static LengthPreference readLength(Reader l) {
        return new LengthPreference(l.integer("longer_chosen"), l.integer("shorter_chosen"),
                l.integer("equal_length"), l.optionalNumber("longer_chosen_share"), l.number("ci_low"),
                l.number("ci_high"));
    }

    private static Provenance readProvenance(Reader p) {
        Reader c = p.object("classifier");
        ClassifierInfo info = new ClassifierInfo(c.text("id"), c.text("description"), c.text("sha256"),
                c.textMap("details"));
        Reader t = p.object("taxonomy");
        Reader tm = p.object("timing");
        Instant started;
        try {
            started = Instant.parse(tm.text("started"));
        } catch (DateTimeParseException e) {
            throw new InvalidReportException(tm.path + "/started: not an ISO-8601 instant", e);
        }
        Timing timing = new Timing(started, Duration.ofMillis(Math.round(tm.number("duration_seconds") * 1000)),
                (int) tm.integer("threads"), tm.integer("texts_classified"), tm.number("texts_per_second"),
                tm.integer("resumed_records"));
        return new Provenance(p.text("library_version"), info, t.text("id"), t.text("version"),
                p.textMap("options"), p.list("inputs", Reader::asText), timing);
    }

    private static Side side(Reader r, String field) {
        String key = r.text(field);
        for (Side s : Side.values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new InvalidReportException(r.path + "/" + field + ": unknown side \"" + key + "\"");
    }

    /** Strict access to a JSON object's fields, naming the JSON pointer of any problem. */
    private static final class Reader {
        final JsonNode node;
        final String path;

        Reader(JsonNode node, String path) {
            this.node = node;
            this.path = path;
            if (node == null || !(node.isObject() || node.isArray() || node.isValueNode())) {
                throw new InvalidReportException((path.isEmpty() ? "/" : path) + ": missing");
            }
        }

        private JsonNode field(String name) {
            if (!node.isObject()) {
                throw new InvalidReportException((path.isEmpty() ? "/" : path) + ": must be an object");
            }
            JsonNode v = node.get(name);
            if (v == null) {
                throw new InvalidReportException(path + "/" + name + ": missing");
            }
            return v;
        }

        long integer(String name) {
            JsonNode v = field(name);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new InvalidReportException(path + "/" + name + ": must be an integer, was " + v);
            }
            return v.longValue();
        }

        double number(String name) {
            JsonNode v = field(name);
            if (!v.isNumber()) {
                throw new InvalidReportException(path + "/" + name + ": must be a number, was " + v);
            }
            return v.doubleValue();
        }

        OptionalDouble optionalNumber(String name) {
            JsonNode v = field(name);
            if (v.isNull()) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(number(name));
        }

        String text(String name) {
            JsonNode v = field(name);
            if (!v.isTextual()) {
                throw new InvalidReportException(path + "/" + name + ": must be a string, was " + v);
            }
            return v.textValue();
        }

        Optional<String> optionalText(String name) {
            JsonNode v = field(name);
            return v.isNull() ? Optional.empty() : Optional.of(text(name));
        }

        Reader object(String name) {
            JsonNode v = field(name);
            if (!v.isObject()) {
                throw new InvalidReportException(path + "/" + name + ": must be an object, was " + v.getNodeType());
            }
            return new Reader(v, path + "/" + name);
        }

        Optional<Reader> optionalObject(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            return Optional.of(object(name));
        }

        /** The elements of the array field {@code name} (or of this node, when {@code name} is null). */
        <T> List<T> list(String name, Function<Reader, T> element) {
            JsonNode v = name == null ? node : field(name);
            String p = name == null ? path : path + "/" + name;
            if (!v.isArray()) {
                throw new InvalidReportException(p + ": must be an array, was " + v.getNodeType());
            }
            List<T> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                out.add(element.apply(new Reader(v.get(i), p + "/" + i)));
            }
            return out;
        }

        String asText() {
            if (!node.isTextual()) {
                throw new InvalidReportException(path + ": must be a string, was " + node);
            }
            return node.textValue();
        }

        long asLong() {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new InvalidReportException(path + ": must be an integer, was " + node);
            }
            return node.longValue();
        }

        Map<String, Long> longMap(String name) {
            Reader o = object(name);
            Map<String, Long> out = new LinkedHashMap<>();
            o.node.fieldNames().forEachRemaining(k -> out.put(k, o.integer(k)));
            return out;
        }

        Map<String, String> textMap(String name) {
            Reader o = object(name);
            Map<String, String> out = new LinkedHashMap<>();
            o.node.fieldNames().forEachRemaining(k -> out.put(k, o.text(k)));
            return out;
        }
    }
}
