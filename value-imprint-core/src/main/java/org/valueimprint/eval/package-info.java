/**
 * Evaluation of value classifiers against gold labels: {@link org.valueimprint.eval.Evaluator} turns gold labels and
 * {@link org.valueimprint.classify.ValuePrediction predictions} into an immutable
 * {@link org.valueimprint.eval.Evaluation} (accuracy, macro and weighted F1 with a bootstrap interval, per-value
 * precision, recall and F1, the confusion matrix, calibration error, Brier score, abstentions, provenance) that
 * writes and reads JSON; {@link org.valueimprint.eval.GoldExamples} reads gold JSON Lines files; and
 * {@link org.valueimprint.eval.StratifiedKFold} makes the stratified folds and holdouts of cross-validation.
 *
 * <pre>{@code
 * ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
 * List<GoldExample> gold = GoldExamples.readAll(Path.of("gold.jsonl"), taxonomy);
 * List<ValuePrediction> predictions = classifier.classify(gold.stream().map(GoldExample::text).toList());
 * Evaluation e = Evaluator.builder().build()
 *     .evaluate(taxonomy, gold.stream().map(GoldExample::label).toList(), predictions);
 * System.out.println(e.toTable());
 * }</pre>
 */
package org.valueimprint.eval;
