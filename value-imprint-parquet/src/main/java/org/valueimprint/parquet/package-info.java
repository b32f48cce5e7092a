/**
 * Parquet for the dataset readers: with this module on the class path, {@link
 * org.valueimprint.io.PreferenceDatasets#open(java.nio.file.Path)} reads {@code .parquet} files and Hugging Face Hub
 * folders ({@code data/train-00000-of-00002.parquet}, shards in name order) like JSON Lines. Built on Apache Parquet
 * for Java ({@code parquet-column}, {@code parquet-format-structures}) with pure-Java decompression; no Hadoop.
 */
package org.valueimprint.parquet;
