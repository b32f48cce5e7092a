package org.valueimprint.onnx.model;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.valueimprint.classify.ClassifierInfo;
import org.valueimprint.classify.KnownConfusion;
import org.valueimprint.classify.ModelException;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.classify.ValueClassifier;
import org.valueimprint.classify.ValuePrediction;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.encoder.Pooling;
import org.valueimprint.onnx.encoder.TextEncoder;
import org.valueimprint.onnx.head.Head;
import org.valueimprint.onnx.head.HeadIo;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.onnx.internal.patch.WeightPatch;
import org.valueimprint.taxonomy.Taxonomies;
import org.valueimprint.taxonomy.ValueTaxonomy;

/**
 * A {@link ValueClassifier} made of an ONNX text encoder and a head trained on its embeddings, loaded from a model
 * bundle: a directory (or classpath folder) holding {@code manifest.json} ({@link ModelManifest}),
 * {@code taxonomy.json}, the head file, and either the encoder's {@code encoder/model.onnx} +
 * {@code encoder/tokenizer.json} or the name of an encoder that ships in a Maven model jar.
 *
 * <pre>{@code
 * try (OnnxValueClassifier classifier = OnnxValueClassifier.loadDefault()) {
 *     ValuePrediction p = classifier.classify("Human: Is it safe to mix bleach and ammonia?\n\nAssistant: No ...");
 *     System.out.println(p.top().label() + " " + p.confidence());
 * }
 * }</pre>
 *
 * <p>Loading checks that the parts fit: the head's classes against the taxonomy's values, the head's input against
 * the encoder's dimension, and the encoder's SHA-256 against the one the head was trained on; a mismatch is a
 * {@link ModelException} that says what differs. A multi-label bundle (sigmoid head, multi-label taxonomy) selects
 * each value whose probability reaches the decision threshold its manifest gives, unless the prediction policy passed
 * in sets thresholds of its own ({@link #withBundleThresholds}). Thread-safe; texts are encoded in batches formed from the input
 * alone, so results do not depend on threads.
 *
 * <p>Classifiers loaded from the same bundle with the same session settings ({@link
 * org.valueimprint.onnx.encoder.SessionSettings}: threads, spinning, graph optimisation) share one loaded encoder
 * model while any of them is open, so a pipeline that opens a classifier per task reads, patches and optimises the
 * model once; the bundle's small files are still read and checked at every load. {@link #close()} gives this
 * classifier's share back, and the model is closed with the last one. A classifier that becomes unreachable unclosed
 * is released by a cleaner, with a warning naming where it was loaded (see
 * {@link org.valueimprint.onnx.encoder.OnnxTextEncoder}).
 */
public final class OnnxValueClassifier implements ValueClassifier {
    /** The taxonomy's file name in a bundle. */
    public static final String TAXONOMY_FILE = "taxonomy.json";
    /** The folder of a bundle that carries its encoder's files. */
    public static final String ENCODER_FOLDER = "encoder";

    private final ModelManifest manifest;
    private final ValueTaxonomy taxonomy;
    private final TextEncoder encoder;
    private final Head head;
    private final PredictionPolicy policy;
    private final ClassifierInfo info;

    private OnnxValueClassifier(ModelManifest manifest, ValueTaxonomy taxonomy, TextEncoder encoder, Head head,
            PredictionPolicy policy, String checksum) {
        this.manifest = manifest;
        this.taxonomy = taxonomy;
        this.encoder = encoder;
        this.head = head;
        this.policy = policy;
        Map<String, String> details = new LinkedHashMap<>(encoder.info().asMap());
        details.put("head", HeadIo.describe(head));
        details.put("text_chars", Integer.toString(manifest.textChars()));
        manifest.training().forEach((k, v) -> details.put("training." + k, v));
        this.info = new ClassifierInfo(manifest.modelId(), manifest.description(), checksum, details);
    }

    /** The default model that ships in this jar: loaded from the class path, nothing downloaded. */
    public static OnnxValueClassifier loadDefault() {
        return loadDefault(PredictionPolicy.defaults(), EncoderOptions.defaults());
    }

    /** The default model with a prediction policy and encoder run-time options (threads, batch policy). */
    public static OnnxValueClassifier loadDefault(PredictionPolicy policy, EncoderOptions runtime) {
        return load(BundleFiles.classpath(BundledModels.DEFAULT_MODEL), policy, runtime);
    }

    /** The frozen-encoder model that also ships in this jar ({@link #BundledModels.FROZEN_MODEL}), default policy and options. */
    public static OnnxValueClassifier loadFrozen() {
        return load(BundleFiles.classpath(BundledModels.FROZEN_MODEL), PredictionPolicy.defaults(), EncoderOptions.defaults());
    }

    /**
     * The Touché23-ValueEval model that also ships in this jar ({@code --model valueeval} on the command line): the
     * 20 value categories of {@link org.valueimprint.taxonomy.ValueTaxonomy#valueEval()}, multi-label, each value
     * selected at the threshold chosen by cross-validation unless {@code policy} sets thresholds of its own.
     */
    public static OnnxValueClassifier loadValueEval(PredictionPolicy policy, EncoderOptions runtime) {
        return load(BundleFiles.classpath(BundledModels.VALUEEVAL_MODEL), policy, runtime);
    }

    /** A bundle directory, default policy and options. */
    public static OnnxValueClassifier load(Path bundle) {
        return load(bundle, PredictionPolicy.defaults(), EncoderOptions.defaults());
    }

    /**
     * A bundle directory.
     *
     * @param runtime run-time options of the encoder; its pooling, maximum length and text prefix are replaced by the
     *     manifest's, since the head was trained with those
     * @throws ModelException when the bundle cannot be read or its parts do not fit
     */
    public static OnnxValueClassifier load(Path bundle, PredictionPolicy policy, EncoderOptions runtime) {
        if (!Files.isRegularFile(bundle.resolve(ModelManifest.FILE))) {
            throw new ModelException(bundle + " is not a model bundle: it has no " + ModelManifest.FILE);
        }
        return load(BundleFiles.directory(bundle), policy, runtime);
    }

    static OnnxValueClassifier load(BundleFiles files, PredictionPolicy policy, EncoderOptions runtime) {
        return load(files, policy, runtime, 0);
    }

    /**
     * A bundle, its encoder cut at {@code maxTokens} tokens a text instead of the manifest's {@code max_length} when
     * {@code maxTokens} is positive (the provider's {@code max_tokens} option): faster, and predictions that differ on
     * texts longer than the cut (see {@link OnnxClassifierProvider}).
     *
     * @throws ModelException if {@code maxTokens} exceeds the manifest's {@code max_length}, the longest texts the
     *     head was trained on
     */
    static OnnxValueClassifier load(BundleFiles files, PredictionPolicy policy, EncoderOptions runtime,
            int maxTokens) {
        requireNonNull(policy, "policy");
        requireNonNull(runtime, "runtime");
        byte[] manifestBytes = files.read(ModelManifest.FILE, "model manifest", ModelManifest.MAX_MANIFEST_BYTES);
        ModelManifest manifest = ModelManifest.fromJson(new String(manifestBytes, StandardCharsets.UTF_8),
                files.describe(ModelManifest.FILE));
        ValueTaxonomy taxonomy = taxonomy(files, manifest);
        if (!taxonomy.labels().equals(manifest.labels())) {
            throw new ModelException(files.describe(ModelManifest.FILE) + ": the head's labels " + manifest.labels()
                    + " do not match the taxonomy's " + taxonomy.labels());
        }
        byte[] headBytes = files.read(manifest.head().file(), "head file", ModelManifest.MAX_HEAD_BYTES);
        String headSha = sha256(headBytes);
        if (!headSha.equals(manifest.head().sha256())) {
            throw new ModelException(files.describe(manifest.head().file()) + " has SHA-256 " + headSha
                    + " but the manifest expects " + manifest.head().sha256() + ": the bundle is damaged or mixed");
        }
        Head head;
        try (InputStream in = new java.io.ByteArrayInputStream(headBytes)) {
            head = HeadIo.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (head.multiLabel() != taxonomy.multiLabel()) {
            throw new ModelException(files.describe(manifest.head().file()) + " is a "
                    + (head.multiLabel() ? "multi-label (sigmoid)" : "single-label (softmax)") + " head but the taxonomy "
                    + taxonomy.id() + " " + taxonomy.version() + " is " + (taxonomy.multiLabel() ? "multi" : "single")
                    + "-label");
        }
        if (head.classes() != taxonomy.size()) {
            throw new ModelException(files.describe(manifest.head().file()) + " predicts " + head.classes()
                    + " classes but the taxonomy " + taxonomy.id() + " has " + taxonomy.size() + " values");
        }
        if (maxTokens > manifest.encoder().maxLength()) {
            throw new ModelException("max_tokens " + maxTokens + " exceeds the max_length of " + manifest.modelId()
                    + " (" + manifest.encoder().maxLength() + " tokens, the longest texts its head was trained on)");
        }
        EncoderOptions options = runtime
                .withPooling(pooling(files, manifest))
                .withMaxLength(maxTokens > 0 ? maxTokens : manifest.encoder().maxLength())
                .withTextPrefix(manifest.encoder().textPrefix());
        EncoderSource source = encoderSource(files, manifest);
        OnnxTextEncoder encoder = OnnxTextEncoder.load(source, options);
        try {
            if (!encoder.info().sha256().equals(manifest.encoder().sha256())) {
                throw new ModelException("the head of " + manifest.modelId() + " was trained on the encoder with SHA-256 "
                        + manifest.encoder().sha256() + ", but " + source + " has SHA-256 " + encoder.info().sha256());
            }
            if (encoder.dimension() != head.inputDimension()) {
                throw new ModelException("the head of " + manifest.modelId() + " takes " + head.inputDimension()
                        + "-dimensional embeddings but the encoder gives " + encoder.dimension());
            }
            String checksum = sha256((sha256(manifestBytes) + headSha + encoder.info().sha256())
                    .getBytes(StandardCharsets.US_ASCII));
            return new OnnxValueClassifier(manifest, taxonomy, encoder, head.withTemperature(
                    manifest.head().temperature()), withBundleThresholds(policy, manifest, taxonomy), checksum);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /**
     * The policy a multi-label bundle's classifier decides with: the caller's policy, given the thresholds the bundle
     * chose by cross-validation ({@link ModelManifest.HeadRef#thresholds()}) when the caller's policy sets no
     * per-value threshold of its own; a policy with thresholds, or a bundle without, is used as it is.
     */
    static PredictionPolicy withBundleThresholds(PredictionPolicy policy, ModelManifest manifest,
            ValueTaxonomy taxonomy) {
        if (!taxonomy.multiLabel() || manifest.head().thresholds().isEmpty() || !policy.thresholds().isEmpty()) {
            return policy;
        }
        Map<String, Double> byId = new LinkedHashMap<>();
        manifest.head().thresholds().forEach((label, t) -> byId.put(taxonomy.resolve(label).id(), t));
        return policy.withThresholds(policy.defaultThreshold(), byId);
    }

    /** The policy this classifier decides with (for a multi-label bundle, with its thresholds). */
    public PredictionPolicy policy() {
        return policy;
    }

    /**
     * The encoder of a bundle: the named or bundled model, with the bundle's weight patch applied in memory when the
     * manifest names one (the patch file's SHA-256 is checked here, the base model's when it is applied).
     */
    static EncoderSource encoderSource(BundleFiles files, ModelManifest manifest) {
        EncoderSource source = manifest.encoder().name().isEmpty()
                ? files.encoderSource(ENCODER_FOLDER)
                : EncoderSource.named(manifest.encoder().name());
        if (manifest.encoder().patch().isEmpty()) {
            return source;
        }
        ModelManifest.PatchRef ref = manifest.encoder().patch().get();
        byte[] bytes = files.read(ref.file(), "weight patch", ModelManifest.MAX_PATCH_BYTES);
        String sha = sha256(bytes);
        if (!sha.equals(ref.sha256())) {
            throw new ModelException(files.describe(ref.file()) + " has SHA-256 " + sha + " but the manifest expects "
                    + ref.sha256() + ": the bundle is damaged or mixed");
        }
        WeightPatch patch;
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            patch = WeightPatch.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelException e) {
            throw new ModelException(files.describe(ref.file()) + ": " + e.getMessage(), e);
        }
        if (!patch.baseSha256().equals(ref.baseSha256())) {
            throw new ModelException(files.describe(ref.file()) + " is for the base model " + patch.baseSha256()
                    + " but the manifest names " + ref.baseSha256());
        }
        String where = files.describe(ref.file());
        return source.withModelTransform("patch:" + sha.substring(0, 12), base -> {
            try {
                return patch.apply(base);
            } catch (ModelException e) {
                throw new ModelException(where + ": " + e.getMessage(), e);
            }
        });
    }

    /** The manifest's pooling; a manifest made in code may hold any string, so it is checked here too. */
    private static Pooling pooling(BundleFiles files, ModelManifest manifest) {
        String name = manifest.encoder().pooling();
        if (!name.equals(Pooling.MEAN.name()) && !name.equals(Pooling.CLS.name())) {
            throw new ModelException(files.describe(ModelManifest.FILE) + ": the model manifest's \"encoder.pooling\""
                    + " must be MEAN or CLS, was \"" + name + "\"");
        }
        return Pooling.valueOf(name);
    }

    private static ValueTaxonomy taxonomy(BundleFiles files, ModelManifest manifest) {
        ValueTaxonomy builtIn = ValueTaxonomy.valueImprint();
        if (!files.exists(TAXONOMY_FILE)) {
            if (builtIn.id().equals(manifest.taxonomyId()) && builtIn.version().equals(manifest.taxonomyVersion())) {
                return builtIn;
            }
            throw new ModelException(files.describe(TAXONOMY_FILE) + " is missing and the manifest's taxonomy "
                    + manifest.taxonomyId() + " " + manifest.taxonomyVersion() + " is not the built-in one");
        }
        try (InputStream in = new java.io.ByteArrayInputStream(files.read(TAXONOMY_FILE, "taxonomy",
                ModelManifest.MAX_TAXONOMY_BYTES))) {
            ValueTaxonomy t = Taxonomies.readJson(in, files.describe(TAXONOMY_FILE));
            if (!t.id().equals(manifest.taxonomyId()) || !t.version().equals(manifest.taxonomyVersion())) {
                throw new ModelException(files.describe(TAXONOMY_FILE) + " is " + t.id() + " " + t.version()
                        + " but the manifest names " + manifest.taxonomyId() + " " + manifest.taxonomyVersion());
            }
            return t;
        } catch (org.valueimprint.taxonomy.TaxonomyException e) {
            throw new ModelException(files.describe(TAXONOMY_FILE) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array does not fail
        }
    }

    /** The bundle's manifest. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** The encoder. */
    public TextEncoder encoder() {
        return encoder;
    }

    /** The head, with its fitted temperature. */
    public Head head() {
        return head;
    }

    @Override
    public ValueTaxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public ClassifierInfo info() {
        return info;
    }

    @Override
    public Optional<KnownConfusion> knownConfusion() {
        return manifest.knownConfusion();
    }

    @Override
    public List<ValuePrediction> classify(List<String> texts) {
        float[][] embeddings = encoder.embed(texts);
        List<ValuePrediction> out = new ArrayList<>(embeddings.length);
        for (float[] e : embeddings) {
            out.add(ValuePrediction.of(taxonomy, normalised(head.probabilities(e)), policy));
        }
        return out;
    }

    /** Renormalises softmax output so that rounding never trips the sum-to-one check; sigmoids stay as they are. */
    private double[] normalised(double[] p) {
        return taxonomy.multiLabel() ? p : renormalised(p);
    }

    /** Probabilities divided by their sum and clamped to [0, 1], in place: softmax output up to rounding. */
    static double[] renormalised(double[] p) {
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.min(1, Math.max(0, p[i] / sum));
        }
        return p;
    }

    /** Closes the encoder: gives this classifier's share of the loaded model back (see the class description). */
    @Override
    public void close() {
        encoder.close();
    }

    @Override
    public String toString() {
        return "OnnxValueClassifier{" + manifest.modelId() + ", " + encoder.info().id() + ", " + head.kind() + "}";
    }

    static String sha256(byte[] bytes) {
        return WeightPatch.sha256(bytes);
    }
}
