/**
 * Streaming readers that turn preference-dataset files into {@link org.valueimprint.data.PreferenceRecord
 * records}.
 *
 * <p>Start at {@link org.valueimprint.io.PreferenceDatasets}:
 *
 * <pre>{@code
 * try (PreferenceDataset dataset = PreferenceDatasets.open(Path.of("harmless-base/test.jsonl.gz"))) {
 *     for (PreferenceRecord record : dataset) {
 *         ...
 *     }
 *     ReadStats stats = dataset.stats(); // records read = accepted + skipped, with the reasons
 * }
 * }</pre>
 *
 * <p>A file is plain or gzip (told by its magic bytes; a file named {@code .gz} must be gzip), UTF-8 text (UTF-16
 * and UTF-32 are refused), JSON Lines, a JSON array (streamed element by element) or CSV/TSV; its
 * {@link org.valueimprint.io.DatasetFormat format} is named in {@link org.valueimprint.io.ReadOptions} or detected
 * from its first records. Memory does not grow with the file, and a record over the size limit is refused while it
 * is read. Bad input raises a {@link org.valueimprint.io.DatasetReadException} naming the file, line and problem,
 * or, under {@link org.valueimprint.io.ErrorPolicy#SKIP}, is skipped and counted in
 * {@link org.valueimprint.io.ReadStats}; a file that yields no good record, or skips more than
 * {@link org.valueimprint.io.ReadOptions#maxSkippedShare()} of its records, still fails at its end.
 */
package org.valueimprint.io;
