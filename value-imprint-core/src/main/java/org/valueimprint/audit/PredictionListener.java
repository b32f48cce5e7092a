package org.valueimprint.audit;

import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.data.PreferenceRecord;
import org.valueimprint.data.Side;

/**
 * Receives every prediction of an audit while it streams, for example to write one CSV row per classified text.
 *
 * <p>Calls come in input order (record by record; within a record in the order chosen, rejected, prompt), from the
 * thread that called {@code audit}, never concurrently, whatever the number of worker threads: a reorder buffer
 * puts the workers' batches back in order. An exception thrown here stops the audit. A resumed audit calls the
 * listener only for the records after its checkpoint.
 */
@FunctionalInterface
public interface PredictionListener {
    /**
     * Called once per classified text.
     *
     * @param record the record
     * @param side the side whose text was classified
     * @param prediction what the classifier predicted for it
     */
    void prediction(PreferenceRecord record, Side side, ValuePrediction prediction);
}
