package org.valueimprint.onnx.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real texts from the annotated corpus bundled in the repository, and shared encoders for the tests. */
final class TestTexts {
    /** The bundled annotated corpus (tests run in the module folder). */
    static final Path CORPUS = Path.of("../examples/data/annotations/value-imprint-annotations.jsonl");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OnnxTextEncoder minilmQ;

    private TestTexts() {}

    /** The first {@code n} texts of the corpus whose source is hh-rlhf, in file order. */
    static List<String> hhRlhf(int n) {
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(CORPUS, StandardCharsets.UTF_8)) {
            String line;
            while (texts.size() < n && (line = reader.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                if (node.path("source").asText().startsWith("hh-rlhf")) {
                    texts.add(node.get("text").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (texts.size() < n) {
            throw new IllegalStateException("the corpus has only " + texts.size() + " hh-rlhf texts");
        }
        return texts;
    }

    /** The first {@code n} hh-rlhf texts cut to at most 300 characters (about 70 tokens), for fast tests. */
    static List<String> hhRlhfShort(int n) {
        List<String> out = new ArrayList<>();
        for (String text : hhRlhf(n)) {
            out.add(org.valueimprint.data.TextBudget.chars(300).fit(text));
        }
        return out;
    }

    /** A text of at least {@code chars} characters: corpus texts joined by blank lines. */
    static String longText(int chars) {
        List<String> texts = hhRlhf(400);
        StringBuilder sb = new StringBuilder(chars + 2000);
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(texts.get(i % texts.size())).append("\n\n");
        }
        return sb.toString();
    }

    /** all-MiniLM-L6-v2 int8 with default options, shared by the test classes of this JVM and never closed. */
    static synchronized OnnxTextEncoder minilmQ() {
        if (minilmQ == null) {
            minilmQ = OnnxTextEncoder.load(EncoderSource.named("all-minilm-l6-v2-q"));
        }
        return minilmQ;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    static double norm(float[] a) {
        double sq = 0;
        for (float x : a) {
            sq += (double) x * x;
        }
        return Math.sqrt(sq);
    }
}
