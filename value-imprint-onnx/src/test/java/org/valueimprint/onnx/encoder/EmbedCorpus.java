package org.valueimprint.onnx.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool, not part of the library: embeds every text of the annotated corpus with one encoder and writes
 * {@code <name>.f32} (float32, little-endian, row-major {@code [rows, dimension]}, one row per corpus line in file
 * order) and {@code <name>.json} (ids, labels, encoder info, corpus checksum, timing) under
 * {@code value-imprint-onnx/target/embeddings/}. Prints progress and texts per second.
 *
 * <p>Run from the repository root, after {@code mvn -pl value-imprint-onnx test-compile}:
 *
 * <pre>
 * mvn -B -o -q -pl value-imprint-onnx dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/test-classpath.txt
 * java -cp value-imprint-onnx/target/test-classes:value-imprint-onnx/target/classes:$(cat \
 *     value-imprint-onnx/target/test-classpath.txt) org.valueimprint.onnx.encoder.EmbedCorpus all-minilm-l6-v2-q
 * </pre>
 *
 * Arguments: an encoder name ({@link EncoderSource#knownNames()}), then optionally {@code --max-length N},
 * {@code --windows} (the windows long-text policy), {@code --threads N} (intra-op threads),
 * {@code --corpus FILE.jsonl} (lines with {@code id}, {@code text} and {@code label}, or a {@code labels} list,
 * which the sidecar keeps as its JSON text) and {@code --out DIR}. The output name is the encoder name, with
 * {@code -L<maxLength>} and {@code -windows} appended when those differ from the defaults.
 */
public final class EmbedCorpus {
    private static final Path CORPUS = Path.of("examples/data/annotations/value-imprint-annotations.jsonl");

    private EmbedCorpus() {}

    /** Embeds the corpus; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: EmbedCorpus ENCODER [--max-length N] [--windows] [--threads N]"
                    + " [--corpus FILE] [--out DIR]; encoders: " + EncoderSource.knownNames());
            System.exit(2);
        }
        String name = args[0];
        Path root = Files.exists(CORPUS) ? Path.of("") : Path.of("..");
        Path corpus = root.resolve(CORPUS);
        Path out = root.resolve("value-imprint-onnx/target/embeddings");
        EncoderOptions options = EncoderOptions.defaults();
        String suffix = "";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--max-length" -> {
                    options = options.withMaxLength(Integer.parseInt(args[++i]));
                    suffix += "-L" + options.maxLength();
                }
                case "--windows" -> {
                    options = options.withLongTextPolicy(LongTextPolicy.windows());
                    suffix += "-windows";
                }
                case "--threads" -> options = options.withIntraOpThreads(Integer.parseInt(args[++i]));
                case "--corpus" -> corpus = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<String> ids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            ids.add(node.get("id").asText());
            labels.add(node.has("label") ? node.get("label").asText() : node.path("labels").toString());
            texts.add(node.get("text").asText());
        }
        String corpusSha = com.google.common.io.Files.asByteSource(corpus.toFile()).hash(Hashing.sha256())
                .toString();
        Files.createDirectories(out);
        Path matrix = out.resolve(name + suffix + ".f32");
        Path sidecar = out.resolve(name + suffix + ".json");

        long loadStart = System.nanoTime();
        try (OnnxTextEncoder encoder = OnnxTextEncoder.load(EncoderSource.named(name), options);
                OutputStream stream = new BufferedOutputStream(Files.newOutputStream(matrix), 1 << 20)) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            int dimension = encoder.dimension();
            int window = options.batchPolicy().window(); // embedding window by window gives the same batches
            ByteBuffer row = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long start = System.nanoTime();
            long embedNanos = 0; // padding is measured outside the timed embedding
            long realTokens = 0;
            long paddedTokens = 0;
            for (int from = 0; from < texts.size(); from += window) {
                List<String> chunk = texts.subList(from, Math.min(texts.size(), from + window));
                int[] lengths = encoder.sequenceLengths(chunk);
                for (int[] batch : options.batchPolicy().plan(lengths)) {
                    int max = 0;
                    for (int i : batch) {
                        realTokens += lengths[i];
                        max = Math.max(max, lengths[i]);
                    }
                    paddedTokens += (long) max * batch.length;
                }
                long t0 = System.nanoTime();
                float[][] vectors = encoder.embed(chunk);
                embedNanos += System.nanoTime() - t0;
                for (float[] vector : vectors) {
                    row.clear();
                    row.asFloatBuffer().put(vector);
                    stream.write(row.array());
                }
                double seconds = embedNanos / 1e9;
                int done = from + chunk.size();
                System.out.printf("%s: %d/%d texts, %.1f s embedding, %.1f texts/s%n", name + suffix, done,
                        texts.size(), seconds, done / seconds);
            }
            double seconds = embedNanos / 1e9;
            double wall = (System.nanoTime() - start) / 1e9;
            double waste = realTokens == 0 ? 0 : (double) paddedTokens / realTokens - 1;

            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", "float32 little-endian, row-major [rows, dimension], rows in corpus order");
            meta.put("rows", texts.size());
            meta.put("dimension", dimension);
            meta.put("matrix", matrix.getFileName().toString());
            meta.put("encoder", encoder.info().asMap());
            Map<String, Object> corpusInfo = new LinkedHashMap<>();
            corpusInfo.put("file", corpus.getFileName().toString());
            corpusInfo.put("sha256", corpusSha);
            meta.put("corpus", corpusInfo);
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("loadSeconds", round(loadSeconds));
            timing.put("embedSeconds", round(seconds));
            timing.put("wallSeconds", round(wall));
            timing.put("textsPerSecond", round(texts.size() / seconds));
            timing.put("realTokens", realTokens);
            timing.put("paddingWaste", round(waste));
            timing.put("availableProcessors", Runtime.getRuntime().availableProcessors());
            timing.put("loadAverageAfter", loadAverage());
            meta.put("timing", timing);
            meta.put("created", Instant.now().toString());
            meta.put("ids", ids);
            meta.put("labels", labels);
            json.writeValue(sidecar.toFile(), meta);
            System.out.printf("%s: %d texts in %.1f s (%.1f texts/s, %d real tokens, padding waste %.1f%%,"
                    + " load %.1f s, load average %s) -> %s%n", name + suffix, texts.size(), seconds,
                    texts.size() / seconds, realTokens, 100 * waste, loadSeconds, loadAverage(), matrix);
        }
    }

    /** The 1, 5 and 15 minute load averages where the system reports them (Linux), else empty. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
