package org.valueimprint.train;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * What to train: labelled texts, the taxonomy they are labelled in, and the trainer's choices. Immutable; the
 * constructor checks everything that can be checked without a trainer, so that a bad request fails here, before any
 * text is embedded: no example, a label that is not a value of the taxonomy, a single-label taxonomy's example with
 * no label or several, or fewer than two values among the labels. For a multi-label taxonomy an example carries any
 * number of values ({@link GoldExample#labels()}), none included. Saving the trained model is a separate step ({@link TrainedModel#save}), so a request names no output.
 *
 * <pre>{@code
 * TrainingRequest request = TrainingRequest.of(examples, ValueTaxonomy.valueImprint())
 *         .withHead(HeadKind.MLP)
 *         .withSeed(7);
 * }</pre>
 *
 * @param data the file the examples were read from, named in the model's provenance together with its SHA-256;
 *     empty for examples built in memory, whose provenance is then {@link #dataSha256() a hash of the examples}
 * @param examples the labelled texts, in order; not empty; copied, each label replaced by the taxonomy's spelling
 *     of it (an id, alias or differently cased label resolves as {@link ValueTaxonomy#resolve} does); exactly one
 *     label each for a single-label taxonomy, any number of distinct ones for a multi-label taxonomy
 * @param taxonomy the taxonomy to predict
 * @param encoder the encoder, as a name the trainer knows or a directory; empty for the trainer's default
 * @param head the head to put on the encoder's embeddings
 * @param seed the seed of every random choice (splits, initialisation, shuffling)
 * @param groups the group of each example, in order (such as the topic or source it comes from), or empty: when
 *     given, cross-validation keeps each group in one fold, so the measured scores and the choices made on them
 *     (calibration, thresholds) are those of texts on unseen groups; copied. Rows that share a topic score
 *     optimistically when split across folds (on Touché23-ValueEval, whose splits share no conclusion, by 0.1
 *     macro F1: docs/valueeval.md)
 */
public record TrainingRequest(Optional<Path> data, List<GoldExample> examples, ValueTaxonomy taxonomy,
        Optional<String> encoder, HeadKind head, long seed, List<String> groups) {
    /**
     * A request without groups (the canonical constructor with {@code groups} empty).
     *
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public TrainingRequest(Optional<Path> data, List<GoldExample> examples, ValueTaxonomy taxonomy,
            Optional<String> encoder, HeadKind head, long seed) {
        this(data, examples, taxonomy, encoder, head, seed, List.of());
    }

    /** The seed of {@link #of}: the command line's default. */
    public static final long DEFAULT_SEED = 42;

    /**
     * Validates the components and copies the examples with their labels resolved.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there is no example, an example's label is not a value of the taxonomy
     *     (the message names the example's id), an example of a single-label taxonomy has no label or several, two
     *     of an example's labels name the same value, or the labels name fewer than two values
     */
    public TrainingRequest {
        requireNonNull(data, "data");
        requireNonNull(examples, "examples");
        requireNonNull(taxonomy, "taxonomy");
        requireNonNull(encoder, "encoder");
        requireNonNull(head, "head");
        groups = List.copyOf(requireNonNull(groups, "groups"));
        if (!groups.isEmpty() && groups.size() != examples.size()) {
            throw new IllegalArgumentException(groups.size() + " groups for " + examples.size()
                    + " examples: give one group per example, or none");
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training example");
        }
        List<GoldExample> resolved = new ArrayList<>(examples.size());
        Set<String> values = new LinkedHashSet<>();
        for (GoldExample e : examples) {
            requireNonNull(e, "an example is null");
            if (!taxonomy.multiLabel() && e.labels().size() != 1) {
                throw new IllegalArgumentException("example " + e.id() + " has " + e.labels().size()
                        + " labels " + e.labels() + ", but the taxonomy " + taxonomy.id() + " " + taxonomy.version()
                        + " is single-label: every example needs exactly one");
            }
            List<String> labels = new ArrayList<>(e.labels().size());
            for (String given : e.labels()) {
                if (taxonomy.indexOf(given) < 0) {
                    throw new IllegalArgumentException("example " + e.id() + " has the label \"" + given
                            + "\", not a value of the taxonomy " + taxonomy.id() + " " + taxonomy.version()
                            + "; known labels: " + String.join(", ", taxonomy.labels()));
                }
                String label = taxonomy.resolve(given).label();
                if (labels.contains(label)) {
                    throw new IllegalArgumentException("example " + e.id() + " names the value \"" + label
                            + "\" twice");
                }
                labels.add(label);
                values.add(label);
            }
            resolved.add(labels.equals(e.labels()) ? e : new GoldExample(e.id(), e.text(), labels));
        }
        if (values.size() < 2) {
            throw new IllegalArgumentException(values.isEmpty()
                    ? "none of the " + examples.size() + " examples carries a value, and a classifier needs at"
                            + " least two"
                    : "the examples carry fewer than two values: all " + examples.size() + " are labelled \""
                            + values.iterator().next() + "\", and a classifier needs at least two");
        }
        examples = List.copyOf(resolved);
    }

    /**
     * A request for in-memory examples with the trainer's default encoder, a {@link HeadKind#SOFTMAX} head and
     * the seed {@value #DEFAULT_SEED}; change them with the {@code with...} methods.
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public static TrainingRequest of(List<GoldExample> examples, ValueTaxonomy taxonomy) {
        return new TrainingRequest(Optional.empty(), examples, taxonomy, Optional.empty(), HeadKind.SOFTMAX,
                DEFAULT_SEED);
    }

    /** This request, naming the file its examples were read from (for provenance). */
    public TrainingRequest withData(Path file) {
        return new TrainingRequest(Optional.of(requireNonNull(file, "file")), examples, taxonomy, encoder, head, seed,
                groups);
    }

    /** This request with an encoder: a name the trainer knows, or a directory. */
    public TrainingRequest withEncoder(String nameOrDirectory) {
        return new TrainingRequest(data, examples, taxonomy, Optional.of(requireNonNull(nameOrDirectory,
                "nameOrDirectory")), head, seed, groups);
    }

    /** This request with another head. */
    public TrainingRequest withHead(HeadKind kind) {
        return new TrainingRequest(data, examples, taxonomy, encoder, requireNonNull(kind, "kind"), seed, groups);
    }

    /** This request with another seed. */
    public TrainingRequest withSeed(long newSeed) {
        return new TrainingRequest(data, examples, taxonomy, encoder, head, newSeed, groups);
    }

    /**
     * This request with a group per example, in order, which cross-validation keeps whole (see {@link #groups()}).
     *
     * @throws IllegalArgumentException when the count differs from the examples'
     */
    public TrainingRequest withGroups(List<String> exampleGroups) {
        return new TrainingRequest(data, examples, taxonomy, encoder, head, seed, exampleGroups);
    }

    /** How the data is named in provenance: the data file's name, or {@code "N in-memory examples"}. */
    public String dataName() {
        return data.map(p -> String.valueOf(p.getFileName()))
                .orElse(examples.size() + " in-memory example" + (examples.size() == 1 ? "" : "s"));
    }

    /**
     * The SHA-256 (hex) that identifies the data in provenance: of the data file's bytes when the request names one,
     * else of the examples themselves: for each example in order, its id, text and (resolved) labels, each as a
     * 4-byte big-endian length followed by its UTF-8 bytes. Two requests with the same examples in the same order
     * have the same hash; any change to an id, a text, a label or the order changes it.
     *
     * @throws UncheckedIOException if the data file cannot be read; the message names it
     */
    public String dataSha256() {
        MessageDigest digest = sha256();
        if (data.isPresent()) {
            try {
                return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(data.get())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training data " + data.get() + ": " + e.getMessage(),
                        e);
            }
        }
        for (GoldExample e : examples) {
            List<String> fields = new ArrayList<>(List.of(e.id(), e.text()));
            fields.addAll(e.labels());
            for (String field : fields) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                digest.update(bytes);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
