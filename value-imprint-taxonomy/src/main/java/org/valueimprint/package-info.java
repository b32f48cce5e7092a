/**
 * Value Imprint for Java: the taxonomy ({@code taxonomy}, this module), the data model ({@code data}), dataset reading
 * ({@code io}), classifiers ({@code classify}), audits ({@code audit}), reports ({@code report}), evaluation
 * ({@code eval}) and statistics ({@code stats}) in value-imprint-core, and the library's base exception,
 * {@link org.valueimprint.ValueImprintException}.
 *
 * <h2>Conventions of the public API</h2>
 *
 * <p><b>Arguments are checked at the call, naming the argument.</b> A null argument is a
 * {@link java.lang.NullPointerException} whose message is the parameter's name ({@code Objects.requireNonNull(x,
 * "x")}); a value out of range is an {@link java.lang.IllegalArgumentException} naming the argument, its allowed range
 * and the value given ({@code "maxRecordBytes must be positive, was -1"}); an unknown name (a value of a taxonomy, a
 * format) is an {@code IllegalArgumentException} naming it and listing the known ones; an index out of range is an
 * {@link java.lang.IndexOutOfBoundsException}. Builders check each setter's argument when it is called, so the stack
 * trace points at the line that set the bad value; {@code build()} checks only what depends on several settings.
 * (The one deliberate exception is {@code ValueTaxonomy.Builder}, in the taxonomy module: like a taxonomy file, a built
 * taxonomy is validated as a whole by {@code build()}, which lists every problem with its location at once; its
 * setters still refuse nulls at the call.)
 *
 * <p><b>Absent values are {@link java.util.Optional}.</b> A record component or method result that may be missing is an
 * {@code Optional} (an {@code OptionalDouble} or {@code OptionalLong} for numbers), never {@code null} and never an
 * empty string; a present {@code Optional<String>} is not blank. Collections are never null: empty when there is
 * nothing, and unmodifiable copies. The JSON files the library writes keep their documented keys: an absent text is
 * written as {@code ""} (for example a classifier's {@code "sha256"}) and read back as empty. Positions in a file are
 * primitive, with {@code 0} meaning unknown ({@code RecordSource.line()}), as documented on each.
 *
 * <p><b>Extensions are found through the thread context class loader as well as the library's.</b>
 * {@code DatasetFormats} and {@code ValueClassifiers} look up
 * {@link java.util.ServiceLoader} providers through the library's own class loader and the calling thread's context
 * class loader, de-duplicated by class name and cached per class loader (weakly), so a format or classifier provider
 * in a child loader (Spark {@code --jars}, Flink user code, a web application) is found, and one that appears later is
 * never hidden by an earlier look-up. Both can also be given as objects, with no service file:
 * {@code ReadOptions.Builder.format(DatasetFormat)} and
 * {@code ValueClassifiers.load(ClassifierSpec, List)}.
 * Nothing is registered JVM-wide.
 *
 * <p><b>Datasets are re-iterable.</b> A {@code PreferenceDataset} opened from files (or from a
 * stream supplier) reads them again for each iteration; one opened from a bare {@link java.io.InputStream} can be
 * iterated once, and says so. Maps whose order means something (such as
 * {@code PreferenceDataset.formats()}, in file order) keep it.
 *
 * <p><b>What is API.</b> Every package of the library modules is API except those named {@code internal}
 * ({@code org.valueimprint.internal}, {@code io.internal.formats}, {@code onnx.internal} and below), which are public
 * only for the library's own modules and may change in any release. Two choices were deliberate:
 * {@code audit.AuditAccumulator} and its input {@code audit.ClassifiedText} stay public because distributed audits
 * (the Spark module, or a user's own executor) accumulate parts and merge them; the {@code onnx.head} package stays
 * public because heads are what users train for their own taxonomies. Jackson's {@code JsonNode} in
 * {@code io.DatasetFormat} is deliberate too: a format reads the JSON-shaped record every container (JSON Lines, JSON
 * arrays, CSV rows, Parquet rows, Spark rows) is turned into, and Jackson is a dependency the library declares.
 * Each library jar names its module ({@code Automatic-Module-Name}: {@code org.valueimprint.taxonomy},
 * {@code .core}, {@code .onnx}, {@code .parquet}, {@code .spark}, {@code .train}, {@code .cli}).
 */
package org.valueimprint;
