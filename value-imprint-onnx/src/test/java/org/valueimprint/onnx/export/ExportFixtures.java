package org.valueimprint.onnx.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.valueimprint.eval.GoldExample;
import org.valueimprint.eval.GoldExamples;
import org.valueimprint.onnx.encoder.OnnxTextEncoder;
import org.valueimprint.onnx.model.OnnxClassifierTrainer;
import org.valueimprint.taxonomy.ValueTaxonomy;
import org.valueimprint.train.TrainingRequest;

/**
 * Small model bundles trained once per test JVM on real corpus texts (15 per value, as OnnxModelBundleTest does), real
 * corpus texts to classify, and a plain ONNX Runtime runner for exported files. Shared by the export and the Hugging
 * Face tests; the temporary folder is deleted when the JVM exits.
 */
public final class ExportFixtures {
    /** The fp32 MiniLM (test-scope jar): its embeddings do not depend on the batch. */
    public static final String FP32 = "all-minilm-l6-v2";
    /** The int8 MiniLM of the default model. */
    public static final String INT8 = "all-minilm-l6-v2-q";

    private static final Map<String, Path> BUNDLES = new HashMap<>();
    private static Path root;

    private ExportFixtures() {}

    /** The repository's annotated corpus. */
    public static Path corpusFile() {
        Path d = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(d.resolve("examples/data/annotations"))) {
            d = d.getParent();
        }
        return d.resolve("examples/data/annotations/value-imprint-annotations.jsonl");
    }

    /** A fresh folder under this JVM's temporary root. */
    public static synchronized Path newFolder(String name) {
        try {
            return Files.createTempDirectory(root(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A softmax bundle trained on 105 corpus texts with the given encoder; trained once per JVM. */
    public static synchronized Path softmaxBundle(String encoder) {
        return BUNDLES.computeIfAbsent(encoder, e -> {
            ValueTaxonomy taxonomy = ValueTaxonomy.valueImprint();
            try {
                List<GoldExample> all = GoldExamples.readAll(corpusFile(), taxonomy);
                List<GoldExample> sample = new ArrayList<>();
                for (String label : taxonomy.labels()) {
                    all.stream().filter(x -> taxonomy.resolve(x.label()).label().equals(label)).limit(15)
                            .forEach(sample::add);
                }
                Path dir = Files.createTempDirectory(root(), "bundle-" + e);
                Path bundle = dir.resolve("bundle");
                new OnnxClassifierTrainer().train(TrainingRequest.of(sample, taxonomy).withEncoder(e).withSeed(7))
                        .save(bundle);
                return bundle;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    /**
     * {@code n} corpus texts spread over the whole file (every {@code lines / n}-th line, from line {@code offset}),
     * in file order; some are longer than 256 tokens, so truncation is exercised too.
     */
    public static List<String> corpusTexts(int n, int offset) {
        try {
            List<String> lines = Files.readAllLines(corpusFile());
            ObjectMapper json = new ObjectMapper();
            List<String> out = new ArrayList<>();
            int step = lines.size() / n;
            for (int i = 0; i < n; i++) {
                out.add(json.readTree(lines.get(offset + i * step)).get("text").asText());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens an ONNX file on ONNX Runtime with plain options (idle threads sleep rather than spin). */
    public static OrtSession open(Path model) throws OrtException {
        try (OrtSession.SessionOptions options = sessionOptions()) {
            return OrtEnvironment.getEnvironment().createSession(model.toString(), options);
        }
    }

    /** {@link #run(OrtSession, OnnxTextEncoder, List, int)} on a session of its own. */
    public static float[][] runOnnx(Path model, OnnxTextEncoder tokenizer, List<String> texts, int batchSize)
            throws OrtException {
        try (OrtSession session = open(model)) {
            return run(session, tokenizer, texts, batchSize);
        }
    }

    /**
     * Runs an ONNX model directly on ONNX Runtime: the texts' token ids from {@code tokenizer}
     * ({@link OnnxTextEncoder#tokenIds}), padded per batch of {@code batchSize} with id 0 and mask 0, token types 0;
     * returns the rows of the model's first output in input order.
     */
    public static float[][] run(OrtSession session, OnnxTextEncoder tokenizer, List<String> texts, int batchSize)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] out = new float[texts.size()][];
        String output = session.getOutputNames().iterator().next();
        boolean types = session.getInputNames().contains("token_type_ids");
        for (int from = 0; from < texts.size(); from += batchSize) {
            int to = Math.min(texts.size(), from + batchSize);
            long[][] ids = new long[to - from][];
            int length = 0;
            for (int i = from; i < to; i++) {
                ids[i - from] = tokenizer.tokenIds(texts.get(i));
                length = Math.max(length, ids[i - from].length);
            }
            long[][] paddedIds = new long[ids.length][length];
            long[][] mask = new long[ids.length][length];
            for (int r = 0; r < ids.length; r++) {
                System.arraycopy(ids[r], 0, paddedIds[r], 0, ids[r].length);
                for (int t = 0; t < ids[r].length; t++) {
                    mask[r][t] = 1;
                }
            }
            try (OnnxTensor idTensor = OnnxTensor.createTensor(env, paddedIds);
                    OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                    OnnxTensor typeTensor = OnnxTensor.createTensor(env, new long[ids.length][length])) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                inputs.put("input_ids", idTensor);
                inputs.put("attention_mask", maskTensor);
                if (types) {
                    inputs.put("token_type_ids", typeTensor);
                }
                try (OrtSession.Result result = session.run(inputs)) {
                    float[][] rows = (float[][]) result.get(output).orElseThrow().getValue();
                    System.arraycopy(rows, 0, out, from, rows.length);
                }
            }
        }
        return out;
    }

    /** Plain options, except that idle threads sleep: spinning threads slow everything else on a shared machine. */
    private static OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

    private static Path root() throws IOException {
        if (root == null) {
            root = Files.createTempDirectory("value-imprint-export-test");
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(r)));
        }
        return root;
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
