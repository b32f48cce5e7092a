package org.valueimprint.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The accounting as people read it, shared by the HTML and Markdown reports: source records (what the reader read)
 * and preference records (what they yielded) in separate rows, records left out by a sample apart from the records
 * skipped as bad.
 */
final class AccountingText {
    private AccountingText() {}

    /** One row of the accounting table: a label and a count. */
    record Row(String label, long count) {}

    /** The rows of the accounting table, in order. */
    static List<Row> rows(Accounting a) {
        Accounting.SourceRecords s = a.sourceRecords();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Source records read", s.read()));
        rows.add(new Row("Source records accepted", s.accepted()));
        rows.add(new Row("Source records skipped as bad", s.skipped()));
        for (Map.Entry<String, Long> e : s.skippedByReason().entrySet()) {
            rows.add(new Row("Skipped: " + e.getKey(), e.getValue()));
        }
        rows.add(new Row("Records produced", a.recordsProduced()));
        rows.add(new Row("Records audited", a.recordsAudited()));
        for (Map.Entry<String, Long> e : a.recordsNotAuditedByReason().entrySet()) {
            if (!e.getKey().equals(Accounting.NOT_SAMPLED)) {
                rows.add(new Row("Not audited: " + e.getKey(), e.getValue()));
            }
        }
        if (a.recordsNotSampled() > 0) {
            rows.add(new Row("Not sampled", a.recordsNotSampled()));
        }
        rows.add(new Row("Texts classified", a.textsClassified()));
        return rows;
    }

    /** What the table's figures mean and how they add up, in one paragraph. */
    static String explanation(Accounting a) {
        Accounting.SourceRecords s = a.sourceRecords();
        StringBuilder sb = new StringBuilder();
        sb.append("Source records are the lines, array elements or rows read; each accepted one yields preference ")
                .append("records (one, or for an OpenAssistant tree one per ranked pair of replies). ")
                .append(Formats.count(s.read())).append(" read = ").append(Formats.count(s.accepted()))
                .append(" accepted + ").append(Formats.count(s.skipped())).append(" skipped as bad; ")
                .append(Formats.count(a.recordsProduced())).append(" records produced = ")
                .append(Formats.count(a.recordsAudited())).append(" audited");
        long notAudited = a.recordsProduced() - a.recordsAudited() - a.recordsNotSampled();
        if (notAudited > 0) {
            sb.append(" + ").append(Formats.count(notAudited)).append(" not audited");
        }
        if (a.recordsNotSampled() > 0) {
            sb.append(" + ").append(Formats.count(a.recordsNotSampled()))
                    .append(" not sampled (left out by the random sample, not skipped)");
        }
        return sb.append('.').toString();
    }

    /**
     * The headline's parenthesis: source records read, skipped as bad (source records skipped plus records not
     * audited for a reason other than the sample) and, with a sample, not sampled.
     */
    static String summary(Accounting a) {
        StringBuilder sb = new StringBuilder();
        sb.append(Formats.count(a.sourceRecords().read())).append(" source records read, ")
                .append(Formats.count(a.recordsSkippedAsBad())).append(" skipped");
        if (a.recordsNotSampled() > 0) {
            sb.append(", ").append(Formats.count(a.recordsNotSampled())).append(" not sampled");
        }
        return sb.toString();
    }
}
