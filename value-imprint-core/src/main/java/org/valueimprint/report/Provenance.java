package org.valueimprint.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.valueimprint.classify.ClassifierInfo;

/**
 * Where a report came from: enough to tell whether two reports can be compared, and to run the audit again.
 *
 * @param libraryVersion the version of the library that made the report (from its jar's manifest), or
 *     {@code "development"} when run from classes outside a jar
 * @param classifier the classifier's id, description, SHA-256 and details
 * @param taxonomyId the taxonomy's id
 * @param taxonomyVersion the taxonomy's version
 * @param options the audit's options as text (sides, text budget, batch size, threads, read options, limit,
 *     sample, thresholds); copied and sorted by name
 * @param inputs the files (or stream names) audited, in order; copied
 * @param timing when and how fast this run went
 */
public record Provenance(
        String libraryVersion,
        ClassifierInfo classifier,
        String taxonomyId,
        String taxonomyVersion,
        Map<String, String> options,
        List<String> inputs,
        Timing timing) {

    /** Validates and copies the components. */
    public Provenance {
        requireNonNull(libraryVersion, "libraryVersion");
        requireNonNull(classifier, "classifier");
        requireNonNull(taxonomyId, "taxonomyId");
        requireNonNull(taxonomyVersion, "taxonomyVersion");
        options = Checks.sorted(options);
        inputs = List.copyOf(inputs);
        requireNonNull(timing, "timing");
    }

    /** This provenance with another timing. */
    public Provenance withTiming(Timing timing) {
        return new Provenance(libraryVersion, classifier, taxonomyId, taxonomyVersion, options, inputs, timing);
    }
}
