/**
 * Auditing: the {@link org.valueimprint.audit.ValueAuditor} that classifies every audited side of a preference
 * dataset in a bounded, parallel, checkpointed pipeline, its {@link org.valueimprint.audit.AuditOptions options} and
 * listeners, and the exact, mergeable {@link org.valueimprint.audit.AuditAccumulator} from which an
 * {@link org.valueimprint.report.AuditReport} is made.
 *
 * <pre>{@code
 * try (ValueClassifier classifier = ValueClassifiers.loadDefault()) {
 *     AuditReport report = ValueAuditor.builder(classifier).threads(2).build()
 *         .audit(Path.of("hh-rlhf/harmless-base/test.jsonl.gz"));
 * }
 * }</pre>
 */
package org.valueimprint.audit;
