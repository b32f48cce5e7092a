package org.valueimprint.benchmarks.jmh;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.valueimprint.onnx.internal.BundledModels;
import org.valueimprint.classify.PredictionPolicy;
import org.valueimprint.onnx.encoder.BatchPolicy;
import org.valueimprint.onnx.encoder.EncoderOptions;
import org.valueimprint.onnx.encoder.EncoderSource;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.model.ModelManifest;
import org.valueimprint.onnx.model.OnnxValueClassifier;

/**
 * The classifiers the benchmarks compare, by the names their {@code model} parameter takes:
 *
 * <ul>
 *   <li>{@value #DEFAULT}: {@link OnnxValueClassifier#loadDefault(PredictionPolicy, EncoderOptions)}, the default
 *       model (the int8 {@code all-minilm-l6-v2-q} encoder with its fine-tuning weight patch, and a linear head);
 *   <li>{@value #FP32}: the frozen model's head, manifest and taxonomy ({@link BundledModels#FROZEN_MODEL};
 *       the default model's patch is for the int8 encoder) over the fp32 {@code all-minilm-l6-v2} encoder, as a
 *       model bundle written to a temporary folder (the manifest names the fp32 encoder and its SHA-256, since a
 *       bundle refuses a head on an encoder it does not name) and loaded with
 *       {@link OnnxValueClassifier#load(Path, PredictionPolicy, EncoderOptions)}. The head was trained on int8
 *       embeddings, so its predictions differ slightly; the work per text, which is what is measured, is the same.
 * </ul>
 *
 * And the batch policies their {@code batchPolicy} parameter takes: {@value #SORTED} ({@link BatchPolicy#defaults()}:
 * sorted by length within windows of 512, 8,192 padded tokens and 32 sequences a batch at most) and
 * {@value #INPUT_ORDER_8} (batches of 8 consecutive texts, no token budget: {@code new BatchPolicy(8,
 * Integer.MAX_VALUE, 8)}).
 */
public final class Models {
    /** The default model. */
    public static final String DEFAULT = "default";
    /** The default head over the fp32 encoder. */
    public static final String FP32 = "fp32";
    /** The default batch policy. */
    public static final String SORTED = "sorted";
    /** Batches of 8 texts in input order. */
    public static final String INPUT_ORDER_8 = "inputOrder8";

    private static final String FP32_ENCODER = "all-minilm-l6-v2";

    private Models() {}

    /** The batch policy of a {@code batchPolicy} parameter. */
    public static BatchPolicy batchPolicy(String name) {
        return switch (requireNonNull(name, "name")) {
            case SORTED -> BatchPolicy.defaults();
            case INPUT_ORDER_8 -> new BatchPolicy(8, Integer.MAX_VALUE, 8);
            default -> throw new IllegalArgumentException("unknown batch policy '" + name + "'; known: " + SORTED
                    + ", " + INPUT_ORDER_8);
        };
    }

    /** Encoder options with {@code threads} intra-op threads (0: ONNX Runtime's choice) and the named batch policy. */
    public static EncoderOptions options(int threads, String batchPolicy) {
        return EncoderOptions.defaults().withIntraOpThreads(threads).withBatchPolicy(batchPolicy(batchPolicy));
    }

    /**
     * The classifier of a {@code model} parameter, with the given encoder run-time options. The caller closes it.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static OnnxValueClassifier classifier(String model, EncoderOptions runtime) {
        requireNonNull(runtime, "runtime");
        return switch (requireNonNull(model, "model")) {
            case DEFAULT -> OnnxValueClassifier.loadDefault(PredictionPolicy.defaults(), runtime);
            case FP32 -> fp32(runtime);
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; known: " + DEFAULT + ", "
                    + FP32);
        };
    }

    /** The encoder of a classifier: an {@link OnnxTextEncoder}, as every bundle's is. */
    public static OnnxTextEncoder encoder(OnnxValueClassifier classifier) {
        if (!(classifier.encoder() instanceof OnnxTextEncoder encoder)) {
            throw new IllegalStateException("expected an OnnxTextEncoder, got " + classifier.encoder());
        }
        return encoder;
    }

    /**
     * The padding id of a classifier's tokenizer: {@code padding.pad_id} of the encoder jar's {@code tokenizer.json},
     * else the id of {@code [PAD]} in its vocabulary, else 0 (as the encoder itself pads).
     */
    public static long padId(OnnxValueClassifier classifier) {
        String name = classifier.manifest().encoder().name() + "-tokenizer.json";
        try (InputStream in = OnnxValueClassifier.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no classpath resource " + name);
            }
            JsonNode json = new ObjectMapper().readTree(in);
            JsonNode padId = json.path("padding").path("pad_id");
            if (padId.canConvertToLong()) {
                return padId.asLong();
            }
            JsonNode vocabPad = json.path("model").path("vocab").path("[PAD]");
            return vocabPad.canConvertToLong() ? vocabPad.asLong() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static OnnxValueClassifier fp32(EncoderOptions runtime) {
        Path bundle;
        try {
            bundle = Files.createTempDirectory("value-imprint-fp32-bundle");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ModelManifest base;
            try (InputStream in = resource(ModelManifest.FILE)) {
                base = ModelManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        BundledModels.FROZEN_MODEL + ModelManifest.FILE);
            }
            String sha256;
            try (OnnxTextEncoder fp32 = OnnxTextEncoder.load(EncoderSource.named(FP32_ENCODER),
                    EncoderOptions.defaults().withMaxLength(base.encoder().maxLength()))) {
                sha256 = fp32.info().sha256();
            }
            ModelManifest.EncoderRef e = base.encoder();
            ModelManifest manifest = new ModelManifest(base.modelId() + "+fp32-encoder",
                    base.description() + " (benchmark variant: the same head over the fp32 encoder)",
                    base.taxonomyId(), base.taxonomyVersion(), base.labels(),
                    new ModelManifest.EncoderRef(FP32_ENCODER, sha256, e.pooling(), e.maxLength(), e.textPrefix()),
                    base.head(), base.textChars(), base.training(), base.knownConfusion());
            Files.writeString(bundle.resolve(ModelManifest.FILE), manifest.toJson());
            copy(base.head().file(), bundle);
            copy(OnnxValueClassifier.TAXONOMY_FILE, bundle);
            return OnnxValueClassifier.load(bundle, PredictionPolicy.defaults(), runtime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fp32 bundle in " + bundle, e);
        } finally {
            deleteQuietly(bundle);
        }
    }

    private static InputStream resource(String file) {
        String name = BundledModels.FROZEN_MODEL + file;
        InputStream in = OnnxValueClassifier.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("no classpath resource " + name);
        }
        return in;
    }

    private static void copy(String file, Path bundle) throws IOException {
        try (InputStream in = resource(file)) {
            Files.copy(in, bundle.resolve(file));
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
