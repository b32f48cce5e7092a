/**
 * The built-in dataset formats (hh-rlhf, TRL, UltraFeedback, ShareGPT, OpenAssistant, ...), each a package-private
 * {@link org.valueimprint.io.DatasetFormat}. Not API: users reach them by name through
 * {@link org.valueimprint.io.DatasetFormats} and {@link org.valueimprint.io.ReadOptions}, and {@code BuiltinFormats}
 * is public only so that {@code DatasetFormats} can list them.
 */
package org.valueimprint.io.internal.formats;
