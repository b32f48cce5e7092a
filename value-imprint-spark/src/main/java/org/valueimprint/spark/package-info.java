/**
 * Audits on Apache Spark with the same report as a local audit: {@link org.valueimprint.spark.SparkValueAuditor}
 * turns a {@code Dataset<Row>} into the records the dataset formats read, classifies them in the auditor's own
 * batches on the executors (one classifier per executor JVM, loaded through a {@link
 * org.valueimprint.spark.ClassifierLoader}), merges the per-partition accumulators and finishes the report on the
 * driver; {@code predict} adds per-row prediction columns. Spark is a {@code provided} dependency. See docs/spark.md.
 */
package org.valueimprint.spark;
