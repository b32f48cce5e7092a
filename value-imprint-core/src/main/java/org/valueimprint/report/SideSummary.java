package org.valueimprint.report;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.valueimprint.data.Side;

/**
 * The values found on one side (chosen, rejected or prompt) of the audited records: each side's texts were
 * classified separately, as in the paper.
 *
 * <p>For each text the classifier's top value is counted (for a multi-label taxonomy, the most probable selected
 * value), unless its prediction policy abstained. So {@code sum of values' counts + abstained = n}, and the
 * values' shares plus {@code abstainedShare} sum to 1.
 *
 * @param side which side
 * @param n the texts of this side that were classified
 * @param missing audited records that have no text for this side (the rejected side of a single response, an
 *     empty prompt); {@code n + missing} is the number of audited records
 * @param values one share per value of the taxonomy, in taxonomy order; copied
 * @param adjustmentMethod the name of the method behind the values' {@link ValueShare#adjustedShare() adjusted
 *     shares}, naming where the confusion rates come from; empty when there are none
 * @param frameworks one roll-up per framework the taxonomy declares, in its order; copied
 * @param groups one roll-up per group the taxonomy declares, in its order; copied
 * @param abstained the texts for which the prediction policy decided no value
 * @param abstainedShare {@code abstained / n} (0 when {@code n = 0})
 * @param lowConfidence the texts whose top probability is under the report's
 *     {@link AuditReport#lowConfidenceThreshold() low-confidence threshold}, abstained or not
 * @param lowConfidenceShare {@code lowConfidence / n}
 * @param truncated the texts that were longer than the text budget and were cut before classification
 * @param meanTextLength the mean length in characters of the texts before any cut (the prompt and the response,
 *     rendered as {@code Human: ...} / {@code Assistant: ...} turns)
 */
public record SideSummary(
        Side side,
        long n,
        long missing,
        List<ValueShare> values,
        Optional<String> adjustmentMethod,
        List<RollUp> frameworks,
        List<RollUp> groups,
        long abstained,
        double abstainedShare,
        long lowConfidence,
        double lowConfidenceShare,
        long truncated,
        double meanTextLength) {

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if a count is negative, a share is outside [0, 1], the values' counts and
     *     abstentions do not add up to {@code n}, or low-confidence or truncated texts outnumber {@code n}
     */
    public SideSummary {
        requireNonNull(side, "side");
        values = List.copyOf(values);
        requireNonNull(adjustmentMethod, "adjustmentMethod");
        frameworks = List.copyOf(frameworks);
        groups = List.copyOf(groups);
        Checks.count(n, "n");
        Checks.count(missing, "missing");
        Checks.count(abstained, "abstained");
        Checks.count(lowConfidence, "lowConfidence");
        Checks.count(truncated, "truncated");
        Checks.share(abstainedShare, "abstained_share");
        Checks.share(lowConfidenceShare, "low_confidence_share");
        checkArgument(meanTextLength >= 0 && Double.isFinite(meanTextLength), "mean text length %s", meanTextLength);
        long counted = values.stream().mapToLong(ValueShare::count).sum();
        checkArgument(counted + abstained == n, "%s side: value counts (%s) + abstained (%s) != n (%s)", side.key(),
                counted, abstained, n);
        checkArgument(lowConfidence <= n && truncated <= n, "%s side: more low-confidence or truncated texts than n",
                side.key());
    }

    /**
     * The share of the value with this id.
     *
     * @throws IllegalArgumentException if there is none
     */
    public ValueShare value(String id) {
        return values.stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no value '" + id + "' in the " + side.key()
                        + " summary"));
    }
}
